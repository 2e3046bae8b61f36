"""``brink new`` writes a skeleton filled from the bundled data that loads as written; ``brink
data`` looks the same data up."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from brink.cli import main
from brink.scenarios import state_data as data
from brink.scenarios.datasets import nmc_rows
from brink.scenarios.loader import load_scenario, load_scenario_text
from brink.scenarios.skeleton import skeleton


def test_ussuri_skeleton_validates_and_is_filled_from_the_data(tmp_path, capsys):
    out = tmp_path / "u.yaml"
    states = ["--states", "CHN", "RUS", "USA"]
    status = main(["new", "ussuri_1969", "--date", "1969-03-02", *states, "--out", str(out)])
    assert status == 0
    assert main(["validate", str(out)]) == 0
    scenario = load_scenario(out)
    assert list(scenario.states) == ["CHN", "RUS", "USA"]
    assert scenario.start_date == "1969-03-02"
    soviet = scenario.states["RUS"]
    assert soviet.ccode == 365
    # NMC v6.0, 1969: the values the file's capabilities block fills
    assert soviet.troops == nmc_rows()[365, 1969]["milper"] == 4200
    assert soviet.capability == nmc_rows()[365, 1969]["cinc"]
    assert soviet.regime == "autocracy" and soviet.nuclear
    assert soviet.capital == (55.76, 37.62)
    assert scenario.states["USA"].regime == "democracy"
    # China's first test was in October 1964; the Sino-Soviet treaty of 1950 (ATOP 3200)
    assert scenario.states["CHN"].nuclear
    assert list(scenario.alliances) == ["atop3200"]
    assert scenario.alliances["atop3200"].kind == "defense"
    text = out.read_text(encoding="utf-8")
    for source in ("[nmc]", "[polity] polity2 = -7 (Polity code 364)", "[capital] Moscow"):
        assert source in text
    assert "# Borders [contig]: CHN–RUS land border (type 1)" in text
    for section in ("deployments", "demands", "sanctions", "timeline", "history"):
        assert f"\n# {section}:" in text
    assert "wrote" in capsys.readouterr().out


def test_states_by_number_and_name_and_before_china_had_the_bomb(capsys):
    assert main(["new", "x", "--date", "1962-10-16", "--states", "2", "Soviet Union", "china"]) == 0
    text = capsys.readouterr().out
    scenario = load_scenario_text(text, file="x.yaml")
    assert list(scenario.states) == ["USA", "RUS", "CHN"]
    assert not scenario.states["CHN"].nuclear  # first test 16 October 1964
    assert "# [nuclear] not yet: first test 1964-10-16" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--states", "CHN", "Chna"],
            "--states: 'Chna' is no COW letter code, number or state name (did you mean 'China'?)",
        ),
        (
            ["--states", "CHN", "GFR"],
            "--states: GFR (COW 260) is not a state of the COW system in 1938",
        ),
        (["--states", "CHN"], "--states: give at least two states"),
        (["--states", "CHN", "710"], "--states: '710' is CHN, already given"),
    ],
)
def test_a_miss_is_one_located_line(argv, message, capsys):
    assert main(["new", "x", "--date", "1938-09-01", *argv]) == 2
    error = capsys.readouterr().err
    assert error.startswith("brink: command line: ") and error.count("\n") == 1
    assert message in error


def test_a_date_outside_the_data_is_refused(capsys):
    assert main(["new", "x", "--date", "2022-02-24", "--states", "RUS", "UKR"]) == 2
    assert "--date: 2022-02-24 is outside the bundled data: COW NMC v6.0 covers 1816–2016" in (
        capsys.readouterr().err
    )


def test_an_existing_file_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "u.yaml"
    out.write_text("mine", encoding="utf-8")
    argv = ["new", "u", "--date", "1969-03-02", "--states", "CHN", "RUS", "--out", str(out)]
    assert main(argv) == 2
    assert out.read_text(encoding="utf-8") == "mine"
    assert main([*argv, "--force"]) == 0
    assert load_scenario(out).name == "u"


def test_any_date_and_states_of_the_data_give_a_valid_skeleton():
    draw = random.Random(24)
    years = sorted({year for _, year in nmc_rows()})
    for _ in range(40):
        year = draw.choice(years)
        date = dt.date(year, draw.randint(1, 12), draw.randint(1, 28))
        states = data.states_in(year)
        chosen = draw.sample(states, k=min(len(states), draw.randint(2, 6)))
        text = skeleton(f"case_{year}", date, chosen)
        scenario = load_scenario_text(text, file=f"{year}.yaml")
        assert [state.ccode for state in scenario.states.values()] == chosen


def test_data_states_matches_and_prints_json(capsys):
    assert main(["data", "states", "--date", "1969-03-02", "--match", "chi", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [record["code"] for record in records] == ["CHL", "CHN"]  # Chile, China
    assert records[1]["milper"] == 2830 and records[1]["regime"] == "autocracy"
    assert main(["data", "states", "--date", "1969-03-02", "--match", "chi"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "code",
        "cow",
        "name",
        "capital",
        "polity2",
        "regime",
        "nuclear",
        "cinc",
        "milper",
    ]
    assert table[2].split()[:4] == ["CHN", "710", "China", "Beijing"]


def test_data_pacts_and_capabilities(capsys):
    assert main(["data", "pacts", "CHN", "RUS", "--date", "1969-03-02", "--json"]) == 0
    pacts = json.loads(capsys.readouterr().out)
    assert [(p["atop"], p["kind"], p["ends"]) for p in pacts] == [(3200, "defense", "1980-04-11")]
    assert pacts[0]["members"] == {"RUS": 1950, "CHN": 1950}
    # lapsed by 1981
    assert main(["data", "pacts", "CHN", "RUS", "--date", "1981-01-01"]) == 0
    assert capsys.readouterr().out == "(none)\n"
    assert main(["data", "capabilities", "CHN", "--year", "1968", "--json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["cinc"] == nmc_rows()[710, 1968]["cinc"]
    assert record["milper"] == nmc_rows()[710, 1968]["milper"]


def test_the_pacts_of_1815_fit_the_alliance_years():
    # ATOP v4 begins with the Vienna settlement: members join in 1815, before NMC's first year
    text = skeleton("vienna", dt.date(1816, 6, 15), [255, 300, 365])
    scenario = load_scenario_text(text, file="vienna.yaml")
    joined = {m.joined for alliance in scenario.alliances.values() for m in alliance.members}
    assert 1815 in joined


def test_the_judgement_sweep_of_docs_scenarios_loads():
    from brink.experiments.sweep.experiment import load_experiment
    from brink.scenarios.loader import SCENARIO_DIR

    experiment = load_experiment(SCENARIO_DIR.parent / "docs" / "howto" / "judgement_keys.yaml")
    assert experiment.scenario_path.endswith("history/munich_1938.yaml")
    names = [factor.name for factor in experiment.factors]
    assert names == [
        "demands.sudetenland.stakes.challenger",
        "demands.sudetenland.stakes.target",
        "demands.sudetenland.size",
        "states.CSK.resolve.mean",
    ]

"""The casebook: the `history:` block of a scenario, the scorer, the report and its figure."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import pandas as pd
import pytest

from brink.cli import main
from brink.errors import BrinkInputError
from brink.experiments.casebook.cases import casebook_names, dispute_row, mid_base_rate
from brink.experiments.casebook.checks import history_disagreements
from brink.experiments.casebook.scores import (
    among_two_likeliest,
    base_rate,
    log_score,
    mid_outcome_counts,
    outcome_counts,
    smoothed,
)
from brink.scenarios.loader import SCENARIO_DIR, load_scenario, load_scenario_text
from brink.sim.params import scenario_params
from brink.sim.record import RUN_OUTCOMES

CASE = """\
description: A two-state crisis with a history block.
start: 1938-09-12
horizon: 60
states:
  AAA: {name: Alpha, regime: autocracy, capital: [50, 10], capability: 0.1, troops: 500}
  BBB: {name: Beta, regime: democracy, capital: [50, 14], capability: 0.02, troops: 100}
  CCC: {name: Gamma, regime: democracy, capital: [48, 2], capability: 0.05, troops: 300}
demands:
  land:
    by: AAA
    on: BBB
    issue: the border districts
    size: 0.4
history:
  sources: ["A source, p. 1"]
  disputes:
    land:
      outcome: yield_target
      war: false
      highest_level: 4
      days: 18
      war_days: null
      fought: {challenger: [], target: []}
      mid: 123
      note: "B gave way."
"""


def test_a_history_block_is_read_into_the_scenario():
    history = load_scenario_text(CASE).history
    assert history.sources == ("A source, p. 1",)
    land = history.disputes["land"]
    assert (land.outcome, land.war, land.highest_level, land.days) == ("yield_target", False, 4, 18)
    assert land.war_days is None and land.mid == 123 and land.icb is None
    assert land.fought_challenger == () and land.fought_target == ()
    assert land.note == "B gave way."


def test_a_scenario_without_history_has_none():
    assert load_scenario_text(CASE.split("history:")[0]).history is None


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "outcome: yield_target",
            "outcome: yield_targt",
            "18:16: history.disputes.land.outcome",
            "'yield_targt' is not one of .*did you mean 'yield_target'",
        ),
        (
            "    land:\n      outcome",
            "    lands:\n      outcome",
            "17:5: history.disputes.lands",
            "'lands' is not a declared demand \\(did you mean 'land'\\?\\)",
        ),
        (
            "highest_level: 4",
            "highest_level: 6",
            "20:22: history.disputes.land.highest_level",
            "6 is above 5",
        ),
        (
            "highest_level: 4",
            "highest_level: 0",
            "20:22: history.disputes.land.highest_level",
            "0 is below 1",
        ),
        ("days: 18", "days: -2", "21:13: history.disputes.land.days", "-2 is below 0"),
        (
            "war_days: null",
            "war_days: -1",
            "22:17: history.disputes.land.war_days",
            "-1 is below 0",
        ),
        (
            "challenger: []",
            "challenger: [ZZZ]",
            "23:29: history.disputes.land.fought.challenger\\[0\\]",
            "'ZZZ' is not a declared state",
        ),
        (
            "challenger: [], target: []",
            "challenger: [CCC], target: [CCC]",
            "23:43: history.disputes.land.fought.target",
            "'CCC' is listed on both sides",
        ),
        (
            "war: false",
            "war: true",
            "20:22: history.disputes.land.highest_level",
            "a war is MID hostility level 5",
        ),
        (
            "highest_level: 4",
            "highest_level: 5",
            "19:12: history.disputes.land.war",
            "level 5 is war",
        ),
        (
            "outcome: yield_target",
            "outcome: war_ongoing",
            "18:16: history.disputes.land.outcome",
            "war_ongoing needs war: true",
        ),
        ("war_days: null", "war_days: 3", "22:17: history.disputes.land.war_days", "war: false"),
        ("mid: 123", "mid: many", "24:12: history.disputes.land.mid", "'many' is not a number"),
        (
            "war: false",
            "war: maybe",
            "19:12: history.disputes.land.war",
            "'maybe' is not true or false",
        ),
        ('sources: ["A source, p. 1"]', "sources: []", "15:12: history.sources", "has 0 items"),
        (
            "      outcome: yield_target\n",
            "",
            "18:7: history.disputes.land",
            "missing key 'outcome'",
        ),
        ("note:", "notes:", "25:7: history.disputes.land.notes", "unknown key 'notes'"),
    ],
)
def test_history_mistakes_are_located(old, new, where, message):
    assert old in CASE
    with pytest.raises(BrinkInputError) as caught:
        load_scenario_text(CASE.replace(old, new, 1), file="case.yaml")
    text = str(caught.value)
    assert text.startswith(f"case.yaml:{where.replace(chr(92), '')}:"), text
    assert re.search(message, text), text


def test_the_json_schema_knows_the_history_block():
    import jsonschema
    import yaml
    from test_scenarios_bundled import TextKeys  # keys and dates as text, as an editor reads

    from brink.scenarios.schema import scenario_schema

    validator = jsonschema.Draft202012Validator(scenario_schema())
    assert list(validator.iter_errors(yaml.load(CASE, Loader=TextKeys))) == []
    for old, new in [
        ("outcome: yield_target", "outcome: yielded"),
        ("highest_level: 4", "highest_level: 7"),
        ("days: 18", "days: -1"),
        ('sources: ["A source, p. 1"]', "sources: []"),
        ("note:", "notes:"),
    ]:
        broken = yaml.load(CASE.replace(old, new, 1), Loader=TextKeys)
        assert list(validator.iter_errors(broken)), new


def test_the_bundled_founding_scenario_records_the_invasion():
    history = load_scenario("black_sea_2022").history
    ukraine = history.disputes["ukraine_neutrality"]
    assert ukraine.outcome == "war_ongoing" and ukraine.war and ukraine.highest_level == 5
    assert ukraine.fought_challenger == ("RUS",) and ukraine.fought_target == ("UKR",)


# -- the scorer: pure functions on hand-made numbers --


def test_a_known_forecast_gives_a_known_log_score():
    counts = outcome_counts(["yield_target"] * 3 + ["stalemate"])
    assert counts == {**dict.fromkeys(RUN_OUTCOMES, 0), "yield_target": 3, "stalemate": 1}
    probability = smoothed(counts)  # (count + 1) / (4 runs + 7 classes)
    assert probability["yield_target"] == pytest.approx(4 / 11)
    assert probability["war_ongoing"] == pytest.approx(1 / 11)
    assert sum(probability.values()) == pytest.approx(1)
    assert log_score(probability, "yield_target") == pytest.approx(math.log(4 / 11))
    assert log_score(probability, "compromise") == pytest.approx(math.log(1 / 11))
    assert log_score({"a": 0.0, "b": 1.0}, "a") == -math.inf  # why the smoothing


def test_two_likeliest_counts_ties_for_the_outcome_but_never_a_zero():
    p = {"a": 0.5, "b": 0.3, "c": 0.1, "d": 0.1}
    assert among_two_likeliest(p, "a") and among_two_likeliest(p, "b")
    assert not among_two_likeliest(p, "c")
    assert among_two_likeliest({"a": 0.4, "b": 0.3, "c": 0.3}, "c")  # tied second
    assert not among_two_likeliest({"a": 0.4, "b": 0.4, "c": 0.2}, "c")
    # a class no run produced is never "second", however many classes tie at zero
    assert not among_two_likeliest({"a": 1.0, "b": 0.0, "c": 0.0}, "b")


def test_the_base_rate_counts_each_mid_dispute_once_and_leaves_out_codes_7_to_9():
    mid = pd.DataFrame(
        {"dispnum": [1, 1, 2, 3, 4, 5, 6], "outcome": [5, 5, 4, 1, 7, 9, 5]}
    )  # dispute 1 has two dyad rows; 4 (released) and 5 (joins a war) are in no class
    assert mid_outcome_counts(mid) == {
        **dict.fromkeys(RUN_OUTCOMES, 0),
        "stalemate": 2,
        "yield_target": 1,
        "victory_challenger": 1,
    }
    assert base_rate(mid)["stalemate"] == pytest.approx(3 / 11)


def test_the_bundled_base_rate_is_the_mid_files_shares():
    base = mid_base_rate()  # 1,416 disputes in a class: 937 stalemates, no war_ongoing class
    assert base["stalemate"] == pytest.approx(938 / 1423)
    assert base["war_ongoing"] == pytest.approx(1 / 1423)


def runs_frame():
    """Four hand-made runs of one dispute, with the columns the casebook reads."""
    return pd.DataFrame(
        {
            "run": [0, 1, 2, 3],
            "dispute": ["land"] * 4,
            "challenger": ["AAA"] * 4,
            "target": ["BBB"] * 4,
            "outcome": ["yield_target", "yield_target", "victory_challenger", "war_ongoing"],
            "war": [False, False, True, True],
            "war_days": [None, None, 10.0, 30.0],
            "max_level": [3, 4, 5, 5],
            "duration": [5, 7, 20, 60],
            "side_challenger": ["", "", "AAA", "AAA;CCC"],
            "side_target": ["", "", "BBB", "BBB"],
        }
    )


def test_a_dispute_row_puts_the_forecast_beside_history():
    scenario = load_scenario_text(CASE)
    history = scenario.history.disputes["land"]
    base = dict.fromkeys(RUN_OUTCOMES, 1 / 7)
    row = dispute_row("case", scenario, scenario_params(scenario), history, runs_frame(), base)
    assert row["p_yield_target"] == 0.5 and row["p_war_ongoing"] == 0.25
    assert row["p_real"] == 0.5 and row["real_outcome"] == "yield_target"
    assert row["log_score"] == pytest.approx(math.log(3 / 11))
    assert row["base_rate_log_score"] == pytest.approx(math.log(1 / 7))
    assert row["in_two_likeliest"] and row["model_likeliest"] == "yield_target"
    assert row["p_war"] == 0.5 and not row["real_war"]
    assert row["war_days_median"] == 20 and row["war_days_q1"] == 15 and row["war_days_q3"] == 25
    assert row["days_median"] == 13.5 and row["real_days"] == 18
    assert row["joined_challenger"] == "AAA 50 %; CCC 25 %"
    assert row["joined_target"] == "BBB 50 %" and row["real_target"] == ""


# -- the history blocks against the bundled MID, ICB and COW codes --

CASES = casebook_names()


def test_the_casebook_holds_the_cases():
    assert {"history/july_1914", "history/munich_1938", "black_sea_2022"} <= set(CASES)
    assert all(load_scenario(name).history is not None for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_every_history_block_agrees_with_the_codes_it_names(name):
    assert history_disagreements(load_scenario(name)) == []


@pytest.mark.parametrize(
    ("case", "old", "new", "problem"),
    [
        (
            "munich_1938",
            "outcome: yield_target #",
            "outcome: compromise #",
            "MID 12 codes yield_target",
        ),
        ("munich_1938", "mid: 12", "mid: 13", "challenger"),
        ("munich_1938", "mid: 12", "mid: 99999", "not in the bundled MID file"),
        ("munich_1938", "highest_level: 3 #", "highest_level: 4 #", "MID 12 has 3"),
        ("munich_1938", "days: 18", "days: 60", "after MID 12 ended (September 1938)"),
        ("munich_1938", "icb: 64", "icb: 63", "neither principal"),
        (
            "munich_1938",
            "fought: {challenger: [], target: []}",
            "fought: {challenger: [ITA], target: []}",
            "ITA fought for the challenger",
        ),
        ("july_1914", "war_days: 1566", "war_days: 1500", "ran 1914-07-29 to 1918-11-11"),
        ("july_1914", "cow_war: 38", "cow_war: 37", "COW war 37"),
        ("july_1914", "challenger: [AUH, DEU, TUR]", "challenger: [AUH, DEU]", "TUR was fighting"),
        (
            "july_1914",
            "target: [SRB, RUS, FRA, GBR, BEL, JPN]",
            "target: [SRB, RUS, FRA, GBR, BEL, JPN, ITA]",
            "ITA is listed",
        ),
        ("july_1914", "days: 180 #", "days: 2000 #", "war_ongoing, but MID 257 ended"),
    ],
)
def test_a_wrong_code_in_a_copy_is_caught(tmp_path, case, old, new, problem):
    text = (SCENARIO_DIR / "history" / f"{case}.yaml").read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / f"{case}.yaml"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = history_disagreements(load_scenario(copy))
    assert any(problem in p for p in problems), problems


def test_without_a_mid_code_the_icb_outcome_is_checked(tmp_path):
    text = (SCENARIO_DIR / "history" / "munich_1938.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "munich.yaml"
    copy.write_text(text.replace("      mid: 12\n", ""), encoding="utf-8")
    assert history_disagreements(load_scenario(copy)) == []  # ICB 64 agrees: a defeat
    text = text.replace("      mid: 12\n", "").replace(
        "outcome: yield_target #", "outcome: compromise #"
    )
    copy.write_text(text, encoding="utf-8")
    problems = history_disagreements(load_scenario(copy))
    assert problems == ["sudetenland: outcome compromise, but ICB 64 codes victory_challenger"]


def test_the_model_never_reads_the_history_block():
    from brink.sim.model import simulate

    scenario = load_scenario("history/munich_1938")
    params = scenario_params(scenario)
    with_history = simulate(scenario, params, 11, run=0)
    without = simulate(replace(scenario, history=None), params, 11, run=0)
    assert with_history.runs == without.runs and with_history.events == without.events


# -- the command: report and figure for a tiny run --


def test_the_report_and_figure_are_written_for_a_tiny_run(tmp_path, capsys):
    out = tmp_path / "book"
    argv = ["casebook", "--runs", "3", "--seed", "5", "--case", "history/munich_1938"]
    assert main([*argv, "--out", str(out), "--no-progress"]) == 0
    assert "1 disputes in 1 cases" in capsys.readouterr().out
    report = (out / "casebook.md").read_text(encoding="utf-8")
    assert "No case file is tuned to its outcome" in report
    assert "| history/munich_1938 | sudetenland |" in report
    assert "1/10 = 0.1000" in report  # the floor with 3 runs and 7 classes
    table = pd.read_csv(out / "casebook.csv")
    assert list(table["case"]) == ["history/munich_1938"] and table["runs"].iloc[0] == 3
    assert table["real_outcome"].iloc[0] == "yield_target"
    shares = table[[f"p_{o}" for o in RUN_OUTCOMES]].sum(axis=1)
    assert shares.iloc[0] == pytest.approx(1)
    for name in ("casebook.png", "casebook.pdf", "cases/munich_1938/runs.parquet"):
        assert (out / name).stat().st_size > 1000, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "casebook" and manifest["root_seed"] == 5
    assert "casebook.png" in manifest["files"]
    assert main([*argv, "--out", str(out), "--no-progress"]) == 2  # no --force: refused
    assert "--force" in capsys.readouterr().err


def test_an_unknown_case_is_a_located_error(capsys):
    assert main(["casebook", "--case", "history/munich", "--runs", "1"]) == 2
    error = capsys.readouterr().err
    assert "command line: --case: 'history/munich' is not a casebook case" in error
    assert "did you mean 'history/munich_1938'" in error


def test_a_params_file_is_applied_unchanged_as_brink_run_applies_it(tmp_path, capsys):
    params = tmp_path / "params.yaml"
    params.write_text("format: brink-params/1\nvalues:\n  optimism: 1.5\n", encoding="utf-8")
    common = ["--runs", "4", "--seed", "9", "--params", str(params), "--no-progress"]
    book, run = tmp_path / "book", tmp_path / "run"
    case = "history/munich_1938"
    assert main(["casebook", "--case", case, "--out", str(book), *common]) == 0
    assert main(["run", case, "--out", str(run), *common]) == 0
    capsys.readouterr()
    from_book = pd.read_parquet(book / "cases" / "munich_1938" / "runs.parquet")
    pd.testing.assert_frame_equal(from_book, pd.read_parquet(run / "runs.parquet"))
    manifest = json.loads((book / "manifest.json").read_text())
    assert manifest["params_file"]["values"] == {"optimism": 1.5}
    assert "optimism = 1.5" in (book / "casebook.md").read_text(encoding="utf-8")


def test_the_views_scenario_picker_lists_the_casebook():
    from brink.viz.app import scenario_choices

    choices = scenario_choices("my_crisis.yaml")
    assert choices[0] == "my_crisis.yaml"
    assert set(casebook_names()) <= set(choices)
    assert scenario_choices("history/munich_1938").count("history/munich_1938") == 1


# -- your own case: --case FILE --

USSURI = SCENARIO_DIR.parent / "docs" / "howto" / "ussuri_1969.yaml"


def test_a_users_file_is_scored_beside_a_bundled_case(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "ussuri_1969.yaml"
    mine.write_text(USSURI.read_text(encoding="utf-8"), encoding="utf-8")
    argv = ["casebook", "--case", "ussuri_1969.yaml", "--case", "history/munich_1938"]
    assert main([*argv, "--runs", "3", "--seed", "1", "--out", "book", "--no-progress"]) == 0
    assert "2 disputes in 2 cases" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "book" / "casebook.csv")
    # in order of start date, the file named as it was given (so `brink run` can reproduce it)
    assert list(table["case"]) == ["history/munich_1938", "ussuri_1969.yaml"]
    row = table.set_index("case").loc["ussuri_1969.yaml"]
    assert (row["dispute"], row["real_outcome"], row["mid"], row["runs"]) == (
        "islands",
        "stalemate",
        349,
        3,
    )
    assert (tmp_path / "book" / "cases" / "ussuri_1969" / "runs.parquet").is_file()
    manifest = json.loads((tmp_path / "book" / "manifest.json").read_text())
    assert manifest["cases"] == ["history/munich_1938", "ussuri_1969.yaml"]


def test_a_users_file_without_history_is_refused(tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text(CASE.split("history:")[0], encoding="utf-8")
    assert main(["casebook", "--case", str(mine), "--runs", "1"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"{mine}: has no history: block" in error


def test_a_users_history_is_checked_against_its_codes_at_its_line(tmp_path, capsys):
    text = USSURI.read_text(encoding="utf-8").replace(
        "outcome: stalemate # [mid]", "outcome: yield_target # [mid]"
    )
    mine = tmp_path / "ussuri.yaml"
    mine.write_text(text, encoding="utf-8")
    assert main(["casebook", "--case", str(mine), "--runs", "1"]) == 2
    error = capsys.readouterr().err
    line = text[: text.index("    islands:\n      outcome")].count("\n") + 1
    assert error.startswith(f"brink: {mine}:{line}:")
    assert "history.disputes.islands: outcome yield_target, but MID 349 codes stalemate" in error


def test_a_missing_file_and_a_shared_folder_are_refused(tmp_path, capsys):
    assert main(["casebook", "--case", str(tmp_path / "nothing.yaml"), "--runs", "1"]) == 2
    assert "is not a casebook case or a file" in capsys.readouterr().err
    mine = tmp_path / "munich_1938.yaml"
    mine.write_text(
        (SCENARIO_DIR / "history" / "munich_1938.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    argv = ["casebook", "--case", str(mine), "--case", "history/munich_1938", "--runs", "1"]
    assert main(argv) == 2
    assert "would share the folder cases/munich_1938" in capsys.readouterr().err

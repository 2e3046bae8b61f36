"""The bundled scenarios, the JSON Schema, the reference and the scenario commands."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from brink.errors import EXIT_USAGE
from brink.scenarios.commands import register, summary
from brink.scenarios.datasets import nmc_record
from brink.scenarios.loader import SCENARIO_DIR, bundled_scenarios, load_scenario
from brink.scenarios.reference import REFERENCE_FILE, reference_markdown
from brink.scenarios.schema import scenario_schema
from brink.sim.params import PARAMETERS

BUNDLED = bundled_scenarios()


def test_the_bundled_scenarios_are_there():
    assert {
        "black_sea_2022",
        "classics/fearon_ultimatum",
        "classics/fearon_complete_information",
        "baltic_tripwire",
        "cuban_missile_1962",
        "cold_war_arms_race",
    } <= set(BUNDLED)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_scenario_loads(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.description and scenario.sources
    assert len(scenario.states) >= 2 and scenario.demands


# -- the founding scenario --


@pytest.fixture(scope="module")
def black_sea():
    return load_scenario("black_sea_2022")


def test_black_sea_states_and_capabilities_from_nmc_2016(black_sea):
    required = {"RUS", "UKR", "BLR", "USA", "GBR", "FRA", "DEU", "POL", "ROU", "BGR"}
    assert required | {"EST", "LVA", "LTU", "TUR", "CAN"} <= set(black_sea.states)
    for state in black_sea.states.values():
        row = nmc_record(state.ccode, 2016)
        assert state.capability == pytest.approx(row["cinc"]), state.code
        assert state.troops == pytest.approx(row["milper"]), state.code
    nuclear = {code for code, state in black_sea.states.items() if state.nuclear}
    assert nuclear == {"RUS", "USA", "GBR", "FRA"}


def test_black_sea_alliances(black_sea):
    nato = black_sea.alliances["NATO"]
    joined = {m.state: m.joined for m in nato.members}
    assert joined["POL"] == 1999
    assert all(joined[c] == 2004 for c in ("BGR", "ROU", "EST", "LVA", "LTU"))
    assert joined["USA"] == 1949 and joined["TUR"] == 1952
    assert nato.leader == "USA" and nato.kind == "defense"
    assert {"RUS", "BLR"} <= {m.state for m in black_sea.alliances["CSTO"].members}
    union = black_sea.alliances["UNION_STATE"]
    assert {m.state for m in union.members} == {"RUS", "BLR"}


def test_black_sea_disputes(black_sea):
    disputes = {d.id: d for d in black_sea.demands}
    rollback = disputes["nato_rollback"]
    assert (rollback.by, rollback.on, rollback.day) == ("RUS", "NATO", 0)
    assert "after 1997" in rollback.issue and "Bulgaria and Romania" in rollback.issue
    neutrality = disputes["ukraine_neutrality"]
    assert (neutrality.by, neutrality.on, neutrality.theatre) == ("RUS", "UKR", "UKR")


def test_black_sea_deployments(black_sea):
    deployments = {d.id: d for d in black_sea.deployments}
    massed = deployments["rus_near_ukraine"]
    assert (massed.owner, massed.near, massed.troops) == ("RUS", "UKR", 106)  # the seed report
    assert deployments["usa_in_poland"].host == "POL"
    assert deployments["usa_in_romania"].host == "ROU"
    hosts = {d.host for d in black_sea.deployments if d.owner != "RUS"}
    assert {"POL", "EST", "LVA", "LTU", "ROU"} <= hosts


def test_black_sea_sanctions_threat(black_sea):
    (threat,) = black_sea.sanctions
    assert (threat.target, threat.trigger_actor, threat.trigger_against) == ("RUS", "RUS", "UKR")
    assert {"USA", "GBR", "FRA", "DEU"} <= set(threat.senders)
    assert "TUR" not in threat.senders
    assert 0 < threat.severity < 1


def test_black_sea_timeline(black_sea):
    by_kind = {}
    for event in black_sea.events:
        by_kind.setdefault(event.kind, []).append(event)
    statements = {e.actor: e for e in by_kind["statement"]}
    assert statements["BGR"].ties_hands and statements["BGR"].day == 4  # 21 Jan 2022
    assert statements["FRA"].day == 2  # Macron, 19 Jan 2022
    talks = by_kind["talks"]
    assert {e.day for e in talks} == {4} and {e.actor for e in talks} == {"USA"}
    (offer,) = by_kind["offer"]
    assert (offer.actor, offer.day, offer.dispute) == ("USA", 9, "nato_rollback")
    deploys = {(e.actor, e.target): e for e in by_kind["deploy"]}
    assert deploys[("FRA", "ROU")].troops == 0.5
    assert deploys[("RUS", "BLR")].troops == 30
    assert [e.day for e in black_sea.events] == sorted(e.day for e in black_sea.events)


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def test_every_number_in_the_black_sea_file_has_a_source_nearby():
    """Each line holding a number has a comment on it, above it in its block, or on its parent."""
    lines = (SCENARIO_DIR / "black_sea_2022.yaml").read_text(encoding="utf-8").splitlines()
    number = re.compile(r"\w:\s*[\[{]?\s*-?\d")  # a key with a numeric value, plain or in flow
    for index, line in enumerate(lines):
        value = line.split("#", 1)[0]
        if not number.search(value) or value.lstrip().startswith("- "):
            continue
        sourced = "#" in line
        above = index - 1
        while not sourced and above >= 0:
            sourced = "#" in lines[above]
            if lines[above].strip() and indent(lines[above]) < indent(line):
                break  # the parent key: its comment counts, nothing beyond it
            above -= 1
        assert sourced, f"line {index + 1}: {line.strip()}"


# -- the classics --


def test_fearon_ultimatum():
    scenario = load_scenario("classics/fearon_ultimatum")
    assert scenario.parameters == {
        "win_probability": 0.5,
        "challenger_cost": 0.1,
        "target_cost_max": 0.4,
    }
    (demand,) = scenario.demands
    assert (demand.deadline, demand.ultimatum.information) == (1, "private")
    target = scenario.states[demand.on].resolve
    assert (target.distribution, target.low, target.high) == ("uniform", 0.0, 1.0)
    complete = load_scenario("classics/fearon_complete_information")
    assert complete.demands[0].ultimatum.information == "complete"
    assert complete.parameters == scenario.parameters
    assert complete.states == scenario.states


def test_other_scenarios_exercise_other_features():
    cold_war = load_scenario("cold_war_arms_race")
    assert cold_war.step == "week" and cold_war.horizon == 782
    (race,) = cold_war.arms_races
    (m, n), (a, b) = race.fatigue, race.reaction
    assert m * n > a * b  # stable, as the file's header says
    kinds = {e.kind for e in cold_war.events}
    assert {"join_alliance", "leave_alliance", "talks"} <= kinds
    berlin = cold_war.demands[0]
    assert berlin.deadline - berlin.day == 26  # six months of weeks
    cuba = load_scenario("cuban_missile_1962")
    assert cuba.states["SUN"].nuclear and cuba.states["USA"].nuclear
    assert cuba.states["CUB"].capability == pytest.approx(nmc_record(40, 1962)["cinc"])
    assert cuba.perceptions[0].observer == "SUN"
    tripwire = load_scenario("baltic_tripwire")
    assert tripwire.parameters == {"join_tripwire": 1.5}


# -- the schema and the reference --


class TextKeys(yaml.SafeLoader):
    """YAML as an editor reads it for the schema: keys as text, dates as text."""


TextKeys.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
TextKeys.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: {
        key.value: loader.construct_object(value, deep=True) for key, value in node.value
    },
)


@pytest.fixture(scope="module")
def validator():
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_scenarios_satisfy_the_schema(validator, name):
    document = yaml.load(BUNDLED[name].read_text(encoding="utf-8"), Loader=TextKeys)
    errors = [error.message for error in validator.iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("regime: anocracy # [polity] polity2 = 4\n    nuclear", "regme: anocracy\n    nuclear"),
        ("severity: 0.5", "severity: 1.5"),
        ("kind: defense # Article 5", "kind: defence"),
        ("ties_hands: true", "ties_hands: 3"),
        ("    talks:\n", "    talks:\n      share: 0.1\n"),
        ("horizon: 180", "horizon: 180\nparameters: {precisio: 3}"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(validator, old, new):
    text = (SCENARIO_DIR / "black_sea_2022.yaml").read_text(encoding="utf-8")
    assert old in text
    document = yaml.load(text.replace(old, new, 1), Loader=TextKeys)
    assert not validator.is_valid(document)


def test_the_schema_knows_every_parameter():
    schema = scenario_schema()
    parameters = schema["$defs"]["scenario"]["properties"]["parameters"]["properties"]
    assert set(parameters) == set(PARAMETERS)


def test_reference_is_current():
    assert REFERENCE_FILE.read_text(encoding="utf-8") == reference_markdown(), (
        "regenerate: brink schema --format markdown > scenarios/REFERENCE.md"
    )


def test_reference_documents_every_key_and_parameter():
    text = reference_markdown()
    for name in ("ties_hands", "uses_force_against", "spread", "information", "near"):
        assert f"| `{name}` |" in text
    for name in PARAMETERS:
        assert f"| `{name}` |" in text


# -- the commands --


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="brink")
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    status = args.handler(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_validate_good_files(capsys):
    files = [str(path) for path in BUNDLED.values()]
    status, out, err = run(["validate", *files], capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(files)
    black_sea = next(line for line in lines if "black_sea_2022" in line)
    expected = r"ok: .*black_sea_2022\.yaml \(22 states, 2 disputes, 13 events\)"
    assert re.fullmatch(expected, black_sea)


def test_validate_reports_each_mistake_of_a_bad_file_on_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("description: x\nstart: 2022-01-17\nstates: {RUS: {name: Russia}}\n")
    good = BUNDLED["classics/fearon_ultimatum"]
    status, out, err = run(["validate", str(bad), str(good)], capsys)
    assert status == EXIT_USAGE
    assert err.splitlines() == [
        f"brink: {bad}:3:15: states.RUS: missing key 'regime' (regime type; sets the audience "
        "cost)",
        f"brink: {bad}:3:9: states: needs at least 2 entries",
    ]
    assert out.startswith("ok: ") and "fearon_ultimatum" in out


def test_schema_command_prints_json(capsys):
    status, out, _ = run(["schema"], capsys)
    assert status == 0 and json.loads(out) == scenario_schema()


def test_list_command(capsys):
    status, out, _ = run(["list"], capsys)
    assert status == 0
    for name, path in BUNDLED.items():
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert summary(load_scenario(path).description) in line


def test_summary_is_the_first_sentence():
    assert summary("One thing. Then another.") == "One thing"
    assert summary("  Folded\n  text.  ") == "Folded text"


def test_brink_validate_end_to_end(tmp_path):
    """Through the installed command: exit 2 and one located line, no traceback."""
    bad = tmp_path / "x.yaml"
    bad.write_text(
        (SCENARIO_DIR / "classics/fearon_ultimatum.yaml")
        .read_text(encoding="utf-8")
        .replace("resolve: {fixed: 0.5}", "resolve: {mean: 1.4}")
    )
    result = subprocess.run(
        [sys.executable, "-m", "brink", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == EXIT_USAGE
    assert result.stderr == (
        f"brink: {bad}:27:21: states.AAA.resolve.mean: 1.4 is above 1 (a probability, 0–1)\n"
    )

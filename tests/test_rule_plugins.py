"""Decision rules from outside: ``--rule [STATE=]MODULE:NAME``, a scenario's ``rules:``, the
``brink.rules`` entry points, a rule as a sweep factor, and the two example rules.

A rule from outside must be found the same way in every process (it is imported by name), be
recorded in the manifest, and fail as one located line naming it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from test_sweep_run import InProcess, brink

from brink.agents.quantal_rule import QuantalRule
from brink.agents.rules import rule_for
from brink.agents.screening_rule import ScreeningRule
from brink.errors import BrinkInputError, Location
from brink.scenarios import rule_loader as rule_module
from brink.scenarios.loader import load_scenario, load_scenario_text
from brink.scenarios.rule_loader import resolve_rule, rule_records
from brink.scenarios.rule_specs import merged_rules, parse_rule, rule_for_state, with_rules
from brink.scenarios.spec import RuleSpec
from brink.sim.decisions import HOLD, Situation
from brink.sim.model import CrisisModel, simulate
from brink.sim.params import scenario_params

REPO = Path(__file__).resolve().parents[1]
STUBBORN = REPO / "examples" / "rules" / "stubborn.py"
RECIPROCITY = REPO / "examples" / "rules" / "reciprocity.py"
HERE = Location(file="test", key="--rule")
#: What Russia does when it gives way in black_sea_2022 (a challenger backs down or takes an
#: offer; brink.sim.decisions.CHALLENGER_OPTIONS).
GIVING_WAY = {"back_down", "accept_offer"}

BAD_RULES = """
class Raises:
    name = "raises"

    def choose(self, situation):
        if situation.day > 2:
            raise ValueError("no idea what to do")
        return "hold"


class Illegal:
    def choose(self, situation):
        return "surrender"
"""


# ------------------------------------------------------------------ reading the text
def test_a_rule_is_read_with_or_without_a_state():
    assert parse_rule("screening", HERE) == RuleSpec("*", None, "screening")
    assert parse_rule("RUS=quantal", HERE) == RuleSpec("RUS", None, "quantal")
    dotted = parse_rule("USA=brink.agents.quantal_rule:QuantalRule", HERE)
    assert dotted == RuleSpec("USA", "brink.agents.quantal_rule", "QuantalRule")
    assert str(dotted) == "USA=brink.agents.quantal_rule:QuantalRule"


def test_a_file_path_is_made_absolute_against_its_base(tmp_path):
    (tmp_path / "mine.py").write_text("class Mine: pass\n")
    spec = parse_rule("RUS=mine.py:Mine", HERE, base=tmp_path)
    assert spec.module == str((tmp_path / "mine.py").resolve())


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("RUS=no/such/file.py:X", "no file"),
        ("RUS=mod:not a name", "is not a rule's name"),
        ("RUS=bad..module:X", "is not a module name"),
    ],
)
def test_a_malformed_rule_is_a_located_error(text, said):
    with pytest.raises(BrinkInputError) as caught:
        parse_rule(text, HERE)
    assert said in str(caught.value)
    assert str(caught.value).startswith("test: --rule:")


def test_the_command_line_overrides_the_scenario_rules():
    own = (RuleSpec("RUS", None, "quantal"), RuleSpec("USA", None, "quantal"))
    given = (RuleSpec("RUS", "m", "A"),)
    assert merged_rules(own, given) == (RuleSpec("USA", None, "quantal"), given[0])
    # a rule for every state replaces all of the scenario's
    assert merged_rules(own, (RuleSpec("*", None, "screening"),)) == (
        RuleSpec("*", None, "screening"),
    )
    # a state's own rule beats the one for every state
    both = (RuleSpec("*", None, "quantal"), RuleSpec("RUS", "m", "A"))
    assert rule_for_state(both, "RUS") == RuleSpec("RUS", "m", "A")
    assert rule_for_state(both, "USA") == RuleSpec("*", None, "quantal")
    assert rule_for_state((), "USA") is None


# ------------------------------------------------------------------ finding the rule
def test_built_in_dotted_file_and_entry_point_rules_are_found(monkeypatch):
    assert isinstance(resolve_rule(RuleSpec("*", None, "quantal")).maker(), QuantalRule)
    dotted = resolve_rule(RuleSpec("*", "brink.agents.screening_rule", "ScreeningRule"))
    assert dotted.maker is ScreeningRule
    from_file = resolve_rule(RuleSpec("RUS", str(STUBBORN), "Stubborn"))
    assert from_file.maker.__name__ == "Stubborn"
    point = EntryPoint("cautious", "brink.agents.quantal_rule:QuantalRule", "brink.rules")
    monkeypatch.setattr(rule_module, "entry_points", lambda group: [point])
    assert resolve_rule(RuleSpec("*", None, "cautious")).maker is QuantalRule
    assert ("cautious", point.value) in [row[:2] for row in rule_module.available_rules()]


def test_a_rule_that_cannot_be_found_names_itself(tmp_path):
    (tmp_path / "empty.py").write_text("x = 1\n")
    cases = [
        (RuleSpec("*", None, "nosuch"), "no built-in rule or 'brink.rules' entry point"),
        (RuleSpec("*", "no_such_module_anywhere", "X"), "cannot import no_such_module_anywhere"),
        (RuleSpec("*", str(tmp_path / "empty.py"), "Missing"), "has no 'Missing'"),
        (RuleSpec("*", str(tmp_path / "empty.py"), "x"), "not a class or function"),
    ]
    for spec, said in cases:
        with pytest.raises(BrinkInputError) as caught:
            resolve_rule(spec, HERE)
        assert said in str(caught.value) and spec.name in str(caught.value)


def test_the_manifest_records_module_name_and_version_or_file_hash():
    import hashlib

    params = scenario_params(load_scenario("black_sea_2022"))
    records = rule_records(params, (RuleSpec("RUS", str(STUBBORN), "Stubborn"),))
    default, stubborn = records
    assert default["state"] == "*" and default["module"] == "brink.agents.screening_rule"
    assert default["name"] == "ScreeningRule" and "version" in default
    assert stubborn == {
        "state": "RUS",
        "module": str(STUBBORN),
        "name": "Stubborn",
        "sha256": hashlib.sha256(STUBBORN.read_bytes()).hexdigest(),
    }
    # a rule named for every state replaces the default's record
    everyone = rule_records(params, (RuleSpec("*", None, "quantal"),))
    assert [record["name"] for record in everyone] == ["QuantalRule"]


def test_each_state_builds_its_own_rule_from_the_scenario():
    scenario = with_rules(
        load_scenario("black_sea_2022"),
        (RuleSpec("RUS", str(STUBBORN), "Stubborn"), RuleSpec("*", None, "quantal")),
    )
    model = CrisisModel(scenario, seed=1)
    assert type(model.states["RUS"].rule).__name__ == "Stubborn"
    assert isinstance(model.states["USA"].rule, QuantalRule)
    assert model.states["RUS"].rule is not CrisisModel(scenario, seed=1).states["RUS"].rule
    params = scenario_params(scenario)
    assert isinstance(rule_for(params, (), "RUS"), ScreeningRule)  # no rules: decision_rule's


# ------------------------------------------------------------------ a scenario's rules:
def _with_rules_block(block: str) -> str:
    text = (REPO / "scenarios" / "black_sea_2022.yaml").read_text()
    return text + "\n" + block


def test_a_scenario_names_its_rules_beside_its_file(tmp_path):
    (tmp_path / "stubborn.py").write_text(STUBBORN.read_text())
    path = tmp_path / "crisis.yaml"
    path.write_text(_with_rules_block('rules:\n  RUS: stubborn.py:Stubborn\n  "*": quantal\n'))
    scenario = load_scenario(path)
    assert scenario.rules == (
        RuleSpec("RUS", str((tmp_path / "stubborn.py").resolve()), "Stubborn"),
        RuleSpec("*", None, "quantal"),
    )


def test_a_scenario_rule_for_an_unknown_state_is_located(tmp_path):
    text = _with_rules_block("rules:\n  RSU: quantal\n")
    with pytest.raises(BrinkInputError) as caught:
        load_scenario_text(text, "crisis.yaml")
    message = str(caught.value)
    assert "rules.RSU" in message and "did you mean 'RUS'" in message
    assert f":{text.count(chr(10))}:" in message  # the line of the key


# ------------------------------------------------------------------ the two examples
def _russia_acts(scenario, seeds) -> set[str]:
    acts = set()
    for seed in seeds:
        record = simulate(scenario, seed=seed, record_steps=False)
        acts |= {event["action"] for event in record.events if event["actor"] == "RUS"}
    return acts


def test_stubborn_russia_never_gives_way_where_the_model_does():
    scenario = load_scenario("black_sea_2022")
    seeds = range(12)
    assert _russia_acts(scenario, seeds) & GIVING_WAY  # the built-in rule does give way
    stubborn = with_rules(scenario, (RuleSpec("RUS", str(STUBBORN), "Stubborn"),))
    acts = _russia_acts(stubborn, seeds)
    assert not acts & GIVING_WAY
    assert not acts & {"escalate", "press"}  # it only ever holds


class _Advice:
    """A stand-in for the screening rule inside :class:`Reciprocity`."""

    def __init__(self, choice: str):
        self.choice = choice

    def choose(self, situation) -> str:
        return self.choice


def _situation(side: str, levels: dict[str, int], options: tuple[str, ...]) -> Situation:
    dispute = SimpleNamespace(level=levels)
    return Situation(model=None, dispute=dispute, side=side, options=options, rng=None)


def test_reciprocity_answers_in_kind_and_never_climbs_first():
    sys.path.insert(0, str(RECIPROCITY.parent))
    try:
        from reciprocity import Reciprocity
    finally:
        sys.path.remove(str(RECIPROCITY.parent))
    rule = Reciprocity()
    challenger = ("hold", "press", "escalate", "back_down")
    behind = {"challenger": 2, "target": 3}
    level = {"challenger": 3, "target": 3}
    rule.inner = _Advice("press")
    assert rule.choose(_situation("challenger", behind, challenger)) == "escalate"  # retaliates
    rule.inner = _Advice("escalate")
    assert rule.choose(_situation("challenger", level, challenger)) == HOLD  # never first
    offer = (*challenger, "accept_offer")
    rule.inner = _Advice("press")
    assert rule.choose(_situation("challenger", level, offer)) == "accept_offer"  # forgives
    rule.inner = _Advice("back_down")
    assert rule.choose(_situation("challenger", level, challenger)) == "back_down"
    target = ("hold", "resist", "counter_escalate", "concede")
    rule.inner = _Advice("resist")
    assert rule.choose(_situation("target", behind | {"challenger": 4}, target)) == (
        "counter_escalate"
    )


# ------------------------------------------------------------------ the command line
def _russia_gives_way(directory: Path) -> int:
    events = pd.read_parquet(directory / "events.parquet")
    russia = events[(events.actor == "RUS") & events.action.isin(GIVING_WAY)]
    return russia.run.nunique()


def test_brink_run_with_a_rule_is_the_same_with_one_or_two_processes(tmp_path):
    rule = f"RUS={STUBBORN}:Stubborn"
    tables = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        done = brink(
            "run", "black_sea_2022", "--runs", "16", "--seed", "1", "--rule", rule,
            "--jobs", jobs, "--out", str(out), "--no-progress", "-q",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert _russia_gives_way(out) == 0
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["rules"][1]["name"] == "Stubborn"
        assert manifest["rules"][1]["module"] == str(STUBBORN)
        assert "--rule" in manifest["command_line"]
        tables[jobs] = pd.read_parquet(out / "runs.parquet")
    pd.testing.assert_frame_equal(tables["1"], tables["2"])


@pytest.mark.cluster
@pytest.mark.slow
def test_brink_run_with_a_rule_on_a_local_dask_cluster(tmp_path):
    reference, out = tmp_path / "local", tmp_path / "dask"
    rule = f"RUS={STUBBORN}:Stubborn"
    common = ["run", "black_sea_2022", "--runs", "16", "--seed", "1", "--rule", rule, "-q"]
    assert brink(*common, "--out", str(reference)).returncode == 0
    done = brink(*common, "--out", str(out), "--local-cluster", "2")
    assert done.returncode == 0, done.stderr
    assert _russia_gives_way(out) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["executor"] == "Dask LocalCluster, 2 workers"
    for table in ("runs", "events"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(reference / f"{table}.parquet"),
            pd.read_parquet(out / f"{table}.parquet"),
        )


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ("Raises", "bad.py:7: Raises.choose: decision rule 'raises' raised ValueError: no idea"),
        ("Illegal", "decision rule 'Illegal' returned 'surrender' for RUS as challenger"),
        ("Missing", "bad.py has no 'Missing'"),
    ],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_rule_is_one_located_line_and_exit_2(tmp_path, rule, said, jobs):
    (tmp_path / "bad.py").write_text(BAD_RULES)
    done = brink(
        "run", "black_sea_2022", "--runs", "2", "--seed", "1", "--jobs", jobs, "-q",
        "--rule", f"RUS={tmp_path / 'bad.py'}:{rule}", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert done.returncode == 2
    assert said in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_brink_rules_lists_and_checks():
    listed = brink("rules")
    assert listed.returncode == 0
    assert "screening" in listed.stdout and "quantal" in listed.stdout
    checked = brink("rules", f"RUS={STUBBORN}:Stubborn")
    assert json.loads(checked.stdout)["name"] == "Stubborn"
    missing = brink("rules", "nosuch")
    assert missing.returncode == 2 and "'nosuch'" in missing.stderr


# ------------------------------------------------------------------ a rule as a sweep factor
def test_a_sweep_varies_the_rule(tmp_path):
    from brink.experiments.sweep.experiment import load_experiment
    from brink.experiments.sweep.factors import apply_factors
    from brink.experiments.sweep.run import run_sweep

    (tmp_path / "stubborn.py").write_text(STUBBORN.read_text())
    path = tmp_path / "compare.yaml"
    path.write_text(
        "scenario: black_sea_2022\nseed: 3\nreplications: 3\nhorizon: 60\n"
        "design: {kind: factorial}\n"
        "levers:\n  rules.RUS: {levels: [screening, stubborn.py:Stubborn]}\n"
    )
    experiment = load_experiment(path)
    (factor,) = experiment.factors
    assert factor.levels == ("screening", f"{(tmp_path / 'stubborn.py').resolve()}:Stubborn")
    targets = {factor.name: factor.target}
    changed, _ = apply_factors(
        experiment.scenario, scenario_params(experiment.scenario), {"rules.RUS": "quantal"}, targets
    )
    assert changed.rules == (RuleSpec("RUS", None, "quantal"),)
    result = run_sweep(experiment, tmp_path / "sweep", InProcess(), progress=False)
    assert result.complete and result.failed == 0
    rows = result.runs
    assert set(rows["rules.RUS"]) == set(factor.levels)
    manifest = json.loads((tmp_path / "sweep" / "manifest.json").read_text())
    assert manifest["factors"][0]["unit"] == "rule"
    recorded = manifest["factors"][0]["rules"]
    assert [record["name"] for record in recorded] == ["ScreeningRule", "Stubborn"]
    assert "sha256" in recorded[1] and recorded[1]["state"] == "RUS"


def test_a_sweep_rule_level_that_does_not_exist_is_located(tmp_path):
    from brink.experiments.sweep.experiment import load_experiment

    path = tmp_path / "compare.yaml"
    path.write_text(
        "scenario: black_sea_2022\nseed: 3\nreplications: 3\n"
        "design: {kind: factorial}\n"
        "levers:\n  rules.RUS: {levels: [screening, screenign]}\n"
    )
    with pytest.raises(BrinkInputError) as caught:
        load_experiment(path)
    assert "compare.yaml:6" in str(caught.value) and "did you mean 'screening'" in str(caught.value)


def test_without_rules_the_scenario_is_unchanged():
    scenario = load_scenario("black_sea_2022")
    assert with_rules(scenario, ()) is scenario
    assert replace(scenario, rules=()) == scenario


def test_the_api_takes_rules_and_records_them():
    import brink

    result = brink.run("black_sea_2022", runs=4, seed=1, rules=[f"RUS={STUBBORN}:Stubborn"])
    assert f"rules=['RUS={STUBBORN}:Stubborn']" in result.manifest["call"]
    assert result.manifest["rules"][1]["name"] == "Stubborn"
    events = result.tables["events"]
    assert not set(events[events.actor == "RUS"].action) & GIVING_WAY
    with pytest.raises(BrinkInputError) as caught:
        brink.run("black_sea_2022", runs=2, rules=["XUS=quantal"])
    assert "did you mean 'USA'" in str(caught.value)


def test_the_built_ins_by_name_and_by_number_agree():
    from brink.agents.rules import RULES
    from brink.scenarios.rule_loader import BUILT_IN, BY_NUMBER

    for number, rule in RULES.items():
        assert BY_NUMBER[number] == rule.name
        assert BUILT_IN[rule.name] == f"{rule.__module__}:{rule.__name__}"

"""The scenario loader: what a good file becomes, and the exact place of each kind of mistake."""

from __future__ import annotations

import re

import pytest

from brink.errors import BrinkInputError
from brink.scenarios import spec
from brink.scenarios.datasets import nmc_record
from brink.scenarios.loader import load_scenario, load_scenario_text, resolve_scenario_path
from brink.scenarios.located_yaml import MAX_BYTES, MAX_DEPTH

BASE = """\
name: test_crisis
description: A small crisis. It exercises every section.
start: 2022-01-17
horizon: 60
parameters:
  precision: 8
capabilities: {source: cow-nmc, year: 2016}
states:
  RUS:
    name: Russia
    cow: 365
    regime: autocracy
    nuclear: true
    capital: [55.76, 37.62]
    resolve: {mean: 0.6, spread: 0.1}
  EST:
    name: Estonia
    cow: 366
    regime: democracy
    capital: [59.44, 24.75]
    troops: 7.5
    resolve: {low: 0.2, high: 0.9}
  GBR:
    name: United Kingdom
    regime: democracy
    nuclear: true
    capital: [51.51, -0.13]
    capability: 0.013
    troops: 150
    resolve: {fixed: 0.55}
    trade: {RUS: 0.004}
alliances:
  NATO:
    name: North Atlantic Treaty Organization
    kind: defense
    leader: GBR
    members: {GBR: 1949, EST: 2004}
perceptions:
  - {observer: EST, subject: RUS, mean: 0.7, strength: 10}
  - {observer: RUS, subject: GBR, alpha: 2, beta: 3}
deployments:
  tripwire:
    owner: GBR
    host: EST
    troops: 0.9
demands:
  baltic:
    by: RUS
    on: NATO
    issue: withdraw allied troops from Estonia
    size: 0.8
    stakes: {challenger: 0.6, target: 0.9}
    deadline: 2022-02-16
    theatre: EST
sanctions:
  threat:
    senders: [GBR]
    target: RUS
    severity: 0.3
    if: {actor: RUS, uses_force_against: EST}
timeline:
  - date: 2022-01-20
    statement: {by: GBR, dispute: baltic, ties_hands: true, text: we stand by Estonia}
  - day: 2
    deploy: {id: more, owner: GBR, host: EST, troops: 0.5}
  - day: 10
    withdraw: more
  - day: 5
    offer: {by: EST, dispute: baltic, share: 0.2}
  - day: 6
    talks: {dispute: baltic, between: [GBR, RUS]}
  - day: 7
    impose: threat
  - day: 8
    lift: threat
  - day: 9
    threaten:
      id: second
      senders: [EST]
      target: RUS
      severity: 0.1
      if: {actor: RUS, uses_force_against: GBR}
  - day: 9
    demand: {id: later, by: RUS, on: EST, issue: more, size: 0.3}
  - day: 11
    impose: {id: fresh, senders: [GBR], target: RUS, severity: 0.2}
arms_races:
  - rivals: [RUS, GBR]
    reaction: [0.9, 0.8]
    fatigue: [0.2, 0.3]
    grievance: [0.1, -0.05]
"""


def load(text: str) -> spec.Scenario:
    return load_scenario_text(text, file="x.yaml")


def place(text: str, needle: str, nth: int = 0) -> str:
    """``x.yaml:LINE:COL`` of the ``nth`` occurrence of ``needle``, found independently."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"x.yaml:{line}:{column}"


def error_of(text: str) -> str:
    with pytest.raises(BrinkInputError) as caught:
        load(text)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_base_scenario_maps_onto_the_data_model():
    scenario = load(BASE)
    assert scenario.name == "test_crisis"
    assert scenario.start_date == "2022-01-17"
    assert scenario.horizon == 60
    assert scenario.parameters == {"precision": 8.0}
    russia = scenario.states["RUS"]
    row = nmc_record(365, 2016)
    assert russia.capability == pytest.approx(row["cinc"])
    assert russia.troops == pytest.approx(row["milper"])
    assert russia.nuclear and russia.regime == "autocracy"
    assert russia.resolve == spec.ResolveSpec(mean=0.6, spread=0.1)
    estonia = scenario.states["EST"]
    assert estonia.troops == 7.5  # given, so NMC does not replace it
    assert estonia.capability == pytest.approx(nmc_record(366, 2016)["cinc"])
    assert estonia.resolve.distribution == "uniform"
    assert (estonia.resolve.low, estonia.resolve.high) == (0.2, 0.9)
    assert scenario.states["GBR"].resolve.distribution == "fixed"
    assert scenario.states["GBR"].ccode is None
    assert scenario.states["GBR"].trade == {"RUS": 0.004}
    nato = scenario.alliances["NATO"]
    assert nato.members == (spec.Membership("GBR", 1949), spec.Membership("EST", 2004))
    assert nato.leader == "GBR" and nato.kind == "defense" and nato.reliability is None
    assert scenario.perceptions == (
        spec.PerceptionSpec("EST", "RUS", alpha=pytest.approx(7.0), beta=pytest.approx(3.0)),
        spec.PerceptionSpec("RUS", "GBR", alpha=2.0, beta=3.0),
    )
    assert scenario.deployments == (spec.DeploymentSpec("tripwire", "GBR", "EST", 0.9),)


def test_demands_sanctions_and_dates_become_days():
    scenario = load(BASE)
    baltic, later = scenario.demands
    assert (baltic.id, baltic.on, baltic.theatre, baltic.day) == ("baltic", "NATO", "EST", 0)
    assert baltic.deadline == 30  # 2022-02-16 is 30 days after 2022-01-17
    assert (baltic.stakes_challenger, baltic.stakes_target) == (0.6, 0.9)
    assert baltic.ultimatum.information == "private" and baltic.public
    assert (later.id, later.day, later.on) == ("later", 9, "EST")
    threat, second, fresh = scenario.sanctions
    assert (threat.trigger_actor, threat.trigger_against, threat.day) == ("RUS", "EST", 0)
    assert (second.day, second.trigger_against) == (9, "GBR")
    assert (fresh.day, fresh.trigger_actor, fresh.severity) == (11, None, 0.2)


def test_timeline_is_sorted_by_day_and_keeps_every_field():
    events = load(BASE).events
    assert [(e.day, e.kind) for e in events] == [
        (2, "deploy"),
        (3, "statement"),
        (5, "offer"),
        (6, "talks"),
        (7, "impose"),
        (8, "lift"),
        (10, "withdraw"),
    ]
    deploy, statement, offer, talks, impose, lift, withdraw = events
    assert (deploy.actor, deploy.target, deploy.troops, deploy.ref) == ("GBR", "EST", 0.5, "more")
    assert statement.ties_hands and statement.dispute == "baltic"
    assert statement.text == "we stand by Estonia"
    assert (offer.actor, offer.share) == ("EST", 0.2)
    assert (talks.actor, talks.target) == ("GBR", "RUS")
    assert impose.ref == lift.ref == "threat"
    assert withdraw.ref == "more"


def test_arms_race():
    (race,) = load(BASE).arms_races
    assert race.rivals == ("RUS", "GBR")
    assert race.grievance == (0.1, -0.05)


def test_weekly_steps_count_dates_in_weeks():
    text = BASE.replace("horizon: 60", "step: week\nhorizon: 60")
    scenario = load(text)
    assert scenario.step == "week"
    assert scenario.demands[0].deadline == 5  # 30 days: within the fifth week
    statement = scenario.events[0]  # 2022-01-20, three days in: the first week
    assert (statement.kind, statement.day) == ("statement", 1)


def test_bundled_names_resolve():
    assert resolve_scenario_path("black_sea_2022").name == "black_sea_2022.yaml"
    path = resolve_scenario_path("classics/fearon_ultimatum")
    assert path.parent.name == "classics"
    assert load_scenario("classics/fearon_ultimatum").name == "classics/fearon_ultimatum"


def test_unknown_bundled_name_suggests_the_nearest():
    with pytest.raises(BrinkInputError, match="did you mean 'black_sea_2022'"):
        resolve_scenario_path("black_see_2022")


# -- each kind of mistake, at its exact place --


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "resolve: {mean: 0.6, spread: 0.1}",
            "resolve: {mean: 1.4, spread: 0.1}",
            "1.4",
            "states.RUS.resolve.mean: 1.4 is above 1 (a probability, 0–1)",
        ),
        (
            "    regime: autocracy",
            "    regim: autocracy",
            "regim:",
            "states.RUS.regim: unknown key 'regim' (did you mean 'regime'?)",
        ),
        (
            "regime: autocracy",
            "regime: autocrazy",
            "autocrazy",
            "states.RUS.regime: 'autocrazy' is not one of democracy, anocracy, autocracy "
            "(did you mean 'autocracy'?)",
        ),
        (
            "horizon: 60",
            "horizon: 60\nhorizon: 90",
            "horizon: 90",
            "horizon: duplicate key 'horizon' (first given on line 4)",
        ),
        (
            "on: NATO",
            "on: NATU",
            "NATU",
            "demands.baltic.on: 'NATU' is not a declared state or alliance (did you mean 'NATO'?)",
        ),
        (
            "withdraw: more",
            "withdraw: morex",
            "morex",
            "timeline[2].withdraw: 'morex' is not a declared deployment (did you mean 'more'?)",
        ),
        (
            "impose: threat",
            "impose: treat",
            "treat",
            "timeline[5].impose: 'treat' is not a declared sanction (did you mean 'threat'?)",
        ),
        (
            "members: {GBR: 1949, EST: 2004}",
            "members: {GBR: 1949, ESP: 2004}",
            "ESP",
            "alliances.NATO.members.ESP: 'ESP' is not a declared state (did you mean 'EST'?)",
        ),
        (
            "precision: 8",
            "precisio: 8",
            "precisio",
            "parameters.precisio: unknown parameter 'precisio' (did you mean 'precision'?)",
        ),
        (
            "precision: 8",
            "precision: 500",
            "500",
            "parameters.precision: 500 is above 200",
        ),
        (
            "troops: 7.5",
            "troops: many",
            "many",
            "states.EST.troops: 'many' is not a number (thousands of troops, 0–20000)",
        ),
        (
            "nuclear: true\n    capital: [55.76",
            "nuclear: 1\n    capital: [55.76",
            "1\n",
            "states.RUS.nuclear: '1' is not true or false",
        ),
        (
            "start: 2022-01-17",
            "start: 2022-02-30",
            "2022-02-30",
            "start: cannot read '2022-02-30': day is out of range for month",
        ),
        (
            "resolve: {mean: 0.6, spread: 0.1}",
            "resolve: {mean: 0.9, spread: 0.35}",
            "0.35",
            "states.RUS.resolve.spread: spread 0.35 is too wide for mean 0.9",
        ),
        (
            "resolve: {low: 0.2, high: 0.9}",
            "resolve: {low: 0.2, mean: 0.5}",
            "mean: 0.5",
            "states.EST.resolve.mean: 'mean' cannot be given with 'low'",
        ),
        (
            "    withdraw: more",
            "    withdraw: more\n    lift: threat",
            "lift: threat\n  - day: 5",
            "timeline[2].lift: 'lift' cannot be given with 'withdraw': one action per entry",
        ),
        (
            "deadline: 2022-02-16",
            "deadline: 2022-05-16",
            "2022-05-16",
            "demands.baltic.deadline: day 119 is after the horizon (60 steps from 2022-01-17)",
        ),
        (
            "  - day: 5\n",
            "  - day: 0\n",
            "0\n    offer",
            "timeline[3].day: this is day 0, the start or before; only a statement or a "
            "deployment may stand on day 0",
        ),
        (
            "  - day: 10\n    withdraw: more",
            "  - day: 1\n    withdraw: more",
            "more\n  - day: 5",
            "timeline[2].withdraw: 'more' is only declared on day 2, after this day 1",
        ),
        (
            "  - day: 5\n    offer: {by: EST, dispute: baltic",
            "  - day: 12\n    offer: {by: GBR, dispute: later",
            "GBR, dispute: later",
            "timeline[3].offer.by: 'GBR' is not a party to 'later' (RUS against EST)",
        ),
        (
            "  - day: 5\n    offer: {by: EST, dispute: baltic",
            "  - day: 5\n    offer: {by: EST, dispute: later",
            "later, share",
            "timeline[3].offer.dispute: demand 'later' is only made on day 9, after this day 5",
        ),
        (
            "leader: GBR",
            "leader: RUS",
            "RUS\n    members",
            "alliances.NATO.leader: leader 'RUS' is not a member",
        ),
        (
            "by: RUS\n    on: NATO",
            "by: EST\n    on: NATO",
            "NATO\n    issue",
            "demands.baltic.on: 'EST' is a member of NATO, the alliance it makes a demand on",
        ),
        (
            "senders: [GBR]\n    target: RUS",
            "senders: [RUS]\n    target: RUS",
            "[RUS]\n    target",
            "sanctions.threat.senders: 'RUS' cannot sanction itself",
        ),
        (
            "capabilities: {source: cow-nmc, year: 2016}",
            "capabilities: {source: cow-nmc, year: 2017}",
            "2017",
            "capabilities.year: 2017 is above 2016 (a year of NMC v6.0",
        ),
        (
            "capabilities: {source: cow-nmc, year: 2016}",
            "capabilities: {source: cow-nmc, year: 1950}",
            "366",  # Estonia, absorbed by the Soviet Union 1940–1991
            "states.EST.cow: COW code 366 has no NMC record for 1950 (it has 1918–2016)",
        ),
        (
            "    cow: 365\n",
            "    cow: 3\n",  # no state has COW number 3
            "3\n",
            "states.RUS.cow: COW code 3 is not in the NMC data (cow-nmc-v6.csv)",
        ),
        (
            "    cow: 365\n",
            "    cow: 403\n",  # São Tomé and Príncipe: NMC codes its 2016 personnel -9, missing
            "name: Russia",
            "states.RUS: NMC has no milper for COW 403 in 2016; give troops",
        ),
        (
            "    capability: 0.013\n",
            "",
            "name: United Kingdom",
            "states.GBR: missing key 'capability': give it, or a `cow` code",
        ),
        (
            "description: A small crisis. It exercises every section.\n",
            "",
            "name: test_crisis",
            "missing key 'description'",
        ),
        (
            "precision: 8",
            "precision: 8\n  step_days: 7",
            "7\ncapabilities",
            "parameters.step_days: step_days 7 contradicts step: day; give the step once",
        ),
        (
            "precision: 8",
            "precision: 8\n  horizon: 90",
            "90",
            "parameters.horizon: horizon 90 contradicts the scenario's horizon 60",
        ),
        (
            "deadline: 2022-02-16",
            "deadline: 2.5",
            "2.5",
            "demands.baltic.deadline: 2.5 is not a whole number (a day number",
        ),
        (
            "rivals: [RUS, GBR]",
            "rivals: [RUS, GBR, EST]",
            "[RUS, GBR, EST]",
            "arms_races[0].rivals: has 3 items, expected exactly 2",
        ),
        (
            "horizon: 60",
            "horizon: !!python/object/apply:os.system ['true']",
            "!!python",
            "tag !!python/object/apply:os.system is not allowed",
        ),
        (
            "horizon: 60",
            "horizon: !days 60",
            "!days",
            "tag !days is not allowed",
        ),
        (
            "states:\n  RUS:",
            "states:\n  Rus:",
            "Rus:",
            "states.Rus: 'Rus' is not a state code, three capital letters",
        ),
        (
            "  - {observer: RUS, subject: GBR, alpha: 2, beta: 3}",
            "  - {observer: RUS, subject: GBR, alpha: 2, mean: 0.3}",
            "mean: 0.3",
            "perceptions[1].mean: 'mean' cannot be given with 'alpha'",
        ),
        (
            "  GBR:\n    name: United Kingdom",
            "  GBR:\n    name:",
            "name:\n    regime: democracy\n    nuclear: true\n    capital: [51",
            "states.GBR.name: no value given (expected text)",
        ),
    ],
)
def test_each_mistake_is_located_exactly(old, new, needle, message):
    assert BASE.count(old) == 1
    text = BASE.replace(old, new)
    where = place(text, needle) if needle != "name: test_crisis" else "x.yaml:1:1"
    error = error_of(text)
    assert error.startswith(f"{where}: "), error
    assert message in error


def test_typo_in_a_timeline_action_names_the_nearest():
    text = BASE.replace("talks: {dispute", "tlaks: {dispute")
    error = error_of(text)
    assert error.startswith(place(text, "tlaks"))
    assert "did you mean 'talks'" in error


def test_missing_required_key_points_at_its_record():
    text = BASE.replace("    issue: withdraw allied troops from Estonia\n", "")
    error = error_of(text)
    assert error.startswith(place(text, "by: RUS\n    on: NATO") + ": demands.baltic: ")
    assert "missing key 'issue'" in error


# -- files that are not scenarios at all --


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", "x.yaml:1:1", "the file is empty"),
        ("# only a comment\n", "x.yaml:1:1", "the file is empty"),
        ("- a\n- b\n", "x.yaml:1:1", "got a list, expected a mapping"),
        ("just text\n", "x.yaml:1:1", "got a single value 'just text', expected a mapping"),
        ("a: [1, 2\n", "x.yaml:2:1", "not valid YAML"),
        ("a: 1\n---\nb: 2\n", "x.yaml:2:1", "expected a single document"),
        ("a: 1\n\tb: 2\n", "x.yaml:2:1", "not valid YAML"),
        ('a: "\x00"\n', "x.yaml:1:5", "character U+0000 is not allowed"),
        ("a: &x [*x]\n", "x.yaml:1:4", "an alias refers to a mapping or list that contains it"),
        ("a: *nowhere\n", "x.yaml:1:4", "not valid YAML: found undefined alias 'nowhere'"),
        ("a: &x {k: 1}\nb:\n  <<: *x\n", "x.yaml:3:3", "merge keys (<<) are not supported"),
        ("? [a, b]\n: 1\n", "x.yaml:1:3", "a key must be a name, got a list"),
    ],
)
def test_not_a_scenario(text, where, message):
    error = error_of(text)
    assert error.startswith(where + ": "), error
    assert message in error


def test_non_utf8_bytes_are_located():
    data = b"description: ok\nstart: 2022-01-17\nname: k\xe9\n"
    with pytest.raises(BrinkInputError) as caught:
        load_scenario_text(data, file="x.yaml")
    assert str(caught.value).startswith("x.yaml:3:8: not UTF-8 text (byte 0xe9)")


def test_utf8_bom_is_accepted():
    assert load_scenario_text(("\ufeff" + BASE).encode(), file="x.yaml").name == "test_crisis"


def test_deep_nesting_fails_before_the_composer_recurses():
    error = error_of("a: " + "[" * 5000 + "]" * 5000 + "\n")
    # The top-level mapping is the first level, so the 32nd bracket is one too many.
    assert error.startswith(f"x.yaml:1:{3 + MAX_DEPTH}: nested more than {MAX_DEPTH} levels")


def test_nesting_through_aliases_is_bounded():
    lines = ["a0: &a0 " + "[" * 20 + "1" + "]" * 20]
    lines += [f"a{i}: &a{i} " + "[" * 20 + f"*a{i - 1}" + "]" * 20 for i in range(1, 4)]
    error = error_of("\n".join(lines) + "\n")
    assert re.match(r"x\.yaml:\d+:\d+: nested more than 32 levels deep \(aliases expanded\)", error)


def test_billion_laughs_is_refused():
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    error = error_of("\n".join(lines) + "\n")
    assert re.match(r"x\.yaml:\d+:\d+: expands to more than 100,000 values", error)


def test_huge_file_is_refused_by_size(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(BrinkInputError, match=r"huge\.yaml: file is [\d,]+ bytes"):
        load_scenario(path)


def test_huge_number_is_refused():
    error = error_of(BASE.replace("horizon: 60", "horizon: " + "9" * 5000))
    assert error.startswith("x.yaml:4:10: horizon: cannot read")
    assert "too many digits" in error


def test_exponent_without_a_dot_is_a_number():
    # YAML 1.1 (PyYAML) reads `13e-3` as a string; a scenario author means a number.
    scenario = load_scenario_text(
        BASE.replace("capability: 0.013", "capability: 13e-3"), file="x.yaml"
    )
    assert scenario.states["GBR"].capability == pytest.approx(0.013)
    quoted = BASE.replace("capability: 0.013", "capability: '13e-3'")
    with pytest.raises(BrinkInputError, match="is not a number"):
        load_scenario_text(quoted, file="x.yaml")

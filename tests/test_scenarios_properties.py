"""Property tests: any document either loads or fails with one located line, never otherwise.

Generated inputs: arbitrary text, arbitrary YAML documents built from the scenario vocabulary,
and mutations of a valid scenario (deleted keys, wrong types, out-of-range numbers, typos).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scenarios_loader import BASE  # tests/ is on sys.path (pytest prepend)

from brink.errors import BrinkInputError
from brink.scenarios import spec
from brink.scenarios.document_keys import records
from brink.scenarios.loader import load_scenario_text

LOCATED = re.compile(r"^x\.yaml:\d+:\d+: \S")
# BRINK_SCENARIO_EXAMPLES=5000 runs a longer hunt than the suite's default.
SETTINGS = settings(
    max_examples=int(os.environ.get("BRINK_SCENARIO_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

VOCABULARY = sorted(
    {key.name for record in records() for key in record.keys}
    | {"RUS", "EST", "GBR", "NATO", "baltic", "threat", "tripwire", "more"}
)


def outcome(text: str | bytes) -> spec.Scenario | str:
    """The loaded scenario, or the error's line; any other exception fails the test."""
    try:
        return load_scenario_text(text, file="x.yaml")
    except BrinkInputError as error:
        message = str(error)
        assert LOCATED.match(message), message
        assert "\n" not in message
        return message


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(VOCABULARY),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(VOCABULARY) | st.text(max_size=6), inner, max_size=5),
    ),
    max_leaves=40,
)


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_loads_or_fails_located(text):
    outcome(text)


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_load_or_fail_located(data):
    outcome(data)


@SETTINGS
@given(documents)
def test_any_yaml_document_loads_or_fails_located(document):
    outcome(yaml.safe_dump(document, allow_unicode=True))


# -- mutations of a valid scenario --


class TextKeyLoader(yaml.SafeLoader):
    """Reads keys as the loader does, as text: ``on:`` stays "on", not YAML 1.1's True."""

    def construct_mapping(self, node, deep=False):
        return {
            (key.value if isinstance(key, yaml.ScalarNode) else self.construct_object(key)): (
                self.construct_object(value, deep=True)
            )
            for key, value in node.value
        }


BASE_DATA = yaml.load(BASE, Loader=TextKeyLoader)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in a nested structure of dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = paths(BASE_DATA)
WRONG_VALUES = st.one_of(
    scalars,
    st.just([]),
    st.just({}),
    st.just([1, 2, 3]),
    st.just({"unknown": 1}),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda x: x * 10),
    st.sampled_from([-1, 0, 1.5, 2, 1e9, -0.0, 0.5, 7, 2000]),
)


def parent_of(data: Any, path: tuple) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def typo(word: str, position: int) -> str:
    if not word:
        return "x"
    position %= len(word)
    return word[:position] + word[position + 1 :] if len(word) > 1 else word + "x"


mutations = st.lists(
    st.tuples(
        st.sampled_from(["delete", "replace", "rename"]),
        st.sampled_from(ALL_PATHS),
        WRONG_VALUES,
        st.integers(min_value=0, max_value=20),
    ),
    min_size=1,
    max_size=3,
)


def mutate(data: Any, steps: list) -> Any:
    data = copy.deepcopy(data)
    for action, path, value, position in steps:
        try:
            parent = parent_of(data, path)
            key = path[-1]
            parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = value
        elif isinstance(parent, dict) and isinstance(key, str):
            parent[typo(key, position)] = parent.pop(key)
    return data


@SETTINGS
@given(mutations)
def test_mutated_scenario_loads_or_fails_located(steps):
    result = outcome(yaml.safe_dump(mutate(BASE_DATA, steps), allow_unicode=True))
    if isinstance(result, spec.Scenario):
        assert set(result.states) <= set(BASE_DATA["states"]) | {"x"}


@SETTINGS
@given(st.sampled_from(ALL_PATHS), st.integers(min_value=0, max_value=20))
def test_a_typo_in_any_key_is_an_error_naming_the_key(path, position):
    key = path[-1]
    parent = parent_of(BASE_DATA, path)
    # Keys the user names (state codes, ids, parameters) are not fixed vocabulary.
    fixed = isinstance(key, str) and key in VOCABULARY and not key.isupper()
    user_named = len(path) >= 2 and path[-2] in (
        "states",
        "alliances",
        "deployments",
        "demands",
        "sanctions",
        "members",
        "trade",
        "parameters",
    )
    if not fixed or user_named or not isinstance(parent, dict):
        return
    wrong = typo(key, position)
    data = mutate(BASE_DATA, [("rename", path, None, position)])
    message = outcome(yaml.safe_dump(data, allow_unicode=True))
    assert isinstance(message, str)
    assert f"'{wrong}'" in message or "missing key" in message


def test_the_unmutated_base_loads():
    assert isinstance(outcome(yaml.safe_dump(BASE_DATA)), spec.Scenario)


# -- what loads is what was written --


@SETTINGS
@given(
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=0.001, max_value=0.5),
)
def test_beta_resolve_loads_exactly_when_feasible(mean, spread):
    text = BASE.replace(
        "resolve: {mean: 0.6, spread: 0.1}", f"resolve: {{mean: {mean!r}, spread: {spread!r}}}"
    )
    result = outcome(text)
    if spread**2 < mean * (1 - mean):
        assert isinstance(result, spec.Scenario), result
        assert result.states["RUS"].resolve == spec.ResolveSpec(mean=mean, spread=spread)
    else:
        assert isinstance(result, str) and "too wide" in result


@SETTINGS
@given(st.integers(min_value=1, max_value=400), st.sampled_from(["day", "week"]))
def test_a_date_becomes_the_first_step_on_or_after_it(offset, step):
    start = dt.date(2022, 1, 17)
    date = start + dt.timedelta(days=offset)
    text = BASE.replace("horizon: 60", f"step: {step}\nhorizon: 3650").replace(
        "  - date: 2022-01-20\n", f"  - date: {date.isoformat()}\n"
    )
    scenario = outcome(text)
    assert isinstance(scenario, spec.Scenario), scenario
    step_days = 7 if step == "week" else 1
    (statement,) = [e for e in scenario.events if e.kind == "statement"]
    assert (statement.day - 1) * step_days < offset <= statement.day * step_days

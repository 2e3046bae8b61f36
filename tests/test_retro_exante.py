"""Cases hold only what was known at the onset (docs/onset.md): later joiners and outcomes are
what happened, never input, and the case builder reads only the fields the docs list."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from brink.experiments.retrodiction.cases import ONSET_FIELDS, OUTCOME_FIELDS, build_cases
from brink.experiments.retrodiction.codes import major_powers
from brink.experiments.retrodiction.data import Records, read_records
from brink.scenarios.datasets import DATA_DIR

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
ICB = DATA_DIR / "icb-v14-actors.pre1990.csv"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "onset.md"


def _inputs(case) -> tuple:
    """What a case gives the model and the baselines (not what happened, not its file line)."""
    return (
        case.scenario,
        case.challenger,
        case.target,
        case.issue,
        case.covariates,
        case.third_states,
    )


def _by_id(cases) -> dict:
    return {case.case_id: case for case in cases}


@pytest.fixture(scope="module")
def mid_cases():
    return build_cases(read_records(MID))


@pytest.fixture(scope="module")
def icb_cases():
    return build_cases(read_records(ICB))


def _without_mid_joiners(frame: pd.DataFrame) -> pd.DataFrame:
    """The raw MID rows less every row of a state that did not originate its dispute."""
    originators: set[tuple[str, str]] = set()
    for first in ("1", "2"):
        began = frame[frame[f"orig{first}"] == "1"]
        originators |= set(zip(began.dispnum, began[f"ccode{first}"], strict=True))
    keep = [
        (d, a) in originators and (d, b) in originators
        for d, a, b in zip(frame.dispnum, frame.ccode1, frame.ccode2, strict=True)
    ]
    return frame[keep]


def _without_icb_joiners(frame: pd.DataFrame) -> pd.DataFrame:
    """The raw ICB rows less every actor whose own crisis began after the crisis's first."""
    day = pd.to_numeric(frame.datrig, errors="coerce")
    day = day.where((day >= 1) & (day <= 31), 1)
    began = pd.to_numeric(frame.yrtrig) * 10_000 + pd.to_numeric(frame.motrig) * 100 + day
    first = began.groupby(frame.crisno).transform("min")
    return frame[began == first]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "fixture", "remove"),
    [(MID, "mid_cases", _without_mid_joiners), (ICB, "icb_cases", _without_icb_joiners)],
)
def test_removing_later_joiners_changes_no_case(source, fixture, remove, tmp_path, request):
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    lean = remove(raw)
    assert 0 < len(lean) < len(raw)  # there were later joiners to remove
    path = tmp_path / source.name
    lean.to_csv(path, index=False)
    cases, skipped = request.getfixturevalue(fixture)
    again, skipped_again = build_cases(read_records(path))
    assert [c.case_id for c in again] == [c.case_id for c in cases]
    assert [s.case_id for s in skipped_again] == [s.case_id for s in skipped]
    before, after = _by_id(cases), _by_id(again)
    changed = [key for key in before if _inputs(before[key]) != _inputs(after[key])]
    assert changed == []


@pytest.mark.slow
def test_what_happened_is_never_input(mid_cases, icb_cases):
    """Scrambling every field read as what happened changes no scenario or covariate."""
    rng = np.random.default_rng(0)
    for source, (cases, _) in ((MID, mid_cases), (ICB, icb_cases)):
        records = read_records(source)
        frame = records.frame.copy()
        for field in OUTCOME_FIELDS[records.format]:
            scrambled = rng.permutation(frame[field].to_numpy())
            # A level stays a level and a violence a violence, so no case is skipped for it.
            frame[field] = scrambled
        again, _ = build_cases(Records(records.path, records.format, frame))
        before, after = _by_id(cases), _by_id(again)
        assert list(after) == list(before)
        assert [k for k in before if _inputs(before[k]) != _inputs(after[k])] == []
        # ... while what happened did change: the scramble reached the builder.
        assert any(before[k].war != after[k].war for k in before)


@pytest.mark.slow
def test_the_builder_reads_only_the_listed_fields(mid_cases, icb_cases):
    """Built from the listed fields alone (and the reader's line and problem columns), every case
    is the same: a builder that reads any other field fails here (a KeyError, or a difference
    where it tests whether a column is present)."""
    for source, (cases, skipped) in ((MID, mid_cases), (ICB, icb_cases)):
        records = read_records(source)
        listed = [*ONSET_FIELDS[records.format], *OUTCOME_FIELDS[records.format]]
        frame = records.frame[["line", *listed, "problem"]]
        assert len(frame.columns) < len(records.frame.columns)  # something was taken away
        lean, lean_skipped = build_cases(Records(records.path, records.format, frame))
        assert lean == cases
        assert lean_skipped == skipped


def test_the_docs_list_exactly_the_fields_read():
    text = DOCS.read_text()
    rows = re.findall(
        r"^\| (MID dyadic|ICB actor) \| `(\w+)` \| (input|what happened) \|", text, re.M
    )
    formats = {"MID dyadic": "mid-dyadic", "ICB actor": "icb-actor"}
    documented = {(formats[f], field, kind) for f, field, kind in rows}
    expected = {
        (fmt, field, "input") for fmt, fields in ONSET_FIELDS.items() for field in fields
    } | {
        (fmt, field, "what happened") for fmt, fields in OUTCOME_FIELDS.items() for field in fields
    }
    assert documented == expected
    assert len(rows) == len(expected)


def test_third_states_come_from_onset_rules(mid_cases):
    cases = {case.key: case for case in mid_cases[0]}
    rules = {"originator", "ally", "contiguous", "major power"}
    for case in cases.values():
        assert set(case.third_states) == set(case.scenario.states) - {case.challenger, case.target}
        assert all(set(r.split("; ")) <= rules for r in case.third_states.values())
    assert "major power" in cases[3630].third_states["USA"]  # Falklands: the US, ally and major
    assert "ally" in cases[3630].third_states["USA"]
    assert 2 in major_powers(1898) and 2 not in major_powers(1897)
    assert 255 not in major_powers(1950) and 255 in major_powers(1991)
    assert 710 in major_powers(1950) and 710 not in major_powers(1949)


def test_the_rules_cover_most_of_those_who_fought(mid_cases):
    """Not a target to tune to: a guard that the onset rules are not blind to who joins."""
    cases = mid_cases[0]
    fought = [(case, code) for case in cases for code in case.fought]
    covered = sum(code in case.third_states for case, code in fought)
    assert len(fought) > 200
    assert covered / len(fought) > 0.5

"""A case's rivalry: the dyad's militarised disputes begun before the case, known at its onset."""

import math

import pandas as pd

from brink.experiments.retrodiction.cases import build_cases
from brink.experiments.retrodiction.data import (
    MID_HISTORY_FILE,
    dyad_onsets,
    earlier_disputes,
    read_records,
)


def _direct_count(first: int, second: int, when: float, exclude: int = -1) -> int:
    """The same count written straight from the MID file, by a different route."""
    frame = pd.read_csv(MID_HISTORY_FILE)
    dyad = frame[
        ((frame.ccode1 == first) & (frame.ccode2 == second))
        | ((frame.ccode1 == second) & (frame.ccode2 == first))
    ]
    starts = dyad.assign(when=dyad.year + (dyad.stmon.clip(1, 12) - 1) / 12).groupby("dispnum")
    onset = starts["when"].min()
    return int(((onset < when) & (onset.index != exclude)).sum())


def test_earlier_disputes_count_only_what_began_before_the_onset_in_either_order():
    # United States (2) and Russia/Soviet Union (365) before the Cuban missile crisis.
    october_1962 = 1962 + 9 / 12
    count = earlier_disputes(2, 365, october_1962)
    assert count == _direct_count(2, 365, october_1962)
    assert count > 5  # the Cold War rivalry was well under way
    assert earlier_disputes(365, 2, october_1962) == count  # a dyad has no order
    assert earlier_disputes(2, 365, 1900.0) <= earlier_disputes(2, 365, 1950.0) <= count
    assert earlier_disputes(2, 365, 1800.0) == 0


def test_a_record_file_adds_its_own_disputes_once_and_a_case_never_counts_itself():
    when = 1995.0
    shipped = earlier_disputes(2, 365, when)
    extra_rows = pd.DataFrame(
        {
            # dispute 99001 begins in 1992 (two rows: two years), 99002 in 1996 (after the case)
            "dispnum": [99001, 99001, 99002],
            "ccode1": [365, 365, 2],
            "ccode2": [2, 2, 365],
            "year": [1992, 1993, 1996],
            "stmon": [5, 5, 1],
        }
    )
    extra = dyad_onsets(extra_rows)
    assert extra[frozenset((2, 365))] == {99001: 1992 + 4 / 12, 99002: 1996.0}
    assert earlier_disputes(2, 365, when, extra=extra) == shipped + 1
    assert earlier_disputes(2, 365, when, extra=extra, exclude=99001) == shipped
    # A dispute in both the shipped record and the file is counted once.
    shipped_rows = pd.read_csv(MID_HISTORY_FILE)
    again = dyad_onsets(shipped_rows[(shipped_rows.ccode1 == 2) & (shipped_rows.ccode2 == 365)])
    assert earlier_disputes(2, 365, when, extra=again) == shipped


def test_cases_carry_the_rivalry_they_knew_at_onset():
    cases, _ = build_cases(read_records(MID_HISTORY_FILE), limit=400)
    assert any(case.scenario.demands[0].rivalry > 0 for case in cases)
    for case in cases[:60]:
        demand = case.scenario.demands[0]
        first, second = (case.scenario.states[c].ccode for c in (case.challenger, case.target))
        start = pd.Timestamp(case.scenario.start_date)
        when = start.year + (start.month - 1) / 12
        assert demand.rivalry == _direct_count(first, second, when, exclude=case.key)
        assert case.covariates["log_rivalry"] == math.log1p(demand.rivalry)


def test_rows_read_with_a_problem_add_no_earlier_dispute():
    rows = pd.DataFrame(
        {
            "dispnum": [1, 2],
            "ccode1": [2, 2.7],
            "ccode2": [365, 365],
            "year": [1950, float("inf")],
            "stmon": [3, 1],
            "problem": ["", "line 3: ccode1 2.7 is not a whole number"],
        }
    )
    assert dyad_onsets(rows) == {frozenset((2, 365)): {1: 1950 + 2 / 12}}

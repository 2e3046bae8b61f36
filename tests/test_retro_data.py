"""Readers of historical records: format recognised by columns, located errors, look-ups."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brink.errors import BrinkInputError
from brink.experiments.retrodiction.cases import build_cases
from brink.experiments.retrodiction.data import (
    capabilities,
    capital,
    pacts_in_force,
    read_records,
    recognise,
)
from brink.experiments.retrodiction.run import retrodict
from brink.scenarios.datasets import DATA_DIR

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
ICB = DATA_DIR / "icb-v14-actors.pre1990.csv"
ICB_SYSTEM = DATA_DIR / "icb-v14-crises.pre1990.csv"


def _subset(source: Path, target: Path, rows: int, columns: list[str] | None = None) -> Path:
    frame = pd.read_csv(source, dtype=str, keep_default_na=False).head(rows)
    if columns is not None:
        frame = frame[columns]
    frame.to_csv(target, index=False)
    return target


def test_bundled_files_are_recognised_with_their_lines():
    mid = read_records(MID)
    icb = read_records(ICB)
    assert mid.format == "mid-dyadic"
    assert icb.format == "icb-actor"
    assert len(mid.frame) == 7986
    assert mid.frame["dispnum"].nunique() == 1638
    assert icb.frame["crisno"].nunique() == 391
    # line numbers are file lines: the header is line 1
    assert mid.frame["line"].iloc[0] == 2
    assert mid.frame["line"].iloc[-1] == 7987


def test_recognition_uses_columns_not_names_or_order(tmp_path):
    header = list(pd.read_csv(MID, nrows=0).columns)
    shuffled = list(reversed(header))
    path = _subset(MID, tmp_path / "whatever.txt", 12, shuffled)
    records = read_records(path)
    assert records.format == "mid-dyadic"
    assert records.frame["dispnum"].iloc[0] == 2
    assert records.frame["hostlev"].iloc[0] == 3


def test_unknown_format_is_a_located_error(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("team,points\nA,3\n")
    with pytest.raises(BrinkInputError) as error:
        read_records(path)
    message = str(error.value)
    assert message.startswith(f"{path}:1:")
    assert "no known record format" in message
    assert "lacks" in message


def test_a_near_miss_names_the_missing_columns(tmp_path):
    header = [c for c in pd.read_csv(ICB, nrows=0).columns if c != "trigent"]
    path = _subset(ICB, tmp_path / "icb.csv", 5, header)
    with pytest.raises(BrinkInputError, match=r"ICB actor-level format it lacks trigent"):
        read_records(path)


def test_the_icb_system_file_gets_a_hint():
    with pytest.raises(BrinkInputError, match="system-level"):
        read_records(ICB_SYSTEM)


def test_a_cell_that_is_not_a_number_skips_its_case_with_line_and_reason(tmp_path):
    path = _subset(MID, tmp_path / "mid.csv", 12)
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("hostlev")
    rows[4][column] = "high"  # file line 5
    bad_dispute = int(rows[4][rows[0].index("dispnum")])
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    records = read_records(path)  # the file is read, not refused
    assert records.frame.loc[3, "problem"] == "line 5: hostlev 'high' is not a number"
    cases, skipped = build_cases(records)
    assert [(s.case_id, s.line, s.reason) for s in skipped] == [
        (f"MID {bad_dispute}", 5, "line 5: hostlev 'high' is not a number")
    ]
    disputes = set(records.frame["dispnum"])
    assert {case.key for case in cases} | {bad_dispute} == disputes  # the others still run


def test_icb_actor_rows_with_empty_fields_are_skipped_not_fatal(tmp_path):
    """Real ICB actor files have rows with empty fields (docs/style.md): a required one skips
    its crisis with the line and reason, an optional one is read as missing."""
    path = _subset(ICB, tmp_path / "icb.csv", 16)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["crisno"] == "7", "gravty"] = ""  # optional: missing, ICB 7 is still built
    frame.loc[4, "cracid"] = ""  # required: file line 6
    frame.loc[7, "crisno"] = " "  # the key itself: file line 9
    frame.loc[9, "viol"] = "n/a"  # file line 11
    frame.to_csv(path, index=False)
    records = read_records(path)
    assert records.frame["gravty"].isna().sum() == (frame["crisno"] == "7").sum() > 0
    cases, skipped = build_cases(records)
    reasons = {s.line: s.reason for s in skipped}
    assert reasons[6] == "line 6: cracid is empty (this column must hold a number)"
    assert reasons[9] == "line 9: crisno is empty (this column must hold a number)"
    assert reasons[11] == "line 11: viol 'n/a' is not a number"
    crisis_of = dict(zip(frame.index + 2, frame["crisno"], strict=True))
    lost = {int(crisis_of[line]) for line in (6, 11)}
    built = {case.key for case in cases}
    assert not built & lost and 7 in built


def test_retrodict_lists_a_bad_row_in_skipped_csv_and_runs_the_rest(tmp_path):
    path = _subset(MID, tmp_path / "mid.csv", 12)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "ccode2"] = ""  # file line 2
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    result = retrodict(path, runs=2, jobs=1, seed=1, out=out)
    skipped = pd.read_csv(out / "skipped.csv")
    first = skipped[skipped["line"] == 2]
    assert first["reason"].tolist() == ["line 2: ccode2 is empty (this column must hold a number)"]
    assert len(result.cases) >= 1 and len(pd.read_csv(out / "cases.csv")) == len(result.cases)


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(BrinkInputError, match=r"empty\.csv:1: the file is empty"):
        read_records(empty)
    header_only = _subset(MID, tmp_path / "header.csv", 0)
    with pytest.raises(BrinkInputError, match=r"header\.csv:2: .*no records"):
        read_records(header_only)
    with pytest.raises(BrinkInputError, match="no such file"):
        read_records(tmp_path / "absent.csv")


def test_recognise_prefers_the_closer_format():
    with pytest.raises(BrinkInputError, match="dyadic MID format it lacks outcome"):
        recognise(
            [
                *("dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2", "revstate1"),
                *("revtype11", "orig1", "orig2", "hostlev", "stmon"),  # no outcome
            ]
        )


def test_capitals_follow_moves():
    assert capital(365, 1900) == pytest.approx((59.93, 30.34))  # St Petersburg
    assert capital(365, 1950) == pytest.approx((55.76, 37.62))  # Moscow
    assert capital(640, 1922)[0] == pytest.approx(41.01)  # Istanbul
    assert capital(640, 1923)[0] == pytest.approx(39.93)  # Ankara
    assert capital(999, 1950) is None


def test_every_nmc_state_has_a_capital_for_each_of_its_years():
    frame = pd.read_csv(DATA_DIR / "cow-nmc-v6.csv")
    missing = [
        (row.ccode, row.year)
        for row in frame[["ccode", "year"]].itertuples(index=False)
        if capital(row.ccode, row.year) is None
    ]
    assert missing == []


def test_nato_is_a_defence_pact_in_force_in_1960_and_capabilities_match_nmc():
    nato = [p for p in pacts_in_force(2, 1960.0) if p.atopid == 3180]
    assert len(nato) == 1
    assert nato[0].kind == "defense"
    assert pacts_in_force(2, 1948.0) == [p for p in pacts_in_force(2, 1948.0) if p.atopid != 3180]
    usa = capabilities(2, 1816)
    assert usa.stateabb == "USA"
    assert usa.cinc == pytest.approx(0.039697491)
    assert usa.milper == 17
    assert capabilities(2, 1700) is None


_MID_HEADER = list(pd.read_csv(MID, nrows=0).columns)


@settings(max_examples=25, deadline=None)
@given(
    keep=st.one_of(
        st.permutations(_MID_HEADER),
        st.lists(st.sampled_from(_MID_HEADER), min_size=1, max_size=20, unique=True),
    ),
    cells=st.lists(
        st.one_of(st.integers(-9, 3000).map(str), st.sampled_from(["", "NA", "x", "1.5", '"'])),
        min_size=1,
        max_size=60,
    ),
)
def test_any_csv_either_loads_or_fails_with_a_located_error(keep, cells):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        width = len(keep)
        rows = [cells[i : i + width] for i in range(0, len(cells), width)]
        path.write_text("\n".join(",".join(row) for row in [keep, *rows]) + "\n")
        try:
            records = read_records(path)
        except BrinkInputError as error:
            assert str(error).startswith(f"{path}:")
        else:
            assert records.format == "mid-dyadic"
            frame = records.frame  # a row without a number where one is needed says why
            assert (frame["dispnum"].notna() | frame["problem"].str.contains("dispnum")).all()
            cases, skipped = build_cases(records)  # never aborts the file
            assert len(cases) + len(skipped) == frame["dispnum"].nunique(dropna=False)

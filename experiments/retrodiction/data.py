"""Readers for retrodiction: historical records recognised by their columns, ATOP, capitals.

``brink retrodict`` accepts any CSV file in one of two formats and tells them apart by their
column names, never by the file name:

- the Gibler–Miller–Little dyadic MID file (Gibler, Miller & Little 2016, v2.03): one row per
  directed dyad and year of a dispute, columns ``dispnum``, ``ccode1``, ``ccode2``, ``year``,
  ``sidea1``, ``orig1``, ``hostlev``, ``outcome``, ...;
- the International Crisis Behavior actor-level file (Brecher & Wilkenfeld; ICB v14): one row
  per crisis actor, columns ``crisno``, ``cracid``, ``trigent``, ``viol``, ``outcom``, ...

A file of neither format is a :class:`~brink.errors.BrinkInputError` that names the file and
line. A record with a cell that is not a number where one is needed (real ICB actor files have
rows with empty fields) is kept with its reason in the ``problem`` column, and the case it
belongs to goes to ``skipped.csv`` with that line and reason. The alliance data (ATOP v4
member level) and the capitals table (``data/cow-capitals.csv``, see ``data/cow-capitals.md``)
are read from the package's ``data/`` folder.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from brink.errors import BrinkInputError, Location
from brink.scenarios.datasets import DATA_DIR, national_capabilities, nmc_rows
from brink.scenarios.history import MIDS_FILE
from brink.scenarios.spec import AllianceKind, Regime

ATOP_MEMBER_FILE = DATA_DIR / "atop-v4-member-level.csv"
ATOP_ALLIANCE_FILE = DATA_DIR / "atop-v4-alliance-level.csv"
CAPITALS_FILE = DATA_DIR / "cow-capitals.csv"

RecordFormat = Literal["mid-dyadic", "icb-actor"]

#: Columns a GML dyadic MID file must have; all hold whole numbers (-9 marks a missing value).
MID_COLUMNS = (
    "dispnum",
    "ccode1",
    "ccode2",
    "year",
    "sidea1",
    "sidea2",
    "revstate1",
    "revtype11",
    "orig1",
    "orig2",
    "hostlev",
    "outcome",
    "stmon",
    "hostlev1",
    "hostlev2",
)
#: Columns an ICB actor-level file must have (``datrig``/``systrgda`` may be empty).
ICB_COLUMNS = (
    "crisno",
    "cracid",
    "actor",
    "trigent",
    "systrgyr",
    "systrgmo",
    "viol",
    "outcom",
    "issue",
    "gravty",
    "yrtrig",
    "motrig",
)
_ICB_TEXT_COLUMNS = frozenset({"actor"})
#: Columns whose every cell must hold a number; in the others an empty cell or ``NA`` is missing.
_REQUIRED_VALUES = frozenset(
    {"dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2", "orig1", "orig2", "hostlev"}
    | {"outcome", "crisno", "cracid", "trigent", "systrgyr", "viol", "outcom", "yrtrig"}
)
_MISSING = frozenset({"", "NA", "NaN", "nan", "."})
#: Columns of the ICB system-level file, to say so when a user gives it instead.
_ICB_SYSTEM_HINT = frozenset({"crisno", "crisname", "gravcr", "cenviosy"})

FORMAT_COLUMNS: dict[RecordFormat, tuple[str, ...]] = {
    "mid-dyadic": MID_COLUMNS,
    "icb-actor": ICB_COLUMNS,
}
FORMAT_NAMES: dict[RecordFormat, str] = {
    "mid-dyadic": "Gibler–Miller–Little dyadic MID",
    "icb-actor": "ICB actor-level",
}


@dataclass(frozen=True)
class Records:
    """A historical file, recognised: its format and rows (``line``: 1-based line in the file)."""

    path: str
    format: RecordFormat
    frame: pd.DataFrame


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            return [name.strip() for name in next(csv.reader(handle))]
        except StopIteration:
            raise BrinkInputError("the file is empty", Location(file=str(path), line=1)) from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise BrinkInputError(
                f"not a readable CSV file ({error})", Location(file=str(path), line=1)
            ) from None


def recognise(columns: list[str], path: str = "<input>") -> RecordFormat:
    """Tell the format of a record file from its column names.

    Raises:
        BrinkInputError: at line 1 when the columns match neither format, naming the columns the
            closer format lacks.
    """
    present = set(columns)
    best: tuple[int, RecordFormat] | None = None
    for name, required in FORMAT_COLUMNS.items():
        missing = [column for column in required if column not in present]
        if not missing:
            return name
        if best is None or len(missing) < best[0]:
            best = (len(missing), name)
    location = Location(file=path, line=1)
    if present >= _ICB_SYSTEM_HINT:
        raise BrinkInputError(
            "this is the ICB system-level (crisis) file; retrodiction needs the ICB actor-level "
            "file (one row per crisis actor, with columns cracid and trigent)",
            location,
        )
    assert best is not None
    closest = best[1]
    missing = [column for column in FORMAT_COLUMNS[closest] if column not in present]
    raise BrinkInputError(
        "columns match no known record format: expected a Gibler–Miller–Little dyadic MID file "
        "(dispnum, ccode1, ccode2, year, sidea1, orig1, hostlev, outcome, ...) or an ICB "
        f"actor-level file (crisno, cracid, trigent, viol, outcom, ...); read as the "
        f"{FORMAT_NAMES[closest]} format it lacks {', '.join(missing)}",
        location,
    )


def read_records(path: str | Path) -> Records:
    """Read a MID dyadic or ICB actor-level file, recognised by its columns.

    Every needed cell should be a number (``-9`` and, for ICB day fields, empty cells mean
    missing); a row where one is not keeps the reason in its ``problem`` column, so that its
    case is skipped (``skipped.csv``) while the rest of the file is used. Rows keep their file
    line in a ``line`` column so that a case built from them can say where it came from.

    Raises:
        BrinkInputError: for a missing or unreadable file, an unknown format or a malformed CSV,
            located at ``file:line``.
    """
    path = Path(path)
    if not path.is_file():
        raise BrinkInputError("no such file", Location(file=str(path)))
    record_format = recognise(_header(path), str(path))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        line = _parser_error_line(str(error))
        raise BrinkInputError(
            f"malformed CSV ({str(error).strip()})", Location(file=str(path), line=line)
        ) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty:
        raise BrinkInputError(
            f"the {FORMAT_NAMES[record_format]} file has a header but no records",
            Location(file=str(path), line=2),
        )
    frame.insert(0, "line", np.arange(2, len(frame) + 2))
    unreadable = pd.Series("", index=frame.index, dtype=object)
    for column in FORMAT_COLUMNS[record_format]:
        if column in _ICB_TEXT_COLUMNS:
            continue
        frame[column], reasons = _numeric_column(frame, column)
        unreadable = unreadable.where(unreadable != "", reasons)
    optional = ("datrig", "systrgda", "revtype12", "revstate2", "numa", "numb", "midonset")
    durations = ("mindur", "maxdur", "trgterra")  # dispute / crisis length in days, if given
    for column in (*optional, *durations):
        if column in frame:
            values = pd.to_numeric(frame[column].str.strip(), errors="coerce")
            frame[column] = values.where(np.isfinite(values))  # inf is as good as missing
    problems = _row_problems(frame, record_format)
    frame["problem"] = unreadable.where(unreadable != "", problems)
    return Records(path=str(path), format=record_format, frame=frame)


#: A code (country, dispute, crisis, year, level) is a whole number; beyond this it is a typo.
MAX_CODE = 1_000_000_000


def _row_problems(frame: pd.DataFrame, record_format: RecordFormat) -> pd.Series:
    """Why each row cannot be used ('' if it can): a code that is not finite or not whole (the
    codebooks' codes are integers; ``2.7`` must not quietly become 2), or a MID dyad of a state
    with itself. The case the row belongs to is skipped with this reason."""
    problems = pd.Series("", index=frame.index, dtype=object)

    def note(mask: pd.Series, reasons: pd.Series) -> None:
        mask = mask & (problems == "")
        problems[mask] = reasons[mask]

    for column in FORMAT_COLUMNS[record_format]:
        if column in _ICB_TEXT_COLUMNS:
            continue
        values = frame[column]
        where = "line " + frame["line"].astype(str) + f": {column} "
        shown = where + values.astype(str)
        note(values.notna() & ~np.isfinite(values), shown + " is not a finite number")
        note(values.abs() > MAX_CODE, shown + f" is beyond {MAX_CODE:,} (not a code)")
        note(values.notna() & (values != np.floor(values)), shown + " is not a whole number")
    if record_format == "mid-dyadic":
        same = frame["ccode1"] == frame["ccode2"]
        note(
            same,
            "line " + frame["line"].astype(str) + ": a dyad of a state with itself (ccode1 "
            "= ccode2 = " + frame["ccode1"].astype(str) + ")",
        )
    return problems


def _numeric_column(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """A column's numbers (NaN where a cell is missing or not a number) and, per row, why the
    row cannot be used ('' if it can): a cell that is not a number, or an empty cell in a
    column that must hold one. The row's case is skipped with this reason, never the file."""
    text = frame[column].str.strip()
    values = pd.to_numeric(text, errors="coerce")
    missing = text.isin(_MISSING)
    where = "line " + frame["line"].astype(str) + f": {column} "
    reasons = pd.Series("", index=frame.index, dtype=object)
    not_number = values.isna() & ~missing
    reasons[not_number] = where[not_number] + text[not_number].map(repr) + " is not a number"
    if column in _REQUIRED_VALUES:
        empty = missing & (reasons == "")
        reasons[empty] = where[empty] + "is empty (this column must hold a number)"
    return values, reasons


def _parser_error_line(message: str) -> int | None:
    # pandas: "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    words = message.replace(",", " ").split()
    for before, word in itertools.pairwise(words):
        if before == "line" and word.isdigit():
            return int(word)
    return None


@cache
def atop_members() -> pd.DataFrame:
    """ATOP v4 member-level rows (Leeds, Ritter, Mitchell & Long 2002), one per member phase.

    Adds ``start`` and ``end`` as fractional years (year + (month − 1) / 12) of entry and exit,
    and ``last_year``. ATOP codebook: a member's exit year of 0 means it stayed in until the
    alliance ended, so its exit is the alliance's end (alliance-level ``endyr``/``endmo``); an
    alliance end year of 0 means still in force in 2016, here +inf.
    """
    frame = pd.read_csv(ATOP_MEMBER_FILE)
    entry_month, exit_month = "mo" + "ent", "mo" + "exit"  # ATOP's names (not "moment")
    columns = ["atopid", "member", "yrent", entry_month, "yrexit", exit_month]
    frame = frame[[*columns, *(column for column, _ in _ATOP_KINDS)]].copy()
    ends = pd.read_csv(ATOP_ALLIANCE_FILE, usecols=["atopid", "endyr", "endmo"])
    frame = frame.merge(ends, on="atopid", how="left", validate="many_to_one")
    frame["start"] = frame["yrent"] + (frame[entry_month].clip(lower=1) - 1) / 12
    stayed = frame["yrexit"] <= 0
    exit_year = frame["yrexit"].where(~stayed, frame["endyr"].fillna(0))
    exit_month_value = frame[exit_month].where(~stayed, frame["endmo"].fillna(0))
    end = exit_year + (exit_month_value.clip(lower=1) - 1) / 12
    frame["end"] = end.where(exit_year > 0, np.inf)
    frame["last_year"] = exit_year.where(exit_year > 0, np.nan)
    return frame


@dataclass(frozen=True)
class Pact:
    """One state's membership of one ATOP alliance (one phase of it)."""

    atopid: int
    member: int
    start: float  # fractional year of entry
    end: float  # fractional year of exit (+inf: in force in 2016)
    joined: int
    left: int | None
    kind: AllianceKind | None  # the strongest obligation: defense > offense > neutrality > ...


_ATOP_KINDS: tuple[tuple[str, AllianceKind], ...] = (
    ("defense", "defense"),
    ("offense", "offense"),
    ("neutral", "neutrality"),
    ("nonagg", "nonaggression"),
    ("consul", "consultation"),
)


@cache
def pacts_by_member() -> dict[int, tuple[Pact, ...]]:
    """ATOP memberships grouped by member state, for fast look-ups per dispute."""
    frame = atop_members()
    result: dict[int, list[Pact]] = {}
    # pandas-stubs types a row's fields as any scalar; these columns are numeric
    row: Any
    for row in frame.itertuples(index=False):
        kind = next((k for column, k in _ATOP_KINDS if getattr(row, column) == 1), None)
        pact = Pact(
            atopid=int(row.atopid),
            member=int(row.member),
            start=float(row.start),
            end=float(row.end),
            joined=int(row.yrent),
            left=None if np.isnan(row.last_year) else int(row.last_year),
            kind=kind,
        )
        result.setdefault(pact.member, []).append(pact)
    return {member: tuple(pacts) for member, pacts in result.items()}


def pacts_in_force(ccode: int, when: float) -> list[Pact]:
    """The ATOP memberships of a state in force at a fractional year."""
    return [p for p in pacts_by_member().get(ccode, ()) if p.start <= when <= p.end]


@dataclass(frozen=True)
class Capabilities:
    """A state's NMC v6 record for one year (Singer, Bremer & Stuckey 1972)."""

    stateabb: str
    cinc: float
    milper: float  # NaN when NMC has none


@cache
def _nmc_table() -> dict[tuple[int, int], Capabilities]:
    return {
        key: Capabilities(str(row["stateabb"]), float(row["cinc"]), float(row["milper"]))
        for key, row in nmc_rows().items()
        if not math.isnan(float(row["cinc"]))
    }


def capabilities(ccode: int, year: int) -> Capabilities | None:
    """A state's NMC record in a year, or None when NMC has none (or no CINC)."""
    return _nmc_table().get((ccode, year))


@cache
def _milper_years() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    frame = national_capabilities()["milper"].dropna().reset_index()
    return {
        # cast: pandas-stubs types a group's key as any scalar; ccode is an integer column
        int(cast(int, ccode)): (group["year"].to_numpy(), group["milper"].to_numpy())
        for ccode, group in frame.groupby("ccode")
    }


#: Years over which a state's capability trend is measured (issue 21: the previous decade).
TREND_YEARS = 10


def capability_trend(ccode: int, year: int) -> float:
    """Relative change of a state's CINC share a year over the ``TREND_YEARS`` before ``year``
    (COW NMC v6), the trend a scenario's ``capability_trend`` declares; 0 where NMC lacks either
    year. Known at onset: it reads only years before the case."""
    now, then = capabilities(ccode, year), capabilities(ccode, year - TREND_YEARS)
    if now is None or then is None or not (now.cinc > 0 and then.cinc > 0):
        return 0.0
    rate = (now.cinc / then.cinc) ** (1.0 / TREND_YEARS) - 1.0
    return min(0.5, max(-0.5, rate))


def nearest_milper(ccode: int, year: int) -> tuple[int, float] | None:
    """(year, milper) of the state's NMC year with a ``milper`` value nearest to ``year``."""
    years = _milper_years().get(ccode)
    if years is None:
        return None
    index = int(np.argmin(np.abs(years[0] - year)))
    return int(years[0][index]), float(years[1][index])


@cache
def capitals() -> pd.DataFrame:
    """The capitals table ``data/cow-capitals.csv`` (see ``data/cow-capitals.md``)."""
    frame = pd.read_csv(CAPITALS_FILE)
    frame["from_year"] = frame["from_year"].fillna(-np.inf)
    frame["to_year"] = frame["to_year"].fillna(np.inf)
    return frame


@cache
def _capital_spans() -> dict[int, tuple[tuple[float, float, float, float], ...]]:
    result: dict[int, list[tuple[float, float, float, float]]] = {}
    # pandas-stubs types a row's fields as any scalar; these columns are numeric
    row: Any
    for row in capitals().itertuples(index=False):
        span = (float(row.from_year), float(row.to_year), float(row.lat), float(row.lon))
        result.setdefault(int(row.ccode), []).append(span)
    return {ccode: tuple(spans) for ccode, spans in result.items()}


def capital(ccode: int, year: int) -> tuple[float, float] | None:
    """(lat, lon) of a COW state's capital in a year, or None when the table does not know it."""
    for start, end, lat, lon in _capital_spans().get(ccode, ()):
        if start <= year <= end:
            return lat, lon
    return None


# -- regimes and borders --------------------------------------------------------------------

POLITY_FILE = DATA_DIR / "polity5-p5v2018.csv"
CONTIGUITY_FILE = DATA_DIR / "cow-direct-contiguity-v3.2.csv"
#: Polity2 thresholds of the regime types (Marshall & Gurr 2020, Polity5 users' manual: +6 to
#: +10 democracy, −6 to −10 autocracy, the rest anocracy).
DEMOCRACY_FROM = 6
AUTOCRACY_TO = -6
#: Contiguity types counted as a shared border: land, or at most 150 miles of water (types 1–4
#: of COW Direct Contiguity, Stinnett et al. 2002), as in Bremer's (1992) dangerous dyads.
CONTIGUOUS_TYPES = frozenset({1, 2, 3, 4})


@cache
def _polity_table() -> dict[tuple[int, int], float]:
    frame = pd.read_csv(POLITY_FILE, usecols=["ccode", "year", "polity2"])
    frame = frame.dropna()
    # pandas-stubs types a row's fields as any scalar; these columns are numeric
    rows: Iterable[Any] = frame.itertuples(index=False)
    return {(int(row.ccode), int(row.year)): float(row.polity2) for row in rows}


def polity2(ccode: int, year: int) -> float | None:
    """A state's Polity5 ``polity2`` score (−10 to +10) in a year, or None if Polity has none."""
    return _polity_table().get((ccode, year))


def regime_type(score: float | None) -> Regime | None:
    """``democracy``, ``anocracy`` or ``autocracy`` from a polity2 score (None if unknown)."""
    if score is None:
        return None
    if score >= DEMOCRACY_FROM:
        return "democracy"
    if score <= AUTOCRACY_TO:
        return "autocracy"
    return "anocracy"


@cache
def _contiguity_table() -> dict[tuple[int, int, int], int]:
    frame = pd.read_csv(CONTIGUITY_FILE, usecols=["state1no", "state2no", "year", "conttype"])
    closest: dict[tuple[int, int, int], int] = {}
    # pandas-stubs types a row's fields as any scalar; these columns are numeric
    row: Any
    for row in frame.itertuples(index=False):
        key = (int(row.state1no), int(row.state2no), int(row.year))
        # A pair-year listed twice (contiguity changed that year) keeps the closer type.
        closest[key] = min(int(row.conttype), closest.get(key, 99))
    return closest


def contiguity_type(first: int, second: int, year: int) -> int | None:
    """COW direct contiguity type of two states in a year (1 land … 5 ≤ 400 miles of water), or
    None when they are not contiguous (or the year is outside 1816–2016)."""
    return _contiguity_table().get((first, second, year))


def contiguous(first: int, second: int, year: int) -> bool:
    """Whether two states share a border by land or across at most 150 miles of water."""
    return contiguity_type(first, second, year) in CONTIGUOUS_TYPES


@cache
def _neighbour_table() -> dict[tuple[int, int], tuple[int, ...]]:
    result: dict[tuple[int, int], set[int]] = {}
    for (first, second, year), kind in _contiguity_table().items():
        if kind in CONTIGUOUS_TYPES:
            result.setdefault((first, year), set()).add(second)
    return {key: tuple(sorted(codes)) for key, codes in result.items()}


def neighbours(ccode: int, year: int) -> tuple[int, ...]:
    """The states contiguous to a state in a year (:func:`contiguous`), in code order."""
    return _neighbour_table().get((ccode, year), ())


# -- earlier disputes of a dyad (a rivalry) --------------------------------------------------

#: The project's copy of the MID record (GML v2.03, to 1989), read for a dyad's earlier disputes.
MID_HISTORY_FILE = MIDS_FILE

#: Per unordered dyad of COW codes, the onset (year + (month − 1)/12) of each dispute.
DyadOnsets = dict[frozenset[int], dict[int, float]]


def dyad_onsets(frame: pd.DataFrame) -> DyadOnsets:
    """When each dispute of a dyadic MID table began for each dyad: its first row's year and
    ``stmon`` (a missing month, -9, counts as January)."""
    onsets: DyadOnsets = {}
    columns = ("dispnum", "ccode1", "ccode2", "year", "stmon")
    if "problem" in frame:  # a row read with a problem (read_records) tells nothing reliable
        frame = frame[frame["problem"] == ""]
    for dispnum, first, second, year, month in frame[list(columns)].itertuples(index=False):
        try:
            dispnum, first, second, year = int(dispnum), int(first), int(second), int(year)
            month = int(month)
        except (TypeError, ValueError, OverflowError):  # a row with a problem: its case is skipped
            continue
        when = year + (min(max(month, 1), 12) - 1) / 12
        dyad = onsets.setdefault(frozenset((first, second)), {})
        dyad[dispnum] = min(dyad.get(dispnum, math.inf), when)
    return onsets


@cache
def _shipped_onsets() -> DyadOnsets:
    return dyad_onsets(
        pd.read_csv(MID_HISTORY_FILE, usecols=["dispnum", "ccode1", "ccode2", "year", "stmon"])
    )


def earlier_disputes(
    first: int, second: int, when: float, *, extra: DyadOnsets | None = None, exclude: int = -1
) -> int:
    """How many militarised disputes the two states had begun before ``when`` (year + (month −
    1)/12): the rivalry a case knows at its onset (Goertz & Diehl 1993 count a dyad's disputes
    to find its rivalries). Read from the project's MID record and, when given, the record file
    being retrodicted (``extra``), counted once by dispute number; a case's own dispute
    (``exclude``) and disputes that began the same month or later are not counted."""
    dyad = frozenset((first, second))
    onsets = dict(_shipped_onsets().get(dyad, {}))
    if extra is not None:
        for dispnum, start in extra.get(dyad, {}).items():
            onsets[dispnum] = min(onsets.get(dispnum, math.inf), start)
    return sum(1 for dispnum, start in onsets.items() if dispnum != exclude and start < when)

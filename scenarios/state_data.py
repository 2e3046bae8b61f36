"""What the bundled data say about a state on a date: for ``brink new``, ``brink data`` and the
scenario checks.

Read with the csv module, each file once per process, so that loading a scenario (which checks a
capital against COW's) does not import pandas (see :func:`brink.scenarios.datasets.nmc_rows`).
Sources, cited in ``data/README.md``: COW NMC v6.0 (who is a state in a year, ``stateabb``,
capabilities), ``cow-capitals.csv``, Polity5 (names and ``polity2``), ATOP v4 (pacts, dated to the
day), COW Direct Contiguity v3.2; and the table of nuclear powers below.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.scenarios.datasets import DATA_DIR, nmc_rows

CAPITALS_FILE = DATA_DIR / "cow-capitals.csv"
POLITY_FILE = DATA_DIR / "polity5-p5v2018.csv"
ATOP_MEMBERS_FILE = DATA_DIR / "atop-v4-member-level.csv"
ATOP_ALLIANCES_FILE = DATA_DIR / "atop-v4-alliance-level.csv"
CONTIGUITY_FILE = DATA_DIR / "cow-direct-contiguity-v3.2.csv"

#: Polity5 thresholds of the regime types (Marshall & Gurr 2020, users' manual: +6 to +10
#: democracy, −6 to −10 autocracy, the rest anocracy); the retrodiction uses the same.
DEMOCRACY_FROM = 6
AUTOCRACY_TO = -6

#: Where Polity5 numbers a COW state otherwise: COW code → ((first year, last year, Polity code),
#: ...), read off the two files (Polity5 ``ccode``/``country`` against NMC ``ccode``/``stateabb``).
POLITY_CODES: dict[int, tuple[tuple[int, int, int], ...]] = {
    300: ((1816, 1918, 305),),  # Austria-Hungary: Polity's Austria
    325: ((1816, 1860, 324),),  # Italy before 1861: Polity's Sardinia
    341: ((2006, 2100, 348),),  # Montenegro (Polity 341 is Kosovo)
    345: ((1816, 1920, 342), (1992, 2006, 347), (2007, 2100, 342)),  # Serbia, Yugoslavia, Serbia
    347: ((2008, 2100, 341),),  # Kosovo
    365: ((1922, 1991, 364),),  # the Soviet Union
    530: ((1994, 2100, 529),),  # Ethiopia after Eritrea's independence
    626: ((2011, 2100, 525),),  # South Sudan (Polity 626 is Sudan)
    770: ((1947, 1971, 769),),  # Pakistan before Bangladesh's independence
    816: ((1976, 2100, 818),),  # Vietnam, unified
    625: ((2012, 2100, 626),),  # Sudan after South Sudan's independence
}
#: Polity5 numbers whose names belong to another COW state than the table above implies:
#: Polity's Austria (305) is COW's Austria too.
NOT_RENUMBERED = {305}

#: Names a user may type for a state, beside Polity5's and the COW letter codes.
ALIASES = {
    "soviet union": 365,
    "ussr": 365,
    "russia": 365,
    "britain": 200,
    "great britain": 200,
    "uk": 200,
    "united kingdom": 200,
    "austria-hungary": 300,
    "prussia": 255,
    "west germany": 260,
    "east germany": 265,
    "ottoman empire": 640,
    "persia": 630,
    "north korea": 731,
    "south korea": 732,
    "north vietnam": 816,
    "south vietnam": 817,
    "us": 2,
    "usa": 2,
    "united states of america": 2,
    "prc": 710,
}

#: Nuclear-armed states and the first day each had a weapon, by COW code. A first test date
#: unless said otherwise (Norris & Kristensen, "Nuclear Notebook", Bulletin of the Atomic
#: Scientists; Jo & Gartzke 2007, J. Conflict Resolution 51(1) for possession years).
NUCLEAR = {
    2: (dt.date(1945, 7, 16), None, "first test 1945-07-16 (Trinity)"),
    365: (dt.date(1949, 8, 29), None, "first test 1949-08-29"),
    200: (dt.date(1952, 10, 3), None, "first test 1952-10-03"),
    220: (dt.date(1960, 2, 13), None, "first test 1960-02-13"),
    710: (dt.date(1964, 10, 16), None, "first test 1964-10-16"),
    666: (dt.date(1967, 6, 1), None, "undeclared; first devices by June 1967 (Cohen 1998)"),
    750: (dt.date(1974, 5, 18), None, "first test 1974-05-18"),
    560: (dt.date(1982, 1, 1), dt.date(1991, 7, 10), "devices 1982–1991 (Stumpf 1995)"),
    770: (dt.date(1998, 5, 28), None, "first test 1998-05-28"),
    731: (dt.date(2006, 10, 9), None, "first test 2006-10-09"),
}

#: ATOP obligations, strongest first, as the scenario's alliance kinds.
ATOP_KINDS = (
    ("defense", "defense"),
    ("offense", "offense"),
    ("neutral", "neutrality"),
    ("nonagg", "nonaggression"),
    ("consul", "consultation"),
)
ENTRY_MONTH = "mo" + "ent"  # ATOP's name of the entry month (spelt so, not "moment")
CONTIGUITY_WORDS = {
    1: "land border",
    2: "across at most 12 miles of water",
    3: "across at most 24 miles of water",
    4: "across at most 150 miles of water",
    5: "across at most 400 miles of water",
}

COMMAND_LINE = Location(file="command line")


# -- the state system --------------------------------------------------------------------------


@cache
def abbreviations() -> dict[int, str]:
    """COW letter code of every state in NMC v6.0, by COW number."""
    return {ccode: str(row["stateabb"]) for (ccode, _), row in nmc_rows().items()}


@cache
def nmc_years() -> dict[int, tuple[int, int]]:
    """First and last year each state has an NMC record (its years in the COW system)."""
    years: dict[int, list[int]] = {}
    for ccode, year in nmc_rows():
        years.setdefault(ccode, []).append(year)
    return {ccode: (min(found), max(found)) for ccode, found in years.items()}


def nmc_last_year() -> int:
    return max(year for _, year in nmc_rows())


def states_in(year: int) -> list[int]:
    """COW numbers of the states NMC holds for a year, in COW order."""
    return sorted(ccode for ccode, known in nmc_rows() if known == year)


@cache
def _polity() -> dict[tuple[int, int], tuple[str, float]]:
    table = {}
    with open(POLITY_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            score = float(row["polity2"]) if row["polity2"] else math.nan
            table[int(row["ccode"]), int(row["year"])] = (row["country"], score)
    return table


def polity_code(ccode: int, year: int) -> int:
    """The Polity5 number of a COW state in a year (see :data:`POLITY_CODES`)."""
    for first, last, code in POLITY_CODES.get(ccode, ()):
        if first <= year <= last:
            return code
    return ccode


def polity_row(ccode: int, year: int) -> tuple[int, str, float] | None:
    """(Polity code, country, polity2) of a COW state in a year, or None if Polity has none."""
    code = polity_code(ccode, year)
    found = _polity().get((code, year))
    return None if found is None else (code, *found)


def regime_of(score: float) -> str:
    if score >= DEMOCRACY_FROM:
        return "democracy"
    if score <= AUTOCRACY_TO:
        return "autocracy"
    return "anocracy"


def state_name(ccode: int, year: int) -> str:
    """Polity5's name of the state in the year (or its last), else its COW letter code."""
    row = polity_row(ccode, year)
    if row is not None:
        return row[1]
    names = [name for (code, _), (name, _) in _polity().items() if code == polity_code(ccode, year)]
    return names[-1] if names else abbreviations().get(ccode, str(ccode))


@cache
def _names() -> dict[str, int]:
    """Every name a state goes by, lower case → COW number."""
    found: dict[str, int] = {}
    for (code, _), (name, _) in _polity().items():
        found.setdefault(name.lower(), code)
    cow = set(abbreviations())
    backwards = {
        polity: ccode
        for ccode, spans in POLITY_CODES.items()
        for _, _, polity in spans
        if polity not in NOT_RENUMBERED
    }
    found = {name: backwards.get(code, code) for name, code in found.items()}
    found = {name: code for name, code in found.items() if code in cow}
    return found | ALIASES


def find_state(query: str, year: int, where: Location = COMMAND_LINE) -> int:
    """A state's COW number from its letter code, number or name, in the system in ``year``.

    Raises:
        BrinkInputError: naming the nearest codes or names for a miss.
    """
    text = query.strip()
    by_letters = {abb: ccode for ccode, abb in abbreviations().items()}
    if text.isdigit():
        ccode = int(text)
        if ccode not in abbreviations():
            near = did_you_mean(text, map(str, abbreviations()))
            raise BrinkInputError(f"'{text}' is not a COW state number{near}", where)
    elif text.upper() in by_letters and len(text) == 3:
        ccode = by_letters[text.upper()]
    elif text.lower() in _names():
        ccode = _names()[text.lower()]
    else:
        choices = [*by_letters, *(name.title() for name in _names())]
        near = did_you_mean(text.title() if len(text) > 3 else text.upper(), choices)
        raise BrinkInputError(
            f"'{text}' is no COW letter code, number or state name{near} "
            "(brink data states --match TEXT lists them)",
            where,
        )
    first, last = nmc_years()[ccode]
    if (ccode, year) not in nmc_rows():
        raise BrinkInputError(
            f"{abbreviations()[ccode]} (COW {ccode}) is not a state of the COW system in {year} "
            f"(NMC has it in {first}–{last}, with gaps where it was occupied or absorbed)",
            where,
        )
    return ccode


# -- capitals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capital:
    name: str
    lat: float
    lon: float


@cache
def _capitals() -> dict[int, tuple[tuple[float, float, Capital], ...]]:
    table: dict[int, list[tuple[float, float, Capital]]] = {}
    with open(CAPITALS_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            first = float(row["from_year"]) if row["from_year"] else -math.inf
            last = float(row["to_year"]) if row["to_year"] else math.inf
            capital = Capital(row["capital"], float(row["lat"]), float(row["lon"]))
            table.setdefault(int(row["ccode"]), []).append((first, last, capital))
    return {ccode: tuple(spans) for ccode, spans in table.items()}


def capital_of(ccode: int, year: int) -> Capital | None:
    """The state's capital in the year (``data/cow-capitals.csv``), or None if not listed."""
    for first, last, capital in _capitals().get(ccode, ()):
        if first <= year <= last:
            return capital
    return None


def nuclear_on(ccode: int, date: dt.date) -> tuple[bool, str]:
    """Whether the state held nuclear weapons on the date, and why (see :data:`NUCLEAR`)."""
    entry = NUCLEAR.get(ccode)
    if entry is None:
        return False, "not a nuclear power"
    first, last, note = entry
    if date < first:
        return False, f"not yet: {note}"
    if last is not None and date > last:
        return False, f"no longer: {note}"
    return True, note


# -- alliances and borders ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pact:
    """An ATOP alliance in force on a date among some states."""

    atopid: int
    kind: str  # the strongest obligation, as a scenario alliance kind
    begins: dt.date  # the alliance's first day
    ends: dt.date | None  # its last day (None: in force at the end of ATOP v4, 2018)
    members: dict[int, int]  # member's COW number → year it joined


def _date(year: str, month: str, day: str, last: bool = False) -> dt.date | None:
    """A date from ATOP's parts; 0 or empty is unknown (a missing day: first or last of month)."""
    year_number = int(float(year or 0))
    if year_number <= 0:
        return None
    month_number = int(float(month or 0)) or (12 if last else 1)
    final = calendar.monthrange(year_number, month_number)[1]
    day_number = int(float(day or 0)) or (final if last else 1)
    return dt.date(year_number, month_number, min(day_number, final))


@cache
def _atop() -> tuple[dict[int, dict[str, str]], list[dict[str, str]]]:
    with open(ATOP_ALLIANCES_FILE, newline="", encoding="utf-8") as handle:
        alliances = {int(row["atopid"]): row for row in csv.DictReader(handle)}
    with open(ATOP_MEMBERS_FILE, newline="", encoding="utf-8") as handle:
        members = list(csv.DictReader(handle))
    return alliances, members


def pacts_on(ccodes: Iterable[int], date: dt.date) -> list[Pact]:
    """ATOP v4 alliances in force on ``date`` with at least two of ``ccodes`` as members.

    A member's exit of 0 means it stayed until the alliance ended; an alliance end of 0 means in
    force when ATOP v4 was coded (Leeds et al. 2002, codebook).
    """
    wanted = set(ccodes)
    alliances, members = _atop()
    found: dict[int, dict[int, int]] = {}
    for row in members:
        member = int(row["member"])
        if member not in wanted:
            continue
        alliance = alliances[int(row["atopid"])]
        entry = _date(row["yrent"], row[ENTRY_MONTH], row["dayent"])
        exit_ = _date(row["yrexit"], row["moexit"], row["dayexit"], last=True) or _date(
            alliance["endyr"], alliance["endmo"], alliance["endday"], last=True
        )
        if entry is not None and entry <= date and (exit_ is None or date <= exit_):
            found.setdefault(int(row["atopid"]), {})[member] = entry.year
    pacts = []
    for atopid, joined in sorted(found.items()):
        if len(joined) < 2:
            continue
        alliance = alliances[atopid]
        kind = next(
            (name for column, name in ATOP_KINDS if alliance[column] not in ("", "0")),
            "consultation",
        )
        begins = _date(alliance["begyr"], alliance["begmo"], alliance["begday"])
        if begins is None:  # ATOP v4 dates the start of every alliance (all 745 in data/)
            raise ValueError(f"ATOP alliance {atopid} has no start date")
        pacts.append(
            Pact(
                atopid=atopid,
                kind=kind,
                begins=begins,
                ends=_date(alliance["endyr"], alliance["endmo"], alliance["endday"], last=True),
                members=dict(sorted(joined.items())),
            )
        )
    return pacts


@cache
def _contiguity() -> dict[tuple[int, int, int], int]:
    closest: dict[tuple[int, int, int], int] = {}
    with open(CONTIGUITY_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (int(row["state1no"]), int(row["state2no"]), int(row["year"]))
            # a pair-year listed twice (its contiguity changed that year) keeps the closer type
            closest[key] = min(int(row["conttype"]), closest.get(key, 99))
    return closest


def contiguity(first: int, second: int, year: int) -> int | None:
    """COW direct contiguity type of two states in a year (1 land … 5 ≤ 400 miles of water)."""
    return _contiguity().get((first, second, year))

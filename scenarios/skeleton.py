"""``brink new``: a scenario skeleton for a date, filled from the bundled data with its sources.

Each state gets its COW code, name, capital, Polity5 regime and nuclear status, and its
capabilities through ``capabilities: {source: cow-nmc, year: ...}``; the ATOP pacts in force
among the states on the date become ``alliances:``, their borders a comment. Every filled value
cites its source in a comment; every section left to the user is a commented block with a worked
example. The text loads as written (a test checks it for many dates and states).
"""

from __future__ import annotations

import datetime as dt
import math

from brink.errors import BrinkInputError, Location
from brink.scenarios import state_data as data
from brink.scenarios.datasets import nmc_number, nmc_rows
from brink.scenarios.spec import ResolveSpec
from brink.sim.params import PARAMETERS

WHERE = Location(file="command line", key="--states")

SOURCES_HEADER = """\
# Sources, cited by key below:
#   [nmc]     COW National Material Capabilities v6.0 (data/cow-nmc-v6.csv), year {year}:
#             capability = cinc, troops = milper (thousands), filled by `capabilities:`.
#   [capital] data/cow-capitals.csv (provenance in data/cow-capitals.md), the capital in {year}.
#   [polity]  Polity5 (data/polity5-p5v2018.csv), {year}: the name, and polity2 → regime
#             (democracy ≥ 6, autocracy ≤ −6, anocracy between).
#   [nuclear] first nuclear tests (Norris & Kristensen, Nuclear Notebook; Jo & Gartzke 2007),
#             as tabled in scenarios/state_data.py.
#   [atop]    ATOP v4 (data/atop-v4-*.csv): alliances in force on {date}.
#   [contig]  COW Direct Contiguity v3.2 (data/cow-direct-contiguity-v3.2.csv), {year}."""

SECTIONS = """\
# -- What the data cannot say: the crisis. Uncomment and fill in; scenarios/REFERENCE.md has
# every key, and "Choosing the judgement keys" there what 0.2, 0.5 and 1 mean.

# perceptions:  # an observer's prior Beta belief over another's resolve; default Beta(2, 2)
#   - {{observer: {b}, subject: {a}, mean: 0.4, strength: 6}}

# deployments:  # troops in THOUSANDS (10 = 10,000 soldiers), by id
#   {b_low}_massed:
#     owner: {b}
#     host: {b}
#     near: {a} # massed at {a}'s border: in the theatre from the first day of a war
#     troops: 10

# demands:  # the dispute: {a} demands a share `size` of an issue {b} holds
#   dispute:
#     by: {a}
#     on: {b}
#     issue: what is demanded, in words
#     size: 0.5 # share of the issue demanded: 1 the whole of it
#     stakes: {{challenger: 0.5, target: 0.5}} # what the whole issue is worth to each side
#     public: true
#     level: 2 # MID hostility level both start at: 2 threat, 3 display, 4 use of force

# sanctions:  # with `if:` a threat, imposed when the trigger happens
#   embargo:
#     senders: [{b}]
#     target: {a}
#     severity: 0.3 # share of bilateral trade cut
#     if: {{actor: {a}, uses_force_against: {b}}}

# timeline:  # dated events; day 0 (the start date) may hold a statement or a deployment
#   - date: {date}
#     statement: {{by: {b}, dispute: dispute, ties_hands: true, text: "what was said"}}
#   - date: {later}
#     offer: {{by: {b}, dispute: dispute, share: 0.5, text: "a compromise"}}

# history:  # what really happened, for `brink casebook --case FILE` (the model never reads it)
#   sources:
#     - "Gibler, Miller & Little (2016), MID dyadic v2.03, dispute N"
#   disputes:
#     dispute:
#       outcome: stalemate # victory_/yield_ challenger|target, compromise, stalemate, war_ongoing
#       war: false
#       highest_level: 4 # MID hostility level reached, 1–5
#       days: 30 # from `start` to the dispute's end
"""


def resolve_states(queries: list[str], year: int) -> list[int]:
    """COW numbers of the states asked for, in order; a miss or a repeat is a located error."""
    ccodes = []
    for query in queries:
        ccode = data.find_state(query, year, WHERE)
        if ccode in ccodes:
            raise BrinkInputError(
                f"'{query}' is {data.abbreviations()[ccode]}, already given", WHERE
            )
        ccodes.append(ccode)
    if len(ccodes) < 2:
        raise BrinkInputError("give at least two states (a scenario has two or more)", WHERE)
    return ccodes


def check_date(date: dt.date) -> None:
    last = data.nmc_last_year()
    first = min(year for _, year in nmc_rows())
    if not first <= date.year <= last:
        raise BrinkInputError(
            f"{date} is outside the bundled data: COW NMC v6.0 covers {first}–{last} (write a "
            f"later crisis from a skeleton of {last}, then update its values by hand)",
            Location(file="command line", key="--date"),
        )


def skeleton(name: str, date: dt.date, ccodes: list[int]) -> str:
    """The text of a scenario skeleton for ``date`` among the states ``ccodes``."""
    check_date(date)
    year = date.year
    codes = {ccode: data.abbreviations()[ccode] for ccode in ccodes}
    lines = [
        f"# {name}: a scenario skeleton written by `brink new` from the data bundled with Brink.",
        "# Every filled value cites its source; the crisis itself (demands, forces, events, what",
        "# happened) is yours to write, in the commented sections at the end.",
        "#",
        SOURCES_HEADER.format(year=year, date=date.isoformat()),
        f"name: {name}",
        "description: >-",
        "  One sentence on the crisis (its first line is the summary `brink list` shows).",
        "sources:",
        f'  - "COW National Material Capabilities v6.0, year {year}"',
        '  - "ATOP v4 (Leeds, Ritter, Mitchell & Long 2002)"',
        f'  - "Polity5 Project, Center for Systemic Peace, {year} values"',
        '  - "COW Direct Contiguity v3.2 (Stinnett et al. 2002)"',
        f"start: {date.isoformat()}",
        f"horizon: {PARAMETERS['horizon'].default:g} # steps (days): the model's default",
        "",
        f"capabilities: {{source: cow-nmc, year: {year}}} # [nmc]",
        "",
        "states:",
    ]
    for ccode in ccodes:
        lines += _state(ccode, codes[ccode], date)
    lines += _borders(ccodes, codes, year)
    lines += _alliances(ccodes, codes, date)
    a, b = codes[ccodes[0]], codes[ccodes[1]]
    later = date + dt.timedelta(days=7)
    lines.append("")
    lines.append(
        SECTIONS.format(a=a, b=b, b_low=b.lower(), date=date.isoformat(), later=later.isoformat())
    )
    return "\n".join(lines)


def _state(ccode: int, code: str, date: dt.date) -> list[str]:
    year = date.year
    row = nmc_rows()[ccode, year]
    name = data.state_name(ccode, year)
    lines = [f"  {code}:", f"    name: {_quoted(name)} # [polity]"]
    cinc, milper = nmc_number(row, "cinc"), nmc_number(row, "milper")
    lines.append(
        f"    cow: {ccode} # [nmc] {code}: cinc {_number(cinc, '.4f')}, "
        f"milper {_number(milper, ',.0f')} thousand"
    )
    polity = data.polity_row(ccode, year)
    if polity is None or math.isnan(polity[2]):
        lines.append(
            f"    regime: anocracy # CHECK: Polity5 has no polity2 for {code} in {year}; "
            "set democracy, anocracy or autocracy"
        )
    else:
        renumbered = f" (Polity code {polity[0]})" if polity[0] != ccode else ""
        regime = data.regime_of(polity[2])
        lines.append(f"    regime: {regime} # [polity] polity2 = {polity[2]:g}{renumbered}")
    nuclear, why = data.nuclear_on(ccode, date)
    lines.append(f"    nuclear: {str(nuclear).lower()} # [nuclear] {why}")
    capital = data.capital_of(ccode, year)
    if capital is None:
        lines.append(
            "    capital: [0.0, 0.0] # CHECK: no capital for this year in data/cow-capitals.csv; "
            "give [latitude, longitude]"
        )
    else:
        lines.append(
            f"    capital: [{capital.lat:.2f}, {capital.lon:.2f}] # [capital] {capital.name}"
        )
    for key, column in (("capability", "cinc"), ("troops", "milper")):
        if math.isnan(nmc_number(row, column)):
            lines.append(_nearest(ccode, year, key, column))
    default = ResolveSpec()
    lines.append(
        f"    # resolve: {{mean: {default.mean:g}, spread: {default.spread:g}}} # private resolve, "
        "drawn per run"
    )
    return lines


def _nearest(ccode: int, year: int, key: str, column: str) -> str:
    """A value NMC lacks for the year, taken from the nearest year that has it."""
    rows = nmc_rows()
    years = sorted(
        (abs(known - year), known)
        for (code, known), row in rows.items()
        if code == ccode and not math.isnan(nmc_number(row, column))
    )
    if not years:
        fallback = "0.0001" if key == "capability" else "1"
        return f"    {key}: {fallback} # CHECK: NMC has no {column} for COW {ccode} in any year"
    nearest = years[0][1]
    value = rows[ccode, nearest][column]
    return f"    {key}: {value:g} # [nmc] {column} of {nearest}: NMC has none for {year}"


def _borders(ccodes: list[int], codes: dict[int, str], year: int) -> list[str]:
    pairs = []
    for index, first in enumerate(ccodes):
        for second in ccodes[index + 1 :]:
            kind = data.contiguity(first, second, year)
            if kind is not None:
                word = data.CONTIGUITY_WORDS[kind]
                pairs.append(f"{codes[first]}–{codes[second]} {word} (type {kind})")
    if not pairs:
        return ["", f"# Borders [contig]: none among these states in {year}."]
    return ["", f"# Borders [contig]: {'; '.join(pairs)}."]


def _alliances(ccodes: list[int], codes: dict[int, str], date: dt.date) -> list[str]:
    pacts = data.pacts_on(ccodes, date)
    if not pacts:
        return ["", f"# alliances: none in force among these states on {date} [atop]."]
    lines = ["", "alliances:"]
    for pact in pacts:
        ends = f"to {pact.ends}" if pact.ends is not None else "in force at the end of ATOP v4"
        members = ", ".join(f"{codes[ccode]}: {joined}" for ccode, joined in pact.members.items())
        lines += [
            f"  atop{pact.atopid}:",
            f"    name: ATOP {pact.atopid} # [atop] from {pact.begins} {ends}; name it",
            f"    kind: {pact.kind} # [atop] its strongest obligation",
            f"    atop: {pact.atopid}",
            f"    members: {{{members}}} # [atop] year each joined",
        ]
    return lines


def _number(value: float, spec: str) -> str:
    return "none" if math.isnan(value) else format(value, spec)


def _quoted(text: str) -> str:
    """A name as a YAML scalar: plain where that reads back the same, else double-quoted."""
    if text.replace(" ", "").replace("-", "").replace(".", "").isalnum():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

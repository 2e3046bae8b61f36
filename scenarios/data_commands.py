"""``brink new`` and ``brink data``: a scenario skeleton from the bundled data, and look-ups.

The data modules are imported by the handlers, not here, so ``brink --help`` stays quick.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError, Location


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``brink new`` and ``brink data`` to the ``brink`` command line."""
    new = subparsers.add_parser(
        "new",
        help="write a scenario skeleton filled from the bundled data",
        description=(
            "Write a scenario skeleton for a date: each state's COW code, name, capital, Polity5 "
            "regime, nuclear status and NMC capabilities, the ATOP pacts in force among them and "
            "their borders, each with its source in a comment, and a commented place with a "
            "worked example for each section you fill in. It validates as written."
        ),
    )
    new.add_argument("name", metavar="NAME", help="the scenario's short name")
    new.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the start date (day 0)")
    new.add_argument(
        "--states",
        required=True,
        nargs="+",
        metavar="STATE",
        help="states by COW letter code (RUS), COW number (365) or name ('Soviet Union')",
    )
    new.add_argument("--out", metavar="FILE", help="write here (default: print it)")
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new.set_defaults(handler=new_command)

    data = subparsers.add_parser(
        "data",
        help="look up states, pacts and capabilities in the bundled data",
        description="Look up what the bundled data (COW, ATOP, Polity5) say, as a table or JSON.",
    )
    kinds = data.add_subparsers(dest="kind", metavar="WHAT", required=True)
    states = kinds.add_parser(
        "states",
        help="the states of the COW system on a date",
        description="The states of the COW system on a date, with capital, regime and NMC.",
    )
    states.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the date")
    states.add_argument("--match", metavar="TEXT", help="only states whose code or name has TEXT")
    pacts = kinds.add_parser(
        "pacts",
        help="the ATOP pacts in force among states on a date",
        description="The ATOP v4 alliances in force on a date with two or more of the states.",
    )
    pacts.add_argument("states", nargs="+", metavar="STATE", help="COW code, number or name")
    pacts.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the date")
    capabilities = kinds.add_parser(
        "capabilities",
        help="a state's COW NMC record for a year",
        description="COW National Material Capabilities v6.0 of states in a year.",
    )
    capabilities.add_argument("states", nargs="+", metavar="STATE", help="COW code, number or name")
    capabilities.add_argument("--year", required=True, metavar="YEAR", help="the year")
    for parser in (states, pacts, capabilities):
        parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    data.set_defaults(handler=data_command)


def _date(text: str, flag: str = "--date") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BrinkInputError(
            f"'{text}' is not a date (YYYY-MM-DD)", Location(file="command line", key=flag)
        ) from None


def new_command(args: argparse.Namespace) -> int:
    """Handler of ``brink new``: write the skeleton, then check it loads."""
    from brink.safe_output import write_text_atomic
    from brink.scenarios.loader import load_scenario_text
    from brink.scenarios.skeleton import check_date, resolve_states, skeleton

    date = _date(args.date)
    check_date(date)
    ccodes = resolve_states(args.states, date.year)
    text = skeleton(args.name, date, ccodes)
    shown = args.out or "<brink new>"
    scenario = load_scenario_text(text, file=shown, name=args.name)  # "validates as written"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    path = Path(args.out)
    if path.exists() and not args.force:
        raise BrinkInputError(
            f"{args.out} exists; give --force to replace it",
            Location(file="command line", key="--out"),
        )
    write_text_atomic(path, text)
    codes = " ".join(scenario.states)
    print(f"brink: wrote {args.out} ({codes} on {date}); fill it in, then brink validate it")
    return 0


def data_command(args: argparse.Namespace) -> int:
    """Handler of ``brink data``."""
    if args.kind == "states":
        records = _states(_date(args.date), args.match)
    elif args.kind == "pacts":
        records = _pacts(args.states, _date(args.date))
    else:
        records = _capabilities(args.states, _year(args.year))
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        print_table(records)
    return 0


def _year(text: str) -> int:
    if not text.strip().isdigit():
        raise BrinkInputError(
            f"'{text}' is not a year", Location(file="command line", key="--year")
        )
    return int(text)


def _states(date: dt.date, match: str | None) -> list[dict[str, Any]]:
    from brink.scenarios import state_data as data
    from brink.scenarios.datasets import nmc_number, nmc_rows
    from brink.scenarios.skeleton import check_date

    check_date(date)
    records = []
    for ccode in data.states_in(date.year):
        code = data.abbreviations()[ccode]
        name = data.state_name(ccode, date.year)
        if match and match.lower() not in f"{code} {name}".lower():
            continue
        capital = data.capital_of(ccode, date.year)
        polity = data.polity_row(ccode, date.year)
        score = None if polity is None or math.isnan(polity[2]) else polity[2]
        row = nmc_rows()[ccode, date.year]
        records.append(
            {
                "code": code,
                "cow": ccode,
                "name": name,
                "capital": capital.name if capital else None,
                "polity2": score,
                "regime": None if score is None else data.regime_of(score),
                "nuclear": data.nuclear_on(ccode, date)[0],
                "cinc": _value(nmc_number(row, "cinc")),
                "milper": _value(nmc_number(row, "milper")),
            }
        )
    return records


def _pacts(queries: list[str], date: dt.date) -> list[dict[str, Any]]:
    from brink.scenarios import state_data as data
    from brink.scenarios.skeleton import check_date

    check_date(date)
    ccodes = [data.find_state(query, date.year) for query in queries]
    return [
        {
            "atop": pact.atopid,
            "kind": pact.kind,
            "begins": pact.begins.isoformat(),
            "ends": None if pact.ends is None else pact.ends.isoformat(),
            "members": {
                data.abbreviations()[ccode]: joined for ccode, joined in pact.members.items()
            },
        }
        for pact in data.pacts_on(ccodes, date)
    ]


def _capabilities(queries: list[str], year: int) -> list[dict[str, Any]]:
    from brink.scenarios import state_data as data
    from brink.scenarios.datasets import nmc_number, nmc_rows

    records = []
    for query in queries:
        ccode = data.find_state(query, year, Location(file="command line", key="STATE"))
        row = nmc_rows()[ccode, year]
        records.append(
            {
                "code": data.abbreviations()[ccode],
                "cow": ccode,
                "year": year,
                **{
                    column: _value(nmc_number(row, column))
                    for column in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
                },
            }
        )
    return records


def _value(number: float) -> float | None:
    return None if math.isnan(number) else number


def print_table(records: list[dict[str, Any]]) -> None:
    """Records as aligned columns; ``-`` for a missing value, ``(none)`` for no records."""
    if not records:
        print("(none)")
        return
    columns = list(records[0])
    cells = [[_cell(record[column]) for column in columns] for record in records]
    widths = [max(len(column), *(len(row[i]) for row in cells)) for i, column in enumerate(columns)]
    print(
        "  ".join(
            column.ljust(width) for column, width in zip(columns, widths, strict=True)
        ).rstrip()
    )
    for row in cells:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return " ".join(f"{key}:{item}" for key, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.4f}" if abs(value) < 1 else f"{value:g}"
    return str(value)

"""Readers of the research data bundled in ``data/`` (see ``data/README.md`` for citations).

Each reader loads its file once per process; nothing here touches the network.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from brink.errors import BrinkInputError, Location

if TYPE_CHECKING:
    import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NMC_FILE = DATA_DIR / "cow-nmc-v6.csv"


@cache
def national_capabilities() -> pd.DataFrame:
    """COW National Material Capabilities v6.0, indexed by (ccode, year).

    Singer, Bremer & Stuckey (1972); NMC v6.0 (2021). ``milper`` is thousands of personnel,
    ``cinc`` the composite capability share; -9 marks a missing value and becomes NaN.
    """
    import pandas as pd  # here: scenario loading reads NMC without pandas (see nmc_rows)

    frame = pd.read_csv(NMC_FILE, na_values=["-9"])
    return frame.set_index(["ccode", "year"]).sort_index()


@cache
def nmc_rows() -> dict[tuple[int, int], dict[str, float | str]]:
    """COW NMC v6.0 as plain rows keyed by (ccode, year), read with the csv module.

    Each row maps a column to its number (``stateabb`` stays text); -9 becomes NaN, as in
    :func:`national_capabilities`, and the numbers are the same. Scenario loading and the
    retrodiction's case building need rows, not a frame; reading them without pandas keeps
    pandas out of processes that only load scenarios, such as a sweep's main process (see
    :meth:`brink.experiments.sweep.designs.Design.table`). The rows are shared: do not change them.
    """
    rows: dict[tuple[int, int], dict[str, float | str]] = {}
    with open(NMC_FILE, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            values: dict[str, float | str] = {"stateabb": record.pop("stateabb")}
            for column, text in record.items():
                number = float(text) if text else math.nan
                values[column] = math.nan if number == -9 else number
            rows[int(values["ccode"]), int(values["year"])] = values
    return rows


def nmc_number(row: dict[str, float | str], column: str) -> float:
    """A number of an NMC row: every column but ``stateabb`` is one (NaN where missing)."""
    value = row[column]
    if isinstance(value, str):
        raise TypeError(f"NMC's {column} is text, not a number")
    return value


def nmc_record(ccode: int, year: int, location: Location | None = None) -> dict[str, float | str]:
    """The NMC row of one state in one year (see :func:`nmc_rows`), or a located error naming
    the years available."""
    rows = nmc_rows()
    row = rows.get((ccode, year))
    if row is not None:
        return dict(row)  # a copy: the cached rows stay as read
    years = [known_year for known_ccode, known_year in rows if known_ccode == ccode]
    if not years:
        raise BrinkInputError(f"COW code {ccode} is not in the NMC data (cow-nmc-v6.csv)", location)
    raise BrinkInputError(
        f"COW code {ccode} has no NMC record for {year} (it has {min(years)}–{max(years)})",
        location,
    )

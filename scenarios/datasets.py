"""Readers of the research data bundled in ``data/`` (see ``data/README.md`` for citations).

Each reader loads its file once per process and returns pandas objects; nothing here touches
the network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from brink.errors import BrinkInputError, Location

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NMC_FILE = DATA_DIR / "cow-nmc-v6.csv"


@cache
def national_capabilities() -> pd.DataFrame:
    """COW National Material Capabilities v6.0, indexed by (ccode, year).

    Singer, Bremer & Stuckey (1972); NMC v6.0 (2021). ``milper`` is thousands of personnel,
    ``cinc`` the composite capability share; -9 marks a missing value and becomes NaN.
    """
    frame = pd.read_csv(NMC_FILE, na_values=[-9])
    return frame.set_index(["ccode", "year"]).sort_index()


def nmc_record(ccode: int, year: int, location: Location | None = None) -> pd.Series:
    """The NMC row of one state in one year, or a located error naming the years available."""
    frame = national_capabilities()
    try:
        return frame.loc[(ccode, year)]
    except KeyError:
        years = frame.index.get_level_values("year")[frame.index.get_level_values("ccode") == ccode]
        if len(years) == 0:
            raise BrinkInputError(
                f"COW code {ccode} is not in the NMC data (cow-nmc-v6.csv)", location
            ) from None
        raise BrinkInputError(
            f"COW code {ccode} has no NMC record for {year} (it has {years.min()}–{years.max()})",
            location,
        ) from None

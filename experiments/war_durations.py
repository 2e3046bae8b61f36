"""How long wars last and who wins them: the model's wars beside history's.

History comes from the bundled data (citations in ``data/README.md``):

- **COW interstate wars** (Sarkees & Wayman 2010, v4.0): one war per ``init_war_id``, lasting
  from its first participant's entry to its last participant's exit. The file has one row per
  participant and year with the day and month of entry and exit in that year, so a war's span is
  the earliest entry to the latest exit (a day of 31 in a shorter month is read as its last day).
- **MID war-level disputes** (Gibler, Miller & Little 2016, GML 2.03, pre-1990): disputes with
  hostility level 5, their ``maxdur`` in days, and who prevailed: a victory for side A or a yield
  by side B counts for the challenger (side A), the reverse for the target.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from brink.scenarios.datasets import DATA_DIR

COW_WARS_FILE = DATA_DIR / "cow-interstate-wars.csv"
MID_FILE = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
QUARTILES = (25, 50, 75)


def _date(year, month, day) -> dt.date | None:
    try:
        year, month, day = int(year), int(month), int(day)
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    except (TypeError, ValueError):
        return None


@cache
def cow_war_days() -> tuple[float, ...]:
    """Days from the first entry to the last exit of each COW interstate war."""
    wars = pd.read_csv(COW_WARS_FILE)
    starts = [_date(*r) for r in zip(wars.year, wars.month_entry, wars.day_entry, strict=True)]
    ends = [_date(*r) for r in zip(wars.year, wars.month_exit, wars.day_exit, strict=True)]
    frame = pd.DataFrame({"war": wars.init_war_id, "start": starts, "end": ends}).dropna()
    spans = frame.groupby("war").agg(start=("start", "min"), end=("end", "max"))
    pairs = zip(spans["start"].tolist(), spans["end"].tolist(), strict=True)
    days = [(end - start).days + 1 for start, end in pairs]
    return tuple(float(d) for d in days if d > 0)


@cache
def mid_war_disputes() -> pd.DataFrame:
    """War-level MID disputes (hostlev 5): duration in days and who prevailed."""
    mids = pd.read_csv(MID_FILE)
    wars = mids[mids.hostlev == 5].drop_duplicates("dispnum")
    won = wars.outcome.map({1: "challenger", 4: "challenger", 2: "target", 3: "target"})
    return pd.DataFrame({"days": wars.maxdur.astype(float), "winner": won})


def quartiles(days) -> tuple[float, float, float]:
    values = np.asarray(list(days), dtype=float)
    if values.size == 0:
        return (float("nan"),) * 3
    low, median, high = (float(v) for v in np.percentile(values, QUARTILES))
    return low, median, high


def duration_report(model_days: list[float], model_challenger_wins: int) -> pd.DataFrame:
    """Quartiles of war duration and the challenger's share of wars won: model, COW, MID."""
    mid = mid_war_disputes()
    decided = mid.winner.dropna()
    rows = []
    for label, q_model, q_cow, q_mid in zip(
        ("war days, 25th percentile", "war days, median", "war days, 75th percentile"),
        quartiles(model_days),
        quartiles(cow_war_days()),
        quartiles(mid.days),
        strict=True,
    ):
        rows.append({"measure": label, "model": q_model, "cow": q_cow, "mid": q_mid})
    rows.append(
        {
            "measure": "wars won by the challenger",
            "model": model_challenger_wins / len(model_days) if model_days else float("nan"),
            "cow": float("nan"),
            "mid": float((decided == "challenger").mean()),
        }
    )
    rows.append(
        {
            "measure": "wars",
            "model": float(len(model_days)),
            "cow": float(len(cow_war_days())),
            "mid": float(len(mid)),
        }
    )
    return pd.DataFrame(rows)

"""What the summary says about the wars of an ensemble: how often, how long, how costly, how
they ended, and how many were still being fought when the runs stopped.

Shares come with Wilson intervals (as everywhere in the summary). A median comes with a
distribution-free 95 % interval from order statistics: the interval between the j-th and k-th
smallest of n values covers the median with probability P(j ≤ B < k), B ~ Binomial(n, ½)
(Conover 1999, *Practical Nonparametric Statistics*, §3.2). Wars still going at the end of a run
count with the days fought so far, so the duration figures are lower bounds when many are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import binom

from brink.experiments.ensemble.tables import Estimate, percent
from brink.sim.outcomes import Outcome

END_WORDS = {
    "settlement": "a negotiated settlement",
    "collapse of the challenger": "the collapse of the challenger's side",
    "collapse of the target": "the collapse of the target's side",
    "conquest": "conquest of the contested territory",
    "still going": "still being fought at the end of the run",
}


def median_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """(median, low, high): the median and a distribution-free interval for it."""
    data = np.sort(np.asarray(list(values), dtype=float))
    n = data.size
    if n == 0:
        return (float("nan"),) * 3
    median = float(np.median(data))
    alpha = 1.0 - confidence
    j = int(binom.ppf(alpha / 2, n, 0.5))  # P(B < j) ≤ α/2
    k = n - j
    low = data[max(j - 1, 0)]
    high = data[min(k, n - 1)]
    return median, float(low), float(high)


@dataclass
class DisputeWars:
    """The wars of one dispute across an ensemble."""

    dispute: str
    challenger: str
    target: str
    runs: int
    wars: int
    ongoing: Estimate  # wars still going at the end, among wars
    days: tuple[float, float, float]  # median and its interval
    quartiles: tuple[float, float]
    casualties: dict[str, tuple[float, float, float]]  # side -> median and its interval
    endings: list[Estimate] = field(default_factory=list)  # among wars
    challenger_won: Estimate | None = None  # among wars that ended


def war_facts(runs: pd.DataFrame, names: dict[str, str]) -> list[DisputeWars]:
    """Per dispute, what its wars were like (only disputes with at least one war)."""
    result: list[DisputeWars] = []
    if "war_days" not in runs:
        return result
    for dispute, group in runs.groupby("dispute", sort=False):
        wars = group[group["war"].astype(bool)]
        if wars.empty:
            continue
        challenger = names.get(group["challenger"].iloc[0], group["challenger"].iloc[0])
        target = names.get(group["target"].iloc[0], group["target"].iloc[0])
        n = len(wars)
        ongoing = wars["war_ongoing"].astype(bool)
        days = wars["war_days"].astype(float)
        endings = [
            Estimate(END_WORDS.get(end, end), int((wars["war_end"] == end).sum()), n)
            for end in END_WORDS
            if (wars["war_end"] == end).any()
        ]
        ended = wars[~ongoing]
        won = ended["outcome"].isin([Outcome.VICTORY_CHALLENGER, Outcome.YIELD_TARGET])
        result.append(
            DisputeWars(
                dispute=str(dispute),
                challenger=challenger,
                target=target,
                runs=len(group),
                wars=n,
                ongoing=Estimate("still going at the end", int(ongoing.sum()), n),
                days=median_interval(days),
                quartiles=(float(days.quantile(0.25)), float(days.quantile(0.75))),
                casualties={
                    "challenger": median_interval(wars["casualties_challenger"].astype(float)),
                    "target": median_interval(wars["casualties_target"].astype(float)),
                },
                endings=endings,
                challenger_won=(
                    Estimate(f"won by {challenger}'s side", int(won.sum()), len(ended))
                    if len(ended)
                    else None
                ),
            )
        )
    return result


def war_markdown(facts: list[DisputeWars]) -> list[str]:
    """The summary's section on the wars, as Markdown lines."""
    lines = ["## The wars", ""]
    if not facts:
        return [*lines, "No war was fought in any run."]
    for war in facts:
        median, low, high = war.days
        q25, q75 = war.quartiles
        lines += [
            f"Dispute `{war.dispute}`: {war.wars} of {war.runs} runs saw a war between "
            f"{war.challenger} and {war.target}.",
            "",
            f"- Days of fighting: median {median:.0f} (95 % CI {low:.0f}–{high:.0f}), "
            f"quartiles {q25:.0f} and {q75:.0f}.",
        ]
        for side, label in (("challenger", war.challenger), ("target", war.target)):
            median, low, high = war.casualties[side]
            lines.append(
                f"- Losses of {label}'s side: median {median:.1f} thousand "
                f"(95 % CI {low:.1f}–{high:.1f})."
            )
        lines.append(f"- Wars {war.ongoing.text()}.")
        if war.challenger_won is not None:
            lines.append(f"- Of the wars that ended, {war.challenger_won.text()}.")
        ended = ", ".join(
            f"{e.label} {percent(e.share)}"
            for e in war.endings
            if e.label != END_WORDS["still going"]
        )
        if ended:
            lines.append(f"- How the wars ended (share of wars): {ended}.")
        lines.append("")
    return lines[:-1]

"""The tables of an ensemble's runs, and a share of runs with its interval.

:func:`outcome_table` (each outcome's share per dispute), :func:`side_table` (who fought on which
side) and :func:`escalation_bands` (the system escalation score's median and bands per step)
serve the summary, the figures, the casebook and ``brink.run``'s result. :class:`Estimate` is a
share of runs with its Wilson score 95 % interval (Wilson 1927; Brown, Cai & DasGupta 2001
recommend it over the normal interval for the small and extreme shares a crisis ensemble
produces), as the summary and its war section print it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from brink.experiments.intervals import wilson
from brink.scenarios.spec import Scenario
from brink.sim.record import RUN_OUTCOMES as OUTCOMES


@dataclass(frozen=True)
class Estimate:
    """A share of runs with its Wilson 95 % interval, and the words that say what it counts."""

    label: str
    successes: int
    trials: int

    @property
    def share(self) -> float:
        return self.successes / self.trials if self.trials else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.successes, self.trials)

    def text(self) -> str:
        """``"Russia uses force against Ukraine: 23.4 % (95 % CI 20.9–26.1)"``."""
        low, high = self.interval
        return f"{self.label}: {percent(self.share)} (95 % CI {low * 100:.1f}–{high * 100:.1f})"


def percent(share: float) -> str:
    """A share as ``"23.4 %"``."""
    return f"{share * 100:.1f} %"


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def split_codes(text: object) -> list[str]:
    """The codes of a ``;``-joined cell (empty, None or NaN: none)."""
    if not isinstance(text, str) or not text:
        return []
    return [code for code in text.split(";") if code]


def actor_name(scenario: Scenario, code: str) -> str:
    """A state's or an alliance's name, or the code itself when the scenario has neither."""
    if code in scenario.states:
        return scenario.states[code].name
    if code in scenario.alliances:
        return scenario.alliances[code].id
    return code


def members_in_force(scenario: Scenario, alliance: str) -> set[str]:
    """Members of ``alliance`` at the scenario's start, plus those its timeline admits.

    A member counts if it joined in or before the start year and had not left by then; a
    ``join_alliance`` event in the timeline adds a state (e.g. Finland and NATO).
    """
    spec = scenario.alliances[alliance]
    year = int(scenario.start_date[:4])
    members = {
        m.state for m in spec.members if m.joined <= year and (m.left is None or m.left > year)
    }
    for event in scenario.events:
        if event.kind == "join_alliance" and event.ref == alliance and event.actor:
            members.add(event.actor)
    return members


def outcome_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Share of runs ending in each outcome, per dispute, with Wilson intervals.

    Returns:
        pd.DataFrame: dispute, challenger, target, outcome, count, runs, share, low, high; every
        outcome of :data:`~brink.sim.record.OUTCOMES` appears for every dispute, zeros included.
    """
    rows = []
    for dispute, group in runs.groupby("dispute", sort=False):
        trials = len(group)
        counts = group["outcome"].value_counts()
        for outcome in OUTCOMES:
            count = int(counts.get(outcome, 0))
            low, high = wilson(count, trials)
            rows.append(
                dict(
                    dispute=dispute,
                    challenger=group["challenger"].iloc[0],
                    target=group["target"].iloc[0],
                    outcome=outcome,
                    count=count,
                    runs=trials,
                    share=count / trials,
                    low=low,
                    high=high,
                )
            )
    columns = ["dispute", "challenger", "target", "outcome", "count", "runs", "share", "low"]
    return pd.DataFrame(rows, columns=[*columns, "high"])


def side_table(runs: pd.DataFrame) -> pd.DataFrame:
    """For each dispute and state, the share of runs in which it fought on each side.

    Returns:
        pd.DataFrame: dispute, challenger, target, state, side (``challenger`` or ``target``),
        count, runs, share; only states that fought at least once.
    """
    rows = []
    for dispute, group in runs.groupby("dispute", sort=False):
        trials = len(group)
        for side in ("challenger", "target"):
            counts: dict[str, int] = {}
            for cell in group[f"side_{side}"]:
                for code in set(split_codes(cell)):
                    counts[code] = counts.get(code, 0) + 1
            for code, count in counts.items():
                rows.append(
                    dict(
                        dispute=dispute,
                        challenger=group["challenger"].iloc[0],
                        target=group["target"].iloc[0],
                        state=code,
                        side=side,
                        count=count,
                        runs=trials,
                        share=count / trials,
                    )
                )
    columns = ["dispute", "challenger", "target", "state", "side", "count", "runs", "share"]
    return pd.DataFrame(rows, columns=columns)


def escalation_bands(escalation: pd.DataFrame, horizon: int | None = None) -> pd.DataFrame:
    """Median and 50 % / 90 % bands of the system escalation score at each step.

    A run that ended before the horizon holds the status quo (score 0, Rivera et al. 2024)
    for its remaining steps, so every step summarises every run.

    Args:
        escalation: run, step, escalation_score (one row per run and step).
        horizon: last step to show; default the last step any run reached.

    Returns:
        pd.DataFrame: step, median, q05, q25, q75, q95, mean, active (share of runs still going).
    """
    if escalation.empty:
        columns = ["step", "median", "q05", "q25", "q75", "q95", "mean", "active"]
        return pd.DataFrame(columns=columns)
    wide = escalation.pivot_table(
        index="run", columns="step", values="escalation_score", aggfunc="first"
    )
    first = int(wide.columns.min())
    last = int(horizon if horizon is not None else wide.columns.max())
    steps = np.arange(first, last + 1)
    wide = wide.reindex(columns=steps)
    active = wide.notna().mean(axis=0).to_numpy()
    values = wide.fillna(0.0).to_numpy(dtype=float)
    q05, q25, median, q75, q95 = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return pd.DataFrame(
        dict(
            step=steps,
            median=median,
            q05=q05,
            q25=q25,
            q75=q75,
            q95=q95,
            mean=values.mean(axis=0),
            active=active,
        )
    )

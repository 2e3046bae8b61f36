"""Which run of an ensemble to show: one that ends in war, the most likely ending, the longest,
the most eventful.

A presenter picks the run to show by what it tells, not by its number (issue 27: ``brink
animate`` drew run 0, three frames of a crisis that ended at once). Everything here reads the
tables ``brink run`` writes (``runs``, ``steps``, ``events``; sim/record.py), never a model,
so the replay's run picker, ``brink animate`` and the live view's ensemble choose alike.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from brink.viz.narrate import ROUTINE_ACTIONS
from brink.viz.timeline import GROUP_OF_OUTCOME

#: The choices, in the words the pickers show.
CHOICES = {
    "war": "a run that ends in war",
    "likely": "the most likely ending",
    "longest": "the longest",
    "eventful": "the most eventful",
}


def choice_labels(picks: dict[str, int], kinds: tuple[str, ...] = ("war", "likely", "longest")):
    """The picker's entries for ``picks``: ``the longest (run 7)`` → 7, in :data:`CHOICES`'
    order."""
    return {f"{CHOICES[kind]} (run {picks[kind]})": picks[kind] for kind in kinds if kind in picks}


def _group(outcome: object, war: Any) -> str:
    if war is not None and not pd.isna(war) and bool(war):
        return "war"
    return GROUP_OF_OUTCOME.get(str(outcome), str(outcome))


def run_lengths(steps: pd.DataFrame) -> pd.Series:
    """Each run's last step, by run."""
    if len(steps) == 0:
        return pd.Series(dtype=int)
    return steps.groupby("run")["step"].max().astype(int)


def notable_events(events: pd.DataFrame) -> pd.Series:
    """How many notable events (not routine status-quo moves) each run logged, by run."""
    if len(events) == 0:
        return pd.Series(dtype=int)
    notable = events[~events["action"].isin(ROUTINE_ACTIONS)]
    return notable.groupby("run").size().astype(int)


def pick_runs(
    runs: pd.DataFrame, steps: pd.DataFrame, events: pd.DataFrame, dispute: str | None = None
) -> dict[str, int]:
    """The run to show for each of :data:`CHOICES` that some run fits (``war`` is missing when
    no run went to war). ``dispute``: the dispute whose ending counts (default: each run's
    first row). Ties go to the lowest run number, so the choice is the same every time.

    - **war**: of the runs whose dispute went to war, the one with the most notable events;
    - **likely**: of the runs with the most common ending (war, the challenger's way, a
      compromise, the target's way, no ending: :data:`brink.viz.timeline.GROUP_OF_OUTCOME`),
      the one whose length is nearest the median of those runs;
    - **longest**: the run with the most steps;
    - **eventful**: the run with the most notable events (then the longest).
    """
    lengths = run_lengths(steps)
    if len(lengths) == 0:
        return {}
    counts = notable_events(events).reindex(lengths.index, fill_value=0)
    order = sorted(lengths.index)
    picks = {
        "longest": max(order, key=lambda run: (lengths[run], -run)),
        "eventful": max(order, key=lambda run: (counts[run], lengths[run], -run)),
    }
    if len(runs) and {"run", "outcome"} <= set(runs.columns):
        rows = runs[runs["dispute"] == dispute] if dispute and "dispute" in runs else runs
        rows = rows.drop_duplicates("run").set_index("run")
        war = rows["war"] if "war" in rows else pd.Series(False, index=rows.index)
        groups = pd.Series(
            [_group(o, w) for o, w in zip(rows["outcome"], war, strict=True)], index=rows.index
        )
        groups = groups[groups.index.isin(order)]
        at_war = [run for run in order if groups.get(run) == "war"]
        if at_war:
            picks["war"] = max(at_war, key=lambda run: (counts[run], -run))
        if len(groups):
            tally = groups.value_counts()
            common = min(tally[tally == tally.max()].index)  # ties: by name, every time
            members = [run for run in order if groups.get(run) == common]
            middle = float(pd.Series([lengths[run] for run in members]).median())
            picks["likely"] = min(members, key=lambda run: (abs(lengths[run] - middle), run))
    return picks

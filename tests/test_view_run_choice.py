"""Which run the pickers show: one that ends in war, the most likely ending, the longest, the
most eventful (issue 27)."""

from __future__ import annotations

import pandas as pd

from brink.viz.run_choice import choice_labels, pick_runs


def _tables():
    # run: (outcome, war, last step, notable events)
    runs_spec = {
        0: ("yield_challenger", False, 3, 2),
        1: ("victory_target", True, 40, 9),
        2: ("yield_challenger", False, 12, 4),
        3: ("yield_challenger", False, 20, 3),
        4: ("compromise", False, 90, 5),
        5: ("victory_challenger", True, 30, 12),
    }
    runs = pd.DataFrame(
        [
            {"run": run, "dispute": "main", "outcome": outcome, "war": war}
            for run, (outcome, war, _, _) in runs_spec.items()
        ]
    )
    steps = pd.DataFrame(
        [
            {"run": run, "step": step}
            for run, (_, _, last, _) in runs_spec.items()
            for step in range(last + 1)
        ]
    )
    events = pd.DataFrame(
        [
            {"run": run, "step": 1, "action": "escalate"}
            for run, (_, _, _, count) in runs_spec.items()
            for _ in range(count)
        ]
        + [{"run": 4, "step": 2, "action": "press"}] * 50  # routine moves do not count
    )
    return runs, steps, events


def test_each_choice_picks_the_run_that_fits():
    runs, steps, events = _tables()
    picks = pick_runs(runs, steps, events, "main")
    assert picks["longest"] == 4
    assert picks["eventful"] == 5
    assert picks["war"] == 5  # of the two wars, the one with more events
    # The most common ending is the challenger's yield (runs 0, 2, 3; lengths 3, 12, 20):
    # the run nearest the median length.
    assert picks["likely"] == 2
    labels = choice_labels(picks)
    assert labels == {
        "a run that ends in war (run 5)": 5,
        "the most likely ending (run 2)": 2,
        "the longest (run 4)": 4,
    }


def test_no_war_means_no_war_choice():
    runs, steps, events = _tables()
    calm = runs.assign(war=False, outcome="compromise")
    picks = pick_runs(calm, steps, events, "main")
    assert "war" not in picks
    assert picks["likely"] in set(calm["run"])
    assert pick_runs(runs.iloc[0:0], steps.iloc[0:0], events.iloc[0:0]) == {}

"""A deep copy of a run in progress is an independent run that goes exactly where the original
would (the "what if" of ``brink view --play`` runs continuations from such copies)."""

from __future__ import annotations

import copy

from brink.scenarios.loader import load_scenario
from brink.sim.model import CrisisModel, simulate


def _finish(model: CrisisModel):
    while model.running:
        model.step()
    return model.finish()


def test_a_copy_goes_where_the_original_would_and_leaves_it_alone():
    scenario = load_scenario("black_sea_2022")
    whole = simulate(scenario, seed=17)
    model = CrisisModel(scenario, seed=17)
    model.step()  # the timeline still holds events to fire (aid from day 17 of January on)
    assert any(callback.scheduled[0] > 1 for callback in model._callbacks)
    events_before = list(model.record.events)
    clone = copy.deepcopy(model)
    copied = _finish(clone)
    assert model.steps_done == 1
    assert model.record.events == events_before  # the copy's timeline fired on the copy
    original = _finish(model)
    for table in ("runs", "events", "steps", "beliefs"):
        assert getattr(copied, table) == getattr(whole, table), table
        assert getattr(original, table) == getattr(whole, table), table

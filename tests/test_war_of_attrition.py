"""The screening standoff proven the way the Fearon ultimatum is: the war of attrition's exact
equilibrium (../shared/design/CRISIS.md §1; docs/classics.md) reproduced through the pipeline."""

from __future__ import annotations

import math

import numpy as np
import pytest

from brink.agents.attrition import AttritionView
from brink.scenarios.loader import load_scenario
from brink.sim.model import CrisisModel

COST = 0.002  # the bundled scenario's standoff_cost: one unit of the classic's time is 500 days


def equilibrium_time(value: float, cost: float = 1.0) -> float:
    """T(v) = (−v − ln(1 − v))/c for values uniform on [0, 1]."""
    return (-value - math.log1p(-value)) / cost


def test_stopping_times_are_the_equilibrium_ones():
    view = AttritionView(1.0, 1.0, 0.0, lambda resolve: resolve / COST)
    for value, check in ((0.25, 0.0377), (0.5, 0.1931), (0.9, 1.4026)):  # CRISIS.md, c = 1
        assert view.days_until_yield(value / COST) == pytest.approx(check / COST, rel=2e-3)
        assert equilibrium_time(value) == pytest.approx(check, abs=1e-4)


def test_belief_that_the_other_gives_way_is_continuous_and_falls_as_it_holds():
    view = AttritionView(2.0, 2.0, 0.0, lambda resolve: resolve / COST)
    chances = [view.chance_other_yields(day, 30.0) for day in (0, 30, 90, 180, 365)]
    assert all(0.0 < chance < 1.0 for chance in chances)
    assert chances == sorted(chances, reverse=True)  # holding reveals resolve: the hazard falls
    assert view.floor_after(90.0) > view.floor_after(30.0) > 0.0


def test_a_side_weaker_than_every_type_of_the_other_gives_way_at_once():
    view = AttritionView(2.0, 2.0, 0.0, lambda resolve: 50.0 + resolve / COST)
    assert view.days_until_yield(40.0) == 0.0
    assert view.days_until_yield(1e9) == math.inf


def test_the_side_that_values_the_issue_more_always_wins():
    scenario = load_scenario("classics/war_of_attrition")
    for seed in range(150):
        model = CrisisModel(scenario, seed=seed, record_steps=False)
        while model.running:
            model.step()
        quitter = next(
            event["actor"]
            for event in model.record.events
            if event["action"] in ("back_down", "concede")
        )
        winner = next(code for code in model.states if code != quitter)
        assert model.states[winner].resolve > model.states[quitter].resolve


@pytest.mark.slow
def test_war_of_attrition_through_the_command_line(tmp_path):
    from brink.cli import main
    from brink.experiments.ensemble.folder import read_run_dir

    out = tmp_path / "attrition"
    argv = ["run", "classics/war_of_attrition", "--runs", "1500", "--seed", "3"]
    assert main([*argv, "--out", str(out), "--no-progress"]) == 0
    runs = read_run_dir(out)["runs"]
    days = runs["duration"].to_numpy(dtype=float)
    assert not runs["war"].any()
    assert set(runs["outcome"]) <= {"stalemate", "yield_target"}  # one side always gives way
    # Expected length 1/(6c); a side gives way on the first whole day at or past T(v), so the
    # record runs about one day behind continuous time.
    standard_error = days.std() / math.sqrt(len(days))
    assert abs(days.mean() - (1 / (6 * COST) + 1.0)) < 4 * standard_error
    for unit_time, still_going in ((0.05, 0.513), (0.1, 0.381), (0.2, 0.243), (0.5, 0.091)):
        share = float(np.mean(days > unit_time / COST))
        error = math.sqrt(still_going * (1 - still_going) / len(days))
        assert abs(share - still_going) < 4 * error + 0.004

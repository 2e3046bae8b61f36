"""Axelrod's tribute model: the v4.0 checks of docs/classics.md, derived cases and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brink.sim.classics.tribute import TributeModel
from brink.sim.classics.tribute_runs import (
    cluster_spells,
    find_clusters,
    run_populations,
    run_tribute,
)


def two_actors(w0: float, w1: float) -> TributeModel:
    return TributeModel(2, rng=0, initial_wealth=[w0, w1])


def test_classics_check_500_300_fights_to_425_175():
    model = two_actors(500, 300)
    (option,) = model.candidates(0)[:1]
    assert model.demand_value(option) == pytest.approx(100.0)
    event = model.activate(0)
    assert event.outcome == "fight"
    assert model.wealth.tolist() == pytest.approx([425.0, 175.0])
    assert model.commitment[0, 1] == 0  # opposed sides lose 10, floored at 0


def test_classics_check_1200_400_pays_to_1450_150_and_commits_both_ways():
    model = two_actors(1200, 400)
    event = model.activate(0)
    assert event.outcome == "pay"
    assert model.wealth.tolist() == pytest.approx([1450.0, 150.0])
    assert model.commitment[0, 1] == model.commitment[1, 0] == 10


def test_classics_check_1000_200_pays_everything_on_a_tie():
    model = two_actors(1000, 200)
    event = model.activate(0)
    assert (event.outcome, event.amount) == ("pay", 200.0)
    assert model.wealth.tolist() == pytest.approx([1200.0, 0.0])


def test_weaker_actor_makes_no_demand():
    # Derived: value = min(250, 500) * (300 - 500) / 300 < 0, so no demand.
    model = two_actors(300, 500)
    assert model.activate(0).outcome == "none"
    assert model.wealth.tolist() == [300.0, 500.0]


def test_only_neighbours_are_candidates_without_commitments():
    model = TributeModel(10, rng=1)
    assert sorted(option.target for option in model.candidates(4)) == [3, 5]


def test_committed_neighbour_joins_and_extends_reach():
    # Derived: 1 is committed 50 to 0, so 0 can reach 2 through 1, and 1 fights on 0's side.
    model = TributeModel(5, rng=0, initial_wealth=[400, 400, 300, 300, 300])
    model.commitment[0, 1] = model.commitment[1, 0] = 50
    targets = {option.target: option for option in model.candidates(0)}
    assert set(targets) == {1, 2, 4}
    reach = targets[2]
    assert reach.attackers == (0, 1)
    assert reach.attack_strength == pytest.approx(400 + 0.5 * 400)
    # Defence of 2 is 2 alone: 3 has no commitment to either side (0 vs 0 is not '<').
    assert reach.defenders == (2,)
    value = model.demand_value(reach)
    assert value == pytest.approx(250 * (600 - 300) / 600)


def test_fight_damage_shares_and_commitment_changes():
    model = TributeModel(4, rng=0, initial_wealth=[600, 400, 100, 100])
    model.commitment[0, 1] = model.commitment[1, 0] = 50
    option = next(o for o in model.candidates(0) if o.target == 2)
    model._fight(option, 0)
    # Attack strength 600 + 200 = 800 inflicts min(200, 100) = 100 on 2; defence 100 inflicts
    # 25, shared 600:200 between 0 and 1.
    assert model.wealth.tolist() == pytest.approx([600 - 18.75, 400 - 6.25, 0.0, 100.0])
    assert model.commitment[0, 1] == 60  # allies +10
    assert model.commitment[0, 2] == 0 and model.commitment[1, 2] == 0


@given(seed=st.integers(0, 2**32 - 1), years=st.integers(1, 150))
@settings(max_examples=25, deadline=None)
def test_invariants_over_runs(seed, years):
    model = TributeModel(10, rng=seed)
    for _ in range(years):
        before = model.wealth.sum()
        first_event = len(model.history.events)
        model.step()
        events = model.history.events[first_event:]
        destroyed = sum(e.amount for e in events if e.outcome == "fight")
        # Payments conserve wealth, fights destroy it, production adds 20 per actor.
        assert model.wealth.sum() == pytest.approx(before + 200 - destroyed, rel=1e-12)
        assert (model.wealth >= 0).all()
        assert (model.commitment >= 0).all() and (model.commitment <= 100).all()
        assert (np.diag(model.commitment) == 100).all()
        assert (model.commitment == model.commitment.T).all()
        assert len(events) == 3


def test_same_seed_same_run_and_different_seed_differs():
    a, b, c = run_tribute(200, 7), run_tribute(200, 7), run_tribute(200, 8)
    assert a.wealth.equals(b.wealth) and a.events.equals(b.events)
    assert not a.wealth.equals(c.wealth)


def test_find_clusters_takes_maximal_mutual_arcs():
    n = 6
    commitment = np.eye(n, dtype=int) * 100
    for a, b in [(0, 1), (1, 2), (0, 2), (4, 5)]:
        commitment[a, b] = commitment[b, a] = 60
    commitment[5, 0] = commitment[0, 5] = 40  # below the threshold: 5 and 0 do not bind
    assert find_clusters(commitment) == [frozenset({0, 1, 2}), frozenset({4, 5})]
    # At 30, 5 and 0 bind, but 4 and 0 do not, so the arcs {0, 5} and {4, 5} stay apart.
    assert find_clusters(commitment, threshold=30) == [
        frozenset({0, 5}),
        frozenset({0, 1, 2}),
        frozenset({4, 5}),
    ]
    commitment[0, 2] = commitment[2, 0] = 0  # 0 and 2 no longer bound: {0,1,2} is not a cluster
    assert frozenset({0, 1, 2}) not in find_clusters(commitment)


def test_cluster_spells_record_formation_and_duration():
    apart = np.eye(3, dtype=int) * 100
    together = apart.copy()
    together[0, 1] = together[1, 0] = 80
    spells = cluster_spells([apart, together, together, apart, together])
    assert spells[["members", "formed", "last", "duration", "holding"]].values.tolist() == [
        ["0 1", 2, 3, 2, False],
        ["0 1", 5, 5, 1, True],
    ]


def test_populations_use_spawned_seeds_and_clusters_emerge():
    runs = run_populations(years=300, seed=3, populations=3)
    assert [run.population for run in runs] == [0, 1, 2]
    assert not runs[0].wealth.equals(runs[1].wealth)
    # Axelrod 1997: clusters of mutually committed actors emerge.
    assert all((run.clusters["duration"] >= 10).any() for run in runs)
    years = runs[0].years
    assert (years["demands"] == years["payments"] + years["fights"]).all()
    assert years["total_wealth"].iloc[-1] == pytest.approx(
        runs[0].wealth.query("year == 0")["wealth"].sum() + 300 * 200 - years["destroyed"].sum()
    )


@pytest.mark.slow
def test_long_runs_conserve_wealth_year_by_year():
    for run in run_populations(years=2000, seed=11, populations=3):
        years = run.years
        start = run.wealth.query("year == 0")["wealth"].sum()
        expected = start + 200 * years["year"] - years["destroyed"].cumsum()
        np.testing.assert_allclose(years["total_wealth"], expected, rtol=1e-9)
        assert (run.wealth["wealth"] >= 0).all()
        assert run.commitment["commitment"].between(0, 100).all()

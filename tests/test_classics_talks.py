"""Talks over a scenario's demand: who sits at the table, where, and how much they care."""

from __future__ import annotations

import pytest

from brink.errors import BrinkInputError
from brink.scenarios.loader import load_scenario
from brink.sim.classics.talks import demand_actors, find_demand, forecast_demand


@pytest.fixture(scope="module")
def black_sea():
    return load_scenario("black_sea_2022")


def test_alliance_target_seats_every_member_with_the_leader_caring_most(black_sea):
    demand = find_demand(black_sea, "nato_rollback")
    actors = {a.name: a for a in demand_actors(black_sea, demand)}
    assert actors["RUS"].position == demand.size
    assert actors["USA"].position == 0.0 and actors["POL"].position == 0.0
    top = max(demand.stakes_challenger, demand.stakes_target)
    assert actors["USA"].salience == pytest.approx(demand.stakes_target / top)
    assert actors["POL"].salience == pytest.approx(0.5 * demand.stakes_target / top)
    assert actors["RUS"].capability == black_sea.states["RUS"].capability
    # Russia's allies in force at the start stand with it.
    assert actors["BLR"].position == demand.size


def test_state_target_seats_only_the_disputants_and_their_allies(black_sea):
    demand = find_demand(black_sea, "ukraine_neutrality")
    names = {a.name for a in demand_actors(black_sea, demand)}
    assert {"RUS", "UKR"} <= names
    assert "USA" not in names  # Ukraine has no alliance in force in the scenario


def test_settlement_lies_between_the_status_quo_and_the_demand(black_sea):
    for demand in black_sea.demands:
        result = forecast_demand(black_sea, demand.id, rounds=3)
        assert 0.0 <= result.settlement <= demand.size


def test_unknown_demand_names_the_nearest(black_sea):
    with pytest.raises(BrinkInputError, match="did you mean 'nato_rollback'"):
        find_demand(black_sea, "nato_rolback")

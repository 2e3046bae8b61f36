"""Where talks over a scenario's demand would settle, by the expected-utility model.

A demand asks the target to concede a share ``x`` of the stake. The issue scale here is the share
conceded to the challenger, from 0 (the status quo) to 1. The actors of
:mod:`brink.sim.classics.bdm` are built from the scenario:

- the challenger stands at ``x`` and the target at 0, each with salience its stake divided by
  the larger of the two stakes (the side with more at stake cares most, at salience 1);
- when the target is an alliance, every member in force stands at 0; its leader (or, without
  one, every member) with the target's salience, the others with ``ally_salience`` times it;
- the partners of each disputant in alliances in force at the scenario's start stand with it,
  with ``ally_salience`` times its salience (a stated assumption: allies care, but less); a state
  allied to both sides stays out;
- capability is each state's CINC share.
"""

from __future__ import annotations

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.scenarios.spec import AllianceSpec, DemandSpec, Scenario
from brink.sim.classics.bdm import DEFAULT_ROUNDS, BdmActor, Forecast, forecast

ALLY_SALIENCE = 0.5


def members_in_force(alliance: AllianceSpec, year: int) -> list[str]:
    """Members of ``alliance`` in force in ``year``."""
    return [
        m.state for m in alliance.members if m.joined <= year and (m.left is None or m.left > year)
    ]


def _partners(scenario: Scenario, state: str, year: int) -> set[str]:
    partners: set[str] = set()
    for alliance in scenario.alliances.values():
        members = members_in_force(alliance, year)
        if state in members:
            partners.update(members)
    partners.discard(state)
    return partners


def find_demand(scenario: Scenario, demand_id: str) -> DemandSpec:
    """The demand with id ``demand_id``, or a located error naming the nearest id."""
    for demand in scenario.demands:
        if demand.id == demand_id:
            return demand
    raise BrinkInputError(
        f"no demand '{demand_id}'" + did_you_mean(demand_id, [d.id for d in scenario.demands]),
        Location(file=scenario.path, key="demands"),
    )


def demand_actors(
    scenario: Scenario, demand: DemandSpec, ally_salience: float = ALLY_SALIENCE
) -> list[BdmActor]:
    """The actors of talks over ``demand`` (rules in the module docstring).

    Args:
        scenario: The scenario.
        demand: One of its demands.
        ally_salience: An ally's salience as a share of its principal's.

    Returns:
        The actors on the 0–1 scale of the share conceded.
    """
    year = int(scenario.start_date[:4])
    top = max(demand.stakes_challenger, demand.stakes_target)
    challenger_salience = demand.stakes_challenger / top
    target_salience = demand.stakes_target / top
    camp: dict[str, tuple[float, float]] = {demand.by: (demand.size, challenger_salience)}
    if demand.on in scenario.alliances:
        alliance = scenario.alliances[demand.on]
        for member in members_in_force(alliance, year):
            leads = alliance.leader in (None, member)
            camp[member] = (0.0, target_salience * (1.0 if leads else ally_salience))
        target_side = set(members_in_force(alliance, year))
    else:
        camp[demand.on] = (0.0, target_salience)
        target_side = {demand.on}
    challenger_allies = _partners(scenario, demand.by, year)
    target_allies = set().union(*(_partners(scenario, s, year) for s in target_side))
    for ally in sorted(challenger_allies - target_allies - set(camp)):
        camp[ally] = (demand.size, ally_salience * challenger_salience)
    for ally in sorted(target_allies - challenger_allies - set(camp)):
        camp[ally] = (0.0, ally_salience * target_salience)
    return [
        BdmActor(code, scenario.states[code].capability, position, salience)
        for code, (position, salience) in camp.items()
        if code in scenario.states
    ]


def forecast_demand(
    scenario: Scenario,
    demand_id: str,
    rounds: int = DEFAULT_ROUNDS,
    ally_salience: float = ALLY_SALIENCE,
) -> Forecast:
    """Forecast where talks over a scenario's demand would settle (0: nothing conceded,
    the demand's size: all of it).

    Args:
        scenario: The scenario.
        demand_id: Id of one of its demands.
        rounds: Rounds of offers.
        ally_salience: An ally's salience as a share of its principal's.

    Returns:
        The forecast round by round; ``.settlement`` is the share conceded.
    """
    demand = find_demand(scenario, demand_id)
    return forecast(demand_actors(scenario, demand, ally_salience), rounds, spread=1.0)

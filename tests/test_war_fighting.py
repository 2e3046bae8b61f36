"""Fighting that fits the forces (docs/war.md §1–§3): losses from the opponent's fire, a front
that moves fast when the ratio is overwhelming and holds near parity, forces that arrive from
their bases, and contested territories that are not states as theatres."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pytest
from scenario_factory import state
from test_war_model import duel, forced_war

from brink.errors import BrinkInputError
from brink.scenarios.loader import load_scenario
from brink.scenarios.spec import BaseSpec, DemandSpec, Scenario
from brink.sim import combat, war_termination
from brink.sim.forces import raise_contingent
from brink.sim.model import CrisisModel, simulate
from brink.sim.params import ModelParams, scenario_params
from brink.viz.map import draw_map
from brink.viz.map_projection import Extent

SEEDS = range(30)

# -- losses ----------------------------------------------------------------------------------


def test_losses_come_from_the_opponents_fire():
    params = ModelParams()
    # Lanchester's square law: the share lost is the opponent's fire over one's own size.
    assert combat.daily_loss_share(100.0, 400.0, params) == pytest.approx(4 * params.attrition_rate)
    assert combat.daily_loss_share(100.0, 100.0, params) == pytest.approx(params.attrition_rate)
    # beyond tenfold superiority in fire, losses grow no further
    assert combat.daily_loss_share(1.0, 1e6, params) == combat.daily_loss_share(1.0, 10.0, params)


def test_the_larger_army_loses_fewer_soldiers_a_day():
    params = ModelParams()
    for large, small in ((200.0, 100.0), (500.0, 100.0), (1000.0, 300.0)):
        large_loses = combat.daily_loss_share(large, small, params) * large
        small_loses = combat.daily_loss_share(small, large, params) * small
        assert large_loses < small_loses


def test_the_larger_army_loses_fewer_in_a_whole_war():
    # 300 thousand against 100 thousand defenders on their own soil: the attacker, larger even
    # after the defender's advantage, loses fewer than the defender every day of the war.
    model, dispute, _ = forced_war(duel(300.0, 100.0, horizon=120), seed=4)
    fronts = [row for row in model.record.fronts if row["dispute"] == "d"]
    assert fronts
    first = fronts[0]
    assert first["forces_challenger"] > 1.5 * 1.5 * first["forces_target"]
    war = dispute.war
    assert war.casualties("challenger") < war.casualties("target")


# -- the front -------------------------------------------------------------------------------


def test_an_overwhelming_force_takes_a_small_neighbour_within_two_weeks():
    # twenty to one, massed at the border: conquest in every run, within 14 days
    days = []
    for seed in SEEDS:
        _, dispute, _ = forced_war(duel(2000.0, 100.0, horizon=365), seed)
        assert dispute.war.end_reason in ("conquest", "collapse of the target"), seed
        assert dispute.outcome == "victory_challenger"
        days.append(dispute.war.days)
    assert max(days) <= 14


def test_the_front_saturates_and_holds_near_parity():
    params = ModelParams()
    fastest = combat.front_movement(10.0, 0.0, True, params)
    assert fastest == pytest.approx(params.advance_rate, rel=1e-6)
    # at twenty to one (the defender's 1.5 counted) the front moves at nearly its fastest
    assert combat.front_movement(np_log(20 / 1.5), 0.0, True, params) > 0.98 * fastest
    # a small edge moves it slowly
    assert 0 < combat.front_movement(np_log(1.1), 0.0, True, params) < 0.1 * fastest
    # the target counterattacking ground the challenger holds faces the challenger's
    # advantage: short of it, the front does not move
    assert combat.front_movement(np_log(1 / 1.5), 0.3, True, params) == 0.0
    assert combat.front_movement(np_log(1 / 1.5), 0.0, True, params) < 0.0
    assert combat.front_movement(np_log(1 / 3.0), 0.3, True, params) < 0.0


def np_log(x: float) -> float:
    import math

    return math.log(x)


def test_a_stalemate_reveals_less_than_decisive_fighting():
    params = ModelParams()
    still = war_termination.learning(0.0, 10.0, params)
    moving = war_termination.learning(params.advance_rate, 10.0, params)
    assert still == pytest.approx(war_termination.STALEMATE_LEARNING * 10 / params.learning_days)
    assert moving == pytest.approx(10 / params.learning_days)
    assert still < moving


def test_a_near_parity_war_outlasts_a_lopsided_one_by_far():
    def median_days(scenario):
        days = sorted(forced_war(scenario, seed)[1].war.days for seed in range(20))
        return days[len(days) // 2]

    lopsided = median_days(duel(2000.0, 100.0, horizon=1095))
    near = median_days(duel(150.0, 100.0, massed=60.0, horizon=1095))
    assert near > 3 * lopsided


# -- bases -----------------------------------------------------------------------------------


def expedition(bases=()):
    """A great power 8,000 km from a small state it fights; optionally a base next door."""
    return Scenario(
        name="expedition",
        description="test",
        start_date="2020-01-01",
        states={
            "FAR": state("FAR", 0.1, 1000.0, (40.0, -80.0)),
            "TGT": state("TGT", 0.005, 50.0, (10.0, 40.0)),
        },
        demands=(DemandSpec(id="d", by="FAR", on="TGT", issue="the coast", size=1.0),),
        bases=tuple(bases),
        horizon=365,
    )


def contingent(scenario):
    model = CrisisModel(scenario, scenario_params(scenario), seed=1)
    return raise_contingent(model, "FAR", "challenger", "TGT", 0)


def test_a_base_near_the_theatre_shortens_arrival():
    far = contingent(expedition())
    based = contingent(
        expedition([BaseSpec(id="b", owner="FAR", troops=100.0, kind="base", at=(12.0, 43.0))])
    )
    assert based.pool == pytest.approx(far.pool)
    assert based.arrival_days < 0.8 * far.arrival_days
    # a base beside the capital saves only the mobilisation of its own troops, not the way
    useless = contingent(
        expedition([BaseSpec(id="b", owner="FAR", troops=100.0, at=(40.0, -80.0))])
    )
    assert based.arrival_days < useless.arrival_days < far.arrival_days


def test_forces_staged_for_the_crisis_add_to_what_can_be_committed():
    plain = contingent(expedition())
    staged = contingent(
        expedition([BaseSpec(id="s", owner="FAR", troops=500.0, kind="staging", at=(12, 43))])
    )
    assert staged.in_theatre + staged.pool > plain.in_theatre + plain.pool + 150.0


# -- territories -----------------------------------------------------------------------------

ISLANDS = textwrap.dedent(
    """\
    name: islands
    description: A claim on an island group held by a distant power.
    start: 2020-01-01
    horizon: 120
    states:
      ARG:
        name: Claimant
        regime: autocracy
        capital: [-34.6, -58.4]
        capability: 0.006
        troops: 150
      GBR:
        name: Holder
        regime: democracy
        capital: [51.5, -0.1]
        capability: 0.03
        troops: 200
    territories:
      isles:
        name: The Isles
        held_by: GBR
        claimed_by: [ARG]
        box: [-52.5, -61.5, -51.0, -57.5]
        size: 12000
        garrison: 0.1
    bases:
      fleet:
        owner: GBR
        kind: sea
        at: [-7.9, -14.4]
        troops: 10
    demands:
      isles_claim:
        by: ARG
        on: GBR
        issue: sovereignty over the isles
        size: 1.0
        theatre: isles
        level: 3
    """
)


@pytest.fixture
def islands(tmp_path):
    path = tmp_path / "islands.yaml"
    path.write_text(ISLANDS)
    return load_scenario(str(path))


def test_a_territory_loads_as_a_theatre(islands):
    place = islands.territories["isles"]
    assert place.held_by == "GBR" and place.claimed_by == ("ARG",)
    assert place.at == pytest.approx((-51.75, -59.5))
    assert islands.demands[0].theatre == "isles"
    assert islands.bases[0].kind == "sea"


def test_a_territory_theatre_is_fought_over(islands):
    model, dispute, _ = forced_war(islands, seed=2)
    war = dispute.war
    assert war.theatre == "isles"
    assert war.home_side == "target"  # the holder defends it as its own
    # distances are taken from the territory, not from a capital
    assert model.distance_to_theatre("ARG", "isles") < 2500
    assert model.distance_to_theatre("GBR", "isles") > 12000
    assert war.days > 0
    # the whole model runs with it
    result = simulate(islands, scenario_params(islands), seed=3)
    assert result is not None


def test_the_fleet_brings_the_holder_sooner(islands):
    without = islands.__class__(**{**islands.__dict__, "bases": ()})
    with_fleet, _, _ = forced_war(islands, seed=2)
    alone, _, _ = forced_war(without, seed=2)
    assert with_fleet.record.fronts[5]["forces_target"] > alone.record.fronts[5]["forces_target"]


def test_a_territory_is_drawn_on_the_map(islands):
    figure, ax = plt.subplots()
    try:
        # (the map's default extent is built from the states' capitals alone)
        extent = Extent(lon_min=-75.0, lon_max=-45.0, lat_min=-60.0, lat_max=-30.0)
        draw_map(ax, islands, None, None, 0, extent=extent)
        labels = [patch.get_label() for patch in ax.patches]
        assert "territory isles" in labels
        texts = [text.get_text() for text in ax.texts]
        assert any("The Isles (held by Holder)" in text for text in texts)
    finally:
        plt.close(figure)


def test_an_unknown_theatre_is_a_located_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(ISLANDS.replace("theatre: isles", "theatre: isle"))
    with pytest.raises(BrinkInputError, match=r"bad.yaml:\d+.*'isle' is not a declared state or"):
        load_scenario(str(path))


def test_a_territory_needs_a_place(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(ISLANDS.replace("    box: [-52.5, -61.5, -51.0, -57.5]\n", ""))
    with pytest.raises(BrinkInputError, match="give `at`, `box` or `outline`"):
        load_scenario(str(path))

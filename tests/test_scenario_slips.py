"""Slips that are valid values but not what the writer meant are refused with one located line
(scenarios/slips.py): troops in soldiers, a capital off its state, an unknown COW code; and a
statement or deployment on the start day has its place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brink.errors import BrinkInputError
from brink.scenarios.loader import load_scenario, load_scenario_text
from brink.scenarios.slips import distance_km, outline_of
from brink.sim.model import CrisisModel

CUBA = Path(load_scenario("history/cuban_missile_1962").path).read_text(encoding="utf-8")
LOCATED = re.compile(r"^cuba\.yaml:(\d+):\d+: (\S+): ")


def refused(text: str) -> tuple[int, str, str]:
    """(line, key, message) of the one located error the text is refused with."""
    with pytest.raises(BrinkInputError) as caught:
        load_scenario_text(text, file="cuba.yaml")
    line = str(caught.value)
    assert "\n" not in line
    match = LOCATED.match(line)
    assert match, line
    return int(match[1]), match[2], line


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def edited(old: str, new: str, text: str = CUBA) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_the_unchanged_case_loads():
    assert load_scenario_text(CUBA, file="cuba.yaml").states["SUN"].troops == 3000


def test_a_deployment_in_soldiers_names_the_units():
    text = edited("troops: 41.902", "troops: 4190")
    line, key, message = refused(text)
    assert (line, key) == (line_of(text, "troops: 4190"), "deployments.sun_in_cuba.troops")
    assert "more than SUN's whole armed forces (3,000 thousand)" in message
    assert "troops are in thousands: 4,190 means 4,190,000 soldiers" in message


def test_a_deployment_in_the_timeline_is_checked_too():
    text = CUBA + (
        "timeline:\n  - date: 1962-10-20\n    deploy: {owner: CUB, host: CUB, troops: 2700}\n"
    )
    _, key, message = refused(text)
    assert key == "timeline[0].deploy.troops"
    assert "more than CUB's whole armed forces (270 thousand)" in message


def test_a_deployment_the_owner_can_field_loads():
    text = edited("troops: 41.902", "troops: 2999")
    assert load_scenario_text(text, file="cuba.yaml").deployments[0].troops == 2999


def test_a_states_own_troops_far_above_its_milper_are_refused():
    text = edited("    cow: 640 # [nmc]\n", "    cow: 640 # [nmc]\n    troops: 3000\n")
    line, key, message = refused(text)
    assert (line, key) == (line_of(text, "troops: 3000"), "states.TUR.troops")
    assert "7 times TUR's armed forces in 1962 (COW NMC milper 420 thousand)" in message
    assert "3,000 means 3,000,000 soldiers" in message
    # a mobilisation within five times the standing forces is the writer's to judge
    assert load_scenario_text(text.replace("troops: 3000", "troops: 2000"), file="cuba.yaml")


def test_a_capital_with_latitude_and_longitude_swapped_suggests_the_swap():
    text = edited("capital: [55.76, 37.62]", "capital: [37.62, 55.76]")
    line, key, message = refused(text)
    assert (line, key) == (line_of(text, "capital: [37.62"), "states.SUN.capital")
    assert "not in or near Russia's outline" in message
    assert "latitude and longitude swapped? [55.76, 37.62] is in it" in message
    # both numbers within −90–90: Havana's swap is caught by the outline, not by the range
    text = edited("capital: [23.11, -82.37]", "capital: [-82.37, 23.11]")
    assert "swapped? [23.11, -82.37]" in refused(text)[2]


def test_a_capital_far_from_its_state_names_the_cow_capital():
    text = edited("capital: [55.76, 37.62]", "capital: [-30.0, 37.62]")
    assert "give [latitude, longitude]: Moscow is [55.76, 37.62]" in refused(text)[2]


def test_another_city_of_the_same_state_is_accepted():
    leningrad = edited("capital: [55.76, 37.62]", "capital: [59.94, 30.31]")
    assert load_scenario_text(leningrad, file="cuba.yaml").states["SUN"].capital == (59.94, 30.31)


def test_latitude_beyond_90_is_out_of_range():
    text = edited("capital: [55.76, 37.62]", "capital: [116.4, 39.9]")
    _, key, message = refused(text)
    assert key == "states.SUN.capital[0]"
    assert "116.4 is above 90 (degrees north" in message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (999, "COW code 999 is no state of the COW system (not in NMC v6.0)"),
        (255, "COW 255 (GMY) is not a state of the COW system in 1962 (NMC has it in 1816–2016"),
    ],
)
def test_an_unknown_cow_code_is_refused(code, expected):
    # without the capabilities block, the code would otherwise pass unread
    text = edited("cow: 365 # [nmc]", f"cow: {code}\n    capability: 0.17\n    troops: 100")
    text = edited("capabilities: {source: cow-nmc, year: 1962} # [nmc]", "", text)
    for code_, capability in (("USA", 0.2), ("CUB", 0.001), ("TUR", 0.01)):
        text = text.replace(
            f"  {code_}:\n", f"  {code_}:\n    capability: {capability}\n    troops: 100\n", 1
        )
    _, key, message = refused(text)
    assert key == "states.SUN.cow"
    assert expected in message


def test_a_statement_and_a_deployment_on_the_start_day_have_a_place():
    text = CUBA + (
        "timeline:\n"
        "  - date: 1962-10-16\n"
        "    statement: {by: USA, dispute: missiles, ties_hands: true, text: warned}\n"
        "  - date: 1962-10-16\n"
        "    deploy: {id: marines, owner: USA, host: USA, near: CUB, troops: 10}\n"
    )
    scenario = load_scenario_text(text, file="cuba.yaml")
    assert [(e.day, e.kind) for e in scenario.events] == [(0, "statement"), (0, "deploy")]
    model = CrisisModel(scenario, seed=1)
    before = CrisisModel(load_scenario_text(CUBA, file="cuba.yaml"), seed=1)
    # the day-0 statement ties the speaker's hands from the start
    assert model.states["USA"].commitments.get("missiles", 0) == (
        before.states["USA"].commitments.get("missiles", 0) + 1
    )


def test_other_entries_on_the_start_day_are_still_refused():
    text = CUBA + (
        "timeline:\n  - date: 1962-10-16\n    offer: {by: SUN, dispute: missiles, share: 0.5}\n"
    )
    _, key, message = refused(text)
    assert key == "timeline[0].date"
    assert "only a statement or a deployment may stand on day 0" in message


def test_outlines_hold_their_capitals():
    assert outline_of((55.76, 37.62))[0] == "Russia"
    assert outline_of((23.11, -82.37))[0] == "Cuba"  # a coastal capital near a coarse outline
    assert outline_of((0.0, -30.0)) is None  # the mid-Atlantic
    assert round(distance_km((55.76, 37.62), (59.94, 30.31))) == 634

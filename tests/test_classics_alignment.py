"""Lean of unaligned states in a scenario, by landscape theory."""

from __future__ import annotations

import pytest

from brink.scenarios.loader import load_scenario
from brink.sim.classics.alignment import lean_in_scenario, scenario_propensities


@pytest.fixture(scope="module")
def black_sea():
    return load_scenario("black_sea_2022")


def test_propensities_add_alliances_and_regimes(black_sea):
    p = scenario_propensities(black_sea)
    # USA and POL: NATO (+1), both democracies (+0.5).
    assert p[("POL", "USA")] == pytest.approx(1.5)
    # BLR and RUS: CSTO and the Union State (+1 each), autocracy vs anocracy (0).
    assert p[("BLR", "RUS")] == pytest.approx(2.0)
    # BLR (autocracy) and USA (democracy): opposed regimes, no alliance.
    assert p[("BLR", "USA")] == pytest.approx(-0.5)
    assert all(a < b for a, b in p)


def test_allies_lean_to_their_leaders(black_sea):
    lean = lean_in_scenario(black_sea, {"RUS": "east", "USA": "west"})
    assert set(lean) == set(black_sea.states) - {"RUS", "USA"}
    assert lean["BLR"] == "east" and lean["KAZ"] == "east"
    assert all(lean[code] == "west" for code in ("GBR", "FRA", "DEU", "POL", "EST"))

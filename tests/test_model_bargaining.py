"""Fearon's (1995) ultimatum: the closed form, the numerical optimiser, and the whole pipeline."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_factory import fearon_scenario

from brink.sim.bargaining import fearon_optimal_demand, fearon_war_probability, optimal_demand
from brink.sim.model import simulate


def test_closed_form_matches_classics_example():
    # docs/classics.md: p = 0.5, c_A = 0.1, c̄ = 0.4 → x* = 0.65, P(war) = 0.375.
    assert fearon_optimal_demand(0.5, 0.1, 0.4) == pytest.approx(0.65)
    assert fearon_war_probability(0.5, 0.1, 0.4) == pytest.approx(0.375)


def test_no_war_when_challenger_cost_exceeds_target_cost_range():
    assert fearon_war_probability(0.5, 0.5, 0.4) == 0.0
    assert fearon_optimal_demand(0.5, 0.5, 0.4) == pytest.approx(0.5)


def test_demand_is_clipped_to_the_whole_issue():
    # p + (c̄ − c_A)/2 = 0.9 + 0.3 > 1: the challenger cannot ask for more than everything.
    assert fearon_optimal_demand(0.9, 0.0, 0.6) == 1.0


@settings(max_examples=60, deadline=None)
@given(
    p=st.floats(0.05, 0.9),
    c_a=st.floats(0.0, 0.5),
    c_bar=st.floats(0.05, 0.8),
)
def test_numerical_optimum_reproduces_closed_form(p, c_a, c_bar):
    def acceptance(demand):
        # B accepts x iff c_B ≥ x − p, c_B ~ U[0, c̄].
        return np.clip(1.0 - (demand - p) / c_bar, 0.0, 1.0)

    demand, accepted = optimal_demand(acceptance, 1.0, p - c_a)
    expected = fearon_optimal_demand(p, c_a, c_bar)
    assert demand == pytest.approx(expected, abs=1e-6)
    assert 1.0 - accepted == pytest.approx(fearon_war_probability(p, c_a, c_bar), abs=1e-5)


def war_share_and_demand(scenario, runs):
    records = [simulate(scenario, seed=seed).runs[0] for seed in range(runs)]
    war = sum(r["war"] for r in records) / runs
    demands = {round(r["demand"], 6) for r in records}
    return war, demands


@pytest.mark.slow
@pytest.mark.parametrize(
    ("p", "c_a", "c_bar"),
    [(0.5, 0.1, 0.4), (0.3, 0.05, 0.5), (0.6, 0.2, 0.3)],
)
def test_full_model_reproduces_fearon(p, c_a, c_bar):
    runs = 1000
    scenario = replace(
        fearon_scenario(),
        parameters={"win_probability": p, "challenger_cost": c_a, "target_cost_max": c_bar},
    )
    war, demands = war_share_and_demand(scenario, runs)
    expected = (c_bar - c_a) / (2 * c_bar)
    standard_error = math.sqrt(expected * (1 - expected) / runs)
    assert abs(war - expected) < 4 * standard_error
    assert len(demands) == 1
    assert demands.pop() == pytest.approx(p + (c_bar - c_a) / 2, abs=1e-6)


def test_complete_information_means_no_war():
    war, demands = war_share_and_demand(fearon_scenario(information="complete"), 300)
    assert war == 0.0
    # With complete information each run's demand is p + c_B: it varies with the target's cost.
    assert len(demands) > 100


@pytest.mark.slow
def test_bundled_fearon_scenario_through_the_command_line(tmp_path):
    from brink.cli import main
    from brink.experiments.ensemble.folder import read_run_dir

    out = tmp_path / "fearon"
    status = main(
        [
            "run",
            "scenarios/classics/fearon_ultimatum.yaml",
            "--runs",
            "1500",
            "--seed",
            "3",
            "--set",
            "win_probability=0.5",
            "--set",
            "challenger_cost=0.1",
            "--set",
            "target_cost_max=0.4",
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert status == 0
    runs = read_run_dir(out)["runs"]
    standard_error = math.sqrt(0.375 * 0.625 / len(runs))
    assert abs(runs["war"].mean() - 0.375) < 4 * standard_error
    assert runs["demand"].to_numpy() == pytest.approx(0.65, abs=1e-6)
    assert "mean 0.650" in (out / "summary.md").read_text()


def test_bundled_complete_information_scenario_has_no_war():
    from brink.scenarios.loader import load_scenario

    scenario = load_scenario("classics/fearon_complete_information")
    assert not any(simulate(scenario, seed=seed).runs[0]["war"] for seed in range(200))

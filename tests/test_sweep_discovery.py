"""Scenario discovery and the added sensitivity measures on data with a known answer: PRIM finds
a planted box and agrees with the EMA Workbench's PRIM; feature scores rank a planted driver
first; SALib's delta, PAWN, RBD-FAST and regional sensitivity on the Ishigami function; regret
and satisficing of lever settings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from brink.experiments.analysis.discovery import feature_scores, salib_rows
from brink.experiments.analysis.prim import Prim, choose_box
from brink.experiments.analysis.robust import robustness


def planted(seed: int, n: int = 1000):
    """Cases of interest inside a < 0.4, b > 6, d ≠ r (90 % of points there, 5 % elsewhere)."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        {
            "a": rng.uniform(0, 1, n),
            "b": rng.uniform(0, 10, n),
            "c": rng.uniform(-1, 1, n),
            "d": rng.choice(["p", "q", "r"], n),
        }
    )
    inside = ((x["a"] < 0.4) & (x["b"] > 6) & (x["d"] != "r")).to_numpy()
    draws = rng.uniform(size=n)
    y = np.where(inside, draws < 0.9, draws < 0.05)
    return x, y, inside


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prim_finds_the_planted_box(seed):
    x, y, inside = planted(seed)
    box = choose_box(Prim(x, y).find_box(), min_coverage=0.5)
    # the planted box holds 0.4 · 0.4 · 2/3 ≈ 0.107 of the points at density 0.9, and about
    # 65 % of the cases (the rest are the 5 % outside)
    planted_coverage = y[inside].sum() / y.sum()
    assert box.density >= 0.85
    assert 0.5 <= box.coverage <= planted_coverage + 0.02
    assert box.limits["a"][1] == pytest.approx(0.4, abs=0.08)
    assert box.limits["b"][0] == pytest.approx(6.0, abs=0.3)
    assert box.limits["d"] == frozenset({"p", "q"})
    low, high = box.limits["c"]  # the noise factor keeps most of its range
    assert (high - low) / 2 >= 0.8


@pytest.mark.parametrize("seed", [1, 2])
def test_prim_agrees_with_the_ema_workbench(seed):
    with warnings.catch_warnings():  # the Workbench warns that ipyparallel is not installed
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim as ema

    x, y, _ = planted(seed)
    ours = Prim(x, y).find_box()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ema.Prim(x, y.astype(int)).find_box()
    trajectory = theirs.peeling_trajectory
    assert len(ours) == len(trajectory)
    for column in ("coverage", "density", "mass"):
        np.testing.assert_allclose(
            [getattr(box, column) for box in ours], trajectory[column], rtol=1e-12
        )
    limits = theirs.box_lims[-1]
    for name in ("a", "b", "c"):
        assert ours[-1].limits[name] == pytest.approx(tuple(limits[name]), rel=1e-12)
    assert ours[-1].limits["d"] == frozenset(limits["d"][0])


def test_feature_scores_rank_the_planted_driver_first():
    rng = np.random.default_rng(4)
    x = pd.DataFrame({name: rng.uniform(0, 1, 600) for name in ("noise1", "driver", "noise2")})
    x["flag"] = rng.choice([True, False], 600)
    y = (x["driver"] + 0.1 * rng.normal(size=600) > 0.6).to_numpy()
    scores = feature_scores(x, y, binary=True, seed=1)
    assert scores.index[0] == "driver" and scores.iloc[0] > 0.5
    assert scores.sum() == pytest.approx(1.0)
    numbers = feature_scores(x, 3 * x["driver"].to_numpy() + x["noise1"].to_numpy(), False, 1)
    assert list(numbers.index[:2]) == ["driver", "noise1"]


def ishigami(n: int, seed: int):
    from SALib.test_functions import Ishigami

    rng = np.random.default_rng(seed)
    x = rng.uniform(-np.pi, np.pi, (n, 3))
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    return problem, x, Ishigami.evaluate(x)


# Ishigami & Homma (1990) with a = 7, b = 0.1: first-order indices 0.3139, 0.4424, 0
# (Saltelli et al. 2008, §4.6; Sobol' & Levitan 1999).
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)


def test_rbd_fast_first_order_indices_on_ishigami_match_the_analytic_values():
    problem, x, y = ishigami(4000, 2)
    got = [row["S1"] for row in salib_rows("rbd-fast", problem, x, y, seed=3)]
    np.testing.assert_allclose(got, ISHIGAMI_S1, atol=0.06)


def test_delta_pawn_and_rsa_read_ishigami_as_its_variance_shares_do():
    # 1,000 points: delta's kernel densities cost about N² (4,000 points take minutes)
    problem, x, y = ishigami(1000, 5)
    delta = {row["factor"]: row for row in salib_rows("delta", problem, x, y, 3)}
    # δ is moment-independent, so x3 (no first-order effect, 24 % of the variance through its
    # interaction with x1) is clearly above 0, and x2 (the largest first-order share) first
    assert delta["x2"]["delta_raw"] > delta["x1"]["delta_raw"] > delta["x3"]["delta_raw"] > 0.05
    # the first-order estimate delta reports alongside: x3's share is 0 (analytic value)
    assert delta["x3"]["S1"] == pytest.approx(0.0, abs=0.05)
    assert delta["x1"]["S1"] == pytest.approx(ISHIGAMI_S1[0], abs=0.06)
    pawn = {row["factor"]: row["median"] for row in salib_rows("pawn", problem, x, y, 3)}
    # PAWN, also moment-independent: x3 least influential but not zero
    assert max(pawn, key=pawn.get) == "x2"
    assert min(pawn, key=pawn.get) == "x3" and pawn["x3"] > 0
    rsa = {row["factor"]: row["max_over_bins"] for row in salib_rows("rsa", problem, x, y, 3)}
    assert max(rsa, key=rsa.get) == "x1"  # the extremes of y come from x1 (and x3 with it)


def test_robust_choice_reports_regret_and_satisficing_future_by_future():
    points = pd.DataFrame(
        {
            "lever": [0.0, 0.0, 0.0, 1.0, 1.0, 1.0],
            "future": [0.1, 0.5, 0.9, 0.1, 0.5, 0.9],
            # lever 0 is best on average but terrible in the third future; lever 1 is steady
            "value": [0.0, 0.1, 0.9, 0.3, 0.3, 0.3],
        }
    )
    summary, values = robustness(points, ["lever"], ["future"], threshold=0.35)
    table = summary.set_index("setting")
    assert list(table.index) == ["lever = 1", "lever = 0"]  # least maximum regret first
    assert table.loc["lever = 0", "max regret"] == pytest.approx(0.6)
    assert table.loc["lever = 1", "max regret"] == pytest.approx(0.3)
    assert table.loc["lever = 0", "mean"] == pytest.approx(1.0 / 3)
    assert table.loc["lever = 0", "satisficing"] == pytest.approx(2 / 3)
    assert table.loc["lever = 1", "satisficing"] == pytest.approx(1.0)
    assert values["regret"].min() == 0.0
    higher, _ = robustness(points, ["lever"], ["future"], None, higher_is_better=True)
    assert higher.iloc[0]["setting"] == "lever = 0" and "satisficing" not in higher


def _inside(x: pd.DataFrame) -> np.ndarray:
    return ((x["a"] < 0.4) & (x["b"] > 6) & (x["d"] != "r")).to_numpy()


def test_cart_reads_its_boxes_back_in_the_factors_terms(tmp_path):
    from brink.experiments.analysis.discovery import cart_section

    x, y, _ = planted(1)
    section = cart_section(x, y, "y", "planted cases", (tmp_path, tmp_path), seed=1)
    boxes = pd.read_csv(tmp_path / "cart_y.csv")
    best = boxes.iloc[0]  # the densest leaf is the planted box
    assert best["density"] > 0.8
    # the planted box: a < 0.4, b > 6, d ≠ r
    assert best["box"] == "`b` > 6 and `a` ≤ 0.401 and `d` ∈ {p, q}"  # d: in its choices
    assert best["coverage"] == pytest.approx(y[_inside(x)].sum() / y.sum(), abs=0.02)
    assert (tmp_path / "cart_y.png").exists() and (tmp_path / "cart_y.pdf").exists()
    assert any("cart_y.png" in line for line in section.lines)


def test_robust_warns_when_no_future_meets_two_settings(tmp_path):
    from brink.experiments.analysis.robust import robust_section

    points = pd.DataFrame({"lever": [0.0, 1.0], "future": [0.1, 0.9], "value": [0.2, 0.4]})
    section = robust_section(
        points, ["lever"], ["future"], "y", "P(y)", None, False, (tmp_path, tmp_path)
    )
    assert any("Each future met only one lever setting" in line for line in section.lines)

"""Does the model move with history: standardised effects on war, bootstrapped, and the verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from brink.experiments.retrodiction.effects import effects_table, logit_slopes, verdict


def _cases(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "log_distance": rng.normal(7, 1, n),
            "allied": rng.integers(0, 2, n).astype(float),
            "challenger_nuclear": rng.integers(0, 2, n).astype(float),
            "target_nuclear": rng.integers(0, 2, n).astype(float),
            "contiguous": rng.integers(0, 2, n).astype(float),
            "joint_democracy": rng.integers(0, 2, n).astype(float),
            "capability_share": rng.uniform(0, 1, n),
            "issue": rng.choice(["policy", "territory"], n, p=[0.6, 0.4]),
        }
    )
    # History: contiguity raises war sharply; nothing else matters.
    frame["observed_war"] = rng.random(n) < expit(-2 + 2 * frame["contiguous"])
    return frame


def test_a_fractional_fit_recovers_the_slope_of_probabilities():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2000, 2))
    p = expit(0.3 + 1.5 * x[:, 0] - 0.5 * x[:, 1])
    assert logit_slopes(x, p, ridge=0) == pytest.approx([1.5, -0.5], abs=1e-3)


def test_a_model_that_moves_with_history_is_followed_one_that_does_not_is_missed():
    frame = _cases()
    frame["p_war"] = expit(-2 + 2 * frame["contiguous"])  # as history
    good = effects_table(frame, seed=1, resamples=40).set_index("covariate")
    assert good.loc["contiguous", "history_low"] > 0
    assert good.loc["contiguous", "verdict"] == "followed"
    assert good.loc["allied", "verdict"] == "not significant"
    assert "issue_territory" in good.index  # the most common issue is the reference
    frame["p_war"] = expit(-2 - 2 * frame["contiguous"])  # the other way
    bad = effects_table(frame, seed=1, resamples=40).set_index("covariate")
    assert bad.loc["contiguous", "verdict"] == "missed (reversed)"
    frame["p_war"] = expit(-2 + 0.3 * frame["contiguous"])  # the right way, too weakly
    weak = effects_table(frame, seed=1, resamples=40).set_index("covariate")
    assert weak.loc["contiguous", "verdict"] == "missed"
    # The history side does not depend on the model's forecasts.
    assert np.allclose(good["history"], weak["history"])


def test_the_verdict_rule():
    assert verdict(0.4, 0.2, 0.6, 0.21) == "followed"
    assert verdict(0.4, 0.2, 0.6, 0.19) == "missed"
    assert verdict(-0.4, -0.6, -0.2, 0.3) == "missed (reversed)"
    assert verdict(0.4, -0.1, 0.6, -5) == "not significant"


def test_no_war_no_table():
    frame = _cases(50)
    frame["observed_war"] = False
    frame["p_war"] = 0.1
    assert effects_table(frame, seed=1).empty

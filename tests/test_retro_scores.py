"""Scores against hand-computed values; baselines recover what they should."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from brink.experiments.retrodiction.scores import (
    auc,
    brier,
    cross_validated_baselines,
    fit_logistic,
    folds,
    log_loss,
    multiclass_brier,
    multiclass_log_loss,
    platt_cross_fitted,
    reliability,
)


def test_brier_and_log_loss_by_hand():
    p, y = [0.1, 0.9, 0.5], [0, 1, 1]
    assert brier(p, y) == pytest.approx((0.01 + 0.01 + 0.25) / 3)
    assert log_loss(p, y) == pytest.approx(-(math.log(0.9) * 2 + math.log(0.5)) / 3)


def test_log_loss_clips_certain_misses():
    assert log_loss([0.0], [1]) == pytest.approx(-math.log(1e-3))
    assert log_loss([1.0], [1]) == pytest.approx(-math.log(1 - 1e-3))


def test_auc_by_hand_with_ties():
    # pairs (war, peace): (0.35,0.1) win, (0.35,0.4) lose, (0.8,0.1) win, (0.8,0.4) win
    assert auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)
    assert auc([0.3, 0.3, 0.3], [0, 1, 1]) == pytest.approx(0.5)
    assert auc([0.2, 0.3, 0.3], [0, 1, 0]) == pytest.approx(0.75)
    assert math.isnan(auc([0.2, 0.3], [1, 1]))


def test_multiclass_scores_by_hand():
    probabilities = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    labels = [0, 1]
    # case 1: 0.25 + 0.09 + 0.04 = 0.38; case 2: 0.01 + 0.81 + 0.64 = 1.46
    assert multiclass_brier(probabilities, labels) == pytest.approx((0.38 + 1.46) / 2)
    assert multiclass_log_loss(probabilities, labels) == pytest.approx(
        -(math.log(0.5) + math.log(0.1)) / 2
    )


def test_reliability_bins():
    table = reliability([0.05, 0.07, 0.95, 0.5], [0, 1, 1, 0], bins=10)
    assert list(table["count"]) == [2, 1, 1]
    assert table["observed"].tolist() == [0.5, 0.0, 1.0]
    assert table["forecast"].iloc[0] == pytest.approx(0.06)


def test_logistic_regression_recovers_a_known_coefficient():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6000, 2))
    logit = -1.0 + 2.0 * x[:, 0]  # the second covariate has no effect
    y = (rng.random(6000) < 1 / (1 + np.exp(-logit))).astype(int)
    model = fit_logistic(x, y, 2, ridge=0.0)
    slopes = model.slopes[:, 1]
    assert slopes[0] == pytest.approx(2.0, abs=0.15)
    assert slopes[1] == pytest.approx(0.0, abs=0.1)
    p = model.predict(np.array([[0.0, 0.0]]))[0, 1]
    assert p == pytest.approx(1 / (1 + math.e), abs=0.03)


def test_multinomial_logistic_recovers_class_effects():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8000, 1))
    scores = np.column_stack([np.zeros(8000), 1.5 * x[:, 0], -1.0 * x[:, 0] + 0.5])
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    labels = np.array([rng.choice(3, p=row) for row in p])
    slopes = fit_logistic(x, labels, 3, ridge=0.0).slopes[0]
    assert slopes[1] == pytest.approx(1.5, abs=0.15)
    assert slopes[2] == pytest.approx(-1.0, abs=0.15)


def test_folds_are_balanced_and_seeded():
    a, b = folds(103, 5, seed=11), folds(103, 5, seed=11)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, folds(103, 5, seed=12))
    assert sorted(np.bincount(a)) == [20, 20, 21, 21, 21]


def test_base_rate_is_the_training_folds_rate():
    labels = np.array([1, 0, 0, 0, 1, 0, 1, 0, 0, 0])
    fold = np.array([0, 0, 1, 1, 0, 1, 1, 0, 1, 0])
    base, _ = cross_validated_baselines(np.zeros((10, 1)), labels, 2, fold)
    # fold 0 is forecast from fold 1 (labels 0,0,0,1,0: rate 0.2) and vice versa (0.4)
    assert np.allclose(base[fold == 0, 1], 0.2)
    assert np.allclose(base[fold == 1, 1], 0.4)


def test_unknown_labels_are_left_out_of_fits():
    labels = np.array([0, -1, 1, 1, -1, 0])
    fold = np.array([0, 0, 0, 1, 1, 1])
    base, _ = cross_validated_baselines(np.arange(6.0)[:, None], labels, 2, fold)
    assert np.allclose(base[fold == 1, 1], 0.5)  # fold 0's known labels: 0, 1
    assert np.allclose(base[fold == 0, 1], 0.5)  # fold 1's known labels: 1, 0


def test_platt_recalibration_maps_a_constant_forecast_to_the_training_rate():
    y = np.array([1, 0, 0, 0] * 25)
    fold = folds(100, 5, seed=1)
    out = platt_cross_fitted(np.full(100, 0.9), y, fold)
    for f in range(5):
        assert out[fold == f] == pytest.approx(y[fold != f].mean(), abs=0.01)


@given(st.lists(st.floats(0, 1), min_size=2, max_size=40), st.data())
def test_scores_are_bounded_and_perfect_forecasts_score_best(p, data):
    y = data.draw(st.lists(st.integers(0, 1), min_size=len(p), max_size=len(p)))
    assert 0.0 <= brier(p, y) <= 1.0
    assert 0.0 <= log_loss(p, y) <= -math.log(1e-3) + 1e-12
    assert brier(y, y) == 0.0
    assert brier(y, y) <= brier(p, y)
    value = auc(p, y)
    assert math.isnan(value) or 0.0 <= value <= 1.0


def test_a_fold_with_nothing_known_to_train_on_gets_a_uniform_forecast():
    labels = np.array([-1, -1, 0, 1])
    fold = np.array([1, 1, 0, 0])
    base, logistic = cross_validated_baselines(np.arange(4.0)[:, None], labels, 2, fold)
    assert np.allclose(base[fold == 0], 0.5)
    assert np.allclose(logistic[fold == 0], 0.5)
    assert np.allclose(base[fold == 1], [0.5, 0.5])  # trained on fold 0: one of each

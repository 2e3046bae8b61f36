"""``brink fit --rungs``: successive halving over nested subsets of the cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brink.experiments.fit.evaluate import evaluate, objective, training_set
from brink.experiments.fit.fidelity import MIN_RUNG_CASES, rung_cases, rungs_used
from brink.experiments.fit.study import FitSettings, open_study, run_trials
from brink.scenarios.datasets import DATA_DIR
from brink.sim.params import ModelParams

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
ICB = DATA_DIR / "icb-v14-actors.pre1990.csv"


def test_rungs_are_nested_cover_every_case_once_and_keep_each_files_share():
    file_index = np.array([0] * 90 + [1] * 27)
    added = rung_cases(file_index, 3, seed=7)
    everything = np.concatenate(added)
    assert sorted(everything) == list(range(117))  # every case once
    assert [len(a) for a in added] == [10 + 3, 20 + 6, 60 + 18]  # a ninth, a third, the rest
    for rung in added:
        assert list(rung) == sorted(rung)
    first = added[0]
    assert (file_index[first] == 0).sum() == 10 and (file_index[first] == 1).sum() == 3
    # the order is the fit's own: the same seed gives the same rungs, another seed others
    again = rung_cases(file_index, 3, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(added, again, strict=True))
    assert not np.array_equal(added[0], rung_cases(file_index, 3, seed=8)[0])


def test_a_fit_uses_no_more_rungs_than_its_cases_allow():
    assert rungs_used(MIN_RUNG_CASES * 3 - 1, 3) == 1
    assert rungs_used(MIN_RUNG_CASES * 3, 3) == 2
    assert rungs_used(MIN_RUNG_CASES * 9, 3) == 3
    assert rungs_used(10_000, 1) == 1


def test_evaluations_of_parts_join_into_the_evaluation_of_the_whole():
    training = training_set([str(MID), str(ICB)], runs=2, k_folds=2, seed=3, limit=5)
    params = ModelParams().with_overrides({"horizon": 60})
    whole = evaluate(training, params)
    first, rest = rung_cases(training.file_index, 2, seed=3)
    joined = evaluate(training, params, indices=rest).joined(
        evaluate(training, params, indices=first)
    )
    pd.testing.assert_frame_equal(joined.cases, whole.cases)
    assert np.array_equal(joined.duration_counts, whole.duration_counts)
    assert sorted(joined.war_days) == sorted(whole.war_days)


def test_a_trial_worse_on_the_first_rung_is_pruned_and_a_whole_trial_scores_as_without(tmp_path):
    training = training_set([str(MID)], runs=2, k_folds=2, seed=5, limit=12)
    settings = FitSettings(
        files=[{"path": "synthetic"}],
        free=["spiral_hazard", "display_hazard"],
        runs=2,
        folds=2,
        seed=5,
        horizon=60,
        limit=None,
        rungs=2,
    )
    first = run_trials(training, settings, tmp_path, budget=1, progress=False)
    assert [r.number for r in first] == [0] and first[0].default
    # Trial 0, scored rung by rung, has the score one evaluation of every case gives.
    defaults = ModelParams().with_overrides({"horizon": 60})
    whole = evaluate(training, defaults)
    expected = objective(whole.cases, whole.duration_counts, training.observed_war_days)
    assert first[0].score == pytest.approx(expected["score"], abs=1e-12)

    # A parameter set that makes war of every dispute does worse on the first rung's cases
    # than the defaults did: it is stopped there, and counts against the budget.
    study = open_study(tmp_path, settings.seed, resume=True)
    study.enqueue_trial({"spiral_hazard": 0.5, "display_hazard": 0.2})
    records = run_trials(training, settings, tmp_path, budget=2, resume=True, progress=False)
    assert [r.number for r in records] == [0]  # only whole trials are records
    trials = open_study(tmp_path, settings.seed, resume=True).get_trials(deepcopy=False)
    assert [t.state.name for t in trials] == ["COMPLETE", "PRUNED"]
    pruned = trials[1]
    first_rung = len(rung_cases(training.file_index, 2, settings.seed)[0])
    assert pruned.user_attrs["cases_run"] == first_rung < len(training.cases)
    assert pruned.user_attrs["rung_scores"][0] < trials[0].intermediate_values[1]

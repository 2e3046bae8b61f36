"""Issue 14's fuzz suite, small budget: hostile experiment files, MID CSVs, classic CSVs,
command-line flags and (issue 23) damaged run and sweep folders each end in a sound result or
one located line, never a traceback or a silently wrong result. ``benchmarks/fuzz.py`` runs
the same strategies with a larger budget."""

from __future__ import annotations

import pytest
from fuzz_inputs import (
    bdm_csvs,
    check_classic_file,
    check_command,
    check_experiment,
    check_folder,
    check_mid,
    check_run_flags,
    classic_flags,
    experiment_texts,
    folder_damages,
    landscape_csvs,
    mid_csvs,
    run_flags,
)
from hypothesis import HealthCheck, given, settings

SMALL = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@SMALL
@given(experiment_texts())
def test_hostile_experiment_files(text):
    assert check_experiment(text) in ("ok", "refused")


@SMALL
@given(mid_csvs())
def test_hostile_mid_files(text):
    assert check_mid(text) in ("ok", "refused")


@SMALL
@given(bdm_csvs())
def test_hostile_bdm_files(data):
    assert check_classic_file("bdm", data) in ("ok", "refused")


@SMALL
@given(landscape_csvs())
def test_hostile_landscape_files(data):
    assert check_classic_file("landscape", data) in ("ok", "refused")


# Six runs (fifteen took 16 s of CI's slow stage on 8 December 2026); benchmarks/fuzz.py tries
# 60 (a fifth of --examples 300).
@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(run_flags())
def test_hostile_run_flags(argv):
    assert check_run_flags(argv) in ("ok", "refused")


@SMALL
@given(classic_flags())
def test_hostile_classic_flags(argv):
    assert check_command(argv) in ("ok", "refused")


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(folder_damages("sweep"))
def test_hostile_sweep_folders_for_analyze(damages):
    """Issue 23: a sweep folder with a file cut short, replaced, emptied or of other columns."""
    assert check_folder("analyze", damages) in ("ok", "refused")


@SMALL
@given(folder_damages("run"))
def test_hostile_run_folders_for_view(damages):
    """Issue 23: view --run checks every table before it serves (it served a junk table)."""
    assert check_folder("view", damages) in ("ok", "refused")


# Three animations (5 s each; ten took 55 s of CI's slow stage on 8 December 2026): the suite's
# check that animate meets a damaged folder soundly; benchmarks/fuzz.py animates 60 (--examples
# 300 gives a fifth) for a change to animate or the run tables.
@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(folder_damages("run"))
def test_hostile_run_folders_for_animate(damages):
    assert check_folder("animate", damages) in ("ok", "refused")


@pytest.mark.parametrize(
    "classification", ["traceback: ValueError: x", "silent: inf", "unlocated: x"]
)
def test_the_checks_tell_a_wrong_result_from_a_sound_one(classification):
    """The classifications the suite rejects are the ones a wrong program produces."""
    assert classification not in ("ok", "refused")
    assert check_command(["classic", "tribute", "--seed", "-1"]) == "refused"
    assert check_experiment("name: [\n") == "refused"

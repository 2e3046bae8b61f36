"""The live view's outcome estimate: computed in a worker process of lower priority, the same
as in the server's own process, and gone when the server goes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pandas as pd
import psutil
import pytest

from brink.scenarios.loader import load_scenario
from brink.sim.params import scenario_params
from brink.viz.viewruns import ENSEMBLE_NICE, ensemble_pool, ensemble_shares

WORKER_SCRIPT = """
import os, time
from brink.viz.viewruns import ensemble_pool
print(ensemble_pool().submit(os.getpid).result(), flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_the_worker_runs_lower_and_gives_the_estimate_of_the_server_process():
    scenario = load_scenario("black_sea_2022")
    params = scenario_params(scenario)
    pool = ensemble_pool()
    assert ensemble_pool() is pool  # one worker for every tab
    worker_nice = pool.submit(os.nice, 0).result()
    assert worker_nice == min(19, os.nice(0) + ENSEMBLE_NICE)
    shares, dispute, picks = pool.submit(ensemble_shares, scenario, params, 7, 3).result()
    here_shares, here_dispute, here_picks = ensemble_shares(scenario, params, 7, 3)
    assert dispute == here_dispute
    assert picks == here_picks and set(picks) >= {"longest", "likely", "eventful"}
    assert len(shares) > 0
    pd.testing.assert_frame_equal(shares, here_shares)


@pytest.mark.slow
def test_the_worker_ends_when_its_server_is_killed():
    server = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT], stdout=subprocess.PIPE, text=True
    )
    try:
        worker = psutil.Process(int(server.stdout.readline()))
        assert worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE
    finally:
        server.kill()  # no clean-up runs in the server: the worker must notice by itself
        server.wait()
        server.stdout.close()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.2)
    else:
        worker.kill()
        pytest.fail("the ensemble worker outlived its server")

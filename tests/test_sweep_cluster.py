"""``brink sweep`` on Dask: a LocalCluster, and a real scheduler with worker processes.

The reference is the same experiment run in this process (one thread): the runs do not depend
on where they execute, so every cluster sweep must give exactly the same rows.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
from test_sweep_experiment import EXPERIMENT, write
from test_sweep_run import InProcess, brink, results, start, wait_for_shards

from brink.experiments.sweep import shards
from brink.experiments.sweep.experiment import load_experiment
from brink.experiments.sweep.run import run_sweep, staging_folder

#: 9 points × 30 replications.
CLUSTER = EXPERIMENT.replace("replications: 3", "replications: 30")
TOTAL = 9 * 30
DASK = Path(sys.executable).parent / "dask"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("cluster"), CLUSTER)


@pytest.fixture(scope="module")
def reference(world, tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("reference") / "sweep"
    result = run_sweep(load_experiment(world), out, InProcess(), progress=False)
    assert result.complete and result.done == TOTAL
    return results(out)


def assert_every_run_once(out: Path, reference: pd.DataFrame) -> None:
    frame = results(out)
    assert len(frame[["point", "replication"]].drop_duplicates()) == TOTAL
    assert len(shards.completed(out)) == TOTAL
    pd.testing.assert_frame_equal(frame, reference)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.cluster
@pytest.mark.slow
def test_sweep_on_a_local_cluster_gives_the_same_runs(world, reference, tmp_path):
    out = tmp_path / "sweep"
    done = brink("sweep", str(world), "--out", str(out), "--local-cluster", "2")
    assert done.returncode == 0, done.stderr
    assert_every_run_once(out, reference)
    assert '"executor": "Dask LocalCluster, 2 workers"' in (out / "manifest.json").read_text()


@pytest.fixture
def dask_cluster(tmp_path):
    """A real ``dask scheduler`` and ``dask worker --nworkers 2`` on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "dask.log", "w")  # noqa: SIM115 (closed at teardown)
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    workers = subprocess.Popen(
        [
            str(DASK),
            "worker",
            address,
            "--nworkers",
            "2",
            "--nthreads",
            "1",
            "--host",
            "127.0.0.1",
            "--no-dashboard",
            "--local-directory",
            str(tmp_path / "dw"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        yield address, workers
    finally:
        for process in (workers, scheduler):
            process.send_signal(signal.SIGTERM)
        for process in (workers, scheduler):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for child in psutil.Process(process.pid).children(recursive=True):
                    child.kill()
                process.kill()
                process.wait()
        log.close()


def worker_processes(workers: subprocess.Popen) -> list[psutil.Process]:
    """The worker processes the nannies of ``dask worker`` started."""
    return [
        child
        for child in psutil.Process(workers.pid).children(recursive=True)
        if "multiprocessing" in " ".join(child.cmdline())
        and "resource_tracker" not in " ".join(child.cmdline())
    ]


@pytest.mark.cluster
@pytest.mark.slow
def test_sweep_on_a_dask_scheduler_survives_a_killed_worker(
    dask_cluster, world, reference, tmp_path
):
    address, workers = dask_cluster
    out = tmp_path / "sweep"
    process = start("sweep", str(world), "--out", str(out), "--scheduler", address)
    wait_for_shards(staging_folder(out), 40, process)  # the sweep is staged until done
    victims = worker_processes(workers)
    assert len(victims) == 2, victims
    victims[0].kill()  # SIGKILL: the nanny restarts it, the scheduler reruns its tasks
    _, stderr = process.communicate(timeout=240)
    assert process.returncode == 0, stderr
    assert_every_run_once(out, reference)
    deadline = time.monotonic() + 60
    while len(worker_processes(workers)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(worker_processes(workers)) == 2  # the nanny brought it back

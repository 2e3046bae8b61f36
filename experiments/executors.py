"""Where a sweep's runs execute: a local process pool, or a Dask cluster.

Both are driven through the :class:`concurrent.futures.Executor` interface, as Mesa 4's
``run_scenarios`` does: :class:`~concurrent.futures.ProcessPoolExecutor` by default, and a Dask
``Client.get_executor()`` for a cluster, either an existing one (``--scheduler
tcp://HOST:PORT``) or one started on this machine (``--local-cluster N``). Dask runs again the
tasks of a worker that dies; a process pool cannot, so :meth:`Runner.restart` gives the sweep a
fresh pool after a :class:`~concurrent.futures.process.BrokenProcessPool`.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from typing import Any

from brink.errors import BrinkInputError, Location

#: Most worker processes on one machine (as ``brink run --jobs``): each holds the model.
MAX_WORKERS = 512


class Runner:
    """An executor with a name, a worker count, and a way to start again after a crash."""

    description = ""
    #: True if one dead worker breaks the executor and loses every task in flight.
    loses_all_on_crash = False

    def submit(self, fn, *args: Any) -> Future:
        raise RuntimeError("a Runner subclass must define submit")  # pragma: no cover

    @property
    def workers(self) -> int:
        return 1

    def restart(self) -> None:
        """Start afresh after the executor broke (the tasks in flight are lost)."""

    def close(self, cancel: bool = False) -> None:
        """Release the workers; with ``cancel``, drop the tasks not yet started."""

    def lost_worker(self, error: BaseException) -> bool:
        """True if ``error`` means a worker died (the task should run again elsewhere)."""
        return False

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(cancel=kind is not None)


#: Modules a process-pool worker needs, imported once by the fork server before it forks.
WORKER_MODULES = ["brink.experiments.sweep.worker", "brink.sim.model", "brink.scenarios.loader"]


def start_fork_server() -> threading.Thread:
    """Start the fork server in the background, so it imports the model while the main process
    reads the experiment (it takes seconds; the two overlap on a machine with two cores)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    thread = threading.Thread(target=forkserver.ensure_running, daemon=True)
    thread.start()
    return thread


def _exit_with_parent(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # readable once the main process is gone
    os._exit(1)


def init_pool_worker() -> None:
    """Initializer of a process-pool worker.

    Ctrl-C reaches every process of the terminal's group: the worker ignores it and lets the
    main process stop the sweep. If the main process is killed outright, the worker sees its
    parent's sentinel close and exits instead of running on unseen (a fork-server child cannot
    rely on its parent process id: its parent is the fork server, which outlives the sweep).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        watcher = threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True)
        watcher.start()


class ProcessRunner(Runner):
    """A :class:`ProcessPoolExecutor` of ``jobs`` processes, started through a fork server.

    A fork server starts each worker from a clean process that has already imported the
    sweep's worker module, so workers start fast and never inherit the main process's threads.
    """

    loses_all_on_crash = True

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.description = f"process pool, {jobs} worker{'s' if jobs != 1 else ''}"
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(WORKER_MODULES)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=self._context, initializer=init_pool_worker
        )

    @property
    def workers(self) -> int:
        return self.jobs

    def submit(self, fn, *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def lost_worker(self, error: BaseException) -> bool:
        return isinstance(error, BrokenProcessPool)

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


class DaskRunner(Runner):
    """A Dask distributed client's executor: an existing scheduler, or a local cluster."""

    def __init__(self, scheduler: str | None = None, local_workers: int | None = None):
        from distributed import Client, LocalCluster

        self._cluster = None
        if local_workers is not None:
            self._cluster = LocalCluster(
                n_workers=local_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
            self.description = f"Dask LocalCluster, {local_workers} workers"
        else:
            try:
                self._client = Client(scheduler, timeout="10s")
            except OSError as error:
                raise BrinkInputError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}",
                    Location(file="command line", key="--scheduler"),
                ) from None
            self.description = f"Dask scheduler {scheduler}"
        self._executor: Executor = self._client.get_executor(pure=False)

    @property
    def workers(self) -> int:
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def submit(self, fn, *args: Any) -> Future:
        return self._executor.submit(fn, *args)

    def lost_worker(self, error: BaseException) -> bool:
        from distributed.scheduler import KilledWorker

        return isinstance(error, KilledWorker)

    def close(self, cancel: bool = False) -> None:
        self._executor.shutdown(wait=not cancel)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_runner(
    jobs: int | None = None,
    scheduler: str | None = None,
    local_cluster: int | None = None,
    check_only: bool = False,
) -> Runner | None:
    """The runner the command line asks for (a process pool unless a Dask option is given).

    With ``check_only``, only check the options and return None.
    """
    if scheduler is not None and local_cluster is not None:
        raise BrinkInputError(
            "give --scheduler or --local-cluster, not both",
            Location(file="command line", key="--scheduler"),
        )
    if scheduler is not None or local_cluster is not None:
        from brink.extras import require

        require("cluster", "--scheduler" if scheduler is not None else "--local-cluster")
    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise BrinkInputError(
                f"'{scheduler}' is not a scheduler address (like tcp://127.0.0.1:8786)",
                Location(file="command line", key="--scheduler"),
            )
        return None if check_only else DaskRunner(scheduler=scheduler)
    if local_cluster is not None:
        if not 1 <= local_cluster <= MAX_WORKERS:
            raise BrinkInputError(
                f"{local_cluster} workers: use 1–{MAX_WORKERS}",
                Location(file="command line", key="--local-cluster"),
            )
        return None if check_only else DaskRunner(local_workers=local_cluster)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if not 1 <= jobs <= MAX_WORKERS:
        raise BrinkInputError(
            f"{jobs} jobs: use 1–{MAX_WORKERS}", Location(file="command line", key="--jobs")
        )
    return None if check_only else ProcessRunner(jobs)


def results_in_order(runner: Runner, fn, items, window: int, *args: Any):
    """``fn(item, *args)`` for every item on ``runner``, yielded in the items' order, with at
    most ``window`` tasks in flight: enough to keep the workers busy, few enough that results
    stream back instead of piling up in memory."""
    from collections import deque

    waiting = iter(items)
    pending: deque[Future] = deque()
    for item in waiting:
        pending.append(runner.submit(fn, item, *args))
        if len(pending) >= window:
            break
    while pending:
        yield pending.popleft().result()
        for item in waiting:
            pending.append(runner.submit(fn, item, *args))
            break

"""What the view shows: a live model stepped from the page, or a recorded run read back.

Both give the page the same :class:`Tables` (one run's rows up to the step shown), so the map,
panels and log draw a live run and a replay alike. The outcome estimate of the live view is
computed by :func:`ensemble_shares` in a worker process of lower priority
(:func:`ensemble_pool`), so steps stay quick meanwhile.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from brink.experiments.ensemble.folder import read_run_dir
from brink.scenarios.loader import load_scenario
from brink.scenarios.spec import Scenario
from brink.sim.model import CrisisModel, simulate
from brink.sim.params import PARAMETERS, ModelParams
from brink.sim.record import BELIEF_COLUMNS, EVENT_COLUMNS, FRONT_COLUMNS, STEP_COLUMNS
from brink.sim.seeds import spawn_seeds
from brink.viz.timeline import main_dispute, outcome_shares

ENSEMBLE_NICE = 19  # the ensemble's process runs at the lowest priority: the page goes first


@dataclass
class Tables:
    """The rows the figures draw: one run's steps, events, beliefs and fronts (its wars day by
    day), and how far it got."""

    steps: pd.DataFrame
    events: pd.DataFrame
    beliefs: pd.DataFrame
    step: int
    running: bool
    fronts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FRONT_COLUMNS))
    #: How each dispute ended by the step shown (dispute → outcome), for the log's words.
    outcomes: dict[str, str] = field(default_factory=dict)
    #: Days a step lasts in this run (its ``step_days``).
    step_days: float | None = None


class LiveRun:
    """A crisis model stepped from the page; its record's rows become data frames on demand.

    The page shows the run up to :attr:`shown`, which is the model's last step except after a
    Pause: Pause stops on the day the page showed when it was pressed, and if the model had
    already gone one step further meanwhile, the next Step shows that step instead of taking
    another (the same run either way: a model's steps do not depend on when they are shown).
    """

    def __init__(self, scenario: Scenario, params: ModelParams, seed: int):
        self.scenario = scenario
        self.params = params
        self.seed = seed
        self.model = CrisisModel(scenario, params, seed=seed, run=0)
        self.shown = 0
        self.lock = threading.Lock()

    def step(self) -> None:
        with self.lock:
            if self.shown < self.model.steps_done:
                self.shown += 1
            elif self.model.running:
                self.model.step()
                self.shown = int(self.model.steps_done)

    def show_until(self, step: int) -> None:
        """Show the run up to ``step`` (at most the model's last step)."""
        with self.lock:
            self.shown = max(0, min(int(step), int(self.model.steps_done)))

    @property
    def running(self) -> bool:
        return bool(self.model.running) or self.shown < self.model.steps_done

    def tables(self) -> Tables:
        with self.lock:
            record = self.model.record
            shown = self.shown

            def rows(table: list[dict]) -> list[dict]:
                if shown >= self.model.steps_done:
                    return table
                return [row for row in table if row["step"] <= shown]

            return Tables(
                pd.DataFrame(rows(record.steps), columns=list(STEP_COLUMNS)),
                pd.DataFrame(rows(record.events), columns=list(EVENT_COLUMNS)),
                pd.DataFrame(rows(record.beliefs), columns=list(BELIEF_COLUMNS)),
                shown,
                bool(self.model.running) or shown < self.model.steps_done,
                pd.DataFrame(rows(record.fronts), columns=list(FRONT_COLUMNS)),
                {
                    dispute.id: str(dispute.outcome)
                    for dispute in self.model.disputes.values()
                    if dispute.outcome is not None
                    and dispute.end_step is not None
                    and dispute.end_step <= shown
                },
                float(self.params.step_days),
            )


def ensemble_shares(scenario: Scenario, params: ModelParams, seed: int, runs: int):
    """The outcome estimate of the live view: ``runs`` replications from root ``seed``; the
    shares of each outcome by day, the dispute they follow, and the seed of the run that ends
    in war, of the most likely ending, of the longest and of the most eventful
    (:func:`brink.viz.run_choice.pick_runs`; a run is the same from its seed alone)."""
    from brink.viz.run_choice import pick_runs

    seeds = spawn_seeds(seed, runs)
    records = [
        simulate(scenario, params, run_seed, run=index) for index, run_seed in enumerate(seeds)
    ]
    runs_frame = pd.DataFrame([row for record in records for row in record.runs])
    all_events = pd.DataFrame([row for record in records for row in record.events])
    events_frame = (
        all_events[all_events["action"].isin(("war", "spiral"))] if len(all_events) else all_events
    )
    lengths = pd.DataFrame(
        [{"run": index, "step": record.steps[-1]["step"] if record.steps else 0}
         for index, record in enumerate(records)]
    )  # fmt: skip
    dispute = main_dispute(scenario, runs_frame)
    picks = pick_runs(runs_frame, lengths, all_events, dispute)
    by_seed = {kind: seeds[run] for kind, run in picks.items()}
    return outcome_shares(runs_frame, events_frame, dispute, params.horizon), dispute, by_seed


_ENSEMBLE_POOL: ProcessPoolExecutor | None = None
_ENSEMBLE_POOL_LOCK = threading.Lock()


def _start_worker(server: int) -> None:
    """Run the ensemble's process below the page's, so a step is drawn first (``nice`` is
    Unix only), and end it when the server ``server`` has gone, however it went."""
    if hasattr(os, "nice"):
        os.nice(ENSEMBLE_NICE)
    threading.Thread(target=_exit_with, args=(server,), daemon=True).start()


def _exit_with(server: int) -> None:
    # A pool's idle worker does not notice that its parent was killed; its parent changes then.
    while os.getppid() == server:
        time.sleep(1.0)
    os._exit(0)


def _ready() -> bool:
    return True


def ensemble_pool() -> ProcessPoolExecutor:
    """One worker process, shared by every tab, that computes the outcome estimates.

    In a thread of the server, the ensemble's runs would hold the interpreter lock for seconds
    and slow every step drawn meanwhile; in a process of lower priority they do not. Spawned
    (not forked: the server runs threads) on first use; it imports the model once and stays.
    """
    global _ENSEMBLE_POOL
    with _ENSEMBLE_POOL_LOCK:
        if _ENSEMBLE_POOL is None:
            _ENSEMBLE_POOL = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            _ENSEMBLE_POOL.submit(_ready)  # start it (and its imports) now, not on first use
            atexit.register(_ENSEMBLE_POOL.shutdown, cancel_futures=True)
        return _ENSEMBLE_POOL


@dataclass
class Recorded:
    """A run directory read back for replay."""

    directory: Path
    scenario: Scenario
    params: ModelParams
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def read(cls, directory: str | Path) -> Recorded:
        data = read_run_dir(directory)
        manifest = data["manifest"]
        source = manifest.get("scenario_file") or manifest.get("scenario")
        scenario = load_scenario(source)
        params = ModelParams().with_overrides(
            {
                name: value
                for name, value in (manifest.get("parameters") or {}).items()
                if name in PARAMETERS
            }
        )
        empty = pd.DataFrame(columns=["run", "step"])
        names = ("runs", "steps", "events", "beliefs", "fronts")
        tables = {name: data.get(name, empty) for name in names}
        return cls(Path(directory), scenario, params, tables)

    @property
    def run_ids(self) -> list[int]:
        frame = self.tables["steps"]
        return sorted(int(run) for run in frame["run"].unique()) if len(frame) else [0]

    def last_step(self, run: int) -> int:
        frame = self.tables["steps"]
        rows = frame[frame["run"] == run]
        return int(rows["step"].max()) if len(rows) else 0

    def tables_for(self, run: int, step: int) -> Tables:
        def upto(frame: pd.DataFrame) -> pd.DataFrame:
            if len(frame) == 0:
                return frame
            return frame[(frame["run"] == run) & (frame["step"] <= step)]

        return Tables(
            upto(self.tables["steps"]),
            upto(self.tables["events"]),
            upto(self.tables["beliefs"]),
            step,
            step < self.last_step(run),
            upto(self.tables["fronts"]),
            self.outcomes_by(run, step),
            float(self.params.step_days),
        )

    def outcomes_by(self, run: int, step: int) -> dict[str, str]:
        """How each dispute of run ``run`` had ended by ``step`` (dispute → outcome)."""
        runs = self.tables["runs"]
        if len(runs) == 0 or not {"dispute", "outcome", "end_step"} <= set(runs.columns):
            return {}
        rows = runs[(runs["run"] == run) & (runs["end_step"] <= step)]
        return {str(row.dispute): str(row.outcome) for row in rows.itertuples()}

    @property
    def dispute(self) -> str:
        """The dispute the outcome panel follows (:func:`main_dispute`)."""
        return main_dispute(self.scenario, self.tables["runs"])

    def picks(self) -> dict[str, int]:
        """The run that ends in war, of the most likely ending, the longest and the most
        eventful (:func:`brink.viz.run_choice.pick_runs`)."""
        from brink.viz.run_choice import pick_runs

        return pick_runs(
            self.tables["runs"], self.tables["steps"], self.tables["events"], self.dispute
        )

    def shares(self) -> pd.DataFrame:
        return outcome_shares(
            self.tables["runs"], self.tables["events"], self.dispute, self.params.horizon
        )

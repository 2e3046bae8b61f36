"""The browser view of a crisis: ``brink view`` serves this Solara page (no network needed).

Two modes, chosen by environment variables that ``brink view`` sets:

- **live** (``BRINK_VIEW_SCENARIO``: a bundled scenario's name or a file): a
  :class:`~brink.sim.model.CrisisModel` stepped from the page, with step, play, pause, reset,
  a speed, a seed, a control for every model parameter (built from
  :data:`brink.sim.params.PARAMETERS`, so no default is written twice) and a picker of the
  bundled scenarios;
- **replay** (``BRINK_VIEW_RUN``: a run directory written by ``brink run``): the recorded runs,
  with a timeline to scrub and a run picker.

The page only draws: the vector map (:mod:`brink.viz.vector`, shown by ``map.vue``, with the
panel of a clicked state from :mod:`brink.viz.statepanel`), the panels over time
(:mod:`brink.viz.timeline`) and the event log (:mod:`brink.viz.narrate`) all take data frames
of the run's rows; the widgets are in :mod:`brink.viz.widgets`. The outcome estimate is the
share of an ensemble of runs with the same scenario, parameters and root seed in each main
outcome by each day: computed in live mode (``BRINK_VIEW_ENSEMBLE`` runs, default 40) by a
worker process of lower priority (:func:`ensemble_pool`), so steps stay quick meanwhile; read
from the run directory in replay mode. The map is SVG made here and two Vue templates shipped
with the package; the charts are matplotlib PNGs: Mesa's altair components need vega from a
CDN (docs/style.md), and SolaraViz rebuilds a model from keyword arguments, which does not fit a
model built from a scenario and one parameter object.
"""

from __future__ import annotations

import atexit
import html
import io
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import solara
import solara.lab
import solara.server.settings
from matplotlib.figure import Figure

from brink.errors import BrinkInputError
from brink.scenarios.loader import bundled_scenarios, load_scenario
from brink.scenarios.spec import Scenario
from brink.sim.model import CrisisModel, simulate
from brink.sim.output import read_run_dir
from brink.sim.params import PARAMETERS, ModelParams, ParameterSpec, scenario_params
from brink.sim.record import BELIEF_COLUMNS, EVENT_COLUMNS, STEP_COLUMNS
from brink.sim.seeds import spawn_seeds
from brink.viz.map import crimea_caption, display_name
from brink.viz.narrate import (
    ROUTINE_ACTIONS,
    merge_rows,
    narrate,
    sentence,
    step_heading,
    step_unit,
)
from brink.viz.statepanel import panel_html
from brink.viz.timeline import main_dispute, outcome_shares, panels_figure
from brink.viz.vector import WIDTH, base_svg, projection, step_map
from brink.viz.vector import legend as map_legend
from brink.viz.widgets import ControlsView, MapView, ParameterSliders

ENV_SCENARIO = "BRINK_VIEW_SCENARIO"
ENV_RUN_DIR = "BRINK_VIEW_RUN"
ENV_ENSEMBLE = "BRINK_VIEW_ENSEMBLE"
DEFAULT_SCENARIO = "black_sea_2022"
DEFAULT_ENSEMBLE = 40
#: The run the view opens on. Most runs of the founding scenario end within days (Russia backs
#: down), which leaves a presenter little to show; seed 17 is one whose NATO dispute runs for 107
#: days before a compromise. Any other seed is one field away.
DEFAULT_SEED = 17
ENV_PLAY_INTERVAL = "BRINK_VIEW_PLAY_INTERVAL"
PLAY_INTERVAL = 0.25  # seconds between steps while playing (default: 4 steps a second)
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)  # the speed control's choices, steps per second
LOG_LINES = 300  # most recent lines shown in the event log
PANELS_DELAY = 0.15  # seconds the panels wait for the map to go out first
ENSEMBLE_NICE = 19  # the ensemble's process runs at the lowest priority: the page goes first


# Solara's "This website runs on Solara" banner covers the page's corner (issue 15).
solara.server.settings.theme.show_banner = False


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes (fast zlib level: the view redraws every step)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


# -- what the page shows: a live model or a recorded run ----------------------------------------


@dataclass
class Tables:
    """The rows the figures draw: one run's steps, events and beliefs, and how far it got."""

    steps: pd.DataFrame
    events: pd.DataFrame
    beliefs: pd.DataFrame
    step: int
    running: bool


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
            )


def ensemble_shares(scenario: Scenario, params: ModelParams, seed: int, runs: int):
    """The outcome estimate of the live view: ``runs`` replications from root ``seed``."""
    records = [
        simulate(scenario, params, run_seed, run=index)
        for index, run_seed in enumerate(spawn_seeds(seed, runs))
    ]
    runs_frame = pd.DataFrame([row for record in records for row in record.runs])
    events_frame = pd.DataFrame(
        [row for record in records for row in record.events if row["action"] in ("war", "spiral")]
    )
    dispute = main_dispute(scenario, runs_frame)
    return outcome_shares(runs_frame, events_frame, dispute, params.horizon), dispute


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
        tables = {name: data.get(name, empty) for name in ("runs", "steps", "events", "beliefs")}
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
        )

    @property
    def dispute(self) -> str:
        """The dispute the outcome panel follows (:func:`main_dispute`)."""
        return main_dispute(self.scenario, self.tables["runs"])

    def shares(self) -> pd.DataFrame:
        return outcome_shares(
            self.tables["runs"], self.tables["events"], self.dispute, self.params.horizon
        )


# -- the event log ----------------------------------------------------------------------------


def log_lines(events: pd.DataFrame, scenario: Scenario) -> list[str]:
    """The event log, newest first: every notable event, and on a day with only routine moves
    (press, resist, stay out) one line saying the standoff goes on."""
    if len(events) == 0:
        return []
    days: list[list[str]] = []
    for step, rows in events.groupby("step", sort=True):
        records = merge_rows(rows.to_dict("records"))
        notable = [row for row in records if row["action"] not in ROUTINE_ACTIONS]
        if notable:
            days.append([narrate(row, scenario) for row in notable])
        else:
            moves = "; ".join(sentence(row, scenario) for row in records)
            days.append([f"{step_unit(scenario)} {int(step)} — the standoff goes on: {moves}"])
    # Newest day first; within a day, in the order things happened.
    return [line for day in reversed(days) for line in day]


# -- page state (each browser tab has its own: Solara scopes reactives per connection) ---------


def _initial_scenario_name() -> str:
    wanted = os.environ.get(ENV_SCENARIO)
    if wanted:
        return wanted
    names = list(bundled_scenarios())
    return DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else (names[0] if names else "")


def _initial_speed() -> float:
    """Steps per second while playing: 1 / ``BRINK_VIEW_PLAY_INTERVAL`` if set, else 4."""
    try:
        interval = float(os.environ.get(ENV_PLAY_INTERVAL, PLAY_INTERVAL))
    except ValueError:
        interval = PLAY_INTERVAL
    return round(1.0 / interval, 3) if interval > 0 else max(SPEEDS)


scenario_name = solara.reactive(_initial_scenario_name())
seed = solara.reactive(DEFAULT_SEED)
overrides: solara.Reactive[dict[str, Any]] = solara.reactive({})
applied: solara.Reactive[dict[str, Any]] = solara.reactive({})
live: solara.Reactive[LiveRun | None] = solara.reactive(None)
tick = solara.reactive(0)
playing = solara.reactive(False)
speed = solara.reactive(_initial_speed())
rate = solara.reactive("")  # the speed measured while playing, in words
selected = solara.reactive("")  # the state whose panel is open
replay_run = solara.reactive(0)
replay_step = solara.reactive(0)
error = solara.reactive("")
#: Held while Play takes a step and while Pause stops it, so no step slips in after a Pause.
PLAY_LOCK = threading.RLock()


def _ensemble_size() -> int:
    try:
        return max(0, int(os.environ.get(ENV_ENSEMBLE, DEFAULT_ENSEMBLE)))
    except ValueError:
        return DEFAULT_ENSEMBLE


def start_live(name: str, chosen: dict[str, Any], root_seed: int) -> None:
    """Build a fresh model of scenario ``name`` with the slider values ``chosen``."""
    try:
        scenario = load_scenario(name)
        params = scenario_params(scenario, chosen)
    except BrinkInputError as problem:
        error.set(str(problem))
        return
    error.set("")
    playing.set(False)
    rate.set("")
    # The new run first, then what it was built with: the page never says "changed: …" beside
    # the run it replaces (a Step pressed in between would step the old run).
    live.set(LiveRun(scenario, params, int(root_seed)))
    applied.set(dict(chosen))
    tick.set(tick.value + 1)


def step_once() -> None:
    run = live.value
    if run is not None and run.running:
        run.step()
        tick.set(tick.value + 1)


def pause_live(shown: int) -> None:
    """Stop playing on ``shown``, the day the page showed when Pause was pressed."""
    with PLAY_LOCK:
        playing.set(False)
        run = live.value
        if run is not None and shown >= 0 and shown < run.shown:
            run.show_until(shown)
            tick.set(tick.value + 1)


def reset() -> None:
    start_live(scenario_name.value, overrides.value, seed.value)


def choose_scenario(name: str) -> None:
    scenario_name.set(name)
    overrides.set({})
    selected.set("")
    start_live(name, {}, seed.value)


# -- components ------------------------------------------------------------------------------


def choose_parameter(spec: ParameterSpec, value: Any) -> None:
    """The user moved a parameter's control to ``value`` (a change only: not a slider's snap)."""
    try:
        number = round(float(value)) if spec.integer else float(value)
    except (TypeError, ValueError):
        return
    if not spec.low <= number <= spec.high:
        return
    overrides.set({**overrides.value, spec.name: number})


@solara.component
def CrisisMap(scenario: Scenario, tables: Tables, key: Any):
    """The vector map (:mod:`brink.viz.vector`) and the panel of the state clicked."""
    drawn = solara.use_memo(
        lambda: step_map(scenario, tables.steps, tables.events, tables.step), [key]
    )
    chosen = selected.value if selected.value in scenario.states else ""
    panel = solara.use_memo(
        lambda: (
            panel_html(scenario, tables.steps, tables.events, tables.beliefs, chosen, tables.step)
            if chosen
            else ""
        ),
        [key, chosen],
    )
    proj = projection(scenario)
    MapView(
        base=base_svg(scenario),
        layer=drawn.layer,
        labels=drawn.labels,
        info=drawn.info,
        step=tables.step,
        version=str(hash(key)),
        width=WIDTH,
        height=round(proj.height, 1),
        legend=map_legend(scenario),
        caption=crimea_caption(scenario),
        title=f"Map of {display_name(scenario)}, {step_heading(scenario, tables.step)}",
        panel=panel,
        selected=chosen,
        event_select=selected.set,
    )


@solara.component
def Panels(
    scenario: Scenario,
    tables: Tables,
    shares: pd.DataFrame,
    runs: int,
    horizon: int,
    key: Any,
    dispute: str | None = None,
):
    # Drawn in a thread after the map, so a step shows on the map first: the short wait lets
    # the server send the new map before this thread competes with it for the interpreter.
    # While playing they wait: drawing them takes the interpreter from the steps for longer
    # than a step lasts at 4 a second. They catch up when Play stops.
    frozen = solara.use_ref(None)
    if playing.value and frozen.current is not None:
        key = frozen.current
    frozen.current = key

    def draw() -> bytes:
        time.sleep(PANELS_DELAY)
        return png(
            panels_figure(
                scenario,
                tables.steps,
                tables.events,
                tables.beliefs,
                shares,
                tables.step,
                _span(tables.step, shares, horizon),
                ensemble_runs=runs,
                dispute=dispute,
            )
        )

    task = solara.lab.use_task(draw, dependencies=[key, id(shares)], prefer_threaded=True)
    if task.latest is not None:
        # At its natural size (shrunk only to fit), so its text stays crisp.
        solara.Image(task.latest, classes=["brink-panels"])
    else:
        solara.Text("drawing…")


def _span(step: int, shares: pd.DataFrame, horizon: int) -> int:
    """Days the time axes show: past the current day and most runs' ends, within the horizon."""
    settled = 0
    if len(shares):
        done = shares.index[shares["ongoing"] <= 0.05]
        settled = int(done[0]) if len(done) else horizon
    return int(min(horizon, max(30, step + 10, settled * 1.2)))


def log_html(lines: list[str], shown: str = "") -> str:
    """The log as one block of HTML (one widget, not one per line: the view redraws per step);
    ``shown``: the step the page shows (``Day 3``), said when nothing has happened by then."""
    if not lines:
        text = (
            f"Nothing has happened by {shown}: press Step or Play to go on."
            if shown
            else "Nothing has happened yet: press Step or Play."
        )
        return f'<div class="brink-log-empty">{html.escape(text)}</div>'
    return "".join(
        f'<div class="brink-log-line" style="padding:3px 0;border-bottom:1px solid #eee">'
        f"{html.escape(line)}</div>"
        for line in lines
    )


@solara.component
def EventLog(scenario: Scenario, tables: Tables, key: Any):
    lines = solara.use_memo(lambda: log_lines(tables.events, scenario)[:LOG_LINES], [key])
    shown = f"{step_unit(scenario).lower()} {tables.step}" if tables.step > 0 else ""
    with solara.Card("Event log"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=log_html(lines, shown),
            classes=["brink-log"],
            style="max-height: 560px; overflow-y: auto; font-size: 13px; line-height: 1.35;",
        )


@solara.component
def Heading(scenario: Scenario, tables: Tables, note: str = ""):
    text = step_heading(scenario, tables.step)
    if not tables.running and tables.step > 0:
        text += " — the run is over"
    solara.v.Html(tag="h2", class_="brink-day", children=[text], style_="margin: 4px 0;")
    if note:
        solara.Text(note, style={"color": "#555", "font-size": "13px"})


@solara.component
def Player(advance, can_advance: bool, unit: str = "day"):
    """Play runs ``advance`` :data:`speed` times a second until paused or finished, and
    shows the speed it reaches (:data:`rate`, in ``unit``s a second)."""
    current = solara.use_ref(None)

    def forget():
        current.current = None  # the page went away: a loop still running stops

    solara.use_effect(lambda: forget, [])

    def loop():
        # In a thread of its own (a click's handler may run where no event loop is); a step
        # and Pause take PLAY_LOCK in turn, and renders are serialised by Reacton. Only the
        # latest loop runs: a Pause and Play in quick succession do not leave two playing.
        token = object()
        current.current = token
        times: list[float] = []
        while playing.value and can_advance and current.current is token:
            started = time.perf_counter()
            with PLAY_LOCK:
                if not playing.value or current.current is not token:
                    return
                more = advance()
            times = [*times[-8:], time.perf_counter()]
            if len(times) > 2:
                measured = (len(times) - 1) / (times[-1] - times[0])
                rate.set(f"playing at {measured:.1f} {unit}s/s")
            if not more:
                playing.set(False)
                return
            wait = 1.0 / max(speed.value, 0.01) - (time.perf_counter() - started)
            time.sleep(max(0.0, wait))

    solara.lab.use_task(loop, dependencies=[playing.value, can_advance], prefer_threaded=True)


def _speeds() -> list[float]:
    return sorted({*SPEEDS, speed.value})


def _set_speed(value: float) -> None:
    if value and value > 0:
        speed.set(float(value))
        rate.set("")


def _play() -> None:
    rate.set("")
    playing.set(True)


def _controls(scenario: Scenario, *, step: int, last: int, running: bool, forward: str, **events):
    """The controls template with what live and replay pages share: play, speed, the rate."""
    return ControlsView(
        unit=step_unit(scenario),
        step=step,
        last=last,
        running=running,
        playing=playing.value,
        speed=speed.value,
        speeds=_speeds(),
        rate=rate.value if playing.value else "",
        forward=forward,
        back="event_back" in events,
        reset="event_reset" in events,
        event_play=lambda *_: _play(),
        event_speed=_set_speed,
        **events,
    )


@solara.component
def Controls(run: LiveRun):
    """Step, play, pause, reset, the speed, the day counter and the seed; re-rendered each
    step (``tick``)."""
    tick.get()  # subscribe: whether the run goes on changes with each step
    running = run.running

    def advance() -> bool:
        step_once()
        return live.value is not None and live.value.running

    Player(advance, running, step_unit(run.scenario).lower())
    _controls(
        run.scenario,
        step=run.shown,
        last=run.params.horizon,
        running=running,
        forward="Step",
        event_forward=lambda *_: step_once(),
        event_pause=lambda shown=-1: pause_live(int(shown)),
        event_reset=lambda *_: reset(),
    )
    solara.InputInt("Seed", value=seed.value, on_value=seed.set)
    solara.Text(
        "Seed and parameter changes take effect on Reset.",
        style={"font-size": "12px", "color": "#666"},
    )


@solara.component
def LiveBody(run: LiveRun):
    """The map, the log and the panels of a live run; the only part that reads ``tick``."""
    key = (id(run), tick.value)
    tables = solara.use_memo(run.tables, [key])
    runs = _ensemble_size()

    def estimate():
        if runs == 0 or not run.scenario.demands:
            return None
        job = ensemble_pool().submit(ensemble_shares, run.scenario, run.params, run.seed, runs)
        return job.result()

    estimate_task = solara.lab.use_task(estimate, dependencies=[id(run)], prefer_threaded=True)
    estimate = estimate_task.latest
    shares = estimate[0] if estimate is not None else pd.DataFrame()
    dispute = estimate[1] if estimate is not None else None
    _Body(run.scenario, tables, key, shares, runs, run.params.horizon, _changes(run), dispute)


@solara.component
def LivePage():
    run = live.value
    if _ensemble_size() > 0:
        ensemble_pool()  # the worker starts while the page loads
    solara.use_effect(lambda: None if live.value is not None else reset(), [])
    if run is None:
        solara.Text(error.value or "Loading…")
        return
    with solara.Sidebar():
        with solara.Card("Crisis"):
            names = list(bundled_scenarios())
            if scenario_name.value not in names:
                names.insert(0, scenario_name.value)
            solara.Select(
                "Scenario", values=names, value=scenario_name.value, on_value=choose_scenario
            )
            solara.Text(run.scenario.description[:300], style={"font-size": "12px"})
        with solara.Card("Run"):
            Controls(run)
        with solara.Card("Parameters"):
            ParameterSliders(run.params, overrides.value, choose_parameter)
    LiveBody(run)


def _changes(run: LiveRun) -> str:
    chosen = {
        name: value
        for name, value in applied.value.items()
        if value != getattr(scenario_params(run.scenario), name)
    }
    text = f"seed {run.seed}"
    if chosen:
        text += "; changed: " + ", ".join(f"{name} = {value:g}" for name, value in chosen.items())
    return text


#: The page's own layout: the map beside the log on a wide screen, above it on a narrow one;
#: Solara's "runs on Solara" banner is switched off (settings above) and hidden if it shows.
PAGE_CSS = """
.brink-main { display: grid; grid-template-columns: minmax(0, 2.6fr) minmax(260px, 1fr);
  gap: 12px; align-items: start; }
@media (max-width: 1180px) { .brink-main { grid-template-columns: minmax(0, 1fr); } }
img.brink-panels { max-width: 100%; height: auto; }
"""


@solara.component
def _Body(scenario, tables, key, shares, runs, horizon, note, dispute=None):
    solara.Style(PAGE_CSS)
    if error.value:
        solara.Error(error.value)
    Heading(scenario, tables, note)
    with solara.Div(classes=["brink-main"]):
        with solara.Div():
            CrisisMap(scenario, tables, key)
        with solara.Div():
            EventLog(scenario, tables, key)
    Panels(scenario, tables, shares, runs, horizon, key, dispute)


@solara.component
def ReplayPage(recorded: Recorded):
    run_ids = recorded.run_ids
    run = replay_run.value if replay_run.value in run_ids else run_ids[0]
    last = recorded.last_step(run)
    step = min(replay_step.value, last)
    tables = solara.use_memo(lambda: recorded.tables_for(run, step), [run, step])
    shares = solara.use_memo(recorded.shares, [])
    n_runs = len(run_ids)

    def advance() -> bool:
        if replay_step.value >= last:
            return False
        replay_step.set(replay_step.value + 1)
        return replay_step.value < last

    def pause(shown: int = -1) -> None:
        with PLAY_LOCK:
            playing.set(False)
            if 0 <= shown < replay_step.value:
                replay_step.set(int(shown))

    Player(advance, step < last, step_unit(recorded.scenario).lower())
    with solara.Sidebar(), solara.Card("Recorded run"):
        solara.Text(str(recorded.directory), style={"font-size": "12px"})
        solara.Select(
            "Run",
            values=[str(r) for r in run_ids],
            value=str(run),
            on_value=lambda value: replay_run.set(int(value)),
        )
        solara.SliderInt(
            f"{step_unit(recorded.scenario)}",
            value=step,
            min=0,
            max=last,
            on_value=replay_step.set,
            thumb_label="always",
        )
        _controls(
            recorded.scenario,
            step=step,
            last=last,
            running=step < last,
            forward="Forward",
            event_forward=lambda *_: replay_step.set(min(last, step + 1)),
            event_back=lambda *_: replay_step.set(max(0, step - 1)),
            event_pause=lambda shown=-1: pause(int(shown)),
        )
    _Body(
        recorded.scenario,
        tables,
        ("replay", run, step),
        shares,
        n_runs,
        recorded.params.horizon,
        f"replay of run {run} of {n_runs}",
        recorded.dispute,
    )


@solara.component
def Page():
    run_dir = os.environ.get(ENV_RUN_DIR)
    recorded = solara.use_memo(lambda: Recorded.read(run_dir) if run_dir else None, [run_dir])
    scenario = recorded.scenario if recorded else (live.value.scenario if live.value else None)
    title = f"Brink — {display_name(scenario)}" if scenario else "Brink"
    solara.Title(title)
    with solara.AppBar():
        solara.AppBarTitle(title)
    if recorded is not None:
        ReplayPage(recorded)
    else:
        LivePage()

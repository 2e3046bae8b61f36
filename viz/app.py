"""The browser view of a crisis: ``brink view`` serves this Solara page (no network needed).

Two modes, chosen by environment variables that ``brink view`` sets:

- **live** (``BRINK_VIEW_SCENARIO``: a bundled scenario's name or a file): a
  :class:`~brink.sim.model.CrisisModel` stepped from the page, with step, play, pause, reset,
  a speed, a seed, a control for every model parameter (built from
  :data:`brink.sim.params.PARAMETERS`, so no default is written twice) and a picker of the
  bundled scenarios;
- **replay** (``BRINK_VIEW_RUN``: a run directory written by ``brink run``): the recorded runs,
  with a timeline to scrub and a run picker.

This module holds the page's state and lays the page out. What it shows, a live run or a
recorded one, is in :mod:`brink.viz.viewruns` (both give the same tables of rows); Play, Pause
and the speed in :mod:`brink.viz.playback`. The page only draws: the vector map
(:mod:`brink.viz.vector` and the war's layers in :mod:`brink.viz.warmap`, shown by ``map.vue``,
with the panel of a clicked state from :mod:`brink.viz.statepanel`), the panels over time
(:mod:`brink.viz.timeline`) and the event log (:mod:`brink.viz.eventlog`) all take data frames
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

import contextlib
import io
import os
import time
from typing import Any

import pandas as pd
import solara
import solara.lab
import solara.server.settings
from matplotlib.figure import Figure

from brink.errors import BrinkInputError
from brink.scenarios.loader import bundled_scenarios, load_scenario
from brink.scenarios.spec import Scenario
from brink.sim.parameter_spec import ParameterSpec
from brink.sim.params import scenario_params
from brink.viz.eventlog import EventLog
from brink.viz.map import display_name
from brink.viz.map_layers import crimea_caption
from brink.viz.map_projection import off_map
from brink.viz.narrate import step_heading, step_unit
from brink.viz.playback import PLAY_LOCK, Player, controls, playing, rate, stop_playing
from brink.viz.run_choice import choice_labels
from brink.viz.statepanel import panel_html
from brink.viz.timeline import panels_figure
from brink.viz.vector import WIDTH, base_svg, projection, step_map
from brink.viz.vector import legend as map_legend
from brink.viz.viewruns import LiveRun, Recorded, Tables, ensemble_pool, ensemble_shares
from brink.viz.widgets import MapView, ParameterSliders

ENV_SCENARIO = "BRINK_VIEW_SCENARIO"
ENV_RUN_DIR = "BRINK_VIEW_RUN"
ENV_PARAMS = "BRINK_VIEW_PARAMS"  # a params file (brink view --params) under the scenario's
ENV_ENSEMBLE = "BRINK_VIEW_ENSEMBLE"
ENV_RULES = "BRINK_VIEW_RULES"  # brink view --rule: one rule a line, over the scenario's own
ENV_PLAY = "BRINK_VIEW_PLAY"  # states people play (brink view --play; viz/play_page.py)
DEFAULT_SCENARIO = "black_sea_2022"
DEFAULT_ENSEMBLE = 40
#: The run the view opens on. Most runs of the founding scenario end within days (Russia backs
#: down), which leaves a presenter little to show; seed 17 is one whose NATO dispute runs for 107
#: days before a compromise. Any other seed is one field away.
DEFAULT_SEED = 17
PANELS_DELAY = 0.15  # seconds the panels wait for the map to go out first


# Solara's "This website runs on Solara" banner covers the page's corner (issue 15).
solara.server.settings.theme.show_banner = False


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes (fast zlib level: the view redraws every step)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


# -- page state (each browser tab has its own: Solara scopes reactives per connection) ---------


def _initial_scenario_name() -> str:
    wanted = os.environ.get(ENV_SCENARIO)
    if wanted:
        return wanted
    names = list(bundled_scenarios())
    return DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else (names[0] if names else "")


scenario_name = solara.reactive(_initial_scenario_name())
seed = solara.reactive(DEFAULT_SEED)
overrides: solara.Reactive[dict[str, Any]] = solara.reactive({})
applied: solara.Reactive[dict[str, Any]] = solara.reactive({})
live: solara.Reactive[LiveRun | None] = solara.reactive(None)
tick = solara.reactive(0)
selected = solara.reactive("")  # the state whose panel is open
replay_run = solara.reactive(0)
replay_step = solara.reactive(0)
error = solara.reactive("")
#: Width in pixels of the page's column of map, log and panels, as the browser reports it
#: (``map.vue``): the panels are drawn at that width, so their text is not shrunk (issue 27).
content_width = solara.reactive(0)
#: The seeds of the live ensemble's run that ends in war, of the most likely ending, of the
#: longest and of the most eventful (``viewruns.ensemble_shares``), for the run picker.
live_picks: solara.Reactive[dict[str, int]] = solara.reactive({})
#: The root seed of the ensemble a picked run came from (None: the run's own seed is the root).
ensemble_root: solara.Reactive[int | None] = solara.reactive(None)


def _ensemble_size() -> int:
    try:
        return max(0, int(os.environ.get(ENV_ENSEMBLE, DEFAULT_ENSEMBLE)))
    except ValueError:
        return DEFAULT_ENSEMBLE


def view_base():
    """The parameters under every scenario's: a ``--params`` file's, or the defaults."""
    from brink.scenarios.params_file import base_params, load_params_file

    path = os.environ.get(ENV_PARAMS)
    return base_params(load_params_file(path) if path else None)


def view_rules(scenario):
    """``scenario`` with the rules of ``brink view --rule`` over its own (a rule for a state
    applies to the scenarios where that state is, when another is picked in the page)."""
    from brink.scenarios.rule_specs import parse_rules, with_rules

    given = parse_rules(os.environ.get(ENV_RULES, "").splitlines(), file=ENV_RULES)
    return with_rules(scenario, given, cases=True)


def start_live(name: str, chosen: dict[str, Any], root_seed: int) -> None:
    """Build a fresh model of scenario ``name`` with the slider values ``chosen``."""
    try:
        scenario = view_rules(load_scenario(name))
        params = scenario_params(scenario, chosen, base=view_base())
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
    """Stop playing on ``shown``, the day the page showed when Pause was pressed: the loop
    first (no step starts after it), then back to that day if the run had gone further."""
    stop_playing()
    with PLAY_LOCK:
        playing.set(False)
        run = live.value
        if run is not None and shown >= 0 and shown < run.shown:
            run.show_until(shown)
            tick.set(tick.value + 1)


def reset() -> None:
    start_live(scenario_name.value, overrides.value, seed.value)


def scenario_choices(current: str) -> list[str]:
    """The scenario picker's list: every bundled scenario, the casebook's ``history/`` cases
    among them (``brink casebook``), and first the one on show if it is a file of the user's."""
    names = list(bundled_scenarios())
    if current not in names:
        names.insert(0, current)
    return names


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
        lambda: step_map(scenario, tables.steps, tables.events, tables.step, fronts=tables.fronts),
        [key],
    )
    chosen = selected.value if selected.value in scenario.states else ""
    panel = solara.use_memo(
        lambda: (
            panel_html(
                scenario,
                tables.steps,
                tables.events,
                tables.beliefs,
                chosen,
                tables.step,
                tables.step_days,
            )
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
        offmap=off_map(scenario),
        caption=crimea_caption(scenario),
        title=(
            f"Map of {display_name(scenario)}, "
            f"{step_heading(scenario, tables.step, tables.step_days)}"
        ),
        heading=heading_text(scenario, tables),
        panel=panel,
        selected=chosen,
        event_select=selected.set,
        event_resize=_resized,
    )


def _resized(width) -> None:
    try:
        pixels = int(float(width)) // PANELS_WIDTH_STEP * PANELS_WIDTH_STEP
    except (TypeError, ValueError):
        return
    if pixels > 0 and pixels != content_width.value:
        content_width.set(pixels)


#: The panels are redrawn when the column's width changes by this many pixels.
PANELS_WIDTH_STEP = 20
PANELS_DEFAULT_WIDTH = 1000


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
    width = content_width.value or PANELS_DEFAULT_WIDTH
    key = (key, width)
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
                width_px=width,
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


def heading_text(scenario: Scenario, tables: Tables) -> str:
    """The heading over the map: the day, its date, and whether the run is over. The map
    shows it (``map.vue``), so a Pause holds it with the map."""
    text = step_heading(scenario, tables.step, tables.step_days)
    if not tables.running and tables.step > 0:
        text += " — the run is over"
    return text


@solara.component
def Heading(scenario: Scenario, tables: Tables, note: str = ""):
    if note:
        solara.Text(note, style={"color": "#555", "font-size": "13px"})


@solara.component
def Controls(run: LiveRun):
    """Step, play, pause, reset, the speed and the day counter, in the bar over the map;
    re-rendered each step (``tick``)."""
    tick.get()  # subscribe: whether the run goes on changes with each step
    running = run.running

    def advance() -> bool:
        step_once()
        return live.value is not None and live.value.running

    Player(advance, running, step_unit(run.scenario).lower())
    controls(
        run.scenario,
        step=run.shown,
        last=run.params.horizon,
        running=running,
        forward="Step",
        step_days=run.params.step_days,
        event_forward=lambda *_: step_once(),
        event_pause=lambda shown=-1: pause_live(int(shown)),
        event_reset=lambda *_: reset(),
    )


def choose_live_run(label: str) -> None:
    """Show the ensemble's run that ``label`` names (its seed): a new live run from it."""
    choices = choice_labels(live_picks.value)
    if label in choices:
        if ensemble_root.value is None:
            ensemble_root.set(seed.value)  # the ensemble stays the one the run was picked from
        seed.set(choices[label])
        reset()


def type_seed(value: int) -> None:
    """A seed typed in: the run and its ensemble start from it (on Reset)."""
    ensemble_root.set(None)
    seed.set(value)


@solara.component
def SeedInput():
    choices = choice_labels(live_picks.value)
    if choices:
        solara.Select(
            "Show a run of the ensemble",
            values=list(choices),
            value=next((k for k, v in choices.items() if v == seed.value), None),
            on_value=choose_live_run,
        )
    solara.InputInt("Seed", value=seed.value, on_value=type_seed)
    solara.Text(
        "Seed and parameter changes take effect on Reset.",
        style={"font-size": "12px", "color": "#666"},
    )


@solara.component
def LiveBody(run: LiveRun):
    """The map, the log and the panels of a live run; the only part that reads ``tick``."""
    LiveBodyOf(run, (id(run), tick.value), None, lambda: Controls(run), _changes(run))


@solara.component
def LiveBodyOf(run: LiveRun, key: Any, shown=None, toolbar=None, note: str = ""):
    """The map, the log and the panels of ``run`` (a live run or a played game), redrawn when
    ``key`` changes; ``shown`` filters the tables first (a seat of a game sees its own beliefs)."""
    tables = solara.use_memo(lambda: (shown or (lambda rows: rows))(run.tables()), [key])
    runs = _ensemble_size()

    def estimate():
        if runs == 0 or not run.scenario.demands:
            return None
        root = ensemble_root.value if ensemble_root.value is not None else run.seed
        job = ensemble_pool().submit(ensemble_shares, run.scenario, run.params, root, runs)
        return job.result()

    estimate_task = solara.lab.use_task(estimate, dependencies=[id(run)], prefer_threaded=True)
    latest = estimate_task.latest
    shares = latest[0] if latest is not None else pd.DataFrame()
    dispute = latest[1] if latest is not None else None
    picks = latest[2] if latest is not None and len(latest) > 2 else {}
    solara.use_effect(lambda: live_picks.set(dict(picks)), [id(latest)])
    _Body(
        run.scenario,
        tables,
        key,
        shares,
        runs,
        run.params.horizon,
        note,
        dispute,
        toolbar=toolbar,
    )


@solara.component
def PlayAs(run: LiveRun):
    """The "play as" choice: a game of this run's scenario, parameters and seed, with a person
    in the chosen state's seat (viz/play_page.py); the page moves to its address."""
    router = solara.use_router()

    def play_as(code: str | None) -> None:
        from brink.viz.play import open_game

        if code is not None and code in run.scenario.states:
            game = open_game(run.scenario, run.params, run.seed, (code,))
            router.push(f"{router.root_path}/?game={game.id}&seat={code}")

    solara.Select("Play as", values=sorted(run.scenario.states), value=None, on_value=play_as)


@solara.component
def LivePage():
    run = live.value
    if _ensemble_size() > 0:
        ensemble_pool()  # the worker starts while the page loads
    solara.use_effect(lambda: None if live.value is not None else reset(), [])
    if run is None:
        solara.Text(error.value or "Loading…")
        return
    with page_grid():
        with Side():
            with solara.Card("Crisis"):
                solara.Select(
                    "Scenario",
                    values=scenario_choices(scenario_name.value),
                    value=scenario_name.value,
                    on_value=choose_scenario,
                )
                solara.Text(run.scenario.description[:300], style={"font-size": "12px"})
            with solara.Card("Run"):
                SeedInput()
                PlayAs(run)
            with solara.Card("Parameters"):
                ParameterSliders(run.params, overrides.value, choose_parameter)
        with solara.Div(classes=["brink-content"]):
            LiveBody(run)


def _changes(run: LiveRun) -> str:
    chosen = {
        name: value
        for name, value in applied.value.items()
        if value != getattr(scenario_params(run.scenario, base=view_base()), name)
    }
    text = f"seed {run.seed}"
    if chosen:
        text += "; changed: " + ", ".join(f"{name} = {value:g}" for name, value in chosen.items())
    return text


#: The page's own layout (issue 27: at 1024×768 the sidebar took 400 px and the log and
#: charts were below the fold). The settings (scenario, seed, parameters, run picker) are in a
#: side column that the "Settings" button hides and shows in the browser alone (a checkbox and
#: CSS: no round trip), shown at first from 1200 px wide and hidden below; Step, Play and the
#: day are in a bar over the map; the log stands beside the map down to 820 px.
PAGE_CSS = """
.brink-page { display: grid; grid-template-columns: 300px minmax(0, 1fr); gap: 12px;
  align-items: start; }
@media (min-width: 1600px) { .brink-page { grid-template-columns: 340px minmax(0, 1fr); } }
.brink-side { position: sticky; top: 8px; max-height: calc(100vh - 80px); overflow-y: auto; }
.brink-page:has(#brink-side-toggle:checked) { grid-template-columns: minmax(0, 1fr); }
.brink-page:has(#brink-side-toggle:checked) .brink-side { display: none; }
@media (max-width: 1199px) {
  .brink-page { grid-template-columns: minmax(0, 1fr); }
  .brink-page .brink-side { display: none; }
  .brink-page:has(#brink-side-toggle:checked) { grid-template-columns: 280px minmax(0, 1fr); }
  .brink-page:has(#brink-side-toggle:checked) .brink-side { display: block; }
}
.brink-side-switch { position: fixed; top: 14px; right: 16px; z-index: 10; }
.brink-side-switch label { cursor: pointer; color: #fff; font-size: 15px; font-weight: 500;
  border: 1px solid rgba(255,255,255,0.7); border-radius: 4px; padding: 5px 12px; }
#brink-side-toggle { display: none; }
.brink-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px;
  margin: 0 0 6px 0; }
.brink-toolbar .brink-controls { display: flex; flex-wrap: wrap; align-items: center;
  gap: 4px 14px; }
.brink-toolbar .brink-buttons { margin: 0; }
.brink-main { display: grid; grid-template-columns: minmax(0, 1fr) 260px; gap: 12px;
  align-items: start; }
@media (min-width: 1600px) { .brink-main { grid-template-columns: minmax(0, 1fr) 360px; } }
@media (max-width: 819px) { .brink-main { grid-template-columns: minmax(0, 1fr); } }
.brink-main .brink-log { max-height: calc(100vh - 200px) !important; }
img.brink-panels { display: block; max-width: 100%; height: auto; }
"""

#: The switch of the side column: a checkbox the CSS above reads, and its label as the button.
SIDE_SWITCH = (
    '<input type="checkbox" id="brink-side-toggle" aria-label="Settings">'
    '<span class="brink-side-switch"><label for="brink-side-toggle" role="button">'
    "☰ Settings</label></span>"
)


def Side():
    """The side column of settings (see :data:`PAGE_CSS`)."""
    return solara.Div(classes=["brink-side"])


@contextlib.contextmanager
def page_grid():
    """The grid of the side column and the content, with the switch of the side column: made
    by the page component itself, so that both columns are its direct children."""
    with solara.Div(classes=["brink-page"]):
        solara.HTML(tag="div", unsafe_innerHTML=SIDE_SWITCH, style="display: contents")
        yield


@solara.component
def _Body(scenario, tables, key, shares, runs, horizon, note, dispute=None, toolbar=None):
    if error.value:
        solara.Error(error.value)
    with solara.Div(classes=["brink-toolbar"]):
        if toolbar is not None:
            toolbar()
        Heading(scenario, tables, note)
    with solara.Div(classes=["brink-main"]):
        with solara.Div():
            CrisisMap(scenario, tables, key)
        with solara.Div():
            EventLog(scenario, tables, key)
    Panels(scenario, tables, shares, runs, horizon, key, dispute)


def _choose_run(value: str, choices: dict[str, int]) -> None:
    """The run picker: a run by its number, or by what it shows (``the longest (run 7)``)."""
    run = choices.get(value)
    if run is None:
        try:
            run = int(value)
        except ValueError:
            return
    replay_run.set(run)
    replay_step.set(0)


@solara.component
def ReplayPage(recorded: Recorded):
    run_ids = recorded.run_ids
    run = replay_run.value if replay_run.value in run_ids else run_ids[0]
    last = recorded.last_step(run)
    step = min(replay_step.value, last)
    tables = solara.use_memo(lambda: recorded.tables_for(run, step), [run, step])
    shares = solara.use_memo(recorded.shares, [])
    choices = solara.use_memo(lambda: choice_labels(recorded.picks()), [])
    n_runs = len(run_ids)

    def advance() -> bool:
        if replay_step.value >= last:
            return False
        replay_step.set(replay_step.value + 1)
        return replay_step.value < last

    def pause(shown: int = -1) -> None:
        stop_playing()
        with PLAY_LOCK:
            playing.set(False)
            if 0 <= shown < replay_step.value:
                replay_step.set(int(shown))

    def toolbar():
        controls(
            recorded.scenario,
            step=step,
            last=last,
            running=step < last,
            forward="Forward",
            step_days=recorded.params.step_days,
            event_forward=lambda *_: replay_step.set(min(last, step + 1)),
            event_back=lambda *_: replay_step.set(max(0, step - 1)),
            event_pause=lambda shown=-1: pause(int(shown)),
        )

    Player(advance, step < last, step_unit(recorded.scenario).lower())
    with page_grid():
        with Side(), solara.Card("Recorded run"):
            solara.Text(str(recorded.directory), style={"font-size": "12px"})
            solara.Select(
                "Run",
                values=[*choices, *(str(r) for r in run_ids)],
                value=str(run),
                on_value=lambda value: _choose_run(value, choices),
            )
            solara.SliderInt(
                f"{step_unit(recorded.scenario)}",
                value=step,
                min=0,
                max=last,
                on_value=replay_step.set,
                thumb_label="always",
            )
        with solara.Div(classes=["brink-content"]):
            _Body(
                recorded.scenario,
                tables,
                ("replay", run, step),
                shares,
                n_runs,
                recorded.params.horizon,
                f"replay of run {run} of {n_runs}",
                recorded.dispute,
                toolbar=toolbar,
            )


@solara.component
def Page():
    run_dir = os.environ.get(ENV_RUN_DIR)
    search = solara.use_router().search or ""
    recorded = solara.use_memo(lambda: Recorded.read(run_dir) if run_dir else None, [run_dir])
    scenario = recorded.scenario if recorded else (live.value.scenario if live.value else None)
    title = f"Brink — {display_name(scenario)}" if scenario else "Brink"
    solara.Title(title)
    with solara.AppBar():
        solara.AppBarTitle(title)
    solara.Style(PAGE_CSS)
    if recorded is not None:
        ReplayPage(recorded)
    elif os.environ.get(ENV_PLAY) or "game=" in search:
        from brink.viz.play_page import PlayPage

        PlayPage()
    else:
        LivePage()

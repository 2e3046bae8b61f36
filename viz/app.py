"""The browser view of a crisis: ``brink view`` serves this Solara page (no network needed).

Two modes, chosen by environment variables that ``brink view`` sets:

- **live** (``BRINK_VIEW_SCENARIO``: a bundled scenario's name or a file): a
  :class:`~brink.sim.model.CrisisModel` stepped from the page, with step, play, pause, reset,
  a speed, a seed, a control for every model parameter (built from
  :data:`brink.sim.params.PARAMETERS`, so no default is written twice) and a picker of the
  bundled scenarios;
- **replay** (``BRINK_VIEW_RUN``: a run directory written by ``brink run``): the recorded runs,
  with a timeline to scrub and a run picker.

This module holds the live and replay pages' own state and lays them out; what they share with
the game page (:mod:`brink.viz.play_page`) — the settings from the environment, the map, the log
and the panels, the page's grid — is in :mod:`brink.viz.page_parts`. What it shows, a live run
or a recorded one, is in :mod:`brink.viz.viewruns` (both give the same tables of rows); Play,
Pause and the speed in :mod:`brink.viz.playback`. The page only draws: the vector map
(:mod:`brink.viz.vector` and the war's layers in :mod:`brink.viz.warmap`, shown by ``map.vue``,
with the panel of a clicked state from :mod:`brink.viz.statepanel`), the panels over time
(:mod:`brink.viz.timeline`) and the event log (:mod:`brink.viz.eventlog`) all take data frames
of the run's rows; the widgets are in :mod:`brink.viz.widgets`. The outcome estimate is the
share of an ensemble of runs with the same scenario, parameters and root seed in each main
outcome by each day: computed in live mode (``BRINK_VIEW_ENSEMBLE`` runs, default 40) by a
worker process of lower priority (:func:`~brink.viz.viewruns.ensemble_pool`), so steps stay
quick meanwhile; read from the run directory in replay mode. The map is SVG made here and two
Vue templates shipped with the package; the charts are matplotlib PNGs: Mesa's altair components
need vega from a CDN (docs/style.md), and SolaraViz rebuilds a model from keyword arguments,
which does not fit a model built from a scenario and one parameter object.
"""

from __future__ import annotations

import os
from typing import Any

import solara
import solara.server.settings

from brink.errors import BrinkInputError
from brink.scenarios.loader import bundled_scenarios, load_scenario
from brink.sim.parameter_spec import ParameterSpec
from brink.sim.params import scenario_params
from brink.viz.map import display_name
from brink.viz.narrate import step_unit
from brink.viz.page_parts import (
    DEFAULT_SEED,
    ENV_ENSEMBLE,  # noqa: F401 (named here too: the tests set the page's environment by it)
    ENV_PARAMS,  # noqa: F401
    ENV_PLAY,
    ENV_RUN_DIR,
    ENV_SCENARIO,  # noqa: F401
    PAGE_CSS,
    Body,
    LiveBodyOf,
    Side,
    ensemble_root,
    ensemble_size,
    error,
    initial_scenario_name,
    live_picks,
    page_grid,
    selected,
    view_base,
    view_rules,
)
from brink.viz.playback import PLAY_LOCK, Player, controls, playing, rate, stop_playing
from brink.viz.run_choice import choice_labels
from brink.viz.viewruns import LiveRun, Recorded, ensemble_pool
from brink.viz.widgets import ParameterSliders

# Solara's "This website runs on Solara" banner covers the page's corner (issue 15).
solara.server.settings.theme.show_banner = False


# -- page state (each browser tab has its own: Solara scopes reactives per connection) ---------
# (what the game page shares with these pages is in viz/page_parts.py)


scenario_name = solara.reactive(initial_scenario_name())
seed = solara.reactive(DEFAULT_SEED)
overrides: solara.Reactive[dict[str, Any]] = solara.reactive({})
applied: solara.Reactive[dict[str, Any]] = solara.reactive({})
live: solara.Reactive[LiveRun | None] = solara.reactive(None)
tick = solara.reactive(0)

replay_run = solara.reactive(0)
replay_step = solara.reactive(0)


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
    if ensemble_size() > 0:
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
            Body(
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

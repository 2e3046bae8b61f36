"""What the view's pages share (:mod:`brink.viz.app`'s live and replay pages and
:mod:`brink.viz.play_page`'s game): the settings ``brink view`` passes in the environment, the
page state they all read, and the body they are built of — the map, the event log and the
panels over time (:func:`LiveBodyOf`, :func:`Body`) in the grid of a side column and the
content (:func:`page_grid`, :func:`Side`, :data:`PAGE_CSS`).

The pages import this module and it imports neither of them, so the game page no longer
imports the page that opens it. Each browser tab has its own state: Solara scopes reactives
per connection.
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
from matplotlib.figure import Figure

from brink.scenarios.loader import bundled_scenarios
from brink.scenarios.spec import Scenario
from brink.viz.eventlog import EventLog
from brink.viz.map import display_name
from brink.viz.map_layers import crimea_caption
from brink.viz.map_projection import off_map
from brink.viz.narrate import step_heading
from brink.viz.playback import playing
from brink.viz.statepanel import panel_html
from brink.viz.timeline import panels_figure
from brink.viz.vector import WIDTH, base_svg, projection, step_map
from brink.viz.vector import legend as map_legend
from brink.viz.viewruns import LiveRun, Tables, ensemble_pool, ensemble_shares
from brink.viz.widgets import MapView

# -- what brink view passes in the environment (viz/commands.py sets it) ----------------------
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


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes (fast zlib level: the view redraws every step)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def initial_scenario_name() -> str:
    """The scenario the live and play pages open on: ``brink view``'s, else the default."""
    wanted = os.environ.get(ENV_SCENARIO)
    if wanted:
        return wanted
    names = list(bundled_scenarios())
    return DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else (names[0] if names else "")


def ensemble_size() -> int:
    """Runs in the live ensemble behind the outcome estimate (0: none)."""
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


# -- page state the pages share ------------------------------------------------------------

selected = solara.reactive("")  # the state whose panel is open
error = solara.reactive("")
#: Width in pixels of the page's column of map, log and panels, as the browser reports it
#: (``map.vue``): the panels are drawn at that width, so their text is not shrunk (issue 27).
content_width = solara.reactive(0)
#: The seeds of the live ensemble's run that ends in war, of the most likely ending, of the
#: longest and of the most eventful (``viewruns.ensemble_shares``), for the run picker.
live_picks: solara.Reactive[dict[str, int]] = solara.reactive({})
#: The root seed of the ensemble a picked run came from (None: the run's own seed is the root).
ensemble_root: solara.Reactive[int | None] = solara.reactive(None)


# -- the body: map, log and panels ------------------------------------------------------------


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
def LiveBodyOf(run: LiveRun, key: Any, shown=None, toolbar=None, note: str = ""):
    """The map, the log and the panels of ``run`` (a live run or a played game), redrawn when
    ``key`` changes; ``shown`` filters the tables first (a seat of a game sees its own beliefs)."""
    tables = solara.use_memo(lambda: (shown or (lambda rows: rows))(run.tables()), [key])
    runs = ensemble_size()

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
    Body(
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
def Body(scenario, tables, key, shares, runs, horizon, note, dispute=None, toolbar=None):
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

"""The page of a played game: ``brink view SCENARIO --play STATE`` (the game: viz/play.py).

The map, the log and the panels are the live page's (:func:`brink.viz.page_parts.LiveBodyOf`),
drawn from the game's rows; beside them a card puts each decision to its seat: the options in
words, what the state's model rule would choose and why, a "What if…" that runs continuations
for each option in the background, and the buttons that choose. A second browser joins the same
game with the address the card shows (``?game=ID&seat=USA``): Solara keeps each browser's page
state apart, while the games live in one registry of the server
(:func:`brink.viz.play.find_game`). Until the game ends a seat sees its own state's beliefs
only, without the true values.
"""

from __future__ import annotations

import contextvars
import html
import math
import os
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import solara
import solara.lab

from brink.errors import BrinkInputError
from brink.scenarios.loader import load_scenario
from brink.sim.params import scenario_params
from brink.viz.narrate import state_name, step_unit
from brink.viz.page_parts import (
    DEFAULT_SEED,
    ENV_PLAY,
    LiveBodyOf,
    Side,
    initial_scenario_name,
    page_grid,
    view_base,
    view_rules,
)
from brink.viz.play import (
    ENDINGS,
    Decision,
    Game,
    Key,
    find_game,
    open_game,
    what_if,
    what_if_pool,
)
from brink.viz.playback import Player, controls, playing
from brink.viz.viewruns import Tables

ENV_GAMES = "BRINK_VIEW_GAMES"  # where finished games are written as run folders
POLL_SECONDS = 0.3  # how often a page looks for moves made from another browser


def seat_tables(tables: Tables, seat: str, finished: bool) -> Tables:
    """``tables`` as seat ``seat`` may see them: until the game ends, only its own state's
    beliefs, without the true resolve of the states it holds them about."""
    if finished or len(tables.beliefs) == 0:
        return tables
    beliefs = tables.beliefs[tables.beliefs["observer"] == seat].copy()
    beliefs["true"] = float("nan")
    return Tables(
        tables.steps,
        tables.events,
        beliefs,
        tables.step,
        tables.running,
        tables.fronts,
        tables.outcomes,
        tables.step_days,
    )


def _games_folder() -> Path:
    return Path(os.environ.get(ENV_GAMES) or Path.cwd() / "brink-games")


def new_game(seed: int) -> Game:
    """The game ``brink view --play`` asked for (its scenario and seats from the environment)."""
    scenario = view_rules(load_scenario(initial_scenario_name()))  # with brink view --rule
    params = scenario_params(scenario, base=view_base())
    seats = tuple(code.strip() for code in os.environ.get(ENV_PLAY, "").split(",") if code)
    return open_game(scenario, params, seed, seats)


def _percent(value: float) -> str:
    return f"{value:.0%}"


def reasons_html(decision: Decision, scenario) -> str:
    """What the state's model rule would choose in the seat's place, and why, in words."""
    me = state_name(scenario, decision.state)
    them = state_name(scenario, decision.opponent)
    model = decision.words.get(decision.model_choice, decision.model_choice)
    lines = [f"<b>The model in {html.escape(me)}'s place would choose:</b> {html.escape(model)}"]
    why = decision.reasons
    if why is not None:
        lines.append(
            f"It believes {html.escape(them)}'s resolve is {why.belief_other_resolve:.2f} on "
            f"average (0–1), and that {html.escape(them)} gives way first with chance "
            f"{_percent(why.chance_other_yields)}."
        )
        if why.gives_way_now:
            lines.append("It is past its breaking point: it would give way today.")
        elif math.isfinite(why.days_to_yield) and why.days_to_yield < 10 * 365:
            lines.append(
                f"It would hold about {why.days_to_yield:.0f} more days before giving way."
            )
        else:
            lines.append("It would not give way however long the standoff lasted.")
        values = ", ".join(f"{option} {value:+.3f}" for option, value in why.values.items())
        lines.append(f"Expected value of each course over giving way now (issue units): {values}.")
        chances = ", ".join(
            f"{option} {_percent(chance)}" for option, chance in why.probabilities.items()
        )
        lines.append(f"At a review it picks (quantal response): {chances}.")
        if why.war_share is not None:
            lines.append(
                f"The war it would face: it expects to win {_percent(why.war_share)} of the "
                f"issue in about {why.war_days:.0f} days; a war now is worth "
                f"{why.war_gain:+.3f} against giving way"
                + (" — and it would choose war now." if why.war_now else ".")
            )
    return "<br>".join(lines)


def what_if_html(decision: Decision, results: dict[str, dict[str, float]], runs: int) -> str:
    """The "what if" table: for each option, the share of continuations in each ending."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in ENDINGS)
    rows = []
    for option in decision.options:
        cells = "".join(
            f"<td>{_percent(results.get(option, {}).get(name, 0.0))}</td>" for name in ENDINGS
        )
        rows.append(f'<tr data-option="{option}"><th>{html.escape(option)}</th>{cells}</tr>')
    return (
        f"<p>How {runs} continuations from this day ended, for each choice (the model playing "
        "everyone afterwards; the others' resolve taken from your beliefs):</p>"
        f'<table class="brink-whatif"><tr><th></th>{head}</tr>{"".join(rows)}</table>'
    )


WHAT_IF_CSS = """
.brink-whatif { border-collapse: collapse; font-size: 12px; }
.brink-whatif td, .brink-whatif th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
.brink-decision .v-btn { text-transform: none; margin: 2px 0; }
.brink-reasons { font-size: 12px; color: #333; }
"""


@solara.component
def DecisionCard(game: Game, seat: str, version: int):
    """The decision before ``seat``, or what the game waits for."""
    scenario = game.scenario
    pending = game.pending
    results, set_results = solara.use_state(None)
    not_asked: Key | None = None  # the decision whose continuations were asked for
    asked, set_asked = solara.use_state(not_asked)
    key = None if pending is None else pending.key

    def run_what_if():
        if asked is None or pending is None or asked != pending.key:
            return None
        started = time.perf_counter()
        found = what_if(game.recipe(), pending)
        return found, time.perf_counter() - started

    task = solara.lab.use_task(run_what_if, dependencies=[asked], prefer_threaded=True)
    if task.latest is not None and asked == key and results is None:
        set_results(task.latest)
    solara.Style(WHAT_IF_CSS)
    with solara.Card(f"You play {state_name(scenario, seat)}", classes=["brink-decision"]):
        if game.finished():
            folder = game.write(_games_folder())
            solara.HTML(
                tag="div",
                unsafe_innerHTML=(
                    '<p class="brink-game-over"><b>The game is over.</b></p>'
                    "<p>Written as a run folder: "
                    f'<code class="brink-written">{html.escape(str(folder))}</code><br>'
                    f"Replay it with <code>brink view --run {html.escape(str(folder))}</code>.</p>"
                ),
            )
            return
        if pending is None:
            solara.Text("No decision is due: press Play or Step.")
            return
        if pending.state != seat:
            solara.HTML(
                tag="p",
                unsafe_innerHTML=(
                    f'<span class="brink-waiting">Waiting for '
                    f"{html.escape(state_name(scenario, pending.state))} to decide.</span>"
                ),
            )
            return
        them = state_name(scenario, pending.opponent)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=(
                f'<p class="brink-asked" data-key="{html.escape(repr(pending.key))}">'
                f"<b>Your decision for {step_unit(scenario).lower()} {pending.day}</b>: in the "
                f"dispute with {html.escape(them)} ({html.escape(pending.issue[:200])}).</p>"
            ),
        )
        for option in pending.options:

            def choose(option=option):
                set_results(None)
                set_asked(None)
                game.answer(seat, option, pending.key)
                playing.set(True)  # on to the next decision point

            solara.Button(pending.words[option], on_click=choose, outlined=True, block=True)
        solara.HTML(
            tag="div", unsafe_innerHTML=reasons_html(pending, scenario), classes=["brink-reasons"]
        )
        if results is not None and asked == key:
            found, seconds = results
            solara.HTML(
                tag="div",
                unsafe_innerHTML=what_if_html(pending, found, _runs())
                + f'<p style="font-size:11px;color:#666">({seconds:.1f} s)</p>',
            )
        elif asked == key:
            solara.Text("Running the continuations…")
        else:
            solara.Button("What if…", on_click=lambda: set_asked(key), color="primary")


def _runs() -> int:
    from brink.viz.play import WHAT_IF_RUNS

    return WHAT_IF_RUNS


@solara.component
def JoinLink(game: Game, seat: str):
    """The address a second browser opens to play another state of this game."""
    router = solara.use_router()
    # The states this seat faces first (the other deciders of its disputes), then the rest.
    facing = [
        dispute.decider(side)
        for dispute in game.model.disputes.values()
        for side in ("challenger", "target")
        if seat in (dispute.decider("challenger"), dispute.decider("target"))
    ]
    others = [
        code
        for code in dict.fromkeys([*facing, *game.scenario.states])
        if code != seat and code not in game.seats
    ]
    base = (router.root_path or "") + "/"
    choice, set_choice = solara.use_state(others[0] if others else "")
    if not others:
        return
    solara.Select("Invite a second seat to play", values=others, value=choice, on_value=set_choice)
    solara.HTML(
        tag="p",
        unsafe_innerHTML=(
            f'Open <code class="brink-join">{html.escape(base)}?game={game.id}&amp;seat='
            f"{html.escape(choice)}</code> in another browser to play "
            f"{html.escape(state_name(game.scenario, choice))}."
        ),
        style="font-size: 12px",
    )


def _watch(game: Game, set_version, alive: dict) -> None:
    """Re-render this page when the game changes (a move from another browser)."""
    seen = -1
    while alive.get("on"):
        if game.version != seen:
            seen = game.version
            set_version(seen)
        time.sleep(POLL_SECONDS)


@solara.component
def PlayPage():
    router = solara.use_router()
    query = parse_qs((router.search or "").lstrip("?"))
    game_id = (query.get("game") or [""])[0]
    wanted = (query.get("seat") or [""])[0]

    def join():
        try:
            if game_id:
                game = find_game(game_id)
                if game is None:
                    return None, f"no game '{game_id}' on this server (it ended with the server?)"
                seat = wanted or game.seats[0]
                game.add_seat(seat)
                return game, seat
            game = new_game(DEFAULT_SEED)
            if not game.seats:
                return None, "brink view --play names no state"
            return game, game.seats[0]
        except BrinkInputError as problem:
            return None, str(problem)

    game, seat = solara.use_memo(join, [game_id, wanted])
    what_if_pool()  # its workers start (and import the model) while the page loads
    version, set_version = solara.use_state(0)

    def start_watch():
        if game is None:
            return None
        alive = {"on": True}
        # Run in a copy of this page's context (as Solara's own tasks do), so that the version
        # it sets re-renders this browser's page and no other.
        context = contextvars.copy_context()
        threading.Thread(
            target=context.run, args=(_watch, game, set_version, alive), daemon=True
        ).start()

        def stop():
            alive["on"] = False

        return stop

    solara.use_effect(start_watch, [id(game)])
    if game is None:
        solara.Error(seat)
        return
    finished = game.finished()

    def advance() -> bool:
        game.step()
        return game.running and game.pending is None

    def toolbar():
        Player(advance, game.running and game.pending is None, step_unit(game.scenario).lower())
        controls(
            game.scenario,
            step=game.shown,
            last=game.params.horizon,
            running=game.running and game.pending is None,
            forward="Step",
            step_days=game.params.step_days,
            event_forward=lambda *_: game.step(),
            event_pause=lambda *_: playing.set(False),
        )

    with page_grid():
        with Side(), solara.Card("Game"):
            solara.Text(f"game {game.id}, seed {game.seed}", style={"font-size": "12px"})
            JoinLink(game, seat)
        with solara.Div(classes=["brink-content"]):
            DecisionCard(game, seat, version)
            LiveBodyOf(
                game,
                (id(game), version, finished),
                lambda tables: seat_tables(tables, seat, finished),
                toolbar,
                f"game {game.id}, seed {game.seed}; people play {', '.join(game.seats)}",
            )

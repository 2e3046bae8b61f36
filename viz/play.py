"""A person at the table: ``brink view SCENARIO --play STATE`` (issue 26, items 3 and 4).

A played state's rule is a :class:`HumanRule` (the decision protocol of
:mod:`brink.sim.decisions`), set on ``model.states[code].rule`` once the model is built; the model
plays every other state. At the state's decision points — the dispute opens, the other side
moves, something happens in the dispute (``Situation.reviews``), or a week has passed since its
last choice — the rule has no answer yet and stops the day (:class:`DecisionNeeded`). The
:class:`Game` then goes back to the start of the day (a copy taken before each step) and puts
the :class:`Decision` to the seat: the options in words and what the state's own model rule
would weigh (:meth:`brink.agents.screening_rule.ScreeningRule.explain`). When the person
chooses, the day is stepped again from the copy, the same in every draw until the rule is
asked, which now has its answer. So a played run is still a pure function of the scenario, the
parameters, the seed and the answers (:meth:`Game.rebuild`).

"What if" (:func:`what_if`) runs ``runs`` continuations of the game from the start of the
decision's day for each option: seeded (``spawn_seeds``; the same seeds for every option, so
the options differ by the choice and not by luck), with the option forced on this decision and
the model's rule playing the seat afterwards, and the other states' resolve, which the seat
does not know, taken from the seat's own beliefs (a stratified sample, :func:`resolve_quantile`),
so that a seat learns nothing it could not know. They run in two worker processes that rebuild
the game from its answers (a model holds Mesa's weak references and cannot be pickled); the
continuations share the chances of joining (:mod:`brink.sim.coalitions` keys them by all they
depend on) and, within a stratum of the others' resolve, the projections of a war
(:mod:`brink.sim.war_outlook`), as a single run reuses both from day to day.

Games live in a registry of this server process (:func:`open_game`, :func:`find_game`), keyed by
an id that the page puts in its address, so a second browser joins with ``?game=ID&seat=USA``;
each seat sees only its own state's beliefs until the game ends. A finished game is written as
a run folder (:meth:`Game.write`), replayable with ``brink view --run``: one run, its manifest's
``rules`` naming ``human`` for each seat, and each person's choice an event (``human_choice``).
"""

from __future__ import annotations

import atexit
import copy
import multiprocessing
import os
import secrets
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import betaincinv

from brink.errors import BrinkInputError
from brink.scenarios.spec import Scenario
from brink.sim.decisions import HOLD, Situation
from brink.sim.dispute import CHALLENGER, other
from brink.sim.model import CrisisModel
from brink.sim.options import Option
from brink.sim.outcomes import Outcome
from brink.sim.params import ModelParams
from brink.sim.seeds import spawn_seeds
from brink.sim.war_outlook import GOLDEN
from brink.viz.narrate import LEVEL_NAMES
from brink.viz.viewruns import LiveRun

HUMAN = "human"
#: A played state is asked at least this often (days) in each of its disputes, even when
#: nothing happens: the model's rule reviews at ``review_rate`` a day, a person once a week.
REVIEW_DAYS = 7
#: Continuations per option of a "what if" (issue 26: 20 × each option in ≤ 3 s).
WHAT_IF_RUNS = 20
WHAT_IF_WORKERS = 2
#: The others' resolve in "what if" is stratified over the seat's belief: continuation i takes
#: the midpoint quantile of stratum i mod STRATA (a stratified sample of the belief, with the
#: run's other chances seeded).
STRATA = 4
WHAT_IF_NICE = 5  # the view's ensemble runs at 19 (viz/viewruns.py)

Key = tuple[int, str, str]  # (day, dispute, side)


class DecisionNeeded(BaseException):
    """A played state has reached a decision point with no answer yet.

    A signal to the game, not an error: like ``KeyboardInterrupt`` it derives from
    ``BaseException``, so that the model's guard around a rule (``sim.decisions.ask``, which
    reports a rule's exception as a located error) lets it through to :class:`Game`."""

    def __init__(self, key: Key, situation: Situation):
        super().__init__(f"{situation.dispute.decider(situation.side)} must decide on {key}")
        self.key = key
        self.situation = situation


class HumanRule:
    """The rule of a state a person plays: the person's answers (shared with the game), asked
    for at decision points, and holding its course in between.

    ``model_rule`` is the rule the state had (what the model would do in its place): it is
    consulted every day on a copy of the generator, so its memory of the standoff stays current
    without drawing from the run's generator."""

    name = HUMAN

    def __init__(self, code: str, answers: dict[Key, str], model_rule: Any, since: int = 0):
        self.code = code
        self.answers = answers
        self.model_rule = model_rule
        self.since = since  # the first day a person plays it (a seat may join a game later)
        self.last_asked: dict[str, int] = {}  # dispute -> day of the last answer

    def choose(self, situation: Situation) -> str:
        if situation.day < self.since:
            return self.model_rule.choose(situation)
        key = (situation.day, situation.dispute.id, situation.side)
        shadow = Situation(
            situation.model,
            situation.dispute,
            situation.side,
            situation.options,
            copy.deepcopy(situation.rng),
        )
        self.model_rule.choose(shadow)
        if key in self.answers:
            self.last_asked[situation.dispute.id] = situation.day
            return self.answers[key]
        last = self.last_asked.get(situation.dispute.id)
        due = last is None or situation.day - last >= REVIEW_DAYS / situation.model.params.step_days
        if not (situation.reviews or due):
            return HOLD
        raise DecisionNeeded(key, situation)


class Continuation:
    """The rule of a played state in a "what if": today's answers (the option tried among
    them), then the model's own rule."""

    name = "what_if"

    def __init__(self, answers: dict[Key, str], model_rule: Any):
        self.answers = answers
        self.model_rule = model_rule

    def choose(self, situation: Situation) -> str:
        choice = self.answers.get((situation.day, situation.dispute.id, situation.side))
        if choice in situation.options:
            return choice
        return self.model_rule.choose(situation)


# ----------------------------------------------------------------------------- the decision
OPTION_WORDS: dict[str, str] = {
    Option.HOLD: "Hold: keep your course, make no new move today",
    Option.PRESS: "Press: restate the demand and stand firm",
    Option.ESCALATE: "Escalate to {next}",
    Option.ACCEPT_OFFER: "Accept the compromise on the table ({offer:.0%} of the issue)",
    Option.BACK_DOWN: "Back down: drop the demand",
    Option.RESIST: "Resist: refuse the demand and stand firm",
    Option.COUNTER_ESCALATE: "Escalate to {next}",
    Option.OFFER_COMPROMISE: "Offer a compromise ({share:.0%} of what is demanded)",
    Option.CONCEDE: "Concede: give what is demanded",
}


@dataclass(frozen=True)
class Decision:
    """A decision put to a seat: who, where, the options in words and the model's reasons."""

    key: Key
    state: str
    opponent: str
    dispute: str
    issue: str
    day: int
    options: tuple[str, ...]
    words: dict[str, str]
    model_choice: str  # what the state's model rule picks in its place today
    reasons: Any  # brink.agents.screening_rule.Reasons, or None for a rule that gives none


def describe(need: DecisionNeeded, model_rule: Any) -> Decision:
    """The decision of ``need`` in words, with what ``model_rule`` would choose and why."""
    situation = need.situation
    dispute = situation.dispute
    level = dispute.level[situation.side]
    fill = {
        "next": LEVEL_NAMES.get(level + 1, f"level {level + 1}"),
        "offer": dispute.offer or 0.0,
        "share": situation.model.params.offer_share,
    }
    words: dict[str, str] = {
        option: OPTION_WORDS.get(option, option).format(**fill) for option in situation.options
    }
    probe = copy.deepcopy(model_rule)
    shadow = Situation(
        situation.model,
        dispute,
        situation.side,
        situation.options,
        copy.deepcopy(situation.rng),
    )
    model_choice = probe.choose(shadow)
    explain = getattr(model_rule, "explain", None)
    return Decision(
        key=need.key,
        state=dispute.decider(situation.side),
        opponent=dispute.decider(other(situation.side)),
        dispute=dispute.id,
        issue=str(dispute.spec.issue or dispute.id),
        day=situation.day,
        options=tuple(situation.options),
        words=words,
        model_choice=model_choice,
        reasons=explain(situation) if explain else None,
    )


# ----------------------------------------------------------------------------- the game
@dataclass(frozen=True)
class Recipe:
    """What rebuilds a game's model at the start of a day: a pure function of these."""

    scenario: Scenario
    params: ModelParams
    seed: int
    seats: tuple[tuple[str, int], ...]  # (state, the first day a person plays it)
    answers: dict[Key, str]
    steps: int


def build(recipe: Recipe) -> CrisisModel:
    """The game's model after ``recipe.steps`` steps, its seats played by their answers."""
    model = CrisisModel(recipe.scenario, recipe.params, seed=recipe.seed, run=0)
    answers = dict(recipe.answers)
    for code, since in recipe.seats:
        state = model.states[code]
        state.rule = HumanRule(code, answers, state.rule, since)
    while model.steps_done < recipe.steps:
        model.step()
    return model


class Game(LiveRun):
    """A live run in which people play some states: stepped from the page like a live run,
    stopping at each played state's decision points until its seat answers."""

    def __init__(self, scenario: Scenario, params: ModelParams, seed: int, seats: tuple[str, ...]):
        super().__init__(scenario, params, seed)
        self.id = secrets.token_hex(4)
        self.answers: dict[Key, str] = {}
        self.seats: list[str] = []
        self.since: dict[str, int] = {}  # seat -> the first day a person plays it
        self.pending: Decision | None = None
        self.version = 0  # counts changes, for pages that show this game
        self.written: Path | None = None
        for code in seats:
            self.add_seat(code)

    def add_seat(self, code: str) -> None:
        """Let a person play ``code`` from now on."""
        if code not in self.model.states:
            raise BrinkInputError(
                f"--play: no state '{code}' in this scenario; its states are "
                f"{', '.join(sorted(self.model.states))}"
            )
        with self.lock:
            if code not in self.seats:
                state = self.model.states[code]
                since = int(self.model.steps_done) + 1
                state.rule = HumanRule(code, self.answers, state.rule, since)
                self.seats.append(code)
                self.since[code] = since
                self.version += 1

    def step(self) -> None:
        """Show the next day: stop (and put the decision) where a seat must choose."""
        with self.lock:
            if self.pending is not None:
                return
            if self.shown < self.model.steps_done:
                self.shown += 1
            elif self.model.running:
                self._advance()
                self.shown = int(self.model.steps_done)
            self.version += 1

    def _advance(self) -> None:
        before = copy.deepcopy(self.model, {id(self.answers): self.answers})
        try:
            self.model.step()
        except DecisionNeeded as need:
            rule = self.model.states[need.situation.dispute.decider(need.situation.side)].rule
            self.pending = describe(need, rule.model_rule)
            self.model = before

    @property
    def running(self) -> bool:
        return self.pending is not None or super().running

    def answer(self, seat: str, option: str, key: Key | None = None) -> None:
        """``seat`` chooses ``option`` for the decision pending (the one of ``key``, if given:
        a click on a card the page has since replaced is ignored); the day is then stepped."""
        with self.lock:
            pending = self.pending
            if pending is None or pending.state != seat or option not in pending.options:
                return
            if key is not None and key != pending.key:
                return
            self.answers[pending.key] = option
            self.pending = None
            self._advance()
            self.shown = int(self.model.steps_done)
            self.version += 1

    def recipe(self) -> Recipe:
        with self.lock:
            return Recipe(
                self.scenario,
                self.params,
                self.seed,
                tuple((code, self.since[code]) for code in self.seats),
                dict(self.answers),
                int(self.model.steps_done),
            )

    # -------------------------------------------------------------------- the record
    def finished(self) -> bool:
        return self.pending is None and not self.model.running

    def human_events(self) -> list[dict[str, Any]]:
        """Each person's choice as an event row (``human_choice``; the option in ``detail``)."""
        rows = []
        for (day, dispute, side), option in sorted(self.answers.items()):
            found = self.model.disputes.get(dispute)
            if found is None:
                continue
            rows.append(
                {
                    "run": 0,
                    "step": day,
                    "actor": found.decider(side),
                    "action": "human_choice",
                    "target": found.decider(other(side)),
                    "dispute": dispute,
                    "level": found.level.get(side),
                    "amount": None,
                    "detail": option,
                }
            )
        return rows

    def write(self, folder: Path) -> Path:
        """Write the finished game as a run folder (one run) that ``brink view --run`` replays."""
        from brink.experiments.ensemble import output
        from brink.experiments.ensemble.runner import run_manifest

        with self.lock:
            if self.written is not None:
                return self.written
            record = self.model.finish()
            directory = Path(folder) / f"{self.scenario.name}-{self.id}"
            directory.mkdir(parents=True, exist_ok=True)
            manifest = run_manifest(
                self.scenario,
                self.params,
                root_seed=self.seed,
                seed_given=True,
                runs=1,
                jobs=1,
                how={"command": "brink view --play " + " ".join(self.seats)},
            )
            manifest["format"] = "parquet"
            manifest["seeds"] = [self.seed]
            # The rules the model played (as brink run records them), then each seat's person,
            # who overrides them for that state from the day the seat was taken.
            manifest["rules"] = [
                *manifest.get("rules", []),
                *(
                    {"state": code, "module": "brink.viz.play", "name": HUMAN, "from_day": day}
                    for code, day in self.since.items()
                ),
            ]
            manifest["human_choices"] = len(self.answers)
            output.write_manifest(directory, manifest)
            events = sorted(
                [*record.events, *self.human_events()], key=lambda row: int(row["step"])
            )
            tables = {
                "runs": record.runs,
                "steps": record.steps,
                "events": events,
                "beliefs": record.beliefs,
                "fronts": record.fronts,
            }
            files = []
            for name, rows in tables.items():
                writer = output.TableWriter(directory, name, "parquet")
                writer.write(rows)
                writer.close()
                files.append(writer.path.name)
            manifest.update(status="complete", finished=output.now_iso(), files=files)
            output.write_manifest(directory, manifest)
            self.written = directory
            self.version += 1
            return directory


# ----------------------------------------------------------------------------- what if
def resolve_quantile(belief: Any, stratum: int, index: int) -> float:
    """The resolve of the ``index``-th state a seat holds a belief about, in stratum
    ``stratum`` of :data:`STRATA`: the belief's quantile at the stratum's midpoint, shifted by
    the golden ratio for each further state so that the states' strata are not aligned (as
    :func:`brink.sim.war_outlook.coalitions` stratifies third states' joining)."""
    level = ((stratum + 0.5) / STRATA + index * GOLDEN) % 1.0
    return float(betaincinv(belief.alpha, belief.beta, level))


def _fresh(rule: Any) -> Any:
    """A new rule of the same kind (the same rule if it cannot be made without arguments)."""
    try:
        return type(rule)()
    except TypeError:
        return rule


def same_as_holding(model: CrisisModel, key: Key) -> str | None:
    """The option that plays out exactly as holding would on the decision ``key`` (``press``
    or ``resist``), or None.

    Standing firm differs from holding only in being logged and, right after the other side
    escalated, in reading as hesitation (``DisputeMoves._apply_choice``, sim/dispute_moves.py);
    the log feeds only the record, and neither draws from the generator. So unless the other
    side escalated the day before, their continuations are the same run."""
    _day, dispute, side = key
    if (dispute, other(side)) in model._escalated_last_step:
        return None
    return Option.PRESS if side == CHALLENGER else Option.RESIST


def continuations(
    recipe: Recipe,
    key: Key,
    options: tuple[str, ...],
    draws: list[tuple[int, int]],
    skip_equivalent: bool = True,
) -> dict[str, list[dict[str, Any]]]:
    """For each option, one row per draw ``(stratum, seed)``: how the decision's dispute ended
    when the game went on from the start of its day with that option chosen (see the module's
    docstring). The others' resolve is the stratum's quantile of the seat's belief
    (:func:`resolve_quantile`). An option that plays out as holding (:func:`same_as_holding`)
    is given holding's rows rather than run again, unless ``skip_equivalent`` is False."""
    start = build(recipe)
    firm = same_as_holding(start, key) if skip_equivalent and HOLD in options else None
    run = [option for option in options if option != firm]
    seat = start.disputes[key[1]].decider(key[2])
    observer = start.states[seat]
    today = {k: v for k, v in recipe.answers.items() if k[0] == key[0]}
    unknown = [code for code in observer.beliefs if code != seat and code in start.states]
    ended: dict[str, list[dict[str, Any]]] = {option: [] for option in options}
    joins = start.__dict__.setdefault("join_cache", {})
    projections: dict[int, dict] = {}
    for stratum, seed in draws:
        # Read only, or keyed by all they depend on (the chances of joining: sim/coalitions.py):
        # shared by every continuation rather than copied. The war projections depend on the
        # others' resolve as well, so they are shared within a stratum only.
        shared = {
            id(start.crisis): start.crisis,
            id(start.params): start.params,
            id(joins): joins,
            id(start.war_view_cache): projections.setdefault(stratum, {}),
        }
        for option in run:
            model = copy.deepcopy(start, dict(shared))
            model.rng = np.random.default_rng(seed)
            for code, _since in recipe.seats:  # today's answers, this option, then the model
                forced = {**today, key: option} if code == seat else today
                model.states[code].rule = Continuation(forced, model.states[code].rule.model_rule)
            # The seat does not know the others' resolve: it is taken from the seat's belief
            # (Beta), as the model's rule itself reasons (agents/beliefs.py), the same for every
            # option. Their rules start afresh, since a rule may keep what it worked out from
            # the resolve it had (the screening rule's breaking point).
            for index, code in enumerate(unknown):
                state = model.states[code]
                state.resolve = resolve_quantile(observer.beliefs[code], stratum, index)
                if isinstance(state.rule, Continuation):
                    state.rule.model_rule = _fresh(state.rule.model_rule)
                else:
                    state.rule = _fresh(state.rule)
            model.record_steps = False  # only how the dispute ends is read
            dispute = model.disputes[key[1]]
            # It has ended once settled or at war (a war is the ending counted, whoever wins).
            while model.running and dispute.status == "open":
                model.step()
            ended[option].append(
                {
                    "outcome": dispute.outcome
                    or (Outcome.WAR_ONGOING if dispute.status == "war" else Outcome.STALEMATE),
                    "war": bool(dispute.ever_war),
                    "side": key[2],
                }
            )
    if firm in ended:
        ended[firm] = list(ended[HOLD])
    return ended


#: How a continuation ended, from the deciding seat's side, in the words the page shows; a
#: stalemate is a demand dropped without a visible yield, or a dispute still open at the horizon
#: (the MID coding, sim/dispute_moves.py).
ENDINGS = ("war", "your way", "compromise", "their way", "stalemate")
_WINNER = {Outcome.VICTORY_CHALLENGER: CHALLENGER, Outcome.YIELD_TARGET: CHALLENGER}
_LOSER = {Outcome.VICTORY_TARGET: CHALLENGER, Outcome.YIELD_CHALLENGER: CHALLENGER}


def ending(row: dict[str, Any]) -> str:
    """One continuation's ending as the deciding side sees it (:data:`ENDINGS`)."""
    outcome = row["outcome"]
    if row["war"] and outcome not in _WINNER and outcome not in _LOSER:
        return "war"
    if row["war"]:
        return "war"
    if outcome == Outcome.COMPROMISE:
        return "compromise"
    if outcome in _WINNER:
        return "your way" if row["side"] == CHALLENGER else "their way"
    if outcome in _LOSER:
        return "their way" if row["side"] == CHALLENGER else "your way"
    return "stalemate"


def shares(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The share of continuations in each of :data:`ENDINGS`."""
    counted = Counter(ending(row) for row in rows)
    return {name: counted.get(name, 0) / max(1, len(rows)) for name in ENDINGS}


_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _start_worker(server: int) -> None:
    """A "what if" worker: below the page's priority but above the view's background
    ensemble (a person waits for it), and gone with the server ``server``."""
    from brink.viz.viewruns import _exit_with

    if hasattr(os, "nice"):
        os.nice(WHAT_IF_NICE)
    threading.Thread(target=_exit_with, args=(server,), daemon=True).start()


def _warm() -> bool:
    import brink.agents  # noqa: F401 - the states' rules, imported once per worker

    return True


def what_if_pool() -> ProcessPoolExecutor:
    """Worker processes for "what if" (spawned: the server runs threads), started once."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(
                max_workers=WHAT_IF_WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            atexit.register(_POOL.shutdown, cancel_futures=True)
            for _ in range(WHAT_IF_WORKERS):
                _POOL.submit(_warm)
        return _POOL


def split_draws(recipe: Recipe, decision: Decision, runs: int) -> list[list[tuple[int, int]]]:
    """The ``(stratum, seed)`` of each continuation, seeded from the game's seed and the day,
    dealt to the workers by stratum (a worker's continuations of one stratum share their war
    projections)."""
    seeds = spawn_seeds(recipe.seed * 100_003 + decision.day, runs)
    draws = [(index % STRATA, seed) for index, seed in enumerate(seeds)]
    return [
        [draw for draw in draws if draw[0] % WHAT_IF_WORKERS == worker]
        for worker in range(WHAT_IF_WORKERS)
    ]


def what_if(
    recipe: Recipe,
    decision: Decision,
    runs: int = WHAT_IF_RUNS,
    pool: ProcessPoolExecutor | None = None,
) -> dict[str, dict[str, float]]:
    """For each option of ``decision``: the shares of :data:`ENDINGS` over ``runs``
    continuations, seeded from the game's seed and the day (the same seeds for every option)."""
    pool = pool or what_if_pool()
    jobs = [
        pool.submit(continuations, recipe, decision.key, decision.options, part)
        for part in split_draws(recipe, decision, runs)
        if part
    ]
    rows: dict[str, list[dict[str, Any]]] = {option: [] for option in decision.options}
    for job in jobs:
        for option, ended in job.result().items():
            rows[option].extend(ended)
    return {option: shares(ended) for option, ended in rows.items()}


# ----------------------------------------------------------------------------- the registry
_GAMES: dict[str, Game] = {}
_GAMES_LOCK = threading.Lock()


def open_game(scenario: Scenario, params: ModelParams, seed: int, seats: tuple[str, ...]) -> Game:
    """A new game, registered so that other browsers of this server can join it by its id."""
    game = Game(scenario, params, seed, seats)
    with _GAMES_LOCK:
        _GAMES[game.id] = game
    return game


def find_game(game_id: str) -> Game | None:
    with _GAMES_LOCK:
        return _GAMES.get(game_id)

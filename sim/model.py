"""The crisis model: wiring and schedule (docs/model.md §2–§8).

:class:`CrisisModel` is a Mesa model whose agents are :class:`~brink.agents.state.State`s. It
holds what a scenario declares (alliances, deployments, sanctions, disputes), fires the
scenario's timeline through Mesa's event scheduler at the start of each step, and runs one step
in the order of docs/model.md §4:

1. scheduled events fire (before the step); sanctions whose trigger happened last step are
   imposed;
2. who would fight for whom (:mod:`brink.sim.coalitions`);
3. the balance of power (:mod:`brink.sim.power`);
4. each party's state asks its own decision rule for the day's choice, through the protocol of
   :mod:`brink.sim.decisions` (the rules are in ``agents/``); costly acts move beliefs;
5. ultimatums whose deadline has come (:mod:`brink.sim.bargaining`);
6. the spiral hazard of a display or use of force;
7. a day of fighting in every war (:mod:`brink.sim.war`);
8. arming (:mod:`brink.sim.arming`) and the step's record (:mod:`brink.sim.record`).

This module wires the scenario into agents and the schedule and holds the step; the model's
other methods come from three modules it inherits them from: the timeline
(:mod:`brink.sim.scheduled_events`), the parties' moves (:mod:`brink.sim.dispute_moves`) and the
records (:mod:`brink.sim.record_keeping`). :func:`simulate` runs one whole replication and
returns its :class:`RunRecord`.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from brink.scenarios.spec import Scenario
from brink.sim.alliances import Alliance
from brink.sim.arming import apply_richardson_propagator, richardson_propagator
from brink.sim.coalitions import join_probabilities
from brink.sim.decisions import state_factory
from brink.sim.dispute import CHALLENGER, Dispute
from brink.sim.dispute_moves import DisputeMoves
from brink.sim.geography import great_circle_km
from brink.sim.params import ModelParams, scenario_params
from brink.sim.places import distance_to_theatre
from brink.sim.power import win_probability
from brink.sim.record import RunRecord
from brink.sim.record_keeping import RecordKeeping
from brink.sim.sanctions import Sanction, severity_cost
from brink.sim.scheduled_events import Deployment, ScheduledEvents
from brink.sim.war_outlook import nuclear_risk, war_views

DAYS_PER_YEAR = 365.25


@dataclass
class ArmsRace:
    rivals: tuple[str, str]
    coefficients: tuple[float, float, float, float, float, float]  # a, b, m, n, g, h
    effort: tuple[float, float] = (1.0, 1.0)  # relative to the start of the run
    propagator: np.ndarray | None = None  # exact one-step map (Richardson 1960), made once


class CrisisModel(ScheduledEvents, DisputeMoves, RecordKeeping, mesa.Model):
    """One run of a crisis scenario.

    Args:
        scenario: what the scenario file says.
        params: the model's parameters; default: :func:`scenario_params` of the scenario.
        seed: the run's seed (drawn from OS entropy and recorded when None).
        run: the replication's index, written into every row.
        record_steps: keep the steps and beliefs tables (True); a caller that reads only the
            runs table (retrodiction, fitting, the casebook) saves a tenth of a run's time
            without them. The run itself is the same either way: nothing the model decides
            reads these tables (``tests/test_war_model.py`` checks the runs rows agree).
    """

    def __init__(
        self,
        scenario: Scenario,
        params: ModelParams | None = None,
        seed: int | None = None,
        run: int = 0,
        record_steps: bool = True,
    ):
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
        super().__init__(rng=np.random.default_rng(seed))
        self.seed = int(seed)
        self.run_index = run
        self.record_steps = record_steps
        self.crisis = scenario  # (Mesa reserves `model.scenario` for its own Scenario)
        self.params = params if params is not None else scenario_params(scenario)
        self.record = RunRecord(run=run, seed=self.seed)
        self.start_date = dt.date.fromisoformat(str(scenario.start_date))
        year = self.start_date.year

        make_state = state_factory()
        self.states: dict[str, Any] = {
            code: make_state(self, spec) for code, spec in scenario.states.items()
        }
        self.state_codes = sorted(self.states)
        self._distances: dict[tuple[str, str], float] = {}
        self.alliances = {
            a.id: Alliance.from_spec(a, year, self.params) for a in scenario.alliances.values()
        }
        self.deployments: list[Deployment] = []
        self.sanctions: dict[str, Sanction] = {s.id: Sanction(s) for s in scenario.sanctions}
        self.disputes: dict[str, Dispute] = {}
        self.arms_races = [
            ArmsRace(r.rivals, (*r.reaction, *r.fatigue, *r.grievance)) for r in scenario.arms_races
        ]
        self._pending_demands = 0
        self._callbacks = []
        self._event_step: int | None = None
        self._actions: dict[str, list[tuple[str, int | None]]] = {}
        self._escalated_last_step: set[tuple[str, str]] = set()
        self.steps_done = 0
        self.war_view_cache: dict = {}  # sim.war_outlook: projections by what they depend on
        self.sanctions_cut_cache: dict = {}  # sim.war: GDP shares cut, by sanctions' statuses
        self.forces_cache: dict = {}  # sim.forces: what each state can commit, this step
        self.trade_cache: dict = {}  # sim.sanctions: trade exposure, until capabilities change

        for deployment in scenario.deployments:
            if deployment.start <= 0:
                self._add_deployment(deployment, log=False)
            else:
                self._schedule(deployment.start, self._add_deployment, deployment)
            if deployment.end is not None:
                self._schedule(max(deployment.end, 1), self._withdraw, deployment.id)
        for sanction in scenario.sanctions:
            if sanction.day <= 0:
                self._declare_sanction(sanction, log=False)
            else:
                self._schedule(sanction.day, self._declare_sanction, sanction)
        for demand in scenario.demands:
            if demand.day <= 0:
                self._open_dispute(demand, log=False)
            else:
                self._pending_demands += 1
                self._schedule(demand.day, self._open_dispute, demand)
        for event in scenario.events:
            if event.day <= 0:
                self._fire(event, log=False)
            else:
                self._schedule(event.day, self._fire, event)
        self.running = self._has_business()

    def __deepcopy__(self, memo: dict) -> CrisisModel:
        """An independent copy of the run as it stands, its generator's state included: stepped
        on, it goes exactly where this run would (``tests/test_model_copy.py``). The "what if"
        of ``brink view --play`` runs continuations from such copies."""
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            clone.__dict__[name] = copy.deepcopy(value, memo)
        clone._rebind_scheduled()
        return clone

    # ------------------------------------------------------------------ geometry and lookups
    def distance(self, a: str, b: str) -> float:
        """Great-circle km between two states' capitals (cached)."""
        key = (a, b) if a <= b else (b, a)
        if key not in self._distances:
            self._distances[key] = great_circle_km(self.states[a].capital, self.states[b].capital)
        return self._distances[key]

    def distance_to_theatre(self, code: str, theatre: str) -> float:
        # a theatre may be a territory that is not a state (sim/places.py)
        return distance_to_theatre(self, code, theatre)

    def active_deployments(self) -> list[Deployment]:
        return [d for d in self.deployments if d.active]

    def sanctions_burden(self, code: str) -> float:
        """Issue units ``code`` loses over the planning horizon to sanctions now imposed."""
        total = 0.0
        for sanction in self.sanctions.values():
            if sanction.status != "imposed":
                continue
            spec = sanction.spec
            if spec.target == code:
                total += severity_cost(self, code, spec.senders, spec.severity)
            elif code in spec.senders:
                total += severity_cost(self, code, (spec.target,), spec.severity)
        return total

    @property
    def date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.steps_done * self.params.step_days)

    # ------------------------------------------------------------------ the event log
    def log_event(
        self,
        actor: str | None,
        action: str,
        target: str | None,
        dispute: str | None,
        level: int | None,
        amount: float | None = None,
        detail: str = "",
    ) -> None:
        step = self._event_step if self._event_step is not None else self.steps_done
        self.record.events.append(
            {
                "run": self.run_index,
                "step": step,
                "actor": actor,
                "action": action,
                "target": target,
                "dispute": dispute,
                "level": level,
                "amount": amount,
                "detail": detail,
            }
        )
        if actor is not None:
            self._actions.setdefault(actor, []).append((action, level))

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        self.steps_done += 1
        self._impose_triggered_sanctions()
        open_disputes = [d for d in self.disputes.values() if d.is_open()]
        for dispute in open_disputes:
            self.prepare(dispute)
        for dispute in open_disputes:
            if dispute.spec.deadline == self.steps_done:
                # At its deadline the ultimatum takes the place of the day's decisions (§4.5).
                self._ultimatum(dispute)
            else:
                self._decide(dispute)
        for dispute in open_disputes:
            if dispute.is_open():
                self._spiral(dispute)
            self._lapse(dispute)
        for dispute in list(self.disputes.values()):
            war = dispute.war
            if dispute.status == "war" and war is not None and war.start_step < self.steps_done:
                ended = war.step(self)
                if ended is not None:
                    self._end_war(dispute, *ended)
        self._check_sanction_triggers()
        self._arm()
        self._record_step()
        if not self._has_business() or self.steps_done >= self.params.horizon:
            self.running = False

    def prepare(self, dispute: Dispute) -> None:
        """What the day's decisions over an open ``dispute`` read, worked out before anyone
        decides: who would join a war, each side's projection of that war and its nuclear risk,
        and the challenger's expected share of the issue (given, in Fearon mode). Draws nothing
        from the run's generator (``scripts/explain_standoff.py`` calls it too)."""
        dispute.join_probabilities = join_probabilities(self, dispute)
        if self.params.win_probability is not None:  # Fearon mode: p is given
            dispute.win_probability = win_probability(self, dispute, dispute.join_probabilities)
        else:
            dispute.war_views = war_views(self, dispute)
            dispute.nuclear_risk = nuclear_risk(self, dispute)
            dispute.win_probability = dispute.war_views[CHALLENGER].share

    def _has_business(self) -> bool:
        return self._pending_demands > 0 or any(
            d.status in ("open", "war") for d in self.disputes.values()
        )

    # ------------------------------------------------------------------ arming (§7)
    def _arm(self) -> None:
        if not self.params.arming or not self.arms_races:
            return
        years = self.params.step_days / DAYS_PER_YEAR
        for race in self.arms_races:
            if race.propagator is None:
                race.propagator = richardson_propagator(*race.coefficients, years)
            x, y = apply_richardson_propagator(race.propagator, *race.effort)
            race.effort = (x, y)
            self.trade_cache.clear()  # gravity trade follows capability
            first, second = race.rivals
            self.states[first].arming_multiplier = max(0.05, x)
            self.states[second].arming_multiplier = max(0.05, y)


def simulate(
    scenario: Scenario,
    params: ModelParams | None = None,
    seed: int | None = None,
    run: int = 0,
    record_steps: bool = True,
) -> RunRecord:
    """One whole run: a pure function of the scenario, the parameters and the seed (with
    ``record_steps=False``, only the runs and events tables are kept)."""
    model = CrisisModel(scenario, params, seed=seed, run=run, record_steps=record_steps)
    while model.running:
        model.step()
    return model.finish()

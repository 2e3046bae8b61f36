"""The crisis model: wiring and schedule (docs/model.md §2–§8).

:class:`CrisisModel` is a Mesa model whose agents are :class:`~brink.agents.state.State`s. It
holds what a scenario declares (alliances, deployments, sanctions, disputes), fires the
scenario's timeline through Mesa's event scheduler at the start of each step, and runs one step
in the order of docs/model.md §4:

1. scheduled events fire (before the step); sanctions whose trigger happened last step are
   imposed;
2. who would fight for whom (:mod:`brink.sim.coalitions`);
3. the balance of power (:mod:`brink.sim.power`);
4. each party decides by quantal response (:mod:`brink.agents.crisis_choice`); costly acts move
   beliefs (:mod:`brink.agents.beliefs`);
5. ultimatums whose deadline has come (:mod:`brink.sim.bargaining`);
6. the spiral hazard of a display or use of force;
7. a day of fighting in every war (:mod:`brink.sim.war`);
8. arming (:mod:`brink.sim.arming`) and the step's record (:mod:`brink.sim.record`).

:func:`simulate` runs one whole replication and returns its :class:`RunRecord`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mesa
import numpy as np
from scipy.special import betainc

from brink.agents.beliefs import BACKING_DOWN_WEIGHT, HESITATION_WEIGHT, ResolveBelief
from brink.agents.crisis_choice import (
    FLAT_SLOPE,
    Outlook,
    daily_hazard,
    running_cost,
    war_cost_function,
)
from brink.agents.decision import quantal_choice
from brink.agents.state import State
from brink.scenarios.spec import DemandSpec, DeploymentSpec, Event, SanctionSpec, Scenario
from brink.sim import escalation
from brink.sim.alliances import Alliance
from brink.sim.arming import apply_richardson_propagator, richardson_propagator
from brink.sim.bargaining import optimal_demand
from brink.sim.coalitions import join_probabilities
from brink.sim.dispute import CHALLENGER, TARGET, WAR, Dispute, other
from brink.sim.geography import great_circle_km
from brink.sim.params import ModelParams, scenario_params
from brink.sim.power import win_probability
from brink.sim.record import RunRecord
from brink.sim.sanctions import Sanction, severity_cost
from brink.sim.war import SIDES, War
from brink.sim.war_outlook import nuclear_risk, war_views

DAYS_PER_YEAR = 365.25
DEPLOYMENT_SIGNAL_TROOPS = 10.0  # thousands: a deployment this large signals like a mobilisation
#: Timeline entries that mean nothing once their dispute has ended.
MOOT_WHEN_SETTLED = ("statement", "offer", "talks")
STAY_OUT_LOGGED = 0.05  # a third state's staying out of a war is logged when it had this chance


@dataclass
class Deployment:
    id: str
    owner: str
    host: str
    troops: float
    near: str | None
    active: bool = True


@dataclass
class ArmsRace:
    rivals: tuple[str, str]
    coefficients: tuple[float, float, float, float, float, float]  # a, b, m, n, g, h
    effort: tuple[float, float] = (1.0, 1.0)  # relative to the start of the run
    propagator: np.ndarray | None = None  # exact one-step map (Richardson 1960), made once


class CrisisModel(mesa.Model):
    """One run of a crisis scenario.

    Args:
        scenario: what the scenario file says.
        params: the model's parameters; default: :func:`scenario_params` of the scenario.
        seed: the run's seed (drawn from OS entropy and recorded when None).
        run: the replication's index, written into every row.
    """

    def __init__(
        self,
        scenario: Scenario,
        params: ModelParams | None = None,
        seed: int | None = None,
        run: int = 0,
    ):
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
        super().__init__(rng=np.random.default_rng(seed))
        self.seed = int(seed)
        self.run_index = run
        self.crisis = scenario  # (Mesa reserves `model.scenario` for its own Scenario)
        self.params = params if params is not None else scenario_params(scenario)
        self.record = RunRecord(run=run, seed=self.seed)
        self.start_date = dt.date.fromisoformat(str(scenario.start_date))
        year = self.start_date.year

        self.states: dict[str, State] = {
            code: State(self, spec) for code, spec in scenario.states.items()
        }
        self.state_codes = sorted(self.states)
        self._distances: dict[tuple[str, str], float] = {}
        self.alliances = {
            a.id: Alliance.from_spec(a, year, self.params) for a in scenario.alliances.values()
        }
        for perception in scenario.perceptions:
            self.states[perception.observer].beliefs[perception.subject] = ResolveBelief(
                perception.alpha, perception.beta
            )
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

    # ------------------------------------------------------------------ geometry and lookups
    def distance(self, a: str, b: str) -> float:
        """Great-circle km between two states' capitals (cached)."""
        key = (a, b) if a <= b else (b, a)
        if key not in self._distances:
            self._distances[key] = great_circle_km(self.states[a].capital, self.states[b].capital)
        return self._distances[key]

    def distance_to_theatre(self, code: str, theatre: str) -> float:
        return 0.0 if code == theatre else self.distance(code, theatre)

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
    def log_event(self, actor, action, target, dispute, level, amount=None, detail=""):
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

    # ------------------------------------------------------------------ scheduled events
    def _schedule(self, day: int, function, argument) -> None:
        # docs/model.md §2: events fire at the start of their step, before states decide. Step n
        # runs at Mesa time n, so the event is placed half a step earlier.
        # Mesa holds only a weak reference to the callback, so the model keeps it alive.
        def callback():
            self._event_step = day  # what it logs belongs to the step it opens
            function(argument)
            self._event_step = None

        self._callbacks.append(callback)
        self.schedule_event(callback, at=day - 0.5)

    def _add_deployment(self, spec: DeploymentSpec, log: bool = True) -> None:
        self.deployments.append(Deployment(spec.id, spec.owner, spec.host, spec.troops, spec.near))
        if log:
            self.log_event(
                spec.owner,
                "deploy",
                spec.host,
                None,
                None,
                spec.troops,
                detail=f"near {spec.near}" if spec.near else "",
            )
            self._signal_deployment(spec.owner, spec.troops)

    def _withdraw(self, deployment_id: str) -> None:
        for deployment in self.deployments:
            if deployment.id == deployment_id and deployment.active:
                deployment.active = False
                self.log_event(
                    deployment.owner, "withdraw", deployment.host, None, None, deployment.troops
                )

    def _declare_sanction(self, spec: SanctionSpec, log: bool = True) -> None:
        sanction = self.sanctions[spec.id]
        if sanction.is_threat:
            sanction.status = "threatened"
            if log:
                for sender in spec.senders:
                    self.log_event(
                        sender,
                        "threaten_sanctions",
                        spec.target,
                        None,
                        None,
                        spec.severity,
                        detail=spec.id,
                    )
        else:
            self._impose(sanction, log=log)

    def _impose(self, sanction: Sanction, log: bool = True) -> None:
        if sanction.status == "imposed":
            return
        sanction.status = "imposed"
        sanction.ever_imposed = True
        spec = sanction.spec
        for sender in spec.senders:
            if log:
                self.log_event(
                    sender,
                    "impose_sanctions",
                    spec.target,
                    None,
                    None,
                    spec.severity,
                    detail=spec.id,
                )
            # Imposed sanctions cost their sender too: a costly signal of its resolve.
            cost = severity_cost(self, sender, (spec.target,), spec.severity)
            self._signal(sender, cost / self._stakes_of(sender))

    def _open_dispute(self, spec: DemandSpec, log: bool = True) -> None:
        if spec.day > 0:
            self._pending_demands -= 1
        if spec.on in self.alliances:
            alliance = self.alliances[spec.on]
            members = sorted(alliance.members)
            leader = alliance.leader or max(members, key=lambda m: self.states[m].capability)
            territory = tuple(members)
            default_theatre = leader
        else:
            leader = spec.on
            territory = (spec.on,)
            default_theatre = spec.on
        dispute = Dispute(
            spec=spec,
            challenger=spec.by,
            target_leader=leader,
            theatre=spec.theatre or default_theatre,
            start_step=self._event_step if self._event_step is not None else self.steps_done,
            demand=spec.size,
            target_territory=territory,
        )
        for side in (CHALLENGER, TARGET):
            dispute.set_level(side, spec.initial_level)
        self.disputes[spec.id] = dispute
        if spec.public:
            # A public demand ties the challenger's hands (Fearon 1994).
            challenger = self.states[spec.by]
            challenger.commitments[spec.id] = challenger.commitments.get(spec.id, 0) + 1
        if log:
            self.log_event(
                spec.by,
                "demand",
                spec.on,
                spec.id,
                spec.initial_level,
                spec.size,
                detail=spec.issue,
            )
        self.running = True

    def _fire(self, event: Event, log: bool = True) -> None:
        kind = event.kind
        if kind in MOOT_WHEN_SETTLED and self._settled(event.dispute):
            # Words about a dispute that has ended in this run are not said: the timeline is
            # what was scheduled, and a run may have moved past it (the summary counts these).
            return
        if event.dispute in self.disputes:
            self.disputes[event.dispute].review_due = {CHALLENGER, TARGET}
        if kind == "deploy":
            spec = DeploymentSpec(
                id=event.ref or f"{event.actor}-{event.target}-{event.day}",
                owner=event.actor,
                host=event.target,
                troops=event.troops or 0.0,
                near=event.near,
            )
            self._add_deployment(spec, log=log)
        elif kind == "withdraw":
            self._withdraw(event.ref)
        elif kind == "impose":
            self._impose(self.sanctions[event.ref], log=log)
        elif kind == "lift":
            sanction = self.sanctions[event.ref]
            if sanction.status == "imposed" and log:
                for sender in sanction.spec.senders:
                    self.log_event(
                        sender,
                        "lift_sanctions",
                        sanction.spec.target,
                        None,
                        None,
                        sanction.spec.severity,
                        detail=sanction.spec.id,
                    )
            sanction.status = "lifted"
        elif kind == "statement":
            if event.ties_hands and event.dispute in self.disputes:
                speaker = self.states[event.actor]
                speaker.commitments[event.dispute] = speaker.commitments.get(event.dispute, 0) + 1
                # Tying hands is costly exactly by the audience cost it creates (Fearon 1997).
                self._signal(
                    event.actor,
                    self.params.audience_cost(speaker.regime) / self._stakes_of(event.actor),
                )
            if log:
                self.log_event(
                    event.actor, "statement", event.target, event.dispute, None, detail=event.text
                )
        elif kind == "offer":
            dispute = self.disputes.get(event.dispute)
            if dispute is not None and dispute.is_open():
                dispute.offer = (event.share or 0.0) * dispute.demand
                if log:
                    self.log_event(
                        event.actor,
                        "offer",
                        dispute.challenger,
                        dispute.id,
                        None,
                        dispute.offer,
                        detail=event.text,
                    )
        elif kind in ("join_alliance", "leave_alliance"):
            alliance = self.alliances[event.ref]
            if kind == "join_alliance":
                alliance.add(event.actor)
            else:
                alliance.remove(event.actor)
            if log:
                self.log_event(event.actor, kind, event.ref, None, None, detail=event.text)
        elif kind == "talks" and log:
            # Cheap talk: recorded, moves no belief (docs/model.md §5).
            self.log_event(
                event.actor, "talks", event.target, event.dispute, None, detail=event.text
            )

    def _settled(self, dispute_id: str | None) -> bool:
        dispute = self.disputes.get(dispute_id) if dispute_id is not None else None
        return dispute is not None and dispute.status == "settled"

    # ------------------------------------------------------------------ signals (§5)
    def _stakes_of(self, code: str) -> float:
        stakes = [
            d.stakes(CHALLENGER if d.challenger == code else TARGET)
            for d in self.disputes.values()
            if code in (d.challenger, d.target_leader)
        ]
        return max(stakes) if stakes else 1.0

    def _signal(self, actor: str, cost_over_stakes: float) -> None:
        for observer in self.states.values():
            if observer.code != actor:
                observer.belief_about(actor).observe_costly_signal(
                    cost_over_stakes, self.params.belief_learning_rate
                )

    def _signal_weakness(self, actor: str, weight: float) -> None:
        for observer in self.states.values():
            if observer.code != actor:
                observer.belief_about(actor).observe_weakness(
                    weight, self.params.belief_learning_rate
                )

    def _signal_deployment(self, owner: str, troops: float) -> None:
        size = min(1.0, troops / DEPLOYMENT_SIGNAL_TROOPS)
        self._signal(owner, size * running_cost(self, 3) / self._stakes_of(owner))

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        self.steps_done += 1
        self._impose_triggered_sanctions()
        open_disputes = [d for d in self.disputes.values() if d.is_open()]
        for dispute in open_disputes:
            dispute.join_probabilities = join_probabilities(self, dispute)
            if self.params.win_probability is not None:  # Fearon mode: p is given
                dispute.win_probability = win_probability(self, dispute, dispute.join_probabilities)
            else:
                dispute.war_views = war_views(self, dispute)
                dispute.nuclear_risk = nuclear_risk(self, dispute)
                dispute.win_probability = dispute.war_views[CHALLENGER].share
        for dispute in open_disputes:
            if dispute.spec.deadline == self.steps_done:
                # At its deadline the ultimatum takes the place of the day's decisions (§4.5).
                self._ultimatum(dispute)
            else:
                self._decide(dispute)
        for dispute in open_disputes:
            if dispute.is_open():
                self._spiral(dispute)
        for dispute in list(self.disputes.values()):
            if dispute.status == "war" and dispute.war.start_step < self.steps_done:
                ended = dispute.war.step(self)
                if ended is not None:
                    self._end_war(dispute, *ended)
        self._check_sanction_triggers()
        self._arm()
        self._record_step()
        if not self._has_business() or self.steps_done >= self.params.horizon:
            self.running = False

    def _has_business(self) -> bool:
        return self._pending_demands > 0 or any(
            d.status in ("open", "war") for d in self.disputes.values()
        )

    # ------------------------------------------------------------------ decisions (§4.4)
    def _decide(self, dispute: Dispute) -> None:
        """Each party that reviews its course this step picks an option by quantal response.

        A party reviews when the dispute has just opened, when its opponent moved or something
        happened in the dispute last step, and otherwise with a daily chance ``review_rate``:
        governments reconsider a crisis course at decision points, not every morning, and noise
        in daily choices would otherwise pile up over a long standoff.
        """
        review_chance = 1.0 - (1.0 - self.params.review_rate) ** self.params.step_days
        choices = {}
        for side in (CHALLENGER, TARGET):
            draw = self.rng.random()
            if side in dispute.review_due or draw < review_chance:
                utilities = Outlook(self, dispute, side).option_utilities()
                choices[side] = quantal_choice(utilities, self.params.precision, self.rng)
            else:
                choices[side] = "hold"
        dispute.review_due = set()
        levels_before = dict(dispute.level)
        highest_before = dict(dispute.max_level)
        for side in (CHALLENGER, TARGET):
            if choices[side] != "hold":
                self._apply_choice(dispute, side, choices[side], levels_before)
            if choices[side] in ("escalate", "counter_escalate", "offer_compromise"):
                dispute.review_due.add(other(side))
        challenger_yields = choices[CHALLENGER] in ("back_down", "accept_offer")
        target_yields = choices[TARGET] == "concede"
        if challenger_yields and target_yields:
            # Both give way on the same day. Concessions in a standoff are a war of attrition
            # in continuous time (Maynard Smith 1974; Fudenberg & Tirole 1986): two never fall
            # on the same instant, and the first ends the contest on its terms. A day hides
            # which came first, so each side is first with even chance. (Splitting the issue
            # instead made a compromise of every standoff both sides wanted out of, which the
            # MID data code as one side's yield: compromises are 8 % of pre-1990 MIDs.)
            if self.rng.random() < 0.5:
                target_yields = False
            else:
                challenger_yields = False
        if challenger_yields and choices[CHALLENGER] == "accept_offer":
            self._settle(dispute, "compromise", dispute.offer)
        elif challenger_yields:
            self._settle(dispute, self._backing_down_outcome(dispute), 0.0)
        elif target_yields:
            self._settle(dispute, "yield_target", dispute.demand)
        elif max(dispute.level.values()) >= WAR:
            self._begin_war(dispute, detail="chose war")
        if dispute.status == "settled":
            # Settled the same day one side moved to war: no war was fought, so the highest
            # level stays below war (MID hostility level 5 means a war took place).
            for side in (CHALLENGER, TARGET):
                if dispute.level[side] >= WAR:
                    dispute.level[side] = WAR - 1
                    dispute.max_level[side] = max(highest_before.get(side, 1), WAR - 1)
        self._escalated_last_step = {
            (dispute.id, side)
            for side in (CHALLENGER, TARGET)
            if dispute.level[side] > levels_before[side]
        } | {key for key in self._escalated_last_step if key[0] != dispute.id}

    def _apply_choice(
        self, dispute: Dispute, side: str, choice: str, levels_before: dict[str, int]
    ) -> None:
        actor = dispute.decider(side)
        opponent = dispute.decider(other(side))
        level = dispute.level[side]
        if choice in ("escalate", "counter_escalate"):
            new_level = min(WAR, level + 1)
            dispute.set_level(side, new_level, self.steps_done)
            self.log_event(actor, choice, opponent, dispute.id, new_level)
            added_cost = running_cost(self, new_level) - running_cost(self, level)
            if new_level == 4:
                added_cost += Outlook(self, dispute, side).threatened_sanctions(side)
            self._signal(actor, added_cost / dispute.stakes(side))
        elif choice == "offer_compromise":
            dispute.offer = Outlook(self, dispute, side).compromise_share()
            self.log_event(actor, choice, opponent, dispute.id, level, dispute.offer)
            self._signal_weakness(actor, HESITATION_WEIGHT)
        elif choice in ("back_down", "concede"):
            self.log_event(
                actor,
                choice,
                opponent,
                dispute.id,
                level,
                dispute.demand if choice == "concede" else 0.0,
            )
            self._signal_weakness(actor, BACKING_DOWN_WEIGHT)
        elif choice == "accept_offer":
            self.log_event(actor, choice, opponent, dispute.id, level, dispute.offer)
        else:  # press / resist
            self.log_event(actor, choice, opponent, dispute.id, level)
            if (dispute.id, other(side)) in self._escalated_last_step:
                self._signal_weakness(actor, HESITATION_WEIGHT)

    @staticmethod
    def _backing_down_outcome(dispute: Dispute) -> str:
        """How a challenger's backing down is coded, by the MID rules (Jones, Bremer & Singer
        1996): a yield is a visible capitulation. A challenger that never went beyond threats
        and drops them concedes nothing anyone can see: its demand lapses, the issue stays
        unresolved, and the dispute is a stalemate. One that displayed or used force and then
        stands down has yielded."""
        if dispute.max_level[CHALLENGER] <= 2:
            return "stalemate"
        return "yield_challenger"

    def _settle(self, dispute: Dispute, outcome: str, settlement: float) -> None:
        dispute.status = "settled"
        dispute.outcome = outcome
        dispute.settlement = settlement
        dispute.end_step = self.steps_done

    # ------------------------------------------------------------------ ultimatum (§4.5)
    def _ultimatum(self, dispute: Dispute) -> None:
        """Fearon (1995): the challenger makes the take-it-or-leave-it demand that maximises its
        expected utility given its belief over the target's war cost; the target accepts iff
        accepting is at least as good as fighting (a tie accepts)."""
        challenger_view = Outlook(self, dispute, CHALLENGER)
        p = dispute.win_probability
        stakes_target = dispute.stakes(TARGET)
        target_cost = war_cost_function(self, dispute, TARGET)
        target_sanctions = challenger_view.threatened_sanctions(TARGET)
        audience_target = challenger_view.audience_cost(TARGET)

        contested = dispute.spec.size

        def resolve_threshold(demand):
            # Accept iff v_T(1 − x) − a_T ≥ (1 − p·X)v_T − c_T(r) − S_T, i.e. c_T(r) ≥ K(x);
            # with X = 1, Fearon's c_B ≥ x − p.
            needed = (
                (1 - p * contested) * stakes_target
                - target_sanctions
                - stakes_target * (1 - demand)
                + audience_target
            )
            if target_cost.slope <= FLAT_SLOPE:
                return np.where(target_cost.fixed >= needed, 2.0, -1.0)
            return target_cost.ceiling - (needed - target_cost.fixed) / target_cost.slope

        target_resolve = self.states[dispute.target_leader].resolve
        if dispute.spec.ultimatum.information == "complete":

            def acceptance(demand):
                return (target_resolve <= resolve_threshold(demand) + 1e-12).astype(float)
        else:
            belief = challenger_view.belief

            def acceptance(demand):
                return betainc(
                    belief.alpha, belief.beta, np.clip(resolve_threshold(demand), 0.0, 1.0)
                )

        challenger_war = challenger_view.war_value(
            CHALLENGER, self.states[dispute.challenger].resolve
        )
        demand, _ = optimal_demand(
            acceptance, dispute.stakes(CHALLENGER), challenger_war, largest=contested
        )
        dispute.demand = demand
        self.log_event(
            dispute.challenger,
            "ultimatum",
            dispute.target_leader,
            dispute.id,
            dispute.level[CHALLENGER],
            demand,
        )
        accepts = target_resolve <= float(resolve_threshold(np.array([demand]))[0]) + 1e-12
        if accepts:
            self.log_event(
                dispute.target_leader,
                "accept_ultimatum",
                dispute.challenger,
                dispute.id,
                dispute.level[TARGET],
                demand,
            )
            self._settle(dispute, "yield_target", demand)
            return
        self.log_event(
            dispute.target_leader,
            "reject_ultimatum",
            dispute.challenger,
            dispute.id,
            dispute.level[TARGET],
            demand,
        )
        if challenger_war >= -challenger_view.audience_cost(CHALLENGER):
            self._begin_war(dispute, detail="ultimatum refused")
        else:
            self.log_event(
                dispute.challenger,
                "back_down",
                dispute.target_leader,
                dispute.id,
                dispute.level[CHALLENGER],
                0.0,
            )
            self._settle(dispute, "yield_challenger", 0.0)

    # ------------------------------------------------------------------ war (§6)
    def _spiral(self, dispute: Dispute) -> None:
        """Schelling's threat that leaves something to chance: a standoff at a display or use of
        force may slide into war without anyone choosing it."""
        hazard = daily_hazard(self, dispute.standoff_level)
        if hazard <= 0:
            return
        if self.rng.random() < 1.0 - (1.0 - hazard) ** self.params.step_days:
            self.log_event(
                dispute.challenger,
                "spiral",
                dispute.target_leader,
                dispute.id,
                WAR,
                detail="the standoff slides into war",
            )
            self._begin_war(dispute, detail="spiral")

    def _begin_war(self, dispute: Dispute, detail: str) -> None:
        dispute.status = "war"
        dispute.ever_war = True
        for side in (CHALLENGER, TARGET):
            dispute.set_level(side, WAR, self.steps_done)
        self.log_event(
            dispute.challenger, "war", dispute.target_leader, dispute.id, WAR, detail=detail
        )
        if not dispute.join_probabilities:
            dispute.join_probabilities = join_probabilities(self, dispute)
        war = War.begin(self, dispute)
        dispute.war = war
        members = war.members
        dispute.side_challenger = set(members[CHALLENGER])
        dispute.side_target = set(members[TARGET])

    def _end_war(self, dispute: Dispute, outcome: str, share: float) -> None:
        war: War = dispute.war
        settlement = share * dispute.demand
        self.log_event(
            dispute.challenger,
            "settle" if war.end_reason == "settlement" else "break",
            dispute.target_leader,
            dispute.id,
            WAR,
            settlement,
            detail=f"{outcome} after {war.days:.0f} days of war ({war.end_reason})",
        )
        self._settle(dispute, outcome, settlement)
        war.stayed_out = sorted(war.candidates)
        for code in war.stayed_out:
            p_challenger, p_target = dispute.join_probabilities.get(code, (0.0, 0.0))
            if max(p_challenger, p_target) >= STAY_OUT_LOGGED:
                self.log_event(
                    code,
                    "stay_out",
                    None,
                    dispute.id,
                    None,
                    detail=f"stayed out of the war (P join = {p_challenger + p_target:.2f})",
                )
        self._update_credibility(dispute, war)

    def _update_credibility(self, dispute: Dispute, war: War) -> None:
        """docs/model.md §6: an ally that joined when its partner was attacked gains credibility;
        one that stayed out loses more. Only defence commitments to the attacked side count."""
        attacked = set(dispute.principals(TARGET))
        joined = set(war.members[TARGET])
        for alliance in self.alliances.values():
            if alliance.kind != "defense" or not (attacked & alliance.members):
                continue
            for member in alliance.members - attacked:
                if member in joined:
                    alliance.record_conduct(member, True, self.params)
                elif member in war.stayed_out:
                    alliance.record_conduct(member, False, self.params)

    # ------------------------------------------------------------------ sanctions triggers
    def _impose_triggered_sanctions(self) -> None:
        for sanction in self.sanctions.values():
            if sanction.triggered and sanction.status == "threatened":
                sanction.triggered = False
                self._impose(sanction)

    def _check_sanction_triggers(self) -> None:
        for sanction in self.sanctions.values():
            spec = sanction.spec
            if sanction.status != "threatened" or not sanction.is_threat:
                continue
            for dispute in self.disputes.values():
                for side in (CHALLENGER, TARGET):
                    if dispute.decider(side) != spec.trigger_actor:
                        continue
                    against = set(dispute.territory(other(side))) | (
                        {dispute.theatre} if side == CHALLENGER else set()
                    )
                    if spec.trigger_against in against and dispute.level[side] >= 4:
                        sanction.triggered = True

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

    # ------------------------------------------------------------------ records (§8)
    def _postures(self) -> dict[str, int]:
        posture = dict.fromkeys(self.state_codes, 1)
        for dispute in self.disputes.values():
            if dispute.status == "open":
                for side in (CHALLENGER, TARGET):
                    for code in dispute.principals(side):
                        posture[code] = max(posture[code], dispute.level[side])
            elif dispute.status == "war":
                for members in dispute.war.members.values():
                    for code in members:
                        posture[code] = WAR
        return posture

    def _cohesion(self) -> float:
        """Mean, over alliances whose members are targets in an open dispute, of the members'
        probability of standing by them (principals count 1); mean credibility otherwise."""
        tested = []
        for dispute in self.disputes.values():
            if dispute.status != "open":
                continue
            attacked = set(dispute.principals(TARGET))
            for alliance in self.alliances.values():
                if len(alliance.members) < 2 or not (attacked & alliance.members):
                    continue
                shares = [
                    1.0 if m in attacked else dispute.join_probabilities.get(m, (0, 0))[1]
                    for m in alliance.members
                ]
                tested.append(sum(shares) / len(shares))
        if tested:
            return sum(tested) / len(tested)
        credibility = [c for a in self.alliances.values() for c in a.credibility.values()]
        return sum(credibility) / len(credibility) if credibility else 1.0

    def _record_step(self) -> None:
        posture = self._postures()
        at_war = {
            code
            for d in self.disputes.values()
            if d.status == "war"
            for members in d.war.members.values()
            for code in members
        }
        abroad = dict.fromkeys(self.state_codes, 0.0)
        for deployment in self.active_deployments():
            if deployment.host != deployment.owner:
                abroad[deployment.owner] += deployment.troops
        scores = {
            code: escalation.step_score(self._actions.get(code, []), code in at_war)
            for code in self.state_codes
        }
        system = sum(scores.values())
        cohesion = self._cohesion()
        per_step = self.params.step_days / self.params.planning_days
        for code in self.state_codes:
            self.record.steps.append(
                {
                    "run": self.run_index,
                    "step": self.steps_done,
                    "state": code,
                    "posture": posture[code],
                    "troops_abroad": abroad[code],
                    "sanctions_cost": self.sanctions_burden(code) * per_step,
                    "escalation": scores[code],
                    "escalation_score": system,
                    "cohesion": cohesion,
                    "at_war": code in at_war,
                }
            )
        for dispute in self.disputes.values():
            if dispute.status != "open":
                continue
            for side in (CHALLENGER, TARGET):
                observer = self.states[dispute.decider(side)]
                subject = self.states[dispute.decider(other(side))]
                self.record.beliefs.append(
                    {
                        "run": self.run_index,
                        "step": self.steps_done,
                        "observer": observer.code,
                        "subject": subject.code,
                        "believed": observer.belief_about(subject.code).mean,
                        "true": subject.resolve,
                    }
                )
        for dispute in self.disputes.values():
            war = dispute.war
            if war is None or (dispute.status != "war" and dispute.end_step != self.steps_done):
                continue
            members = war.members
            self.record.fronts.append(
                {
                    "run": self.run_index,
                    "step": self.steps_done,
                    "dispute": dispute.id,
                    "day": war.days,
                    "control": war.control,
                    "forces_challenger": war.forces(CHALLENGER),
                    "forces_target": war.forces(TARGET),
                    "casualties_challenger": war.casualties(CHALLENGER),
                    "casualties_target": war.casualties(TARGET),
                    "aid_challenger": war.aid_factor(self, CHALLENGER),
                    "aid_target": war.aid_factor(self, TARGET),
                    "belligerents": ";".join(members[CHALLENGER]) + "|" + ";".join(members[TARGET]),
                    "aid_donors": "|".join(
                        ";".join(f"{code}:{amount:.4g}" for code, amount in war.donors(self, side))
                        for side in SIDES
                    ),
                }
            )
        self._actions = {}  # this step's actions are scored; the next step's events start anew

    def finish(self) -> RunRecord:
        """Write one runs row per dispute that was made; open ones end in stalemate."""
        imposed = ";".join(sorted(s.spec.id for s in self.sanctions.values() if s.ever_imposed))
        for dispute in self.disputes.values():
            outcome = dispute.outcome or ("war_ongoing" if dispute.status == "war" else "stalemate")
            end = dispute.end_step if dispute.end_step is not None else self.steps_done
            war = dispute.war
            casualties = war.casualties() if war is not None else 0.0
            ongoing = dispute.status == "war"
            self.record.runs.append(
                {
                    "run": self.run_index,
                    "seed": self.seed,
                    "dispute": dispute.id,
                    "challenger": dispute.challenger,
                    "target": dispute.spec.on,
                    "outcome": outcome,
                    "max_level": max(dispute.max_level.values()),
                    "challenger_level": dispute.max_level[CHALLENGER],
                    "target_level": dispute.max_level[TARGET],
                    "war": dispute.ever_war,
                    "side_challenger": ";".join(sorted(dispute.side_challenger)),
                    "side_target": ";".join(sorted(dispute.side_target)),
                    "duration": end - dispute.start_step,
                    "casualties": float(casualties or 0.0),
                    "demand": dispute.demand,
                    "settlement": dispute.settlement,
                    "sanctions_imposed": imposed,
                    "end_step": end,
                    "war_start_step": war.start_step if war is not None else None,
                    "war_days": war.days if war is not None else None,
                    "war_ongoing": ongoing,
                    "war_end": (
                        ("still going" if ongoing else war.end_reason) if war is not None else None
                    ),
                    "casualties_challenger": war.casualties(CHALLENGER) if war else None,
                    "casualties_target": war.casualties(TARGET) if war else None,
                    "control": war.control if war is not None else None,
                }
            )
        return self.record


def simulate(
    scenario: Scenario, params: ModelParams | None = None, seed: int | None = None, run: int = 0
) -> RunRecord:
    """One whole run: a pure function of the scenario, the parameters and the seed."""
    model = CrisisModel(scenario, params, seed=seed, run=run)
    while model.running:
        model.step()
    return model.finish()

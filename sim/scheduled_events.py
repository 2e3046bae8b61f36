"""The scenario's timeline in a run: what fires at the start of a step, before states decide.

Deployments, sanctions, demands and the timeline's events (statements, offers, talks, alliance
changes) are scheduled on Mesa's event scheduler when the run is made and fire at the start of
their step (docs/model.md §2); threatened sanctions are imposed the step after their trigger.
:class:`ScheduledEvents` holds these methods of :class:`~brink.sim.model.CrisisModel`, which
inherits them; they read and change the model's state through ``self``.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast

from brink.scenarios.spec import DemandSpec, DeploymentSpec, Event, SanctionSpec
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.hostility import Hostility
from brink.sim.model_parts import ModelParts
from brink.sim.sanctions import Sanction, severity_cost

#: Timeline entries that mean nothing once their dispute has ended.
MOOT_WHEN_SETTLED = ("statement", "offer", "talks")


@dataclass
class Deployment:
    id: str
    owner: str
    host: str
    troops: float
    near: str | None
    active: bool = True


class _ScheduledCallback(Protocol):
    """A timeline entry's callback: it fires ``name`` with ``argument`` at the start of ``day``,
    and carries ``scheduled = (day, name, argument)`` so that a copy of the model can make its
    own."""

    scheduled: tuple[int, str, object]

    def __call__(self) -> None: ...


def _given(value: str | None, event: Event, name: str) -> str:
    """A field that the scenario's checks require for the event's kind."""
    if value is None:
        raise ValueError(f"the {event.kind} event of day {event.day} has no {name}")
    return value


class ScheduledEvents(ModelParts):
    """The scheduled events and sanctions triggers of :class:`~brink.sim.model.CrisisModel`."""

    # ------------------------------------------------------------------ scheduled events
    def _schedule(self, day: int, function: Callable[..., None], argument: object) -> None:
        # docs/model.md §2: events fire at the start of their step, before states decide. Step n
        # runs at Mesa time n, so the event is placed half a step earlier.
        # Mesa holds only a weak reference to the callback, so the model keeps it alive.
        self.schedule_event(
            self._scheduled_callback(day, function.__name__, argument), at=day - 0.5
        )

    def _scheduled_callback(self, day: int, name: str, argument: object) -> _ScheduledCallback:
        """The callback that fires method ``name`` with ``argument`` at the start of ``day``,
        kept alive by the model; it carries what it does (``scheduled``) so that a copy of the
        model can make its own (:meth:`_rebind_scheduled`)."""
        function = getattr(self, name)

        def fire() -> None:
            self._event_step = day  # what it logs belongs to the step it opens
            function(argument)
            self._event_step = None

        callback = cast(_ScheduledCallback, fire)
        callback.scheduled = (day, name, argument)
        self._callbacks.append(callback)
        return callback

    def _rebind_scheduled(self) -> None:
        """After a deep copy: point the copy's pending timeline at the copy's own callbacks.

        Mesa's events hold weak references, which ``copy.deepcopy`` shares rather than copies,
        so without this a copy's timeline would fire on the model it was copied from."""
        self._callbacks = []
        for event in self._event_list._events:
            function = event.fn() if event.fn is not None else None
            scheduled = getattr(function, "scheduled", None)
            if scheduled is not None:
                event.fn = weakref.ref(self._scheduled_callback(*scheduled))

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
            salience=1.0 + self.params.rivalry_salience * math.log1p(spec.rivalry),
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
                owner=_given(event.actor, event, "actor"),
                host=_given(event.target, event, "target"),
                troops=event.troops or 0.0,
                near=event.near,
            )
            self._add_deployment(spec, log=log)
        elif kind == "withdraw":
            self._withdraw(_given(event.ref, event, "ref"))
        elif kind == "impose":
            self._impose(self.sanctions[_given(event.ref, event, "ref")], log=log)
        elif kind == "lift":
            sanction = self.sanctions[_given(event.ref, event, "ref")]
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
                actor = _given(event.actor, event, "actor")
                speaker = self.states[actor]
                speaker.commitments[event.dispute] = speaker.commitments.get(event.dispute, 0) + 1
                # Tying hands is costly exactly by the audience cost it creates (Fearon 1997).
                self._signal(
                    actor, self.params.audience_cost(speaker.regime) / self._stakes_of(actor)
                )
            if log:
                self.log_event(
                    event.actor, "statement", event.target, event.dispute, None, detail=event.text
                )
        elif kind == "offer":
            dispute = self.disputes.get(event.dispute) if event.dispute is not None else None
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
            alliance = self.alliances[_given(event.ref, event, "ref")]
            member = _given(event.actor, event, "actor")
            if kind == "join_alliance":
                alliance.add(member)
            else:
                alliance.remove(member)
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
                    using_force = dispute.level[side] >= Hostility.USE_OF_FORCE
                    if spec.trigger_against in against and using_force:
                        sanction.triggered = True

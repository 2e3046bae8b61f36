"""What a run keeps: one row per state and step, the beliefs, the fronts, and the runs table.

The tables are those of docs/model.md §8 (columns in :mod:`brink.sim.record`). A state's
posture is the highest level it holds in an open dispute (war for a belligerent); alliance
cohesion is the members' mean chance of standing by an attacked partner (their mean credibility
when no member is attacked). :class:`RecordKeeping` holds these methods of
:class:`~brink.sim.model.CrisisModel`, which inherits them.
"""

from __future__ import annotations

from brink.sim import escalation
from brink.sim.dispute import CHALLENGER, TARGET, other
from brink.sim.hostility import Hostility
from brink.sim.model_parts import ModelParts
from brink.sim.outcomes import Outcome
from brink.sim.record import RunRecord
from brink.sim.war_projection import SIDES


class RecordKeeping(ModelParts):
    """The step records and the runs table of :class:`~brink.sim.model.CrisisModel`."""

    # ------------------------------------------------------------------ records (§8)
    def _postures(self) -> dict[str, int]:
        posture = dict.fromkeys(self.state_codes, 1)
        for dispute in self.disputes.values():
            if dispute.status == "open":
                for side in (CHALLENGER, TARGET):
                    for code in dispute.principals(side):
                        posture[code] = max(posture[code], dispute.level[side])
            elif dispute.status == "war" and dispute.war is not None:
                for members in dispute.war.members.values():
                    for code in members:
                        posture[code] = Hostility.WAR
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
        if not self.record_steps:
            self._actions = {}  # as below: the next step's events start anew
            return
        posture = self._postures()
        at_war = {
            code
            for d in self.disputes.values()
            if d.status == "war" and d.war is not None
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
            outcome = dispute.outcome or (
                Outcome.WAR_ONGOING if dispute.status == "war" else Outcome.STALEMATE
            )
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

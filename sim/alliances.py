"""Alliances as they stand during a run: members in force and each member's credibility.

Kinds follow ATOP (Leeds et al. 2002). A member's commitment to an ally is the alliance's
reliability times the member's credibility; credibility starts at 1 and moves with the member's
record (docs/model.md §6): honouring a commitment raises it, staying out lowers it more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from brink.scenarios.spec import AllianceSpec
from brink.sim.params import ModelParams


@dataclass
class Alliance:
    id: str
    name: str
    kind: str
    members: set[str]
    reliability: float
    leader: str | None
    credibility: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: AllianceSpec, year: int, params: ModelParams) -> Alliance:
        """The alliance with the members in force in ``year``."""
        members = {
            m.state for m in spec.members if m.joined <= year and (m.left is None or m.left > year)
        }
        reliability = (
            spec.reliability if spec.reliability is not None else params.reliability(spec.kind)
        )
        return cls(
            id=spec.id,
            name=spec.name,
            kind=spec.kind,
            members=members,
            reliability=reliability,
            leader=spec.leader,
            credibility={member: 1.0 for member in members},
        )

    def commitment(self, member: str) -> float:
        """Reliability × credibility of ``member``'s promise (0 for non-members)."""
        if member not in self.members:
            return 0.0
        return self.reliability * self.credibility.get(member, 1.0)

    def add(self, member: str) -> None:
        self.members.add(member)
        self.credibility.setdefault(member, 1.0)

    def remove(self, member: str) -> None:
        self.members.discard(member)

    def record_conduct(self, member: str, honoured: bool, params: ModelParams) -> None:
        """Credibility after a member joined (honoured) or stayed out of a partner's war."""
        change = params.credibility_gain if honoured else -params.credibility_loss
        self.credibility[member] = min(1.0, max(0.0, self.credibility.get(member, 1.0) + change))

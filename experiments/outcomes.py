"""The outcomes of interest of a sweep: yes-or-no questions asked of each run.

Each outcome is computed from the rows of the runs table (one per dispute, :mod:`brink.sim.record`)
and is true for a run when any dispute that passes its filters shows its event. Kinds:

``war``
    the dispute ended in or passed through war (``war`` column);
``force``
    the challenger used force, hostility level 4 or more (``challenger_level ≥ 4``; MID scale);
``level``
    either side reached at least ``at_least`` (``max_level``);
``outcome``
    the dispute ended as ``value``, one of the MID endings in :data:`brink.sim.record.OUTCOMES`.

Filters, all optional: ``dispute`` (a demand id), ``by`` (the challenger's state code) and
``against`` (a state code or an alliance id: the target is that state, that alliance, or one of
its members, or one of them fought on the target's side). Alliance membership is the one in
force in the scenario's start year. Example, the chance that Russia uses force against a NATO
member: ``{kind: force, by: RUS, against: NATO}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from brink.scenarios.spec import Scenario
from brink.sim.record import OUTCOMES

OUTCOME_KINDS = ("war", "force", "level", "outcome")


@dataclass(frozen=True)
class OutcomeSpec:
    """One yes-or-no outcome of interest (see the module docstring for the vocabulary)."""

    name: str
    kind: str
    label: str
    dispute: str | None = None
    by: str | None = None
    against: str | None = None
    value: str | None = None
    at_least: int | None = None


def default_label(spec: OutcomeSpec) -> str:
    """A short reading of an outcome for tables and figure axes, e.g. ``RUS uses force on NATO``."""
    subject = spec.by or "challenger"
    what = {
        "war": f"war ({subject} vs {spec.against})" if spec.against else "war",
        "force": f"{subject} uses force" + (f" on {spec.against}" if spec.against else ""),
        "level": f"hostility level ≥ {spec.at_least}",
        "outcome": (spec.value or "").replace("_", " "),
    }[spec.kind]
    return what + (f" in {spec.dispute}" if spec.dispute else "")


def members_at_start(scenario: Scenario) -> dict[str, frozenset[str]]:
    """Each alliance's members in the scenario's start year (joined by then, not yet left)."""
    year = int(scenario.start_date[:4])
    return {
        ident: frozenset(
            m.state
            for m in alliance.members
            if m.joined <= year and (m.left is None or m.left > year)
        )
        for ident, alliance in scenario.alliances.items()
    }


class OutcomeEvaluator:
    """Computes every outcome of one run from its runs rows, for one scenario."""

    def __init__(self, specs: Iterable[OutcomeSpec], scenario: Scenario):
        self.specs = tuple(specs)
        self.members = members_at_start(scenario)

    def _codes(self, party: str) -> frozenset[str]:
        return self.members.get(party, frozenset((party,)))

    def _target_side(self, row: Mapping[str, Any]) -> set[str]:
        side = set(self._codes(row["target"])) | {row["target"]}
        if row.get("side_target"):
            side.update(code for code in str(row["side_target"]).split(";") if code)
        return side

    def _matches(self, spec: OutcomeSpec, row: Mapping[str, Any]) -> bool:
        if spec.dispute is not None and row["dispute"] != spec.dispute:
            return False
        if spec.by is not None and row["challenger"] != spec.by:
            return False
        if spec.against is not None:
            wanted = self._codes(spec.against) | {spec.against}
            if not wanted & self._target_side(row):
                return False
        if spec.kind == "war":
            return bool(row["war"])
        if spec.kind == "force":
            return int(row["challenger_level"]) >= 4
        if spec.kind == "level":
            return int(row["max_level"]) >= int(spec.at_least)
        return row["outcome"] == spec.value

    def evaluate(self, rows: list[Mapping[str, Any]]) -> dict[str, bool]:
        """``{outcome name: true if any dispute of the run shows it}``."""
        return {spec.name: any(self._matches(spec, row) for row in rows) for spec in self.specs}


__all__ = ["OUTCOMES", "OUTCOME_KINDS", "OutcomeEvaluator", "OutcomeSpec", "default_label"]

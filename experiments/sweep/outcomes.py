"""The outcomes of interest of a sweep: what each run is asked, as yes/no, a number or a series.

Each outcome is computed from the tables one run reports (:mod:`brink.sim.record`): the runs
table (one row per dispute), and for some kinds the steps or events table. Kinds:

Yes or no (true when any dispute that passes the filters shows the event):

``war``
    the dispute ended in or passed through war (``war`` column);
``force``
    the challenger used force, hostility level 4 or more (``challenger_level ≥ 4``; MID scale);
``level``
    either side reached at least ``at_least`` (``max_level``);
``outcome``
    the dispute ended as ``value``, one of the endings in
    :data:`brink.sim.record.RUN_OUTCOMES` (the MID classes and ``war_ongoing``).

Numbers (one per run, combined over the disputes that pass the filters; ``aggregate`` chooses
how: max, min, sum or mean; a run with no such dispute has none):

``duration``, ``casualties``, ``max_level``, ``share``
    a column of the runs table (:data:`SCALAR_COLUMNS`: steps a dispute lasted, thousands of
    personnel lost in war, the highest MID level, the share of the issue the challenger got,
    days of war, each side's losses, the share of the contested territory the challenger held
    when its war ended);
``first_force``
    the first step at which the challenger acted at hostility level 4 or more (events table);
    none if it never did.

A series (one value per step of the run):

``hostility``
    the highest hostility level (MID 1–5) any state holds that step (``posture`` in the steps
    table), or that ``by`` holds. After a run's last step the crisis is over, level 1.

Filters, all optional: ``dispute`` (a demand id), ``by`` (the challenger's state code) and
``against`` (a state code or an alliance id: the target is that state, that alliance, or one of
its members, or one of them fought on the target's side). Alliance membership is the one in
force in the scenario's start year. Example, the chance that Russia uses force against a NATO
member: ``{kind: force, by: RUS, against: NATO}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from brink.scenarios.spec import Scenario
from brink.sim.record import RUN_OUTCOMES as OUTCOMES

#: Yes/no kinds.
BINARY_KINDS = ("war", "force", "level", "outcome")
#: Numbers read from one column of the runs table: kind -> (column, default aggregate, unit).
#: A new column of sim/record.py becomes an outcome with one line here.
SCALAR_COLUMNS: dict[str, tuple[str, str, str]] = {
    "duration": ("duration", "max", "steps"),
    "casualties": ("casualties", "sum", "thousand personnel"),
    "max_level": ("max_level", "max", "MID level"),
    "share": ("settlement", "max", "share of the issue"),
    "war_days": ("war_days", "max", "days of war"),
    "losses_challenger": ("casualties_challenger", "sum", "thousand personnel"),
    "losses_target": ("casualties_target", "sum", "thousand personnel"),
    "territory": ("control", "max", "share of the contested territory"),
}
#: Numbers computed from more than one column: kind -> (default aggregate, unit).
DERIVED_SCALARS: dict[str, tuple[str, str]] = {"first_force": ("min", "step")}
SCALAR_KINDS = (*SCALAR_COLUMNS, *DERIVED_SCALARS)
SERIES_KINDS = ("hostility",)
OUTCOME_KINDS = (*BINARY_KINDS, *SCALAR_KINDS, *SERIES_KINDS)
AGGREGATES = ("max", "min", "sum", "mean")
#: MID level of a step with no militarised action: a series after its run's end.
QUIET_LEVEL = 1


def outcome_type(kind: str) -> str:
    """``binary``, ``scalar`` or ``series``."""
    if kind in BINARY_KINDS:
        return "binary"
    return "scalar" if kind in SCALAR_KINDS else "series"


def outcome_unit(kind: str) -> str:
    """The unit of a kind's values (a probability for yes/no)."""
    if kind in SCALAR_COLUMNS:
        return SCALAR_COLUMNS[kind][2]
    if kind in DERIVED_SCALARS:
        return DERIVED_SCALARS[kind][1]
    return "MID level" if kind in SERIES_KINDS else "probability"


@dataclass(frozen=True)
class OutcomeSpec:
    """One outcome of interest (see the module docstring for the vocabulary)."""

    name: str
    kind: str
    label: str
    dispute: str | None = None
    by: str | None = None
    against: str | None = None
    value: str | None = None
    at_least: int | None = None
    aggregate: str | None = None  # numbers: how disputes combine (None: the kind's default)

    @property
    def type(self) -> str:
        """``binary``, ``scalar`` or ``series``."""
        return outcome_type(self.kind)

    @property
    def combine(self) -> str:
        """How a number outcome combines the disputes that pass the filters."""
        if self.aggregate is not None:
            return self.aggregate
        if self.kind in SCALAR_COLUMNS:
            return SCALAR_COLUMNS[self.kind][1]
        return DERIVED_SCALARS.get(self.kind, ("max",))[0]


def default_label(spec: OutcomeSpec) -> str:
    """A short reading of an outcome for tables and figure axes, e.g. ``RUS uses force on NATO``."""
    subject = spec.by or "challenger"
    what = {
        "war": f"war ({subject} vs {spec.against})" if spec.against else "war",
        "force": f"{subject} uses force" + (f" on {spec.against}" if spec.against else ""),
        "level": f"hostility level ≥ {spec.at_least}",
        "outcome": (spec.value or "").replace("_", " "),
        "duration": "dispute duration",
        "casualties": "war casualties",
        "max_level": "highest hostility level",
        "share": f"share obtained by {subject}",
        "first_force": f"first step of force by {subject}",
        "hostility": f"hostility level of {spec.by}" if spec.by else "highest hostility level",
    }[spec.kind]
    return what + (f" in {spec.dispute}" if spec.dispute else "")


def reading(spec: Mapping[str, Any] | OutcomeSpec) -> str:
    """What a figure's axis shows of an outcome: ``P(war)`` or ``mean war casualties (unit)``."""
    kind = spec["kind"] if isinstance(spec, Mapping) else spec.kind
    label = spec["label"] if isinstance(spec, Mapping) else spec.label
    if outcome_type(kind) == "binary":
        return f"P({label})"
    return f"mean {label} ({outcome_unit(kind)})"


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


def _combine(values: Sequence[float | None], how: str) -> float | None:
    present = [v for v in values if v is not None and not math.isnan(v)]
    if not present:
        return None
    if how == "mean":
        return sum(present) / len(present)
    combiners: dict[str, Callable[[list[float]], float]] = {"max": max, "min": min, "sum": sum}
    return float(combiners[how](present))


class OutcomeEvaluator:
    """Computes every outcome of one run from its tables, for one scenario."""

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

    def _passes(self, spec: OutcomeSpec, row: Mapping[str, Any]) -> bool:
        """Whether a dispute's row passes the outcome's filters."""
        if spec.dispute is not None and row["dispute"] != spec.dispute:
            return False
        if spec.by is not None and row["challenger"] != spec.by:
            return False
        if spec.against is not None:
            wanted = self._codes(spec.against) | {spec.against}
            if not wanted & self._target_side(row):
                return False
        return True

    def _matches(self, spec: OutcomeSpec, row: Mapping[str, Any]) -> bool:
        if not self._passes(spec, row):
            return False
        if spec.kind == "war":
            return bool(row["war"])
        if spec.kind == "force":
            return int(row["challenger_level"]) >= 4
        if spec.kind == "level":
            if spec.at_least is None:  # the experiment file's check requires it for "level"
                raise ValueError(f"outcome {spec.name!r}: a level outcome needs at_least")
            return int(row["max_level"]) >= spec.at_least
        return row["outcome"] == spec.value

    def _scalar(self, spec: OutcomeSpec, rows, events) -> float | None:
        chosen = [row for row in rows if self._passes(spec, row)]
        if spec.kind in SCALAR_COLUMNS:
            column = SCALAR_COLUMNS[spec.kind][0]
            return _combine([row.get(column) for row in chosen], spec.combine)
        # first_force: the challenger's first action at MID level 4 or more, per dispute
        firsts = []
        for row in chosen:
            steps = [
                event["step"]
                for event in events
                if event.get("dispute") == row["dispute"]
                and event.get("actor") == row["challenger"]
                and (event.get("level") or 0) >= 4
            ]
            firsts.append(min(steps) if steps else None)
        return _combine(firsts, spec.combine)

    def _series(self, spec: OutcomeSpec, steps, horizon: int | None) -> list[float]:
        levels: dict[int, int] = {}
        for row in steps:
            if spec.by is None or row["state"] == spec.by:
                levels[row["step"]] = max(levels.get(row["step"], 0), int(row["posture"]))
        last = max(levels, default=0)
        length = max(last, horizon or 0)
        return [float(levels.get(step, QUIET_LEVEL)) for step in range(1, length + 1)]

    def evaluate(
        self,
        rows: Sequence[Mapping[str, Any]],
        steps: Sequence[Mapping[str, Any]] = (),
        events: Sequence[Mapping[str, Any]] = (),
        horizon: int | None = None,
    ) -> dict[str, Any]:
        """``{outcome name: value}`` of one run: a bool, a number (or None) or a list.

        Args:
            rows: the run's runs-table rows (one per dispute).
            steps: its steps-table rows (for series).
            events: its events-table rows (for ``first_force``).
            horizon: the run's horizon; a series is padded with level 1 to its length.
        """
        values: dict[str, Any] = {}
        for spec in self.specs:
            if spec.type == "binary":
                values[spec.name] = any(self._matches(spec, row) for row in rows)
            elif spec.type == "scalar":
                values[spec.name] = self._scalar(spec, rows, events)
            else:
                values[spec.name] = self._series(spec, steps, horizon)
        return values


__all__ = [
    "OUTCOMES",
    "OUTCOME_KINDS",
    "SCALAR_COLUMNS",
    "OutcomeEvaluator",
    "OutcomeSpec",
    "default_label",
    "outcome_type",
    "reading",
]

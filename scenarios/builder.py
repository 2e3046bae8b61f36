"""Build a checked scenario document into a :class:`~brink.scenarios.spec.Scenario`.

:class:`ScenarioBuilder` runs the section builders of :mod:`brink.scenarios.sections` in order,
reads the timeline into dated events, and checks what crosses sections: ``step`` and ``horizon``
against the parameters, every reference to a declared state, alliance or id, and that each event
comes after what it refers to. A mistake is raised at its ``file:line:column``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brink.errors import did_you_mean
from brink.scenarios import spec
from brink.scenarios.casebook_history import history_spec
from brink.scenarios.document_keys import ACTIONS
from brink.scenarios.key_reader import join_key
from brink.scenarios.located_yaml import located_error
from brink.scenarios.sections import SectionBuilder
from brink.scenarios.slips import check_slips

#: Timeline actions that may stand on day 0: what was said or sent by the start date counts from
#: the first step (a hands-tying statement commits the speaker; troops stand where sent).
AT_THE_START = ("statement", "deploy")


class ScenarioBuilder(SectionBuilder):
    """Turn the checked document into spec dataclasses; check what crosses keys."""

    def check_time(self) -> None:
        """``step`` and ``horizon`` may also be model parameters; they must not disagree."""
        parameters = self.doc.get("parameters", {})
        step_days = parameters.get("step_days")
        if step_days is not None and step_days != self.step_days:
            raise self.fail(
                f"step_days {step_days} contradicts step: {self.doc.get('step', 'day')}; "
                "give the step once, as `step`",
                "parameters.step_days",
            )
        horizon = parameters.get("horizon")
        if horizon is not None and self.horizon is not None and horizon != self.horizon:
            raise self.fail(
                f"horizon {horizon} contradicts the scenario's horizon {self.horizon}; "
                "give it once",
                "parameters.horizon",
            )
        if self.horizon is None:
            self.horizon = horizon

    def build(self) -> spec.Scenario:
        doc = self.doc
        self.check_time()
        states = self.states()
        alliances = self.alliances(states)
        self.members = {id_: {m.state for m in a.members} for id_, a in alliances.items()}
        overlap = set(states) & set(alliances)
        if overlap:
            code = sorted(overlap)[0]
            raise self.fail(f"'{code}' names both a state and an alliance", f"alliances.{code}")
        deployments = [
            self.deployment(id_, record, f"deployments.{id_}")
            for id_, record in doc.get("deployments", {}).items()
        ]
        demands = [
            self.demand(id_, record, f"demands.{id_}", self.when(record, f"demands.{id_}"))
            for id_, record in doc.get("demands", {}).items()
        ]
        sanctions = [
            self.sanction(id_, record, f"sanctions.{id_}", self.when(record, f"sanctions.{id_}"))
            for id_, record in doc.get("sanctions", {}).items()
        ]
        aid = [
            self.aid(id_, record, f"aid.{id_}", self.when(record, f"aid.{id_}"))
            for id_, record in doc.get("aid", {}).items()
        ]
        bases = self.bases(states)
        territories = self.territories(states)
        dated_events = self.timeline(demands, sanctions)
        self.check_refs(states, alliances, territories)
        self.check_events(dated_events, demands, alliances)
        forces = [(d.owner, d.troops, f"deployments.{d.id}") for d in deployments]
        forces += [
            (e.actor, e.troops, p)
            for e, p in dated_events
            if e.kind == "deploy" and e.actor is not None and e.troops is not None
        ]
        check_slips(self.fail, doc, states, forces, self.start.year)
        return spec.Scenario(
            name=doc.get("name", self.name),
            description=doc["description"].strip(),
            start_date=self.start.isoformat(),
            states=states,
            alliances=alliances,
            demands=tuple(demands),
            sanctions=tuple(sanctions),
            deployments=tuple(deployments),
            aid=tuple(aid),
            bases=tuple(bases),
            territories=territories,
            perceptions=tuple(self.perceptions()),
            events=tuple(event for event, _ in dated_events),
            arms_races=tuple(self.arms_races()),
            parameters=dict(doc.get("parameters", {})),
            sources=tuple(doc.get("sources", ())),
            step=doc.get("step", "day"),
            horizon=doc.get("horizon"),
            path=self.reader.file,
            history=history_spec(self.doc["history"], self.fail) if "history" in doc else None,
            rules=self.rules(states),
        )

    def rules(self, states: Mapping[str, spec.StateSpec]) -> tuple[spec.RuleSpec, ...]:
        """The ``rules:`` block: a file path is read beside the scenario file."""
        from pathlib import Path

        from brink.scenarios.rule_specs import parse_rule

        base = Path(self.reader.file).resolve().parent if self.reader.file else None
        result = []
        for code, text in self.doc.get("rules", {}).items():
            path = join_key("rules", code)
            if code != spec.EVERY_STATE and code not in states:
                raise self.fail(
                    f"'{code}' is not a state of this scenario{did_you_mean(code, states)}",
                    path,
                )
            result.append(parse_rule(text, self.reader.where(path), base, state=code))
        return tuple(result)

    # -- timeline --

    def timeline(
        self, demands: list[spec.DemandSpec], sanctions: list[spec.SanctionSpec]
    ) -> list[tuple[spec.Event, str]]:
        """The timeline's events in day order, each with its key path; demands and sanctions
        made on a day join ``demands`` and ``sanctions``."""
        dated = []
        for index, entry in enumerate(self.doc.get("timeline", [])):
            path = f"timeline[{index}]"
            day = self.when(entry, path)
            if day < 1 and not any(action in entry for action in AT_THE_START):
                raise self.fail(
                    f"this is day {day}, the start or before; only a statement or a deployment "
                    "may stand on day 0, other entries happen on day 1 or later (what stands at "
                    "the start belongs under deployments, demands or sanctions)",
                    join_key(path, "date" if "date" in entry else "day"),
                )
            dated.append((day, index, entry, path))
        dated.sort(key=lambda item: (item[0], item[1]))
        events = []
        for day, _, entry, path in dated:
            action = next(name for name in ACTIONS if name in entry)
            value = entry[action]
            action_path = join_key(path, action)
            if action == "demand":
                demands.append(self.demand(value["id"], value, action_path, day))
            elif action == "threaten" or (action == "impose" and isinstance(value, dict)):
                sanctions.append(self.sanction(value["id"], value, action_path, day))
            else:
                events.append((self.event(action, value, day, action_path), action_path))
        return events

    def event(self, action: str, value: Any, day: int, path: str) -> spec.Event:
        if not spec.is_event_kind(action):  # the document's checks allow only these here
            raise self.fail(f"'{action}' is not an entry of the timeline", path)
        if action in ("withdraw", "impose", "lift"):
            return spec.Event(day=day, kind=action, ref=value)
        if action == "deploy":
            if "id" in value:
                self.declare("deployment", value["id"], day, path)
            return spec.Event(
                day=day,
                kind="deploy",
                actor=value["owner"],
                target=value["host"],
                ref=value.get("id"),
                troops=value["troops"],
                near=value.get("near"),
                text=value.get("text", ""),
            )
        if action in ("join_alliance", "leave_alliance"):
            return spec.Event(day=day, kind=action, actor=value["state"], ref=value["alliance"])
        if action == "talks":
            between = value.get("between", [None, None])
            return spec.Event(
                day=day,
                kind="talks",
                actor=between[0],
                target=between[1],
                dispute=value["dispute"],
                text=value.get("text", ""),
            )
        return spec.Event(
            day=day,
            kind=action,
            actor=value["by"],
            dispute=value.get("dispute"),
            share=value.get("share"),
            ties_hands=value.get("ties_hands", False),
            text=value.get("text", ""),
        )

    # -- checks across keys --

    def check_refs(
        self,
        states: Mapping[str, Any],
        alliances: Mapping[str, Any],
        territories: Mapping[str, Any] | None = None,
    ) -> None:
        names = {
            "state": set(states),
            "alliance": set(alliances),
            "party": set(states) | set(alliances),
            "theatre": set(states) | set(territories or ()),
            **{kind: set(ids) for kind, ids in self.declared.items()},
        }
        words = {
            "party": "state or alliance",
            "dispute": "demand",
            "theatre": "state or territory",
        }
        for ref in self.reader.refs:
            if ref.name not in names[ref.kind]:
                word = words.get(ref.kind, ref.kind)
                raise located_error(
                    f"'{ref.name}' is not a declared {word}"
                    f"{did_you_mean(ref.name, names[ref.kind])}",
                    ref.location,
                )

    def check_events(
        self,
        events: list[tuple[spec.Event, str]],
        demands: list[spec.DemandSpec],
        alliances: Mapping[str, spec.AllianceSpec],
    ) -> None:
        disputes = {d.id: d for d in demands}
        start_year = self.start.year
        members = {
            id_: {m.state for m in a.members if m.joined <= start_year and m.left is None}
            for id_, a in alliances.items()
        }
        for event, path in events:
            kinds = {"withdraw": "deployment", "impose": "sanction", "lift": "sanction"}
            if event.kind in kinds and event.ref is not None:
                since = self.declared[kinds[event.kind]][event.ref]
                if since > event.day:
                    raise self.fail(
                        f"'{event.ref}' is only declared on day {since}, after this day "
                        f"{event.day}",
                        path,
                    )
            if event.dispute is not None:
                dispute = disputes[event.dispute]
                if dispute.day > event.day:
                    raise self.fail(
                        f"demand '{event.dispute}' is only made on day {dispute.day}, after "
                        f"this day {event.day}",
                        f"{path}.dispute",
                    )
                if event.kind == "offer":
                    parties = {dispute.by, dispute.on} | members.get(dispute.on, set())
                    if event.actor not in parties:
                        raise self.fail(
                            f"'{event.actor}' is not a party to '{event.dispute}' "
                            f"({dispute.by} against {dispute.on})",
                            f"{path}.by",
                        )
            state, alliance = event.actor, event.ref
            if event.kind == "join_alliance" and state is not None and alliance is not None:
                if state in members[alliance]:
                    raise self.fail(f"'{state}' is already a member of {alliance}", f"{path}.state")
                members[alliance].add(state)
            if event.kind == "leave_alliance" and state is not None and alliance is not None:
                if state not in members[alliance]:
                    raise self.fail(f"'{state}' is not a member of {alliance}", f"{path}.state")
                members[alliance].discard(state)

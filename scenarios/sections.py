"""Build each section of a checked scenario document into its spec dataclasses.

:class:`SectionBuilder` holds what every section needs (the document, its reader for located
errors, the day of a date) and one builder per section: states and their resolve, alliances,
deployments, aid, demands, sanctions, perceptions and arms races. Each checks what its own
section's keys must agree on (a state does not aid itself, a uniform resolve needs low below
high) and raises at the key's ``file:line:column``. :class:`brink.scenarios.builder.ScenarioBuilder`
adds the timeline and the checks across sections.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from yaml import Node

from brink.errors import BrinkInputError
from brink.scenarios import spec
from brink.scenarios.key_reader import KeyReader, join_key


class SectionBuilder:
    """Turn the checked document's sections into spec dataclasses; check each section."""

    def __init__(self, reader: KeyReader, doc: dict[str, Any], root: Node, name: str):
        self.reader = reader
        self.doc = doc
        self.root = root
        self.name = name
        self.start: dt.date = doc["start"]
        self.step_days = 7 if doc.get("step") == "week" else 1
        self.horizon: int | None = doc.get("horizon")
        self.members: dict[str, set[str]] = {}  # alliance id -> every state ever a member
        # ids declared anywhere, by kind, with the day they exist from
        self.declared: dict[str, dict[str, int]] = {
            "deployment": {},
            "sanction": {},
            "dispute": {},
        }

    def fail(self, message: str, path: str) -> BrinkInputError:
        return self.reader.fail(message, path)

    def day(self, when: int | dt.date, path: str) -> int:
        """A day number from a day or a date: day n is ``start + n`` steps (dates round up)."""
        if isinstance(when, dt.date):
            days = (when - self.start).days
            day = 0 if days <= 0 else -(-days // self.step_days)
        else:
            day = when
        if self.horizon is not None and day > self.horizon:
            raise self.fail(
                f"day {day} is after the horizon ({self.horizon} steps from {self.start})", path
            )
        return day

    def when(self, record: dict[str, Any], path: str) -> int:
        if "day" in record:
            return self.day(record["day"], join_key(path, "day"))
        if "date" in record:
            return self.day(record["date"], join_key(path, "date"))
        return 0

    # -- states and alliances --

    def states(self) -> dict[str, spec.StateSpec]:
        capabilities = self.doc.get("capabilities")
        if capabilities:
            # the data are read only when a scenario asks for them
            from brink.scenarios.datasets import nmc_number, nmc_record
        states = {}
        for code, record in self.doc["states"].items():
            path = f"states.{code}"
            filled = dict(record)
            if capabilities and "cow" in record:
                year = capabilities["year"]
                row = nmc_record(record["cow"], year, self.reader.where(join_key(path, "cow")))
                for key, column in (("capability", "cinc"), ("troops", "milper")):
                    if key not in filled:
                        if math.isnan(nmc_number(row, column)):
                            raise self.fail(
                                f"NMC has no {column} for COW {record['cow']} in {year}; "
                                f"give {key}",
                                path,
                            )
                        filled[key] = nmc_number(row, column)
            for key in ("capability", "troops"):
                if key not in filled:
                    raise self.fail(
                        f"missing key '{key}': give it, or a `cow` code with a top-level "
                        "`capabilities: {source: cow-nmc, year: ...}`",
                        path,
                    )
            extra: dict[str, Any] = {}  # the keys a record may leave out
            if "resolve" in record:
                extra["resolve"] = self.resolve(record["resolve"], join_key(path, "resolve"))
            for key in ("risk_tolerance", "committable", "reserves", "capability_trend"):
                if key in record:
                    extra[key] = record[key]
            if "interests" in record:
                for partner in record["interests"]:
                    if partner == code:
                        raise self.fail(
                            "a state's interests are in other states", f"{path}.interests"
                        )
                extra["interests"] = dict(record["interests"])
            if "trade" in record:
                for partner in record["trade"]:
                    if partner == code:
                        raise self.fail("a state does not trade with itself", f"{path}.trade")
                extra["trade"] = dict(record["trade"])
            latitude, longitude = record["capital"]
            states[code] = spec.StateSpec(
                code=code,
                name=record["name"],
                ccode=record.get("cow"),
                regime=record["regime"],
                nuclear=record.get("nuclear", False),
                capability=filled["capability"],
                troops=filled["troops"],
                capital=(float(latitude), float(longitude)),
                **extra,
            )
        return states

    def resolve(self, record: dict[str, Any], path: str) -> spec.ResolveSpec:
        if "fixed" in record:
            return spec.ResolveSpec(mean=record["fixed"], spread=0.0, distribution="fixed")
        if "low" in record or "high" in record:
            for key in ("low", "high"):
                if key not in record:
                    raise self.fail(f"missing key '{key}' of a uniform resolve", path)
            if record["low"] >= record["high"]:
                raise self.fail(
                    f"low {record['low']:g} is not below high {record['high']:g}",
                    join_key(path, "low"),
                )
            low, high = record["low"], record["high"]
            return spec.ResolveSpec(
                mean=(low + high) / 2,
                spread=(high - low) / math.sqrt(12),  # standard deviation of a uniform
                distribution="uniform",
                low=low,
                high=high,
            )
        default = spec.ResolveSpec()
        mean = record.get("mean", default.mean)
        spread = record.get("spread", default.spread)
        # A Beta with mean m has variance below m(1 − m) (Johnson, Kotz & Balakrishnan 1995).
        if spread**2 >= mean * (1 - mean):
            key = "spread" if "spread" in record else "mean"
            limit = math.sqrt(mean * (1 - mean))
            raise self.fail(
                f"spread {spread:g} is too wide for mean {mean:g}: a Beta needs spread below "
                f"√(mean·(1 − mean)) = {limit:.3g}",
                join_key(path, key),
            )
        return spec.ResolveSpec(mean=mean, spread=spread)

    def alliances(self, states: Mapping[str, spec.StateSpec]) -> dict[str, spec.AllianceSpec]:
        alliances = {}
        for id_, record in self.doc.get("alliances", {}).items():
            path = f"alliances.{id_}"
            members = []
            for code, entry in record["members"].items():
                member_path = f"{path}.members.{code}"
                if isinstance(entry, dict):
                    joined, left = entry["joined"], entry.get("left")
                    if left is not None and left < joined:
                        raise self.fail(
                            f"left {left} is before joined {joined}", f"{member_path}.left"
                        )
                else:
                    joined, left = entry, None
                members.append(spec.Membership(state=code, joined=joined, left=left))
            leader = record.get("leader")
            if leader is not None and leader not in record["members"]:
                raise self.fail(f"leader '{leader}' is not a member", f"{path}.leader")
            alliances[id_] = spec.AllianceSpec(
                id=id_,
                name=record["name"],
                kind=record["kind"],
                members=tuple(members),
                reliability=record.get("reliability"),
                leader=leader,
            )
        return alliances

    # -- deployments, demands, sanctions --

    def deployment(
        self, id_: str, record: dict[str, Any], path: str, start: int | None = None
    ) -> spec.DeploymentSpec:
        if start is None:
            start = self.day(record["arrives"], f"{path}.arrives") if "arrives" in record else 0
        end = self.day(record["leaves"], f"{path}.leaves") if "leaves" in record else None
        if end is not None and end <= start:
            raise self.fail(f"leaves on day {end}, not after it arrives (day {start})", path)
        self.declare("deployment", id_, start, path)
        return spec.DeploymentSpec(
            id=id_,
            owner=record["owner"],
            host=record["host"],
            troops=record["troops"],
            near=record.get("near"),
            start=start,
            end=end,
        )

    def aid(self, id_: str, record: dict[str, Any], path: str, start: int) -> spec.AidSpec:
        end = self.day(record["until"], f"{path}.until") if "until" in record else None
        if end is not None and end <= start:
            raise self.fail(f"stops on day {end}, not after it starts (day {start})", path)
        if record["by"] == record["to"]:
            raise self.fail("a state does not aid itself", f"{path}.to")
        return spec.AidSpec(
            id=id_,
            donor=record["by"],
            recipient=record["to"],
            level=record["level"],
            day=start,
            end=end,
        )

    # -- bases and territories (docs/war.md §1, §2) --

    def bases(self, states: Mapping[str, spec.StateSpec]) -> list[spec.BaseSpec]:
        result = []
        for id_, record in self.doc.get("bases", {}).items():
            path = f"bases.{id_}"
            if "at" not in record and "host" not in record:
                raise self.fail("give `at` ([latitude, longitude]), `host` or both", path)
            at = None
            if "at" in record:
                at = self.point(record["at"], f"{path}.at")
            if record["troops"] > states[record["owner"]].troops:
                raise self.fail(
                    f"{record['troops']:g} thousand is more than {record['owner']}'s troops "
                    f"({states[record['owner']].troops:g} thousand)",
                    f"{path}.troops",
                )
            result.append(
                spec.BaseSpec(
                    id=id_,
                    owner=record["owner"],
                    troops=record["troops"],
                    kind=record.get("kind", "base"),
                    at=at,
                    host=record.get("host"),
                )
            )
        return result

    def territories(self, states: Mapping[str, spec.StateSpec]) -> dict[str, spec.TerritorySpec]:
        result = {}
        for id_, record in self.doc.get("territories", {}).items():
            path = f"territories.{id_}"
            if id_ in states:
                raise self.fail(f"'{id_}' names both a state and a territory", path)
            box = outline = None
            if "box" in record:
                south, west, north, east = (float(v) for v in record["box"])
                if south >= north or not -90 <= south < north <= 90:
                    raise self.fail(
                        f"south {south:g} must be below north {north:g}, both within −90–90",
                        f"{path}.box",
                    )
                box = (south, west, north, east)
            if "outline" in record:
                outline = tuple(
                    self.point(corner, f"{path}.outline[{i}]")
                    for i, corner in enumerate(record["outline"])
                )
            if "at" in record:
                at = self.point(record["at"], f"{path}.at")
            elif box is not None:
                at = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            elif outline is not None:
                at = (
                    sum(p[0] for p in outline) / len(outline),
                    sum(p[1] for p in outline) / len(outline),
                )
            else:
                raise self.fail("give `at`, `box` or `outline`: where the territory is", path)
            claimed = tuple(record.get("claimed_by", ()))
            if record["held_by"] in claimed:
                raise self.fail(
                    f"'{record['held_by']}' holds it; a claim is another state's",
                    f"{path}.claimed_by",
                )
            result[id_] = spec.TerritorySpec(
                id=id_,
                name=record["name"],
                held_by=record["held_by"],
                claimed_by=claimed,
                at=at,
                box=box,
                outline=outline or (),
                size=record.get("size"),
                garrison=record.get("garrison", 0.0),
            )
        return result

    def point(self, pair, path: str) -> tuple[float, float]:
        latitude, longitude = (float(v) for v in pair)
        if not -90 <= latitude <= 90:
            raise self.fail(f"latitude {latitude:g} is outside −90–90", path)
        return latitude, longitude

    def declare(self, kind: str, id_: str, day: int, path: str) -> None:
        if id_ in self.declared[kind]:
            raise self.fail(f"{kind} '{id_}' is declared twice", path)
        self.declared[kind][id_] = day

    def demand(self, id_: str, record: dict[str, Any], path: str, day: int) -> spec.DemandSpec:
        stakes = record.get("stakes", {})
        extra = {}
        if "stakes" in record:
            extra = {f"stakes_{side}": value for side, value in stakes.items()}
        if "deadline" in record:
            deadline = self.day(record["deadline"], f"{path}.deadline")
            if deadline < max(day, 1):
                raise self.fail(
                    f"the deadline (day {deadline}) is before the demand is made "
                    f"(day {day}) or the first step",
                    f"{path}.deadline",
                )
            extra["deadline"] = deadline
        for key in ("public", "theatre", "rivalry"):
            if key in record:
                extra[key] = record[key]
        if "information" in record:
            extra["ultimatum"] = spec.UltimatumSpec(information=record["information"])
        if "level" in record:
            extra["initial_level"] = record["level"]
        if record["by"] == record["on"]:
            raise self.fail("a state cannot make a demand on itself", f"{path}.on")
        if record["by"] in self.members.get(record["on"], ()):
            raise self.fail(
                f"'{record['by']}' is a member of {record['on']}, the alliance it makes a "
                "demand on",
                f"{path}.on",
            )
        self.declare("dispute", id_, day, path)
        return spec.DemandSpec(
            id=id_,
            by=record["by"],
            on=record["on"],
            issue=record["issue"].strip(),
            size=record["size"],
            day=day,
            **extra,
        )

    def sanction(self, id_: str, record: dict[str, Any], path: str, day: int) -> spec.SanctionSpec:
        if record["target"] in record["senders"]:
            raise self.fail(f"'{record['target']}' cannot sanction itself", f"{path}.senders")
        if len(set(record["senders"])) != len(record["senders"]):
            raise self.fail("a sender is listed twice", f"{path}.senders")
        trigger = record.get("if", {})
        if trigger and trigger["actor"] == trigger["uses_force_against"]:
            raise self.fail("a state cannot use force against itself", f"{path}.if")
        self.declare("sanction", id_, day, path)
        return spec.SanctionSpec(
            id=id_,
            senders=tuple(record["senders"]),
            target=record["target"],
            severity=record["severity"],
            trigger_actor=trigger.get("actor"),
            trigger_against=trigger.get("uses_force_against"),
            day=day,
        )

    # -- perceptions and arms races --

    def perceptions(self) -> list[spec.PerceptionSpec]:
        result = []
        seen = set()
        for index, record in enumerate(self.doc.get("perceptions", [])):
            path = f"perceptions[{index}]"
            pair = (record["observer"], record["subject"])
            if pair[0] == pair[1]:
                raise self.fail("a state's belief about itself is its resolve", path)
            if pair in seen:
                raise self.fail(f"{pair[0]}'s prior over {pair[1]} is given twice", path)
            seen.add(pair)
            if "alpha" in record or "beta" in record:
                for key in ("alpha", "beta"):
                    if key not in record:
                        raise self.fail(f"missing key '{key}' (give alpha and beta)", path)
                alpha, beta = record["alpha"], record["beta"]
            else:
                for key in ("mean", "strength"):
                    if key not in record:
                        raise self.fail(f"missing key '{key}' (give mean and strength)", path)
                if record["mean"] >= 1:
                    raise self.fail("mean must be below 1 for a Beta prior", f"{path}.mean")
                alpha = record["mean"] * record["strength"]
                beta = (1 - record["mean"]) * record["strength"]
            result.append(spec.PerceptionSpec(*pair, alpha=alpha, beta=beta))
        return result

    def arms_races(self) -> list[spec.ArmsRaceSpec]:
        result = []
        for index, record in enumerate(self.doc.get("arms_races", [])):
            rivals = tuple(record["rivals"])
            if rivals[0] == rivals[1]:
                raise self.fail("a state does not race itself", f"arms_races[{index}].rivals")
            result.append(
                spec.ArmsRaceSpec(
                    rivals=rivals,
                    reaction=tuple(record["reaction"]),
                    fatigue=tuple(record["fatigue"]),
                    grievance=tuple(record["grievance"]),
                )
            )
        return result

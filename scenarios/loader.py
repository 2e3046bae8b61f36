"""Read a scenario file into a :class:`~brink.scenarios.spec.Scenario`, or fail on one line.

The file is YAML, read to nodes by the bounded, located reader of
:mod:`brink.scenarios.located_yaml` (size, nesting depth and node count bounded before anything
is constructed, every value keeping its line and column). Every value is then checked against
the key table of :mod:`brink.scenarios.keys`; every mistake raises a
:class:`~brink.errors.BrinkInputError` naming ``file:line:column``, the dotted key, the value
and what is allowed (docs/style.md, Errors).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.scenarios import keys as K
from brink.scenarios import spec
from brink.scenarios.casebook_history import history_spec
from brink.scenarios.located_yaml import (
    YAML_TAG,
    compose_bounded,
    located_error,
    mark_location,
    read_bounded,
)
from brink.sim.params import PARAMETERS, coerce_parameter

SCENARIO_DIR = Path(__file__).resolve().parent
_SIMPLE_NAME = re.compile(r"[\w-]+")
_WORDS = {ScalarNode: "a single value", SequenceNode: "a list", MappingNode: "a mapping"}


# -- finding files ---------------------------------------------------------------------------


#: A plain scalar that YAML 1.2 reads as a number (exponents without a dot included).
YAML12_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def bundled_scenarios() -> dict[str, Path]:
    """The scenarios that ship with Brink, by name (``black_sea_2022``,
    ``classics/fearon_ultimatum``)."""
    found = {}
    for path in sorted(SCENARIO_DIR.rglob("*.yaml")):
        name = path.relative_to(SCENARIO_DIR).with_suffix("").as_posix()
        found[name] = path
    return found


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file's path from a path, or from the name of a bundled scenario.

    Raises:
        BrinkInputError: if it is neither an existing file nor a bundled scenario's name.
    """
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = bundled_scenarios()
    name = str(name_or_path).removesuffix(".yaml")
    if name in bundled:
        return bundled[name]
    raise located_error(
        f"no scenario file or bundled scenario '{name_or_path}'{did_you_mean(name, bundled)}",
        Location(file=str(name_or_path)),
    )


def load_scenario(path_or_name: str | Path) -> spec.Scenario:
    """Load and check a scenario file, given its path or a bundled scenario's name.

    Raises:
        BrinkInputError: for any mistake in the file, located ``file:line:column``.
    """
    path = resolve_scenario_path(path_or_name)
    data = read_bounded(path, "a scenario")
    name = _bundled_name(path) or path.stem
    return load_scenario_text(data, file=str(path), name=name)


def _bundled_name(path: Path) -> str | None:
    try:
        relative = path.resolve().relative_to(SCENARIO_DIR)
    except ValueError:
        return None
    return relative.with_suffix("").as_posix()


def load_scenario_text(
    text: str | bytes, file: str = "<scenario>", name: str | None = None
) -> spec.Scenario:
    """Load a scenario from its text; ``file`` is the name used in error locations.

    Raises:
        BrinkInputError: for any mistake, located ``file:line:column``.
    """
    root = compose_bounded(text, file)
    if root is None:
        raise located_error(
            "the file is empty; a scenario needs at least description, start and states",
            Location(file=file, line=1, column=1),
        )
    reader = _Reader(file)
    document = reader.read(root, K.SCENARIO, "")
    return _Builder(reader, document, root, name or Path(file).stem).build()


# -- nodes to checked values -----------------------------------------------------------------


def _join(path: str, name: str) -> str:
    if not _SIMPLE_NAME.fullmatch(name):
        name = json.dumps(name, ensure_ascii=False)  # quoted, control characters escaped
    return f"{path}.{name}" if path else name


@dataclass(frozen=True)
class _Ref:
    kind: str
    name: str
    location: Location


class _Reader:
    """Check nodes against the key table; remember where every value stood."""

    def __init__(self, file: str):
        self.file = file
        self.nodes: dict[str, Node] = {}  # dotted path -> its value's node
        self.key_nodes: dict[str, Node] = {}  # dotted path -> its key's node
        self.refs: list[_Ref] = []
        self._constructor = yaml.SafeLoader("")

    def where(self, path: str, at_key: bool = False) -> Location:
        node = self.key_nodes[path] if at_key else self.nodes[path]
        return mark_location(self.file, node.start_mark, path)

    def fail(self, message: str, path: str, at_key: bool = False) -> BrinkInputError:
        return located_error(message, self.where(path, at_key))

    def read(self, node: Node, kind: Any, path: str) -> Any:
        if isinstance(node, ScalarNode) and node.tag == YAML_TAG + "null":
            if isinstance(kind, K.Nullable):
                self.nodes[path] = node
                return None
            self.nodes.setdefault(path, node)  # point at the key, if it has one
            raise self.fail(f"no value given (expected {_expected(kind)})", path)
        self.nodes[path] = node
        reader = getattr(self, "_read_" + type(kind).__name__.lower())
        return reader(node, kind, path)

    def _expect(self, node: Node, node_type: type, kind: Any, path: str) -> None:
        if not isinstance(node, node_type):
            raise self.fail(
                f"got {_WORDS[type(node)]}{_show(node)}, expected {_expected(kind)}", path
            )

    def _scalar(self, node: ScalarNode, path: str) -> Any:
        try:
            return self._constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError) as error:
            message = str(error).splitlines()[0]
            if "digits" in message:
                message = "too many digits"
            raise self.fail(f"cannot read {node.value[:40]!r}: {message[:80]}", path) from None

    def _pairs(self, node: MappingNode, path: str) -> list[tuple[str, str, Node]]:
        """(name, path, value node) for each pair, rejecting duplicate and non-text keys."""
        seen: dict[str, Node] = {}
        pairs = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise located_error(
                    f"a key must be a name, got {_WORDS[type(key_node)]}",
                    mark_location(self.file, key_node.start_mark, path),
                )
            name = key_node.value
            key_path = _join(path, name)
            if name in seen:
                first = seen[name].start_mark.line + 1
                raise located_error(
                    f"duplicate key '{name}' (first given on line {first})",
                    mark_location(self.file, key_node.start_mark, key_path),
                )
            seen[name] = key_node
            self.nodes[key_path] = self.key_nodes[key_path] = key_node
            pairs.append((name, key_path, value_node))
        return pairs

    def _read_record(self, node: Node, kind: K.Record, path: str) -> dict[str, Any]:
        self._expect(node, MappingNode, kind, path)
        result: dict[str, Any] = {}
        for name, key_path, value_node in self._pairs(node, path):
            if name not in kind.names:
                raise self.fail(f"unknown key '{name}'{did_you_mean(name, kind.names)}", key_path)
            result[name] = self.read(value_node, kind.key(name).kind, key_path)
        for key in kind.keys:
            if key.required and key.name not in result:
                raise self.fail(f"missing key '{key.name}' ({key.doc})", path)
        self._check_groups(kind, result, path)
        return result

    def _check_groups(self, kind: K.Record, result: dict[str, Any], path: str) -> None:
        """Exclusive groups and one-of keys, blaming the key that comes later in the file."""
        group_of = {k: group for group in kind.exclusive for k in group}
        options = " or ".join("/".join(group) for group in kind.exclusive)
        first = None
        for key in (k for k in result if k in group_of):
            if first is None:
                first = key
            elif group_of[key] is not group_of[first]:
                raise self.fail(
                    f"'{key}' cannot be given with '{first}' (give {options})",
                    _join(path, key),
                    at_key=True,
                )
        if kind.require_one and first is None:
            raise self.fail(f"needs {options}", path)
        chosen = [k for k in result if k in kind.choose_one]
        if kind.choose_one and len(chosen) != 1:
            if chosen:
                raise self.fail(
                    f"'{chosen[1]}' cannot be given with '{chosen[0]}': one action per entry",
                    _join(path, chosen[1]),
                    at_key=True,
                )
            raise self.fail(f"needs one of: {', '.join(kind.choose_one)}", path)

    def _read_table(self, node: Node, kind: K.Table, path: str) -> dict[str, Any]:
        self._expect(node, MappingNode, kind, path)
        result = {}
        for name, key_path, value_node in self._pairs(node, path):
            self._check_text(name, kind.key, key_path)
            result[name] = self.read(value_node, kind.value, key_path)
        if len(result) < kind.min_items:
            raise self.fail(f"needs at least {kind.min_items} entries", path)
        return result

    def _read_listof(self, node: Node, kind: K.ListOf, path: str) -> list[Any]:
        self._expect(node, SequenceNode, kind, path)
        items = [self.read(item, kind.item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if len(items) < kind.min_items or (
            kind.max_items is not None and len(items) > kind.max_items
        ):
            raise self.fail(
                f"has {len(items)} items, expected {_count(kind.min_items, kind.max_items)}",
                path,
            )
        return items

    def _read_nullable(self, node: Node, kind: K.Nullable, path: str) -> Any:
        return self.read(node, kind.kind, path)

    def _read_either(self, node: Node, kind: K.Either, path: str) -> Any:
        if isinstance(node, ScalarNode):
            return self.read(node, kind.scalar, path)
        if isinstance(node, MappingNode):
            return self.read(node, kind.record, path)
        raise self.fail(f"got a list, expected {_expected(kind)}", path)

    def _read_text(self, node: Node, kind: K.Text, path: str) -> str:
        self._expect(node, ScalarNode, kind, path)
        self._check_text(node.value, kind, path)
        return node.value

    def _check_text(self, value: str, kind: K.Text, path: str) -> None:
        if kind.choices and value not in kind.choices:
            raise self.fail(
                f"'{value}' is not one of {', '.join(kind.choices)}"
                f"{did_you_mean(value, kind.choices)}",
                path,
            )
        if kind.pattern and not re.fullmatch(kind.pattern, value):
            raise self.fail(f"'{value}' is not {kind.hint}", path)
        if kind.ref:
            self.refs.append(_Ref(kind.ref, value, self.where(path)))

    def _read_number(self, node: Node, kind: K.Number, path: str) -> float | int:
        self._expect(node, ScalarNode, kind, path)
        value = self._scalar(node, path)
        hint = _range_hint(kind)
        if isinstance(value, str) and node.style is None and YAML12_NUMBER.fullmatch(value):
            # PyYAML follows YAML 1.1, where `1e-3` (no dot) is a string; YAML 1.2 and every
            # reader of a scenario file take it for a number.
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{node.value!r} is not a number ({hint})", path)
        if isinstance(value, int) and abs(value) > 2**63:  # beyond any float's whole numbers
            shown = node.value if len(node.value) <= 24 else node.value[:20] + "…"
            raise self.fail(f"{shown} is far too large ({hint})", path)
        if math.isnan(value):
            raise self.fail(f"{node.value} is not a number ({hint})", path)
        if math.isinf(value):
            raise self.fail(f"{node.value} is not a finite number ({hint})", path)
        if kind.integer:
            if not float(value).is_integer():
                raise self.fail(f"{value:g} is not a whole number ({hint})", path)
            value = int(value)
        else:
            value = float(value)
        if value < kind.low or (kind.open_low and value == kind.low):
            word = "not above" if kind.open_low and value == kind.low else "below"
            raise self.fail(f"{value:g} is {word} {kind.low:g} ({hint})", path)
        if value > kind.high:
            raise self.fail(f"{value:g} is above {kind.high:g} ({hint})", path)
        return value

    def _read_flag(self, node: Node, kind: K.Flag, path: str) -> bool:
        self._expect(node, ScalarNode, kind, path)
        value = self._scalar(node, path)
        if not isinstance(value, bool):
            raise self.fail(f"{node.value!r} is not true or false", path)
        return value

    def _read_date(self, node: Node, kind: K.Date, path: str) -> dt.date:
        self._expect(node, ScalarNode, kind, path)
        value = self._scalar(node, path)
        if isinstance(value, dt.datetime):
            raise self.fail(f"{node.value!r} has a time; give a date, YYYY-MM-DD", path)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value)
        if not isinstance(value, dt.date):
            raise self.fail(f"{node.value!r} is not a date (YYYY-MM-DD)", path)
        return value

    def _read_when(self, node: Node, kind: K.When, path: str) -> int | dt.date:
        self._expect(node, ScalarNode, kind, path)
        if node.tag in (YAML_TAG + "int", YAML_TAG + "float"):
            return self._read_number(node, K.DAY, path)
        return self._read_date(node, K.Date(), path)

    def _read_parameters(self, node: Node, kind: K.Parameters, path: str) -> dict[str, Any]:
        self._expect(node, MappingNode, kind, path)
        result = {}
        for name, key_path, value_node in self._pairs(node, path):
            try:
                if name not in PARAMETERS:  # coerce_parameter names the nearest; at the key
                    coerce_parameter(name, None, self.where(key_path))
                self.nodes[key_path] = value_node
                self._expect(value_node, ScalarNode, kind, key_path)
                value = self._scalar(value_node, key_path)
                if isinstance(value, dt.date):
                    value = value_node.value
                result[name] = coerce_parameter(name, value, self.where(key_path))
            except BrinkInputError as error:
                raise located_error(error.message, error.location) from None
        return result


def _count(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low}"
    return f"exactly {low}" if low == high else f"{low} to {high}"


def _range_hint(kind: K.Number) -> str:
    whole = "a whole number, " if kind.integer else ""
    return f"{kind.unit}, {whole}{kind.low:g}–{kind.high:g}"


def _expected(kind: Any) -> str:
    if isinstance(kind, K.Record):
        return f"a mapping with keys {', '.join(kind.names)}"
    if isinstance(kind, K.Table | K.Parameters):
        return "a mapping"
    if isinstance(kind, K.ListOf):
        return f"a list of {_expected(kind.item)}"
    if isinstance(kind, K.Either):
        return f"{_expected(kind.scalar)} or {_expected(kind.record)}"
    if isinstance(kind, K.Nullable):
        return f"{_expected(kind.kind)} or null"
    if isinstance(kind, K.Number):
        return f"a number ({_range_hint(kind)})"
    if isinstance(kind, K.Text):
        return f"one of {', '.join(kind.choices)}" if kind.choices else kind.hint
    if isinstance(kind, K.Flag):
        return "true or false"
    if isinstance(kind, K.Date):
        return "a date, YYYY-MM-DD"
    return "a day number or a date"


def _show(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return f" {node.value[:40]!r}"
    return ""


# -- checked values to a Scenario ------------------------------------------------------------


class _Builder:
    """Turn the checked document into spec dataclasses; check what crosses keys."""

    def __init__(self, reader: _Reader, doc: dict[str, Any], root: Node, name: str):
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
            return self.day(record["day"], _join(path, "day"))
        if "date" in record:
            return self.day(record["date"], _join(path, "date"))
        return 0

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
        dated_events = self.timeline(demands, sanctions)
        self.check_refs(states, alliances)
        self.check_events(dated_events, demands, alliances)
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
            perceptions=tuple(self.perceptions()),
            events=tuple(event for event, _ in dated_events),
            arms_races=tuple(self.arms_races()),
            parameters=dict(doc.get("parameters", {})),
            sources=tuple(doc.get("sources", ())),
            step=doc.get("step", "day"),
            horizon=doc.get("horizon"),
            path=self.reader.file,
            history=history_spec(self.doc["history"], self.fail) if "history" in doc else None,
        )

    # -- states and alliances --

    def states(self) -> dict[str, spec.StateSpec]:
        capabilities = self.doc.get("capabilities")
        if capabilities:
            # the data are read only when a scenario asks for them
            from brink.scenarios.datasets import nmc_record
        states = {}
        for code, record in self.doc["states"].items():
            path = f"states.{code}"
            filled = dict(record)
            if capabilities and "cow" in record:
                year = capabilities["year"]
                row = nmc_record(record["cow"], year, self.reader.where(_join(path, "cow")))
                for key, column in (("capability", "cinc"), ("troops", "milper")):
                    if key not in filled:
                        if math.isnan(row[column]):
                            raise self.fail(
                                f"NMC has no {column} for COW {record['cow']} in {year}; "
                                f"give {key}",
                                path,
                            )
                        filled[key] = float(row[column])
            for key in ("capability", "troops"):
                if key not in filled:
                    raise self.fail(
                        f"missing key '{key}': give it, or a `cow` code with a top-level "
                        "`capabilities: {source: cow-nmc, year: ...}`",
                        path,
                    )
            extra = {}
            if "resolve" in record:
                extra["resolve"] = self.resolve(record["resolve"], _join(path, "resolve"))
            for key in ("risk_tolerance", "committable", "reserves"):
                if key in record:
                    extra[key] = record[key]
            if "trade" in record:
                for partner in record["trade"]:
                    if partner == code:
                        raise self.fail("a state does not trade with itself", f"{path}.trade")
                extra["trade"] = dict(record["trade"])
            latitude, longitude = record["capital"]
            if not -90 <= latitude <= 90:
                raise self.fail(f"latitude {latitude:g} is outside −90–90", f"{path}.capital")
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
                    _join(path, "low"),
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
                _join(path, key),
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
        for key in ("public", "theatre"):
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
            if day < 1:
                raise self.fail(
                    f"this is day {day}, the start or before; timeline entries happen on day 1 "
                    "or later (what stands at the start belongs under deployments, demands or "
                    "sanctions)",
                    _join(path, "date" if "date" in entry else "day"),
                )
            dated.append((day, index, entry, path))
        dated.sort(key=lambda item: (item[0], item[1]))
        events = []
        for day, _, entry, path in dated:
            action = next(name for name in K.ACTIONS if name in entry)
            value = entry[action]
            action_path = _join(path, action)
            if action == "demand":
                demands.append(self.demand(value["id"], value, action_path, day))
            elif action == "threaten" or (action == "impose" and isinstance(value, dict)):
                sanctions.append(self.sanction(value["id"], value, action_path, day))
            else:
                events.append((self.event(action, value, day, action_path), action_path))
        return events

    def event(self, action: str, value: Any, day: int, path: str) -> spec.Event:
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

    def check_refs(self, states: Mapping[str, Any], alliances: Mapping[str, Any]) -> None:
        names = {
            "state": set(states),
            "alliance": set(alliances),
            "party": set(states) | set(alliances),
            **{kind: set(ids) for kind, ids in self.declared.items()},
        }
        words = {"party": "state or alliance", "dispute": "demand"}
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
            if event.kind in kinds:
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
            if event.kind == "join_alliance":
                if event.actor in members[event.ref]:
                    raise self.fail(
                        f"'{event.actor}' is already a member of {event.ref}", f"{path}.state"
                    )
                members[event.ref].add(event.actor)
            if event.kind == "leave_alliance":
                if event.actor not in members[event.ref]:
                    raise self.fail(
                        f"'{event.actor}' is not a member of {event.ref}", f"{path}.state"
                    )
                members[event.ref].discard(event.actor)

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

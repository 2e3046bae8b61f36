"""Check a scenario's YAML nodes against the key table, value by value.

:class:`KeyReader` walks the node tree composed by :mod:`brink.scenarios.located_yaml` along the
key table of :mod:`brink.scenarios.keys`: each value is checked for its type, range and choices
and turned into a plain Python value, and the node of every value and key is kept under its dotted
path, so a mistake found here or later (by the builders) is raised at its ``file:line:column``
(docs/style.md, Errors). References to states, alliances and ids are collected for the builder
to check once the whole file is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.scenarios import keys as K
from brink.scenarios.located_yaml import YAML_TAG, located_error, mark_location
from brink.sim.params import PARAMETERS, coerce_parameter

_SIMPLE_NAME = re.compile(r"[\w-]+")
_WORDS = {ScalarNode: "a single value", SequenceNode: "a list", MappingNode: "a mapping"}

#: Control characters a text may not hold (a tab and a line break it may).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: A plain scalar that YAML 1.2 reads as a number (exponents without a dot included).
YAML12_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def join_key(path: str, name: str) -> str:
    if not _SIMPLE_NAME.fullmatch(name):
        name = json.dumps(name, ensure_ascii=False)  # quoted, control characters escaped
    return f"{path}.{name}" if path else name


@dataclass(frozen=True)
class _Ref:
    kind: str
    name: str
    location: Location


class KeyReader:
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

    def _expect[N: Node](self, node: Node, node_type: type[N], kind: Any, path: str) -> N:
        """``node`` as a ``node_type``, or a located error saying what was expected."""
        if not isinstance(node, node_type):
            raise self.fail(
                f"got {_WORDS[type(node)]}{_show(node)}, expected {_expected(kind)}", path
            )
        return node

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
            key_path = join_key(path, name)
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
        node = self._expect(node, MappingNode, kind, path)
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
                    join_key(path, key),
                    at_key=True,
                )
        if kind.require_one and first is None:
            raise self.fail(f"needs {options}", path)
        chosen = [k for k in result if k in kind.choose_one]
        if kind.choose_one and len(chosen) != 1:
            if chosen:
                raise self.fail(
                    f"'{chosen[1]}' cannot be given with '{chosen[0]}': one action per entry",
                    join_key(path, chosen[1]),
                    at_key=True,
                )
            raise self.fail(f"needs one of: {', '.join(kind.choose_one)}", path)

    def _read_table(self, node: Node, kind: K.Table, path: str) -> dict[str, Any]:
        node = self._expect(node, MappingNode, kind, path)
        result = {}
        for name, key_path, value_node in self._pairs(node, path):
            self._check_text(name, kind.key, key_path)
            result[name] = self.read(value_node, kind.value, key_path)
        if len(result) < kind.min_items:
            raise self.fail(f"needs at least {kind.min_items} entries", path)
        return result

    def _read_listof(self, node: Node, kind: K.ListOf, path: str) -> list[Any]:
        node = self._expect(node, SequenceNode, kind, path)
        items = [self.read(item, kind.item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if len(items) < kind.min_items or (
            kind.max_items is not None and len(items) > kind.max_items
        ):
            raise self.fail(
                f"has {len(items)} items, expected {_count(kind.min_items, kind.max_items)}",
                path,
            )
        return items

    def _read_positional(self, node: Node, kind: K.Positional, path: str) -> list[Any]:
        node = self._expect(node, SequenceNode, kind, path)
        if len(node.value) != len(kind.items):
            raise self.fail(
                f"has {len(node.value)} items, expected exactly {len(kind.items)} "
                f"([{', '.join(name for name, _ in kind.items)}])",
                path,
            )
        return [
            self.read(item, item_kind, f"{path}[{i}]")
            for i, (item, (_, item_kind)) in enumerate(zip(node.value, kind.items, strict=True))
        ]

    def _read_nullable(self, node: Node, kind: K.Nullable, path: str) -> Any:
        return self.read(node, kind.kind, path)

    def _read_either(self, node: Node, kind: K.Either, path: str) -> Any:
        if isinstance(node, ScalarNode):
            return self.read(node, kind.scalar, path)
        if isinstance(node, MappingNode):
            return self.read(node, kind.record, path)
        raise self.fail(f"got a list, expected {_expected(kind)}", path)

    def _read_text(self, node: Node, kind: K.Text, path: str) -> str:
        node = self._expect(node, ScalarNode, kind, path)
        self._check_text(node.value, kind, path)
        return node.value

    def _check_text(self, value: str, kind: K.Text, path: str) -> None:
        control = CONTROL.search(value)  # "\0" in a double-quoted name was kept as a NUL
        if control:
            raise self.fail(
                f"holds the control character U+{ord(control[0]):04X} (an escape such as "
                "\\0 in quotes); use printable text",
                path,
            )
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
        node = self._expect(node, ScalarNode, kind, path)
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
        node = self._expect(node, ScalarNode, kind, path)
        value = self._scalar(node, path)
        if not isinstance(value, bool):
            raise self.fail(f"{node.value!r} is not true or false", path)
        return value

    def _read_date(self, node: Node, kind: K.Date, path: str) -> dt.date:
        node = self._expect(node, ScalarNode, kind, path)
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
        node = self._expect(node, ScalarNode, kind, path)
        if node.tag in (YAML_TAG + "int", YAML_TAG + "float"):
            return int(self._read_number(node, K.DAY, path))
        return self._read_date(node, K.Date(), path)

    def _read_parameters(self, node: Node, kind: K.Parameters, path: str) -> dict[str, Any]:
        node = self._expect(node, MappingNode, kind, path)
        result = {}
        for name, key_path, value_node in self._pairs(node, path):
            try:
                if name not in PARAMETERS:  # coerce_parameter names the nearest; at the key
                    coerce_parameter(name, None, self.where(key_path))
                self.nodes[key_path] = value_node
                value_node = self._expect(value_node, ScalarNode, kind, key_path)
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
    if isinstance(kind, K.Positional):
        return f"a list [{', '.join(name for name, _ in kind.items)}]"
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

"""The JSON Schema of scenario files, derived from the key table of :mod:`brink.scenarios.keys`.

Editors that speak JSON Schema (VS Code's YAML extension, for one) use it to complete keys and
flag mistakes as the file is typed: point them at the output of ``brink schema``. What a schema
cannot say (references to declared states, a Beta's feasible spread) the loader still checks.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from brink.scenarios import keys as K
from brink.scenarios.document_keys import SCENARIO, records
from brink.sim.params import PARAMETERS

SCHEMA_ID = "https://brink.invalid/scenario.schema.json"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    definitions = {record.name: _record(record) for record in records()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Brink scenario",
        "$ref": f"#/$defs/{SCENARIO.name}",
        "$defs": definitions,
    }


def schema_json() -> str:
    """The schema as indented JSON text, as ``brink schema`` prints it."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def _record(record: K.Record) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": record.doc,
        "properties": {key.name: _key(key) for key in record.keys},
        "additionalProperties": False,
    }
    required = [key.name for key in record.keys if key.required]
    if required:
        schema["required"] = required
    rules: list[dict[str, Any]] = []
    # At most one group of an exclusive set: no key of one group beside a key of another.
    for first, second in itertools.combinations(record.exclusive, 2):
        for a, b in itertools.product(first, second):
            rules.append({"not": {"required": [a, b]}})
    if record.require_one:
        rules.append({"anyOf": [{"required": [k]} for g in record.exclusive for k in g]})
    if record.choose_one:
        rules.append({"oneOf": [{"required": [k]} for k in record.choose_one]})
    if rules:
        schema["allOf"] = rules
    return schema


def _key(key: K.Key) -> dict[str, Any]:
    schema = _kind(key.kind)
    if not isinstance(key.kind, K.Record):
        schema["description"] = key.doc
    if key.default is not None and not isinstance(key.default, str):
        schema["default"] = key.default
    return schema


def _kind(kind: Any) -> dict[str, Any]:
    if isinstance(kind, K.Record):
        return {"$ref": f"#/$defs/{kind.name}"}
    if isinstance(kind, K.Table):
        schema: dict[str, Any] = {
            "type": "object",
            "propertyNames": _kind(kind.key),
            "additionalProperties": _kind(kind.value),
        }
        if kind.min_items:
            schema["minProperties"] = kind.min_items
        return schema
    if isinstance(kind, K.ListOf):
        schema = {"type": "array", "items": _kind(kind.item)}
        if kind.min_items:
            schema["minItems"] = kind.min_items
        if kind.max_items is not None:
            schema["maxItems"] = kind.max_items
        return schema
    if isinstance(kind, K.Positional):
        count = len(kind.items)
        return {
            "type": "array",
            "prefixItems": [_kind(item) for _, item in kind.items],
            "minItems": count,
            "maxItems": count,
        }
    if isinstance(kind, K.Either):
        return {"anyOf": [_kind(kind.scalar), _kind(kind.record)]}
    if isinstance(kind, K.Nullable):
        return {"anyOf": [_kind(kind.kind), {"type": "null"}]}
    if isinstance(kind, K.Number):
        schema = {"type": "integer" if kind.integer else "number"}
        schema["exclusiveMinimum" if kind.open_low else "minimum"] = kind.low
        schema["maximum"] = kind.high
        return schema
    if isinstance(kind, K.Text):
        schema = {"type": "string"}
        if kind.choices:
            schema["enum"] = list(kind.choices)
        if kind.pattern:
            schema["pattern"] = kind.pattern
        return schema
    if isinstance(kind, K.Flag):
        return {"type": "boolean"}
    if isinstance(kind, K.Date):
        return {"type": "string", "pattern": DATE_PATTERN}
    if isinstance(kind, K.When):
        return {"anyOf": [_kind(K.DAY), _kind(K.Date())]}
    if isinstance(kind, K.Parameters):
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: _parameter(spec) for name, spec in PARAMETERS.items()},
        }
    raise TypeError(f"no schema for {kind!r}")


def _parameter(spec: Any) -> dict[str, Any]:
    number = {
        "type": "integer" if spec.integer else "number",
        "minimum": spec.low,
        "maximum": spec.high,
    }
    schema: dict[str, Any] = {"description": f"{spec.meaning} ({spec.unit})"}
    if spec.optional:
        schema["anyOf"] = [number, {"type": "null"}]
    else:
        schema.update(number, default=spec.default)
    return schema

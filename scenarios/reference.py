"""``scenarios/REFERENCE.md``, written from the key table (:mod:`brink.scenarios.keys`).

Regenerate it with ``brink schema --format markdown > scenarios/REFERENCE.md``; a test fails when
the file in the repository differs from what this module writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brink.scenarios import keys as K
from brink.scenarios.document_keys import records
from brink.sim.params import PARAMETERS

REFERENCE_FILE = Path(__file__).resolve().parent / "REFERENCE.md"

INTRODUCTION = """\
# Scenario reference

A scenario file is YAML: plain text, numbers, `true`/`false`, ISO dates, lists and mappings, one
document, at most 2 MB, nested at most 32 levels. Tags, merge keys (`<<`) and duplicate keys are
errors. Every mistake is reported on one line as `file:line:column: key: message`, and a
misspelt key names the nearest valid one. `brink validate FILE...` checks files;
`brink schema` prints the JSON Schema for editors.

Days are counted from `start`: day 0 is the start date, day 1 the first step. Wherever a day is
asked for, a date may be given instead (`date: 2022-01-21` in a timeline entry, a demand or a
sanction; `deadline: 2022-02-20`); it becomes the first step on or after it. With `step: week`
a day number counts weeks.

This file is generated from `scenarios/keys.py` and `scenarios/document_keys.py`; do not edit it
by hand.
"""


def reference_markdown() -> str:
    """The whole reference, every record type of the table in reading order."""
    parts = [INTRODUCTION]
    for record in records():
        parts.append(_record(record))
    parts.append(_parameters())
    return "\n".join(parts)


def _record(record: K.Record) -> str:
    lines = [f"## `{record.name}`", "", record.doc, ""]
    if record.exclusive and record.require_one:
        groups = " or ".join("/".join(f"`{k}`" for k in g) for g in record.exclusive)
        lines += [f"Give {groups}.", ""]
    if record.choose_one:
        lines += [f"Exactly one of: {', '.join(f'`{k}`' for k in record.choose_one)}.", ""]
    lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key in record.keys:
        default = "required" if key.required else _default(key.default)
        lines.append(f"| `{key.name}` | {_type(key.kind)} | {default} | {key.doc} |")
    lines.append("")
    return "\n".join(lines)


def _default(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str) and not value.isidentifier():
        return value
    return f"`{value}`"


def _type(kind: Any) -> str:
    if isinstance(kind, K.Record):
        return f"[`{kind.name}`](#{kind.name.replace('_', '-')})"
    if isinstance(kind, K.Table):
        return f"mapping: {kind.key.hint} → {_type(kind.value)}"
    if isinstance(kind, K.ListOf):
        count = ""
        if kind.max_items is not None and kind.max_items == kind.min_items:
            count = f"{kind.min_items} "
        return f"list of {count}{_type(kind.item)}"
    if isinstance(kind, K.Positional):
        return "list [" + ", ".join(f"{name}: {_type(item)}" for name, item in kind.items) + "]"
    if isinstance(kind, K.Either):
        return f"{_type(kind.scalar)}, or {_type(kind.record)}"
    if isinstance(kind, K.Nullable):
        return f"{_type(kind.kind)}, or `null`"
    if isinstance(kind, K.Number):
        word = "whole number" if kind.integer else "number"
        low = f"{kind.low:g}" + (" (excluded)" if kind.open_low else "")
        return f"{word} {low}–{kind.high:g} ({kind.unit})"
    if isinstance(kind, K.Text):
        if kind.choices:
            return " \\| ".join(f"`{c}`" for c in kind.choices)
        return kind.hint
    if isinstance(kind, K.Flag):
        return "`true` \\| `false`"
    if isinstance(kind, K.Date):
        return "date YYYY-MM-DD"
    if isinstance(kind, K.When):
        return "day number or date"
    if isinstance(kind, K.Parameters):
        return "[parameters](#parameters)"
    raise TypeError(f"no description for {kind!r}")


def _parameters() -> str:
    lines = [
        "## parameters",
        "",
        "Overrides of the model's parameters, by name (`sim/params.py`); "
        "`--set NAME=VALUE` on the command line overrides the file.",
        "",
        "| name | range | default | unit | meaning |",
        "|---|---|---|---|---|",
    ]
    for name, spec in PARAMETERS.items():
        default = "derived" if spec.optional else f"`{spec.default}`"
        lines.append(
            f"| `{name}` | {spec.low:g}–{spec.high:g} | {default} | {spec.unit} | {spec.meaning} |"
        )
    lines.append("")
    return "\n".join(lines)

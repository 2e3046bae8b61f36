"""``scenarios/REFERENCE.md``, written from the key table (:mod:`brink.scenarios.keys`).

Regenerate it with ``brink schema --format markdown > scenarios/REFERENCE.md``; a test fails when
the file in the repository differs from what this module writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brink.scenarios import keys as K
from brink.scenarios.document_keys import records
from brink.scenarios.spec import ResolveSpec
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


JUDGEMENT = """\
## Choosing the judgement keys

`brink new` fills what the data know (capabilities, troops, regime, capital, pacts); the keys
below are the writer's judgement, and they decide results (how much: "How much they matter" in
docs/scenarios.md, measured with a sweep). Anchor each to one of these and say why in a comment.

{anchors}

{scale}Stakes above 1 are for weighing one issue against another in the same scenario;
`level` is the MID hostility both sides held on `start` (2 a threat, 3 a display, 4 a use
of force), and `public: false` is for a demand its maker denied.

What the bundled historical cases use (each file's comments give the sources; read from the
files when this page is written):

{cases}
Why: every case frames the issue as what the challenger demanded in full, so `size` is 1. A side
is at 1.0 where its own territory, survival or standing was at stake by its own words (Munich:
Germany's "unalterable decision" and Czechoslovakia's border; July 1914: Vienna's Joint Council
saw the monarchy's survival at stake, and point 6 touched Serbia's sovereignty; Cuba: the
strategic balance and the credibility of Kennedy's September warnings; Kargil and the Black Sea:
the target's own territory), at 0.8–0.9 where the issue was vital but not the state itself
(Berlin, Crimea, the Soviet side in Cuba), at 0.6–0.7 for a limited gain or a client's cause
(Pakistan at Kargil, both superpowers in October 1973). Resolve is above the default only where
the sources record a decision or a commitment before the start: Germany in 1938 and
Austria-Hungary in 1914 (0.75), Russia's "red line" and Ukraine's war in Donbas since 2014 in
2022 (0.65, 0.7).
"""


#: (key, what 0.2, 0.5 and 1.0 mean) for the anchor table; resolve's high anchor is 0.8.
ANCHORS = (
    (
        "`stakes.challenger`, `stakes.target` (issue units; default 1)",
        "a side issue: a few islands, a gesture, a client's cause it can drop",
        "a real interest, worth a fight but not the regime: a border province, a base abroad",
        "the top of the ordinary scale: its own territory, its survival or its standing as a power",
    ),
    (
        "`size` (share of the issue; required)",
        "a token share: part of a border, a symbolic concession",
        "half: a partition, a share of rights",
        "all of it: withdrawal, the whole territory, an ultimatum's full terms",
    ),
    (
        "`resolve.mean` (default 0.5)",
        "would rather give way than run much risk",
        "nothing known either way: the default",
        "(0.8) a decision for war already taken, or a cause it has fought for; 1 only with `fixed`",
    ),
    (
        "`risk_tolerance` (default 0.5)",
        "risk-averse",
        "neutral",
        "risk-acceptant: it ran great risks before the start",
    ),
    (
        "`perceptions[].strength`",
        "(2–4) a vague prior, moved by the first signals",
        "(6–10) a judgement formed over years",
        "(20 or more) a settled view few events shift",
    ),
)


def reference_markdown() -> str:
    """The whole reference, every record type of the table in reading order."""
    parts = [INTRODUCTION]
    for record in records():
        parts.append(_record(record))
    parts.append(_judgement())
    parts.append(_parameters())
    return "\n".join(parts)


def _judgement() -> str:
    """The anchors of the judgement keys, with the bundled historical cases' values."""
    scale = ""
    if "war_cost_scale" in PARAMETERS and "audience_cost_democracy" in PARAMETERS:
        cost = PARAMETERS["war_cost_scale"].default
        audience = PARAMETERS["audience_cost_democracy"].default
        if cost is None or audience is None:  # neither parameter is optional
            raise ValueError("war_cost_scale and audience_cost_democracy have no default")
        scale = (
            f"Stakes are in the issue units of the model's costs: at the default "
            f"`war_cost_scale`\n({cost:g} per 100 days of war, before the factors for the "
            f"opponent's strength, risk and resolve)\na stake of 1 is worth about "
            f"{100 / cost:.0f} days of war, and a democracy's climb-down after a public\n"
            f"commitment costs {audience:g} (`audience_cost_democracy`).\n"
        )
    anchors = ["| key | 0.2 | 0.5 | 1.0 |", "|---|---|---|---|"]
    anchors += ["| " + " | ".join(row) + " |" for row in ANCHORS]
    return JUDGEMENT.format(anchors="\n".join(anchors), scale=scale, cases=_case_table())


def _case_table() -> str:
    """One row per dispute of every bundled scenario with a ``history:`` block."""
    from brink.scenarios.loader import bundled_scenarios, load_scenario

    lines = [
        "| case | dispute | challenger → target | size | stakes (challenger / target) | level "
        "| public | resolve set |",
        "|---|---|---|---|---|---|---|---|",
    ]
    default = ResolveSpec()
    for name in bundled_scenarios():
        scenario = load_scenario(name)
        if scenario.history is None:
            continue
        resolve = ", ".join(
            f"{code} {state.resolve.mean:g}"
            for code, state in scenario.states.items()
            if state.resolve != default
        )
        for demand in scenario.demands:
            lines.append(
                f"| `{name}` | `{demand.id}` | {demand.by} → {demand.on} | {demand.size:g} | "
                f"{demand.stakes_challenger:g} / {demand.stakes_target:g} | "
                f"{demand.initial_level} | {'yes' if demand.public else 'no'} | "
                f"{resolve or '—'} |"
            )
    return "\n".join(lines) + "\n"


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

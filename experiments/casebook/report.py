"""The casebook's report: ``casebook.md``, ``casebook.csv``, ``casebook_sides.csv`` and the figure.

The Markdown is written to be read without the code: what was run, the fairness rules, the
scores, a table per question (outcomes, war, who fought) and how to read them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from brink.experiments.casebook.cases import MID_CITATION, Casebook, case_history
from brink.experiments.casebook.figure import HEADINGS, casebook_figure
from brink.experiments.casebook.scores import PSEUDO_COUNT, mid_outcome_counts
from brink.figure_style import save
from brink.safe_output import write_text_atomic
from brink.scenarios.history import MIDS_FILE
from brink.sim.outcomes import Outcome
from brink.sim.record import RUN_OUTCOMES

REPORT = "casebook.md"
TABLE = "casebook.csv"
SIDES = "casebook_sides.csv"
FIGURE = "casebook"


def write_report(casebook: Casebook, directory: Path, context: Mapping[str, Any]) -> list[Path]:
    """Write the report's files into ``directory``; return them.

    Args:
        casebook: the scored casebook.
        directory: an existing folder (the staged output folder).
        context: ``runs``, ``seed``, ``command``, ``params_file`` (path or None) and
            ``params`` (the values it set), for the report's opening.
    """
    written = [directory / TABLE, directory / SIDES, directory / REPORT]
    casebook.table.to_csv(written[0], index=False)
    casebook.sides.to_csv(written[1], index=False)
    write_text_atomic(written[2], report_markdown(casebook, context))
    figure = casebook_figure(casebook.table)
    written += save(figure, directory / FIGURE)
    return written


def _percent(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if 0 < value < 0.005:
        return "<1"
    return f"{100 * value:.0f}"


def _days(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.0f}"


def _heading(outcome: str) -> str:
    return HEADINGS[outcome].replace("\n", " ")


def report_markdown(casebook: Casebook, context: Mapping[str, Any]) -> str:
    """The whole report as Markdown."""
    runs = context["runs"]
    totals = casebook.totals
    floor = PSEUDO_COUNT / (runs + PSEUDO_COUNT * len(RUN_OUTCOMES))
    parts = [
        "# Brink casebook: crises from history, each scored against what happened",
        "",
        f"Each case ran {runs:,} times with root seed {context['seed']} (the same runs as "
        f"`brink run CASE --runs {runs} --seed {context['seed']}`). Command: "
        f"`{context['command']}`.",
        "",
        *_rules(context),
        _fairness(context),
        "",
        "## Scores",
        "",
        f"- Scored disputes: {totals['disputes']}, in {len(casebook.cases)} cases.",
        f"- What happened was among the model's two likeliest outcomes in "
        f"**{totals['in_two_likeliest']} of {totals['disputes']}**.",
        f"- Total log score, model: **{totals['log_score']:.2f}**; base-rate forecaster: "
        f"**{totals['base_rate_log_score']:.2f}** (higher is better; 0 would be a certain, "
        "correct forecast of every case).",
        "",
        "## Outcomes: the model's probability of each (%), and what happened",
        "",
        _outcome_table(casebook.table),
        "",
        "## War",
        "",
        _war_table(casebook.table),
        "",
        "## Who fought, by side",
        "",
        _sides_tables(casebook),
        "## How to read this",
        "",
        _how_to_read(casebook, runs, floor),
        "",
        "## What happened: sources",
        "",
        _sources(casebook),
    ]
    return "\n".join(parts)


def _rules(context: Mapping[str, Any]) -> list[str]:
    """A paragraph on the decision rules of ``--rule``, when any was given."""
    rules = context.get("rules") or []
    if not rules:
        return []
    named = ", ".join(f"`{rule}`" for rule in rules)
    return [
        f"States decided by the rules {named} (a rule for a state applies in the cases where "
        "that state is a party; every other state by the built-in rule).",
        "",
    ]


def _fairness(context: Mapping[str, Any]) -> str:
    text = (
        "**Fairness.** No case file is tuned to its outcome: each scenario holds only what its "
        "sources said on its start date, every number with its source in a comment, and its "
        "`history:` block (what happened) is read by this report only, never by the model. "
    )
    if context.get("params_file"):
        names = ", ".join(f"{k} = {v}" for k, v in context["params"].items())
        text += (
            f"The parameters of `{context['params_file']}` ({names or 'none'}) are applied "
            "unchanged to every case (nothing is refitted to the casebook); as in "
            "`brink run --params`, a case's own `parameters:` (if any) would override them."
        )
    else:
        text += (
            "No parameter file was given: every case runs with the model's default parameters "
            "and its own `parameters:`, as `brink run` does."
        )
    return text


def _outcome_table(table: pd.DataFrame) -> str:
    header = ["case", "dispute", *(_heading(o) for o in RUN_OUTCOMES), "what happened"]
    header += ["log score", "base rate", "in two likeliest"]
    lines = [
        "| " + " | ".join(header) + " |",
        "|---|---|" + "---:|" * len(RUN_OUTCOMES) + "---|---:|---:|---|",
    ]
    row: Any  # pandas-stubs types a row's fields as any scalar
    for row in table.itertuples(index=False):
        cells = []
        for outcome in RUN_OUTCOMES:
            text = _percent(getattr(row, f"p_{outcome}"))
            cells.append(f"**[{text}]**" if outcome == row.real_outcome else text)
        lines.append(
            f"| {row.case} | {row.dispute} | "
            + " | ".join(cells)
            + f" | {_heading(row.real_outcome)} | {row.log_score:.2f} | "
            f"{row.base_rate_log_score:.2f} | {'yes' if row.in_two_likeliest else 'no'} |"
        )
    return "\n".join(lines)


def _war_table(table: pd.DataFrame) -> str:
    lines = [
        "| case | dispute | P(war), model | war, real | highest level, model median / real "
        "| war days, model median (quartiles) | war days, real | dispute days, model median "
        "/ real |",
        "|---|---|---:|---|---|---|---|---|",
    ]
    row: Any  # pandas-stubs types a row's fields as any scalar
    for row in table.itertuples(index=False):
        if math.isnan(row.war_days_median):
            model_war = "no war in any run"
        else:
            model_war = (
                f"{_days(row.war_days_median)} ({_days(row.war_days_q1)}–{_days(row.war_days_q3)})"
            )
        if not row.real_war:
            real_war = "no war"
        elif row.real_outcome == Outcome.WAR_ONGOING and _missing(row.real_war_days):
            real_war = f"still going at the horizon (day {row.horizon_days})"
        else:
            real_war = _days(row.real_war_days)
        lines.append(
            f"| {row.case} | {row.dispute} | {_percent(row.p_war)} % | "
            f"{'yes' if row.real_war else 'no'} | {row.model_max_level_median:.0f} / "
            f"{row.real_highest_level} | {model_war} | {real_war} | "
            f"{_days(row.days_median)} / {_days(row.real_days)} |"
        )
    return "\n".join(lines)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _sides_tables(casebook: Casebook) -> str:
    parts = []
    for (case, dispute), group in casebook.sides.groupby(["case", "dispute"], sort=False):
        parts += [
            f"**{case} · {dispute}**",
            "",
            "| state | % of runs on the challenger's side | % on the target's side | really "
            "fought on |",
            "|---|---:|---:|---|",
        ]
        row: Any  # pandas-stubs types a row's fields as any scalar
        for row in group.itertuples(index=False):
            real = "not coded" if row.real_side is None else row.real_side
            if real == "none":
                real = "did not fight"
            parts.append(
                f"| {row.state} | {_percent(row.model_challenger)} | "
                f"{_percent(row.model_target)} | {real} |"
            )
        if group.empty:
            parts.append("| (nobody fought, in the model or in history) | | | |")
        parts.append("")
    return "\n".join(parts)


def _how_to_read(casebook: Casebook, runs: int, floor: float) -> str:
    counts = mid_outcome_counts_text()
    base = ", ".join(f"{_heading(o)} {100 * p:.1f} %" for o, p in casebook.base.items())
    return "\n".join(
        [
            "- **Outcome classes** are MID's (Jones, Bremer & Singer 1996): a side wins (by war "
            "or a settlement giving one side 85 % or more of the demand) or yields, a compromise, "
            "a stalemate (no settlement); *war still going* is a war not ended by the "
            "scenario's horizon. The real outcome's cell is in bold brackets.",
            "- **Log score**: the natural log of the probability the forecaster gave to what "
            "happened (0 for a certain, correct forecast; lower is worse). So that an outcome "
            f"no run produced does not score minus infinity, one run is added to each of the "
            f"{len(RUN_OUTCOMES)} classes (add-one smoothing): with {runs:,} runs the lowest "
            f"probability is 1/{runs + len(RUN_OUTCOMES)} = {floor:.4f}, a log score of "
            f"{math.log(floor):.2f}. The percentages in the tables are the raw shares of runs.",
            f"- **Base rate**: the same forecast for every case, the outcome shares of the "
            f"pre-1990 disputes in {MID_CITATION}, one count per dispute ({counts}), smoothed "
            f"the same way: {base}. MID has no class for a war still going, so that class gets "
            "the smoothing floor only.",
            "- **In two likeliest**: what happened happened in at least one run, and at most one "
            "outcome had a higher share of runs (a tie for second counts).",
            "- **Who fought**: the share of runs in which a state fought on each side of the "
            "dispute; *really fought on* is the side it fought on by the horizon (from the "
            "case's `history:` block), or *did not fight*.",
            "- **War days** in the model count days of fighting in runs with a war, cut at the "
            "horizon; the real figure is the whole war (COW dates), which may run past it.",
        ]
    )


def mid_outcome_counts_text() -> str:
    """The MID counts behind the base rate, as text (``stalemate 937, ...``)."""
    counts = mid_outcome_counts(pd.read_csv(MIDS_FILE, usecols=["dispnum", "outcome"]))
    shown = ", ".join(f"{_heading(o)} {n}" for o, n in counts.items() if n)
    return f"{sum(counts.values()):,} disputes: {shown}"


def _sources(casebook: Casebook) -> str:
    lines = []
    for case in casebook.cases:
        lines.append(f"- **{case.name}** ({case.scenario.start_date}):")
        for history in case_history(case.scenario).disputes.values():
            codes = [
                f"{label} {value}"
                for label, value in (
                    ("MID", history.mid),
                    ("ICB", history.icb),
                    ("COW war", history.cow_war),
                )
                if value is not None
            ]
            coded = f" [{', '.join(codes)}]" if codes else ""
            lines.append(f"  - {history.dispute}: {history.note}{coded}")
        for source in case_history(case.scenario).sources:
            lines.append(f"  - {source}")
    return "\n".join(lines) + "\n"

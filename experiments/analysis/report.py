"""The text of a sweep's ``analysis.md``: its default sections, in Markdown, around the
sections the optional analyses add (:mod:`brink.experiments.analysis.on_request`)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments.analysis.figures import choice_text
from brink.experiments.intervals import mean_interval, wilson

#: Quantile bins of a sampled factor in the "against one factor" tables.
BINS = 8


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.{digits}g}"
        return str(value)

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def report_text(
    manifest,
    runs,
    failed,
    points,
    margins,
    sensitivity,
    note,
    heat_pair,
    outcomes,
    labels,
    factors,
    files,
    directory,
    scalars=frozenset(),
    extra_lines=(),
    choices=None,
) -> str:
    kind = manifest["design"]["kind"]
    lines = [
        f"# Sweep analysis: {manifest['experiment']}",
        "",
        f"Scenario `{manifest['scenario']}`; design **{kind}** with {manifest['points']} points "
        f"× {manifest['replications']} replications = {manifest['runs_total']} runs "
        f"(root seed {manifest['root_seed']}, horizon {manifest['horizon'] or 'the scenario’s'}).",
        f"Runs on disk: {len(runs)} of {manifest['runs_total']}; failed: {failed}.",
    ]
    if manifest.get("max_column_correlation") is not None and kind != "factorial":
        lines.append(
            f"Largest absolute correlation between two design columns: "
            f"{manifest['max_column_correlation']:.3f}."
        )
    lines += [
        "",
        "## Outcomes over the whole design",
        "",
        "Pooled over every run of every point, with 95 % Wilson intervals (P, for yes/no "
        "outcomes) or the mean with its 95 % normal interval (for numbers; runs with no value, "
        "such as a first use of force that never came, are left out).",
        "",
    ]
    good = runs[runs["error"].isna()]
    overall = []
    for outcome in outcomes:
        if outcome in scalars:
            n, _, mean, low, high = mean_interval(good[outcome])
            overall.append(
                {
                    "outcome": outcome,
                    "reading": labels[outcome],
                    "runs": n,
                    "P": mean,
                    "95 % low": low,
                    "95 % high": high,
                }
            )
            continue
        n = len(good)
        k = int(good[outcome].astype(float).sum())
        low, high = wilson(k, n) if n else (np.nan, np.nan)
        overall.append(
            {
                "outcome": outcome,
                "reading": labels[outcome],
                "runs": n,
                "P": k / n if n else np.nan,
                "95 % low": float(low),
                "95 % high": float(high),
            }
        )
    lines += [markdown_table(pd.DataFrame(overall)), ""]
    lines += [
        "## Against each factor",
        "",
        "Runs pooled over the other factors; a sampled factor is cut into quantile bins "
        f"(at most {BINS}). Table: `tables/by_factor.csv`.",
        "",
    ]
    choices = choices or {}  # a categorical factor's rows read as its choices, not its codes
    for outcome in outcomes:
        part = margins[margins["outcome"] == outcome][["factor", "x", "n", "p", "low", "high"]]
        shown = [
            choice_text(choices[f], x) if f in choices else x
            for f, x in zip(part.factor, part.x, strict=True)
        ]
        part = part.assign(x=shown)
        lines += [
            f"### {labels[outcome]}",
            "",
            markdown_table(part),
            "",
            f"![{labels[outcome]} by factor](figures/{outcome}_by_factor.png)",
            "",
        ]
    if heat_pair is not None:
        lines += [
            "## Two factors together",
            "",
            f"`{heat_pair[0]}` (x) against `{heat_pair[1]}` (y). Table: `tables/heat_map.csv`.",
            "",
        ]
        lines += [f"![{labels[o]} heat map](figures/{o}_heat_map.png)" for o in outcomes]
        lines.append("")
    lines += ["## Sensitivity", ""]
    if sensitivity is None:
        lines += [note or "Too few design points for a sensitivity analysis.", ""]
    else:
        explain = {
            "sobol": "First-order (S1) and total (ST) Sobol indices of the point probabilities, "
            "SALib's Saltelli estimator, with 95 % bootstrap intervals (`tables/sobol.csv`).",
            "morris": "Morris elementary effects of the point probabilities: μ* (mean absolute "
            "effect, with its 95 % bootstrap interval), μ and σ (`tables/morris.csv`).",
            "factorial": "Standardised regression coefficients of a linear model of the point "
            "probabilities on the factors, with 95 % bootstrap intervals over points and the "
            "model's R² (`tables/importance.csv`). Read them as importances only where R² is "
            "high.",
        }
        explain["latin_hypercube"] = explain["factorial"]
        lines += [explain[kind], ""]
        for outcome in outcomes:
            part = sensitivity[sensitivity["outcome"] == outcome].drop(columns="outcome")
            stem = {"sobol": "sobol", "morris": "morris"}.get(kind, "importance")
            lines += [
                f"### {labels[outcome]}",
                "",
                markdown_table(part),
                "",
                f"![{stem}](figures/{outcome}_{stem}.png)",
                "",
            ]
    lines += list(extra_lines)
    lines += ["## Files", ""]
    lines += [f"- `{path.relative_to(directory)}`" for path in files]
    lines += [
        "",
        "Manifest: `manifest.json`; design: `design.parquet`; per-run shards: `shards/`.",
        "",
        "```json",
        json.dumps(
            {
                k: manifest[k]
                for k in ("experiment_sha256", "scenario_sha256", "root_seed", "software")
            },
            indent=2,
        ),
        "```",
        "",
    ]
    return "\n".join(lines)

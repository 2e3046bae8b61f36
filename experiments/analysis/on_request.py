"""The analyses ``brink analyze`` adds on request (PRIM, CART, feature scores, SALib's given-data
methods, dimensional stacking, robust choice of levers), and the section every sweep with a
series outcome gets (the series by step). Each reads the sweep's runs with their factors as
they were set (categorical ones as their choices) and writes a section of ``analysis.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.experiments.analysis import discovery
from brink.experiments.analysis.discovery import Section
from brink.experiments.analysis.figures import series_band
from brink.experiments.analysis.robust import robust_section, setting_name
from brink.experiments.sweep.outcomes import outcome_unit
from brink.figure_style import save

METHODS = ("delta", "pawn", "rbd-fast", "rsa")


def _cli(flag: str) -> Location:
    return Location(file="command line", key=flag)


@dataclass(frozen=True)
class Options:
    """What ``brink analyze`` was asked for beyond its default sections.

    Attributes:
        prim: the outcome PRIM boxes (and CART, stacking and ``--robust`` read by default).
        threshold: a number outcome's cases are runs at or above it (``below``: at or below);
            a yes/no outcome's cases are then the design points whose probability reaches it.
        cart: add CART boxes; feature_scores: add extra-trees scores; stack: add a stack.
        methods: SALib given-data methods (delta, pawn, rbd-fast, rsa).
        robust: the levers whose settings ``--robust`` compares.
        outcome: the outcome of stacking and ``--robust`` (default ``prim``'s), and of CART
            when ``prim`` is not given.
        higher_is_better: for ``--robust``: a higher outcome is better.
        satisficing: for ``--robust``: the outcome a setting should stay at or below (at or
            above, with ``higher_is_better``) in a future.
        min_coverage: PRIM shows the densest box covering at least this share of the cases.
    """

    prim: str | None = None
    threshold: float | None = None
    below: bool = False
    cart: bool = False
    feature_scores: bool = False
    methods: tuple[str, ...] = ()
    stack: bool = False
    robust: tuple[str, ...] = ()
    outcome: str | None = None
    higher_is_better: bool = False
    satisficing: float | None = None
    min_coverage: float = 0.5

    @property
    def target(self) -> str | None:
        """The outcome CART, stacking and --robust read."""
        return self.outcome or self.prim

    def check(self, manifest: dict[str, Any], types: dict[str, str]) -> None:
        """Raise a located error for an outcome or lever the sweep does not have."""
        factors = [factor["name"] for factor in manifest["factors"]]
        for flag, name in (("--prim", self.prim), ("--outcome", self.outcome)):
            if name is not None and name not in types:
                raise BrinkInputError(
                    f"'{name}' is not an outcome of this sweep{did_you_mean(name, list(types))}",
                    _cli(flag),
                )
            if name is not None and types[name] == "series":
                raise BrinkInputError(
                    f"'{name}' is a series; PRIM, CART, stacking and --robust read a yes/no "
                    "or number outcome",
                    _cli(flag),
                )
        for name in self.robust:
            if name not in factors:
                raise BrinkInputError(
                    f"'{name}' is not a factor of this sweep{did_you_mean(name, factors)}",
                    _cli("--robust"),
                )
        if self.prim and types[self.prim] == "scalar" and self.threshold is None:
            raise BrinkInputError(
                f"'{self.prim}' is a number: give --threshold (cases of interest are runs at "
                "or above it; add --below for at or below)",
                _cli("--threshold"),
            )
        for flag, value in (("--threshold", self.threshold), ("--satisficing", self.satisficing)):
            if value is not None and not math.isfinite(value):
                raise BrinkInputError(f"{value} is not a finite number", _cli(flag))
        if not 0 < self.min_coverage <= 1:
            raise BrinkInputError(
                f"{self.min_coverage:g} is not a share in (0, 1]", _cli("--min-coverage")
            )


def _cases(
    outcome: str, kind: str, good: pd.DataFrame, design: pd.DataFrame, factors, label, options
):
    """``(x, y, what)``: the factor values and the cases of interest for PRIM and CART."""
    threshold, below = options.threshold, options.below
    sign = "≤" if below else "≥"
    if threshold is None:
        return good[factors], good[outcome].astype(bool).to_numpy(), f"runs with {label}"
    if kind == "binary":
        means = good.groupby("point")[outcome].mean()
        points = design.set_index("point").loc[means.index]
        values = means.to_numpy(dtype=float)
        y = values <= threshold if below else values >= threshold
        return (
            points[factors].reset_index(drop=True),
            y,
            f"points with P({label}) {sign} {threshold:g}",
        )
    values = good[outcome].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        y = values <= threshold if below else values >= threshold
    return good[factors], y, f"runs with {label} {sign} {threshold:g}"


def series_section(
    good: pd.DataFrame, outcome: str, label: str, title: str, levers, folders
) -> Section:
    """Mean and 10–90 % band of a series by step, per lever setting (all runs if no levers)."""
    tables, figures = folders
    groups = (
        good.apply(lambda row: setting_name(row, levers), axis=1)
        if levers
        else pd.Series("all runs", index=good.index)
    )
    rows = []
    for group in dict.fromkeys(groups):
        matrix = np.vstack(good.loc[groups == group, outcome].map(np.asarray).to_list())
        for step in range(matrix.shape[1]):
            column = matrix[:, step]
            rows.append(
                {
                    "group": group,
                    "step": step + 1,
                    "mean": column.mean(),
                    "p10": np.quantile(column, 0.1),
                    "p90": np.quantile(column, 0.9),
                }
            )
    table = pd.DataFrame(rows)
    table.to_csv(tables / f"{outcome}_by_step.csv", index=False)
    files = [tables / f"{outcome}_by_step.csv"]
    files += save(series_band(table, label, title), figures / f"{outcome}_by_step")
    lines = [
        f"## Over time: {label}",
        "",
        f"Mean by step over the runs{', per lever setting' if levers else ''}, and the 10th "
        f"and 90th percentiles of the runs (`tables/{outcome}_by_step.csv`; the figure draws "
        "that band when it shows at most two groups). A run that ended before the horizon "
        "counts as level 1 (no militarised action) after its end.",
        "",
        f"![{label} by step](figures/{outcome}_by_step.png)",
        "",
    ]
    return Section(lines, files)


def extra_sections(
    runs: pd.DataFrame,
    design: pd.DataFrame,
    points: pd.DataFrame,
    manifest: dict[str, Any],
    types: dict[str, str],
    labels: dict[str, str],
    options: Options | None,
    folders,
) -> Section:
    """Every section beyond the defaults: series, and what ``options`` asks for."""
    section = Section()
    good = runs[runs["error"].isna()].reset_index(drop=True)
    factors = [factor["name"] for factor in manifest["factors"]]
    levers = [f["name"] for f in manifest["factors"] if f.get("role") == "lever"]
    seed = int(manifest["root_seed"])
    # what a case of interest is, in words: "runs with war", "runs with casualties ≥ 10 (unit)"
    plain = {
        spec["name"]: spec["label"]
        + ("" if types[spec["name"]] == "binary" else f" ({outcome_unit(spec['kind'])})")
        for spec in manifest["outcomes"]
    }

    def add(part: Section) -> None:
        section.lines.extend(part.lines)
        section.files.extend(part.files)

    for name, kind in types.items():
        if kind == "series":
            title = plain[name].split(" (")[0].capitalize()
            add(series_section(good, name, labels[name], title, levers, folders))
    if options is None:
        return section
    numbers = [name for name, kind in types.items() if kind != "series"]
    if options.prim:
        x, y, what = _cases(
            options.prim, types[options.prim], good, design, factors, plain[options.prim], options
        )
        add(discovery.prim_section(x, y, options.prim, what, folders, options.min_coverage))
    target = options.target or numbers[0]
    if options.cart:  # the cases of interest of PRIM, when PRIM is asked for too
        chosen = options.prim or target
        if types[chosen] == "scalar" and options.threshold is None:
            raise BrinkInputError(f"'{chosen}' is a number: give --threshold", _cli("--cart"))
        x, y, what = _cases(chosen, types[chosen], good, design, factors, plain[chosen], options)
        add(discovery.cart_section(x, y, chosen, what, folders, seed))
    if options.feature_scores:
        values = {name: good[name].to_numpy(dtype=float) for name in numbers}
        binary = {name: types[name] == "binary" for name in numbers}
        add(discovery.feature_section(good[factors], values, binary, labels, folders, seed))
    if options.stack:
        y = good[target].to_numpy(dtype=float)
        add(discovery.stack_section(good[factors], y, target, labels[target], folders, seed))
    if options.methods:
        means = {}
        ordered = design.sort_values("point").reset_index(drop=True)
        for name in numbers:
            part = points[points["outcome"] == name].set_index("point")["p"]
            means[name] = part.reindex(ordered["point"]).to_numpy(dtype=float)
        for method in options.methods:
            add(discovery.salib_section(method, ordered[factors], means, labels, folders, seed))
    if options.robust:
        target_values = points[points["outcome"] == target][["point", "p"]].rename(
            columns={"p": "value"}
        )
        frame = design.merge(target_values, on="point")
        futures = [name for name in factors if name not in options.robust]
        add(
            robust_section(
                frame,
                list(options.robust),
                futures,
                target,
                labels[target],
                options.satisficing,
                options.higher_is_better,
                folders,
            )
        )
    return section

"""Scenario discovery and more sensitivity measures for ``brink analyze``: PRIM and CART boxes,
extra-trees feature scores, dimensional stacking, and SALib's delta, PAWN, RBD-FAST and regional
sensitivity. Each function takes the runs (or design points) as a data frame and returns a
:class:`Section`: the lines it adds to ``analysis.md``, and the tables and figures it wrote.

Cases of interest: a yes/no outcome's runs that show it; a number outcome's runs at or above
``--threshold`` (``--below``: at or below); with ``--threshold`` a yes/no outcome is read per
design point, and the points whose probability reaches the threshold are the cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from brink.experiments.analysis import figures as plots
from brink.experiments.analysis.prim import Prim, choose_box
from brink.experiments.analysis.report import markdown_table
from brink.figure_style import save

#: A number factor with at most this many distinct values is left out of SALib's methods.
SAMPLED = 4
#: Trees of the extra-trees forest (the EMA Workbench's feature scoring uses 250 too).
TREES = 250
#: Bins of a number factor in a dimensional stack.
STACK_BINS = 3
#: Factors a dimensional stack shows (two on each axis).
STACK_FACTORS = 4
SALIB_KEYS = {
    "delta": ("delta_raw", "delta_raw_conf", "S1", "S1_conf"),
    "pawn": ("minimum", "mean", "median", "maximum", "CV"),
    "rbd-fast": ("S1", "S1_conf"),
    "rsa": ("max_over_bins",),
}


@dataclass
class Section:
    """What one analysis adds: markdown lines, and the files it wrote."""

    lines: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def choice_codes(x: pd.DataFrame) -> dict[str, list]:
    """The choices of each categorical or yes/no column, sorted by their text: a choice's
    position is its code in :func:`coded`."""
    return {
        column: sorted(x[column].dropna().unique(), key=str)
        for column in x.columns
        if not pd.api.types.is_float_dtype(x[column])
    }


def coded(x: pd.DataFrame) -> pd.DataFrame:
    """Number columns as they are; a categorical or yes/no column as its choice's index (see
    :func:`choice_codes`), for methods that need numbers."""
    out = x.copy()
    for column, choices in choice_codes(x).items():
        out[column] = out[column].map({c: float(i) for i, c in enumerate(choices)})
    return out.astype(float)


def _limit_text(name: str, limits, initial) -> str:
    if isinstance(limits, frozenset):
        return f"`{name}` ∈ {{{', '.join(sorted(map(str, limits)))}}}"
    low, high = limits
    parts = []
    if low > initial[0]:
        parts.append(f"{low:.3g} ≤")
    parts.append(f"`{name}`")
    if high < initial[1]:
        parts.append(f"≤ {high:.3g}")
    return " ".join(parts)


def prim_section(
    x: pd.DataFrame,
    y: np.ndarray,
    outcome: str,
    what: str,
    folders: tuple[Path, Path],
    min_coverage: float = 0.5,
) -> Section:
    """PRIM's peeling trajectory and its chosen box (see :mod:`brink.experiments.analysis.prim`)."""
    tables, figures = folders
    section = Section(["## Scenario discovery: PRIM", ""])
    if y.sum() == 0 or y.sum() == len(y):
        section.lines += [
            f"Every or no point is a case of interest ({what}); PRIM has nothing to separate.",
            "",
        ]
        return section
    prim = Prim(x, y)
    trajectory = prim.find_box()
    chosen = choose_box(trajectory, min_coverage)
    rows = pd.DataFrame(
        [
            {
                "step": i,
                "coverage": b.coverage,
                "density": b.density,
                "mass": b.mass,
                "restricted": len(b.restricted),
            }
            for i, b in enumerate(trajectory)
        ]
    )
    rows.to_csv(tables / f"prim_{outcome}.csv", index=False)
    section.files.append(tables / f"prim_{outcome}.csv")
    step = next(i for i, b in enumerate(trajectory) if b is chosen)
    rule = (
        " and ".join(
            _limit_text(name, chosen.limits[name], prim.initial[name]) for name in chosen.restricted
        )
        or "anywhere (no factor restricted)"
    )
    section.lines += [
        f"Cases of interest: {what} ({int(y.sum())} of {len(y)}). PRIM (Friedman & Fisher "
        "1999; peel and paste α = 0.05, minimum mass 0.05, the EMA Workbench's lenient "
        f"objective) peeled {len(trajectory) - 1} times. The box shown is the densest that "
        f"still holds {min_coverage:.0%} of the cases (step {step}):",
        "",
        f"**{rule}**: coverage {chosen.coverage:.2f}, density {chosen.density:.2f}, mass "
        f"{chosen.mass:.2f} (all points: density {trajectory[0].density:.2f}).",
        "",
        f"Trajectory: `tables/prim_{outcome}.csv`.",
        "",
        f"![PRIM trajectory](figures/prim_{outcome}_trajectory.png)",
        f"![PRIM box](figures/prim_{outcome}_box.png)",
        "",
    ]
    section.files += save(
        plots.prim_trajectory(rows, step, what), figures / f"prim_{outcome}_trajectory"
    )
    section.files += save(
        plots.prim_box(chosen, prim.initial, what), figures / f"prim_{outcome}_box"
    )
    return section


def cart_section(
    x: pd.DataFrame, y: np.ndarray, outcome: str, what: str, folders, seed: int
) -> Section:
    """A classification tree (CART; Breiman et al. 1984, scikit-learn) of the cases: each leaf
    is a box; the leaves where cases are the majority are listed with coverage and density."""
    from sklearn.tree import DecisionTreeClassifier

    tables, figures = folders
    section = Section(["## Scenario discovery: CART", ""])
    numbers = coded(x)
    tree = DecisionTreeClassifier(
        max_depth=3, min_samples_leaf=max(1, int(0.05 * len(y))), random_state=seed
    ).fit(numbers.to_numpy(), y.astype(int))
    leaves = tree.apply(numbers.to_numpy())
    boxes = []
    for leaf in np.unique(leaves):
        inside = leaves == leaf
        boxes.append(
            {
                "box": _path_text(tree, leaf, list(x.columns), choice_codes(x)),
                "coverage": float(y[inside].sum() / max(y.sum(), 1)),
                "density": float(y[inside].mean()),
                "mass": float(inside.mean()),
            }
        )
    frame = pd.DataFrame(boxes).sort_values("density", ascending=False)
    frame.to_csv(tables / f"cart_{outcome}.csv", index=False)
    section.files.append(tables / f"cart_{outcome}.csv")
    section.lines += [
        f"Cases of interest: {what}. A classification tree of depth 3 (leaves of at least 5 % "
        "of the points; categorical factors coded by their choices' order). Each leaf is a "
        f"box (`tables/cart_{outcome}.csv`):",
        "",
        markdown_table(frame),
        "",
        f"![CART](figures/cart_{outcome}.png)",
        "",
    ]
    section.files += save(plots.cart_tree(tree, list(x.columns), what), figures / f"cart_{outcome}")
    return section


def _path_text(tree, leaf: int, names: list[str], choices: dict[str, list]) -> str:
    """The conditions on the way from the root to ``leaf``, joined by 'and'; a split of a
    categorical factor's codes is read back as the choices on its side."""
    inner = tree.tree_
    parents = {}
    for node in range(inner.node_count):
        for child, side in ((inner.children_left[node], "≤"), (inner.children_right[node], ">")):
            if child >= 0:
                parents[child] = (node, side)
    conditions = []
    node = leaf
    while node in parents:
        parent, side = parents[node]
        name, cut = names[inner.feature[parent]], inner.threshold[parent]
        if name in choices:
            kept = [c for i, c in enumerate(choices[name]) if (i <= cut) == (side == "≤")]
            listed = ", ".join(str(choice).lower() for choice in kept)
            conditions.append(f"`{name}` ∈ {{{listed}}}")
        else:
            conditions.append(f"`{name}` {side} {cut:.3g}")
        node = parent
    return " and ".join(reversed(conditions)) or "all points"


def feature_scores(x: pd.DataFrame, y: np.ndarray, binary: bool, seed: int) -> pd.Series:
    """Extra-trees importances (Geurts, Ernst & Wehenkel 2006; scikit-learn), summing to 1."""
    from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

    kind = ExtraTreesClassifier if binary else ExtraTreesRegressor
    model = kind(n_estimators=TREES, max_features=0.6, random_state=seed, n_jobs=1)
    model.fit(coded(x).to_numpy(), y.astype(int) if binary else y)
    return pd.Series(model.feature_importances_, index=x.columns).sort_values(ascending=False)


def feature_section(
    x: pd.DataFrame, outcomes: dict, binary: dict, reading: dict, folders, seed: int
) -> Section:
    """Feature scores of every outcome (runs with a value only)."""
    tables, figures = folders
    section = Section(["## Feature scores (extra trees)", ""])
    rows = []
    for outcome, y in outcomes.items():
        keep = ~np.isnan(y)
        if keep.sum() < 2 or np.ptp(y[keep]) == 0:
            continue
        scores = feature_scores(x[keep], y[keep], binary[outcome], seed)
        rows += [{"outcome": outcome, "factor": f, "score": s} for f, s in scores.items()]
    if not rows:
        section.lines += ["No outcome varies over the runs; nothing to score.", ""]
        return section
    frame = pd.DataFrame(rows)
    frame.to_csv(tables / "feature_scores.csv", index=False)
    section.files.append(tables / "feature_scores.csv")
    section.lines += [
        f"Impurity importances of a forest of {TREES} extremely randomised trees (Geurts et "
        "al. 2006) fitted to each outcome per run, as the EMA Workbench's feature scoring "
        "does; they sum to 1 per outcome (`tables/feature_scores.csv`).",
        "",
    ]
    for outcome in frame["outcome"].unique():
        part = frame[frame["outcome"] == outcome]
        section.lines += [
            f"### {reading[outcome]}",
            "",
            markdown_table(part.drop(columns="outcome")),
            "",
        ]
        section.lines += [f"![feature scores](figures/{outcome}_feature_scores.png)", ""]
        section.files += save(
            plots.score_bars(part, reading[outcome]), figures / f"{outcome}_feature_scores"
        )
    return section


def stack_section(
    x: pd.DataFrame, y: np.ndarray, outcome: str, reading: str, folders, seed: int
) -> Section:
    """Dimensional stacking (LeBlanc, Ward & Wittels 1990; the Workbench's pivot plot): the four
    factors with the highest feature scores, each cut into three quantile bins (or its
    choices), nested two on each axis, each cell the mean outcome."""
    _, figures = folders
    section = Section(["## Dimensional stacking", ""])
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    order = list(feature_scores(x, y, set(np.unique(y)) <= {0, 1}, seed).index)
    chosen = order[: min(STACK_FACTORS, len(order))]
    binned = pd.DataFrame(index=x.index)
    for name in chosen:
        values = x[name]
        if pd.api.types.is_float_dtype(values) and values.nunique() > STACK_BINS:
            cut = pd.qcut(values, STACK_BINS, duplicates="drop")  # ordered bins, low to high
            binned[name] = cut.cat.rename_categories(
                [f"{b.left:.3g}–{b.right:.3g}" for b in cut.cat.categories]
            )
        else:
            levels = sorted(values.unique(), key=lambda v: (str(type(v)), v))
            text = [f"{v:.3g}" if isinstance(v, float) else str(v).lower() for v in levels]
            binned[name] = pd.Categorical(
                values.map(dict(zip(levels, text, strict=True))), categories=text, ordered=True
            )
    binned["y"] = y
    rows, columns = chosen[: (len(chosen) + 1) // 2], chosen[(len(chosen) + 1) // 2 :]
    pivot = binned.pivot_table(
        index=rows, columns=columns or None, values="y", aggfunc="mean", observed=False
    )
    if isinstance(pivot, pd.Series):
        pivot = pivot.to_frame(reading)
    section.lines += [
        f"{reading} over the {len(chosen)} factors with the highest feature scores "
        f"({', '.join(f'`{c}`' for c in chosen)}), number factors cut into {STACK_BINS} "
        "quantile bins; rows nest the first, columns the rest; a hatched cell has no runs.",
        "",
        f"![dimensional stack](figures/{outcome}_stack.png)",
        "",
    ]
    section.files += save(plots.stack(pivot, rows, columns, reading), figures / f"{outcome}_stack")
    return section


def salib_section(
    method: str, x: pd.DataFrame, points: dict, reading: dict, folders, seed: int
) -> Section:
    """SALib's given-data methods on the design points' outcome means: delta (Borgonovo 2007;
    Plischke et al. 2013), PAWN (Pianosi & Wagener 2015), RBD-FAST (Tarantola et al. 2006;
    Plischke 2010) and regional sensitivity (Spear & Hornberger 1980). They need no linearity
    and read any sample; categorical factors are left out."""
    tables, figures = folders
    title = {"delta": "Delta", "pawn": "PAWN", "rbd-fast": "RBD-FAST", "rsa": "Regional"}[method]
    section = Section([f"## Sensitivity: {title} (SALib)", ""])
    # sampled number factors only: a factor at a few levels (a lever) has no density to estimate
    numbers = [
        c for c in x.columns if pd.api.types.is_float_dtype(x[c]) and x[c].nunique() > SAMPLED
    ]
    problem = {
        "num_vars": len(numbers),
        "names": numbers,
        "bounds": [[float(x[c].min()), float(x[c].max())] for c in numbers],
    }
    rows, failures = [], []
    for outcome, y in points.items():
        keep = ~np.isnan(y)
        if not numbers or keep.sum() < 2 or np.ptp(y[keep]) == 0:
            continue
        data, values = x.loc[keep, numbers].to_numpy(dtype=float), y[keep]
        try:
            rows += salib_rows(method, problem, data, values, seed, outcome)
        except (ValueError, ZeroDivisionError, np.linalg.LinAlgError) as error:  # too few points
            failures.append(f"- {reading[outcome]}: SALib could not estimate it ({error}).")
    section.lines += failures + ([""] if failures else [])
    if not rows:
        section.lines += [
            "No outcome varies over the design points, or no factor was sampled at more than "
            f"{SAMPLED} values; nothing to analyse.",
            "",
        ]
        return section
    frame = pd.DataFrame(rows)
    stem = method.replace("-", "_")
    frame.to_csv(tables / f"{stem}.csv", index=False)
    section.files.append(tables / f"{stem}.csv")
    keys = SALIB_KEYS[method]
    section.lines += [
        f"Indices of the outcome's mean per design point, `SALib.analyze.{stem}` "
        f"(`tables/{stem}.csv`).",
        "",
    ]
    for outcome in frame["outcome"].unique():
        part = frame[frame["outcome"] == outcome].drop(columns="outcome")
        section.lines += [f"### {reading[outcome]}", "", markdown_table(part), ""]
        section.lines += [f"![{title}](figures/{outcome}_{stem}.png)", ""]
        part = frame[frame["outcome"] == outcome]
        fig = plots.score_bars(part, reading[outcome], column=keys[0], method=title)
        section.files += save(fig, figures / f"{outcome}_{stem}")
    return section


def salib_rows(method, problem, x, y, seed, outcome="y") -> list[dict]:
    """One row per factor of a SALib given-data analysis (the keys of :data:`SALIB_KEYS`).

    An index SALib cannot estimate (a bootstrap resample with no variance, a bin with no runs)
    is NaN, shown as an empty cell, instead of a warning.
    """
    import warnings

    from SALib.analyze import delta, pawn, rbd_fast, rsa

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "delta":
            result = delta.analyze(problem, x, y, seed=seed)
        elif method == "pawn":
            result = pawn.analyze(problem, x, y, S=10, seed=seed)
        elif method == "rbd-fast":
            result = rbd_fast.analyze(problem, x, y, M=10, seed=seed)
        else:
            raw = rsa.analyze(problem, x, y, bins=10, seed=seed)
            result = {"max_over_bins": [np.nanmax(raw[name]) for name in problem["names"]]}
    return [
        {
            "outcome": outcome,
            "factor": name,
            **{key: float(result[key][i]) for key in SALIB_KEYS[method]},
        }
        for i, name in enumerate(problem["names"])
    ]

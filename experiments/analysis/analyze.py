"""Read a sweep and say what it found: ``analysis.md``, CSV tables and figures.

For every outcome of interest:

- its probability at each design point and against each factor, with 95 % Wilson score
  intervals (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over the normal interval for
  the small counts of a sweep). Against one factor, runs are pooled over the other factors'
  values: a factorial design pools by level, the sampled designs by quantile bins;
- a heat map over two factors (the two most influential, or ``--pair``);
- sensitivity: first-order and total Sobol indices for a Sobol design (Saltelli 2002; Saltelli
  et al. 2010, as in ``SALib.analyze.sobol``), Morris μ*, σ for a Morris design (Morris 1991;
  Campolongo, Cariboni & Saltelli 2007, ``SALib.analyze.morris``), and for the other designs
  standardised regression coefficients (SRC) of a linear model of the point probabilities on
  the factors, with bootstrap 95 % intervals and the model's R² (Saltelli et al. 2008, §1.2.5:
  SRCs are trustworthy as importances when R² is high).

The sensitivity analyses read the probability at each point (the mean of the outcome over the
point's replications), so their noise shrinks with the replications.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments.analysis import figures as plots
from brink.experiments.analysis.on_request import extra_sections
from brink.experiments.analysis.report import BINS, report_text
from brink.experiments.ensemble.output import write_text_atomic
from brink.experiments.intervals import mean_interval, wilson
from brink.experiments.sweep.folder import read_sweep_design, read_sweep_runs, sweep_manifest
from brink.experiments.sweep.outcomes import outcome_type, reading
from brink.figure_style import save

#: Cells per side of a heat map over two sampled factors.
HEAT_BINS = 5
#: Bootstrap resamples of the SRC intervals.
BOOTSTRAP = 500
FIGURES = "figures"


def _proportions(groups, outcomes: list[str], scalars=frozenset()) -> pd.DataFrame:
    """Per group and outcome: ``n, successes, p, low, high``; for an outcome in ``scalars`` (a
    number, not yes/no) ``p`` is the mean, with a normal 95 % interval, and ``successes`` the
    sum."""
    rows = []
    for key, group in groups:
        good = group[group["error"].isna()]
        for outcome in outcomes:
            if outcome in scalars:
                n, k, p, low, high = mean_interval(good[outcome])
                rows.append(
                    {
                        "key": key,
                        "outcome": outcome,
                        "n": n,
                        "successes": k,
                        "p": p,
                        "low": low,
                        "high": high,
                    }
                )
                continue
            n = len(good)
            k = float(good[outcome].astype(float).sum()) if n else 0.0
            low, high = wilson(k, n) if n else (np.nan, np.nan)
            rows.append(
                {
                    "key": key,
                    "outcome": outcome,
                    "n": n,
                    "successes": int(k),
                    "p": k / n if n else np.nan,
                    "low": float(low),
                    "high": float(high),
                }
            )
    return pd.DataFrame(rows)


def point_table(
    runs: pd.DataFrame, design: pd.DataFrame, outcomes: list[str], scalars=frozenset()
) -> pd.DataFrame:
    """Per design point and outcome: runs, failures, probability (or mean) and its 95 %
    interval."""
    table = _proportions(runs.groupby("point"), outcomes, scalars)
    table = table.rename(columns={"key": "point"})
    failures = runs.groupby("point")["error"].apply(lambda e: int(e.notna().sum()))
    table["failed"] = table["point"].map(failures).fillna(0).astype(int)
    return design.merge(table, on="point")


def _bins(values: pd.Series, count: int) -> tuple[pd.Series, bool]:
    """Group values by level when there are few distinct ones, else by quantile bins."""
    if values.nunique() <= count:
        return values, True
    return pd.qcut(values, count, labels=False, duplicates="drop"), False


def marginals(
    runs: pd.DataFrame, factors: list[str], outcomes: list[str], scalars=frozenset()
) -> pd.DataFrame:
    """P(outcome) against each factor, pooled over the others: ``factor, outcome, x, n, p, …``.

    ``x`` is the level (factorial) or the mean of the factor's values in a quantile bin.
    """
    parts = []
    for name in factors:
        bins, _ = _bins(runs[name], BINS)
        table = _proportions(runs.groupby(bins), outcomes, scalars)
        centres = runs.groupby(bins)[name].mean()
        table["x"] = table["key"].map(centres)
        table.insert(0, "factor", name)
        parts.append(table.drop(columns="key"))
    return pd.concat(parts, ignore_index=True)


def heat_cells(
    runs: pd.DataFrame, pair: tuple[str, str], outcomes: list[str], scalars=frozenset()
) -> pd.DataFrame:
    """P(outcome) over two factors (levels, or quantile bins): ``x, y, outcome, n, p, …``."""
    first, _ = _bins(runs[pair[0]], HEAT_BINS)
    second, _ = _bins(runs[pair[1]], HEAT_BINS)
    keys = pd.DataFrame({"bx": first, "by": second})
    grouped = runs.groupby([keys["bx"], keys["by"]])
    table = _proportions(grouped, outcomes, scalars)
    centres_x = runs.groupby([keys["bx"], keys["by"]])[pair[0]].mean()
    centres_y = runs.groupby([keys["bx"], keys["by"]])[pair[1]].mean()
    # Label each bin by its mean over the whole column, so a row of cells shares one label.
    column_x = runs.groupby(keys["bx"])[pair[0]].mean()
    column_y = runs.groupby(keys["by"])[pair[1]].mean()
    table["x"] = [column_x[key[0]] for key in table["key"]]
    table["y"] = [column_y[key[1]] for key in table["key"]]
    del centres_x, centres_y
    return table.drop(columns="key")


def _coded(frame: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """``frame`` with each categorical or yes/no factor's column as its choice's index in the
    experiment file's order of levels (the design's coordinate)."""
    frame = frame.copy()
    for factor in manifest["factors"]:
        if factor.get("kind", "number") != "number" and factor["name"] in frame:
            codes = {level: float(index) for index, level in enumerate(factor["levels"])}
            frame[factor["name"]] = frame[factor["name"]].map(codes).astype(float)
    return frame


def point_means(points: pd.DataFrame, outcome: str) -> np.ndarray:
    """Probability of ``outcome`` at each point, in point order."""
    return points[points["outcome"] == outcome].sort_values("point")["p"].to_numpy(dtype=float)


def src_importance(
    points: pd.DataFrame, factors: list[str], outcomes: list[str], seed: int
) -> pd.DataFrame:
    """Standardised regression coefficients with bootstrap 95 % intervals, and R²."""
    rng = np.random.default_rng(seed)
    rows = []
    for outcome in outcomes:
        part = points[points["outcome"] == outcome].dropna(subset=["p"])
        x = part[factors].to_numpy(dtype=float)
        y = part["p"].to_numpy(dtype=float)
        coefficients, r2 = standardised_coefficients(x, y)
        samples = []
        for _ in range(BOOTSTRAP):
            pick = rng.integers(0, len(y), len(y))
            samples.append(standardised_coefficients(x[pick], y[pick])[0])
        draws = np.array(samples)
        low = np.nanpercentile(draws, 2.5, axis=0)
        high = np.nanpercentile(draws, 97.5, axis=0)
        for index, name in enumerate(factors):
            rows.append(
                {
                    "outcome": outcome,
                    "factor": name,
                    "src": coefficients[index],
                    "low": low[index],
                    "high": high[index],
                    "r2": r2,
                }
            )
    return pd.DataFrame(rows)


def standardised_coefficients(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """The standardised regression coefficients of ``y`` on the columns of ``x``, and the
    linear model's R² (zeros and NaN when ``y`` does not vary)."""
    sx = x.std(axis=0)
    sy = y.std()
    if np.ptp(y) < 1e-12:  # the outcome does not vary over the design: nothing to explain
        return np.zeros(x.shape[1]), float("nan")
    z = np.where(sx > 0, (x - x.mean(axis=0)) / np.where(sx > 0, sx, 1), 0.0)
    design = np.column_stack([np.ones(len(y)), z])
    beta, *_ = np.linalg.lstsq(design, (y - y.mean()) / sy, rcond=None)
    fitted = design @ beta
    residual = ((y - y.mean()) / sy - fitted) ** 2
    r2 = 1 - residual.sum() / len(y)
    return beta[1:], float(r2)


def sobol_indices(points, manifest, design_problem, outcomes, seed) -> pd.DataFrame:
    """First-order and total Sobol indices (SALib) per outcome and factor."""
    from SALib.analyze import sobol

    second = manifest["design"]["second_order"]
    rows = []
    for outcome in outcomes:
        y = point_means(points, outcome)
        if _constant(y):
            rows += _undefined_rows(outcome, design_problem["names"], SOBOL_KEYS)
            continue
        result = sobol.analyze(design_problem, y, calc_second_order=second, seed=seed)
        rows += _index_rows(outcome, design_problem["names"], result, SOBOL_KEYS)
    return pd.DataFrame(rows)


def morris_indices(points, design, design_problem, levels, outcomes, seed) -> pd.DataFrame:
    """Morris μ*, its 95 % interval, μ and σ (SALib) per outcome and factor."""
    from SALib.analyze import morris

    x = design.sort_values("point")[design_problem["names"]].to_numpy(dtype=float)
    rows = []
    for outcome in outcomes:
        y = point_means(points, outcome)
        if _constant(y):
            rows += _undefined_rows(outcome, design_problem["names"], MORRIS_KEYS)
            continue
        result = morris.analyze(design_problem, x, y, num_levels=levels, seed=seed)
        rows += _index_rows(outcome, design_problem["names"], result, MORRIS_KEYS)
    return pd.DataFrame(rows)


def _constant(y) -> bool:
    """An outcome that does not vary over the design (e.g. no run had a war) has no
    sensitivity indices: SALib would divide by its zero variance."""
    values = np.asarray(y, dtype=float)
    return bool(np.all(values == values[0]))


def _undefined_rows(outcome: str, names, keys) -> list[dict[str, Any]]:
    """Rows of undefined (NaN) indices for an outcome that does not vary."""
    missing = np.full(len(names), np.nan)
    return _index_rows(outcome, names, dict.fromkeys(keys, missing), keys)


SOBOL_KEYS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_KEYS = ("mu_star", "mu_star_conf", "mu", "sigma")


def _index_rows(outcome: str, names, result, keys) -> list[dict[str, Any]]:
    """One row per factor of a SALib result: the outcome, the factor and the chosen indices."""
    return [
        {"outcome": outcome, "factor": name, **{key: result[key][index] for key in keys}}
        for index, name in enumerate(names)
    ]


def _stem(text: str) -> str:
    return text.replace(".", "_").replace("/", "_")


def _check_pair(pair: list[str], factors: list[str]) -> None:
    """``--pair``: two different factors of the sweep, or a located error."""
    from brink.errors import BrinkInputError, Location, did_you_mean

    where = Location(file="command line", key="--pair")
    for name in pair:
        if name not in factors:
            raise BrinkInputError(
                f"'{name}' is not a factor of this sweep{did_you_mean(name, factors)}", where
            )
    if pair[0] == pair[1]:
        raise BrinkInputError(f"'{pair[0]}' twice: the heat map needs two different factors", where)


def analyze_sweep(
    directory: Path | str, pair: list[str] | None = None, options: Any = None
) -> Path:
    """Write ``analysis.md``, ``tables/*.csv`` and ``figures/*.png|pdf`` for a sweep.

    Args:
        directory: a directory written by ``brink sweep``.
        pair: the two factors of the heat map (default: the two most influential).
        options: the optional analyses to add
            (:class:`brink.experiments.analysis.on_request.Options`: PRIM, CART, feature scores,
            SALib methods, stacking, robust choice of levers).

    Returns:
        Path: the ``analysis.md`` written.

    Raises:
        BrinkInputError: if ``directory`` is not a sweep, or ``pair`` names no factor of it.
    """

    directory = Path(directory)
    # the one reader of a sweep folder: manifest, design and every shard checked first
    manifest = sweep_manifest(directory)
    factors = [factor["name"] for factor in manifest["factors"]]
    units = {factor["name"]: factor["unit"] for factor in manifest["factors"]}
    specs = manifest["outcomes"]
    types = {spec["name"]: outcome_type(spec["kind"]) for spec in specs}
    outcomes = [spec["name"] for spec in specs if types[spec["name"]] != "series"]
    scalars = frozenset(name for name, kind in types.items() if kind == "scalar")
    labels = {spec["name"]: reading(spec) for spec in specs}
    raw_design = read_sweep_design(directory, manifest)
    raw_runs = read_sweep_runs(directory, manifest, list(types))
    if options is not None:  # a mistake in the options is reported before anything is written
        options.check(manifest, types)
    if pair:
        _check_pair(pair, factors)
    # categorical and yes/no factors as the index of their choice, for the analyses of numbers
    design, runs = _coded(raw_design, manifest), _coded(raw_runs, manifest)
    seed = int(manifest["root_seed"])
    kind = manifest["design"]["kind"]
    choices = {
        f["name"]: f["levels"] for f in manifest["factors"] if f.get("kind", "number") != "number"
    }

    tables_dir = directory / "tables"
    figures_dir = directory / FIGURES
    tables_dir.mkdir(exist_ok=True)
    figures_dir.mkdir(exist_ok=True)

    good = runs[runs["error"].isna()]
    failed = int(runs["error"].notna().sum())
    points = point_table(runs, design, outcomes, scalars)
    margins = marginals(good, factors, outcomes, scalars)

    problem = {
        "num_vars": len(factors),
        "names": factors,
        "bounds": [[f["low"], f["high"]] for f in manifest["factors"]],
    }
    complete = (
        bool(points.groupby("point")["n"].min().gt(0).all())
        and len(points["point"].unique()) == manifest["points"]
    )
    sensitivity: pd.DataFrame | None = None
    sensitivity_note = ""
    if kind in ("sobol", "morris") and not complete:
        sensitivity_note = (
            f"{kind.title()} indices need every design point; some points have "
            "no successful run, so they are not computed."
        )
    elif kind == "sobol":
        sensitivity = sobol_indices(points, manifest, problem, outcomes, seed)
        rank_column = "ST"
    elif kind == "morris":
        levels = manifest["design"]["levels"] or 4
        sensitivity = morris_indices(points, design, problem, levels, outcomes, seed)
        rank_column = "mu_star"
    if (
        sensitivity is None
        and kind in ("factorial", "latin_hypercube")
        and len(design) > len(factors) + 1
    ):
        sensitivity = src_importance(points, factors, outcomes, seed)
        rank_column = "src"

    ranking = factors
    if sensitivity is not None:
        first = sensitivity[sensitivity["outcome"] == outcomes[0]].copy()
        first["size"] = first[rank_column].abs()
        ranking = list(first.sort_values("size", ascending=False)["factor"])

    heat_pair = (pair[0], pair[1]) if pair else tuple(ranking[:2]) if len(factors) >= 2 else None

    files: list[Path] = []
    write_text_atomic(tables_dir / "points.csv", points.to_csv(index=False))
    write_text_atomic(tables_dir / "by_factor.csv", margins.to_csv(index=False))
    files += [tables_dir / "points.csv", tables_dir / "by_factor.csv"]
    shown = ranking[:6]
    for outcome in outcomes:
        note = f" (the {len(shown)} most influential)" if len(shown) < len(factors) else ""
        fig = plots.probability_by_factor(
            margins, outcome, labels[outcome], units, order=shown, note=note, choices=choices
        )
        files += save(fig, figures_dir / f"{outcome}_by_factor")
    cells = None
    if heat_pair is not None:
        cells = heat_cells(good, heat_pair, outcomes, scalars)
        cells.insert(0, "factor_y", heat_pair[1])
        cells.insert(0, "factor_x", heat_pair[0])
        write_text_atomic(tables_dir / "heat_map.csv", cells.to_csv(index=False))
        files.append(tables_dir / "heat_map.csv")
        for outcome in outcomes:
            fig = plots.heat_map(cells, outcome, labels[outcome], heat_pair, units, choices)
            files += save(fig, figures_dir / f"{outcome}_heat_map")
    if sensitivity is not None:
        name = {"ST": "sobol", "mu_star": "morris", "src": "importance"}[rank_column]
        write_text_atomic(tables_dir / f"{name}.csv", sensitivity.to_csv(index=False))
        files.append(tables_dir / f"{name}.csv")
        for outcome in outcomes:
            if name == "sobol":
                fig = plots.index_bars(
                    sensitivity,
                    outcome,
                    labels[outcome],
                    [("ST", "ST_conf", "total (ST)"), ("S1", "S1_conf", "first order (S1)")],
                    "Sobol indices",
                    "Sobol index",
                )
            elif name == "morris":
                fig = plots.index_bars(
                    sensitivity,
                    outcome,
                    labels[outcome],
                    [("mu_star", "mu_star_conf", "μ*")],
                    "Morris μ*",
                    "μ* (change in probability)",
                    nonnegative=True,
                )
                files += save(
                    plots.morris_plane(sensitivity, outcome, labels[outcome]),
                    figures_dir / f"{outcome}_morris_plane",
                )
            else:
                fig = plots.index_bars(
                    sensitivity,
                    outcome,
                    labels[outcome],
                    [("src", ("low", "high"), "SRC")],
                    "Standardised regression coefficients",
                    "SRC",
                )
            files += save(fig, figures_dir / f"{outcome}_{name}")

    extra = extra_sections(
        raw_runs, raw_design, points, manifest, types, labels, options, (tables_dir, figures_dir)
    )
    files += extra.files
    report = report_text(
        manifest,
        runs,
        failed,
        points,
        margins,
        sensitivity,
        sensitivity_note,
        heat_pair,
        outcomes,
        labels,
        factors,
        files,
        directory,
        scalars,
        extra.lines,
        choices,
    )
    path = directory / "analysis.md"
    write_text_atomic(path, report)
    return path

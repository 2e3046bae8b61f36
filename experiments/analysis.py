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

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments import plots, shards
from brink.experiments.sweep import read_design
from brink.sim.output import read_manifest, write_text_atomic
from brink.viz.style import save

Z95 = 1.959963984540054
#: Quantile bins of a sampled factor in the "against one factor" tables.
BINS = 8
#: Cells per side of a heat map over two sampled factors.
HEAT_BINS = 5
#: Bootstrap resamples of the SRC intervals.
BOOTSTRAP = 500
FIGURES = "figures"


def wilson(successes: np.ndarray | float, trials: np.ndarray | float, z: float = Z95):
    """Wilson score interval ``(low, high)`` of a binomial proportion (Wilson 1927)."""
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / trials
        denominator = 1 + z**2 / trials
        centre = (p + z**2 / (2 * trials)) / denominator
        half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    # At 0 or n successes the interval's closed end is exactly 0 or 1 (no rounding residue).
    low = np.where(successes == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(successes == trials, 1.0, np.clip(centre + half, 0, 1))
    return low, high


def read_runs(directory: Path | str, outcome_names: list[str], factor_names: list[str]):
    """One row per run: point, replication, seed, factors, error and each outcome (0/1)."""
    columns = ["point", "replication", "seed", "error", *factor_names]
    columns += [shards.OUTCOME_PREFIX + name for name in outcome_names]
    frame = shards.read_shards(directory, columns=columns)
    frame = frame.drop_duplicates(["point", "replication"]).reset_index(drop=True)
    return frame.rename(columns={shards.OUTCOME_PREFIX + n: n for n in outcome_names})


def _proportions(groups, outcomes: list[str]) -> pd.DataFrame:
    rows = []
    for key, group in groups:
        good = group[group["error"].isna()]
        for outcome in outcomes:
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


def point_table(runs: pd.DataFrame, design: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Per design point and outcome: runs, failures, probability and its 95 % interval."""
    table = _proportions(runs.groupby("point"), outcomes).rename(columns={"key": "point"})
    failures = runs.groupby("point")["error"].apply(lambda e: int(e.notna().sum()))
    table["failed"] = table["point"].map(failures).fillna(0).astype(int)
    return design.merge(table, on="point")


def _bins(values: pd.Series, count: int) -> tuple[pd.Series, bool]:
    """Group values by level when there are few distinct ones, else by quantile bins."""
    if values.nunique() <= count:
        return values, True
    return pd.qcut(values, count, labels=False, duplicates="drop"), False


def marginals(runs: pd.DataFrame, factors: list[str], outcomes: list[str]) -> pd.DataFrame:
    """P(outcome) against each factor, pooled over the others: ``factor, outcome, x, n, p, …``.

    ``x`` is the level (factorial) or the mean of the factor's values in a quantile bin.
    """
    parts = []
    for name in factors:
        bins, _ = _bins(runs[name], BINS)
        table = _proportions(runs.groupby(bins), outcomes)
        centres = runs.groupby(bins)[name].mean()
        table["x"] = table["key"].map(centres)
        table.insert(0, "factor", name)
        parts.append(table.drop(columns="key"))
    return pd.concat(parts, ignore_index=True)


def heat_cells(runs: pd.DataFrame, pair: tuple[str, str], outcomes: list[str]) -> pd.DataFrame:
    """P(outcome) over two factors (levels, or quantile bins): ``x, y, outcome, n, p, …``."""
    first, _ = _bins(runs[pair[0]], HEAT_BINS)
    second, _ = _bins(runs[pair[1]], HEAT_BINS)
    keys = pd.DataFrame({"bx": first, "by": second})
    grouped = runs.groupby([keys["bx"], keys["by"]])
    table = _proportions(grouped, outcomes)
    centres_x = runs.groupby([keys["bx"], keys["by"]])[pair[0]].mean()
    centres_y = runs.groupby([keys["bx"], keys["by"]])[pair[1]].mean()
    # Label each bin by its mean over the whole column, so a row of cells shares one label.
    column_x = runs.groupby(keys["bx"])[pair[0]].mean()
    column_y = runs.groupby(keys["by"])[pair[1]].mean()
    table["x"] = [column_x[key[0]] for key in table["key"]]
    table["y"] = [column_y[key[1]] for key in table["key"]]
    del centres_x, centres_y
    return table.drop(columns="key")


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
        coefficients, r2 = _src(x, y)
        draws = []
        for _ in range(BOOTSTRAP):
            pick = rng.integers(0, len(y), len(y))
            draws.append(_src(x[pick], y[pick])[0])
        draws = np.array(draws)
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


def _src(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
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
        result = morris.analyze(design_problem, x, y, num_levels=levels, seed=seed)
        rows += _index_rows(outcome, design_problem["names"], result, MORRIS_KEYS)
    return pd.DataFrame(rows)


SOBOL_KEYS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_KEYS = ("mu_star", "mu_star_conf", "mu", "sigma")


def _index_rows(outcome: str, names, result, keys) -> list[dict[str, Any]]:
    """One row per factor of a SALib result: the outcome, the factor and the chosen indices."""
    return [
        {"outcome": outcome, "factor": name, **{key: result[key][index] for key in keys}}
        for index, name in enumerate(names)
    ]


def _markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.{digits}g}"
        return str(value)

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _stem(text: str) -> str:
    return text.replace(".", "_").replace("/", "_")


def analyze_sweep(directory: Path | str, pair: list[str] | None = None) -> Path:
    """Write ``analysis.md``, ``tables/*.csv`` and ``figures/*.png|pdf`` for a sweep.

    Args:
        directory: a directory written by ``brink sweep``.
        pair: the two factors of the heat map (default: the two most influential).

    Returns:
        Path: the ``analysis.md`` written.

    Raises:
        BrinkInputError: if ``directory`` is not a sweep, or ``pair`` names no factor of it.
    """
    from brink.errors import BrinkInputError, Location, did_you_mean

    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest.get("kind") != "sweep":
        raise BrinkInputError("not a sweep directory", Location(file=str(directory)))
    if not str(manifest.get("status", "")).startswith("complete"):
        raise BrinkInputError(
            f"the sweep did not finish (status {manifest.get('status')!r}); finish it with "
            "brink sweep … --resume, then analyze it",
            Location(file=str(directory / "manifest.json")),
        )
    factors = [factor["name"] for factor in manifest["factors"]]
    units = {factor["name"]: factor["unit"] for factor in manifest["factors"]}
    specs = manifest["outcomes"]
    outcomes = [spec["name"] for spec in specs]
    labels = {spec["name"]: spec["label"] for spec in specs}
    design = read_design(directory)
    runs = read_runs(directory, outcomes, factors)
    seed = int(manifest["root_seed"])
    kind = manifest["design"]["kind"]

    tables_dir = directory / "tables"
    figures_dir = directory / FIGURES
    tables_dir.mkdir(exist_ok=True)
    figures_dir.mkdir(exist_ok=True)

    good = runs[runs["error"].isna()]
    failed = int(runs["error"].notna().sum())
    points = point_table(runs, design, outcomes)
    margins = marginals(good, factors, outcomes)

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

    if pair:
        for name in pair:
            if name not in factors:
                raise BrinkInputError(
                    f"'{name}' is not a factor of this sweep{did_you_mean(name, factors)}",
                    Location(file="command line", key="--pair"),
                )
        heat_pair = (pair[0], pair[1])
    else:
        heat_pair = tuple(ranking[:2]) if len(factors) >= 2 else None

    files: list[Path] = []
    write_text_atomic(tables_dir / "points.csv", points.to_csv(index=False))
    write_text_atomic(tables_dir / "by_factor.csv", margins.to_csv(index=False))
    files += [tables_dir / "points.csv", tables_dir / "by_factor.csv"]
    shown = ranking[:6]
    for outcome in outcomes:
        note = f" (the {len(shown)} most influential)" if len(shown) < len(factors) else ""
        fig = plots.probability_by_factor(
            margins, outcome, labels[outcome], units, order=shown, note=note
        )
        files += save(fig, figures_dir / f"{outcome}_by_factor")
    cells = None
    if heat_pair is not None:
        cells = heat_cells(good, heat_pair, outcomes)
        cells.insert(0, "factor_y", heat_pair[1])
        cells.insert(0, "factor_x", heat_pair[0])
        write_text_atomic(tables_dir / "heat_map.csv", cells.to_csv(index=False))
        files.append(tables_dir / "heat_map.csv")
        for outcome in outcomes:
            fig = plots.heat_map(cells, outcome, labels[outcome], heat_pair, units)
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

    report = _report(
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
    )
    path = directory / "analysis.md"
    write_text_atomic(path, report)
    return path


def _report(
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
        "Pooled over every run of every point, with 95 % Wilson intervals.",
        "",
    ]
    good = runs[runs["error"].isna()]
    overall = []
    for outcome in outcomes:
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
    lines += [_markdown_table(pd.DataFrame(overall)), ""]
    lines += [
        "## Against each factor",
        "",
        "Runs pooled over the other factors; a sampled factor is cut into quantile bins "
        f"(at most {BINS}). Table: `tables/by_factor.csv`.",
        "",
    ]
    for outcome in outcomes:
        part = margins[margins["outcome"] == outcome][["factor", "x", "n", "p", "low", "high"]]
        lines += [
            f"### P({labels[outcome]})",
            "",
            _markdown_table(part),
            "",
            f"![P({labels[outcome]}) by factor](figures/{outcome}_by_factor.png)",
            "",
        ]
    if heat_pair is not None:
        lines += [
            "## Two factors together",
            "",
            f"`{heat_pair[0]}` (x) against `{heat_pair[1]}` (y). Table: `tables/heat_map.csv`.",
            "",
        ]
        lines += [f"![P({labels[o]}) heat map](figures/{o}_heat_map.png)" for o in outcomes]
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
                f"### P({labels[outcome]})",
                "",
                _markdown_table(part),
                "",
                f"![{stem}](figures/{outcome}_{stem}.png)",
                "",
            ]
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

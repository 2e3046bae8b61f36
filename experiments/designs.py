"""Design points of a sweep: full factorial, Latin hypercube, Sobol (Saltelli) and Morris.

The Latin hypercube comes from :class:`scipy.stats.qmc.LatinHypercube`; the Sobol and Morris
samples from SALib (Herman & Usher 2017), so SALib's analysers can read them back. The random
stream that draws a design is a child of the experiment's root seed with a spawn key no
replication uses (replications use keys 0 … n − 1), so the same file always gives the same
design, whatever the number of replications.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd

#: Spawn key of the design's random stream under the root seed (far above any replication).
DESIGN_STREAM = 2**31 - 1
#: Levels of a factorial factor given as a range, when the file does not say.
DEFAULT_LEVELS = 5
#: Levels of a Morris grid, when the file does not say (SALib's default).
DEFAULT_MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Design:
    """The points of a sweep, one row per point, one column per factor.

    Attributes:
        kind: the design's kind (``factorial``, ``latin_hypercube``, ``sobol``, ``morris``).
        names: factor names, in column order.
        points: an array of shape (points, factors).
        problem: the SALib problem definition (names and bounds).
        levels: the Morris grid's levels (None for the other designs).
        second_order: whether a Sobol sample supports second-order indices.
        max_correlation: the largest absolute Pearson correlation between two columns.
    """

    kind: str
    names: tuple[str, ...]
    points: np.ndarray
    problem: dict[str, Any]
    levels: int | None = None
    second_order: bool = False
    max_correlation: float | None = None

    def __len__(self) -> int:
        return len(self.points)

    def table(self) -> pa.Table:
        """The design as an Arrow table: a ``point`` column, then one float column per factor.

        Built from the arrays' memory, not with ``pa.array``, which imports pandas to check
        whether it was given a pandas object; so a sweep's main process never imports pandas
        (37 MiB of its peak of 131, measured with ``benchmarks/bench_sweep.py``).
        """
        columns = [_arrow_column(np.arange(len(self.points), dtype=np.int64), pa.int64())]
        columns += [
            _arrow_column(np.asarray(self.points[:, index], dtype=np.float64), pa.float64())
            for index in range(len(self.names))
        ]
        return pa.Table.from_arrays(columns, names=["point", *self.names])

    def frame(self) -> pd.DataFrame:
        """The design as a data frame with a ``point`` column first."""
        return self.table().to_pandas()


def _arrow_column(values: np.ndarray, kind: pa.DataType) -> pa.Array:
    """An Arrow array over a copy of a one-dimensional NumPy array (no nulls)."""
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values.copy())])


def design_rng(root_seed: int) -> np.random.Generator:
    """The generator that draws a design, a child stream of the root seed."""
    return np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=(DESIGN_STREAM,)))


def max_abs_correlation(points: np.ndarray) -> float | None:
    """Largest absolute Pearson correlation between two columns (None with one column)."""
    if points.shape[1] < 2 or points.shape[0] < 3:
        return None
    spread = points.std(axis=0)
    varying = points[:, spread > 0]
    if varying.shape[1] < 2:
        return 0.0
    matrix = np.corrcoef(varying, rowvar=False)
    off_diagonal = matrix[~np.eye(len(matrix), dtype=bool)]
    return float(np.max(np.abs(off_diagonal)))


def factor_levels(factor, default: int) -> tuple[float, ...]:
    """A factorial factor's levels: its own list, or ``default`` evenly spaced over its range."""
    if factor.levels is not None:
        return tuple(float(level) for level in factor.levels)
    values = np.linspace(factor.low, factor.high, default)
    if factor.target.integer:
        values = np.unique(np.round(values))
    # 12 significant digits: 0.6, not linspace's 0.6000000000000001, in tables and labels
    return tuple(float(f"{value:.12g}") for value in values)


def build_design(experiment) -> Design:
    """The design points of an :class:`~brink.experiments.experiment.Experiment`."""
    spec = experiment.design
    factors = experiment.factors
    names = tuple(factor.name for factor in factors)
    bounds = [list(factor.bounds) for factor in factors]
    problem = {"num_vars": len(factors), "names": list(names), "bounds": bounds}
    rng = design_rng(experiment.seed)
    if spec.kind == "factorial":
        grid = [factor_levels(factor, spec.levels or DEFAULT_LEVELS) for factor in factors]
        points = np.array(list(itertools.product(*grid)), dtype=float)
        return Design(spec.kind, names, points, problem, max_correlation=0.0)
    if spec.kind == "latin_hypercube":
        from scipy.stats import qmc  # imported here: SciPy's stats take seconds to import

        sampler = qmc.LatinHypercube(d=len(factors), optimization=spec.optimization, rng=rng)
        unit = sampler.random(spec.samples)
        low, high = np.array(bounds).T
        points = qmc.scale(unit, low, high)
        return Design(
            spec.kind, names, points, problem, max_correlation=max_abs_correlation(points)
        )
    if spec.kind == "sobol":
        from SALib.sample import sobol

        points = sobol.sample(problem, spec.samples, calc_second_order=spec.second_order, seed=rng)
        return Design(
            spec.kind,
            names,
            points,
            problem,
            second_order=spec.second_order,
            max_correlation=max_abs_correlation(points),
        )
    from SALib.sample import morris

    levels = spec.levels or DEFAULT_MORRIS_LEVELS
    points = morris.sample(problem, spec.samples, num_levels=levels, seed=rng)
    return Design(
        spec.kind,
        names,
        points,
        problem,
        levels=levels,
        max_correlation=max_abs_correlation(points),
    )

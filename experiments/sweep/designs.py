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
        choices: per column, the choices of a categorical or yes/no factor (None: a number);
            such a column of ``points`` holds the index of a choice.
    """

    kind: str
    names: tuple[str, ...]
    points: np.ndarray
    problem: dict[str, Any]
    levels: int | None = None
    second_order: bool = False
    max_correlation: float | None = None
    choices: tuple[tuple[Any, ...] | None, ...] = ()

    def _choices(self, index: int) -> tuple[Any, ...] | None:
        return self.choices[index] if self.choices else None

    def values(self, point: int) -> tuple[Any, ...]:
        """The factor values of a point: numbers, and the choices of categorical columns."""
        row = self.points[point]
        return tuple(
            float(row[index])
            if (choices := self._choices(index)) is None
            else choices[int(row[index])]
            for index in range(len(self.names))
        )

    def __len__(self) -> int:
        return len(self.points)

    def table(self) -> pa.Table:
        """The design as an Arrow table: a ``point`` column, then one float column per factor.

        Built from the arrays' memory, not with ``pa.array``, which imports pandas to check
        whether it was given a pandas object; so a sweep's main process never imports pandas
        (37 MiB of its peak of 131, measured with ``benchmarks/bench_sweep.py``).
        """
        columns = [_arrow_column(np.arange(len(self.points), dtype=np.int64), pa.int64())]
        for index in range(len(self.names)):
            choices = self._choices(index)
            values = np.asarray(self.points[:, index], dtype=np.float64)
            if choices is None:
                columns.append(_arrow_column(values, pa.float64()))
            else:
                columns.append(choice_column([choices[int(code)] for code in values]))
        return pa.Table.from_arrays(columns, names=["point", *self.names])

    def frame(self) -> pd.DataFrame:
        """The design as a data frame with a ``point`` column first."""
        return self.table().to_pandas()


def _arrow_column(values: np.ndarray, kind: pa.DataType) -> pa.Array:
    """An Arrow array over a copy of a one-dimensional NumPy array (no nulls)."""
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values.copy())])


def arrow_type(choices: tuple[Any, ...] | None) -> pa.DataType:
    """The Arrow type of a factor's column: float64, bool (yes/no) or string (categorical)."""
    if choices is None:
        return pa.float64()
    return pa.bool_() if set(choices) == {False, True} else pa.string()


def choice_column(values: list[Any]) -> pa.Array:
    """An Arrow array of booleans or strings built from buffers (no nulls), not ``pa.array``,
    which would import pandas into a sweep's main process (see :meth:`Design.table`)."""
    if values and all(isinstance(value, bool) for value in values):
        bits = np.packbits(np.array(values, dtype=bool), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    data = [str(value).encode() for value in values]
    offsets = np.concatenate([[0], np.cumsum([len(item) for item in data])]).astype(np.int32)
    return pa.Array.from_buffers(
        pa.string(),
        len(values),
        [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(data))],
    )


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


def _coded_levels(factor, default: int) -> tuple[float, ...]:
    """A factorial factor's levels as design coordinates (a choice's index if categorical)."""
    if factor.kind != "number":
        return tuple(float(index) for index in range(len(factor.levels)))
    return factor_levels(factor, default)


def build_design(experiment) -> Design:
    """The design points of an :class:`~brink.experiments.sweep.experiment.Experiment`.

    The uncertainties are sampled by the experiment's design; every lever setting (the full
    factorial of the levers' levels) is crossed with every point of the uncertainties, lever
    settings outermost, so the points of one setting are consecutive and every setting meets
    the same futures. Columns follow the experiment's factors: uncertainties, then levers.
    """
    uncertainties = [f for f in experiment.factors if f.role == "uncertainty"]
    levers = [f for f in experiment.factors if f.role == "lever"]
    inner = _uncertainty_design(experiment, uncertainties)
    choices = tuple(
        tuple(f.levels) if f.kind != "number" else None for f in [*uncertainties, *levers]
    )
    if not levers:
        return Design(**{**inner.__dict__, "choices": choices})
    grid = [_coded_levels(f, experiment.design.levels or DEFAULT_LEVELS) for f in levers]
    settings = np.array(list(itertools.product(*grid)), dtype=float)
    inner_points = inner.points if uncertainties else np.zeros((1, 0))
    points = np.vstack(
        [np.hstack([inner_points, np.tile(row, (len(inner_points), 1))]) for row in settings]
    )
    factors = [*uncertainties, *levers]
    names = [f.name for f in factors]
    problem = {
        "num_vars": len(factors),
        "names": names,
        "bounds": [list(f.bounds) for f in factors],
    }
    return Design(
        inner.kind,
        tuple(names),
        points,
        problem,
        levels=inner.levels,
        second_order=inner.second_order,
        max_correlation=inner.max_correlation,
        choices=choices,
    )


def _uncertainty_design(experiment, factors) -> Design:
    """The design over the uncertainties alone (the whole design of a file with no levers)."""
    spec = experiment.design
    names = tuple(factor.name for factor in factors)
    bounds = [list(factor.bounds) for factor in factors]
    problem = {"num_vars": len(factors), "names": list(names), "bounds": bounds}
    rng = design_rng(experiment.seed)
    if spec.kind == "factorial":
        grid = [_coded_levels(factor, spec.levels or DEFAULT_LEVELS) for factor in factors]
        points = np.array(list(itertools.product(*grid)), dtype=float)
        return Design(spec.kind, names, points, problem, max_correlation=0.0)
    if spec.kind == "latin_hypercube":
        from scipy.stats import qmc  # imported here: SciPy's stats take seconds to import

        sampler = qmc.LatinHypercube(d=len(factors), optimization=spec.optimization, rng=rng)
        unit = sampler.random(spec.samples)
        low, high = np.array(bounds).T
        points = qmc.scale(unit, low, high)
        for index, factor in enumerate(factors):
            if factor.kind != "number":  # each choice gets an equal share of the strata
                count = len(factor.levels)
                points[:, index] = np.minimum(np.floor(unit[:, index] * count), count - 1)
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

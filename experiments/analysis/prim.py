"""PRIM, the patient rule induction method (Friedman & Fisher 1999), for scenario discovery.

PRIM looks for a box (a range of each number factor, a subset of each categorical one) in which
the cases of interest are dense. It peels: among the candidate boxes that cut off a share
``peel_alpha`` of the points at the low or high end of one number factor, or drop one category
of a categorical factor, it keeps the one that gains the most density per point lost; it stops
when the box would fall below ``mass_min`` of the points or no cut raises the density. Then it
pastes: it widens a restricted side again while that raises the density. Every box on the way
is kept, with its coverage (share of all cases of interest inside), density (share of the
points inside that are cases) and mass (share of all points inside): the peeling trajectory.

This follows the EMA Workbench 3.0's ``ema_workbench.analysis.prim.Prim`` (Kwakkel 2017) rule
for rule: the same default objective (``lenient1``: gain in mean over points removed), the same
quantiles (the midpoint of the two order statistics around the cut, moved past ties, as in
Bryant & Lempert's sdtoolkit), the same tie-breaks and stopping rules, so both find the same box
on the same data (``tests/test_sweep_discovery.py`` checks it). It is written here (this module)
rather than imported, because the Workbench pulls statsmodels, seaborn and platypus into
every install for this one function; the Workbench is a test-only dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Box:
    """A box on the peeling trajectory.

    Attributes:
        limits: per factor, ``(low, high)`` for a number factor or a frozenset of choices.
        coverage: share of all cases of interest that fall inside.
        density: share of the points inside that are cases of interest.
        mass: share of all points inside.
        restricted: the factors whose limits are narrower than the data's.
    """

    limits: dict
    coverage: float
    density: float
    mass: float
    restricted: tuple[str, ...]


def quantile(values: np.ndarray, q: float) -> float:
    """The cut at quantile ``q``: the midpoint of the order statistics around ``(n − 1)·q``,
    the two moved apart past ties (below the median downwards, above it upwards), so a cut
    never falls inside a run of equal values (sdtoolkit; the EMA Workbench's ``get_quantile``)."""
    data = np.sort(values)
    position = (len(data) - 1) * q
    lower, higher = math.floor(position), math.ceil(position)
    if q > 0.5:
        while data[lower] == data[higher] and lower > 0:
            lower -= 1
    else:
        while data[lower] == data[higher] and higher < len(data) - 1:
            higher += 1
    return float((data[lower] + data[higher]) / 2)


class Prim:
    """One PRIM box search over ``x`` (numbers and categoricals) for the cases ``y``."""

    def __init__(
        self,
        x: pd.DataFrame,
        y: np.ndarray,
        peel_alpha: float = 0.05,
        paste_alpha: float = 0.05,
        mass_min: float = 0.05,
    ):
        self.x = x.reset_index(drop=True)
        self.y = np.asarray(y, dtype=float)
        self.peel_alpha, self.paste_alpha, self.mass_min = peel_alpha, paste_alpha, mass_min
        self.numbers = [c for c in x.columns if pd.api.types.is_float_dtype(x[c])]
        self.nominal = [c for c in x.columns if c not in self.numbers and x[c].nunique() > 1]
        self.columns = self.numbers + self.nominal
        # a number's range, or a nominal column's set of values
        self.initial: dict[str, tuple[float, float] | frozenset[Any]] = {
            c: (float(x[c].min()), float(x[c].max())) for c in self.numbers
        }
        self.initial.update({c: frozenset(x[c].unique()) for c in self.nominal})
        self.cases = float(self.y.sum())

    def _restricted(self, limits: dict) -> tuple[str, ...]:
        return tuple(c for c in self.columns if limits[c] != self.initial[c])

    def _inside(self, limits: dict, columns) -> np.ndarray:
        inside = np.ones(len(self.x), dtype=bool)
        for c in columns:
            if c in self.initial and isinstance(self.initial[c], frozenset):
                inside &= self.x[c].isin(limits[c]).to_numpy()
            else:
                values = self.x[c].to_numpy(dtype=float)
                inside &= (values >= limits[c][0]) & (values <= limits[c][1])
        return inside

    @staticmethod
    def _objective(y_old: np.ndarray, y_new: np.ndarray) -> float:
        """EMA Workbench's lenient1: gain in mean per point added or removed."""
        mean_old = y_old.mean()
        mean_new = y_new.mean() if len(y_new) else 0.0
        if mean_old == mean_new:
            return 0.0
        return (mean_new - mean_old) / abs(len(y_old) - len(y_new))

    def _box(self, limits: dict, index: np.ndarray) -> Box:
        inside = self.y[index]
        return Box(
            limits=dict(limits),
            coverage=float(inside.sum() / self.cases) if self.cases else 0.0,
            density=float(inside.mean()) if len(inside) else 0.0,
            mass=len(index) / len(self.y),
            restricted=self._restricted(limits),
        )

    def _best(self, index: np.ndarray, candidates: list) -> tuple[float, dict, np.ndarray]:
        scored = []
        for new_index, limits in candidates:
            objective = self._objective(self.y[index], self.y[new_index])
            free = len(self.columns) - len(self._restricted(limits))
            scored.append((objective, free, limits, new_index))
        # a stable sort, descending: the first candidate wins a tie (as in the Workbench)
        scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        return scored[0][0], scored[0][2], scored[0][3]

    def _peels(self, limits: dict, index: np.ndarray) -> list:
        candidates = []
        for c in self.numbers:
            values = self.x[c].to_numpy(dtype=float)[index]
            for side, q in ((1, 1 - self.peel_alpha), (0, self.peel_alpha)):
                cut = quantile(values, q)
                keep = values <= cut if side == 1 else values >= cut
                new = dict(limits)
                new[c] = (limits[c][0], cut) if side == 1 else (cut, limits[c][1])
                candidates.append((index[keep], new))
        for c in self.nominal:
            if len(limits[c]) > 1:
                values = self.x[c].to_numpy()[index]
                for choice in limits[c]:
                    new = dict(limits)
                    new[c] = limits[c] - {choice}
                    candidates.append((index[values != choice], new))
        return candidates

    def _pastes(self, limits: dict) -> list:
        restricted = self._restricted(limits)
        candidates = []
        for c in restricted:
            if c in self.nominal:
                for choice in self.initial[c] - limits[c]:
                    new = dict(limits)
                    new[c] = limits[c] | {choice}
                    candidates.append((np.flatnonzero(self._inside(new, restricted)), new))
                continue
            low, high = self.initial[c]
            values = self.x[c].to_numpy(dtype=float)
            for side in (0, 1):
                region = dict(limits)
                region[c] = (low, limits[c][0]) if side == 0 else (limits[c][1], high)
                data = values[self._inside(region, restricted)]
                if side == 0:
                    value = quantile(data, 1 - self.paste_alpha) if len(data) else low
                else:
                    value = quantile(data, self.paste_alpha) if len(data) else high
                new = dict(limits)
                new[c] = (value, limits[c][1]) if side == 0 else (limits[c][0], value)
                candidates.append((np.flatnonzero(self._inside(new, restricted)), new))
        return candidates

    def find_box(self) -> list[Box]:
        """The peeling and pasting trajectory of the first box, from the whole data onwards."""
        limits = dict(self.initial)
        index = np.arange(len(self.y))
        trajectory = [self._box(limits, index)]
        while True:  # peeling
            candidates = self._peels(limits, index)
            if not candidates:
                break
            objective, new, new_index = self._best(index, candidates)
            mass_new = len(new_index) / len(self.y)
            if mass_new >= self.mass_min and len(new_index) < len(index) and objective > 0:
                limits, index = new, new_index
                trajectory.append(self._box(limits, index))
            else:
                break
        while True:  # pasting
            candidates = self._pastes(limits)
            if not candidates:
                break
            objective, new, new_index = self._best(index, candidates)
            grows = len(new_index) > len(index) and len(new_index) / len(self.y) >= self.mass_min
            if grows and objective > 0 and self.y[new_index].mean() > self.y[index].mean():
                limits, index = new, new_index
                trajectory.append(self._box(limits, index))
            else:
                break
        return trajectory


def choose_box(trajectory: list[Box], min_coverage: float) -> Box:
    """The densest box on the trajectory that still covers ``min_coverage`` of the cases (the
    largest-coverage box when none does); ties go to the larger box."""
    covering = [box for box in trajectory if box.coverage >= min_coverage] or [
        max(trajectory, key=lambda box: box.coverage)
    ]
    return max(covering, key=lambda box: (box.density, box.mass))

"""When to give way in a standoff: the war of attrition with private values, as a stopping rule.

Bishop & Cannings (1978); Fudenberg & Tirole (1986); applied to crises by Fearon (1994). Each
side knows its own ratio z = Δ/κ — what prevailing is worth to it over what a day of holding
costs it, in days — and believes the other's ratio is drawn from a distribution G. In the
symmetric equilibrium a side with ratio z holds until

    T(z) = ∫₀ᶻ y g(y) / (1 − G(y)) dy,

and the other side's quitting hazard at time t is 1/z*(t), z*(t) = T⁻¹(t) the ratio of the
marginal type then. A side therefore gives way at the moment it infers that every type of the
other side still holding values the issue more, relative to its costs, than it does itself:
when z*(t) passes its own z. That is the rule here, with G the side's own belief (a Beta belief
over the other's resolve r, mapped to ratios through the other's z(r)); where the two sides'
beliefs are the same and correct, it *is* the equilibrium (``scenarios/classics/war_of_attrition
.yaml`` reproduces its stopping times, mean length 1/(6c) and survival curve through the whole
pipeline). Holding reveals resolve: every day the other holds, the belief about it is the prior
truncated below at the marginal type, and the chance that it gives way over the next days is a
continuous quantity (:meth:`AttritionView.chance_other_yields`), never a 0/1 step.

The integral is taken in u = −ln(1 − F(r)), the other side's cumulative hazard of quitting:
with r(u) = F⁻¹(1 − e⁻ᵘ), dT = z(r(u)) du, which is smooth where the Beta's density is not.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.special import betainc, betaincinv

#: The other side's cumulative hazard is tabulated on this many points …
GRID_POINTS = 97
#: … over this span of u (the top point is the type above all but e⁻¹² ≈ 6e-6 of the belief).
GRID_SPAN = 12.0


#: Denser near the start, where the first, weakest types quit and the hazard moves fastest.
_GRID = GRID_SPAN * np.linspace(0.0, 1.0, GRID_POINTS) ** 2


class AttritionView:
    """One side's view of the other in a standoff: when the other's types quit, and so when
    this side gives way.

    Args:
        alpha, beta: the Beta belief over the other side's resolve.
        floor: the lowest resolve the other can still have (it has held so far).
        ratio_of: maps an array of the other's resolve values to its ratios z(r) = Δ(r)/κ(r)
            in days (non-decreasing; clipped to be so).
    """

    def __init__(
        self,
        alpha: float,
        beta: float,
        floor: float,
        ratio_of: Callable[[np.ndarray], np.ndarray],
    ):
        self.u, self.resolve = _types(alpha, beta, floor)
        ratios = np.maximum.accumulate(np.maximum(ratio_of(self.resolve), 0.0))
        self.ratios = ratios
        steps = 0.5 * (ratios[1:] + ratios[:-1]) * np.diff(self.u)
        self.elapsed = np.concatenate(([0.0], np.cumsum(steps)))  # days from now to u

    def days_until_yield(self, own_ratio: float) -> float:
        """Days from now until this side gives way: when the other's marginal ratio passes
        ``own_ratio`` (0 if it already has; ∞ if no type of the other values it more)."""
        ratios = self.ratios
        if own_ratio <= ratios[0]:
            return 0.0
        if own_ratio >= ratios[-1]:
            return math.inf
        k = int(np.searchsorted(ratios, own_ratio, side="right"))
        low, high = ratios[k - 1], ratios[k]
        share = (own_ratio - low) / (high - low) if high > low else 1.0
        u_cross = self.u[k - 1] + share * (self.u[k] - self.u[k - 1])
        return float(np.interp(u_cross, self.u, self.elapsed))

    def floor_after(self, days: float) -> float:
        """The lowest resolve the other can have once it has held ``days`` more days."""
        return float(np.interp(days, self.elapsed, self.resolve))

    def chance_other_yields(self, days: float, within: float) -> float:
        """Believed chance that the other gives way between ``days`` and ``days + within`` from
        now, given it held until ``days``: 1 − exp(−(u(t + w) − u(t)))."""
        u_now = np.interp(days, self.elapsed, self.u)
        u_then = np.interp(days + within, self.elapsed, self.u)
        return float(-math.expm1(-(u_then - u_now)))

    def outlook(self, start: float, end: float, lapse: float = 0.0) -> tuple[float, float]:
        """(P, D) for the days from ``start`` to ``end`` (from now), the other having held until
        ``start`` and the issue lapsing at the daily rate ``lapse``: the believed chance that the
        other gives way in between (before a lapse), and the expected days of contest in between,
        ∫ S(t) e^(−lapse·t) dt with S the chance the other still holds."""
        if end <= start:
            return 0.0, 0.0
        inner = self.elapsed[(self.elapsed > start) & (self.elapsed < end)]
        times = np.concatenate(([start], inner, [end]))
        u = np.interp(times, self.elapsed, self.u)
        survival = np.exp(-(u - u[0]))
        if end > self.elapsed[-1]:  # beyond the table the other's types all hold
            times = np.append(times, end)
            survival = np.append(survival, survival[-1])
            times[-2] = max(start, self.elapsed[-1])
        kept = np.exp(-lapse * (times - start))
        mid_kept = 0.5 * (kept[1:] + kept[:-1])
        days = float(np.dot(0.5 * (survival[1:] + survival[:-1]) * mid_kept, np.diff(times)))
        chance = float(np.dot(survival[:-1] - survival[1:], mid_kept))
        return chance, days


#: Tables of the other's types kept for reuse (the belief and floor recur: every run of a case
#: starts from the same prior, and a standoff's view is rebuilt when only the stakes moved).
_TYPES_KEPT = 4096
_types_cache: dict[tuple[float, float, float], tuple[np.ndarray, np.ndarray]] = {}


def _types(alpha: float, beta: float, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """(u, r): the grid of the other's cumulative hazard of quitting from the floor up, and the
    resolve of the marginal type at each point, r(u) = F⁻¹(1 − e⁻ᵘ) (read-only arrays)."""
    key = (alpha, beta, floor)
    kept = _types_cache.get(key)
    if kept is None:
        u = _cumulative_hazard(alpha, beta, floor) + _GRID
        resolve = np.clip(betaincinv(alpha, beta, -np.expm1(-u)), floor, 1.0)
        u.flags.writeable = False
        resolve.flags.writeable = False
        if len(_types_cache) >= _TYPES_KEPT:
            _types_cache.clear()
        kept = _types_cache[key] = (u, resolve)
    return kept


def _cumulative_hazard(alpha: float, beta: float, floor: float) -> float:
    """u at the floor: −ln(1 − F(floor)) under Beta(alpha, beta)."""
    if floor <= 0.0:
        return 0.0
    return float(-math.log1p(-min(betainc(alpha, beta, floor), 1.0 - 1e-12)))

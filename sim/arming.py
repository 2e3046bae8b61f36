"""Richardson's arms race (Richardson 1960), solved exactly.

Two rivals' arms efforts x and y obey dx/dt = a·y − m·x + g and dy/dt = b·x − n·y + h: each
arms in reaction to the other (a, b, "defence coefficients"), is held back by the cost of its
own arms (m, n, "fatigue") and carries a standing grievance (g, h). The system is linear, so a
step of any length is exact through the matrix exponential.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import expm


def _check_finite(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")


def richardson_equilibrium(
    a: float, b: float, m: float, n: float, g: float, h: float
) -> tuple[float, float]:
    """The rest point (x*, y*) of Richardson's arms race.

    Richardson 1960: x* = (n·g + a·h)/(m·n − a·b), y* = (m·h + b·g)/(m·n − a·b). The point may
    be negative (no arms race settles there once efforts are floored at 0) or unstable; see
    :func:`richardson_is_stable`.

    Args:
        a: Reaction of x to y's arms.
        b: Reaction of y to x's arms.
        m: x's fatigue (cost of its own arms).
        n: y's fatigue.
        g: x's grievance.
        h: y's grievance.

    Returns:
        ``(x*, y*)``.

    Raises:
        ValueError: If m·n = a·b, where the lines are parallel and there is no single rest point.
    """
    _check_finite(a=a, b=b, m=m, n=n, g=g, h=h)
    determinant = m * n - a * b
    if determinant == 0.0:
        raise ValueError("m*n equals a*b: the system has no unique equilibrium")
    return (n * g + a * h) / determinant, (m * h + b * g) / determinant


def richardson_is_stable(a: float, b: float, m: float, n: float) -> bool:
    """Whether Richardson's arms race settles at its equilibrium.

    Richardson 1960: with non-negative coefficients the rest point is stable iff m·n > a·b
    (fatigue outweighs mutual reaction); otherwise efforts run away.

    Args:
        a: Reaction of x to y's arms (>= 0).
        b: Reaction of y to x's arms (>= 0).
        m: x's fatigue (>= 0).
        n: y's fatigue (>= 0).

    Returns:
        True if the equilibrium is stable.
    """
    _check_finite(a=a, b=b, m=m, n=n)
    return m * n > a * b


def richardson_step(
    x: float,
    y: float,
    a: float,
    b: float,
    m: float,
    n: float,
    g: float,
    h: float,
    dt: float,
) -> tuple[float, float]:
    """Advance Richardson's arms race by ``dt``, exactly, then floor efforts at 0.

    The affine system z' = M·z + c with M = [[−m, a], [b, −n]] and c = (g, h) is solved with
    the exponential of the augmented matrix [[M, c], [0, 0]], which is exact whether or not M is
    invertible. Arms cannot be negative, so each effort is floored at 0 at the end of the step
    (a departure from Richardson, whose equations allow negative "cooperation"); take short steps
    when a trajectory touches 0.

    Args:
        x: x's effort now.
        y: y's effort now.
        a: Reaction of x to y's arms.
        b: Reaction of y to x's arms.
        m: x's fatigue.
        n: y's fatigue.
        g: x's grievance.
        h: y's grievance.
        dt: Length of the step (>= 0).

    Returns:
        ``(x, y)`` after the step, each >= 0.

    Raises:
        ValueError: If an argument is not finite or ``dt`` is negative.
    """
    _check_finite(x=x, y=y)
    return apply_richardson_propagator(richardson_propagator(a, b, m, n, g, h, dt), x, y)


def richardson_propagator(
    a: float, b: float, m: float, n: float, g: float, h: float, dt: float
) -> np.ndarray:
    """The 3×3 matrix that advances (x, y, 1) by ``dt``: exp([[M, c], [0, 0]]·dt).

    Computing it once and applying it every step (:func:`apply_richardson_propagator`) is exact
    and avoids a matrix exponential per step in long simulations.
    """
    _check_finite(a=a, b=b, m=m, n=n, g=g, h=h, dt=dt)
    if dt < 0:
        raise ValueError(f"dt must be >= 0, got {dt!r}")
    augmented = np.array([[-m, a, g], [b, -n, h], [0.0, 0.0, 0.0]], dtype=float)
    return expm(augmented * dt)


def apply_richardson_propagator(propagator: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """One step with a precomputed propagator, efforts floored at 0."""
    x_new = propagator[0, 0] * x + propagator[0, 1] * y + propagator[0, 2]
    y_new = propagator[1, 0] * x + propagator[1, 1] * y + propagator[1, 2]
    return max(0.0, float(x_new)), max(0.0, float(y_new))

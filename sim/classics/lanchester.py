"""Lanchester's laws of attrition (Lanchester 1916), solved in closed form.

Two forces A and B destroy each other. Under the *square law* (aimed fire) each side's losses are
proportional to the other side's size; under the *linear law* (area fire) they are proportional
to the product of both sizes. Both systems have exact solutions, so a war can be advanced by any
time span in one call, and composing two spans gives the same result as one span of their sum
(up to rounding). Effectiveness ``alpha`` is A's killing rate against B, ``beta`` B's against A.
"""

from __future__ import annotations

import math
from typing import Literal

# exp(709) is the largest power of e that a float holds.
_MAX_EXPONENT = 700.0


def _check(a0: float, b0: float, alpha: float, beta: float, t: float) -> None:
    for name, value in (("a0", a0), ("b0", b0), ("alpha", alpha), ("beta", beta), ("t", t)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def square_law(a0: float, b0: float, alpha: float, beta: float, t: float) -> tuple[float, float]:
    """Sizes of both forces after time ``t`` under the square law.

    Solves dA/dt = −β·B, dB/dt = −α·A exactly (Lanchester 1916). With γ = √(αβ) and
    k = √(β/α), A(t) = A0·cosh γt − k·B0·sinh γt and B(t) = B0·cosh γt − A0/k·sinh γt. The
    equations stop holding when a side reaches zero: from that moment the loser stays at 0 and the
    winner keeps its survivors, √(A0² − (β/α)·B0²) for A (and symmetrically for B).

    Args:
        a0: Size of force A at the start (>= 0).
        b0: Size of force B at the start (>= 0).
        alpha: A's effectiveness, B's losses per unit of A per unit of time (>= 0).
        beta: B's effectiveness, A's losses per unit of B per unit of time (>= 0).
        t: Time elapsed (>= 0).

    Returns:
        ``(A(t), B(t))``, both >= 0.

    Raises:
        ValueError: If an argument is negative or not finite.
    """
    _check(a0, b0, alpha, beta, t)
    if a0 == 0.0 or b0 == 0.0 or t == 0.0:
        return float(a0), float(b0)
    if alpha == 0.0 or beta == 0.0:
        # One side cannot hurt the other: the other's losses are linear in time.
        return max(0.0, a0 - beta * b0 * t), max(0.0, b0 - alpha * a0 * t)
    gamma = math.sqrt(alpha * beta)
    k = math.sqrt(beta / alpha)
    # Lanchester 1916: A wins iff α·A0² > β·B0², i.e. A0 > k·B0.
    if a0 > k * b0:
        t_end = math.atanh(k * b0 / a0) / gamma  # the moment B reaches zero
        if t >= t_end:
            return square_law_survivors(a0, b0, alpha, beta), 0.0
    elif a0 < k * b0:
        t_end = math.atanh(a0 / (k * b0)) / gamma  # the moment A reaches zero
        if t >= t_end:
            return 0.0, square_law_survivors(a0, b0, alpha, beta)
    # Before the end (or in a draw, where both decay as e^{−γt} and never reach zero).
    cosh, sinh = math.cosh(gamma * t), math.sinh(gamma * t)
    a = a0 * cosh - k * b0 * sinh
    b = b0 * cosh - a0 / k * sinh
    # Losses only ever shrink a force; the bounds guard against rounding.
    return min(a0, max(0.0, a)), min(b0, max(0.0, b))


def square_law_survivors(a0: float, b0: float, alpha: float, beta: float) -> float:
    """Survivors of the winning side when a square-law war is fought to the end.

    Lanchester 1916: the invariant α·A² − β·B² leaves √(A0² − (β/α)·B0²) for A when A wins and
    √(B0² − (α/β)·A0²) for B when B wins; a draw leaves 0.

    Args:
        a0: Size of force A at the start (>= 0).
        b0: Size of force B at the start (>= 0).
        alpha: A's effectiveness (>= 0).
        beta: B's effectiveness (>= 0).

    Returns:
        The winner's final size (0.0 for a draw).
    """
    _check(a0, b0, alpha, beta, 0.0)
    winner = square_law_winner(a0, b0, alpha, beta)
    if winner == "A":
        return a0 if beta == 0.0 else math.sqrt(max(0.0, a0 * a0 - beta / alpha * b0 * b0))
    if winner == "B":
        return b0 if alpha == 0.0 else math.sqrt(max(0.0, b0 * b0 - alpha / beta * a0 * a0))
    return 0.0


def square_law_winner(a0: float, b0: float, alpha: float, beta: float) -> Literal["A", "B", "draw"]:
    """Which side a square-law war fought to the end leaves standing.

    A wins iff α·A0² > β·B0² (Lanchester 1916); equality is a draw.

    Args:
        a0: Size of force A at the start (>= 0).
        b0: Size of force B at the start (>= 0).
        alpha: A's effectiveness (>= 0).
        beta: B's effectiveness (>= 0).

    Returns:
        ``"A"``, ``"B"`` or ``"draw"``.
    """
    _check(a0, b0, alpha, beta, 0.0)
    strength_a, strength_b = alpha * a0 * a0, beta * b0 * b0
    if strength_a > strength_b:
        return "A"
    if strength_b > strength_a:
        return "B"
    return "draw"


def _growth_integral(k: float, t: float) -> float:
    """∫₀ᵗ e^{−k·s} ds = −expm1(−k·t)/k, equal to t when k = 0 (inf if it overflows)."""
    if k == 0.0:
        return t
    if -k * t > _MAX_EXPONENT:
        return math.inf
    return -math.expm1(-k * t) / k


def linear_law(a0: float, b0: float, alpha: float, beta: float, t: float) -> tuple[float, float]:
    """Sizes of both forces after time ``t`` under the linear law.

    Solves dA/dt = −β·A·B, dB/dt = −α·A·B exactly (Lanchester 1916). K = α·A − β·B is
    invariant, so A obeys the logistic equation dA/dt = K·A − α·A², whose solution is
    A(t) = A0 / (1 + β·B0·φ(K, t)) with φ(K, t) = (1 − e^{−Kt})/K (φ = t when K = 0, the equal
    case, where A(t) = A0/(1 + α·A0·t)); B(t) = B0 / (1 + α·A0·φ(−K, t)). Positive forces never
    reach zero in finite time: the weaker side decays towards 0 and the stronger towards K/α
    (or −K/β for B).

    Args:
        a0: Size of force A at the start (>= 0).
        b0: Size of force B at the start (>= 0).
        alpha: A's effectiveness (>= 0).
        beta: B's effectiveness (>= 0).
        t: Time elapsed (>= 0).

    Returns:
        ``(A(t), B(t))``, both >= 0.

    Raises:
        ValueError: If an argument is negative or not finite.
    """
    _check(a0, b0, alpha, beta, t)
    k = alpha * a0 - beta * b0
    a = a0 / (1.0 + beta * b0 * _growth_integral(k, t)) if a0 > 0.0 else 0.0
    b = b0 / (1.0 + alpha * a0 * _growth_integral(-k, t)) if b0 > 0.0 else 0.0
    return float(a), float(b)

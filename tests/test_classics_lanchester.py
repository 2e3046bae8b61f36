"""Lanchester's square and linear laws: closed forms against invariants and an ODE solver."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from brink.sim.classics.lanchester import (
    linear_law,
    square_law,
    square_law_survivors,
    square_law_winner,
)

sizes = st.floats(min_value=1.0, max_value=1e5)
rates = st.floats(min_value=1e-4, max_value=1.0)


def square_invariant(a: float, b: float, alpha: float, beta: float) -> float:
    return alpha * a * a - beta * b * b


def test_classics_value_1000_against_800_leaves_600():
    # docs/classics.md: A0 = 1000, B0 = 800, alpha = beta -> 600 survivors.
    assert square_law_survivors(1000, 800, 0.01, 0.01) == pytest.approx(600.0, rel=1e-12)
    assert square_law_winner(1000, 800, 0.01, 0.01) == "A"
    a, b = square_law(1000, 800, 0.01, 0.01, 1e6)
    assert a == pytest.approx(600.0, rel=1e-12)
    assert b == 0.0


def test_square_law_matches_an_ode_solver_before_the_end():
    # Derived case: alpha = 0.02, beta = 0.05, A0 = 900, B0 = 500, t = 10 (both still alive).
    alpha, beta = 0.02, 0.05
    solution = solve_ivp(
        lambda _t, z: [-beta * z[1], -alpha * z[0]],
        (0.0, 10.0),
        [900.0, 500.0],
        rtol=1e-12,
        atol=1e-9,
    )
    a, b = square_law(900.0, 500.0, alpha, beta, 10.0)
    assert a > 0 and b > 0
    assert a == pytest.approx(solution.y[0, -1], rel=1e-8)
    assert b == pytest.approx(solution.y[1, -1], rel=1e-8)


def test_square_law_invariant_drifts_less_than_1e_9_over_many_steps():
    a0, b0, alpha, beta = 1000.0, 800.0, 0.01, 0.012
    start = square_invariant(a0, b0, alpha, beta)
    a, b = a0, b0
    for _ in range(2000):
        a, b = square_law(a, b, alpha, beta, 0.05)
        assert b > 0  # still fighting: the invariant must hold exactly
        drift = abs(square_invariant(a, b, alpha, beta) - start) / abs(start)
        assert drift < 1e-9


def test_square_law_loser_stays_at_zero_and_winner_keeps_survivors():
    # Derived: alpha*A0^2 = 7500 < beta*B0^2 = 10000, so B wins with sqrt(1e6 - 3 * 500^2).
    survivors = square_law_survivors(500, 1000, 0.03, 0.01)
    assert survivors == pytest.approx(500.0)
    assert square_law_winner(500, 1000, 0.03, 0.01) == "B"
    end = math.atanh(500 / (math.sqrt(1 / 3) * 1000)) / math.sqrt(0.03 * 0.01)
    a, b = square_law(500, 1000, 0.03, 0.01, 0.999 * end)
    assert 0 < a < 10 and b > survivors
    for t in (end, 2 * end, 1e6):
        a, b = square_law(500, 1000, 0.03, 0.01, t)
        assert a == 0.0
        assert b == pytest.approx(survivors)


def test_square_law_draw_decays_both_sides_equally():
    assert square_law_winner(100, 100, 0.1, 0.1) == "draw"
    assert square_law_survivors(100, 100, 0.1, 0.1) == 0.0
    a, b = square_law(100, 100, 0.1, 0.1, 1.0)
    assert a == pytest.approx(100 * math.exp(-0.1))
    assert b == pytest.approx(a)


def test_square_law_one_sided_fire_is_linear_in_time():
    assert square_law(100, 50, 0.5, 0.0, 1.0) == (100.0, 0.0)
    assert square_law(100, 50, 0.0, 0.5, 1.0) == (75.0, 50.0)


def test_negative_input_is_refused():
    with pytest.raises(ValueError, match="a0"):
        square_law(-1, 1, 1, 1, 1)
    with pytest.raises(ValueError, match="t must"):
        linear_law(1, 1, 1, 1, -1)


@given(a0=sizes, b0=sizes, alpha=rates, beta=rates, t1=st.floats(0, 50), t2=st.floats(0, 50))
@settings(max_examples=200, deadline=None)
def test_square_law_steps_compose(a0, b0, alpha, beta, t1, t2):
    a_mid, b_mid = square_law(a0, b0, alpha, beta, t1)
    a_two, b_two = square_law(a_mid, b_mid, alpha, beta, t2)
    a_one, b_one = square_law(a0, b0, alpha, beta, t1 + t2)
    scale = max(a0, b0)
    assert a_two == pytest.approx(a_one, abs=1e-7 * scale)
    assert b_two == pytest.approx(b_one, abs=1e-7 * scale)


@given(a0=sizes, b0=sizes, alpha=rates, beta=rates, t=st.floats(0, 100))
@settings(max_examples=200, deadline=None)
def test_square_law_never_negative_never_grows_and_keeps_its_invariant(a0, b0, alpha, beta, t):
    a, b = square_law(a0, b0, alpha, beta, t)
    assert 0.0 <= a <= a0
    assert 0.0 <= b <= b0
    scale = alpha * a0 * a0 + beta * b0 * b0
    if a > 0 and b > 0:
        drift = abs(square_invariant(a, b, alpha, beta) - square_invariant(a0, b0, alpha, beta))
        assert drift <= 1e-9 * scale
    if a == 0 and b > 0:  # B won: it keeps exactly its survivors
        assert b == pytest.approx(square_law_survivors(a0, b0, alpha, beta), rel=1e-9)


def test_linear_law_matches_an_ode_solver():
    alpha, beta = 0.001, 0.002
    solution = solve_ivp(
        lambda _t, z: [-beta * z[0] * z[1], -alpha * z[0] * z[1]],
        (0.0, 3.0),
        [1000.0, 300.0],
        rtol=1e-12,
        atol=1e-9,
    )
    a, b = linear_law(1000.0, 300.0, alpha, beta, 3.0)
    assert a == pytest.approx(solution.y[0, -1], rel=1e-8)
    assert b == pytest.approx(solution.y[1, -1], rel=1e-8)


def test_linear_law_equal_case_is_harmonic_decay():
    # K = alpha*A0 - beta*B0 = 0: A(t) = A0 / (1 + alpha*A0*t).
    a, b = linear_law(200.0, 100.0, 0.01, 0.02, 5.0)
    assert a == pytest.approx(200.0 / (1 + 0.01 * 200 * 5))
    assert b == pytest.approx(100.0 / (1 + 0.02 * 100 * 5))


def test_linear_law_stronger_side_tends_to_k_over_alpha():
    a, b = linear_law(1000.0, 300.0, 0.01, 0.01, 1e4)
    assert a == pytest.approx((0.01 * 1000 - 0.01 * 300) / 0.01)
    assert b == 0.0


@given(a0=sizes, b0=sizes, alpha=rates, beta=rates, t1=st.floats(0, 5), t2=st.floats(0, 5))
@settings(max_examples=200, deadline=None)
def test_linear_law_keeps_its_invariant_and_composes(a0, b0, alpha, beta, t1, t2):
    a_mid, b_mid = linear_law(a0, b0, alpha, beta, t1)
    a, b = linear_law(a_mid, b_mid, alpha, beta, t2)
    scale = alpha * a0 + beta * b0
    assert abs((alpha * a - beta * b) - (alpha * a0 - beta * b0)) <= 1e-9 * scale
    a_one, b_one = linear_law(a0, b0, alpha, beta, t1 + t2)
    assert a == pytest.approx(a_one, rel=1e-9, abs=1e-9 * a0)
    assert b == pytest.approx(b_one, rel=1e-9, abs=1e-9 * b0)
    assert 0.0 <= a <= a0 and 0.0 <= b <= b0

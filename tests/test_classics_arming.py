"""Richardson's arms race: the published example, derived cases and exact steps."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from brink.sim.arming import richardson_equilibrium, richardson_is_stable, richardson_step


def test_classics_example_rests_at_25_11_and_35_11_and_is_stable():
    # docs/classics.md: dx/dt = 2y - 5x + 5, dy/dt = 2x - 3y + 5.
    x, y = richardson_equilibrium(a=2, b=2, m=5, n=3, g=5, h=5)
    assert x == pytest.approx(25 / 11, rel=1e-15)
    assert y == pytest.approx(35 / 11, rel=1e-15)
    assert richardson_is_stable(a=2, b=2, m=5, n=3)


def test_equilibrium_is_a_rest_point():
    x, y = richardson_equilibrium(a=0.7, b=1.3, m=2.0, n=0.9, g=0.4, h=-0.1)
    assert 0.7 * y - 2.0 * x + 0.4 == pytest.approx(0.0, abs=1e-12)
    assert 1.3 * x - 0.9 * y - 0.1 == pytest.approx(0.0, abs=1e-12)
    assert richardson_step(x, y, 0.7, 1.3, 2.0, 0.9, 0.4, -0.1, 10.0) == pytest.approx((x, y))


def test_parallel_lines_have_no_equilibrium():
    with pytest.raises(ValueError, match="no unique equilibrium"):
        richardson_equilibrium(a=2, b=3, m=3, n=2, g=1, h=1)


def test_unstable_race_runs_away():
    # Derived: a*b = 4 > m*n = 1, positive grievances: both efforts grow without bound.
    assert not richardson_is_stable(a=2, b=2, m=1, n=1)
    x, y = 1.0, 1.0
    history = []
    for _ in range(20):
        x, y = richardson_step(x, y, 2, 2, 1, 1, 1, 1, 0.5)
        history.append(x + y)
    assert all(later > earlier for earlier, later in itertools.pairwise(history))
    assert history[-1] > 1e4


def test_step_matches_an_ode_solver():
    solution = solve_ivp(
        lambda _t, z: [2 * z[1] - 5 * z[0] + 5, 2 * z[0] - 3 * z[1] + 5],
        (0.0, 0.7),
        [10.0, 0.5],
        rtol=1e-12,
        atol=1e-12,
    )
    x, y = richardson_step(10.0, 0.5, 2, 2, 5, 3, 5, 5, 0.7)
    assert x == pytest.approx(solution.y[0, -1], rel=1e-9)
    assert y == pytest.approx(solution.y[1, -1], rel=1e-9)


def test_singular_system_still_steps_exactly():
    # m*n = a*b = 1 with g = h = 0: x - y decays, x + y stays (eigenvalues 0 and -2).
    x, y = richardson_step(3.0, 1.0, 1, 1, 1, 1, 0, 0, 1.0)
    assert x + y == pytest.approx(4.0)
    assert x - y == pytest.approx(2.0 * np.exp(-2.0))


def test_efforts_are_floored_at_zero():
    x, y = richardson_step(0.1, 0.1, 0.0, 0.0, 1.0, 1.0, -5.0, -5.0, 2.0)
    assert (x, y) == (0.0, 0.0)


@given(
    x0=st.floats(0, 100),
    y0=st.floats(0, 100),
    a=st.floats(0, 2),
    b=st.floats(0, 2),
    g=st.floats(0, 5),
    h=st.floats(0, 5),
)
@settings(max_examples=100, deadline=None)
def test_stable_race_converges_from_any_start(x0, y0, a, b, g, h):
    m, n = a + b + 1.0, a + b + 1.0  # m*n > a*b always
    assert richardson_is_stable(a, b, m, n)
    x_star, y_star = richardson_equilibrium(a, b, m, n, g, h)
    x, y = richardson_step(x0, y0, a, b, m, n, g, h, 60.0)
    assert x == pytest.approx(x_star, abs=1e-6)
    assert y == pytest.approx(y_star, abs=1e-6)


@given(t1=st.floats(0, 3), t2=st.floats(0, 3), x0=st.floats(0, 10), y0=st.floats(0, 10))
@settings(max_examples=100, deadline=None)
def test_steps_compose_while_efforts_stay_positive(t1, t2, x0, y0):
    coefficients = (2, 2, 5, 3, 5, 5)  # positive grievances keep efforts positive
    mid = richardson_step(x0, y0, *coefficients, t1)
    two = richardson_step(*mid, *coefficients, t2)
    one = richardson_step(x0, y0, *coefficients, t1 + t2)
    assert two == pytest.approx(one, rel=1e-9, abs=1e-9)


def test_precomputed_propagator_steps_like_richardson_step():
    from brink.sim.arming import apply_richardson_propagator, richardson_propagator

    coefficients = (2, 2, 5, 3, 5, 5)
    propagator = richardson_propagator(*coefficients, 0.25)
    x, y = 9.0, 0.0
    u, v = 9.0, 0.0
    for _ in range(80):  # 20 time units: the slower mode decays by e^(-35)
        x, y = apply_richardson_propagator(propagator, x, y)
        u, v = richardson_step(u, v, *coefficients, 0.25)
        assert (x, y) == pytest.approx((u, v), rel=1e-12)
    assert (x, y) == pytest.approx((25 / 11, 35 / 11), rel=1e-9)

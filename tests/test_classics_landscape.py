"""Landscape theory: energy and descent, exhaustive enumeration, CSV errors, 1936 Europe."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brink.errors import BrinkInputError
from brink.sim.classics import europe_1936
from brink.sim.classics.landscape import (
    Landscape,
    basins,
    canonical,
    descend,
    energy,
    enumerate_minima,
    frustration,
    lean_of_unaligned,
    read_landscape,
)


def random_landscape(seed: int, n: int) -> Landscape:
    rng = np.random.default_rng(seed)
    p = rng.normal(size=(n, n))
    return Landscape(tuple(f"a{k}" for k in range(n)), rng.uniform(0.1, 2, n), p + p.T)


def test_energy_by_hand():
    # Derived: sizes 1, 2, 3; p01 = 1, p02 = -1, p12 = 2; split {0} vs {1, 2}.
    p = np.array([[0, 1, -1], [1, 0, 2], [-1, 2, 0]], dtype=float)
    land = Landscape(("a", "b", "c"), np.array([1.0, 2.0, 3.0]), p)
    assert frustration(land, (0, 1, 1)).tolist() == [2 * 1 + 3 * -1, 1 * 1, 1 * -1]
    assert energy(land, (0, 1, 1)) == 1 * -1 + 2 * 1 + 3 * -1
    # The minimum keeps b and c together and a apart (a dislikes c more than it likes b).
    (best,) = enumerate_minima(land)["config"].tolist()[:1]
    assert best == (0, 1, 1)


@given(seed=st.integers(0, 10_000), n=st.integers(2, 8))
@settings(max_examples=25, deadline=None)
def test_descent_lowers_energy_and_agrees_with_enumeration(seed, n):
    land = random_landscape(seed, n)
    exhaustive = enumerate_minima(land)
    found = basins(land)
    assert set(exhaustive["config"]) == set(found["config"])
    assert found["basin"].sum() == 2 ** (n - 1)
    counts = dict.fromkeys(found["config"], 0)
    for code in range(2 ** (n - 1)):
        start = (0, *((code >> k) & 1 for k in range(n - 1)))
        path = descend(land, start)
        energies = [e for _, e in path]
        assert all(b < a for a, b in itertools.pairwise(energies))
        counts[canonical(path[-1][0])] += 1
    assert counts == dict(zip(found["config"], found["basin"], strict=True))


def test_minima_are_local_minima_by_brute_force():
    land = random_landscape(5, 7)
    for config in enumerate_minima(land)["config"]:
        here = energy(land, config)
        for k in range(7):
            moved = list(config)
            moved[k] = 1 - moved[k]
            assert energy(land, moved) >= here - 1e-12


def test_random_starts_find_the_global_minimum():
    land = random_landscape(11, 12)
    best = enumerate_minima(land).iloc[0]
    found = basins(land, starts=500, rng=np.random.default_rng(0))
    assert found.iloc[0]["config"] == best["config"]
    assert found["basin"].sum() == 500


def test_lean_of_unaligned_follows_propensities():
    sizes = {"A": 10.0, "B": 10.0, "x": 1.0, "y": 1.0, "z": 1.0}
    propensities = {("x", "A"): 1.0, ("y", "B"): 0.5, ("y", "A"): -1.0, ("z", "x"): 2.0}
    lean = lean_of_unaligned(sizes, propensities, {"A": "west", "B": "east"})
    assert lean == {"x": "west", "y": "east", "z": "west"}
    lonely = lean_of_unaligned({"A": 1, "B": 1, "q": 1}, {}, {"A": 0, "B": 1})
    assert lonely == {"q": None}
    with pytest.raises(ValueError, match="two sides"):
        lean_of_unaligned(sizes, propensities, {"A": "west", "B": "west"})


def write(tmp_path, text):
    path = tmp_path / "land.csv"
    path.write_text(text)
    return path


def test_csv_round_trip(tmp_path):
    land = read_landscape(write(tmp_path, "actor,size,a,b\na,1,0,2\nb,3,2,0\n"))
    assert land.names == ("a", "b")
    assert land.sizes.tolist() == [1.0, 3.0]
    assert land.propensities[0, 1] == 2.0


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("actor,size,a,b\na,1,0,x\nb,1,1,0\n", ":2:7: a.b:", "'x' is not a number"),
        ("actor,size,a,b\na,1,0,1\nb,1,2,0\n", ":3:5: b.a:", "must be symmetric"),
        ("actor,size,a,b\na,-1,0,1\nb,1,1,0\n", ":2:3: a.size:", "must be > 0"),
        ("actor,size,a,b\nb,1,0,1\na,1,1,0\n", ":2:1:", "follow the header's order"),
        ("name,size,a,b\n", ":1:1:", "must start with 'actor,size'"),
        ("actor,size,a,b\na,1,0\nb,1,1,0\n", ":2:", "3 cells, expected 4"),
        ("actor,size,a,b\na,1,0,1\n", ":3:", "1 actor rows for 2 actors"),
    ],
)
def test_csv_errors_are_located(tmp_path, text, where, message):
    path = write(tmp_path, text)
    with pytest.raises(BrinkInputError) as error:
        read_landscape(path)
    assert str(error.value).startswith(f"{path}{where}")
    assert message in str(error.value)


def test_bundled_europe_matches_the_data():
    bundled, built = read_landscape(europe_1936.BUNDLED), europe_1936.build()
    assert bundled.names == tuple(europe_1936.STATES)
    np.testing.assert_allclose(bundled.sizes, built.sizes, rtol=1e-5)
    np.testing.assert_allclose(bundled.propensities, built.propensities)
    # COW NMC 1936: the USSR and Germany are the largest of the 17.
    order = np.argsort(-bundled.sizes)
    assert {bundled.names[order[0]], bundled.names[order[1]]} == {"USSR", "Germany"}


def test_europe_finding_is_reported_against_both_references():
    land = read_landscape(europe_1936.BUNDLED)
    result = europe_1936.finding(land)
    assert result.predicted == result.minima.iloc[0]["config"]
    assert 9 <= result.as_published <= 17 and 9 <= result.as_1939 <= 17
    # The published split itself scores 15 of 17 against 1939 (Poland, Portugal moved).
    published = [europe_1936.published()[name] for name in land.names]
    from brink.sim.classics.landscape import agreement

    assert agreement(land, published, europe_1936.alignment_1939()) == 15
    text = europe_1936.describe(land, result)
    assert f"placed as published: {result.as_published} of 17" in text
    assert europe_1936.chance_agreement(2) == pytest.approx(1.5)


@pytest.mark.slow
def test_europe_ablation_covers_every_source_and_matches_the_full_build():
    table = europe_1936.ablation()
    assert len(table) == 1 + 2 * len(europe_1936.SOURCES)
    assert table["as_published"].between(9, 17).all() and table["as_1939"].between(9, 17).all()
    full = europe_1936.finding(europe_1936.build())
    first = table.iloc[0]
    assert (first["as_published"], first["as_1939"]) == (full.as_published, full.as_1939)
    # Leaving out a source changes the landscape.
    assert not np.array_equal(
        europe_1936.build(("pact",)).propensities, europe_1936.build().propensities
    )

"""Bueno de Mesquita's expected-utility model (Scholz et al. 2011): EC example, rules, input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from brink.errors import BrinkInputError
from brink.sim.classics.bdm import (
    BdmActor,
    challenge_utilities,
    forecast,
    forecast_settlement,
    read_actors,
    risk_exponents,
    vote_winner,
    weighted_mean,
    win_probabilities,
)

EC = Path(__file__).resolve().parents[1] / "scenarios" / "classics" / "ec_1992.csv"


def arrays(actors):
    return (
        np.array([a.capability for a in actors]),
        np.array([a.salience for a in actors]),
        np.array([a.position for a in actors]),
    )


def test_ec_example_reproduces_initial_forecast_and_weighted_mean():
    actors = read_actors(EC)
    assert len(actors) == 10
    result = forecast(actors, rounds=3)
    first = result.summary.iloc[0]
    assert first["forecast"] == pytest.approx(7.0, abs=1e-12)
    assert first["mean"] == pytest.approx(7.38996, abs=1e-5)


def test_ec_risk_exponents_span_their_range():
    c, s, x = arrays(read_actors(EC))
    risk, exponent = risk_exponents(c, s, x, spread=6.0)
    # Max and min over actors map to R = 1 and R = -1, i.e. r = 0.5 and r = 2.
    assert risk.max() == pytest.approx(1.0) and risk.min() == pytest.approx(-1.0)
    assert exponent.min() == pytest.approx(0.5) and exponent.max() == pytest.approx(2.0)


def test_vote_winner_is_the_weighted_median():
    # Derived: weights 1, 1, 3 at 0, 5, 10 -> 10 beats both; weights 2, 1, 2 -> 5 is pivotal.
    x = np.array([0.0, 5.0, 10.0])
    assert vote_winner(np.ones(3), np.array([1, 1, 3.0]), x) == 10.0
    assert vote_winner(np.ones(3), np.array([2, 1, 2.0]), x) == 5.0


def test_win_probability_uses_all_pairs_in_the_denominator():
    # Derived: two voters at 0 and 1, c*s = 1 each, R = 1, r = 1.
    # compare_k(x_a, x_b) = |x_k - x_b| - |x_k - x_a|: voter 0 gives +1 to (0 over 1),
    # voter 1 gives +1 to (1 over 0); total |.| over k, a, b = 4.
    p = win_probabilities(np.ones(2), np.ones(2), np.array([0.0, 1.0]), 1.0, np.ones(2))
    assert p[0, 1] == pytest.approx(0.25) and p[1, 0] == pytest.approx(0.25)


def test_expected_utility_by_hand():
    # Derived, two actors at 0 and 1, R = 1, r = 1, s = (1, 0.5), c = 1:
    # U_s = 2 - 4*0 = 2, U_f = 2 - 4*1 = -2, U_sq = 0; P = 1/4 each way (as above, weights 1, .5).
    c, s, x = np.ones(2), np.array([1.0, 0.5]), np.array([0.0, 1.0])
    mine, theirs = challenge_utilities(c, s, x, np.ones(2), 1.0)
    p = win_probabilities(c, s, x, 1.0, np.ones(2))
    eu_01 = 0.5 * (p[0, 1] * 2 + (1 - p[0, 1]) * -2) + 0.5 * 2
    eu_10 = 1.0 * (p[1, 0] * 2 + (1 - p[1, 0]) * -2)
    assert mine[0, 1] == pytest.approx(eu_01)
    assert theirs[0, 1] == pytest.approx(eu_10)
    assert mine[1, 0] == pytest.approx(eu_10)


def test_forecast_records_rounds_offers_and_settles_in_range():
    result = forecast(read_actors(EC), rounds=4)
    assert result.summary["round"].tolist() == list(range(len(result.summary)))
    assert len(result.rounds) == 10 * len(result.summary)
    assert result.offers and {o.kind for o in result.offers} <= {
        "confrontation",
        "compromise",
        "capitulation",
    }
    accepted = [o for o in result.offers if o.accepted]
    assert len({(o.round, o.receiver) for o in accepted}) == len(accepted)
    assert 4.0 <= result.settlement <= 10.0
    assert (result.rounds["exponent"].between(0.5 - 1e-12, 2.0 + 1e-12)).all()
    # Moves happen: some actor's position changes after round 0.
    first = result.rounds[result.rounds["round"] == 0]["position"].to_numpy()
    second = result.rounds[result.rounds["round"] == 1]["position"].to_numpy()
    assert not np.array_equal(first, second)


def test_forecast_settlement_for_a_crisis_demand():
    actors = [
        BdmActor("RUS", 0.6, 0.8, 0.9),
        BdmActor("UKR", 0.2, 0.1, 1.0),
        BdmActor("USA", 0.5, 0.2, 0.4),
        BdmActor("DEU", 0.3, 0.4, 0.5),
    ]
    settlement = forecast_settlement(actors, rounds=5, spread=1.0)
    assert 0.1 <= settlement <= 0.8
    unanimous = [BdmActor(a.name, a.capability, 0.5, a.salience) for a in actors]
    assert forecast_settlement(unanimous, rounds=3, spread=1.0) == 0.5


def test_weighted_mean_formula():
    assert weighted_mean(np.array([1, 3.0]), np.array([1, 1.0]), np.array([0, 4.0])) == 3.0


def test_ktab_format_is_read_on_its_scale(tmp_path):
    # KTAB's SMPModel::readCSVStream layout: a scenario line with counts, a header whose
    # (position, salience) pairs carry dimension names, and a trailing comma on each line.
    path = tmp_path / "ktab.csv"
    path.write_text(
        "EC,example,3,2,\n"
        "Actor,Description,Power,Emissions,Sal1,Tax,Sal2,\n"
        "NL,Netherlands,8,40,70,10,20,\n"
        "BE,Belgium,8,70,40,20,30,\n"
        "LU,Luxembourg,3,40,20,30,40,\n"
    )
    actors = read_actors(path)
    assert actors[0] == BdmActor("NL", 8.0, 40.0, 0.7)
    assert read_actors(path, dimension=2)[2] == BdmActor("LU", 3.0, 30.0, 0.4)
    with pytest.raises(BrinkInputError, match="dimension 3 asked for, the file has 2"):
        read_actors(path, dimension=3)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "EC,x,4,1,\nActor,Description,Power,P,S,\nA,a,1,10,50,\nB,b,1,20,50,\n",
            ":1:6:",
            "4 actors",
        ),
        (
            "EC,x,2,3,\nActor,Description,Power,P,S,\nA,a,1,10,50,\nB,b,1,20,50,\n",
            ":1:8:",
            "3 dimensions",
        ),
        ("Actor,Description,Power,P,S\nA,a,1,120,50\nB,b,1,20,50\n", ":2:7: A.position:", "0–100"),
    ],
)
def test_ktab_errors_are_located(tmp_path, text, where, message):
    path = tmp_path / "bad_ktab.csv"
    path.write_text(text)
    with pytest.raises(BrinkInputError) as error:
        read_actors(path)
    assert str(error.value).startswith(f"{path}{where}")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("Actor,Capability,Position,Salience\nA,1,x,50\nB,1,2,50\n", ":2:5: A.position:", "'x'"),
        ("Actor,Capability,Position,Salience\nA,1,1,150\nB,1,2,50\n", ":2:7: A.salience:", "0–100"),
        (
            "Actor,Capability,Position,Salience\nA,-1,1,50\nB,1,2,50\n",
            ":2:3: A.capability:",
            ">= 0",
        ),
        ("Actor,Capability,Position,Salience\nA,1,1,50\nA,1,2,50\n", ":3:1:", "already on line 2"),
        ("Actor,Capability,Position,Salience\nA,1,1\n", ":2:", "3 cells, expected 4"),
        ("Name,Power\nA,1\n", ":1:1:", "no header"),
        ("Actor,Capability,Position,Salience\nA,1,1,50\n", ":1:", "needs at least two"),
    ],
)
def test_input_errors_are_located(tmp_path, text, where, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(BrinkInputError) as error:
        read_actors(path)
    assert str(error.value).startswith(f"{path}{where}")
    assert message in str(error.value)

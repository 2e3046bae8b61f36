"""Who joined: each potential third state's forecast to fight, scored against who really did."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from brink.experiments.retrodiction.joined import joined_pairs, joined_scores, joined_summary
from brink.experiments.retrodiction.run import retrodict
from brink.scenarios.datasets import DATA_DIR

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"


def _case(case_id, third_states, fought):
    return SimpleNamespace(case_id=case_id, third_states=third_states, fought=fought)


CASES = [
    _case("A", {"X": "ally", "Y": "major power"}, {"X": "target", "Z": "challenger"}),
    _case("B", {"X": "contiguous", "W": "ally"}, {}),
]
RESULTS = {
    "A": {"runs": 4, "fought_challenger": {"Y": 1}, "fought_target": {"X": 3, "Q": 4}},
    "B": {"runs": 4, "fought_challenger": {}, "fought_target": {"W": 2}},
}


def test_pairs_hold_the_runs_shares_and_what_happened():
    pairs = joined_pairs(CASES, RESULTS).set_index(["case_id", "state"])
    assert list(pairs.index) == [("A", "X"), ("A", "Y"), ("B", "X"), ("B", "W")]
    assert pairs.loc[("A", "X"), ["p_challenger", "p_target", "p_fight"]].tolist() == [
        0,
        0.75,
        0.75,
    ]
    assert pairs.loc[("A", "Y"), "p_fight"] == 0.25
    assert pairs.loc[("A", "X"), "fought"] and pairs.loc[("A", "X"), "side"] == "target"
    assert not pairs.loc[("B", "W"), "fought"]
    # Z fought but no rule chose it: not a pair, but counted as missed by the rules.
    assert joined_summary(CASES) == {"fought": 2, "chosen": 1, "pairs": 4}


def test_scores_reward_the_right_states_and_sides():
    pairs = joined_pairs(CASES, RESULTS)
    scores = joined_scores(pairs, {"A": 0, "B": 1})
    model, base = scores["crisis model"], scores["base rate"]
    fought = [1, 0, 0, 0]
    p = [0.75, 0.25, 0, 0.5]
    assert model["joined_brier"] == pytest.approx(
        sum((a - b) ** 2 for a, b in zip(p, fought, strict=True)) / 4
    )
    assert model["joined_auc"] == 1.0  # the one that fought ranks first
    # Stays out / challenger / target: X (0.25, 0, 0.75) fought for the target; Y (0.75, 0.25, 0)
    side = ((0.25**2 + 0 + 0.25**2) + (0.25**2 + 0.25**2) + 0 + (0.5**2 + 0.5**2)) / 4
    assert model["joined_side_brier"] == pytest.approx(side)
    # Out of fold, case A's pairs get case B's rate of fighting (0) and B's get A's (1/2).
    assert base["joined_brier"] == pytest.approx((1 + 0 + 0.25 + 0.25) / 4)
    assert model["joined_pairs"] == 4 and model["joined_observed"] == 0.25
    perfect = pairs.assign(p_fight=pairs["fought"].astype(float), p_challenger=0.0)
    perfect["p_target"] = perfect["p_fight"]
    best = joined_scores(perfect, {"A": 0, "B": 1})["crisis model"]
    assert best["joined_brier"] == 0 and best["joined_side_brier"] == 0


def test_icb_pairs_have_no_side_score():
    pairs = pd.DataFrame(
        {
            "case_id": ["A", "A", "B"],
            "state": ["X", "Y", "X"],
            "rules": ["ally"] * 3,
            "p_challenger": [0.5, 0, 0],
            "p_target": [0, 0, 0],
            "p_fight": [0.5, 0, 0],
            "fought": [True, False, False],
            "side": ["", "", ""],
        }
    )
    scores = joined_scores(pairs, {"A": 0, "B": 1})["crisis model"]
    assert scores["joined_side_brier"] != scores["joined_side_brier"]  # NaN: no sides
    assert scores["joined_auc"] == 1.0


def test_a_retrodiction_scores_who_joined(tmp_path):
    result = retrodict(MID, runs=2, jobs=1, limit=12, seed=3, out=tmp_path)
    pairs = pd.read_csv(tmp_path / "joined.csv", keep_default_na=False)
    assert len(pairs) == result.scores.loc[0, "joined_pairs"] > 0
    assert pairs["p_fight"].between(0, 1).all()
    model = result.scores.iloc[0]
    fought = pairs["fought"].astype(str).eq("True").astype(float)
    assert model["joined_brier"] == pytest.approx(((pairs["p_fight"] - fought) ** 2).mean())
    cases = pd.read_csv(tmp_path / "cases.csv", keep_default_na=False)
    listed = {
        (row.case_id, part.split(" (")[0])
        for row in cases.itertuples()
        for part in row.third_states.split(", ")
        if part
    }
    assert listed == set(zip(pairs["case_id"], pairs["state"], strict=True))
    summary = (tmp_path / "retrodiction.md").read_text()
    assert "## Who joined" in summary
    assert "## Does the model move with history" in summary
    effects = pd.read_csv(tmp_path / "effects.csv")
    assert list(effects.columns) == list(result.effects.columns)
    assert list(effects["covariate"]) == list(result.effects["covariate"])
    assert len(effects) > 0 and "log_originators" not in set(effects["covariate"])

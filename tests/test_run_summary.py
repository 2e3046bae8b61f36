"""The analyst summary and the figures, from hand-built tables with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from brink.experiments.ensemble.figures import write_figures
from brink.experiments.ensemble.summary import summarize
from brink.experiments.ensemble.tables import (
    escalation_bands,
    members_in_force,
    outcome_table,
    side_table,
)
from brink.experiments.intervals import wilson
from brink.scenarios.spec import (
    AllianceSpec,
    DemandSpec,
    Event,
    Membership,
    SanctionSpec,
    Scenario,
    StateSpec,
)
from brink.sim.record import RUN_COLUMNS
from brink.sim.record import RUN_OUTCOMES as OUTCOMES


def _state(code: str, name: str) -> StateSpec:
    return StateSpec(
        code=code,
        name=name,
        ccode=None,
        regime="democracy",
        nuclear=False,
        capability=0.01,
        troops=100.0,
        capital=(50.0, 30.0),
    )


def crisis() -> Scenario:
    states = {
        code: _state(code, name)
        for code, name in [
            ("RUS", "Russia"),
            ("UKR", "Ukraine"),
            ("POL", "Poland"),
            ("USA", "United States"),
            ("BLR", "Belarus"),
            ("FIN", "Finland"),
        ]
    }
    nato = AllianceSpec(
        id="NATO",
        name="North Atlantic Treaty Organization",
        kind="defense",
        members=(Membership("USA", 1949), Membership("POL", 1999), Membership("FRA", 2030)),
    )
    return Scenario(
        name="toy crisis",
        description="",
        start_date="2022-01-01",
        states=states,
        alliances={"NATO": nato},
        demands=(
            DemandSpec(id="ukr", by="RUS", on="UKR", issue="neutrality of Ukraine", size=0.5),
            DemandSpec(id="nato", by="RUS", on="NATO", issue="withdraw forces", size=0.3),
        ),
        sanctions=(SanctionSpec(id="eu", senders=("POL", "USA"), target="RUS", severity=0.4),),
        events=(Event(day=30, kind="join_alliance", actor="FIN", ref="NATO"),),
    )


def toy_runs() -> pd.DataFrame:
    """Ten runs, two disputes, with counts chosen by hand."""
    rows = []
    wars = {0: ("RUS", "UKR;POL"), 1: ("RUS;BLR", "UKR"), 2: ("RUS", "UKR")}
    outcomes = {0: "victory_challenger", 1: "victory_target", 3: "yield_target"}
    for run in range(10):
        war = run in wars
        left, right = wars.get(run, ("", ""))
        level = 5 if war else 4 if run == 3 else 2
        base = dict.fromkeys(RUN_COLUMNS)
        base.update(run=run, seed=1000 + run, challenger="RUS", casualties=10.0 * war)
        rows.append(
            base
            | dict(
                dispute="ukr",
                target="UKR",
                outcome=outcomes.get(run, "stalemate"),
                max_level=level,
                challenger_level=level,
                target_level=level,
                war=war,
                side_challenger=left,
                side_target=right,
                duration=20 + run,
                sanctions_imposed="eu" if run < 4 else "",
            )
        )
        rows.append(
            base
            | dict(
                dispute="nato",
                target="NATO",
                outcome="yield_target" if run == 5 else "yield_challenger",
                max_level=2,
                challenger_level=2,
                target_level=2,
                war=False,
                side_challenger="",
                side_target="",
                duration=5,
                sanctions_imposed="",
            )
        )
    return pd.DataFrame(rows)


def toy_escalation() -> pd.DataFrame:
    rows = []
    for run in range(10):
        last = 6 if run < 5 else 3  # half the runs end early
        rows += [dict(run=run, step=s, escalation_score=float(run * s)) for s in range(1, last + 1)]
    return pd.DataFrame(rows)


def test_wilson_interval_matches_the_published_value():
    # Brown, Cai & DasGupta (2001) formula; 4 of 10 gives 0.168–0.687.
    low, high = wilson(4, 10)
    assert low == pytest.approx(0.1682, abs=1e-4)
    assert high == pytest.approx(0.6873, abs=1e-4)
    assert wilson(0, 20)[0] == 0.0
    assert wilson(0, 20)[1] == pytest.approx(0.1611, abs=1e-4)


@given(st.integers(1, 5000), st.data())
def test_wilson_interval_holds_the_share_and_stays_in_zero_one(trials, data):
    successes = data.draw(st.integers(0, trials))
    low, high = wilson(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
    wider = wilson(successes, trials, z=2.576)
    assert wider[0] <= low + 1e-12 and wider[1] >= high - 1e-12


def test_outcome_table_counts_every_outcome_of_every_dispute():
    table = outcome_table(toy_runs())
    assert len(table) == 2 * len(OUTCOMES)
    ukr = table[table["dispute"] == "ukr"].set_index("outcome")
    assert ukr.loc["stalemate", "count"] == 7
    assert ukr.loc["victory_challenger", "share"] == pytest.approx(0.1)
    assert table.groupby("dispute")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert (table["low"] <= table["share"]).all() and (table["share"] <= table["high"]).all()


def test_side_table_shares_per_state_and_side():
    sides = side_table(toy_runs()).set_index(["state", "side"])
    assert sides.loc[("RUS", "challenger"), "share"] == pytest.approx(0.3)
    assert sides.loc[("POL", "target"), "share"] == pytest.approx(0.1)
    assert sides.loc[("BLR", "challenger"), "count"] == 1
    assert ("UKR", "challenger") not in sides.index


def test_membership_in_force_uses_the_start_year_and_the_timeline():
    assert members_in_force(crisis(), "NATO") == {"USA", "POL", "FIN"}  # FRA joins in 2030


def test_summary_states_the_analysts_numbers():
    summary = summarize(crisis(), toy_runs(), toy_escalation(), root_seed=7, horizon=6)
    text = summary.markdown()
    assert "- Russia uses force against Ukraine: 40.0 % (95 % CI 16.8–68.7)" in text
    assert "- War between Russia and Ukraine over `ukr`: 30.0 %" in text
    # Only run 0 has a NATO member (Poland) fighting Russia.
    assert (
        "- War between Russia and a NATO member, in any dispute: 10.0 % (95 % CI 1.8–40.4)" in text
    )
    assert "NATO gives in to Russia (withdraw forces): 10.0 %" in text
    sanction = "Sanctions `eu` on Russia by Poland, United States (severity 0.4) imposed"
    assert f"{sanction}: 40.0 %" in text
    assert "| Poland | 0.0 % | 10.0 % |" in text
    assert "| Belarus | 10.0 % | 0.0 % |" in text
    assert "root seed 7" in text


def test_escalation_bands_count_ended_runs_as_status_quo():
    bands = escalation_bands(toy_escalation(), horizon=8).set_index("step")
    assert list(bands.index) == list(range(1, 9))
    # Step 2: scores run*2 for runs 0..9, all still going.
    assert bands.loc[2, "median"] == pytest.approx(np.median([2 * r for r in range(10)]))
    # Step 5: runs 5..9 have ended and count as 0.
    expected = [5 * r for r in range(5)] + [0] * 5
    assert bands.loc[5, "median"] == pytest.approx(np.median(expected))
    assert bands.loc[5, "active"] == pytest.approx(0.5)
    assert bands.loc[8, "active"] == 0.0 and bands.loc[8, "q95"] == 0.0
    assert (bands["q05"] <= bands["q25"]).all() and (bands["q75"] <= bands["q95"]).all()


def test_figures_are_written_as_png_and_pdf(tmp_path):
    names = {code: spec.name for code, spec in crisis().states.items()}
    written = write_figures(tmp_path, toy_runs(), toy_escalation(), names, horizon=8)
    assert sorted(p.name for p in written) == sorted(
        f"{stem}.{fmt}"
        for stem in ("outcomes", "escalation", "sides", "wars")
        for fmt in ("png", "pdf")
    )
    for path in written:
        if path.suffix == ".pdf":
            assert path.read_bytes().startswith(b"%PDF")
            continue
        image = np.asarray(Image.open(path).convert("L"), dtype=float)
        assert image.shape[1] > 600  # 200 dpi on a figure several inches wide
        assert image.std() > 10  # not blank
        assert not math.isnan(image.mean())
    assert not list(tmp_path.glob(".*partial*"))


def test_a_scenario_without_disputes_still_gets_a_summary_and_figures(tmp_path):
    runs = pd.DataFrame(columns=list(RUN_COLUMNS))
    summary = summarize(crisis(), runs, toy_escalation(), n_runs=10)
    text = summary.markdown()
    assert text.startswith("# toy crisis: 10 runs")
    assert "imposed: 0.0 % (95 % CI 0.0–27.8)" in text
    assert "No state fought in any run." in text
    written = write_figures(tmp_path, runs, toy_escalation().iloc[:0], horizon=5)
    assert len(written) == 8 and all(p.stat().st_size > 1000 for p in written)

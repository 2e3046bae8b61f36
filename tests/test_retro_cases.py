"""Historical disputes and crises become scenarios, or skipped records with a reason."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from brink.experiments.retrodiction.cases import build_cases
from brink.experiments.retrodiction.codes import ISSUE_STAKES, is_nuclear, model_outcome_class
from brink.experiments.retrodiction.data import read_records
from brink.scenarios.datasets import DATA_DIR
from brink.sim.geography import great_circle_km

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
ICB = DATA_DIR / "icb-v14-actors.pre1990.csv"


@pytest.fixture(scope="module")
def mid_cases():
    cases, skipped = build_cases(read_records(MID))
    return {case.key: case for case in cases}, skipped


@pytest.fixture(scope="module")
def icb_cases():
    cases, skipped = build_cases(read_records(ICB))
    return {case.key: case for case in cases}, {s.case_id: s for s in skipped}


def test_every_record_is_a_case_or_a_skipped_record(mid_cases, icb_cases):
    cases, skipped = mid_cases
    assert len(cases) + len(skipped) == 1638
    icb, icb_skipped = icb_cases
    assert len(icb) + len(icb_skipped) == 391
    assert all(s.reason for s in icb_skipped.values())


def test_alaska_boundary_1902(mid_cases):
    nmc = pd.read_csv(DATA_DIR / "cow-nmc-v6.csv").set_index(["ccode", "year"])
    case = mid_cases[0][2]
    assert (case.challenger, case.target) == ("USA", "UKG")
    assert case.scenario.start_date == "1902-07-01"
    assert case.issue == "territory"
    assert not case.war
    assert case.outcome == "compromise"
    usa = case.scenario.states["USA"]
    assert usa.capability == pytest.approx(nmc.loc[(2, 1902), "cinc"])
    assert usa.troops == nmc.loc[(2, 1902), "milper"]
    # Polity5 polity2 in 1902: USA 9, UK 8 — both democracies (≥ 6).
    assert (usa.regime, case.scenario.states["UKG"].regime) == ("democracy", "democracy")
    assert case.covariates["joint_democracy"] == 1.0
    # COW Direct Contiguity has no USA–UK border in 1902 (Canada's is a colonial one).
    assert case.covariates["contiguous"] == 0.0
    assert not usa.nuclear
    (demand,) = case.scenario.demands
    assert (demand.by, demand.on, demand.initial_level, demand.size) == ("USA", "UKG", 2, 0.5)
    assert (demand.stakes_challenger, demand.stakes_target) == ISSUE_STAKES["territory"]
    distance = great_circle_km(usa.capital, case.scenario.states["UKG"].capital)
    assert case.covariates["log_distance"] == pytest.approx(math.log1p(distance))
    assert 5800 < distance < 6000  # Washington–London


def test_falklands_war_1982(mid_cases):
    case = mid_cases[0][3630]
    assert (case.challenger, case.target) == ("ARG", "UKG")
    assert case.war
    assert case.outcome == "victory_target"
    assert case.covariates["target_nuclear"] == 1.0
    assert case.covariates["challenger_nuclear"] == 0.0


def test_korea_1950_holds_what_was_known_in_june_1950(mid_cases):
    case = mid_cases[0][51]
    assert (case.challenger, case.target) == ("PRK", "ROK")
    assert case.war
    # Potential third states by onset rules: the neighbours and the major powers of 1950.
    assert case.third_states["CHN"] == "contiguous; major power"
    assert case.third_states["USA"] == "major power"
    # Turkey, Greece, Ethiopia and the others joined after the war began: what happened only.
    assert {"TUR", "GRC", "ETH", "COL"} <= set(case.fought)
    assert not {"TUR", "GRC", "ETH", "COL"} & set(case.scenario.states)
    assert (case.fought["CHN"], case.fought["TUR"]) == ("challenger", "target")
    nato = case.scenario.alliances["ATOP3180"]
    assert nato.kind == "defense"
    assert {m.state for m in nato.members} == {"USA", "UKG", "FRN"}  # those in the case
    assert case.covariates["log_originators"] == pytest.approx(math.log(2))
    assert "log_states" not in case.covariates


def test_allied_principals_are_flagged(mid_cases):
    cyprus = mid_cases[0][1293]
    assert cyprus.challenger == "TUR"
    assert cyprus.covariates["allied"] == 1.0
    assert mid_cases[0][2].covariates["allied"] == 0.0


def test_icb_teschen_1919(icb_cases):
    case = icb_cases[0][5]
    assert (case.challenger, case.target) == ("POL", "CZE")  # the more capable trigger
    assert case.issue == "territory"  # gravty 3
    assert not case.war  # viol 3: serious clashes, not full-scale war
    assert case.outcome == "compromise"
    assert case.scenario.start_date == "1919-01-15"


def test_icb_skips_say_why(icb_cases):
    skipped = icb_cases[1]
    assert "trigent 996 is not a COW state code" in skipped["ICB 1"].reason
    assert "no NMC record in 1918" in skipped["ICB 2"].reason  # Costa Rica enters COW in 1920


def test_unbuildable_mid_records_are_listed(tmp_path):
    frame = pd.read_csv(MID, dtype=str, keep_default_na=False)
    first = frame[frame["dispnum"] == "2"].copy()
    one_sided = first.copy()
    one_sided["dispnum"] = "90001"
    one_sided["sidea1"] = "1"
    one_sided["sidea2"] = "1"
    unknown = first.copy()
    unknown["dispnum"] = "90002"
    unknown.loc[unknown["ccode1"] == "200", "ccode1"] = "999"
    unknown.loc[unknown["ccode2"] == "200", "ccode2"] = "999"
    path = tmp_path / "mid.csv"
    pd.concat([first, one_sided, unknown]).to_csv(path, index=False)
    cases, skipped = build_cases(read_records(path))
    assert [c.case_id for c in cases] == ["MID 2"]
    reasons = {s.case_id: s for s in skipped}
    assert "single-sided" in reasons["MID 90001"].reason
    assert "no NMC record" in reasons["MID 90002"].reason
    assert reasons["MID 90002"].line == 2 + 2 * len(first)


def test_nuclear_dates_and_icb_outcome_mapping():
    assert is_nuclear(2, 1945) and not is_nuclear(2, 1944)
    assert is_nuclear(560, 1985) and not is_nuclear(560, 1995)
    assert model_outcome_class("yield_target", "icb-actor") == "victory_challenger"
    assert model_outcome_class("yield_challenger", "icb-actor") == "victory_target"
    assert model_outcome_class("yield_target", "mid-dyadic") == "yield_target"

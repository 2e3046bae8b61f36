"""The casebook: the `history:` block of a scenario, the scorer, the report and its figure."""

from __future__ import annotations

import re

import pytest

from brink.errors import BrinkInputError
from brink.scenarios.loader import load_scenario, load_scenario_text

CASE = """\
description: A two-state crisis with a history block.
start: 1938-09-12
horizon: 60
states:
  AAA: {name: Alpha, regime: autocracy, capital: [50, 10], capability: 0.1, troops: 500}
  BBB: {name: Beta, regime: democracy, capital: [50, 14], capability: 0.02, troops: 100}
  CCC: {name: Gamma, regime: democracy, capital: [48, 2], capability: 0.05, troops: 300}
demands:
  land:
    by: AAA
    on: BBB
    issue: the border districts
    size: 0.4
history:
  sources: ["A source, p. 1"]
  disputes:
    land:
      outcome: yield_target
      war: false
      highest_level: 4
      days: 18
      war_days: null
      fought: {challenger: [], target: []}
      mid: 123
      note: "B gave way."
"""


def test_a_history_block_is_read_into_the_scenario():
    history = load_scenario_text(CASE).history
    assert history.sources == ("A source, p. 1",)
    land = history.disputes["land"]
    assert (land.outcome, land.war, land.highest_level, land.days) == ("yield_target", False, 4, 18)
    assert land.war_days is None and land.mid == 123 and land.icb is None
    assert land.fought_challenger == () and land.fought_target == ()
    assert land.note == "B gave way."


def test_a_scenario_without_history_has_none():
    assert load_scenario_text(CASE.split("history:")[0]).history is None


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "outcome: yield_target",
            "outcome: yield_targt",
            "18:16: history.disputes.land.outcome",
            "'yield_targt' is not one of .*did you mean 'yield_target'",
        ),
        (
            "    land:\n      outcome",
            "    lands:\n      outcome",
            "17:5: history.disputes.lands",
            "'lands' is not a declared demand \\(did you mean 'land'\\?\\)",
        ),
        (
            "highest_level: 4",
            "highest_level: 6",
            "20:22: history.disputes.land.highest_level",
            "6 is above 5",
        ),
        (
            "highest_level: 4",
            "highest_level: 0",
            "20:22: history.disputes.land.highest_level",
            "0 is below 1",
        ),
        ("days: 18", "days: -2", "21:13: history.disputes.land.days", "-2 is below 0"),
        (
            "war_days: null",
            "war_days: -1",
            "22:17: history.disputes.land.war_days",
            "-1 is below 0",
        ),
        (
            "challenger: []",
            "challenger: [ZZZ]",
            "23:29: history.disputes.land.fought.challenger\\[0\\]",
            "'ZZZ' is not a declared state",
        ),
        (
            "challenger: [], target: []",
            "challenger: [CCC], target: [CCC]",
            "23:43: history.disputes.land.fought.target",
            "'CCC' is listed on both sides",
        ),
        (
            "war: false",
            "war: true",
            "20:22: history.disputes.land.highest_level",
            "a war is MID hostility level 5",
        ),
        (
            "highest_level: 4",
            "highest_level: 5",
            "19:12: history.disputes.land.war",
            "level 5 is war",
        ),
        (
            "outcome: yield_target",
            "outcome: war_ongoing",
            "18:16: history.disputes.land.outcome",
            "war_ongoing needs war: true",
        ),
        ("war_days: null", "war_days: 3", "22:17: history.disputes.land.war_days", "war: false"),
        ("mid: 123", "mid: many", "24:12: history.disputes.land.mid", "'many' is not a number"),
        (
            "war: false",
            "war: maybe",
            "19:12: history.disputes.land.war",
            "'maybe' is not true or false",
        ),
        ('sources: ["A source, p. 1"]', "sources: []", "15:12: history.sources", "has 0 items"),
        (
            "      outcome: yield_target\n",
            "",
            "18:7: history.disputes.land",
            "missing key 'outcome'",
        ),
        ("note:", "notes:", "25:7: history.disputes.land.notes", "unknown key 'notes'"),
    ],
)
def test_history_mistakes_are_located(old, new, where, message):
    assert old in CASE
    with pytest.raises(BrinkInputError) as caught:
        load_scenario_text(CASE.replace(old, new, 1), file="case.yaml")
    text = str(caught.value)
    assert text.startswith(f"case.yaml:{where.replace(chr(92), '')}:"), text
    assert re.search(message, text), text


def test_the_bundled_founding_scenario_records_the_invasion():
    history = load_scenario("black_sea_2022").history
    ukraine = history.disputes["ukraine_neutrality"]
    assert ukraine.outcome == "war_ongoing" and ukraine.war and ukraine.highest_level == 5
    assert ukraine.fought_challenger == ("RUS",) and ukraine.fought_target == ("UKR",)

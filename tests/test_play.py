"""A person at the table (brink view --play; viz/play.py): the game stops at the played
state's decision points, steps on with the answer, replays from its answers, writes a run folder
the replay reads, and "what if" runs seeded continuations for each option."""

from __future__ import annotations

import argparse
import copy

import numpy as np
import pandas as pd
import pytest

from brink.errors import BrinkInputError
from brink.scenarios.loader import load_scenario
from brink.sim.decisions import Situation, open_options
from brink.sim.dispute import CHALLENGER
from brink.sim.model import CrisisModel
from brink.sim.params import scenario_params
from brink.viz import play
from brink.viz.commands import view_environment
from brink.viz.play_page import seat_tables
from brink.viz.viewruns import Recorded


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("black_sea_2022")


def _game(scenario, seats=("RUS",), seed=17) -> play.Game:
    return play.Game(scenario, scenario_params(scenario), seed, seats)


def _until_decision(game: play.Game, limit: int = 400) -> play.Decision | None:
    for _ in range(limit):
        if game.pending is not None or game.finished():
            return game.pending
        game.step()
    raise AssertionError("no decision and no end")


def _play_out(game: play.Game, pick) -> list[play.Decision]:
    asked = []
    while not game.finished():
        decision = _until_decision(game)
        if decision is None:
            break
        asked.append(decision)
        game.answer(decision.state, pick(decision))
    return asked


def test_the_game_stops_at_the_played_states_decisions_and_steps_on_with_the_answer(scenario):
    game = _game(scenario)
    decision = _until_decision(game)
    assert decision.state == "RUS" and decision.key[2] == CHALLENGER
    assert decision.options[0] == "hold" and "back_down" in decision.options
    assert set(decision.words) == set(decision.options)
    assert decision.model_choice in decision.options
    assert set(decision.reasons.values) <= set(decision.options)
    assert 0.0 <= decision.reasons.chance_other_yields <= 1.0
    day = game.model.steps_done
    game.step()  # nothing moves while the seat has not chosen
    assert game.model.steps_done == day and game.pending is decision
    game.answer("USA", "back_down")  # not USA's decision: ignored
    assert game.pending is decision
    game.answer("RUS", "back_down")
    assert game.answers[decision.key] == "back_down"
    # The day is stepped once every decision of it is in (Russia is challenger twice).
    while game.pending is not None and game.pending.day == decision.day:
        game.answer(game.pending.state, "hold")
    backed = [
        row
        for row in game.model.record.events
        if row["action"] == "back_down" and row["dispute"] == decision.dispute
    ]
    assert [row["step"] for row in backed] == [decision.day]


def test_a_played_run_is_a_function_of_its_answers(scenario):
    game = _game(scenario)
    asked = _play_out(game, lambda d: "escalate" if "escalate" in d.options else d.options[1])
    assert len(asked) >= 2
    again = play.build(game.recipe())
    assert again.record.events == game.model.record.events
    assert again.record.steps == game.model.record.steps


def test_a_finished_game_is_a_run_folder_the_replay_reads(scenario, tmp_path):
    game = _game(scenario)
    asked = _play_out(game, lambda d: "back_down" if "back_down" in d.options else "hold")
    folder = game.write(tmp_path)
    recorded = Recorded.read(folder)
    manifest = pd.read_json(folder / "manifest.json", typ="series")
    human = {"state": "RUS", "module": "brink.viz.play", "name": "human", "from_day": 1}
    assert manifest["rules"][-1] == human
    assert manifest["rules"][0]["name"] == "ScreeningRule"  # what the model played
    events = recorded.tables["events"]
    chosen = events[events["action"] == "human_choice"]
    assert list(chosen["detail"]) == [game.answers[d.key] for d in asked]
    assert set(chosen["actor"]) == {"RUS"}
    assert recorded.last_step(0) == game.model.steps_done
    assert set(recorded.tables["runs"]["dispute"]) == {"nato_rollback", "ukraine_neutrality"}


def test_a_seat_sees_only_its_own_beliefs_until_the_end(scenario):
    game = _game(scenario, seats=("RUS", "USA"))
    for _ in range(3):
        game.step()
        if game.pending:
            game.answer(game.pending.state, "hold")
    tables = game.tables()
    assert set(tables.beliefs["observer"]) > {"RUS"}
    mine = seat_tables(tables, "RUS", finished=False)
    assert set(mine.beliefs["observer"]) == {"RUS"}
    assert mine.beliefs["true"].isna().all()
    assert seat_tables(tables, "RUS", finished=True) is tables


def test_two_seats_each_answer_their_own_decisions(scenario):
    game = _game(scenario, seats=("RUS", "USA"))
    asked = _play_out(game, lambda d: "hold" if d.day < 20 else d.options[-1])
    assert {d.state for d in asked} == {"RUS", "USA"}
    for decision in asked:
        assert game.model.disputes[decision.dispute].decider(decision.key[2]) == decision.state


def test_what_if_continuations_are_seeded_and_each_option_counts(scenario):
    game = _game(scenario)
    decision = _until_decision(game)
    recipe = game.recipe()
    draws = [(0, 11), (1, 12), (3, 13)]
    first = play.continuations(recipe, decision.key, decision.options, draws)
    assert first == play.continuations(recipe, decision.key, decision.options, draws)
    assert set(first) == set(decision.options)
    assert all(len(rows) == len(draws) for rows in first.values())
    # Backing down ends the dispute at once: never the challenger's way, never war.
    ends = play.shares(first["back_down"])
    assert ends["your way"] == 0.0 and ends["war"] == 0.0
    assert sum(ends.values()) == pytest.approx(1.0)
    # The game itself is untouched by its continuations.
    assert game.model.steps_done == recipe.steps and game.pending is decision


def test_the_explanation_draws_nothing_and_changes_no_memory(scenario):
    model = CrisisModel(scenario, seed=3)
    model.step()
    dispute = model.disputes["nato_rollback"]
    rule = model.states["RUS"].rule
    situation = Situation(model, dispute, CHALLENGER, open_options(dispute, CHALLENGER), model.rng)
    state_before = copy.deepcopy(model.rng.bit_generator.state)
    memory_before = copy.deepcopy(rule.standoffs)
    reasons = rule.explain(situation)
    assert model.rng.bit_generator.state == state_before
    assert rule.standoffs.keys() == memory_before.keys()
    assert sum(reasons.probabilities.values()) == pytest.approx(1.0)
    assert np.isfinite(list(reasons.values.values())).all()


def test_play_names_a_state_of_the_scenario():
    args = argparse.Namespace(
        scenario="black_sea_2022", run_dir=None, params_file=None, play="XYZ",
        host="127.0.0.1", port=0,
    )  # fmt: skip
    with pytest.raises(BrinkInputError, match=r"no state 'XYZ'.*RUS"):
        view_environment(args)
    args.play = "rus"
    assert view_environment(args)["BRINK_VIEW_PLAY"] == "RUS"
    args.scenario, args.run_dir = None, "out/some-run"
    with pytest.raises(BrinkInputError, match="cannot be played"):
        view_environment(args)


def test_what_if_deals_strata_of_the_seats_belief_to_the_workers(scenario):
    game = _game(scenario)
    decision = _until_decision(game)
    parts = play.split_draws(game.recipe(), decision, 20)
    assert sorted(len(part) for part in parts) == [10, 10]
    assert {stratum for part in parts for stratum, _ in part} == set(range(play.STRATA))
    assert len({stratum % 2 for stratum, _ in parts[0]}) == 1  # a stratum stays in one worker
    belief = game.model.states["RUS"].belief_about("USA")
    quantiles = [play.resolve_quantile(belief, stratum, 0) for stratum in range(play.STRATA)]
    assert quantiles == sorted(quantiles) and 0.0 < quantiles[0] < quantiles[-1] < 1.0


def test_standing_firm_plays_out_as_holding_unless_the_other_just_escalated(scenario):
    game = _game(scenario)
    decision = _until_decision(game)
    recipe = game.recipe()
    assert play.same_as_holding(play.build(recipe), decision.key) == "press"
    draws = [(0, 21), (1, 22), (2, 23), (3, 24)]
    both = play.continuations(recipe, decision.key, ("hold", "press"), draws, skip_equivalent=False)
    assert both["press"] == both["hold"]  # run apart, the same runs
    model = play.build(recipe)
    model._escalated_last_step.add((decision.dispute, "target"))
    assert play.same_as_holding(model, decision.key) is None


def test_a_seat_that_joins_later_is_replayed_from_the_day_it_joined(scenario):
    game = _game(scenario)
    _until_decision(game)
    game.answer("RUS", "hold", game.pending.key)
    while game.pending is not None:
        game.answer(game.pending.state, "hold", game.pending.key)
    for _ in range(2):  # the United States is the model's until it joins
        game.step()
        while game.pending is not None:
            game.answer(game.pending.state, "hold", game.pending.key)
    joined = game.model.steps_done + 1
    assert joined > 2 and game.model.disputes["nato_rollback"].status == "open"
    game.add_seat("USA")
    assert dict(game.recipe().seats)["USA"] == joined
    asked = _play_out(game, lambda d: "hold" if d.day < joined + 20 else d.options[-1])
    assert any(d.state == "USA" for d in asked)
    assert all(d.day >= joined for d in asked if d.state == "USA")
    assert play.build(game.recipe()).record.events == game.model.record.events


def test_the_panel_of_a_seat_says_the_truth_is_hidden(scenario):
    from brink.viz.statepanel import panel_html

    game = _game(scenario)
    for _ in range(3):
        game.step()
        while game.pending is not None:
            game.answer(game.pending.state, "hold", game.pending.key)
    tables = seat_tables(game.tables(), "RUS", finished=False)
    html = panel_html(
        scenario, tables.steps, tables.events, tables.beliefs, "RUS", tables.step, 1.0
    )
    assert "hidden" in html and "nan" not in html.lower()
    shown = panel_html(
        scenario, game.tables().steps, game.tables().events, game.tables().beliefs, "RUS",
        tables.step, 1.0,
    )  # fmt: skip
    assert "hidden" not in shown

"""The event log in words."""

from __future__ import annotations

from view_scenario import black_sea, event

from brink.viz.narrate import (
    PHRASES,
    merge_rows,
    narrate,
    narrate_all,
    step_heading,
    troops_text,
)

# Every action the model logs (the team contract of the events table).
ACTIONS = (
    "demand",
    "deploy",
    "withdraw",
    "threaten_sanctions",
    "impose_sanctions",
    "lift_sanctions",
    "statement",
    "offer",
    "talks",
    "join_alliance",
    "leave_alliance",
    "press",
    "escalate",
    "accept_offer",
    "back_down",
    "resist",
    "counter_escalate",
    "offer_compromise",
    "concede",
    "ultimatum",
    "accept_ultimatum",
    "reject_ultimatum",
    "war",
    "join_war",
    "stay_out",
    "settle",
    "break",
    "spiral",
)


def test_the_issue_examples_read_as_written():
    scenario = black_sea()
    assert (
        narrate(event(12, "FRA", "deploy", "ROU", amount=1.0), scenario)
        == "Day 12 — France deploys 1,000 troops to Romania"
    )
    assert (
        narrate(event(31, "RUS", "escalate", "UKR", "ukraine", level=3), scenario)
        == "Day 31 — Russia escalates against Ukraine to a display of force"
    )


def test_every_logged_action_has_its_own_sentence():
    assert set(ACTIONS) <= set(PHRASES)
    scenario = black_sea()
    sentences = {
        narrate(event(1, "RUS", action, "UKR", "ukraine", level=4, amount=0.4), scenario)
        for action in ACTIONS
    }
    assert len(sentences) == len(ACTIONS)  # no two actions read the same
    assert all("Russia" in text or "Ukraine" in text for text in sentences)


def test_sentences_name_amounts_and_levels():
    scenario = black_sea()
    assert narrate(event(3, "RUS", "withdraw", "BLR", amount=30.0), scenario) == (
        "Day 3 — Russia withdraws 30,000 troops from Belarus"
    )
    assert narrate(event(4, "RUS", "deploy", "RUS", amount=100.0), scenario) == (
        "Day 4 — Russia masses 100,000 troops on its own territory"
    )
    assert narrate(
        event(5, "UKR", "offer_compromise", "RUS", "ukraine", amount=0.25), scenario
    ) == ("Day 5 — Ukraine offers Russia a compromise: 25 % of the issue")
    assert narrate(event(6, "RUS", "demand", "NATO", "nato"), scenario) == (
        "Day 6 — Russia demands of NATO: no NATO enlargement"
    )
    assert narrate(event(7, "USA", "statement", detail="We stand with Ukraine"), scenario) == (
        'Day 7 — United States declares: "We stand with Ukraine"'
    )


def test_many_senders_of_one_sanction_make_one_sentence():
    scenario = black_sea()
    rows = [
        event(9, code, "impose_sanctions", "RUS", amount=0.3, detail="west")
        for code in ("USA", "FRA")
    ]
    assert narrate_all(rows, scenario) == [
        "Day 9 — United States and France impose sanctions on Russia (cutting 30 % of trade)"
    ]
    many = [
        event(9, code, "threaten_sanctions", "RUS", amount=0.3, detail="west")
        for code in ("USA", "FRA", "POL", "ROU", "UKR")
    ]
    (line,) = narrate_all(many, scenario)
    assert line.startswith("Day 9 — United States, France, Poland and 2 others threaten sanctions")
    # Different sanctions or days stay apart.
    apart = [rows[0], {**rows[1], "detail": "other"}]
    assert len(merge_rows(apart)) == 2


def test_routine_moves_are_left_out_unless_asked():
    scenario = black_sea()
    rows = [
        event(2, "RUS", "press", "UKR", "ukraine", level=2),
        event(2, "UKR", "resist", "RUS", "ukraine", level=2),
        event(3, "RUS", "escalate", "UKR", "ukraine", level=3),
    ]
    assert narrate_all(rows, scenario) == [
        "Day 3 — Russia escalates against Ukraine to a display of force"
    ]
    assert len(narrate_all(rows, scenario, routine=True)) == 3


def test_without_a_scenario_codes_stand_in_for_names():
    assert narrate(event(2, "AAA", "concede", "BBB")) == "Day 2 — AAA concedes to BBB"
    assert narrate(event(2, "AAA", "novel_action", "BBB")) == "Day 2 — AAA novel action (BBB)"


def test_a_join_names_the_side_joined_and_a_stay_out_the_war():
    """Issue 27: "Bulgaria enters the war against Ukraine" was said of Bulgaria joining
    Ukraine's side: the join's target is the side joined (sim/war.py)."""
    scenario = black_sea()
    line = narrate(event(9, "ROU", "join_war", "UKR", "ukraine", level=5), scenario)
    assert line == "Day 9 — Romania joins the war on the side of Ukraine"
    assert "against" not in line
    two = narrate_all(
        [event(9, code, "join_war", "UKR", "ukraine", level=5) for code in ("ROU", "POL")],
        scenario,
    )
    assert two == ["Day 9 — Romania and Poland join the war on the side of Ukraine"]
    out = narrate(event(9, "POL", "stay_out", None, "ukraine_neutrality"), scenario)
    assert out == "Day 9 — Poland stays out of the war over Ukraine neutrality"


def test_two_yields_on_one_day_are_told_as_the_one_that_counted():
    """Issue 27: "backs down" and "concedes" by both sides on one day contradicted each other;
    the dispute's outcome tells which counted."""
    scenario = black_sea()
    rows = [
        event(5, "RUS", "back_down", "UKR", "ukraine", level=3, amount=0.0),
        event(5, "UKR", "concede", "RUS", "ukraine", level=3, amount=0.6),
    ]
    assert narrate_all(rows, scenario, outcomes={"ukraine": "yield_target"}) == [
        "Day 5 — Ukraine concedes to Russia (Russia was ready to give way that day too)"
    ]
    assert narrate_all(rows, scenario, outcomes={"ukraine": "yield_challenger"}) == [
        "Day 5 — Russia backs down before Ukraine (Ukraine was ready to give way that day too)"
    ]
    assert narrate_all(rows, scenario) == [
        "Day 5 — Russia and Ukraine both give way on the same day"
    ]
    # One side's yield alone, or yields in two disputes, stay as they are.
    assert len(narrate_all(rows[:1], scenario)) == 1
    other = {**rows[1], "dispute": "nato"}
    assert len(narrate_all([rows[0], other], scenario)) == 2


def test_dates_follow_the_days_a_step_lasts():
    """Issue 27: with step_days = 7 the heading counted days one by one."""
    scenario = black_sea()
    assert step_heading(scenario, 10, step_days=7) == "Day 70 · 12 March 2022"
    assert step_heading(scenario, 10) == "Day 10 · 11 January 2022"
    assert narrate(event(3, "RUS", "withdraw", "BLR", amount=1.0), scenario, 7).startswith(
        "Day 21 — "
    )


def test_headings_give_the_date_of_a_step():
    from dataclasses import replace

    scenario = black_sea()
    assert step_heading(scenario, 0) == "Day 0 · 1 January 2022"
    assert step_heading(scenario, 12) == "Day 12 · 13 January 2022"
    assert step_heading(replace(scenario, step="week"), 2) == "Week 2 · 15 January 2022"
    assert troops_text(0.5) == "500 troops"


def test_the_view_log_puts_the_newest_day_first_and_says_when_nothing_changed():
    from view_scenario import events_frame

    from brink.viz.eventlog import log_html, log_lines

    scenario = black_sea()
    events = events_frame(
        [
            event(1, "RUS", "escalate", "UKR", "ukraine", level=3),
            event(1, "UKR", "counter_escalate", "RUS", "ukraine", level=3),
            event(2, "RUS", "press", "UKR", "ukraine", level=3),
            event(2, "UKR", "resist", "RUS", "ukraine", level=3),
        ]
    )
    assert log_lines(events, scenario) == [
        "Day 2 — the standoff goes on: Russia keeps up the pressure on Ukraine; "
        "Ukraine holds firm against Russia",
        "Day 1 — Russia escalates against Ukraine to a display of force",
        "Day 1 — Ukraine answers Russia with a display of force",
    ]
    html = log_html(["Day 1 — A <b> & B"])
    assert html.count('class="brink-log-line"') == 1 and "&lt;b&gt; &amp; B" in html

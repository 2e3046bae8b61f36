"""The panels over time: escalation, hostility, outcome shares, beliefs."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from view_scenario import black_sea, event, events_frame, steps_frame

from brink.viz.timeline import (
    OUTCOME_GROUPS,
    escalation_series,
    hostility_series,
    latest_beliefs,
    outcome_shares,
    panels_figure,
)


def _run(run, dispute, outcome, end_step, war=False):
    return dict(run=run, dispute=dispute, outcome=outcome, end_step=end_step, war=war)


def test_outcome_shares_count_war_from_its_first_day_and_endings_from_theirs():
    runs = pd.DataFrame(
        [
            _run(0, "d", "victory_challenger", 10, war=True),
            _run(1, "d", "compromise", 4),
            _run(2, "d", "stalemate", 20),
            _run(3, "d", "yield_challenger", 6),
            _run(0, "other", "compromise", 1),
        ]
    )
    events = events_frame([event(3, "A", "war", "B", "d", level=5)]).assign(run=0)
    shares = outcome_shares(runs, events, "d", 20)
    assert list(shares.columns) == list(OUTCOME_GROUPS)
    assert (shares.sum(axis=1).round(12) == 1.0).all()
    assert shares.loc[2, "ongoing"] == 1.0
    assert shares.loc[3, "war"] == 0.25  # run 0's war began on day 3, before it ended
    assert shares.loc[4, "compromise"] == 0.25
    assert shares.loc[6, "target"] == 0.25  # the challenger backed down: the target prevails
    assert shares.loc[20, "ongoing"] == 0.25  # a stalemate never settles
    assert outcome_shares(None, None, "d", 5).empty


def test_hostility_follows_the_sides_and_stops_at_a_settlement():
    scenario = black_sea()
    events = events_frame(
        [
            event(2, "RUS", "escalate", "UKR", "ukraine", level=3),
            event(3, "UKR", "counter_escalate", "RUS", "ukraine", level=4),
            event(5, "RUS", "back_down", "UKR", "ukraine", level=3),
        ]
    )
    table = hostility_series(scenario, events, 8)
    ukraine = table["ukraine"]
    assert list(ukraine[:6]) == [2.0, 2.0, 3.0, 4.0, 4.0, 4.0]
    assert all(math.isnan(value) for value in ukraine[6:])
    assert (table["nato"] == 2.0).all()


def test_escalation_series_takes_one_value_per_step():
    steps = steps_frame({1: {"RUS": 2, "UKR": 2}, 2: {"RUS": 3, "UKR": 2}})
    series = escalation_series(steps)
    assert list(series.index) == [1, 2] and list(series) == [1.0, 2.0]


def test_latest_beliefs_are_those_of_the_last_step_seen():
    beliefs = pd.DataFrame(
        [
            dict(run=0, step=1, observer="RUS", subject="UKR", believed=0.3, true=0.7),
            dict(run=0, step=2, observer="RUS", subject="UKR", believed=0.4, true=0.7),
            dict(run=0, step=3, observer="RUS", subject="UKR", believed=0.6, true=0.7),
        ]
    )
    rows = latest_beliefs(beliefs, 2)
    assert len(rows) == 1 and rows.loc[0, "believed"] == 0.4


def test_the_panels_draw_from_tables():
    scenario = black_sea()
    steps = steps_frame({1: {"RUS": 3, "UKR": 2}})
    events = events_frame([event(1, "RUS", "escalate", "UKR", "ukraine", level=3)])
    beliefs = pd.DataFrame(
        [dict(run=0, step=1, observer="RUS", subject="UKR", believed=0.2, true=0.8)]
    )
    shares = outcome_shares(
        pd.DataFrame([_run(0, "ukraine", "compromise", 3)]), None, "ukraine", 30
    )
    figure = panels_figure(scenario, steps, events, beliefs, shares, 1, 30, ensemble_runs=1)
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert titles[0].startswith("Escalation score")
    assert "share of 1 runs" in titles[2]
    beliefs_ax = figure.axes[3]
    assert [t.get_text() for t in beliefs_ax.get_yticklabels()] == ["Russia on Ukraine"]


def test_the_panels_legends_cover_no_data_and_no_label_is_cut():
    """Issue 15: the hostility legend hid days 2–4 and belief labels were cut at the edge."""
    scenario = black_sea()
    steps = steps_frame({1: {"RUS": 3, "UKR": 2}, 2: {"RUS": 4, "UKR": 3}})
    events = events_frame([event(1, "RUS", "escalate", "UKR", "ukraine", level=3)])
    beliefs = pd.DataFrame(
        [
            dict(run=0, step=1, observer="RUS", subject="UKR", believed=0.2, true=0.8),
            dict(run=0, step=1, observer="UKR", subject="RUS", believed=0.9, true=0.6),
        ]
    )
    shares = outcome_shares(
        pd.DataFrame([_run(0, "ukraine", "compromise", 3)]), None, "ukraine", 30
    )
    figure = panels_figure(scenario, steps, events, beliefs, shares, 2, 30, ensemble_runs=1)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    whole = figure.bbox
    legends = 0
    for ax in figure.axes:
        legend = ax.get_legend()
        if legend is not None:
            legends += 1
            assert not legend.get_window_extent(renderer).overlaps(ax.bbox)
        for text in [*ax.get_yticklabels(), *ax.get_xticklabels(), ax.title]:
            if text.get_text():
                box = text.get_window_extent(renderer)
                assert whole.x0 <= box.x0 and box.x1 <= whole.x1, text.get_text()
    assert legends == 3

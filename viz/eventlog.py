"""The view's event log: what happened, newest first, in words (:mod:`brink.viz.narrate`)."""

from __future__ import annotations

import html
from typing import Any, cast

import pandas as pd
import solara

from brink.scenarios.spec import Scenario
from brink.viz.narrate import (
    ROUTINE_ACTIONS,
    merge_rows,
    narrate,
    one_yield,
    sentence,
    step_name,
)
from brink.viz.viewruns import Tables

LOG_LINES = 300  # most recent lines shown in the event log


def log_lines(
    events: pd.DataFrame,
    scenario: Scenario,
    outcomes: dict[str, str] | None = None,
    step_days: float | None = None,
) -> list[str]:
    """The event log, newest first: every notable event, and on a day with only routine moves
    (press, resist, stay out) one line saying the standoff goes on. ``outcomes`` (dispute →
    outcome) tell which of two same-day yields counted (:func:`one_yield`); ``step_days`` the
    days a step lasts, when not the scenario's."""
    if len(events) == 0:
        return []
    days: list[list[str]] = []
    for step, rows in events.groupby("step", sort=True):
        # rows keyed by their column names; the step is a whole number
        rows_read = cast("list[dict[str, Any]]", rows.to_dict("records"))
        records = one_yield(merge_rows(rows_read), outcomes)
        notable = [row for row in records if row["action"] not in ROUTINE_ACTIONS]
        if notable:
            days.append([narrate(row, scenario, step_days) for row in notable])
        else:
            moves = "; ".join(sentence(row, scenario) for row in records)
            day = step_name(scenario, int(cast(int, step)), step_days)
            days.append([f"{day} — the standoff goes on: {moves}"])
    # Newest day first; within a day, in the order things happened.
    return [line for day in reversed(days) for line in day]


def log_html(lines: list[str], shown: str = "") -> str:
    """The log as one block of HTML (one widget, not one per line: the view redraws per step);
    ``shown``: the step the page shows (``Day 3``), said when nothing has happened by then."""
    if not lines:
        text = (
            f"Nothing has happened by {shown}: press Step or Play to go on."
            if shown
            else "Nothing has happened yet: press Step or Play."
        )
        return f'<div class="brink-log-empty">{html.escape(text)}</div>'
    return "".join(
        f'<div class="brink-log-line" style="padding:3px 0;border-bottom:1px solid #eee">'
        f"{html.escape(line)}</div>"
        for line in lines
    )


@solara.component
def EventLog(scenario: Scenario, tables: Tables, key: Any):
    lines = solara.use_memo(
        lambda: log_lines(tables.events, scenario, tables.outcomes, tables.step_days)[:LOG_LINES],
        [key],
    )
    shown = step_name(scenario, tables.step, tables.step_days).lower() if tables.step > 0 else ""
    with solara.Card("Event log"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=log_html(lines, shown),
            classes=["brink-log"],
            style="max-height: 560px; overflow-y: auto; font-size: 13px; line-height: 1.35;",
        )

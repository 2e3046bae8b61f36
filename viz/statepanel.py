"""What a click on a state opens in the view: its beliefs, its troops abroad, its decisions.

Built from the run's rows (``steps``, ``events``, ``beliefs``; sim/record.py) up to the step
shown, as a small block of HTML the map shows beside itself.
"""

from __future__ import annotations

import html

import pandas as pd

from brink.scenarios.spec import Scenario
from brink.viz.map_situation import situation
from brink.viz.narrate import ROUTINE_ACTIONS, narrate, state_name, step_heading, troops_place
from brink.viz.timeline import latest_beliefs
from brink.viz.vector import forces_text, thousands

DECISIONS_SHOWN = 40  # the most recent notable decisions listed


def _escape(value: object) -> str:
    return html.escape(str(value))


def beliefs_rows(beliefs: pd.DataFrame | None, code: str, step: int) -> pd.DataFrame:
    """``code``'s latest belief about each state it watches: subject, believed, true."""
    latest = latest_beliefs(beliefs, step)
    if len(latest) == 0:
        return latest
    return latest[latest["observer"] == code].sort_values("subject").reset_index(drop=True)


def decisions(events: pd.DataFrame | None, code: str, step: int) -> tuple[list[dict], int]:
    """``code``'s notable decisions up to ``step``, newest first, and how many routine ones
    (pressing, resisting, staying out) it made besides."""
    if events is None or len(events) == 0:
        return [], 0
    rows = events[(events["actor"] == code) & (events["step"] <= step)]
    routine = rows["action"].isin(ROUTINE_ACTIONS)
    notable = rows[~routine].sort_values("step", ascending=False, kind="stable")
    return notable.to_dict("records"), int(routine.sum())


def panel_html(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    beliefs: pd.DataFrame | None,
    code: str,
    step: int,
    step_days: float | None = None,
) -> str:
    """The panel of state ``code`` after ``step``; empty for a code the scenario lacks
    (``step_days``: the days a step lasts, when not the scenario's)."""
    spec = scenario.states.get(code)
    if spec is None:
        return ""
    parts = [
        f'<div class="brink-panel" data-code="{_escape(code)}">',
        f"<h3>{_escape(spec.name)}</h3>",
        f'<div style="color:#555">{_escape(step_heading(scenario, step, step_days))}</div>',
        "<h4>Beliefs about the others' resolve</h4>",
    ]
    rows = beliefs_rows(beliefs, code, step)
    if len(rows):
        parts.append(
            '<table class="brink-beliefs"><tr><th>about</th><th class="num">believed</th>'
            '<th class="num">true</th><th class="num">error</th></tr>'
        )
        for subject, believed, true_value in zip(
            rows["subject"], rows["believed"], rows["true"], strict=True
        ):
            true = float(true_value)
            error = float(believed) - true
            # A played game hides the truth from a seat until it ends (viz/play_page.py).
            hidden = true != true  # NaN
            parts.append(
                f"<tr><td>{_escape(state_name(scenario, subject))}</td>"
                f'<td class="num">{float(believed):.2f}</td>'
                f'<td class="num">{"hidden" if hidden else f"{true:.2f}"}</td>'
                f'<td class="num">{"" if hidden else f"{error:+.2f}"}</td></tr>'
            )
        parts.append("</table>")
    else:
        parts.append("<div>It watches no one in a dispute (no belief recorded yet).</div>")

    state = situation(scenario, steps, events, step)
    abroad = [d for d in state.deployments if d.owner == code and d.host != code]
    parts.append("<h4>Troops abroad</h4>")
    if abroad:
        parts.append("<table><tr><th>where</th><th class='num'>troops</th></tr>")
        for deployment in sorted(abroad, key=lambda d: -d.troops):
            where = troops_place(scenario, deployment.host, deployment.near)
            parts.append(
                f"<tr><td>{_escape(where)}</td>"
                f'<td class="num">{_escape(thousands(deployment.troops))}</td></tr>'
            )
        parts.append("</table>")
    else:
        parts.append("<div>none</div>")
    theatre = forces_text(scenario, state, code)
    if theatre:
        parts.append(f"<div>In the theatre: {_escape(theatre)}</div>")

    notable, routine = decisions(events, code, step)
    parts.append("<h4>Decisions so far</h4>")
    if notable:
        parts.append('<ul class="brink-decisions" style="margin:0;padding-left:18px">')
        for row in notable[:DECISIONS_SHOWN]:
            parts.append(f"<li>{_escape(narrate(row, scenario, step_days))}</li>")
        parts.append("</ul>")
        if len(notable) > DECISIONS_SHOWN:
            parts.append(f"<div>… and {len(notable) - DECISIONS_SHOWN} earlier</div>")
    else:
        parts.append("<div>No notable decision yet.</div>")
    if routine:
        parts.append(
            f'<div style="color:#555">and {routine} routine move{"s" if routine != 1 else ""} '
            "(pressing, resisting, staying out)</div>"
        )
    parts.append("</div>")
    return "".join(parts)

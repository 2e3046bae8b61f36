"""The event log in words: one sentence per row of the ``events`` table (docs/model.md §8).

``Day 12 — France deploys 1,000 troops to Romania``. Sentences use the scenario's state names
and dispute issues when a scenario is given, and fall back to the codes in the row otherwise, so
the same function narrates a live run, a replay read from disk and a test's hand-made rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from brink.scenarios.spec import Scenario
from brink.sim.options import Option
from brink.sim.outcomes import Outcome

#: MID hostility levels (Gibler, Miller & Little 2016 codebook), as a noun phrase after "to".
LEVEL_NAMES = {
    1: "no militarised action",
    2: "a threat to use force",
    3: "a display of force",
    4: "a use of force",
    5: "war",
}

#: Short labels of the same levels, for legends and axes.
LEVEL_LABELS = {
    1: "1 none",
    2: "2 threat of force",
    3: "3 display of force",
    4: "4 use of force",
    5: "5 war",
}

#: Actions that only keep the status quo (docs/model.md §4.4); the view folds them into one line a
#: day so that the log shows what changed.
ROUTINE_ACTIONS = frozenset({Option.PRESS, Option.RESIST, "stay_out"})


def step_unit(scenario: Scenario | None) -> str:
    """``Day`` or ``Week``: what one step of the scenario is called."""
    return "Week" if scenario is not None and scenario.step == "week" else "Day"


def days_per_step(scenario: Scenario | None, step_days: float | None = None) -> float:
    """Days one step lasts: the run's ``step_days`` when given, else the scenario's step."""
    if step_days is not None and step_days > 0:
        return float(step_days)
    return 7.0 if scenario is not None and scenario.step == "week" else 1.0


def step_name(scenario: Scenario | None, step: int, step_days: float | None = None) -> str:
    """``Day 70`` for step 10 of 7 days in a daily scenario; ``Week 10`` where a step is the
    scenario's week: the heading, the log and the counter count the days a step lasts."""
    days = days_per_step(scenario, step_days)
    if scenario is not None and scenario.step == "week" and days == 7:
        return f"Week {int(step)}"
    return f"Day {int(step) * days:g}"


def step_date(
    scenario: Scenario | None, step: int, step_days: float | None = None
) -> dt.date | None:
    """Calendar date of a step: step 1 is the first step after the start date (spec.py), and
    each step lasts :func:`days_per_step`."""
    if scenario is None or not scenario.start_date:
        return None
    try:
        start = dt.date.fromisoformat(str(scenario.start_date)[:10])
    except ValueError:
        return None
    return start + dt.timedelta(days=days_per_step(scenario, step_days) * int(step))


def step_heading(scenario: Scenario | None, step: int, step_days: float | None = None) -> str:
    """``Day 12 · 13 January 2022``: the step and, when the scenario has a start date, its date
    (``step_days``: the run's days a step, when they differ from the scenario's)."""
    date = step_date(scenario, step, step_days)
    text = step_name(scenario, step, step_days)
    if date is not None:
        text += f" · {date.day} {date:%B %Y}"
    return text


def state_name(scenario: Scenario | None, code: Any) -> str:
    """A state's or alliance's name for a sentence (codes joined by ';' become a list)."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return "someone"
    text = str(code)
    if ";" in text:
        names = [state_name(scenario, part) for part in text.split(";") if part]
        if len(names) > 4:
            return f"{', '.join(names[:3])} and {len(names) - 3} others"
        return join_words(names)
    if scenario is not None:
        if text in scenario.states:
            return scenario.states[text].name
        if text in scenario.alliances:
            return text
    return text


def join_words(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def troops_text(thousands: Any) -> str:
    """``1,000 troops`` from an amount in thousands of personnel."""
    number = _number(thousands)
    if number is None:
        return "troops"
    return f"{round(number * 1000):,} troops"


def troops_place(scenario: Scenario | None, host: Any, near: Any = None) -> str:
    """Where troops stand, in the one wording the map, its hover text, a state's block and its
    panel all use: ``in Poland``, or ``in Russia at the border of Ukraine`` for troops massed
    toward a neighbour (a deployment's ``near``)."""
    where = f"in {state_name(scenario, host)}"
    if near is not None and _text(near) and _text(near) != _text(host):
        where += f" at the border of {state_name(scenario, near)}"
    return where


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _share(value: Any) -> str:
    number = _number(value)
    return "" if number is None else f"{round(number * 100):d} % of the issue"


def _level(value: Any) -> str:
    number = _number(value)
    if number is None:
        return "a higher level"
    return LEVEL_NAMES.get(int(number), f"level {int(number)}")


def _issue(scenario: Scenario | None, dispute: Any) -> str:
    text = _text(dispute)
    if scenario is not None:
        for demand in scenario.demands:
            if demand.id == text:
                return demand.issue
    return text


def dispute_label(scenario: Scenario, dispute: str) -> str:
    """A short name for a dispute from its id: ``nato_rollback`` → ``NATO rollback``."""
    names = {spec.name.lower(): spec.name for spec in scenario.states.values()}
    codes = set(scenario.states) | set(scenario.alliances)
    words = []
    for word in dispute.replace("-", "_").split("_"):
        if word.upper() in codes:
            words.append(word.upper())
        elif word.lower() in names:
            words.append(names[word.lower()])
        else:
            words.append(word)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# Each phrase gets (actor name, target name, row, scenario) and returns the sentence after the
# heading. Sentences follow the event vocabulary of docs/model.md §4–6.
Phrase = Callable[[str, str, Mapping[str, Any], "Scenario | None"], str]


def _deploy(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    troops = troops_text(row.get("amount"))
    if target in ("someone", actor):
        return f"{actor} masses {troops} on its own territory"
    return f"{actor} deploys {troops} to {target}"


def _withdraw(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    troops = troops_text(row.get("amount"))
    if target in ("someone", actor):
        return f"{actor} stands down {troops}"
    return f"{actor} withdraws {troops} from {target}"


def _plural(row: Mapping[str, Any]) -> bool:
    return ";" in _text(row.get("actor"))


def _sanctions(verb: str, verb_plural: str) -> Phrase:
    def phrase(actor: str, target: str, row: Mapping[str, Any], scenario) -> str:
        severity = _number(row.get("amount"))
        cut = f" (cutting {round(severity * 100):d} % of trade)" if severity else ""
        return f"{actor} {verb_plural if _plural(row) else verb} {target}{cut}"

    return phrase


def _statement(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    text = _text(row.get("detail"))
    return f'{actor} declares: "{text}"' if text else f"{actor} makes a public statement"


def _demand(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    issue = _issue(scenario, row.get("dispute"))
    return (
        f"{actor} demands of {target}: {issue}" if issue else f"{actor} makes a demand on {target}"
    )


def _escalate(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    return f"{actor} escalates against {target} to {_level(row.get('level'))}"


def _counter(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    return f"{actor} answers {target} with {_level(row.get('level'))}"


def _offer(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    share = _share(row.get("amount"))
    return f"{actor} offers {target} a compromise" + (f": {share}" if share else "")


def _proposal(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    share = _share(row.get("amount"))
    return f"{actor} makes an offer to {target}" + (f": {share}" if share else "")


def _ultimatum(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    share = _share(row.get("amount"))
    return f"{actor} issues an ultimatum to {target}" + (f": {share}" if share else "")


def _settle(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    share = _number(row.get("amount"))
    end = f"; {actor} gets {round(share * 100):d} % of the issue" if share is not None else ""
    return f"{actor} and {target} settle{end}"


def _talks(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    dispute = _text(row.get("dispute"))
    if dispute and scenario is not None:
        dispute = dispute_label(scenario, dispute)
    return f"{actor} and {target} hold talks" + (f" on {dispute}" if dispute else "")


def _stay_out(actor: str, target: str, row: Mapping[str, Any], scenario: Scenario | None) -> str:
    verb = "stay" if _plural(row) else "stays"
    if target == "someone":  # the model logs no target: it stayed out of the whole war
        dispute = _text(row.get("dispute"))
        if dispute and scenario is not None:
            return f"{actor} {verb} out of the war over {dispute_label(scenario, dispute)}"
        return f"{actor} {verb} out of the war"
    return f"{actor} {verb} out of the war on the side of {target}"


def _simple(template: str, plural: str | None = None) -> Phrase:
    def phrase(actor: str, target: str, row: Mapping[str, Any], scenario) -> str:
        chosen = plural if plural and _plural(row) else template
        return chosen.format(actor=actor, target=target, level=_level(row.get("level")))

    return phrase


PHRASES: dict[str, Phrase] = {
    "demand": _demand,
    "deploy": _deploy,
    "withdraw": _withdraw,
    "threaten_sanctions": _sanctions("threatens sanctions on", "threaten sanctions on"),
    "impose_sanctions": _sanctions("imposes sanctions on", "impose sanctions on"),
    "lift_sanctions": _sanctions("lifts its sanctions on", "lift their sanctions on"),
    "statement": _statement,
    "offer": _proposal,
    "talks": _talks,
    "join_alliance": _simple("{actor} joins {target}"),
    "leave_alliance": _simple("{actor} leaves {target}"),
    Option.PRESS: _simple("{actor} keeps up the pressure on {target}"),
    Option.ESCALATE: _escalate,
    Option.ACCEPT_OFFER: _simple("{actor} accepts the offer of {target}"),
    Option.BACK_DOWN: _simple("{actor} backs down before {target}"),
    Option.RESIST: _simple("{actor} holds firm against {target}"),
    Option.COUNTER_ESCALATE: _counter,
    Option.OFFER_COMPROMISE: _offer,
    Option.CONCEDE: _simple("{actor} concedes to {target}"),
    "ultimatum": _ultimatum,
    "accept_ultimatum": _simple("{actor} accepts the ultimatum of {target}"),
    "reject_ultimatum": _simple("{actor} rejects the ultimatum of {target}"),
    "war": _simple("War: {actor} fights {target}"),
    # A join's target is the side it joins (sim/war.py logs the side's decider), not the enemy.
    "join_war": _simple(
        "{actor} joins the war on the side of {target}",
        "{actor} join the war on the side of {target}",
    ),
    "stay_out": _stay_out,
    "settle": _settle,
    "break": _simple("The forces of {actor} break against {target}"),
    "spiral": _simple("A clash spirals out of control: war between {actor} and {target}"),
    # A person's choice in a played game (brink view --play; viz/play.py): the option in detail.
    "human_choice": lambda actor, target, row, scenario: (
        f"{actor}'s player chooses to {_text(row.get('detail')).replace('_', ' ')} "
        f"(facing {target})"
    ),
    # one_yield's row for two yields on one day whose outcome the log does not know
    "both_yield": _simple("{actor} and {target} both give way on the same day"),
}


def sentence(row: Mapping[str, Any], scenario: Scenario | None = None) -> str:
    """One event row as a sentence without the day: ``France deploys 1,000 troops to Romania``."""
    action = _text(row.get("action"))
    actor = state_name(scenario, row.get("actor"))
    target = state_name(scenario, row.get("target"))
    phrase = PHRASES.get(action)
    if row.get("also_yielded") is not None and phrase is not None:
        other = state_name(scenario, row.get("also_yielded"))
        told = phrase(actor, target, row, scenario)
        return f"{told} ({other} was ready to give way that day too)"
    if phrase is None:
        text = f"{actor} {action.replace('_', ' ')}"
        if target != "someone":
            text += f" ({target})"
        return text
    return phrase(actor, target, row, scenario)


def narrate(
    row: Mapping[str, Any], scenario: Scenario | None = None, step_days: float | None = None
) -> str:
    """One log line: ``Day 12 — France deploys 1,000 troops to Romania``."""
    return f"{step_name(scenario, int(row['step']), step_days)} — {sentence(row, scenario)}"


#: Actions many states take together (each sender of one sanction logs its own row); the log
#: tells them as one sentence with the actors joined.
GROUPED_ACTIONS = frozenset(
    {"threaten_sanctions", "impose_sanctions", "lift_sanctions", "join_war", "stay_out"}
)


def merge_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Join rows that differ only in their actor into one row whose actor is ``A;B;C``."""
    merged: list[dict[str, Any]] = []
    index: dict[tuple, int] = {}
    for row in rows:
        action = _text(row.get("action"))
        if action not in GROUPED_ACTIONS:
            merged.append(dict(row))
            continue
        key = (
            row.get("step"),
            action,
            _text(row.get("target")),
            _text(row.get("dispute")),
            _text(row.get("detail")),
            _number(row.get("amount")),
        )
        if key in index:
            first = merged[index[key]]
            first["actor"] = f"{first['actor']};{row.get('actor')}"
        else:
            index[key] = len(merged)
            merged.append(dict(row))
    return merged


def narrate_all(
    rows: Iterable[Mapping[str, Any]],
    scenario: Scenario | None = None,
    *,
    routine: bool = False,
    outcomes: Mapping[str, str] | None = None,
    step_days: float | None = None,
) -> list[str]:
    """Log lines for many rows, in order; routine status-quo moves are skipped unless asked;
    two sides' yields on one day are told as one (:func:`one_yield`)."""
    return [
        narrate(row, scenario, step_days)
        for row in one_yield(merge_rows(rows), outcomes)
        if routine or _text(row.get("action")) not in ROUTINE_ACTIONS
    ]


#: A challenger's ways of giving way, and the target's (sim/dispute_moves.py).
CHALLENGER_YIELDS = frozenset({Option.BACK_DOWN, Option.ACCEPT_OFFER})
TARGET_YIELDS = frozenset({Option.CONCEDE})
#: Which side's yield counted, by the dispute's outcome (sim/outcomes.py).
YIELD_OF_OUTCOME: dict[str, str] = {
    Outcome.YIELD_TARGET: "target",
    Outcome.YIELD_CHALLENGER: "challenger",
    Outcome.COMPROMISE: "challenger",
    Outcome.STALEMATE: "challenger",  # a challenger that only threatened and backs down
}


def one_yield(
    rows: Iterable[Mapping[str, Any]], outcomes: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Rows with at most one side giving way per dispute and day.

    When both sides of a dispute yield on the same day the model counts only one of them (a
    war of attrition has no ties: sim/dispute_moves.py picks which came first); the log would
    otherwise say "Russia backs down" and "Ukraine concedes" side by side. The yield that
    counted, told by the dispute's ``outcomes`` (dispute → outcome), stays and says the other
    side was ready to give way too; without an outcome the two become one sentence.
    """
    copies = [dict(row) for row in rows]
    by_day: dict[tuple, dict[str, int]] = {}
    for index, row in enumerate(copies):
        action = _text(row.get("action"))
        side = (
            "challenger"
            if action in CHALLENGER_YIELDS
            else ("target" if action in TARGET_YIELDS else "")
        )
        if side:
            by_day.setdefault((row.get("step"), _text(row.get("dispute"))), {})[side] = index
    dropped: set[int] = set()
    for (_, dispute), sides in by_day.items():
        if len(sides) < 2:
            continue
        counted = YIELD_OF_OUTCOME.get(_text((outcomes or {}).get(dispute)))
        if counted is None:
            first = copies[sides["challenger"]]
            first["action"] = "both_yield"
            first["detail"] = ""
            dropped.add(sides["target"])
            continue
        other = "target" if counted == "challenger" else "challenger"
        copies[sides[counted]]["also_yielded"] = copies[sides[other]].get("actor")
        dropped.add(sides[other])
    return [row for index, row in enumerate(copies) if index not in dropped]

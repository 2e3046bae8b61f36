"""The escalation score of docs/model.md §8, on the scale of Rivera et al. (2024).

Rivera, Mukobi, Reuel, Lamparth, Smith & Schneider (2024), "Escalation Risks from Language Models
in Military and Diplomatic Decision-Making", score each action by its category: de-escalation −2,
status quo 0, posturing 4, non-violent escalation 12, violent escalation 28, nuclear 60.
"""

from __future__ import annotations

from brink.sim.options import Option

DE_ESCALATION = -2
STATUS_QUO = 0
POSTURING = 4
NON_VIOLENT_ESCALATION = 12
VIOLENT_ESCALATION = 28
NUCLEAR = 60

#: What reaching a MID hostility level scores: a threat is posturing, a display of force a
#: non-violent escalation, a use of force or war a violent one.
LEVEL_SCORE = {
    1: STATUS_QUO,
    2: POSTURING,
    3: NON_VIOLENT_ESCALATION,
    4: VIOLENT_ESCALATION,
    5: VIOLENT_ESCALATION,
}

#: Score of each action a state can take in a step (events rows' ``action``): the options of a
#: dispute (:class:`~brink.sim.options.Option`) and the other acts the model logs.
ACTION_SCORE = {
    Option.BACK_DOWN: DE_ESCALATION,
    Option.CONCEDE: DE_ESCALATION,
    Option.ACCEPT_OFFER: DE_ESCALATION,
    "accept_ultimatum": DE_ESCALATION,
    Option.OFFER_COMPROMISE: DE_ESCALATION,
    "offer": DE_ESCALATION,
    "withdraw": DE_ESCALATION,
    "lift_sanctions": DE_ESCALATION,
    "settle": DE_ESCALATION,
    Option.PRESS: STATUS_QUO,
    Option.RESIST: STATUS_QUO,
    "talks": STATUS_QUO,
    "stay_out": STATUS_QUO,
    "demand": POSTURING,
    "statement": POSTURING,
    "threaten_sanctions": POSTURING,
    "join_alliance": POSTURING,
    "ultimatum": POSTURING,
    "reject_ultimatum": POSTURING,
    "deploy": NON_VIOLENT_ESCALATION,
    "impose_sanctions": NON_VIOLENT_ESCALATION,
    "war": VIOLENT_ESCALATION,
    "join_war": VIOLENT_ESCALATION,
    "spiral": VIOLENT_ESCALATION,
}


def action_score(action: str, level: int | None) -> int:
    """Score of one action; escalations score by the level they reach."""
    if action in (Option.ESCALATE, Option.COUNTER_ESCALATE) and level is not None:
        return LEVEL_SCORE[level]
    return ACTION_SCORE.get(action, STATUS_QUO)


def step_score(actions: list[tuple[str, int | None]], at_war: bool) -> int:
    """A state's score for one step: its most escalatory action, or ongoing violence at war.

    A state with no action this step holds the status quo, unless it is fighting: each day of
    war counts as violent escalation.
    """
    scores = [action_score(action, level) for action, level in actions]
    if at_war:
        scores.append(VIOLENT_ESCALATION)
    if not scores:
        return STATUS_QUO
    return max(scores)

"""The seam between the world and the states' decisions: what a decision rule sees, what it may
return, and how the model finds the states' agents.

The model (``sim/``) knows *that* a party to a dispute decides each day, not *how*. Each state's
agent owns a rule, an object with a ``name`` and a ``choose`` method: the model hands it a
:class:`Situation` — the model (to read, never to change), the dispute, the side the state
decides for, the options open to it today and the model's random generator — and gets back one
option's name. A rule that returns anything else is an error that names the rule. The rules
themselves live in ``agents/`` (:mod:`brink.agents.rules` lists them); the model never imports
them: the states are made by a factory that ``brink.agents`` registers here when it is imported
(the same way a plug-in registers itself), so the dependency runs one way, from ``agents/`` to
``sim/``.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from brink.errors import BrinkInputError, Location
from brink.sim.dispute import CHALLENGER, Dispute, other
from brink.sim.hostility import Hostility
from brink.sim.options import Option

#: "hold": keep one's course with no new decision today (nothing is logged). "press" (the
#: challenger) and "resist" (the target) are a reviewed decision to stand firm, which is logged
#: and, right after the opponent escalated, reads as hesitation. The options are the members of
#: :class:`~brink.sim.options.Option`; these tuples say which side may take which.
HOLD = Option.HOLD
CHALLENGER_OPTIONS = (Option.PRESS, Option.ESCALATE, Option.ACCEPT_OFFER, Option.BACK_DOWN)
TARGET_OPTIONS = (Option.RESIST, Option.COUNTER_ESCALATE, Option.OFFER_COMPROMISE, Option.CONCEDE)
ESCALATIONS = (Option.ESCALATE, Option.COUNTER_ESCALATE)
YIELDS = (Option.BACK_DOWN, Option.CONCEDE)


@dataclass(frozen=True)
class Situation:
    """What a rule sees when its state decides for one side of one dispute on one day."""

    model: Any  # brink.sim.model.CrisisModel: read it, never change it
    dispute: Dispute
    side: str  # CHALLENGER or TARGET
    options: tuple[Option, ...]  # the options open today, in a fixed order
    rng: np.random.Generator  # the model's generator: the only source of chance a rule may use

    @property
    def day(self) -> int:
        return self.model.steps_done

    @property
    def actor(self) -> str:
        """The code of the state that decides (the side's leader)."""
        return self.dispute.decider(self.side)

    @property
    def opponent(self) -> str:
        """The code of the state that decides for the other side."""
        return self.dispute.decider(other(self.side))

    @property
    def state(self) -> Any:
        """The deciding state's agent (its resolve, beliefs, risk tolerance): read only."""
        return self.model.states[self.actor]

    @property
    def reviews(self) -> bool:
        """True when something happened that calls for a fresh look (the dispute just opened,
        the opponent moved, an event in the dispute)."""
        return self.side in self.dispute.review_due


class DecisionRule(Protocol):
    """How a state picks its option in a dispute each day."""

    name: str

    def choose(self, situation: Situation) -> str:
        """One of ``situation.options``: an :class:`~brink.sim.options.Option` or its value."""
        ...


def open_options(dispute: Dispute, side: str) -> tuple[Option, ...]:
    """The options open to ``side`` today: escalation below war, accepting an open offer (the
    challenger), offering a compromise when none is open (the target)."""
    below_war = dispute.level[side] < Hostility.WAR
    offer_open = dispute.offer is not None
    if side == CHALLENGER:
        closed = {Option.ESCALATE: not below_war, Option.ACCEPT_OFFER: not offer_open}
        listed = CHALLENGER_OPTIONS
    else:
        closed = {Option.COUNTER_ESCALATE: not below_war, Option.OFFER_COMPROMISE: offer_open}
        listed = TARGET_OPTIONS
    return (HOLD, *(option for option in listed if not closed.get(option, False)))


def rule_name(rule: object) -> str:
    """What an error calls a rule: its ``name``, else its class's name."""
    return str(getattr(rule, "name", type(rule).__name__))


def checked_choice(rule: DecisionRule, situation: Situation, choice: object) -> Option:
    """The rule's choice as an :class:`~brink.sim.options.Option` if it is one of the open
    options (a plug-in rule may return the plain string); a located error naming the rule
    otherwise."""
    if isinstance(choice, str) and choice in situation.options:
        return Option(choice)
    raise BrinkInputError(
        f"decision rule '{rule_name(rule)}' returned {choice!r} for {situation.actor} as "
        f"{situation.side} in dispute '{situation.dispute.id}' on day {situation.day}; the "
        f"options open were {', '.join(situation.options)}",
        _rule_location(rule),
    )


def ask(rule: DecisionRule, situation: Situation) -> Option:
    """The rule's checked choice for ``situation``. A rule that raises is a located error that
    names the rule and the line of its code that raised (a rule from outside is the user's
    code, so its failure is reported like a mistake in an input file, not as a traceback)."""
    try:
        choice = rule.choose(situation)
    except BrinkInputError:
        raise
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        last = frames[-1] if frames else None
        where = (
            Location(file=last.filename, line=last.lineno, key=f"{type(rule).__name__}.choose")
            if last is not None
            else _rule_location(rule)
        )
        raise BrinkInputError(
            f"decision rule '{rule_name(rule)}' raised {type(error).__name__}: {error} (deciding "
            f"for {situation.actor} as {situation.side} in dispute '{situation.dispute.id}' on "
            f"day {situation.day})",
            where,
        ) from None
    return checked_choice(rule, situation, choice)


def _rule_location(rule: DecisionRule) -> Location:
    """The file and line where the rule's ``choose`` is defined, when Python knows them."""
    import inspect

    try:
        method = type(rule).choose
        return Location(
            file=inspect.getsourcefile(method),
            line=inspect.getsourcelines(method)[1],
            key=f"{type(rule).__name__}.choose",
        )
    except (AttributeError, OSError, TypeError):
        return Location(key=f"{type(rule).__name__}.choose")


# ---------------------------------------------------------------------- the states' agents
StateFactory = Callable[[Any, Any], Any]  # (model, StateSpec) -> a state agent
_state_factory: list[StateFactory] = []


def register_state_factory(factory: StateFactory) -> None:
    """Make ``factory`` the maker of every state's agent (``brink.agents`` registers
    :class:`~brink.agents.state.State` on import)."""
    _state_factory[:] = [factory]


def state_factory() -> StateFactory:
    """The registered maker of states' agents; imports ``brink.agents`` (which registers its
    own) by name when nothing is registered yet."""
    if not _state_factory:
        importlib.import_module("brink.agents")
    return _state_factory[0]

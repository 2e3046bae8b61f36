"""The expected-utility rule of Brink 0.1 (rule name ``quantal``), kept so that old and new
crisis cores can be compared on every measure (docs/model.md, "Two rules").

A party reviews its course when the dispute has just opened, when its opponent moved or
something happened in the dispute last step, and otherwise with a daily chance ``review_rate``:
governments reconsider a crisis course at decision points, not every morning, and noise in daily
choices would otherwise pile up over a long standoff. When it reviews, it values each option with
:class:`~brink.agents.crisis_choice.Outlook` and picks one by quantal response (McKelvey &
Palfrey 1995); otherwise it holds.
"""

from __future__ import annotations

from brink.agents.crisis_choice import Outlook
from brink.agents.decision import quantal_choice
from brink.sim.decisions import HOLD, Situation
from brink.sim.maths import chance_per_step


class QuantalRule:
    """Quantal response to expected utilities at review points (the rule of Brink 0.1)."""

    name = "quantal"

    def choose(self, situation: Situation) -> str:
        model = situation.model
        review_chance = chance_per_step(model.params.review_rate, model.params.step_days)
        draw = situation.rng.random()
        if situation.reviews or draw < review_chance:
            utilities = Outlook(model, situation.dispute, situation.side).option_utilities()
            return quantal_choice(utilities, model.params.precision, situation.rng)
        return HOLD

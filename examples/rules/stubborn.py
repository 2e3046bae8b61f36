"""A state that never gives way: the simplest decision rule from outside.

``Stubborn`` never backs down or concedes, never accepts an offer and never offers a compromise;
it never escalates either. It holds its course every day, so a dispute it is party to ends only
by the other side's yielding, a war, or the issue's lapsing. Run it as, e.g.::

    brink run black_sea_2022 --rule RUS=examples/rules/stubborn.py:Stubborn

It needs nothing from Brink but the option names (``brink.sim.decisions``): a rule is any
object with a ``name`` and a ``choose(situation)`` method that returns one of
``situation.options``.
"""

from __future__ import annotations

from brink.sim.decisions import HOLD, Situation


class Stubborn:
    """Holds its course every day: never yields, never compromises, never escalates."""

    name = "stubborn"

    def choose(self, situation: Situation) -> str:
        # "hold" is open every day (brink.sim.decisions.open_options), so this is always legal.
        return HOLD

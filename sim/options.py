"""The options a party to a dispute may choose each day, as one ``StrEnum``: :class:`Option`.

One enum for both sides, not a ``ChallengerOption`` and a ``TargetOption``: ``hold`` is open to
both, a day's choices are kept side by side (``choices[side]``), the events table's ``action``
column, the escalation scores (``sim/escalation.py``) and the narrative (``viz/narrate.py``)
read the options of both sides as one vocabulary, and two enums would make each of these a
union. Which options belong to which side is said by :data:`brink.sim.decisions.CHALLENGER_OPTIONS`
and :data:`~brink.sim.decisions.TARGET_OPTIONS`.

A ``StrEnum`` member is its value: it equals the plain string, hashes as it, prints as it
(``str``, f-strings, ``json``, CSV and Parquet all write the value), so the tables keep writing
the same words and a rule from outside (docs/howto/write-a-rule.md) may return ``"escalate"``
as well as ``Option.ESCALATE``; :func:`brink.sim.decisions.checked_choice` turns either into
the member.
Give ``yaml.safe_dump`` the value (``str(option)``): it refuses subclasses of ``str``.
"""

from __future__ import annotations

from enum import StrEnum


class Option(StrEnum):
    """What a side may do in a dispute on one day."""

    #: Keep one's course with no new decision today (nothing is logged); open to both sides.
    HOLD = "hold"
    # the challenger's
    PRESS = "press"  # a reviewed decision to stand firm: logged; after an escalation, hesitation
    ESCALATE = "escalate"  # one rung up the hostility ladder
    ACCEPT_OFFER = "accept_offer"  # take the compromise on the table
    BACK_DOWN = "back_down"  # drop the demand
    # the target's
    RESIST = "resist"  # the target's "press"
    COUNTER_ESCALATE = "counter_escalate"  # the target's "escalate"
    OFFER_COMPROMISE = "offer_compromise"  # put a share of the demand on the table
    CONCEDE = "concede"  # give what is demanded

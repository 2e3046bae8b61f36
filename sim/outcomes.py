"""How a dispute ends, as one ``StrEnum``: :class:`Outcome`, the ``outcome`` column of the runs
table (``sim/record.py``).

The MID outcome classes (Jones, Bremer & Singer 1996) — a victory or a yield of either side, a
compromise, a stalemate — and ``war_ongoing``, a war still being fought when the run ends
(:func:`brink.sim.record.mid_outcome` codes it a stalemate, as the MID project does). A
``StrEnum`` member is its value: it equals the plain string, hashes as it and prints as it
(``str``, f-strings, ``json``, CSV and Parquet all write the value), so the tables keep writing
the same words and a table read back from disk compares equal to the members. Give
``yaml.safe_dump`` the value (``str(outcome)``): it refuses subclasses of ``str``.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """How a dispute ended (or had not, at the end of the run)."""

    VICTORY_CHALLENGER = "victory_challenger"  # the challenger won the war
    VICTORY_TARGET = "victory_target"  # the target won the war
    YIELD_CHALLENGER = "yield_challenger"  # the challenger visibly backed down
    YIELD_TARGET = "yield_target"  # the target gave what was demanded
    COMPROMISE = "compromise"  # the issue was split
    STALEMATE = "stalemate"  # no settlement: the issue lapsed or stayed open
    WAR_ONGOING = "war_ongoing"  # a war still being fought when the run ended

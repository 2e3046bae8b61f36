"""The hostility ladder: the five levels of the Militarized Interstate Dispute data.

Jones, Bremer & Singer (1996), "Militarized Interstate Disputes, 1816–1992", and the MID 4
codebook (Palmer et al. 2015): 1 no militarized action, 2 threat to use force, 3 display of
force, 4 use of force, 5 war. A side's level in a dispute, the highest level a dispute reaches,
and the levels in the runs and events tables are these numbers; an ``IntEnum`` so that the
tables keep writing 1–5 and a level compares and sorts as the number it is.
"""

from __future__ import annotations

from enum import IntEnum


class Hostility(IntEnum):
    """A MID hostility level."""

    NONE = 1  # no militarized action
    THREAT = 2  # threat to use force
    DISPLAY = 3  # display of force
    USE_OF_FORCE = 4
    WAR = 5

"""The major powers of the international system, by year.

Correlates of War Project (2017), *State System Membership List, v2016*: the states coded as
major powers and the years they held that status. A major power's interests reach beyond its
region, so it may fight for a side without a treaty (``join_great_power`` in
:mod:`brink.sim.coalitions`), and retrodiction counts it among the states that may join a dispute
(Correlates of War Project. 2017. "State System Membership List, v2016." Online,
http://correlatesofwar.org).
"""

from __future__ import annotations

#: COW state number → the spans of years (first, last; None: to date) it was a major power.
MAJOR_POWER_YEARS: dict[int, tuple[tuple[int, int | None], ...]] = {
    2: ((1898, None),),  # United States
    200: ((1816, None),),  # United Kingdom
    220: ((1816, 1940), (1945, None)),  # France
    255: ((1816, 1918), (1925, 1945), (1991, None)),  # Germany (Prussia)
    300: ((1816, 1918),),  # Austria-Hungary
    325: ((1860, 1943),),  # Italy
    365: ((1816, 1917), (1922, None)),  # Russia / Soviet Union
    710: ((1950, None),),  # China
    740: ((1895, 1945), (1991, None)),  # Japan
}


def is_major_power(ccode: int | None, year: int) -> bool:
    """Whether the state with COW number ``ccode`` was a major power in ``year``."""
    if ccode is None:
        return False
    return any(
        first <= year and (last is None or year <= last)
        for first, last in MAJOR_POWER_YEARS.get(int(ccode), ())
    )

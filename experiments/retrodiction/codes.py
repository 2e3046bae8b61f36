"""What the records' codes mean for the model: issues, stakes, outcome classes, nuclear status.

The MID and ICB issue codes become issue types, and each issue type the two sides' stakes
(:data:`ISSUE_STAKES`); the MID and ICB outcome codes become outcome classes, and the model's
outcomes are counted in the classes of each record format (:func:`model_outcome_class`); the
public dates of each state's nuclear weapons (:data:`NUCLEAR_YEARS`). Read by the case builder
(:mod:`brink.experiments.retrodiction.cases`), the scoring of a retrodiction, the fit and the
casebook.
"""

from __future__ import annotations

from brink.scenarios.major_powers import MAJOR_POWER_YEARS, is_major_power
from brink.sim.outcomes import Outcome
from brink.sim.record import OUTCOMES

OTHER = "other"

#: Stakes (v_C, v_T) by issue type, in units of the issue. Territory is the most salient issue
#: (Vasquez 1993; Hensel 1996; Senese & Vasquez 2008: territorial disputes escalate to war most
#: often); a regime or existential threat weighs more for the target, whose government or
#: survival is at stake, than for the challenger; policy and influence disputes weigh less,
#: economic and other issues least. The numbers are a judgement, not estimated from the data.
ISSUE_STAKES: dict[str, tuple[float, float]] = {
    "territory": (1.0, 1.0),
    "regime": (0.8, 1.2),
    "existence": (1.0, 1.5),
    "security": (0.8, 0.8),
    "policy": (0.6, 0.6),
    "influence": (0.6, 0.6),
    "economic": (0.4, 0.4),
    "other": (0.4, 0.4),
    "none": (0.5, 0.5),
}
#: MID revision type (``revtype1``): 1 territory, 2 policy, 3 regime/government, 4 other.
MID_ISSUES = {1: "territory", 2: "policy", 3: "regime", 4: "other"}
#: ICB gravity of the value threat to the target (``gravty``): 0 economic, 1 limited military
#: damage, 2 political, 3 territorial, 4 influence in the system, 5 grave damage, 6 existence,
#: 7 other.
ICB_ISSUES = {
    0: "economic",
    1: "security",
    2: "policy",
    3: "territory",
    4: "influence",
    5: "existence",
    6: "existence",
    7: "other",
}

#: MID ``outcome`` → outcome class; 7 released, 8 unclear, 9 joins ongoing war → "other".
MID_OUTCOMES = {
    1: Outcome.VICTORY_CHALLENGER,
    2: Outcome.VICTORY_TARGET,
    3: Outcome.YIELD_CHALLENGER,
    4: Outcome.YIELD_TARGET,
    5: Outcome.STALEMATE,
    6: Outcome.COMPROMISE,
}
#: ICB ``outcom`` of the target principal → outcome class (1 victory, 2 compromise,
#: 3 stalemate, 4 defeat, 5 other). ICB has no yields: they count as the other side's victory.
ICB_OUTCOMES = {
    1: Outcome.VICTORY_TARGET,
    2: Outcome.COMPROMISE,
    3: Outcome.STALEMATE,
    4: Outcome.VICTORY_CHALLENGER,
}
OUTCOME_CLASSES: dict[str, tuple[str, ...]] = {
    "mid-dyadic": OUTCOMES,
    "icb-actor": (
        Outcome.VICTORY_CHALLENGER,
        Outcome.VICTORY_TARGET,
        Outcome.COMPROMISE,
        Outcome.STALEMATE,
    ),
}
ICB_FROM_MODEL: dict[str, Outcome] = {
    Outcome.YIELD_TARGET: Outcome.VICTORY_CHALLENGER,
    Outcome.YIELD_CHALLENGER: Outcome.VICTORY_TARGET,
}

#: First year (and last, if it gave them up) each state had nuclear weapons: the year of its
#: first test for the declared powers (USA 1945, USSR 1949, UK 1952, France 1960, China 1964,
#: India 1974, Pakistan 1998, North Korea 2006); Israel from 1967 (Cohen 1998, *Israel and the
#: Bomb*); South Africa 1982–1990 (its first device was finished in 1982 and all were
#: dismantled by 1991, as verified by the IAEA).
NUCLEAR_YEARS: dict[int, tuple[int, int | None]] = {
    2: (1945, None),
    365: (1949, None),
    200: (1952, None),
    220: (1960, None),
    710: (1964, None),
    666: (1967, None),
    750: (1974, None),
    560: (1982, 1990),
    770: (1998, None),
    731: (2006, None),
}


def is_nuclear(ccode: int, year: int) -> bool:
    """Whether a state had nuclear weapons in a year (:data:`NUCLEAR_YEARS`)."""
    span = NUCLEAR_YEARS.get(ccode)
    return span is not None and span[0] <= year and (span[1] is None or year <= span[1])


def model_outcome_class(outcome: str, source: str) -> str:
    """The outcome class a model outcome counts as in a record format (ICB has no yields)."""
    if source == "icb-actor":
        return ICB_FROM_MODEL.get(outcome, outcome)
    return outcome


#: The major powers of the Correlates of War project, by year: the one table in
#: :mod:`brink.scenarios.major_powers` (COW State System Membership v2016). Used as potential
#: third states of a retrodiction case (a great power may join any dispute), a rule that reads
#: nothing of the dispute but its start year.
MAJOR_POWERS = MAJOR_POWER_YEARS


def major_powers(year: int) -> list[int]:
    """COW codes of the major powers in a year (:data:`MAJOR_POWERS`)."""
    return [ccode for ccode in MAJOR_POWERS if is_major_power(ccode, year)]

"""What one run reports (docs/model.md §8): five tables of plain rows.

The model appends to a :class:`RunRecord` as it runs; writers, figures, sweeps and the browser
view read these rows and nothing else of the model, so a figure drawn from a live run and one
drawn from a file on disk are the same figure (docs/style.md: figures take data frames).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from brink.sim.outcomes import Outcome

#: One row per run and dispute (``runs.parquet``).
RUN_COLUMNS = (
    "run",  # replication index within the ensemble
    "seed",  # the run's own seed (from SeedSequence(root).spawn)
    "dispute",  # dispute id from the scenario
    "challenger",
    "target",  # a state code or an alliance id
    "outcome",  # see OUTCOMES (sim/outcomes.py)
    "max_level",  # highest MID hostility level reached by either side, 1–5
    "challenger_level",  # highest level the challenger reached
    "target_level",  # highest level the target side reached
    "war",  # bool: the dispute ended in or passed through war
    "side_challenger",  # ';'-joined codes of the states that fought on the challenger's side
    "side_target",  # ';'-joined codes of the states that fought on the target's side
    "duration",  # steps from the dispute's start to its end (or to the horizon)
    "casualties",  # thousands of personnel lost in war, both sides
    "demand",  # the demand on the table at the end (the ultimatum's demand, if one was made)
    "settlement",  # share of the issue the challenger got (0: status quo)
    "sanctions_imposed",  # ';'-joined ids of sanctions imposed during the run
    "end_step",  # step at which the dispute ended (horizon if it did not)
    "war_start_step",  # step the war began (null if there was none)
    "war_days",  # days of fighting (to the end of the run if still going)
    "war_ongoing",  # bool: the war was still being fought when the run ended
    "war_end",  # how the war ended: settlement, collapse of a side, conquest, or still going
    "casualties_challenger",  # thousands lost by the challenger's side
    "casualties_target",  # thousands lost by the target's side
    "control",  # share of the contested territory the challenger held when the war ended
)

#: One row per run, step and state (``steps.parquet``).
STEP_COLUMNS = (
    "run",
    "step",
    "state",
    "posture",  # highest hostility level the state holds in any open dispute (1–5)
    "troops_abroad",  # thousands deployed on others' territory
    "sanctions_cost",  # issue units lost to sanctions this step (as target or sender)
    "escalation",  # this state's escalation score this step (Rivera et al. 2024 scale)
    "escalation_score",  # the system's escalation score this step (sum over states)
    "cohesion",  # mean alliance cohesion this step (0–1)
    "at_war",  # bool
)

#: One row per scheduled event and per decision (``events.parquet``).
EVENT_COLUMNS = (
    "run",
    "step",
    "actor",
    "action",
    "target",
    "dispute",
    "level",  # hostility level after the action, where it has one
    "amount",  # troops (thousands) for deployments, severity for sanctions, share for offers
    "detail",  # free text: a statement, the reason for an outcome
)

#: One row per run, step, observer and subject (``beliefs.parquet``): believed resolve vs truth.
BELIEF_COLUMNS = ("run", "step", "observer", "subject", "believed", "true")

#: One row per run, step and war (``fronts.parquet``): the war as it stands at the step's end.
FRONT_COLUMNS = (
    "run",
    "step",
    "dispute",
    "day",  # day of the war
    "control",  # share of the contested territory the challenger holds
    "forces_challenger",  # thousands of the challenger's side in the theatre
    "forces_target",  # thousands of the target's side in the theatre
    "casualties_challenger",  # thousands lost so far
    "casualties_target",
    "aid_challenger",  # combat-power factor aid gives the side (1: none)
    "aid_target",
    "belligerents",  # ';'-joined codes fighting, challenger's side first, then '|', target's
    "aid_donors",  # ';'-joined CODE:AID of donors to the challenger's side, '|', the target's
    # (AID: the capability-weighted aid the donor delivers that day, as aid_* is computed from)
)

#: The MID outcome classes, in the order the tables list them.
OUTCOMES = (
    Outcome.VICTORY_CHALLENGER,
    Outcome.VICTORY_TARGET,
    Outcome.YIELD_CHALLENGER,
    Outcome.YIELD_TARGET,
    Outcome.COMPROMISE,
    Outcome.STALEMATE,
)
#: Every outcome a run can report: the MID classes, and a war still being fought at the end.
RUN_OUTCOMES = (*OUTCOMES, Outcome.WAR_ONGOING)


def mid_outcome(outcome: str) -> Outcome:
    """The MID class of a run's outcome: a war unresolved at the horizon is a stalemate, as the
    MID project codes a dispute that ends with no settlement (Jones, Bremer & Singer 1996)."""
    return Outcome.STALEMATE if outcome == Outcome.WAR_ONGOING else Outcome(outcome)


@dataclass
class RunRecord:
    """Everything one run reports; rows are dicts keyed by the column tuples above."""

    run: int
    seed: int
    runs: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    beliefs: list[dict[str, Any]] = field(default_factory=list)
    fronts: list[dict[str, Any]] = field(default_factory=list)

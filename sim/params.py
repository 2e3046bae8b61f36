"""Every parameter of the crisis model, in one typed, frozen place (docs/model.md §9).

Each parameter is declared once, with its default, allowed range, unit and meaning. The CLI's
``--set``, the scenario's ``parameters:`` block, the sweep factors and the browser view's sliders
are all built from :data:`PARAMETERS`, so no default is ever written twice (docs/style.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from brink.errors import BrinkInputError, Location, did_you_mean

if TYPE_CHECKING:
    from brink.scenarios.spec import Scenario


@dataclass(frozen=True)
class ParameterSpec:
    """What one parameter is: default, closed range ``[low, high]``, unit and meaning."""

    name: str
    default: float | int | None
    low: float
    high: float
    unit: str
    meaning: str
    integer: bool = False
    group: str = "model"

    @property
    def optional(self) -> bool:
        """True for parameters whose default ``None`` means "derive it from the scenario"."""
        return self.default is None


def _p(default, low, high, unit, meaning, *, integer=False, group="model"):
    return field(
        default=default,
        metadata={
            "spec": dict(
                low=low, high=high, unit=unit, meaning=meaning, integer=integer, group=group
            )
        },
    )


@dataclass(frozen=True)
class ModelParams:
    """The crisis model's parameters. Construct with :meth:`with_overrides` to validate input."""

    # -- time (docs/model.md §2) --
    horizon: int = _p(
        180, 1, 3650, "steps", "how many steps a run lasts at most", integer=True, group="time"
    )
    step_days: int = _p(
        1, 1, 7, "days", "days in one step (7 for a weekly scenario)", integer=True, group="time"
    )
    planning_days: float = _p(
        30.0,
        1.0,
        365.0,
        "days",
        "how far ahead a state looks when it weighs a standoff's risks and running costs",
        group="decision",
    )

    # -- decisions (§4.4) --
    precision: float = _p(
        12.0,
        0.0,
        200.0,
        "1/issue unit",
        "quantal-response precision λ; 0 picks options at random, large values are fully rational",
        group="decision",
    )
    display_hazard: float = _p(
        0.002,
        0.0,
        0.2,
        "1/day",
        "daily chance that a display of force (level 3) slides into war",
        group="decision",
    )
    spiral_hazard: float = _p(
        0.02,
        0.0,
        0.5,
        "1/day",
        "daily chance that a use of force (level 4) spirals into war "
        "without a decision (Schelling 1960)",
        group="decision",
    )
    escalation_cost: float = _p(
        0.004,
        0.0,
        0.1,
        "issue units/day per level",
        "running cost of holding a hostility level above 1 (mobilisation, upkeep), per level",
        group="decision",
    )
    review_rate: float = _p(
        0.2,
        0.01,
        1.0,
        "1/day",
        "daily chance that a party reconsiders its course when nothing new has happened (it "
        "always does when the opponent moves)",
        group="decision",
    )
    option_value: float = _p(
        0.9,
        0.0,
        1.0,
        "share",
        "share of the value of climbing later that holding one's level keeps (the option to "
        "escalate)",
        group="decision",
    )
    offer_share: float = _p(
        0.5,
        0.05,
        0.95,
        "share of demand",
        "share of the demand a target offers when it proposes a compromise",
        group="decision",
    )

    # -- audience costs (Fearon 1994) --
    audience_cost_democracy: float = _p(
        0.35,
        0.0,
        2.0,
        "issue units per commitment",
        "cost to a democracy of backing down after a public commitment",
        group="audience",
    )
    audience_cost_anocracy: float = _p(
        0.15,
        0.0,
        2.0,
        "issue units per commitment",
        "cost to an anocracy of backing down after a public commitment",
        group="audience",
    )
    audience_cost_autocracy: float = _p(
        0.08,
        0.0,
        2.0,
        "issue units per commitment",
        "cost to an autocracy of backing down after a public commitment (Weeks 2008: not zero)",
        group="audience",
    )

    # -- who would fight for whom (§4.2) --
    join_intercept: float = _p(
        -4.5,
        -10.0,
        5.0,
        "log-odds",
        "b0: log-odds that an unrelated state joins a war",
        group="coalitions",
    )
    join_pact: float = _p(
        5.0,
        0.0,
        10.0,
        "log-odds per unit commitment",
        "b_pact: weight of an alliance commitment",
        group="coalitions",
    )
    join_tripwire: float = _p(
        1.2,
        0.0,
        5.0,
        "log-odds per log(1 + thousand troops)",
        "b_trip: weight of own troops deployed on the side's territory (Schelling 1966)",
        group="coalitions",
    )
    join_affinity: float = _p(
        1.5,
        0.0,
        10.0,
        "log-odds per unit affinity",
        "b_aff: weight of affinity (shared alliances, regime, trade)",
        group="coalitions",
    )
    join_cost: float = _p(
        0.5,
        0.0,
        10.0,
        "log-odds per unit cost",
        "b_cost: weight of the cost of joining (distance, nuclear opponent)",
        group="coalitions",
    )
    join_revisionist_cost: float = _p(
        1.5,
        0.0,
        10.0,
        "log-odds",
        "penalty for joining the challenger, the side demanding change: third states seldom join "
        "a revisionist's war without an offence pact (Leeds 2003)",
        group="coalitions",
    )
    nuclear_join_cost: float = _p(
        1.0,
        0.0,
        10.0,
        "cost units",
        "added cost of joining against a nuclear power",
        group="coalitions",
    )
    reliability_defense: float = _p(
        0.75,
        0.0,
        1.0,
        "probability",
        "base reliability of a defence pact (Leeds, Long & Mitchell 2000: 75 % honoured)",
        group="coalitions",
    )
    reliability_offense: float = _p(
        0.5, 0.0, 1.0, "probability", "base reliability of an offence pact", group="coalitions"
    )
    reliability_consultation: float = _p(
        0.2, 0.0, 1.0, "probability", "base reliability of a consultation pact", group="coalitions"
    )
    credibility_gain: float = _p(
        0.05,
        0.0,
        1.0,
        "credibility",
        "credibility an ally gains by joining when its partner is attacked",
        group="coalitions",
    )
    credibility_loss: float = _p(
        0.15,
        0.0,
        1.0,
        "credibility",
        "credibility an ally loses by staying out",
        group="coalitions",
    )

    # -- balance of power (§4.3) --
    gradient_km: float = _p(
        2500.0,
        100.0,
        20000.0,
        "km",
        "D in Boulding's loss-of-strength gradient exp(-d/D)",
        group="power",
    )

    # -- war costs and war (§4.4, §6) --
    war_cost_scale: float = _p(
        0.6,
        0.0,
        5.0,
        "issue units per 100 days of war",
        "scale of a state's cost of fighting (grows with the opponent's power, falls with resolve)",
        group="war",
    )
    nuclear_war_cost: float = _p(
        3.0,
        0.0,
        20.0,
        "issue units",
        "added war cost of a war between two coalitions with nuclear members, weighted by the "
        "chance that each side's nuclear members fight",
        group="war",
    )
    # -- forces over time (docs/war.md: forces) --
    committable_share: float = _p(
        0.3,
        0.02,
        1.0,
        "share of armed forces",
        "share of its armed forces a state can send to one war's theatre, beyond what already "
        "stands there (the rest holds other commitments); a scenario's `committable` overrides it",
        group="forces",
    )
    home_ready_share: float = _p(
        0.5,
        0.0,
        1.0,
        "share of armed forces",
        "share of its armed forces a state fighting on its own soil has in the theatre on the "
        "first day; the rest and its reserves arrive by mobilisation",
        group="forces",
    )
    reserve_ratio: float = _p(
        0.5,
        0.0,
        5.0,
        "reservists per active soldier",
        "reservists a state fighting on its own soil calls up, per active soldier; a scenario's "
        "`reserves` overrides it",
        group="forces",
    )
    mobilisation_days: float = _p(
        45.0,
        1.0,
        365.0,
        "days",
        "time constant of sending committable forces to a theatre next door (63 % arrived)",
        group="forces",
    )
    logistics_km: float = _p(
        1500.0,
        100.0,
        20000.0,
        "km",
        "distance that doubles the time to bring forces to the theatre",
        group="forces",
    )

    # -- fighting (docs/war.md: fighting) --
    attrition_rate: float = _p(
        0.004,
        0.0001,
        0.05,
        "share of forces/day",
        "daily loss of a side's forces in the theatre when the sides are equal in combat power",
        group="war",
    )
    attrition_exponent: float = _p(
        0.5,
        0.0,
        1.0,
        "exponent",
        "how losses grow with the opponent's superiority: 1 is Lanchester's square law, 0 the "
        "linear law (Helmbold 1964 measured values in between)",
        group="war",
    )
    defender_advantage: float = _p(
        1.5,
        1.0,
        4.0,
        "force multiplier",
        "combat power of a side defending its own soil, per unit of force (3:1 at the point of "
        "attack, about 1.5:1 over a theatre; Mearsheimer 1989)",
        group="war",
    )
    advance_rate: float = _p(
        0.01,
        0.0,
        0.2,
        "share of territory/day per log power ratio",
        "how fast control of the contested territory moves with the balance of combat power",
        group="war",
    )
    force_employment_spread: float = _p(
        0.3,
        0.0,
        1.5,
        "log-sd",
        "spread of each side's skill in using its forces, drawn per war (Biddle 2004)",
        group="war",
    )
    battle_noise: float = _p(
        0.3,
        0.0,
        1.5,
        "log-sd",
        "day-to-day luck of the battlefield, on losses and on movement",
        group="war",
    )
    break_point: float = _p(
        0.3,
        0.02,
        0.9,
        "share of forces",
        "losses, as a share of all the forces a side has sent, at which a side of average "
        "resolve breaks (scaled up by resolve)",
        group="war",
    )

    # -- bargaining while fighting (docs/war.md: termination) --
    optimism: float = _p(
        0.4,
        0.0,
        2.0,
        "log power ratio",
        "scale of each state's overestimate of its own military edge, drawn per run "
        "(Blainey 1973: mutual optimism)",
        group="war",
    )
    learning_days: float = _p(
        60.0,
        1.0,
        365.0,
        "days",
        "time over which fighting reveals the true balance: misestimates shrink by e each "
        "learning_days (Slantchev 2003)",
        group="war",
    )
    war_planning_days: float = _p(
        90.0,
        7.0,
        730.0,
        "days",
        "how far ahead a side at war looks when it weighs an offer against fighting on",
        group="war",
    )
    offer_rate: float = _p(
        0.1,
        0.0,
        1.0,
        "1/day",
        "daily chance that a side at war puts an offer on the table",
        group="war",
    )
    commitment_shift: float = _p(
        0.25,
        0.05,
        5.0,
        "log power ratio",
        "expected shift in the balance of power beyond which no settlement is credible "
        "(Powell 2006; Weisiger 2013)",
        group="war",
    )

    # -- joining and aid over time (docs/war.md: third states) --
    join_window_days: float = _p(
        30.0,
        1.0,
        365.0,
        "days",
        "a state that would join a war does so within about this many days (troops at risk "
        "join at once)",
        group="coalitions",
    )
    join_momentum: float = _p(
        2.0,
        0.0,
        10.0,
        "log-odds per share of territory lost",
        "how much more likely an ally joins as its partner loses the contested territory",
        group="coalitions",
    )
    aid_effect: float = _p(
        0.6,
        0.0,
        3.0,
        "force multiplier",
        "most that aid from richer donors adds to a side's combat power, as a multiple",
        group="aid",
    )
    aid_propensity: float = _p(
        0.5,
        0.0,
        5.0,
        "aid level per unit of affinity gap",
        "how much third states that stay out send in aid to the side they feel closer to, per "
        "unit of the gap in their affinity to the two sides",
        group="aid",
    )
    aid_ramp_days: float = _p(
        30.0,
        1.0,
        365.0,
        "days",
        "time constant for aid to reach the front",
        group="aid",
    )
    sanctions_war_effect: float = _p(
        2.0,
        0.0,
        20.0,
        "combat power per GDP share lost per year",
        "how sanctions wear down the target's capacity to fight over a year",
        group="sanctions",
    )

    # -- sanctions (§3, §4.4) --
    sanctions_effectiveness: float = _p(
        6.0,
        0.0,
        50.0,
        "issue units per unit trade share",
        "what a cut of one unit of trade share (σ × exposure) costs over the planning horizon",
        group="sanctions",
    )
    threat_credibility: float = _p(
        0.8,
        0.0,
        1.0,
        "probability",
        "how likely a state believes a sanctions threat will be carried out",
        group="sanctions",
    )
    trade_gravity_scale: float = _p(
        2.5,
        0.0,
        50.0,
        "GDP share per (CINC share / 1000 km)",
        "gravity proxy of trade exposure when a scenario gives none",
        group="sanctions",
    )

    # -- beliefs (§5) --
    belief_learning_rate: float = _p(
        2.0,
        0.0,
        20.0,
        "pseudo-observations per unit signal",
        "how far a costly signal moves observers' Beta beliefs",
        group="beliefs",
    )

    # -- ultimatum, Fearon 1995 (§4.5); when set they replace the derived values --
    win_probability: float | None = _p(
        None,
        0.0,
        1.0,
        "probability",
        "fix the challenger's chance of winning a war instead of "
        "deriving it from the war model (Fearon's model)",
        group="ultimatum",
    )
    challenger_cost: float | None = _p(
        None, 0.0, 5.0, "issue units", "fix the challenger's war cost c_A", group="ultimatum"
    )
    target_cost_max: float | None = _p(
        None,
        0.0,
        5.0,
        "issue units",
        "fix the target's war cost to c̄·(1 − resolve), uniform on [0, c̄] for uniform resolve",
        group="ultimatum",
    )

    # -- arming, Richardson 1960 (§7) --
    arming: int = _p(
        1,
        0,
        1,
        "switch",
        "1 lets rivals' military effort follow Richardson's "
        "equations where a scenario declares an arms race",
        integer=True,
        group="arming",
    )

    def audience_cost(self, regime: str) -> float:
        """Audience cost per public commitment for a regime type (Fearon 1994; Weeks 2008)."""
        return {
            "democracy": self.audience_cost_democracy,
            "anocracy": self.audience_cost_anocracy,
            "autocracy": self.audience_cost_autocracy,
        }[regime]

    def reliability(self, kind: str) -> float:
        """Base reliability of an alliance of an ATOP kind (neutrality, non-aggression: 0)."""
        return {
            "defense": self.reliability_defense,
            "offense": self.reliability_offense,
            "consultation": self.reliability_consultation,
        }.get(kind, 0.0)

    def with_overrides(
        self, overrides: Mapping[str, Any], locations: Mapping[str, Location] | None = None
    ) -> ModelParams:
        """Return a copy with ``overrides`` applied, each checked against its spec.

        Raises:
            BrinkInputError: for an unknown name (with the nearest valid one), a value of the
                wrong type or one outside the parameter's range.
        """
        changes = {}
        for name, value in overrides.items():
            location = (locations or {}).get(name) or Location(key=f"parameters.{name}")
            changes[name] = coerce_parameter(name, value, location)
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


PARAMETERS: dict[str, ParameterSpec] = {
    f.name: ParameterSpec(name=f.name, default=f.default, **f.metadata["spec"])
    for f in fields(ModelParams)
}


def _finite(value: float | int) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def coerce_parameter(name: str, value: Any, location: Location | None = None) -> float | int:
    """Check one parameter value (a number or a numeric string) against its spec."""
    location = location or Location(key=name)
    spec = PARAMETERS.get(name)
    if spec is None:
        raise BrinkInputError(
            f"unknown parameter '{name}'{did_you_mean(name, PARAMETERS)}", location
        )
    if isinstance(value, str):
        text = value.strip()
        if spec.optional and text.lower() in ("none", "null", ""):
            return None
        try:
            value = float(text)
        except ValueError:
            raise BrinkInputError(
                f"'{value}' is not a number ({spec.meaning}; {spec.low}–{spec.high} {spec.unit})",
                location,
            ) from None
    if value is None and spec.optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise BrinkInputError(
            f"{value!r} is not a finite number ({spec.low}–{spec.high} {spec.unit})", location
        )
    if spec.integer:
        if float(value) != int(value):
            raise BrinkInputError(f"{value} is not a whole number ({spec.unit})", location)
        value = int(value)
    else:
        value = float(value)
    if value < spec.low:
        raise BrinkInputError(
            f"{value:g} is below {spec.low:g} ({spec.meaning}; {spec.low:g}–{spec.high:g} "
            f"{spec.unit})",
            location,
        )
    if value > spec.high:
        raise BrinkInputError(
            f"{value:g} is above {spec.high:g} ({spec.meaning}; {spec.low:g}–{spec.high:g} "
            f"{spec.unit})",
            location,
        )
    return value


def parse_assignments(assignments: list[str]) -> dict[str, float | int | None]:
    """Parse ``--set NAME=VALUE`` strings from the command line into checked values."""
    result: dict[str, float | int | None] = {}
    for text in assignments:
        name, sep, value = text.partition("=")
        if not sep:
            raise BrinkInputError(
                f"'{text}' is not NAME=VALUE", Location(file="command line", key="--set")
            )
        name = name.strip()
        result[name] = coerce_parameter(
            name, value, Location(file="command line", key=f"--set {name}")
        )
    return result


def scenario_params(
    scenario: Scenario, overrides: dict | None = None, base: ModelParams | None = None
) -> ModelParams:
    """Parameters for a scenario: defaults ← the scenario's own ← ``overrides`` (e.g. ``--set``).

    A weekly scenario sets ``step_days`` to 7; a scenario horizon replaces the default horizon.
    """
    params = base or ModelParams()
    implied = {}
    if scenario.step == "week":
        implied["step_days"] = 7
    if scenario.horizon is not None:
        implied["horizon"] = scenario.horizon
    params = params.with_overrides(implied)
    params = params.with_overrides(scenario.parameters)
    return params.with_overrides(overrides or {})

"""Every parameter of the crisis model, in one typed, frozen place (docs/model.md §9).

Each parameter is declared once, with its default, allowed range, unit and meaning. The CLI's
``--set``, the scenario's ``parameters:`` block, the sweep factors and the browser view's sliders
are all built from :data:`PARAMETERS`, so no default is ever written twice (docs/style.md).

:class:`ModelParams` is the whole table: it inherits the crisis's parameters
(:mod:`brink.sim.crisis_params`) and the war's (:mod:`brink.sim.war_params`), in that order, and
declares the last groups itself (sanctions, beliefs, the ultimatum, arming). This module also
checks values against their specs and resolves a scenario's parameters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.sim.parameter_spec import ParameterSpec, _p
from brink.sim.war_params import WarParameters

if TYPE_CHECKING:
    from brink.scenarios.spec import Scenario


@dataclass(frozen=True)
class ModelParams(WarParameters):
    """The crisis model's parameters. Construct with :meth:`with_overrides` to validate input."""

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
    democratic_transparency: float = _p(
        8.0,
        0.0,
        100.0,
        "pseudo-observations",
        "how much others know of a democracy's resolve from its open politics (a prior of this "
        "weight centred on the truth; 0: the default Beta(2, 2) prior)",
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
        changes: dict[str, Any] = {}  # name -> value, each checked against its spec
        for name, value in overrides.items():
            location = (locations or {}).get(name) or Location(key=f"parameters.{name}")
            changes[name] = coerce_parameter(name, value, location)
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _parameter_spec(field: Field[Any]) -> ParameterSpec:
    if field.default is MISSING:  # every parameter has a default: ModelParams() is the default
        raise TypeError(f"ModelParams.{field.name} has no default")
    return ParameterSpec(name=field.name, default=field.default, **field.metadata["spec"])


PARAMETERS: dict[str, ParameterSpec] = {f.name: _parameter_spec(f) for f in fields(ModelParams)}


def _finite(value: float | int) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def coerce_parameter(name: str, value: Any, location: Location | None = None) -> float | int | None:
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

"""What a sweep can vary: a model parameter or one quantity of the scenario, by name.

A factor's name is the dotted path of the key a user would edit, as written in the scenario
file (``scenarios/keys.py``) or in the parameter table (``sim/params.py``)::

    parameters.spiral_hazard            any model parameter (sim/params.py)
    states.RUS.resolve.mean             states.<CODE>.{capability, troops, risk_tolerance,
                                        resolve.mean, resolve.spread, resolve.low, resolve.high}
    alliances.NATO.reliability          alliances.<id>.reliability
    deployments.fra_romania.troops      deployments.<id>.troops (declared, or a timeline
                                        `deploy` entry with an id)
    sanctions.eu_energy.severity        sanctions.<id>.severity
    demands.donbas.size                 demands.<id>.{size, stakes.challenger, stakes.target,
                                        level, deadline}

Categorical and yes/no factors take a list of ``levels`` from a fixed set of choices::

    states.RUS.regime                   democracy | anocracy | autocracy
    states.RUS.nuclear                  true | false
    alliances.NATO.kind                 defense | offense | neutrality | nonaggression |
                                        consultation (Article 5, or consultation only, ...)
    alliances.NATO.members.ROU          true | false: the state is a member of the pact from
                                        the scenario's start, or not at all (a pact on or off)

A decision rule is a categorical factor whose ``levels`` are rules, as ``--rule`` takes them
(``brink rules`` lists the built-ins)::

    rules.RUS                           screening | quantal | MODULE:NAME | path/to/file.py:NAME
    rules.*                             the same, for every state

Each factor's allowed range comes from the same declaration that checks scenario files and
``--set`` (docs/style.md, One place for each fact). An unknown name is an error with the nearest
valid one. Values are applied to a copy: parameters through :meth:`ModelParams.with_overrides`,
scenario quantities through :func:`dataclasses.replace` on the frozen scenario.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.scenarios import keys
from brink.scenarios.rule_specs import with_rules
from brink.scenarios.spec import (
    ALLIANCE_KINDS,
    EVERY_STATE,
    REGIMES,
    Membership,
    RuleSpec,
    Scenario,
)
from brink.sim.params import PARAMETERS, ModelParams

#: Scenario quantities a factor may set: (section, attribute path) -> (spec field path, range).
_SCENARIO_QUANTITIES: dict[tuple[str, str], tuple[tuple[str, ...], keys.Number]] = {
    ("states", "capability"): (("capability",), keys.STATE_RECORD.key("capability").kind),
    ("states", "troops"): (("troops",), keys.STATE_RECORD.key("troops").kind),
    ("states", "risk_tolerance"): (("risk_tolerance",), keys.PROBABILITY),
    ("states", "resolve.mean"): (("resolve", "mean"), keys.RESOLVE.key("mean").kind),
    ("states", "resolve.spread"): (("resolve", "spread"), keys.RESOLVE.key("spread").kind),
    ("states", "resolve.low"): (("resolve", "low"), keys.RESOLVE.key("low").kind),
    ("states", "resolve.high"): (("resolve", "high"), keys.RESOLVE.key("high").kind),
    ("alliances", "reliability"): (("reliability",), keys.ALLIANCE_RECORD.key("reliability").kind),
    ("deployments", "troops"): (("troops",), keys.DEPLOYMENT_RECORD.key("troops").kind),
    ("sanctions", "severity"): (("severity",), keys.SANCTION_RECORD.key("severity").kind),
    ("demands", "size"): (("size",), keys.DEMAND_RECORD.key("size").kind),
    ("demands", "stakes.challenger"): (
        ("stakes_challenger",),
        keys.STAKES.key("challenger").kind,
    ),
    ("demands", "stakes.target"): (("stakes_target",), keys.STAKES.key("target").kind),
    ("demands", "level"): (("initial_level",), keys.DEMAND_RECORD.key("level").kind),
    ("demands", "deadline"): (("deadline",), keys.DAY),
}


#: Scenario quantities that take one of a fixed set of values: (section, attribute) -> choices.
_SCENARIO_CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("states", "regime"): REGIMES,
    ("states", "nuclear"): (False, True),
    ("alliances", "kind"): ALLIANCE_KINDS,
    ("alliances", "members"): (False, True),  # alliances.<id>.members.<CODE>
}


@dataclass(frozen=True)
class FactorTarget:
    """Where a factor's value goes and what values it allows.

    Attributes:
        name: the factor's dotted name, e.g. ``deployments.fra_romania.troops``.
        section: ``parameters``, ``states``, ``alliances``, ``deployments``, ``sanctions`` or
            ``demands``.
        ident: the state code or id within the section (None for parameters).
        fields: the attribute path on the spec dataclass (or the parameter's name).
        low: smallest allowed value.
        high: largest allowed value.
        open_low: ``low`` itself is not allowed.
        integer: values are whole numbers (a sampled value is rounded when applied).
        unit: the unit, for error messages and figure labels.
        choices: the values a categorical or yes/no factor may take (None: a number).
    """

    name: str
    section: str
    ident: str | None
    fields: tuple[str, ...]
    low: float
    high: float
    open_low: bool
    integer: bool
    unit: str
    choices: tuple[Any, ...] | None = None

    @property
    def key(self) -> str:
        """The state code or id of a factor outside ``parameters``."""
        if self.ident is None:
            raise ValueError(f"factor {self.name}: no state code or id")
        return self.ident

    @property
    def kind(self) -> str:
        """``number``, ``boolean`` (choices true and false) or ``category``."""
        if self.section == RULES:
            return "category"
        if self.choices is None:
            return "number"
        return "boolean" if set(self.choices) == {False, True} else "category"

    def check(self, value: Any, location: Location) -> None:
        """Raise a located error if ``value`` is outside the allowed range or choices."""
        if self.section == RULES:
            rule_level(value, location)
            return
        if self.choices is not None:
            allowed = ", ".join(str(choice).lower() for choice in self.choices)
            if isinstance(value, bool) != (self.kind == "boolean") or value not in self.choices:
                raise BrinkInputError(
                    f"{value!r} is not one of {allowed} ({self.name} is a "
                    f"{'yes/no' if self.kind == 'boolean' else 'categorical'} factor)",
                    location,
                )
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise BrinkInputError(f"{value!r} is not a number", location)
        too_low = value <= self.low if self.open_low else value < self.low
        if too_low or value > self.high:
            bracket = "(" if self.open_low else "["
            raise BrinkInputError(
                f"{value:g} is outside {bracket}{self.low:g}, {self.high:g}] ({self.unit})",
                location,
            )


#: The section of a decision-rule factor: ``rules.<CODE>`` or ``rules.*``.
RULES = "rules"


def rule_level(value: Any, location: Location, base: Path | None = None) -> str:
    """A rule factor's level, checked and imported: its text, with a file's path made
    absolute (against ``base``, the experiment file's folder) so worker processes find it."""
    from brink.scenarios.rule_loader import resolve_rule
    from brink.scenarios.rule_specs import parse_rule

    if not isinstance(value, str):
        raise BrinkInputError(f"{value!r} is not a rule (give MODULE:NAME or a name)", location)
    spec = parse_rule(value, location, base)
    if spec.state != EVERY_STATE:
        raise BrinkInputError(
            f"'{value}': a rule factor's level names no state (the factor's name does)",
            location,
        )
    resolve_rule(spec, location)
    return spec.reference


def _rule_target(name: str, ident: str, scenario: Scenario) -> FactorTarget | None:
    if ident != EVERY_STATE and ident not in scenario.states:
        return None
    return FactorTarget(
        name=name,
        section=RULES,
        ident=ident,
        fields=(RULES,),
        low=0.0,
        high=0.0,
        open_low=False,
        integer=True,
        unit="rule",
        choices=(),
    )


def _deploy_events(scenario: Scenario) -> list[str]:
    """Ids of the deployments the timeline makes (``deploy`` entries with an ``id``)."""
    return [event.ref for event in scenario.events if event.kind == "deploy" and event.ref]


def _ids(scenario: Scenario, section: str) -> list[str]:
    if section in ("states", "alliances"):
        return list(getattr(scenario, section))
    ids = [item.id for item in getattr(scenario, section)]
    if section == "deployments":
        ids += _deploy_events(scenario)
    return ids


def factor_names(scenario: Scenario) -> list[str]:
    """Every valid factor name for ``scenario`` (for suggestions and documentation)."""
    names = [f"parameters.{name}" for name in PARAMETERS]
    names += [f"{RULES}.{code}" for code in (EVERY_STATE, *scenario.states)]
    for section, attribute in [*_SCENARIO_QUANTITIES, *_SCENARIO_CHOICES]:
        if attribute == "members":
            names.extend(
                f"alliances.{ident}.members.{code}"
                for ident in scenario.alliances
                for code in scenario.states
            )
        else:
            names.extend(f"{section}.{ident}.{attribute}" for ident in _ids(scenario, section))
    return names


def resolve_factor(name: str, scenario: Scenario, location: Location) -> FactorTarget:
    """Turn a factor's name into its target in ``scenario``.

    Raises:
        BrinkInputError: for an unknown section, id or quantity, naming the nearest valid name.
    """
    if not isinstance(name, str):
        raise BrinkInputError(f"{name!r} is not a factor name", location)
    section, _, rest = name.partition(".")
    if section == "parameters":
        spec = PARAMETERS.get(rest)
        if spec is not None:
            return FactorTarget(
                name=name,
                section=section,
                ident=None,
                fields=(rest,),
                low=spec.low,
                high=spec.high,
                open_low=False,
                integer=spec.integer,
                unit=spec.unit,
            )
    elif section == RULES:
        target = _rule_target(name, rest, scenario)
        if target is not None:
            return target
    else:
        ident, _, attribute = rest.partition(".")
        quantity = _SCENARIO_QUANTITIES.get((section, attribute))
        if quantity is not None and ident in _ids(scenario, section):
            fields, kind = quantity
            return FactorTarget(
                name=name,
                section=section,
                ident=ident,
                fields=fields,
                low=kind.low,
                high=kind.high,
                open_low=kind.open_low,
                integer=kind.integer,
                unit=kind.unit,
            )
        head, _, code = attribute.partition(".")
        choices = _SCENARIO_CHOICES.get((section, head))
        members = head == "members" and code in scenario.states
        if (
            choices is not None
            and ident in _ids(scenario, section)
            and (members or (head != "members" and not code))
        ):
            return FactorTarget(
                name=name,
                section=section,
                ident=ident,
                fields=(head, code) if members else (head,),
                low=0.0,
                high=float(len(choices) - 1),
                open_low=False,
                integer=True,
                unit="yes/no" if set(choices) == {False, True} else "category",
                choices=choices,
            )
    raise BrinkInputError(
        f"unknown factor '{name}' for scenario '{scenario.name}'"
        f"{did_you_mean(name, factor_names(scenario))}",
        location,
    )


def base_value(target: FactorTarget, scenario: Scenario) -> Any:
    """The value a factor has in the base scenario (a parameter: as the scenario sets it): a
    number, a choice, or a rule's name."""
    from brink.sim.params import scenario_params

    params = scenario_params(scenario)
    if target.section == "parameters":
        return getattr(params, target.fields[0])
    if target.section == RULES:
        from brink.scenarios.rule_loader import BY_NUMBER
        from brink.scenarios.rule_specs import rule_for_state

        spec = rule_for_state(scenario.rules, target.key)
        return spec.reference if spec else BY_NUMBER[params.decision_rule]
    holder: Any
    if target.section == "states":
        holder = scenario.states[target.key]
    elif target.section == "alliances":
        alliance = scenario.alliances[target.key]
        return (
            alliance.reliability
            if alliance.reliability is not None
            else (params.reliability(alliance.kind))
        )
    elif target.section == "deployments" and target.ident in _deploy_events(scenario):
        events = (e for e in scenario.events if e.kind == "deploy" and e.ref == target.ident)
        return next(events).troops
    else:
        holder = next(i for i in getattr(scenario, target.section) if i.id == target.ident)
    for name in target.fields:
        holder = getattr(holder, name)
    return holder


def _coerce(target: FactorTarget, value: Any) -> Any:
    if target.choices is not None:
        return value
    return round(value) if target.integer else float(value)


def _membership(alliance: Any, code: str, member: bool, year: int) -> Any:
    """``alliance`` with ``code`` a member from ``year`` on (``member``) or never a member."""
    kept = tuple(m for m in alliance.members if m.state != code)
    if member:
        old = next((m for m in alliance.members if m.state == code), None)
        joined = old.joined if old is not None and old.joined <= year else year
        kept += (Membership(state=code, joined=joined),)
    return replace(alliance, members=kept)


def apply_factors(
    scenario: Scenario,
    params: ModelParams,
    values: Mapping[str, float],
    targets: Mapping[str, FactorTarget],
) -> tuple[Scenario, ModelParams]:
    """Return copies of ``scenario`` and ``params`` with each factor set to its value.

    Integer quantities are rounded to the nearest whole number. After all factors are set, the
    states whose resolve changed are checked: a Beta draw needs spread² < mean·(1 − mean) and a
    uniform draw needs low ≤ high, so a combination of valid values can still be impossible.

    Raises:
        BrinkInputError: if a value is out of range or the combination is impossible.
    """
    overrides: dict[str, Any] = {}
    states = dict(scenario.states)
    alliances = dict(scenario.alliances)
    lists: dict[str, list[Any]] = {}
    touched_resolve: set[str] = set()
    rules: list[RuleSpec] = []
    for name, raw in values.items():
        target = targets[name]
        value = _coerce(target, raw)
        location = Location(key=name)
        target.check(value, location)
        if target.section == RULES:
            module, colon, rule = value.rpartition(":")
            rules.append(RuleSpec(target.key, module if colon else None, rule))
        elif target.section == "parameters":
            overrides[target.fields[0]] = value
        elif target.section == "states":
            state = states[target.key]
            if target.fields[0] == "resolve":
                resolve = replace(state.resolve, **{target.fields[1]: value})
                states[target.key] = replace(state, resolve=resolve)
                touched_resolve.add(target.key)
            else:
                states[target.key] = replace(state, **{target.fields[0]: value})
        elif target.section == "alliances" and target.fields[0] == "members":
            year = int(scenario.start_date[:4])
            alliance = alliances[target.key]
            alliances[target.key] = _membership(alliance, target.fields[1], value, year)
        elif target.section == "alliances":
            field = target.fields[0]  # reliability or kind
            alliances[target.key] = replace(alliances[target.key], **{field: value})
        elif target.section == "deployments" and target.ident in _deploy_events(scenario):
            # a deployment the timeline makes: its troops are those of its `deploy` event
            items = lists.setdefault("events", list(scenario.events))
            index = next(
                i
                for i, event in enumerate(items)
                if event.kind == "deploy" and event.ref == target.ident
            )
            items[index] = replace(items[index], troops=value)
        else:
            items = lists.setdefault(target.section, list(getattr(scenario, target.section)))
            index = next(i for i, item in enumerate(items) if item.id == target.ident)
            items[index] = replace(items[index], **{target.fields[0]: value})
    for code in sorted(touched_resolve):
        _check_resolve(code, states[code].resolve)
    sections: dict[str, Any] = {section: tuple(items) for section, items in lists.items()}
    changed = replace(
        with_rules(scenario, tuple(rules)), states=states, alliances=alliances, **sections
    )
    return changed, params.with_overrides(overrides) if overrides else params


def _check_resolve(code: str, resolve: Any) -> None:
    key = f"states.{code}.resolve"
    if resolve.distribution == "beta" and resolve.spread > 0:
        limit = math.sqrt(resolve.mean * (1 - resolve.mean))
        if resolve.spread >= limit:
            raise BrinkInputError(
                f"no Beta distribution has mean {resolve.mean:g} and spread "
                f"{resolve.spread:g} (spread must be below √(mean·(1 − mean)) = {limit:.3g})",
                Location(key=key),
            )
    if resolve.distribution == "uniform" and resolve.low > resolve.high:
        raise BrinkInputError(
            f"low {resolve.low:g} is above high {resolve.high:g}", Location(key=key)
        )

"""Who stands with whom on the crisis map: each state's side in the crisis and its colour.

The map is filled by alignment, not by posture (issue 27: Russia, Belarus and Ukraine all came
out the same orange on day 0, and NATO, Armenia and Kazakhstan the same "calm" blue). Each
dispute has two camps: its challenger's and its target's. A state is

- a **principal** of a camp: a dispute's challenger, its target, or the leader of a target
  alliance;
- in a camp's **coalition**: a member of an alliance a dispute is made on;
- **bound** to a camp: a member of an alliance (any kind but neutrality and non-aggression
  pacts, which promise to stay out) with one of the camp's principals or coalition members,
  and with none of the other camp's;
- **at war** on a side: a belligerent of one of the run's wars (the ``fronts`` rows), whatever
  it was before;
- or **uncommitted**.

When one state is a principal of two disputes (Russia, of the NATO and the Ukraine disputes)
both disputes share its camp. Posture (the MID hostility level) is drawn as a badge at the
capital instead (:data:`brink.viz.map_layers.POSTURE_COLOURS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from brink.scenarios.spec import Scenario
from brink.viz.map_projection import principal_of
from brink.viz.map_situation import Situation
from brink.viz.narrate import join_words, state_name

CHALLENGER = "challenger"
TARGET = "target"
#: Roles in a camp, strongest first: a state takes the strongest that applies.
ROLES = ("at war", "principal", "coalition", "bound")
#: Alliance kinds that do not put their members on a side.
UNBINDING_KINDS = frozenset({"neutrality", "nonaggression"})

#: Fill colours by camp and role (ColorBrewer RdBu: the challenger's camp red, the target's
#: blue; darker for a principal or a belligerent), and of the uncommitted.
SIDE_FILLS = {
    (CHALLENGER, "at war"): "#b2182b",
    (CHALLENGER, "principal"): "#b2182b",
    (CHALLENGER, "coalition"): "#ef8a62",
    (CHALLENGER, "bound"): "#fbc4a8",
    (TARGET, "at war"): "#2166ac",
    (TARGET, "principal"): "#2166ac",
    (TARGET, "coalition"): "#67a9cf",
    (TARGET, "bound"): "#c0dcee",
}
UNCOMMITTED = "#f3efe2"
#: Borders between filled states: dark enough to part two states of one camp.
SIDE_BORDER = "#4d4d4d"


@dataclass(frozen=True)
class Alignment:
    """A state's place in the crisis: its ``camp`` (challenger, target or "") and ``role``."""

    camp: str
    role: str

    @property
    def fill(self) -> str:
        return SIDE_FILLS.get((self.camp, self.role), UNCOMMITTED)


def _other(camp: str) -> str:
    return TARGET if camp == CHALLENGER else CHALLENGER


def camps(scenario: Scenario) -> dict[str, str]:
    """The camp of each dispute's challenger: ``challenger``, unless the challenger is already
    the target of an earlier dispute (then its camp is that dispute's target camp)."""
    camp_of: dict[str, str] = {}
    by_dispute: dict[str, str] = {}
    for demand in scenario.demands:
        target = principal_of(scenario, demand.on)
        if demand.by in camp_of:
            camp = camp_of[demand.by]
        elif target in camp_of:
            camp = _other(camp_of[target])
        else:
            camp = CHALLENGER
        camp_of.setdefault(demand.by, camp)
        camp_of.setdefault(target, _other(camp))
        by_dispute[demand.id] = camp
    return by_dispute


def alignments(scenario: Scenario, state: Situation) -> dict[str, Alignment]:
    """Each scenario state's camp and role after the step ``state`` shows (see the module)."""
    found: dict[str, Alignment] = {}

    def put(code: str, camp: str, role: str) -> None:
        if code not in scenario.states:
            return
        held = found.get(code)
        if held is None or ROLES.index(role) < ROLES.index(held.role):
            found[code] = Alignment(camp, role)

    dispute_camps = camps(scenario)
    for demand in scenario.demands:
        camp = dispute_camps[demand.id]
        put(demand.by, camp, "principal")
        put(principal_of(scenario, demand.on), _other(camp), "principal")
        for member in state.alliances.get(demand.on, ()):
            put(member, _other(camp), "coalition")
    for alliance_id, members in state.alliances.items():
        spec = scenario.alliances.get(alliance_id)
        if spec is None or spec.kind in UNBINDING_KINDS:
            continue
        sides = {found[m].camp for m in members if m in found and found[m].role != "bound"}
        if len(sides) == 1:
            (camp,) = sides
            for member in members:
                put(member, camp, "bound")
    # A state hosting a principal's troops (Cuba, the Soviet forces in 1962) is on its side.
    for deployment in state.deployments:
        owner = found.get(deployment.owner)
        if owner is not None and owner.role == "principal" and deployment.host != deployment.owner:
            put(deployment.host, owner.camp, "bound")
    for war in state.wars:
        camp = dispute_camps.get(war.dispute, CHALLENGER)
        for index, side in enumerate(war.sides):
            for code in side:
                put(code, camp if index == 0 else _other(camp), "at war")
    return {code: found.get(code, Alignment("", "")) for code in scenario.states}


def camp_names(scenario: Scenario) -> dict[str, str]:
    """Each camp in words: its principals, an alliance by its short name (``NATO``)."""
    names: dict[str, list[str]] = {CHALLENGER: [], TARGET: []}
    dispute_camps = camps(scenario)
    for demand in scenario.demands:
        camp = dispute_camps[demand.id]
        on = demand.on
        if on in scenario.alliances:
            target = on if len(on) <= 5 else scenario.alliances[on].name
        else:
            target = state_name(scenario, on)
        for side, name in ((camp, state_name(scenario, demand.by)), (_other(camp), target)):
            if name not in names[side]:
                names[side].append(name)
    return {camp: join_words(found) for camp, found in names.items() if found}


#: The legend's words for a role, after the camp's name.
ROLE_WORDS = {"coalition": "{name}: alliance members", "bound": "allied to {name}"}


def side_legend(scenario: Scenario, state: Situation) -> list[dict[str, str]]:
    """The legend's words for the fills: each camp (its principals' colour) and the shades of
    the roles ``state`` shows, then the uncommitted."""
    shown = {(a.camp, a.role) for a in alignments(scenario, state).values()}
    entries = []
    for camp, name in camp_names(scenario).items():
        entries.append({"kind": "fill", "colour": SIDE_FILLS[(camp, "principal")], "text": name})
        for role, words in ROLE_WORDS.items():
            if (camp, role) in shown:
                text = words.format(name=name)
                entries.append({"kind": "fill", "colour": SIDE_FILLS[(camp, role)], "text": text})
    entries.append({"kind": "fill", "colour": UNCOMMITTED, "text": "uncommitted"})
    return entries

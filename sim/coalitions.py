"""Who would fight for whom (docs/model.md §4.2).

For every open dispute and every third state k, the probability that k joins side S against O if
war comes is

    P = logistic(b0 + b_pact·commitment(k, S) + b_trip·log(1 + troops of k on S's territory,
                 in thousands) + b_aff·(affinity(k, S) − affinity(k, O)) − b_cost·cost(k)).

- Commitment (Leeds 2003; Leeds, Long & Mitchell 2000): defence pacts bind a member to a partner
  that is attacked, so they count for the target side; offence pacts for the challenger's side;
  consultation pacts weakly for either. Neutrality and non-aggression pacts with the opponent
  count against joining, as much as a consultation pact counts for it. The strongest promise to
  any principal of S counts, weighted by reliability × credibility.
- Tripwire (Schelling 1966, *Arms and Influence*, ch. 2): troops of k on the territory of S's
  principals are in harm's way from the first day, so k's own forces are engaged.
- Interests (issue 21, "intervention by interest"): a state declares interests short of a treaty
  in another's security (``interests:``: a guarantee, an act of a legislature), which pull it
  toward fighting for that state; and a major power (COW's list, by year) leans toward fighting
  for the side its affinity favours — great powers intervene where their interests are at
  stake, treaty or not (Huth 1998, *Standing Your Ground*; Werner 2000 on third-party
  intervention). The distance cost still weighs on both.
- Affinity: the mean over S's principals of one third each of shared alliances, the same regime
  type, and trade (exposure of k, saturating at 5 % of GDP) — Bueno de Mesquita (1975) on
  alliance portfolios; Russett & Oneal (2001) on regime and trade — and −1 toward a principal
  that k faces on the other side of another open dispute (a member of an alliance Russia makes
  demands of does not fight for Russia elsewhere). An alliance counts toward affinity only in a
  war over its own members' soil — the purpose it was made for (Leeds 2003: pacts specify the
  contingencies they cover) — so allies are not pulled into wars outside the alliance's area.
- Cost: distance from k's capital to the theatre in units of the gradient D, plus a fixed cost
  of joining against a nuclear power.
- Joining the challenger — the revisionist side, which demands a change of the status quo —
  carries a further penalty: states seldom join an attacker without an offence pact (Leeds 2003,
  "Do Alliances Deter Aggression?"). docs/model.md's formula has no such term; without it, states
  with no ties to either side drift toward the stronger trading partner, the attacker included.
"""

from __future__ import annotations

import math

from brink.scenarios.major_powers import is_major_power
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.maths import logistic
from brink.sim.sanctions import trade_exposure

TRADE_SATURATION = 0.05  # share of GDP at which trade ties count fully toward affinity


def commitment(
    model, member: str, principals: tuple[str, ...], opponents: tuple[str, ...], side: str
) -> float:
    """Strongest alliance promise of ``member`` to any of ``principals`` on ``side``."""
    params = model.params
    best = 0.0
    against = 0.0
    for alliance in model.alliances.values():
        if member not in alliance.members:
            continue
        shares_principal = any(p in alliance.members and p != member for p in principals)
        shares_opponent = any(o in alliance.members and o != member for o in opponents)
        if shares_principal:
            binding = (
                alliance.kind == "consultation"
                or (alliance.kind == "defense" and side == TARGET)
                or (alliance.kind == "offense" and side == CHALLENGER)
            )
            if binding:
                best = max(best, alliance.commitment(member))
        if shares_opponent and alliance.kind in ("neutrality", "nonaggression"):
            against = max(
                against, params.reliability_consultation * alliance.credibility.get(member, 1.0)
            )
    return best - against


def rivals(model, a: str, b: str) -> bool:
    """Whether two states stand on opposite sides of an open dispute or a war."""
    for dispute in model.disputes.values():
        if dispute.status == "settled":
            continue
        challenger_side = set(dispute.principals(CHALLENGER)) | dispute.side_challenger
        target_side = set(dispute.territory(TARGET)) | dispute.side_target
        if (a in challenger_side and b in target_side) or (
            b in challenger_side and a in target_side
        ):
            return True
    return False


def affinity(model, member: str, principals: tuple[str, ...], theatre: str | None = None) -> float:
    """Mean affinity of ``member`` to the principals: shared alliances, regime, trade (0–1);
    −1 toward a rival it faces in another open dispute (Diehl & Goertz 2000: rivals do not
    align with each other)."""
    total = 0.0
    state = model.states[member]
    for principal in principals:
        if rivals(model, member, principal):
            total -= 1.0
            continue
        shared = sum(
            1
            for a in model.alliances.values()
            if member in a.members
            and principal in a.members
            and (theatre is None or theatre in a.members)
        )
        same_regime = 1.0 if model.states[principal].regime == state.regime else 0.0
        trade = min(1.0, trade_exposure(model, member, principal) / TRADE_SATURATION)
        total += (min(1.0, shared) + same_regime + trade) / 3.0
    return total / len(principals)


def troops_on_territory(model, owner: str, hosts: tuple[str, ...]) -> float:
    """Thousands of ``owner``'s troops deployed on the territory of ``hosts``."""
    return sum(
        d.troops
        for d in model.active_deployments()
        if d.owner == owner and d.host in hosts and d.host != owner
    )


def interest(model, member: str, principals: tuple[str, ...]) -> float:
    """The strongest interest ``member`` has declared in any of ``principals`` (0–1)."""
    declared = model.states[member].spec.interests
    return max((declared.get(p, 0.0) for p in principals), default=0.0)


def join_logit(model, dispute: Dispute, member: str, side: str) -> float:
    params = model.params
    principals = dispute.principals(side)
    opponents = dispute.principals(other(side))
    commit = commitment(model, member, principals, opponents, side)
    tripwire = math.log1p(troops_on_territory(model, member, dispute.territory(side)))
    theatre = dispute.theatre
    affinity_gap = affinity(model, member, principals, theatre) - affinity(
        model, member, opponents, theatre
    )
    great_power = 0.0
    if affinity_gap > 0 and is_major_power(model.states[member].spec.ccode, model.start_date.year):
        great_power = params.join_great_power
    opponent_nuclear = any(model.states[o].nuclear for o in opponents)
    cost = model.distance_to_theatre(member, dispute.theatre) / params.gradient_km + (
        params.nuclear_join_cost if opponent_nuclear else 0.0
    )
    revisionist = params.join_revisionist_cost if side == CHALLENGER else 0.0
    return (
        params.join_intercept
        - revisionist
        + params.join_pact * commit
        + params.join_tripwire * tripwire
        + params.join_affinity * affinity_gap
        + params.join_interest * interest(model, member, principals)
        + great_power
        - params.join_cost * cost
    )


BINDING_KINDS = ("defense", "offense", "consultation")


def barred(model, dispute: Dispute, member: str, side: str) -> bool:
    """Whether ``member`` may never fight on ``side``: it holds a pact with a principal of the
    other side and none binding it to this one, or it faces one of this side's principals in an
    open dispute. States do not fight against their own allies or for their adversaries (Leeds
    2003; Diehl & Goertz 2000) unless a pact with this side says otherwise."""
    principals = dispute.principals(side)
    opponents = dispute.principals(other(side))
    tied_to_opponent = tied_to_side = False
    for alliance in model.alliances.values():
        if member not in alliance.members or alliance.kind not in BINDING_KINDS:
            continue
        if any(o in alliance.members and o != member for o in opponents):
            tied_to_opponent = True
        binds_here = alliance.kind == ("offense" if side == CHALLENGER else "defense")
        if binds_here and any(p in alliance.members and p != member for p in principals):
            tied_to_side = True
    if tied_to_opponent and not tied_to_side:
        return True
    return any(rivals(model, member, p) for p in principals)


def _signature(model, dispute: Dispute) -> tuple:
    """Everything the chances of joining depend on that can change during a run."""
    deployments = tuple((d.owner, d.host, d.troops) for d in model.active_deployments())
    alliances = tuple(
        (key, frozenset(a.members), tuple(sorted(a.credibility.items())))
        for key, a in model.alliances.items()
    )
    disputes = tuple(
        (d.id, d.status, frozenset(d.side_challenger), frozenset(d.side_target))
        for d in model.disputes.values()
    )
    arming = tuple(model.states[code].arming_multiplier for code in model.state_codes)
    return (dispute.id, dispute.theatre, deployments, alliances, disputes, arming)


def join_probabilities(model, dispute: Dispute) -> dict[str, tuple[float, float]]:
    """For each third state: (P join challenger's side, P join target's side).

    The two are computed independently from the logit above; when they add up to more than one
    they are scaled down together, since a state fights on one side at most. A side the state
    may never join (:func:`barred`) gets 0. Cached on the model by everything they depend on
    (:func:`_signature`): a standoff that stands still computes them once, not every day.
    """
    cache = model.__dict__.setdefault("join_cache", {})
    key = _signature(model, dispute)
    cached = cache.get(key)
    if cached is None:
        cached = cache[key] = _join_probabilities(model, dispute)
    result, logits, sympathy = cached
    dispute.join_logits = logits
    dispute.sympathy = sympathy
    return result


def _join_probabilities(model, dispute: Dispute):
    principals = set(dispute.principals(CHALLENGER)) | set(dispute.principals(TARGET))
    result = {}
    logits: dict[str, tuple[float, float]] = {}
    sympathy: dict[str, tuple[float, float]] = {}
    for code in model.state_codes:
        if code in principals:
            continue
        logit_challenger = logit_target = -math.inf
        if not barred(model, dispute, code, CHALLENGER):
            logit_challenger = join_logit(model, dispute, code, CHALLENGER)
        if not barred(model, dispute, code, TARGET):
            logit_target = join_logit(model, dispute, code, TARGET)
        logits[code] = (logit_challenger, logit_target)
        gap = affinity(model, code, dispute.principals(TARGET), dispute.theatre) - affinity(
            model, code, dispute.principals(CHALLENGER), dispute.theatre
        )
        sympathy[code] = (
            0.0 if logit_challenger == -math.inf else max(0.0, -gap),
            0.0 if logit_target == -math.inf else max(0.0, gap),
        )
        p_challenger = 0.0 if logit_challenger == -math.inf else logistic(logit_challenger)
        p_target = 0.0 if logit_target == -math.inf else logistic(logit_target)
        total = p_challenger + p_target
        if total > 1.0:
            p_challenger, p_target = p_challenger / total, p_target / total
        result[code] = (p_challenger, p_target)
    return result, logits, sympathy

"""The war a state would start, as it sees it: what decisions weigh when they weigh war.

A party to a dispute values war by projecting the war model itself (:meth:`War.project`): the
forces each side would have in the theatre over time, the third states that would join (weighted
by their chance of joining) and the aid that would flow, attrition and the movement of the
front, and the chance each day that the war ends by settlement, collapse or conquest. The
projection is taken from the party's own point of view — it takes its own estimate of the balance
(its misperception included) for the truth, and expects its opponent to misjudge by the average
amount — so an optimistic state expects a better war than the one it will get (Blainey 1973).

From the projection come the expected share of the demand the war would bring, its expected
length, and each side's cost weight (days of fighting weighted by the opponent's strength), which
:mod:`brink.agents.crisis_choice` turns into a cost that falls with resolve. To this is added the
risk of a war between coalitions with nuclear members: ``nuclear_war_cost`` × P(a nuclear state
fights on one side) × P(a nuclear state fights on the other), where principals count with
certainty and third states with their chance of joining — so a nuclear ally's tripwire raises
the cost of war for both sides (Schelling 1966; Jervis 1989, *The Meaning of the Nuclear
Revolution*).

Projections are cached by everything they depend on that can change during a run (join chances
rounded to ``JOIN_CHANCE_STEP``, deployments, sanctions, aid, arming), so a standoff that stands
still costs one projection per side, not one a day.
"""

from __future__ import annotations

from collections import Counter

from brink.sim.dispute import CHALLENGER, TARGET, Dispute
from brink.sim.war import War
from brink.sim.war_projection import SIDES, WarProjection

JOIN_CHANCE_STEP = 0.02
PROJECTION_STRIDE_DAYS = 5.0
#: Coalitions sampled per projection; each third state's draws are stratified over them.
COALITION_SAMPLES = 8
GOLDEN = 0.618_033_988_749_895  # shifts each state's strata so that draws are not aligned


def _signature(model, dispute: Dispute) -> tuple:
    chances = tuple(
        (code, round(pc / JOIN_CHANCE_STEP), round(pt / JOIN_CHANCE_STEP))
        for code, (pc, pt) in sorted(dispute.join_probabilities.items())
    )
    deployments = tuple((d.id, d.troops) for d in model.active_deployments())
    sanctions = tuple(s.status for s in model.sanctions.values())
    arming = tuple(round(model.states[c].arming_multiplier, 2) for c in model.state_codes)
    aid = tuple(a.id for a in model.crisis.aid if a.day <= model.steps_done)
    return (dispute.id, dispute.theatre, chances, deployments, sanctions, arming, aid)


def war_views(model, dispute: Dispute) -> dict[str, WarProjection]:
    """Each side's projection of a war over ``dispute`` starting now (cached)."""
    key = _signature(model, dispute)
    cache = model.war_view_cache
    views = cache.get(key)
    if views is None:
        views = {side: expected_war(model, dispute, side) for side in SIDES}
        cache[key] = views
    return views


def coalitions(dispute: Dispute, samples: int = COALITION_SAMPLES) -> Counter:
    """Which third states join which side, as ``samples`` stratified draws from their chances
    of joining: a Counter of frozen {code: side} coalitions. Deterministic (it draws nothing
    from the run's generator), so a projection never changes the run it informs."""
    drawn: Counter = Counter()
    codes = sorted(dispute.join_probabilities)
    for j in range(samples):
        joiners = []
        for i, code in enumerate(codes):
            p_challenger, p_target = dispute.join_probabilities[code]
            u = ((j + 0.5) / samples + i * GOLDEN) % 1.0
            if u < p_target:
                joiners.append((code, TARGET))
            elif u < p_target + p_challenger:
                joiners.append((code, CHALLENGER))
        drawn[frozenset(joiners)] += 1
    return drawn


def expected_war(model, dispute: Dispute, view: str) -> WarProjection:
    """The war over ``dispute`` from ``view`` (a side, or "neutral": the true balance and each
    side's actual misperception), averaged over sampled coalitions. Averaging outcomes over
    coalitions rather than fighting one war with fractional allies matters: a war against a
    strong ally who may not come is not a war against a fraction of that ally."""
    horizon_days = model.params.horizon * model.params.step_days
    drawn = coalitions(dispute)
    count = sum(drawn.values())
    share = days = running = 0.0
    casualties = dict.fromkeys(SIDES, 0.0)
    cost_weight = dict.fromkeys(SIDES, 0.0)
    for joiners, times in drawn.items():
        war = War.begin(model, dispute, projection_view=view)
        projection = war.project(model, horizon_days, dict(joiners), PROJECTION_STRIDE_DAYS)
        weight = times / count
        share += weight * projection.share
        days += weight * projection.days
        running += weight * projection.still_running
        for side in SIDES:
            casualties[side] += weight * projection.casualties[side]
            cost_weight[side] += weight * projection.cost_weight[side]
    return WarProjection(share, days, casualties, cost_weight, running)


def neutral_projection(model, dispute: Dispute) -> WarProjection:
    """The expected war from no one's point of view (used to check the projection against
    simulated wars)."""
    return expected_war(model, dispute, "neutral")


def nuclear_risk(model, dispute: Dispute) -> float:
    """Expected nuclear cost of a war over ``dispute`` (see the module docstring)."""
    params = model.params
    if params.nuclear_war_cost <= 0:
        return 0.0
    fights = {}
    for index, side in enumerate((CHALLENGER, TARGET)):
        none_fights = 1.0
        for code in dispute.principals(side):
            if model.states[code].nuclear:
                none_fights = 0.0
        for code, chances in dispute.join_probabilities.items():
            if model.states[code].nuclear:
                none_fights *= 1.0 - chances[index]
        fights[side] = 1.0 - none_fights
    return params.nuclear_war_cost * fights[CHALLENGER] * fights[TARGET]

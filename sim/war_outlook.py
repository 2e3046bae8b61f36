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
risk of facing nuclear weapons (:func:`nuclear_risk`): ``nuclear_war_cost`` × P(a nuclear state
fights against the side) × (P(one fights for it), or three quarters where none would), where
principals count with certainty and third states with their chance of joining — so a nuclear
ally's tripwire raises the cost of war for both sides (Schelling 1966; Jervis 1989, *The
Meaning of the Nuclear Revolution*).

Each side also misjudges the politics, not only the balance: it underrates the chance that a
third state fights *against* it by ``third_party_optimism`` in log-odds, scaled down by how clear
that state's commitment is — a binding pact, troops in harm's way (Blainey 1973, ch. 3; Levy
1983 on misperception and war; Jervis 1976; the Kaiser's hope in 1914 that Britain would stay
out; Fearon 1997: tied hands and sunk costs are what make a commitment believed). The true chances
decide who really fights (:mod:`brink.sim.war`); the believed ones only shape the war a side
expects.

Projections are cached by everything they depend on that can change during a run (join chances
rounded to ``JOIN_CHANCE_STEP``, deployments, sanctions, aid, arming, and the viewer's belief
about its opponent's resolve read at ``BELIEF_STEP``), each side's view apart from the other's, so
a standoff that stands still costs one projection per side, not one a day, and a belief that
drifts day by day costs one per step of ``BELIEF_STEP`` it crosses.
"""

from __future__ import annotations

import math
from collections import Counter

from brink.sim.coalitions import commitment, troops_on_territory
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.maths import logistic
from brink.sim.war import War
from brink.sim.war_projection import SIDES, WarProjection, believed_resolve

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
    """Each side's projection of a war over ``dispute`` starting now (cached, each side's by
    what it depends on: the shared situation and its own belief about the other's resolve)."""
    situation = _signature(model, dispute)
    cache = model.war_view_cache
    views = {}
    for side in SIDES:
        key = (situation, side, believed_resolve(model, dispute, side))
        view = cache.get(key)
        if view is None:
            view = cache[key] = expected_war(model, dispute, side)
        views[side] = view
    return views


#: A side with no nuclear state facing one pays this share of the nuclear cost of a war between
#: two nuclear coalitions: it cannot answer in kind, but it also need not fear for all its cities.
LONE_NUCLEAR_EXPOSURE = 0.75
#: Troops in harm's way (thousands) that make a third state's commitment fully clear.
CLEAR_TRIPWIRE = 10.0


def believed_chances(model, dispute: Dispute, view: str) -> dict[str, tuple[float, float]]:
    """The chances of joining as ``view`` (a side) believes them: each third state's chance of
    fighting against ``view`` is underrated by ``third_party_optimism`` log-odds times how
    unclear its commitment is (1 − clarity; clarity from a pact with the other side's
    principals and troops on their soil)."""
    bias = model.params.third_party_optimism
    if bias <= 0 or view not in (CHALLENGER, TARGET):
        return dispute.join_probabilities
    against = other(view)
    index = 0 if against == CHALLENGER else 1
    principals = dispute.principals(against)
    opponents = dispute.principals(view)
    believed = {}
    for code, chances in dispute.join_probabilities.items():
        chance = chances[index]
        if 0.0 < chance < 1.0:
            clarity = max(0.0, commitment(model, code, principals, opponents, against))
            clarity += math.log1p(troops_on_territory(model, code, dispute.territory(against))) / (
                math.log1p(CLEAR_TRIPWIRE)
            )
            unclear = max(0.0, 1.0 - clarity)
            logit = math.log(chance / (1.0 - chance))
            chance = logistic(logit - bias * unclear)
        pair = list(chances)
        pair[index] = chance
        believed[code] = (pair[0], pair[1])
    return believed


def coalitions(
    dispute: Dispute,
    samples: int = COALITION_SAMPLES,
    chances: dict[str, tuple[float, float]] | None = None,
) -> Counter:
    """Which third states join which side, as ``samples`` stratified draws from their chances
    of joining (the true ones unless ``chances`` are given): a Counter of frozen {code: side}
    coalitions. Deterministic (it draws nothing from the run's generator), so a projection never
    changes the run it informs."""
    drawn: Counter = Counter()
    chances = dispute.join_probabilities if chances is None else chances
    codes = sorted(chances)
    for j in range(samples):
        joiners = []
        for i, code in enumerate(codes):
            p_challenger, p_target = chances[code]
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
    drawn = coalitions(dispute, chances=believed_chances(model, dispute, view))
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


def nuclear_risk(model, dispute: Dispute) -> dict[str, float]:
    """Each side's expected nuclear cost of a war over ``dispute``: ``nuclear_war_cost`` × the
    chance that a nuclear state fights against it, × (the chance one fights for it, or
    ``lone_nuclear_exposure`` if none would). A side that faces the bomb without one of its own
    pays too, and more than half as much: a nuclear monopoly deters (Beardsley & Asal 2009,
    "Winning with the Bomb"; Kroenig 2013 on nuclear superiority; the Berlin blockade of
    1948–49 stopped short of war under the American monopoly). The chances are those the side
    believes (:func:`believed_chances`): a side that underrates whether a third state would fight
    against it underrates the bomb that state would bring, as it does the war (cached with the
    war views)."""
    params = model.params
    if params.nuclear_war_cost <= 0:
        return dict.fromkeys((CHALLENGER, TARGET), 0.0)
    key = ("nuclear", *_signature(model, dispute))
    cached = model.war_view_cache.get(key)
    if cached is not None:
        return cached
    risk = {}
    for side in (CHALLENGER, TARGET):
        chances = believed_chances(model, dispute, side)
        fights = {}
        for index, fighting_for in enumerate((CHALLENGER, TARGET)):
            none_fights = 1.0
            for code in dispute.principals(fighting_for):
                if model.states[code].nuclear:
                    none_fights = 0.0
            for code, pair in chances.items():
                if model.states[code].nuclear:
                    none_fights *= 1.0 - pair[index]
            fights[fighting_for] = 1.0 - none_fights
        risk[side] = (
            params.nuclear_war_cost
            * fights[other(side)]
            * (fights[side] + (1.0 - fights[side]) * LONE_NUCLEAR_EXPOSURE)
        )
    model.war_view_cache[key] = risk
    return risk

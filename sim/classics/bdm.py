"""Bueno de Mesquita's expected-utility model, as specified by Scholz, Calbert & Smith (2011).

Actors with capability c, position x on one issue scale and salience s (0–1) bargain in rounds.
Each round every actor judges, for every other, the expected utility of challenging it, and makes
offers (confrontation, compromise or capitulation); each actor accepts the offer that moves it
least, and the forecast, the position that beats every other in pairwise capability-and-salience
weighted votes, moves as positions change. The rules are those of docs/classics.md:

- compare_k(x_a, x_b) = c_k·s_k·[(|x_k − x_b|/R)^r − (|x_k − x_a|/R)^r], with r = 1 in votes;
- P(i beats j) = Σ_k max(0, compare_k(x_i, x_j)) / Σ_k Σ_a Σ_b |compare_k(x_a, x_b)|;
- U_s = 2 − 4(0.5 − 0.5|Δ|/R)^r, U_f = 2 − 4(0.5 + 0.5|Δ|/R)^r, U_sq = 2 − 4·0.5^r;
- EU_i(challenge j) = s_j[P·U_s + (1 − P)·U_f] + (1 − s_j)·U_s − Q·U_sq, Q = 1;
- R_i = (2·danger_i − max − min)/(max − min), r_i = (1 − R_i/3)/(1 + R_i/3).

Where docs/classics.md is silent this follows Scholz et al.'s replication: R is the range of the
initial positions; an actor judges both EU_ij and EU_ji with its own risk exponent; votes in P
use each voter's exponent; danger_i = Σ_{j≠i} EU_j(challenge i) is computed risk-neutrally and
compared with the most and least endangered actors. Each actor accepts the offer that moves it
least (as the paper states). The forecast is taken among the actors' current positions.

Input files: ``Actor,Capability,Position,Salience`` (salience in percent, 0–100), or KTAB's
spatial-model CSV ``Actor,Description,Power,Pstn1,Sal1,...`` (0–100 scales, optionally after a
one-line preamble); see :func:`read_actors`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from brink.errors import BrinkInputError, Location
from brink.sim.classics.landscape import read_csv_lines

Q = 1.0  # Scholz et al. 2011: probability that the status quo persists, set to 1.
DEFAULT_ROUNDS = 10


@dataclass(frozen=True)
class BdmActor:
    """One actor of the expected-utility model.

    Attributes:
        name: Its name.
        capability: Capability c (>= 0).
        position: Position x on the issue scale.
        salience: Salience s in [0, 1].
    """

    name: str
    capability: float
    position: float
    salience: float


@dataclass(frozen=True)
class Offer:
    """An offer made in a round: ``sender`` asks ``receiver`` to move to ``new_position``."""

    round: int
    sender: str
    receiver: str
    kind: str  # "confrontation", "compromise" or "capitulation"
    new_position: float
    accepted: bool = False


@dataclass
class Forecast:
    """The forecast round by round.

    Attributes:
        rounds: One row per actor per round (round 0 is the start): ``round``, ``actor``,
            ``position``, ``risk`` (R_i) and ``exponent`` (r_i).
        summary: One row per round: ``round``, ``forecast`` (vote winner), ``mean``
            (capability-and-salience weighted mean).
        offers: Every offer made, with whether it was accepted.
    """

    rounds: pd.DataFrame
    summary: pd.DataFrame
    offers: list[Offer] = field(default_factory=list)

    @property
    def settlement(self) -> float:
        """The forecast after the last round."""
        return float(self.summary["forecast"].iloc[-1])


def weighted_mean(capability: np.ndarray, salience: np.ndarray, position: np.ndarray) -> float:
    """Σ c·s·x / Σ c·s."""
    weight = capability * salience
    return float(weight @ position / weight.sum())


def _votes(
    capability: np.ndarray,
    salience: np.ndarray,
    position: np.ndarray,
    spread: float,
    exponent: np.ndarray | None = None,
) -> np.ndarray:
    """compare_k(x_a, x_b) for all voters k and positions a, b, shape (k, a, b).

    Each voter uses its own risk exponent r_k (Scholz et al. 2011), or r = 1 if none is given.
    """
    distance = np.abs(position[:, None] - position[None, :]) / spread  # [k, a] = |x_k − x_a|/R
    if exponent is not None:
        distance = distance ** exponent[:, None]
    weight = (capability * salience)[:, None, None]
    return weight * (distance[:, None, :] - distance[:, :, None])


def vote_winner(
    capability: np.ndarray, salience: np.ndarray, position: np.ndarray, spread: float = 1.0
) -> float:
    """The position that beats every other in pairwise weighted votes (r = 1).

    Scholz et al. 2011: a candidate position beats another when Σ_k compare_k is positive.
    With linear (r = 1) votes on one dimension this is the weighted median; if no position
    beats all others (a tie), the one with the largest total margin is returned.

    Args:
        capability: c_k.
        salience: s_k.
        position: x_k (the candidates).
        spread: R.

    Returns:
        The winning position.
    """
    totals = _votes(capability, salience, position, spread).sum(axis=0)  # [a, b]: a over b
    candidates = np.unique(position)
    index = [int(np.flatnonzero(position == x)[0]) for x in candidates]
    margins = totals[np.ix_(index, index)]
    tolerance = 1e-12 * float(np.abs(margins).sum() + 1.0)
    for row, x in enumerate(candidates):
        others = np.delete(margins[row], row)
        if (others > tolerance).all():
            return float(x)
    return float(candidates[int(np.argmax(margins.sum(axis=1)))])


def win_probabilities(
    capability: np.ndarray,
    salience: np.ndarray,
    position: np.ndarray,
    spread: float,
    exponent: np.ndarray,
) -> np.ndarray:
    """P(a beats b) = Σ_k max(0, compare_k(x_a, x_b)) / Σ_k Σ_a Σ_b |compare_k(x_a, x_b)|.

    The denominator sums over every pair of positions, as in Scholz et al.'s replication (so
    P(a beats b) + P(b beats a) is generally far below 1).
    """
    votes = _votes(capability, salience, position, spread, exponent)
    total = np.abs(votes).sum()
    if total == 0:
        return np.zeros(votes.shape[1:])
    return np.clip(votes, 0, None).sum(axis=0) / total


def challenge_utilities(
    capability: np.ndarray,
    salience: np.ndarray,
    position: np.ndarray,
    exponent: np.ndarray,
    spread: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Both expected utilities of every pair, as actor i (the row) perceives them.

    EU_a(challenge b) = s_b[P·U_s + (1 − P)·U_f] + (1 − s_b)·U_s − Q·U_sq (Scholz et al. 2011),
    with U_s, U_f and U_sq in the perceiving actor i's risk exponent r_i, and P from votes in
    each voter's own exponent.

    Returns:
        ``(mine, theirs)``: ``mine[i, j]`` = EU_i(challenge j) and ``theirs[i, j]`` =
        EU_j(challenge i), both as i sees them; diagonals are 0.
    """
    probability = win_probabilities(capability, salience, position, spread, exponent)
    distance = np.minimum(np.abs(position[:, None] - position[None, :]) / spread, 1.0)
    r = exponent[:, None]
    success = 2 - 4 * (0.5 - 0.5 * distance) ** r
    failure = 2 - 4 * (0.5 + 0.5 * distance) ** r
    status_quo = 2 - 4 * 0.5**r
    s_j, s_i = salience[None, :], salience[:, None]
    mine = s_j * (probability * success + (1 - probability) * failure) + (1 - s_j) * success
    theirs = s_i * (probability.T * success + (1 - probability.T) * failure) + (1 - s_i) * success
    mine, theirs = mine - Q * status_quo, theirs - Q * status_quo
    np.fill_diagonal(mine, 0.0)
    np.fill_diagonal(theirs, 0.0)
    return mine, theirs


def risk_exponents(
    capability: np.ndarray, salience: np.ndarray, position: np.ndarray, spread: float
) -> tuple[np.ndarray, np.ndarray]:
    """Risk attitudes R_i and exponents r_i = (1 − R_i/3)/(1 + R_i/3) (Scholz et al. 2011).

    danger_i = Σ_{j≠i} EU_j(challenge i), everything risk-neutral (r = 1); as in Scholz et al.'s
    replication, max and min are over all actors' dangers, so R_i ∈ [−1, 1] and
    r_i ∈ [0.5, 2]. If every actor is in the same danger, R = 0 and r = 1.

    Returns:
        ``(R, r)``.
    """
    neutral = np.ones(len(position))
    _, theirs = challenge_utilities(capability, salience, position, neutral, spread)
    danger = theirs.sum(axis=1)
    high, low = danger.max(), danger.min()
    if high - low <= 1e-12 * (abs(high) + abs(low) + 1.0):
        risk = np.zeros(len(position))
    else:
        risk = np.clip((2 * danger - high - low) / (high - low), -1.0, 1.0)
    return risk, (1 - risk / 3) / (1 + risk / 3)


def _offers(
    round_number: int,
    names: Sequence[str],
    position: np.ndarray,
    mine: np.ndarray,
    theirs: np.ndarray,
) -> list[Offer]:
    """The offers of one round (docs/classics.md, from the view of a receiver i and a sender j):
    confrontation if EU_ji > EU_ij > 0 (i moves to x_j); compromise if EU_ji > 0 > EU_ij and
    EU_ji > |EU_ij| (i moves to x_i + (x_j − x_i)·|EU_ij/EU_ji|); capitulation if EU_ji > 0 >
    EU_ij and |EU_ij| >= EU_ji (i moves to x_j)."""
    offers = []
    n = len(names)
    for i in range(n):
        for j in range(n):
            if i == j or position[i] == position[j]:
                continue
            eu_ij, eu_ji = mine[i, j], theirs[i, j]
            if eu_ji <= 0:
                continue
            if eu_ij > 0:
                if eu_ji > eu_ij:
                    offers.append(
                        Offer(round_number, names[j], names[i], "confrontation", position[j])
                    )
                continue
            if eu_ji > abs(eu_ij):
                moved = position[i] + (position[j] - position[i]) * abs(eu_ij / eu_ji)
                offers.append(Offer(round_number, names[j], names[i], "compromise", moved))
            else:
                offers.append(Offer(round_number, names[j], names[i], "capitulation", position[j]))
    return offers


def forecast(
    actors: Sequence[BdmActor], rounds: int = DEFAULT_ROUNDS, spread: float | None = None
) -> Forecast:
    """Run the model for ``rounds`` rounds (or until no actor moves).

    Each round: risk exponents from the current positions, then offers; each actor accepts the
    offer that moves it least (Scholz et al. 2011), all at once.

    Args:
        actors: The actors (at least two).
        rounds: Rounds of offers.
        spread: R, the range of the issue scale; the range of the initial positions if omitted.

    Returns:
        The forecast round by round.
    """
    if len(actors) < 2:
        raise ValueError("the model needs at least two actors")
    names = [actor.name for actor in actors]
    capability = np.array([actor.capability for actor in actors], dtype=float)
    salience = np.array([actor.salience for actor in actors], dtype=float)
    position = np.array([actor.position for actor in actors], dtype=float)
    if spread is None:
        spread = float(position.max() - position.min()) or 1.0
    rows: list[tuple[int, str, float, float, float]] = []
    summary: list[tuple[int, float, float]] = []
    offers: list[Offer] = []
    for round_number in range(rounds + 1):
        risk, exponent = risk_exponents(capability, salience, position, spread)
        rows.extend(
            (round_number, name, float(x), float(big_r), float(r))
            for name, x, big_r, r in zip(names, position, risk, exponent, strict=True)
        )
        summary.append(
            (
                round_number,
                vote_winner(capability, salience, position, spread),
                weighted_mean(capability, salience, position),
            )
        )
        if round_number == rounds:
            break
        mine, theirs = challenge_utilities(capability, salience, position, exponent, spread)
        made = _offers(round_number + 1, names, position, mine, theirs)
        best: dict[str, Offer] = {}
        for offer in made:
            k = names.index(offer.receiver)
            current = best.get(offer.receiver)
            if current is None or abs(offer.new_position - position[k]) < abs(
                current.new_position - position[k]
            ):
                best[offer.receiver] = offer
        offers.extend(
            Offer(o.round, o.sender, o.receiver, o.kind, o.new_position, best.get(o.receiver) is o)
            for o in made
        )
        if not best:
            break
        for receiver, offer in best.items():
            position[names.index(receiver)] = offer.new_position
    return Forecast(
        rounds=pd.DataFrame(rows, columns=["round", "actor", "position", "risk", "exponent"]),
        summary=pd.DataFrame(summary, columns=["round", "forecast", "mean"]),
        offers=offers,
    )


def forecast_settlement(
    actors: Sequence[BdmActor], rounds: int = DEFAULT_ROUNDS, spread: float | None = None
) -> float:
    """Where talks among ``actors`` would settle: the vote winner after ``rounds`` rounds.

    For the crisis model: give the disputants and interested states their capabilities,
    positions on the disputed issue (e.g. the share of the stake each demands) and saliences,
    and read the forecast settlement on the same scale.

    Args:
        actors: The actors (at least two).
        rounds: Rounds of offers.
        spread: Range of the issue scale (e.g. 1.0 for shares); the initial range if omitted.

    Returns:
        The forecast position.
    """
    return forecast(actors, rounds, spread).settlement


# -- reading ---------------------------------------------------------------------------------------

SIMPLE_HEADER = ["actor", "capability", "position", "salience"]


def read_actors(path: str | Path, dimension: int = 1) -> list[BdmActor]:
    """Read actors from ``Actor,Capability,Position,Salience`` or KTAB's spatial-model CSV.

    The simple format gives salience in percent (0–100). KTAB's format is
    ``Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,...`` with positions and saliences on 0–100;
    its header may follow KTAB's first line ``scenario,description,actors,dimensions`` (whose
    counts are then checked), the (position, salience) pairs may have any names, and
    ``dimension`` picks which pair to read.

    Args:
        path: The CSV file.
        dimension: Which issue dimension of a KTAB file (1-based).

    Returns:
        The actors, salience scaled to [0, 1].

    Raises:
        BrinkInputError: For a missing file or a malformed cell, naming file, line and column.
    """
    file = str(path)
    lines, at = read_csv_lines(path)

    # KTAB writes a trailing comma on each line; empty trailing cells carry nothing.
    lines = [(number, _trim(row)) for number, row in lines]
    header_at = next((k for k, (_, row) in enumerate(lines[:2]) if row[0].lower() == "actor"), None)
    if header_at is None:
        where = lines[0][0] if lines else 1
        raise BrinkInputError(
            "no header: expected 'Actor,Capability,Position,Salience' or KTAB's "
            "'Actor,Description,Power,Pstn1,Sal1,...'",
            Location(file, where, 1),
        )
    header_line, header = lines[header_at]
    lowered = [cell.lower() for cell in header]
    ktab = len(lowered) >= 5 and lowered[1] == "description" and lowered[2] == "power"
    expected_actors = None
    if lowered[:4] == SIMPLE_HEADER:
        columns = {"capability": 1, "position": 2, "salience": 3}
    elif ktab:
        # KTAB's SMPModel::readCSVStream: after Actor, Description, Power come (position,
        # salience) pairs, one per dimension, whatever their names; an optional first line
        # "scenario,description,actors,dimensions" gives the counts.
        dimensions = (len(header) - 3) // 2
        if header_at == 1:
            preamble_line, preamble = lines[0]
            expected_actors = _count(preamble, 2, "actors", at(preamble_line, 3))
            stated = _count(preamble, 3, "dimensions", at(preamble_line, 4))
            if stated is not None and stated != dimensions:
                raise BrinkInputError(
                    f"{stated} dimensions stated, but the header has {dimensions} "
                    "(position, salience) pairs",
                    at(preamble_line, 4),
                )
        if not 1 <= dimension <= dimensions:
            raise BrinkInputError(
                f"dimension {dimension} asked for, the file has {dimensions}",
                at(header_line, 4),
            )
        columns = {
            "capability": 2,
            "position": 3 + 2 * (dimension - 1),
            "salience": 4 + 2 * (dimension - 1),
        }
    else:
        raise BrinkInputError(
            f"header {','.join(header)!r} is neither 'Actor,Capability,Position,Salience' nor "
            "KTAB's 'Actor,Description,Power,Pstn1,Sal1,...'",
            at(header_line, 1),
        )
    actors: list[BdmActor] = []
    seen: dict[str, int] = {}
    for line, row in lines[header_at + 1 :]:
        if len(row) < len(header):
            raise BrinkInputError(
                f"{len(row)} cells, expected {len(header)}", at(line, len(row) + 1)
            )
        name = row[0]
        if not name:
            raise BrinkInputError("empty actor name", at(line, 1))
        if name in seen:
            raise BrinkInputError(f"actor {name!r} already on line {seen[name]}", at(line, 1))
        seen[name] = line
        values = {}
        for key, cell in columns.items():
            try:
                value = float(row[cell])
            except ValueError:
                raise BrinkInputError(
                    f"{row[cell]!r} is not a number", at(line, cell + 1, f"{name}.{key}")
                ) from None
            if not math.isfinite(value):
                raise BrinkInputError(f"{row[cell]} is not finite", at(line, cell + 1, key))
            values[key] = value
        if values["capability"] < 0:
            raise BrinkInputError(
                f"capability {values['capability']:g} must be >= 0",
                at(line, columns["capability"] + 1, f"{name}.capability"),
            )
        if not 0 <= values["salience"] <= 100:
            raise BrinkInputError(
                f"salience {values['salience']:g} must be in 0–100 (percent)",
                at(line, columns["salience"] + 1, f"{name}.salience"),
            )
        if ktab and not 0 <= values["position"] <= 100:
            raise BrinkInputError(
                f"position {values['position']:g} must be in 0–100 (KTAB's scale)",
                at(line, columns["position"] + 1, f"{name}.position"),
            )
        actors.append(
            BdmActor(name, values["capability"], values["position"], values["salience"] / 100)
        )
    if expected_actors is not None and expected_actors != len(actors):
        raise BrinkInputError(
            f"{expected_actors} actors stated on the first line, {len(actors)} rows follow",
            at(lines[0][0], 3),
        )
    if len(actors) < 2:
        raise BrinkInputError(
            f"{len(actors)} actor(s); the model needs at least two", Location(file, header_line)
        )
    return actors


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end > 1 and not row[end - 1]:
        end -= 1
    return row[:end]


def _count(row: list[str], index: int, what: str, location: Location) -> int | None:
    """A count from KTAB's first line, or None if the line does not give it."""
    if len(row) <= index or not row[index]:
        return None
    try:
        return int(row[index])
    except ValueError:
        raise BrinkInputError(f"{row[index]!r} is not a whole number of {what}", location) from None

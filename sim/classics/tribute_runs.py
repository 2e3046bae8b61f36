"""Clusters and whole runs of Axelrod's tribute model (docs/classics.md).

The model itself, one year per step, is :class:`brink.sim.classics.tribute.TributeModel`. Here:
finding the clusters of mutually committed actors in a commitment matrix (:func:`find_clusters`)
and their spells over a run (:func:`cluster_spells`), running one population or many into tables
(:func:`run_tribute`, :func:`run_populations`), and summarising when clusters formed and how long
they held across populations (:func:`cluster_summary`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from brink.sim.classics.tribute import (
    DEFAULT_ACTORS,
    DEFAULT_CLUSTER_THRESHOLD,
    LASTING_YEARS,
    TributeModel,
)


def find_clusters(
    commitment: np.ndarray, threshold: int = DEFAULT_CLUSTER_THRESHOLD
) -> list[frozenset[int]]:
    """The clusters of mutually committed actors in a commitment matrix.

    A cluster is a maximal arc of at least two adjacent actors on the ring in which every pair
    has L ≥ ``threshold`` in both directions. Arcs are maximal under inclusion; two clusters may
    share an actor only if neither arc contains the other.

    Args:
        commitment: The n × n commitment matrix in percent.
        threshold: Least commitment, in percent, that binds a pair.

    Returns:
        The clusters as sets of actor indices, sorted by their smallest member.
    """
    n = commitment.shape[0]
    ring = np.arange(n)
    after = (ring + 1) % n
    # An arc of two or more can start only where an actor and the next bind each other: the
    # rest are skipped at once, so a year costs about n, not n² (1,000 actors, issue 23).
    starts = np.flatnonzero(
        (commitment[ring, after] >= threshold) & (commitment[after, ring] >= threshold)
    )
    arcs: set[frozenset[int]] = set()
    for start in starts.tolist():
        members = [start]
        for offset in range(1, n):
            k = (start + offset) % n
            if not (
                (commitment[k, members] >= threshold).all()
                and (commitment[members, k] >= threshold).all()
            ):
                break
            members.append(k)
        arcs.add(frozenset(members))
    maximal = [arc for arc in arcs if not any(arc < other for other in arcs)]
    return sorted(maximal, key=lambda arc: (min(arc), len(arc)))


def cluster_spells(
    commitments: Sequence[np.ndarray], threshold: int = DEFAULT_CLUSTER_THRESHOLD
) -> pd.DataFrame:
    """Each spell of each cluster over a run: when it formed, how long it held.

    A spell is a run of consecutive years in which the same set of actors is a cluster (see
    :func:`find_clusters`). Year ``y`` is the state at the end of year ``y`` (1-based).

    Args:
        commitments: The commitment matrix at the end of each year, in order.
        threshold: Least commitment, in percent, that binds a pair.

    Returns:
        Columns ``members`` (space-separated indices), ``size``, ``formed`` (first year),
        ``last`` (last year), ``duration`` (years) and ``holding`` (still a cluster at the end).
    """
    spells = Spells()
    for matrix in commitments:
        spells.add(find_clusters(matrix, threshold))
    return spells.table()


class Spells:
    """Cluster spells built year by year (:func:`cluster_spells` over a run, without keeping
    every year's commitment matrix)."""

    def __init__(self) -> None:
        self.year = 0
        self.open: dict[frozenset[int], int] = {}
        self.rows: list[tuple[frozenset[int], int, int, bool]] = []

    def add(self, clusters: Sequence[frozenset[int]]) -> None:
        """The clusters standing at the end of the next year."""
        self.year += 1
        now = set(clusters)
        for cluster in [c for c in self.open if c not in now]:
            self.rows.append((cluster, self.open.pop(cluster), self.year - 1, False))
        for cluster in now:
            self.open.setdefault(cluster, self.year)

    def table(self) -> pd.DataFrame:
        """Columns as :func:`cluster_spells` returns them."""
        rows = self.rows + [(c, formed, self.year, True) for c, formed in self.open.items()]
        frame = pd.DataFrame(
            [
                {
                    "members": " ".join(str(k) for k in sorted(cluster)),
                    "size": len(cluster),
                    "formed": formed,
                    "last": last,
                    "duration": last - formed + 1,
                    "holding": holding,
                }
                for cluster, formed, last, holding in rows
            ],
            columns=["members", "size", "formed", "last", "duration", "holding"],
        )
        return frame.sort_values(["formed", "members"], ignore_index=True)


# -- whole runs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TributeRun:
    """The tables of one run (one population).

    Attributes:
        population: Index of the population among those run.
        seed: The entropy of the population's SeedSequence (as recorded).
        wealth: Long table ``population, year, actor, wealth`` (year 0 is the start).
        years: One row per year: ``demands``, ``payments``, ``fights``, ``tribute`` (paid),
            ``destroyed`` (in fights), ``total_wealth``, ``clusters``.
        events: One row per activation.
        commitment: Final commitment matrix, long: ``population, actor, partner, commitment``.
        clusters: Cluster spells (see :func:`cluster_spells`) with a ``population`` column.
        final_commitment: Final commitment matrix as an array.
    """

    population: int
    seed: int
    wealth: pd.DataFrame
    years: pd.DataFrame
    events: pd.DataFrame
    commitment: pd.DataFrame
    clusters: pd.DataFrame
    final_commitment: np.ndarray


def run_tribute(
    years: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    n_actors: int = DEFAULT_ACTORS,
    threshold: int = DEFAULT_CLUSTER_THRESHOLD,
    population: int = 0,
    progress: Callable[[int], None] | None = None,
) -> TributeRun:
    """Run one population of the tribute model for ``years`` years.

    Args:
        years: Years to simulate.
        seed: An integer seed or a SeedSequence (one spawned per population).
        n_actors: Actors on the ring.
        threshold: Cluster threshold in percent (see :func:`find_clusters`).
        population: Index written into the tables.
        progress: Called with the number of years done, every 100 years and at the end.

    Returns:
        The run's tables.
    """
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    model = TributeModel(n_actors, rng=np.random.default_rng(sequence), keep_commitments=False)
    # Each year's clusters are read as the year ends, so no year's commitment matrix is kept
    # (actors² numbers a year: the memory, not the model, limited long runs of many actors).
    spells, counts = Spells(), []
    for year in range(1, years + 1):
        model.step()
        standing = find_clusters(model.commitment, threshold)
        spells.add(standing)
        counts.append(len(standing))
        if progress is not None and (year % 100 == 0 or year == years):
            progress(year)
    history = model.history
    values = np.asarray(history.wealth, dtype=float)  # (years + 1) × actors
    wealth = pd.DataFrame(
        {
            "population": population,
            "year": np.repeat(np.arange(years + 1), n_actors),
            "actor": np.tile(np.arange(n_actors), years + 1),
            "wealth": values.reshape(-1),
        }
    )
    events = pd.DataFrame(
        [
            {
                "population": population,
                "year": e.year,
                "activation": e.activation,
                "attacker": e.attacker,
                "target": -1 if e.target is None else e.target,
                "outcome": e.outcome,
                "amount": e.amount,
                "attackers": " ".join(map(str, e.attackers)),
                "defenders": " ".join(map(str, e.defenders)),
            }
            for e in history.events
        ],
        columns=[
            "population",
            "year",
            "activation",
            "attacker",
            "target",
            "outcome",
            "amount",
            "attackers",
            "defenders",
        ],
    )
    year_rows = pd.DataFrame({"year": np.arange(1, years + 1), "population": population})
    year_of = events["year"].to_numpy() - 1
    for column, outcome in (("demands", None), ("payments", "pay"), ("fights", "fight")):
        chosen = events["outcome"] != "none" if outcome is None else events["outcome"] == outcome
        year_rows[column] = np.bincount(year_of[chosen.to_numpy()], minlength=years)
    for column, outcome in (("tribute", "pay"), ("destroyed", "fight")):
        rows_of = (events["outcome"] == outcome).to_numpy()
        year_rows[column] = np.bincount(
            year_of[rows_of], weights=events["amount"].to_numpy()[rows_of], minlength=years
        )
    totals = np.array(history.wealth[1:]).sum(axis=1) if years else np.array([])
    year_rows["total_wealth"] = totals
    year_rows["clusters"] = counts
    final = model.commitment.copy()
    commitment = pd.DataFrame(
        [(population, i, j, int(final[i, j])) for i in range(n_actors) for j in range(n_actors)],
        columns=["population", "actor", "partner", "commitment"],
    )
    clusters = spells.table()
    clusters.insert(0, "population", population)
    return TributeRun(
        population=population,
        seed=int(sequence.entropy) if isinstance(sequence.entropy, int) else 0,
        wealth=wealth,
        years=year_rows,
        events=events,
        commitment=commitment,
        clusters=clusters,
        final_commitment=final,
    )


def run_populations(
    years: int = 1000,
    seed: int = 0,
    populations: int = 10,
    n_actors: int = DEFAULT_ACTORS,
    threshold: int = DEFAULT_CLUSTER_THRESHOLD,
    progress: Callable[[int], None] | None = None,
) -> list[TributeRun]:
    """Run ``populations`` independent populations, seeded from ``SeedSequence(seed).spawn``.

    Args:
        years: Years per population.
        seed: Root seed.
        populations: How many populations.
        n_actors: Actors on each ring.
        threshold: Cluster threshold in percent.
        progress: Called with the number of years run so far, over all populations (for a
            progress bar).

    Returns:
        One :class:`TributeRun` per population, in order.
    """
    children = np.random.SeedSequence(seed).spawn(populations)
    runs = []
    for index, child in enumerate(children):
        done = index * years
        report = None if progress is None else (lambda year, done=done: progress(done + year))
        runs.append(run_tribute(years, child, n_actors, threshold, index, report))
    return runs


def cluster_summary(runs: Sequence[TributeRun], years: int) -> dict[str, float]:
    """Across populations: how many clusters formed, when, and how long they held.

    Only spells of at least 10 years count as clusters that *formed* (shorter ones are passing
    coincidences of commitment); all spells are still in each run's table.

    Args:
        runs: The runs.
        years: Years each run lasted.

    Returns:
        ``populations``, ``with_cluster`` (populations with at least one lasting cluster),
        ``clusters_per_population`` (mean count of lasting spells), ``first_formed_median``
        (median year the first lasting cluster formed, NaN if none), ``duration_median``
        (median years a lasting spell held), ``holding_at_end`` (share of lasting spells still
        holding at the end), ``size_mean`` (mean members of a lasting spell), and
        ``clusters_at_end_mean`` (mean number of clusters standing in the last year).
    """
    spells = pd.concat([run.clusters for run in runs], ignore_index=True)
    lasting = spells[spells["duration"] >= LASTING_YEARS]
    firsts = lasting.groupby("population")["formed"].min()
    at_end = [int(run.years["clusters"].iloc[-1]) if years else 0 for run in runs]
    return {
        "populations": len(runs),
        "with_cluster": int(lasting["population"].nunique()),
        "clusters_per_population": len(lasting) / len(runs) if runs else float("nan"),
        "first_formed_median": float(firsts.median()) if len(firsts) else float("nan"),
        "duration_median": float(lasting["duration"].median()) if len(lasting) else float("nan"),
        "holding_at_end": float(lasting["holding"].mean()) if len(lasting) else float("nan"),
        "size_mean": float(lasting["size"].mean()) if len(lasting) else float("nan"),
        "clusters_at_end_mean": float(np.mean(at_end)) if at_end else float("nan"),
    }

"""Pairwise history between states from the bundled data: alliances in force, past wars, disputes.

Readers over ``data/`` (citations in ``data/README.md``) that answer questions about pairs of
states in a given year, for building alignment propensities (Axelrod & Bennett 1993 built theirs
from alliances, regime, past wars and territorial disputes).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

from brink.scenarios.datasets import DATA_DIR

ATOP_MEMBERS_FILE = DATA_DIR / "atop-v4-member-level.csv"
ATOP_ALLIANCES_FILE = DATA_DIR / "atop-v4-alliance-level.csv"
WARS_FILE = DATA_DIR / "cow-interstate-wars.csv"
MIDS_FILE = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"

Pair = tuple[int, int]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


@cache
def atop_members() -> pd.DataFrame:
    """ATOP v4 member level (Leeds et al. 2002), with ``last_year`` each membership held.

    A member's ``yrexit`` of 0 means it stayed until the alliance ended; the alliance's
    ``endyr`` of 0 means it is still in force (ATOP codebook), here taken as 9999.
    """
    members = pd.read_csv(ATOP_MEMBERS_FILE).copy()  # defragment before adding a column
    ends = pd.read_csv(ATOP_ALLIANCES_FILE, usecols=["atopid", "endyr"]).set_index("atopid")
    alliance_end = members["atopid"].map(ends["endyr"]).fillna(0).astype(int)
    alliance_end = alliance_end.where(alliance_end > 0, 9999)
    members["last_year"] = members["yrexit"].where(members["yrexit"] > 0, alliance_end)
    return members


def shared_alliances(ccodes: Iterable[int], year: int) -> dict[Pair, dict[str, int]]:
    """Alliances in force in ``year`` that both states of a pair belong to, by obligation.

    Args:
        ccodes: COW codes of the states of interest.
        year: The year (an alliance counts if membership spans any part of it).

    Returns:
        ``{(a, b): {"pact": n, "other": m}}`` with ``a < b``: ``pact`` counts defence or offence
        pacts, ``other`` neutrality, non-aggression or consultation pacts without those.
    """
    wanted = set(ccodes)
    members = atop_members()
    live = members[
        (members["yrent"] <= year) & (members["last_year"] >= year) & members["member"].isin(wanted)
    ]
    counts: dict[Pair, dict[str, int]] = {}
    for _, alliance in live.groupby("atopid"):
        pact = bool((alliance["defense"] > 0).any() or (alliance["offense"] > 0).any())
        kind = "pact" if pact else "other"
        for a, b in itertools.combinations(sorted(set(alliance["member"])), 2):
            counts.setdefault((a, b), {"pact": 0, "other": 0})[kind] += 1
    return counts


@cache
def interstate_wars() -> pd.DataFrame:
    """COW interstate wars (Sarkees & Wayman 2010) as participant rows.

    In this file each row is one war-year of a sub-war: the initiator and its ``ally*`` columns
    form one side, the target and its ``adv*`` columns the other.

    Returns:
        Columns ``war`` (larger_war_id), ``name`` (larger_war_name), ``year``, ``ccode`` and
        ``side`` (0 initiator's side, 1 target's side), deduplicated.
    """
    wars = pd.read_csv(WARS_FILE, na_values=["NA"])
    side_a = ["init_ccode"] + [
        c for c in wars.columns if c.startswith("ally") and c.endswith("ccode")
    ]
    side_b = ["target_ccode"] + [
        c for c in wars.columns if c.startswith("adv") and c.endswith("ccode")
    ]
    rows = []
    for _, war in wars.iterrows():
        for side, columns in ((0, side_a), (1, side_b)):
            for column in columns:
                code = war[column]
                if pd.notna(code):
                    rows.append(
                        (
                            int(war["larger_war_id"]),
                            war["larger_war_name"],
                            int(war["year"]),
                            int(code),
                            side,
                            str(war["init_war_id"]),
                        )
                    )
    frame = pd.DataFrame(rows, columns=["war", "name", "year", "ccode", "side", "subwar"])
    return frame.drop_duplicates(ignore_index=True)


def war_history(ccodes: Iterable[int], before: int, since: int = 0) -> dict[Pair, dict[str, int]]:
    """How often each pair fought on opposite sides, or on the same side, in wars before a year.

    A larger war counts once per pair: as ``opposed`` if the two were on opposite sides of any of
    its sub-wars, else as ``together`` if they were on the same side of one.

    Args:
        ccodes: COW codes of the states of interest.
        before: Only wars that began before this year count.
        since: Only wars that began in this year or later count.

    Returns:
        ``{(a, b): {"opposed": n, "together": m}}`` with ``a < b``.
    """
    wanted = set(ccodes)
    wars = interstate_wars()
    start = wars.groupby("war")["year"].transform("min")
    wars = wars[(start < before) & (start >= since) & wars["ccode"].isin(wanted)]
    counts: dict[Pair, dict[str, int]] = {}
    for _, war in wars.groupby("war"):
        opposed: set[Pair] = set()
        together: set[Pair] = set()
        for _, sub in war.groupby("subwar"):
            sides = sub.groupby("side")["ccode"].apply(set).to_dict()
            for a, b in itertools.product(sides.get(0, set()), sides.get(1, set())):
                if a != b:
                    opposed.add(_pair(a, b))
            for members in sides.values():
                together.update(_pair(a, b) for a, b in itertools.combinations(members, 2))
        for pair in opposed:
            counts.setdefault(pair, {"opposed": 0, "together": 0})["opposed"] += 1
        for pair in together - opposed:
            counts.setdefault(pair, {"opposed": 0, "together": 0})["together"] += 1
    return counts


@cache
def _mids() -> pd.DataFrame:
    return pd.read_csv(MIDS_FILE, usecols=["dispnum", "ccode1", "ccode2", "year", "revtype11"])


def territorial_disputes(ccodes: Iterable[int], start: int, before: int) -> dict[Pair, int]:
    """Militarized disputes over territory between each pair in ``[start, before)``.

    A dispute counts if side 1's first revision type is territory (``revtype11`` = 1, GML MID
    v2.03, Gibler, Miller & Little 2016); each dispute counts once per pair.

    Args:
        ccodes: COW codes of the states of interest.
        start: First year counted.
        before: Years from this one on are not counted.

    Returns:
        ``{(a, b): disputes}`` with ``a < b``.
    """
    wanted = set(ccodes)
    mids = _mids()
    chosen = mids[
        (mids["year"] >= start)
        & (mids["year"] < before)
        & (mids["revtype11"] == 1)
        & mids["ccode1"].isin(wanted)
        & mids["ccode2"].isin(wanted)
    ]
    columns = (chosen[name].to_numpy() for name in ("dispnum", "ccode1", "ccode2"))
    pairs = {(int(dispnum), _pair(int(a), int(b))) for dispnum, a, b in zip(*columns, strict=True)}
    return dict(Counter(pair for _, pair in pairs))


def pair_matrix(ccodes: list[int], values: dict[Pair, float]) -> np.ndarray:
    """A symmetric matrix in the order of ``ccodes`` from values keyed by ordered pairs."""
    index = {code: k for k, code in enumerate(ccodes)}
    matrix = np.zeros((len(ccodes), len(ccodes)))
    for (a, b), value in values.items():
        if a in index and b in index:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = value
    return matrix

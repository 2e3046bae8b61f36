"""Distances between capitals and Boulding's loss-of-strength gradient."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees (haversine)."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def loss_of_strength(distance_km: float, gradient_km: float) -> float:
    """Share of a state's power that reaches a theatre ``distance_km`` away.

    Boulding (1962), *Conflict and Defense*, ch. 12: strength declines with distance from the
    home base; docs/model.md §4.3 takes the exponential form g(d) = exp(−d / D).
    """
    return math.exp(-distance_km / gradient_km)

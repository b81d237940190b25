"""Driving between two places, estimated from coordinates.

One function, `driving_estimate`, so that a routing server (OSRM, Valhalla) can replace the
estimate later without touching its callers. The estimate is the great-circle distance times a
detour factor, driven at an average speed:

- DETOUR_FACTOR 1.3: country roads are about 30 % longer than the straight line (the usual
  figure for rural France; measured ratios between Somme villages range from 1.2 to 1.4);
- AVERAGE_SPEED_KMH 60: a van on departmental roads, through villages, without motorway.
"""

import math
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0
DETOUR_FACTOR = 1.3
AVERAGE_SPEED_KMH = 60.0

Point = tuple[float | Decimal, float | Decimal]


def great_circle_km(a: Point, b: Point) -> float:
    """Distance in kilometres between two (latitude, longitude) points, as the crow flies."""
    lat1, lon1 = math.radians(float(a[0])), math.radians(float(a[1]))
    lat2, lon2 = math.radians(float(b[0])), math.radians(float(b[1]))
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))


def driving_estimate(a: Point, b: Point) -> tuple[float, float]:
    """(kilometres, minutes) to drive from `a` to `b`, two (latitude, longitude) points."""
    km = great_circle_km(a, b) * DETOUR_FACTOR
    return km, km / AVERAGE_SPEED_KMH * 60

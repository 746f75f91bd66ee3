"""Candidate strikes (and possible duplicate claims) for a claim: near it in place and time.

Distances are great-circle (haversine) distances computed in the database query, after a
bounding-box filter that the latitude/longitude columns can answer cheaply; nothing loads every
strike into Python. Works on PostgreSQL and SQLite (Django provides the trigonometric functions
on SQLite).
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import FloatField, Q, Value
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt

from .models import Claim, Strike

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
DEFAULT_RADIUS_KM = 5.0
DEFAULT_DAYS = 2


@dataclass(frozen=True)
class Candidate:
    obj: object  # a Strike or a Claim
    distance_km: float | None  # None when matched by locality (no coordinates)
    days_apart: int


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points (used by tests and for display)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def _distance_expression(lat: float, lon: float):
    """SQL expression: haversine distance in km from (lat, lon) to the row's coordinates."""
    row_lat = Radians(Cast("latitude", FloatField()))
    row_lon = Radians(Cast("longitude", FloatField()))
    phi = math.radians(lat)
    a = Power(Sin((row_lat - phi) / 2), 2) + math.cos(phi) * Cos(row_lat) * Power(
        Sin((row_lon - math.radians(lon)) / 2), 2
    )
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(a))


def _bounding_box(lat: float, lon: float, radius_km: float) -> Q:
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = math.cos(math.radians(lat))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, dlat / cos_lat)
    return Q(
        latitude__gte=lat - dlat,
        latitude__lte=lat + dlat,
        longitude__gte=lon - dlon,
        longitude__lte=lon + dlon,
    )


def _near(queryset, date_field, claim, radius_km, days, limit):
    on = claim.incident_date
    queryset = queryset.filter(
        **{
            f"{date_field}__gte": on - timedelta(days=days),
            f"{date_field}__lte": on + timedelta(days=days),
        }
    )
    if claim.has_coordinates:
        lat, lon = float(claim.latitude), float(claim.longitude)
        rows = (
            queryset.filter(_bounding_box(lat, lon, radius_km))
            .annotate(distance_km=_distance_expression(lat, lon))
            .filter(distance_km__lte=radius_km)
            .order_by("distance_km", date_field)[: limit * 4]
        )
    elif claim.locality:
        # No coordinates: the best we can do is the same named place.
        rows = queryset.filter(country=claim.country, locality__iexact=claim.locality).annotate(
            distance_km=Value(None, output_field=FloatField())
        )[:500]
    else:
        return []
    candidates = [
        Candidate(
            obj=row,
            distance_km=None if row.distance_km is None else round(row.distance_km, 3),
            days_apart=abs((getattr(row, date_field) - on).days),
        )
        for row in rows
    ]
    candidates.sort(
        key=lambda c: (c.distance_km if c.distance_km is not None else math.inf, c.days_apart)
    )
    return candidates[:limit]


def strike_candidates(
    *, claim: Claim, radius_km: float = DEFAULT_RADIUS_KM, days: int = DEFAULT_DAYS, limit: int = 20
) -> list[Candidate]:
    """Strikes within `radius_km` and `days` of the claim's incident, nearest first, then
    closest in time. Strikes already linked to the claim are included (marked by the caller)."""
    return _near(
        Strike.objects.select_related("belligerent"), "date", claim, radius_km, days, limit
    )


def duplicate_candidates(
    *, claim: Claim, radius_km: float = DEFAULT_RADIUS_KM, days: int = DEFAULT_DAYS, limit: int = 20
) -> list[Candidate]:
    """Other claims about an incident near the same place and date: possible duplicates."""
    others = Claim.objects.exclude(pk=claim.pk)
    return _near(others, "incident_date", claim, radius_km, days, limit)

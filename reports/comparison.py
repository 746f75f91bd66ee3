"""Official versus independent findings, side by side, per external organisation.

For each organisation, over the claims it graded: how many it found harmed civilians (graded
confirmed or fair) against how many the official process found credible (the claim's latest
approved assessment is credible), and civilians killed by its count (the sums of its minimums and
maximums) against the official count for the same claims. One query, whatever the data size.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.functional import lazy

from claims.definitions import HARM_GRADES, ClaimStatus, Outcome
from claims.models import Assessment, ExternalAssessment

from .definitions import COMPARISON_CAVEATS
from .figures import percentage


def _caveat() -> str:
    return " ".join(str(caveat) for caveat in COMPARISON_CAVEATS)


# The caveat published with the comparison, by the API and on the pages alike (in the reader's
# language: lazy, and a module-level function so that a cached comparison can be pickled).
CAVEAT = lazy(_caveat, str)()


def ratio(part: int, whole: int) -> float | None:
    """part / whole, rounded half-up to two decimals; None when whole is 0."""
    if not whole:
        return None
    return float((Decimal(part) / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def comparison_figures() -> dict:
    """The comparison for every organisation, by name: plain JSON-ready data."""
    latest = Assessment.objects.counted().filter(claim=OuterRef("claim_id")).order_by("-sequence")
    credible = Q(official_outcome=Outcome.CREDIBLE)
    rows = (
        ExternalAssessment.objects.annotate(
            official_outcome=Subquery(latest.values("outcome")[:1]),
            official_killed=Subquery(latest.values("civilians_killed")[:1]),
        )
        .values("organisation")
        .annotate(
            graded=Count("pk"),
            harmed=Count("pk", filter=Q(grade__in=HARM_GRADES)),
            official_credible=Count("pk", filter=credible),
            official_open=Count("pk", filter=Q(claim__status=ClaimStatus.OPEN)),
            civilians_killed_min=Sum("civilians_killed_min"),
            civilians_killed_max=Sum("civilians_killed_max"),
            official_civilians_killed=Sum("official_killed", filter=credible),
        )
        .order_by("organisation")
    )
    organisations = [
        {
            "organisation": row["organisation"],
            "graded": row["graded"],
            "harmed": row["harmed"],
            "official_credible": row["official_credible"],
            "official_open": row["official_open"],
            "harm_rate_pct": percentage(row["harmed"], row["graded"]),
            "official_credible_rate_pct": percentage(row["official_credible"], row["graded"]),
            "rate_ratio": ratio(row["harmed"], row["official_credible"]),
            "civilians_killed_min": row["civilians_killed_min"] or 0,
            "civilians_killed_max": row["civilians_killed_max"] or 0,
            "official_civilians_killed": row["official_civilians_killed"] or 0,
        }
        for row in rows
    ]
    return {
        "harm_grades": [str(grade) for grade in HARM_GRADES],
        "organisations": organisations,
        "caveat": CAVEAT,
    }

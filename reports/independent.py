"""Independent counts of civilians killed, month by month, beside the official monthly figures.

For each organisation: the sums of its low and of its high estimates of civilians killed over the
claims it graded confirmed or fair (HARM_GRADES: civilians harmed by its finding), by the month
of the claim's incident date. The official monthly figure counts by the month of the assessment
instead (reports.figures): the two series count different things, and the pages say so.

Organisations are never added together: two of them may have graded the same claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from claims.definitions import HARM_GRADES
from claims.models import ExternalAssessment

from .periods import Month


@dataclass(frozen=True)
class IndependentMonth:
    claims: int  # claims graded confirmed or fair whose incident falls in the month
    killed_min: int  # the sum of the organisation's low estimates (claims with one)
    killed_max: int  # the sum of its high estimates (claims with one)


def independent_killed_by_month() -> dict[str, dict[Month, IndependentMonth]]:
    """{organisation: {month of incident: IndependentMonth}}, organisations by name and months in
    order, only months with a claim. One query, whatever the data size."""
    rows = (
        ExternalAssessment.objects.filter(grade__in=HARM_GRADES)
        .annotate(month=TruncMonth("claim__incident_date"))
        .values("organisation", "month")
        .annotate(
            claims=Count("pk"),
            killed_min=Sum("civilians_killed_min"),
            killed_max=Sum("civilians_killed_max"),
        )
        .order_by("organisation", "month")
    )
    result: dict[str, dict[Month, IndependentMonth]] = {}
    for row in rows:
        result.setdefault(row["organisation"], {})[Month.of(row["month"])] = IndependentMonth(
            claims=row["claims"],
            killed_min=row["killed_min"] or 0,
            killed_max=row["killed_max"] or 0,
        )
    return result

"""The reviewers' dashboard: where the open claims stand, what waits for whom, what was closed.

`dashboard_data(user)` returns plain data in at most six queries whatever the data size; the view
checks the permission and renders it.
"""

from datetime import date
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .. import roles
from ..definitions import Outcome
from ..models import Assessment, Claim
from ..workflow import OPEN_STAGES

OLDEST_SHOWN = 10
QUEUE_SHOWN = 25
PROPOSALS_SHOWN = 25
MONTHS_SHOWN = 12


def claims_url(**params) -> str:
    """The claim list, filtered: `claims_url(stage="new")` -> "/admin/claims/claim/?stage=new"."""
    url = reverse("admin:claims_claim_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _claim_row(claim: Claim, today: date) -> dict:
    return {
        "ref": claim.claim_ref,
        "url": reverse("admin:claims_claim_change", args=[claim.pk]),
        "received_on": claim.received_on,
        "days_open": (today - claim.received_on).days,
        "place": claim.place,
        "stage": claim.get_stage_display(),
        "assignee": claim.assignee.get_username() if claim.assignee else "",
    }


def open_claim_counts(user) -> dict:
    """Open claims in all, by stage, and assigned to `user` (one query)."""
    return Claim.objects.open().aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(assignee=user)),
        **{stage.value: Count("pk", filter=Q(stage=stage)) for stage in OPEN_STAGES},
    )


def open_claims(*, today: date, limit: int, assignee=None) -> list[dict]:
    """The open claims received longest ago (one query), optionally only those of `assignee`."""
    claims = Claim.objects.open().select_related("assignee").order_by("received_on", "claim_ref")
    if assignee is not None:
        claims = claims.filter(assignee=assignee)
    return [_claim_row(claim, today) for claim in claims[:limit]]


def proposals_waiting(user, *, today: date, limit: int) -> tuple[list[dict], int]:
    """Proposed assessments that `user` may decide (not their own), oldest first, and how many
    there are in all (two queries)."""
    proposals = Assessment.objects.proposed().exclude(assessed_by=user)
    rows = [
        {
            "ref": proposal.claim.claim_ref,
            "url": reverse("admin:claims_claim_change", args=[proposal.claim_id]),
            "outcome": proposal.get_outcome_display(),
            "author": proposal.assessed_by.get_username() if proposal.assessed_by else "",
            "proposed_at": proposal.proposed_at,
            "days_waiting": (today - timezone.localdate(proposal.proposed_at)).days
            if proposal.proposed_at
            else None,
        }
        for proposal in proposals.select_related("claim", "assessed_by").order_by(
            "proposed_at", "pk"
        )[:limit]
    ]
    return rows, proposals.count()


def closed_per_month(*, limit: int = MONTHS_SHOWN) -> list[dict]:
    """Approved assessments (closures) per month, by outcome, for the latest `limit` months that
    have any, oldest first (one query). `percent` sizes a bar against the busiest month."""
    months = list(
        Assessment.objects.counted()
        .annotate(month=TruncMonth("assessed_on"))
        .values("month")
        .annotate(
            closed=Count("pk"),
            **{outcome.value: Count("pk", filter=Q(outcome=outcome)) for outcome in Outcome},
        )
        .order_by("-month")[:limit]
    )
    months.reverse()
    busiest = max((month["closed"] for month in months), default=0)
    for month in months:
        month["percent"] = round(100 * month["closed"] / busiest)
    return months


def dashboard_data(user, *, today: date | None = None) -> dict:
    """Everything the dashboard shows to `user`; proposals only to those who may approve them."""
    today = today or timezone.localdate()
    counts = open_claim_counts(user)
    data = {
        "open_total": counts["total"],
        "open_url": claims_url(status="open"),
        "stages": [
            {"label": stage.label, "count": counts[stage.value], "url": claims_url(stage=stage)}
            for stage in OPEN_STAGES
        ],
        "oldest": open_claims(today=today, limit=OLDEST_SHOWN),
        "my_queue": open_claims(today=today, limit=QUEUE_SHOWN, assignee=user),
        "my_queue_total": counts["mine"],
        "my_queue_url": claims_url(status="open", assigned="me"),
        "can_approve": roles.can(user, roles.DECIDE),
        "proposals": [],
        "proposals_total": 0,
        "months": closed_per_month(),
    }
    if data["can_approve"]:
        data["proposals"], data["proposals_total"] = proposals_waiting(
            user, today=today, limit=PROPOSALS_SHOWN
        )
    return data


def dashboard_view(request):
    if not roles.can(request.user, roles.VIEW_CLAIMS):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Reviewer dashboard",
        **dashboard_data(request.user),
    }
    return TemplateResponse(request, "admin/claims/dashboard.html", context)

"""Admin at scale: every changelist, change page and history page of the admin answers in a
number of queries that does not grow with the data (issue 10: the Belligerents list counted
strikes × claims rows, 202 s on the demo's PostgreSQL).

The pages are measured on a small world, the world grows (more of every record, and more records
hanging from the very rows whose pages are measured), and the pages are measured again."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from claims import services
from claims.admin.records import AuditedAdmin
from claims.models import Belligerent, Claim, Strike
from reports.models import MonthPublication
from reports.publishing import figures_sha256
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    UserFactory,
    VictimFactory,
    assess,
    reopen,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
# Page -> queries on the small world, which the grown world must not exceed. Every admin page
# starts with 2 (the session and the user); a changelist adds the page of rows, its count and
# the total count, and one query per list filter whose choices come from the data.
BUDGETS = {
    "index": 3,
    # django-axes' own lists: its date hierarchy and list filters read the data.
    "axes.accessattempt list": 8,
    "axes.accessattempt change": 4,
    "axes.accessfailurelog list": 8,
    "axes.accessfailurelog change": 3,
    "axes.accesslog list": 8,
    "axes.accesslog change": 3,
    "dashboard": 8,
    "import": 2,
    "claims.claim all": 7,
    "publish preview": 11,  # the month's figures (month_figures) and its latest publication
    "auth.group list": 5,
    "auth.group change": 5,
    "auth.user list": 6,
    "auth.user change": 7,
    "authtoken.tokenproxy list": 5,
    "authtoken.tokenproxy change": 5,
    "claims.assessment list": 7,
    "claims.assessment change": 4,
    "claims.assessment history": 7,
    "claims.assessmentbatch list": 5,
    "claims.assessmentbatch change": 4,
    "claims.assessmentbatch history": 5,
    "claims.belligerent list": 5,  # strikes and claims counted by one subquery each
    "claims.belligerent change": 3,
    "claims.claim list": 7,
    "claims.claim change": 13,  # the case file: timeline, strikes, duplicates nearby, discussion
    "claims.claim history": 5,
    "claims.claimcomment list": 7,
    "claims.claimcomment change": 5,
    "claims.claimcomment history": 9,
    "claims.externalassessment list": 6,
    "claims.externalassessment change": 5,
    "claims.reopening list": 7,
    "claims.reopening change": 6,
    "claims.reopening history": 7,
    "claims.strike list": 9,  # + the countries and belligerents of the list filters
    "claims.strike change": 4,
    "claims.strike history": 5,
    "claims.victim list": 5,
    "claims.victim change": 4,
    "reports.monthpublication list": 7,
    "reports.monthpublication change": 4,
}

# Every model the admin shows (a model registered later must be added here, and grown below).
MODELS = {
    "axes.accessattempt",  # failed sign-ins (django-axes): superusers unlock accounts here
    "axes.accessfailurelog",
    "axes.accesslog",
    "auth.group",
    "auth.user",
    "authtoken.tokenproxy",
    "claims.assessment",
    "claims.assessmentbatch",
    "claims.belligerent",
    "claims.claim",
    "claims.claimcomment",
    "claims.externalassessment",
    "claims.reopening",
    "claims.strike",
    "claims.victim",
    "reports.monthpublication",
}


def registered() -> dict[str, admin.ModelAdmin]:
    return {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }


def test_every_admin_model_is_measured():
    assert set(registered()) == MODELS


def grow(count: int, serial: str, *, hub: Claim, reviewer) -> None:
    """`count` more of every record; half of them hang from the hub claim, its first strike and
    its belligerent, whose change pages are measured."""
    strike = hub.strikes.order_by("pk").first()
    belligerent = hub.belligerent
    for n in range(count):
        claim = ClaimFactory(
            claim_ref=f"CIV-{serial}-{n:03d}",
            received_on=D(2017, 1 + n % 6, 1),
            belligerent=belligerent if n % 2 else BelligerentFactory(name=f"Party {serial}{n}"),
        )
        claim.strikes.add(strike, StrikeFactory(belligerent=belligerent))
        hub.strikes.add(StrikeFactory(belligerent=belligerent))
        for victim_of in (claim, hub):
            VictimFactory(claim=victim_of, public=bool(n % 2))
            ExternalAssessmentFactory(claim=victim_of, organisation=f"Org {serial}{n}")
            services.claim_comment(claim=victim_of, author=reviewer, body=f"Note {serial}{n}.")
        assess(claim, "credible", claim.received_on + dt.timedelta(days=3))
        if n % 2:
            reopen(claim, claim.received_on + dt.timedelta(days=5))
        user = user_with_role("analyst", username=f"analyst-{serial}-{n}")
        Token.objects.create(user=user)
        Group.objects.create(name=f"Group {serial}{n}").user_set.add(user)
        MonthPublication.objects.create(
            period=f"2016-{1 + n % 12:02d}",
            revision=MonthPublication.objects.count() + 1,
            published_by=reviewer,
            figures={"received": n},
            sha256=figures_sha256({"received": n}),  # as month_publish stores it
        )
        sign_in = {
            "user_agent": "test",
            "ip_address": f"10.0.0.{n + 1}",
            "username": f"analyst-{serial}-{n}",
            "http_accept": "*/*",
            "path_info": "/admin/login/",
        }
        AccessAttempt.objects.create(**sign_in, get_data="", post_data="", failures_since_start=1)
        AccessFailureLog.objects.create(**sign_in)
        AccessLog.objects.create(**sign_in)
    rows = "".join(
        f"CIV-{serial}-{n:03d},2017-07-01,reopened,,,,Again.\n" for n in range(0, count, 2)
    )
    batch, result = services.assessment_batch_upload(
        by=reviewer,
        file_name=f"batch-{serial}.csv",
        data=(
            "claim_ref,assessed_on,outcome,reason,civilians_killed,civilians_injured,rationale\n"
            + rows
        ).encode(),
    )
    assert result.ok, result.errors


@pytest.fixture
def hub(reviewer):
    claim = ClaimFactory(claim_ref="CIV-HUB", belligerent=BelligerentFactory(name="Coalition"))
    claim.strikes.add(StrikeFactory(strike_ref="S-HUB"))
    assess(claim, "credible", D(2017, 3, 20))
    reopen(claim, D(2017, 3, 25))
    return claim


def pages(hub) -> dict[str, str]:
    """Every changelist; the change page of each model's first row (the hub's for the records);
    the history pages of the audited records; the index, the dashboard, the import page, the
    claim queue of all claims and the preview of a month's publication. Name -> URL."""
    first = {
        "claims.claim": hub,
        "claims.strike": Strike.objects.get(strike_ref="S-HUB"),
        "claims.belligerent": Belligerent.objects.get(name="Coalition"),
    }
    urls = {
        "index": reverse("admin:index"),
        "dashboard": reverse("claims_dashboard"),
        "import": reverse("claims_import"),
        "claims.claim all": reverse("admin:claims_claim_changelist") + "?status=all",
        "publish preview": reverse("admin:reports_monthpublication_publish") + "?period=2017-03",
    }
    for label, model_admin in sorted(registered().items()):
        opts = model_admin.model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        row = first.get(label) or model_admin.model.objects.order_by("pk").first()
        urls[f"{label} list"] = reverse(f"{name}_changelist")
        urls[f"{label} change"] = reverse(f"{name}_change", args=[row.pk])
        if isinstance(model_admin, AuditedAdmin):
            urls[f"{label} history"] = reverse(f"{name}_history", args=[row.pk])
    return urls


def measure(client, url: str) -> int:
    """The queries of the page's second request: the first fills the process's caches (content
    types, permissions), which earlier tests may or may not have filled."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def test_no_admin_page_queries_more_as_the_data_grows(client, hub, reviewer):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    grow(2, "A", hub=hub, reviewer=reviewer)
    urls = pages(hub)
    small = {name: measure(client, url) for name, url in urls.items()}
    grow(12, "B", hub=hub, reviewer=reviewer)
    grown = {name: measure(client, url) for name, url in urls.items()}
    assert {name: n for name, n in grown.items() if n > small[name]} == {}
    assert small == BUDGETS


def test_belligerent_counts_are_one_subquery_each_not_a_join_of_strikes_and_claims(client):
    """Counting both in one query joined every strike of a belligerent with every claim."""
    coalition = BelligerentFactory(name="Coalition")
    for _ in range(3):
        StrikeFactory(belligerent=coalition)
    ClaimFactory.create_batch(2, belligerent=coalition)
    ClaimFactory(belligerent=BelligerentFactory(name="Russia"))
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:claims_belligerent_changelist"), {"o": "-2"})
    cl = response.context["cl"]
    counts = [name for name in cl.list_display if name not in ("action_checkbox", "name")]
    rows = [(b.name, *(getattr(cl.model_admin, c)(b) for c in counts)) for b in cl.result_list]
    assert rows == [("Coalition", 3, 2), ("Russia", 0, 1)]
    [listing] = [
        q["sql"]
        for q in captured
        if 'FROM "claims_belligerent"' in q["sql"] and not q["sql"].startswith("SELECT COUNT(*)")
    ]
    assert "JOIN" not in listing.upper()

"""The admin's pages: the claim queue, the claim's page, history; their query counts do not grow
with the data."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim, Reopening
from tests.claims.admin_pages import claim_url
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    UserFactory,
    VictimFactory,
    assess,
    propose,
    reopen,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
LAT, LON = 36.34, 43.13  # Mosul


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def make_history(n):
    for i in range(n):
        claim = ClaimFactory(received_on=dt.date(2017, 3, 1 + i % 28))
        claim.strikes.add(StrikeFactory())
        VictimFactory(claim=claim)
        ExternalAssessmentFactory(claim=claim)
        assess(claim, "credible", dt.date(2017, 3, 28), civilians_killed=i)
        if i % 2:
            reopen(claim, dt.date(2017, 3, 29))
        services.claim_comment(claim=claim, author=UserFactory(is_superuser=True), body="Noted.")


@pytest.mark.parametrize(
    "model",
    ["claim", "strike", "assessment", "reopening", "externalassessment", "victim", "claimcomment"],
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, model
):
    url = reverse(f"admin:claims_{model}_changelist") + ("?status=all" if model == "claim" else "")
    make_history(3)
    with django_assert_max_num_queries(20) as small:
        assert admin_client.get(url).status_code == 200
    make_history(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    assert response.status_code == 200


# The queue -----------------------------------------------------------------------------------


def days_ago(days):
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def queue(reviewer):
    """Four claims: two open (one assigned to rita), one in Syria, one closed."""
    analyst = user_with_role("analyst", username="alice")
    old = ClaimFactory(
        claim_ref="CIV-OLD",
        received_on=days_ago(200),
        locality="al-Jadida",
        civilians_killed_min=100,
        civilians_killed_max=200,
    )
    services.claim_assign(claim=old, assignee=reviewer, by=reviewer)
    mid = ClaimFactory(claim_ref="CIV-MID", received_on=days_ago(100), source_type="media")
    services.claim_assign(claim=mid, assignee=analyst, by=reviewer)
    new = ClaimFactory(
        claim_ref="CIV-NEW",
        received_on=days_ago(10),
        country="SY",
        province="Raqqa",
        locality="Tabqa",
        summary="A bakery was hit during the morning queue.",
    )
    closed = ClaimFactory(claim_ref="CIV-DONE", received_on=days_ago(300))
    assess(closed)
    return old, mid, new, closed


def queue_refs(client, query=""):
    response = client.get(reverse("admin:claims_claim_changelist") + query)
    assert response.status_code == 200
    return [claim.claim_ref for claim in response.context["cl"].result_list]


def test_queue_shows_open_claims_oldest_first(rita, queue):
    response = rita.get(reverse("admin:claims_claim_changelist"))
    assert [c.claim_ref for c in response.context["cl"].result_list] == [
        "CIV-OLD",
        "CIV-MID",
        "CIV-NEW",
    ]
    content = response.content.decode()
    assert "<h1>Claim queue</h1>" in content
    old_row = content[content.index(">CIV-OLD<") : content.index(">CIV-MID<")]
    for cell in (
        f'<td class="field-received_on nowrap">{days_ago(200):%-d %b %Y}</td>',
        '<td class="field-days_open">200</td>',
        '<td class="field-place">al-Jadida, Ninawa</td>',
        '<td class="field-country">Iraq</td>',
        '<td class="field-killed_range">100–200</td>',
        '<span class="claim-stage stage-in_review">In review</span>',
        '<td class="field-assignee nowrap">rita</td>',
    ):
        assert cell in old_row


@pytest.mark.parametrize(
    "query, refs",
    [
        ("?status=closed", ["CIV-DONE"]),
        ("?status=all", ["CIV-DONE", "CIV-OLD", "CIV-MID", "CIV-NEW"]),
        ("?stage__exact=in_review", ["CIV-OLD", "CIV-MID"]),
        ("?stage__exact=new", ["CIV-NEW"]),
        ("?assigned=me", ["CIV-OLD"]),
        ("?assigned=nobody", ["CIV-NEW"]),
        ("?country=SY", ["CIV-NEW"]),
        ("?province__exact=Ninawa", ["CIV-OLD", "CIV-MID"]),
        ("?source_type__exact=media", ["CIV-MID"]),
        ("?age=30", ["CIV-OLD", "CIV-MID"]),
        ("?age=90", ["CIV-OLD", "CIV-MID"]),
        ("?age=180", ["CIV-OLD"]),
        ("?age=180&status=all", ["CIV-DONE", "CIV-OLD"]),
        ("?q=CIV-MID", ["CIV-MID"]),
        ("?q=jadida", ["CIV-OLD"]),
        ("?q=raqqa", ["CIV-NEW"]),
        ("?q=bakery", ["CIV-NEW"]),
        ("?o=3", ["CIV-NEW", "CIV-MID", "CIV-OLD"]),
    ],
)
def test_queue_filters_search_and_sorting(rita, queue, query, refs):
    assert queue_refs(rita, query) == refs


def test_queue_query_count_is_constant(rita, reviewer, django_assert_num_queries):
    # 1 session, 2 user, 3-4 the user's permissions (own, groups), 5 countries (filter),
    # 6 count of the filtered claims, 7 count of all claims, 8 the page of claims with their
    # assignee and belligerent, 9 provinces (filter)
    def grow(n):
        for i in range(n):
            claim = ClaimFactory(belligerent=BelligerentFactory(name=f"B{i}"))
            assignee = user_with_role("analyst", username=f"analyst{i}")
            services.claim_assign(claim=claim, assignee=assignee, by=reviewer)
            assess(ClaimFactory())

    grow(2)
    with django_assert_num_queries(9):
        assert len(queue_refs(rita)) == 2
    grow(40)
    with django_assert_num_queries(9):
        assert len(queue_refs(rita)) == 42


# The claim's page ----------------------------------------------------------------------------


def grow_claim_page(claim, reviewer, n):
    """n more of everything the claim's page shows: linked and nearby strikes (each of another
    belligerent), nearby claims, comments by several people, victims, outside findings,
    proposals returned, assessments and reopenings, and history rows."""
    analyst = user_with_role("analyst")
    for i in range(n):
        near = {"date": claim.incident_date, "latitude": LAT, "longitude": LON}
        belligerent = BelligerentFactory(name=f"Belligerent {claim.version}-{i}")
        services.claim_link_strike(
            claim=claim, strike=StrikeFactory(belligerent=belligerent, **near), by=reviewer
        )
        StrikeFactory(belligerent=belligerent, **near)
        ClaimFactory(incident_date=claim.incident_date, latitude=LAT, longitude=LON)
        services.claim_comment(claim=claim, author=user_with_role("analyst"), body=f"Note {i}.")
        services.claim_update(claim=claim, by=reviewer, expected_version=None, summary=f"{i}")
        VictimFactory(claim=claim)
        ExternalAssessmentFactory(claim=claim, organisation=f"Monitor {claim.version}-{i}")
        proposal = propose(claim, analyst, diligence=["site_visit"])
        services.assessment_return(assessment=proposal, by=reviewer, comment="More sources.")
        assess(claim, "non_credible", claim.received_on)
        reopen(claim, claim.received_on, by=reviewer)


def test_claim_page_query_count_is_constant(rita, reviewer, django_assert_num_queries):
    # 1 session, 2 user, 3 claim, 4-5 the user's permissions, 6 the belligerent (autocomplete),
    # 7 victims, 8 outside findings (inlines), 9 assessments with their author, decider and
    # duplicate, 10 reopenings with who reopened, 11 linked strikes with their belligerent,
    # 12 nearby strikes, 13 nearby claims, 14 comments with their author, 15 content type,
    # 16 users who can be assigned
    claim = ClaimFactory(
        incident_date=D(2017, 3, 5),
        received_on=D(2017, 3, 9),
        latitude=LAT,
        longitude=LON,
        belligerent=BelligerentFactory(),
    )
    for n in (1, 15):
        grow_claim_page(Claim.objects.get(pk=claim.pk), reviewer, n)
        ContentType.objects.clear_cache()
        with django_assert_num_queries(16):
            response = rita.get(claim_url(claim))
        assert response.status_code == 200
    context = response.context
    assert len(context["timeline"]) == 1 + 3 * 16
    assert (len(context["linked_strikes"]), len(context["comments"])) == (16, 16 + 16)
    # Nearby: the 20 nearest of 32 strikes, and the 16 other claims.
    assert (len(context["strike_candidates"]), len(context["duplicate_candidates"])) == (20, 16)


def test_claim_page_shows_the_timeline_in_order(rita, reviewer):
    analyst = user_with_role("analyst", username="alice")
    claim = ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 1))
    assess(
        claim,
        "non_credible",
        D(2017, 3, 2),
        reason="insufficient_information",
        rationale="Nothing in the logs.",
    )
    reopen(claim, D(2017, 3, 3), reason="A local journalist sent photographs.", by=reviewer)
    first = propose(
        claim, analyst, civilians_killed=4, civilians_injured=2, diligence=["site_visit"]
    )
    services.assessment_return(assessment=first, by=reviewer, comment="Ask the targeting cell.")
    propose(claim, analyst, rationale="The cell confirmed the strike.")

    response = rita.get(claim_url(claim))
    timeline = response.context["timeline"]
    assert [(e.kind, getattr(e.obj, "state", "")) for e in timeline] == [
        ("received", ""),
        ("assessment", "approved"),
        ("reopening", ""),
        ("assessment", "returned"),
        ("assessment", "proposed"),
    ]
    assert [e.on for e in timeline[:3]] == [D(2017, 3, 1), D(2017, 3, 2), D(2017, 3, 3)]
    assert timeline[3].diligence == ["Site visited"]
    content = response.content.decode().replace("&#x27;", "'")
    for text in (
        "Reason: Insufficient information",
        "Nothing in the logs.",
        "A local journalist sent photographs.",
        "By rita.",
        "Civilians killed: <strong>4</strong> · injured: <strong>2</strong>",
        "Proposed by alice, ",
        "Returned by rita, ",
        "<strong>Returned:</strong> Ask the targeting cell.",
        "The cell confirmed the strike.",
        "<strong>Credible</strong> proposed by alice",
    ):
        assert text in content, text
    # The status is derived: shown, not editable.
    assert 'name="status"' not in content


def test_timeline_follows_the_claims_history_not_the_import_order(rita):
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    first = assess(claim, "non_credible", D(2017, 3, 2))
    reopening = reopen(claim, D(2017, 3, 3))
    second = assess(claim, "credible", D(2017, 3, 4))
    # The importer writes a file's assessments before its reopenings.
    Reopening.objects.filter(pk=reopening.pk).update(
        created_at=second.created_at + dt.timedelta(seconds=1)
    )
    timeline = rita.get(claim_url(claim)).context["timeline"][1:]
    assert [event.obj for event in timeline] == [first, reopening, second]


# History and read-only records ---------------------------------------------------------------


def test_history_page_query_count_is_constant(rita, reviewer, django_assert_num_queries):
    # 1 session, 2 user, 3 claim, 4-5 permissions, 6 count and 7 page of history records
    # (with their user and belligerent), 8 content type of users
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_history", args=[claim.pk])
    for n in (1, 20):
        for i in range(n):
            services.claim_link_strike(claim=claim, strike=StrikeFactory(), by=reviewer)
            services.claim_update(claim=claim, by=reviewer, expected_version=None, summary=f"{i}")
        ContentType.objects.clear_cache()
        with django_assert_num_queries(8):
            response = rita.get(url)
        assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1 + 2 * 21


@pytest.mark.parametrize("model", ["claim", "strike", "assessment", "reopening", "claimcomment"])
def test_history_is_shown_and_never_reverted(admin_client, reviewer, model):
    claim = ClaimFactory(summary="First.")
    strike = StrikeFactory(target="Depot")
    assessment = assess(claim)
    reopening = reopen(claim, claim.received_on, by=reviewer)
    comment = services.claim_comment(claim=claim, author=reviewer, body="Seen.")
    services.claim_update(claim=claim, by=reviewer, expected_version=None, summary="Second.")
    obj = {
        "claim": claim,
        "strike": strike,
        "assessment": assessment,
        "reopening": reopening,
        "claimcomment": comment,
    }[model]
    history = admin_client.get(reverse(f"admin:claims_{model}_history", args=[obj.pk]))
    assert history.status_code == 200
    assert f"View history: {obj}" in history.content.decode()

    record = obj.history.earliest()
    url = reverse(f"admin:claims_{model}_simple_history", args=[obj.pk, record.history_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert admin_client.post(url, {"summary": "First."}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).summary == "Second."


def test_claim_history_names_who_did_what(rita, reviewer):
    claim = ClaimFactory()
    services.claim_link_strike(claim=claim, strike=StrikeFactory(strike_ref="S-9"), by=reviewer)
    services.claim_update(claim=claim, by=reviewer, expected_version=None, summary="Revised.")
    services.claim_assign(claim=claim, assignee=reviewer, by=reviewer)
    response = rita.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    records = [
        (r.history_user.username if r.history_user else None, r.history_change_reason, r.stage)
        for r in response.context["page_obj"]
    ]
    assert records == [
        ("rita", "Assigned to rita", "in_review"),
        ("rita", "Edited", "new"),
        ("rita", "Linked strike S-9", "new"),
        (None, None, "new"),
    ]
    # The workflow's fields, which simple_history does not diff, are columns of the page.
    assert response.context["history_list_display"] == ["status", "stage", "assignee", "version"]
    assert "<td>in_review</td>" in response.content.decode()


@pytest.mark.parametrize("state", ["approved", "proposed"])
def test_assessments_are_read_only_in_the_admin(admin_client, reviewer, state):
    claim = ClaimFactory()
    assessment = assess(claim) if state == "approved" else propose(claim, reviewer)
    rationale = assessment.rationale
    url = reverse("admin:claims_assessment_change", args=[assessment.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(url, {"rationale": "Changed."}).status_code == 403
    assert admin_client.get(reverse("admin:claims_assessment_add")).status_code == 403
    delete = reverse("admin:claims_assessment_delete", args=[assessment.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assessment.refresh_from_db()
    assert (assessment.state, assessment.rationale) == (state, rationale)
    assert claim.assessments.count() == 1


@pytest.mark.parametrize("model", ["reopening", "claimcomment"])
def test_reopenings_and_comments_are_read_only(admin_client, reviewer, model):
    claim = ClaimFactory()
    assess(claim)
    obj = (
        reopen(claim, claim.received_on)
        if model == "reopening"
        else services.claim_comment(claim=claim, author=reviewer, body="Seen.")
    )
    url = reverse(f"admin:claims_{model}_change", args=[obj.pk])
    assert 'name="_save"' not in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"reason": "Changed.", "body": "Changed."}).status_code == 403
    assert admin_client.get(reverse(f"admin:claims_{model}_add")).status_code == 403

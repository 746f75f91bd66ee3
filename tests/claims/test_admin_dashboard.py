"""The reviewers' dashboard: who may see it, what it counts, and its constant query count."""

import datetime as dt

import pytest
from django.urls import reverse

from claims import services
from claims.admin.dashboard import dashboard_data
from claims.definitions import Outcome
from tests.factories import ClaimFactory, assess, user_with_role

pytestmark = pytest.mark.django_db

URL = "/admin/claims/dashboard/"
TODAY = dt.date(2017, 4, 10)


def propose(claim, by):
    return services.assessment_propose(
        claim=claim,
        by=by,
        outcome=Outcome.NON_CREDIBLE,
        reason="insufficient_information",
        rationale="No strike records match.",
    )


def assign(claim, to, by):
    return services.claim_assign(claim=claim, assignee=to, by=by)


@pytest.fixture
def analyst():
    return user_with_role("analyst", username="anna")


def test_dashboard_route_is_the_named_url():
    assert reverse("claims_dashboard") == URL


def test_dashboard_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={URL}"


def test_dashboard_is_forbidden_without_a_role(client):
    client.force_login(user_with_role(None))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_dashboard_is_open_to_every_role(client, role):
    client.force_login(user_with_role(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert "<h1>Reviewer dashboard</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "dashboard", "upload"),
    [("analyst", True, True), ("publisher", True, False), (None, False, False)],
)
def test_admin_index_links_the_pages_the_user_may_open(client, role, dashboard, upload):
    client.force_login(user_with_role(role))

    content = client.get("/admin/").content.decode()

    assert ('<a href="/admin/claims/dashboard/">Reviewer dashboard</a>' in content) is dashboard
    assert ('<a href="/admin/claims/import/">Import a CSV file</a>' in content) is upload
    assert ("Reviewer workflow" in content) is dashboard


def test_open_claims_counted_by_stage_with_links_to_the_claim_list(client, reviewer, analyst):
    new, in_review, proposed, _, closed = ClaimFactory.create_batch(5)
    assign(in_review, analyst, reviewer)
    propose(proposed, analyst)
    assess(closed)
    client.force_login(reviewer)

    content = client.get(URL).content.decode()

    assert dashboard_data(reviewer)["stages"] == [
        {"label": "New", "count": 2, "url": "/admin/claims/claim/?stage=new"},
        {"label": "In review", "count": 1, "url": "/admin/claims/claim/?stage=in_review"},
        {"label": "Assessment proposed", "count": 1, "url": "/admin/claims/claim/?stage=proposed"},
    ]
    assert '<a href="/admin/claims/claim/?status=open"><span class="count">4</span>' in content
    assert (
        '<a href="/admin/claims/claim/?stage=in_review"><span class="count">1</span> in review'
        in content
    )


def test_oldest_open_claims_are_the_ten_received_first(reviewer, analyst):
    claims = [
        ClaimFactory(claim_ref=f"CIV-{day:02d}", received_on=dt.date(2017, 3, day))
        for day in range(12, 0, -1)
    ]
    assess(ClaimFactory(claim_ref="CIV-CLOSED", received_on=dt.date(2017, 2, 1)))
    oldest = claims[-1]  # received on 1 March
    assign(oldest, analyst, reviewer)

    rows = dashboard_data(reviewer, today=TODAY)["oldest"]

    assert [row["ref"] for row in rows] == [f"CIV-{day:02d}" for day in range(1, 11)]
    assert rows[0] == {
        "ref": "CIV-01",
        "url": f"/admin/claims/claim/{oldest.pk}/change/",
        "received_on": dt.date(2017, 3, 1),
        "days_open": 40,
        "place": "Mosul, Ninawa",
        "stage": "In review",
        "assignee": "anna",
    }
    assert rows[1]["assignee"] == ""


def test_my_queue_lists_only_my_open_claims(client, reviewer, analyst):
    mine = ClaimFactory(claim_ref="CIV-MINE", received_on=dt.date(2017, 3, 2))
    proposed = ClaimFactory(claim_ref="CIV-MINE-PROPOSED", received_on=dt.date(2017, 3, 1))
    theirs = ClaimFactory(claim_ref="CIV-THEIRS")
    closed = ClaimFactory(claim_ref="CIV-MINE-CLOSED")
    for claim in (mine, proposed, closed):
        assign(claim, reviewer, analyst)
    assign(theirs, analyst, reviewer)
    propose(proposed, reviewer)
    propose(closed, reviewer)
    services.assessment_approve(
        assessment=closed.assessments.get(), by=user_with_role("reviewer", username="rob")
    )
    client.force_login(reviewer)

    data = dashboard_data(reviewer)
    content = client.get(URL).content.decode()

    assert [row["ref"] for row in data["my_queue"]] == ["CIV-MINE-PROPOSED", "CIV-MINE"]
    assert data["my_queue_total"] == 2
    assert "My queue: 2 open claims assigned to me" in content


def test_proposals_waiting_are_those_of_others_oldest_first(client, reviewer, analyst):
    other = user_with_role("reviewer", username="rob")
    first, second, own = (ClaimFactory(claim_ref=ref) for ref in ("CIV-A", "CIV-B", "CIV-OWN"))
    propose(second, other)
    propose(first, analyst)
    propose(own, reviewer)
    first.assessments.update(proposed_at=dt.datetime(2017, 4, 1, 12, tzinfo=dt.UTC))
    second.assessments.update(proposed_at=dt.datetime(2017, 4, 8, 12, tzinfo=dt.UTC))
    client.force_login(reviewer)

    data = dashboard_data(reviewer, today=TODAY)
    content = client.get(URL).content.decode()

    assert data["proposals"] == [
        {
            "ref": "CIV-A",
            "url": f"/admin/claims/claim/{first.pk}/change/",
            "outcome": "Non-credible",
            "author": "anna",
            "proposed_at": dt.datetime(2017, 4, 1, 12, tzinfo=dt.UTC),
            "days_waiting": 9,
        },
        {
            "ref": "CIV-B",
            "url": f"/admin/claims/claim/{second.pk}/change/",
            "outcome": "Non-credible",
            "author": "rob",
            "proposed_at": dt.datetime(2017, 4, 8, 12, tzinfo=dt.UTC),
            "days_waiting": 2,
        },
    ]
    assert data["proposals_total"] == 2
    assert "Proposals waiting for me: 2" in content
    assert "CIV-OWN" not in content.split('id="proposals-waiting"')[1]


@pytest.mark.parametrize("role", ["analyst", "publisher"])
def test_proposals_are_not_shown_to_those_who_cannot_approve(client, analyst, role):
    propose(ClaimFactory(), analyst)
    user = user_with_role(role)
    client.force_login(user)

    content = client.get(URL).content.decode()

    assert dashboard_data(user)["proposals"] == []
    assert "Proposals waiting for me" not in content


def test_closed_per_month_counts_approved_assessments_of_the_latest_twelve_months(reviewer):
    # Thirteen months with closures, July 2016 to August 2017 but February 2017.
    firsts = [dt.date(2016, month, 1) for month in range(7, 13)]
    firsts += [dt.date(2017, month, 1) for month in range(1, 9) if month != 2]
    for first in firsts:
        assess(ClaimFactory(received_on=first), Outcome.CREDIBLE, first)
    march = [ClaimFactory(received_on=dt.date(2017, 3, 1)) for _ in range(3)]
    assess(march[0], Outcome.NON_CREDIBLE, dt.date(2017, 3, 5))
    assess(march[1], Outcome.DUPLICATE, dt.date(2017, 3, 20), duplicate_of=march[2])
    propose(ClaimFactory(received_on=dt.date(2017, 3, 1)), reviewer)  # proposals do not count

    months = dashboard_data(reviewer)["months"]

    assert [m["month"].isoformat()[:7] for m in months] == [
        "2016-08", "2016-09", "2016-10", "2016-11", "2016-12", "2017-01",
        "2017-03", "2017-04", "2017-05", "2017-06", "2017-07", "2017-08",
    ]  # fmt: skip
    assert months[6] == {
        "month": dt.date(2017, 3, 1),
        "closed": 3,
        "credible": 1,
        "non_credible": 1,
        "duplicate": 1,
        "percent": 100,
    }
    assert (months[0]["closed"], months[0]["credible"], months[0]["percent"]) == (1, 1, 33)


def make_workload(count, reviewer, analyst):
    """`count` claims at each stage, all with different dates and places."""
    for i in range(count):
        day = dt.date(2016 + i // 12, 1 + i % 12, 1 + i % 28)
        new, in_review, proposed, closed = ClaimFactory.create_batch(
            4, received_on=day, locality=f"Village {i}"
        )
        assign(in_review, reviewer, analyst)
        assign(proposed, analyst, reviewer)
        propose(proposed, analyst)
        assess(closed, on=day)


def test_dashboard_query_count_does_not_grow_with_data(
    client, reviewer, analyst, django_assert_max_num_queries
):
    # 1 session, 2 user, 3-4 permissions (user's, groups'), 5 counts by stage, 6 oldest open,
    # 7 my queue, 8 closures per month, 9 proposals waiting, 10 how many (9-10 reviewers only).
    client.force_login(reviewer)
    make_workload(2, reviewer, analyst)
    with django_assert_max_num_queries(10) as small:
        assert client.get(URL).status_code == 200
    make_workload(30, reviewer, analyst)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Proposals waiting for me: 32" in content
    assert "My queue: 32 open claims assigned to me" in content
    assert '<a href="/admin/claims/claim/?status=open&amp;assigned=me">see all 32</a>' in content

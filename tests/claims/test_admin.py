"""The admin's list and detail pages: they render, and their query counts do not grow with data."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import (
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    UserFactory,
    VictimFactory,
    assess,
    reopen,
)

pytestmark = pytest.mark.django_db


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


def count_queries(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "model", ["claim", "strike", "assessment", "reopening", "externalassessment", "victim"]
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, model
):
    url = reverse(f"admin:claims_{model}_changelist")
    make_history(3)
    with django_assert_max_num_queries(20) as small:
        assert admin_client.get(url).status_code == 200
    make_history(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    assert response.status_code == 200


def test_claim_changelist_shows_place_range_and_status(admin_client):
    ClaimFactory(
        claim_ref="CIV-MOSUL-1",
        locality="al-Jadida",
        province="Ninawa",
        civilians_killed_min=100,
        civilians_killed_max=200,
    )
    content = admin_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "CIV-MOSUL-1" in content
    assert "al-Jadida, Ninawa" in content
    assert "100–200" in content
    assert "Open" in content


def test_claim_change_page_shows_history_read_only(admin_client, django_assert_max_num_queries):
    claim = ClaimFactory(received_on=dt.date(2017, 3, 1))
    assess(claim, "non_credible", dt.date(2017, 3, 2), reason="insufficient_information")
    reopen(claim, dt.date(2017, 3, 3), reason="A local journalist sent photographs.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = count_queries(admin_client, url, django_assert_max_num_queries, 40)
    content = response.content.decode()
    assert "A local journalist sent photographs." in content
    assert "insufficient_information" in content or "Insufficient information" in content
    # The status is derived, shown but not editable.
    assert 'name="status"' not in content


def test_assessments_cannot_be_added_or_deleted_in_the_admin(admin_client):
    claim = ClaimFactory()
    assessment = assess(claim)
    assert admin_client.get(reverse("admin:claims_assessment_add")).status_code == 403
    delete = reverse("admin:claims_assessment_delete", args=[assessment.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert claim.assessments.count() == 1

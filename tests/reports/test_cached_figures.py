"""Figures computed once per change: the report pages and API are read back from the cache
(0 queries) until a write, and then show the new figures, whatever wrote: each kind of write has
its test, which warms the cache on the campaign (tests.worlds.campaign: received 5, credible 2,
open 1, 3 strikes of 1,203 engagements), writes, and reads what a reader sees."""

import datetime as dt

import pytest
from django.test import Client

from claims import services
from claims.importers import import_csv
from claims.models import Strike
from reports.publishing import month_publish
from tests.claims.admin_pages import change_form_data, claim_url
from tests.claims.csv_files import STRIKES_HEADER, strike_rows, write_csv
from tests.factories import BelligerentFactory, assess, propose, reopen, user_with_role
from tests.worlds import campaign

from .page_factories import page_text

pytestmark = pytest.mark.django_db

D = dt.date
SUMMARY = "/api/v1/reports/summary/"
MARCH = "/api/v1/reports/monthly/2017-03/"
# Read before every write (the cache warm) and after it (the new figures).
WARMED = (SUMMARY, MARCH, "/api/v1/reports/monthly/", "/api/v1/reports/comparison/", "/")


@pytest.fixture
def world(client, django_assert_num_queries):
    """The campaign, with every report answer cached: read again, they cost no query."""
    world = campaign()
    for path in WARMED:
        client.get(path)
    with django_assert_num_queries(0):
        for path in WARMED:
            assert client.get(path).status_code == 200
    return world


def summary(client) -> dict:
    return client.get(SUMMARY).json()


def test_a_claim_recorded_through_the_service(client, world, analyst):
    services.claim_create(
        by=analyst,
        claim_ref="CIV-F",
        received_on=D(2017, 3, 20),
        incident_date=D(2017, 3, 18),
        country="IQ",
        source_type="media",
    )
    assert (summary(client)["received"], summary(client)["open"]) == (6, 2)
    assert client.get(MARCH).json()["received"] == 3


def test_a_claim_edited(client, world, analyst):
    services.claim_update(
        claim=world.c, by=analyst, expected_version=world.c.version, received_on=D(2017, 3, 1)
    )
    assert client.get(MARCH).json()["received"] == 3
    assert client.get("/api/v1/reports/monthly/2017-01/").json()["received"] == 0


def test_a_strike_recorded(client, world, analyst):
    services.strike_create(
        by=analyst,
        strike_ref="S-4",
        date=D(2017, 3, 5),
        country="IQ",
        belligerent=BelligerentFactory(name="Coalition"),
        engagements=7,
    )
    assert (summary(client)["strikes"], summary(client)["engagements"]) == (4, 1_210)


def test_a_strike_edited(client, world, analyst):
    services.strike_update(strike=Strike.objects.get(strike_ref="S-2"), by=analyst, engagements=8)
    assert summary(client)["engagements"] == 1_210


def test_an_assessment_recorded(client, world):
    assess(world.c, "credible", D(2017, 7, 1), civilians_killed=2, civilians_injured=0)
    assert (summary(client)["credible"], summary(client)["civilians_killed"]) == (3, 9)


def test_an_assessment_proposed_then_approved(client, world, analyst, reviewer):
    proposal = propose(world.c, by=analyst, civilians_killed=2)
    assert summary(client)["credible"] == 2  # a proposal counts for nothing
    services.assessment_approve(assessment=proposal, by=reviewer)
    assert (summary(client)["credible"], summary(client)["civilians_killed"]) == (3, 9)


def test_a_reopening(client, world):
    reopen(world.a, D(2017, 7, 1))
    assert summary(client)["open"] == 2


def test_an_import_of_strikes(client, world, tmp_path):
    import_csv("strikes", write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(2)))
    assert (summary(client)["strikes"], summary(client)["engagements"]) == (5, 1_205)


def test_an_import_of_claims(client, world, tmp_path):
    path = write_csv(
        tmp_path,
        "claims.csv",
        "claim_ref,received_on,incident_date,country,source_type\n"
        "CIV-F,2017-03-20,2017-03-18,IQ,media\n",
    )
    assert import_csv("claims", path).errors == []
    assert summary(client)["received"] == 6
    assert client.get(MARCH).json()["received"] == 3


def test_an_import_of_assessments(client, world, tmp_path):
    path = write_csv(
        tmp_path,
        "assessments.csv",
        "claim_ref,assessed_on,outcome,civilians_killed,civilians_injured,rationale\n"
        "CIV-C,2017-07-01,credible,2,0,Strike confirmed.\n",
    )
    assert import_csv("assessments", path).errors == []
    assert (summary(client)["credible"], summary(client)["civilians_killed"]) == (3, 9)


def test_an_import_of_external_assessments(client, world, tmp_path):
    path = write_csv(
        tmp_path,
        "external.csv",
        "claim_ref,organisation,grade,civilians_killed_min,civilians_killed_max\n"
        "CIV-A,Amnesty International,confirmed,3,3\n",
    )
    assert import_csv("external_assessments", path).errors == []
    comparison = client.get("/api/v1/reports/comparison/").json()
    assert "Amnesty International" in [row["organisation"] for row in comparison["organisations"]]


def test_an_assessment_batch_approved(client, world, reviewer):
    data = (
        b"claim_ref,assessed_on,outcome,civilians_killed,civilians_injured,rationale\n"
        b"CIV-C,2017-07-01,credible,2,0,Strike confirmed.\n"
    )
    batch, result = services.assessment_batch_upload(by=reviewer, file_name="a.csv", data=data)
    assert result.ok
    assert summary(client)["credible"] == 2  # pending: counts for nothing
    services.assessment_batch_approve(batch=batch, by=user_with_role("reviewer", "victor"))
    assert (summary(client)["credible"], summary(client)["civilians_killed"]) == (3, 9)


def test_a_month_published(client, world, publisher):
    assert "Provisional" in page_text(client.get("/reports/2017/03/"))
    month_publish(period="2017-03", by=publisher)
    assert "Published" in page_text(client.get("/reports/2017/03/"))
    assert "Provisional" not in page_text(client.get("/reports/2017/03/"))


def test_an_inline_saved_in_the_admin(world, rita):
    reader = Client()
    before = reader.get("/claims/CIV-A/")
    assert "Ahmed Khalil" not in page_text(before)
    data = change_form_data(rita.get(claim_url(world.a)))
    data |= {"victims-TOTAL_FORMS": "1", "victims-0-name": "Ahmed Khalil"}
    data |= {"victims-0-harm": "killed", "victims-0-public": "on", "victims-0-sex": "male"}
    data |= {"victims-0-claim": str(world.a.pk)}
    assert rita.post(claim_url(world.a), data).status_code == 302
    after = reader.get("/claims/CIV-A/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert "Ahmed Khalil" in page_text(after)


def test_a_delete(client, world):
    Strike.objects.filter(strike_ref="S-2").delete()
    assert (summary(client)["strikes"], summary(client)["engagements"]) == (2, 1_202)

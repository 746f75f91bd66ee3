"""The Atom feeds: claims closed (claims/feeds.py) and monthly reports published or revised
(reports/feeds.py), and the pages that link to them."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from reports.publishing import month_publish
from tests.factories import ClaimFactory, assess
from tests.worlds import late_assessment_of_civ_0202

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # parses as XML, whose root is an Atom feed
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}id").text
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.find(f"{ATOM}id").text,
            "updated": entry.find(f"{ATOM}updated").text,
            "summary": entry.find(f"{ATOM}summary").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_closed_claims_feed_has_an_entry_per_closing_newest_first(client, world):
    found = entries(client, "/claims/feed.atom")
    assert [(e["title"], e["link"], e["updated"][:10]) for e in found] == [
        ("Claim CIV-E closed: credible", "http://testserver/claims/CIV-E/#event-3", "2017-06-01"),
        (
            "Claim CIV-B closed: non-credible",
            "http://testserver/claims/CIV-B/#event-1",
            "2017-05-01",
        ),
        ("Claim CIV-D closed: duplicate", "http://testserver/claims/CIV-D/#event-1", "2017-03-25"),
        ("Claim CIV-A closed: credible", "http://testserver/claims/CIV-A/#event-1", "2017-03-20"),
        ("Claim CIV-E closed: credible", "http://testserver/claims/CIV-E/#event-1", "2017-02-10"),
    ]
    assert len({e["id"] for e in found}) == 5
    assert found[2]["summary"].startswith(
        "<p>Civilian harm alleged in Mosul, Ninawa on 2017-03-10.</p>"
    )
    assert "<p>Duplicate of CIV-A.</p>" in found[2]["summary"]
    assert found[0]["summary"] == (
        "<p>Civilian harm alleged in Ramadi, Anbar on 2017-01-27.</p>"
        "<p>Civilians killed: 4; injured: 2.</p><p>Assessed from the strike records.</p>"
    )


def test_a_rationale_is_text_in_the_feed_never_markup(client, world):
    claim = ClaimFactory(claim_ref="CIV-X", received_on=date(2017, 7, 1))
    assess(claim, "non_credible", date(2017, 7, 2), reason="other", rationale="<b>x</b> & y")
    summary = entries(client, "/claims/feed.atom")[0]["summary"]
    assert summary.endswith("<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>")


def test_closed_claims_feed_query_count_is_constant(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):  # the assessments with their claims, in one query
        client.get("/claims/feed.atom")


def test_months_feed_has_an_entry_per_revision(client, march_2017, publisher):
    assert entries(client, "/reports/feed.atom") == []
    month_publish(period="2017-03", by=publisher, note="Internal note, not in the feed.")
    late_assessment_of_civ_0202()
    second = month_publish(period="2017-03", by=publisher)
    found = entries(client, "/reports/feed.atom")
    assert [(e["title"], e["link"], e["id"]) for e in found] == [
        (
            "Report for March 2017 revised: revision 2",
            "http://testserver/reports/2017/03/",
            "http://testserver/reports/2017/03/#revision-2",
        ),
        (
            "Report for March 2017 published",
            "http://testserver/reports/2017/03/",
            "http://testserver/reports/2017/03/#revision-1",
        ),
    ]
    assert datetime.fromisoformat(found[0]["updated"]) == second.published_at
    assert all("Internal note" not in e["summary"] and "paula" not in e["summary"] for e in found)


def test_months_feed_query_count_is_constant(
    client, march_2017, publisher, django_assert_num_queries
):
    month_publish(period="2017-03", by=publisher)
    with django_assert_num_queries(1):
        client.get("/reports/feed.atom")


FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"')


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/claims/", "/claims/feed.atom"),
        ("/claims/CIV-A/", "/claims/feed.atom"),
        ("/reports/", "/reports/feed.atom"),
        ("/reports/2017/03/", "/reports/feed.atom"),
    ],
)
def test_pages_link_to_the_feed_they_follow(client, world, page, feed):
    text = client.get(page).content.decode()
    assert FEED_LINK.findall(text) == [feed]
    assert f'<a href="{feed}"' in text  # a visible link too (not only for feed readers)

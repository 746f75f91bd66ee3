"""The public claims list (/claims/): the API's filters, search and ordering, their errors,
pagination, the downloads, and the query budget."""

import datetime as dt
import html
import re

import pytest

from claims.models import Claim
from tests.factories import (
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    VictimFactory,
    assess,
)

from .page_factories import ROW, grow, listed, section, text, visible

pytestmark = pytest.mark.django_db

URL = "/claims/"


def api_refs(client, params: dict) -> list[str]:
    response = client.get("/api/v1/claims/", {**params, "page_size": 1000})
    assert response.status_code == 200, response.content
    return [row["claim_ref"] for row in response.json()["results"]]


def test_list_shows_every_claim_newest_received_first_with_its_finding(client, pages_world):
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == ["CIV-F", "CIV-B", "CIV-D", "CIV-A", "CIV-E", "CIV-C"]
    page = text(response)
    assert "6 claims</h2>" in page
    rows = {row.claim.claim_ref: row for row in response.context["rows"]}
    shown = {ref: (row.finding.label, row.finding.detail) for ref, row in rows.items()}
    assert shown == {
        "CIV-A": ("Credible", "3 civilians killed, 1 civilian injured"),
        "CIV-B": ("Non-credible", "No civilian harm found"),
        "CIV-C": ("Not yet assessed", ""),
        "CIV-D": ("Duplicate", ""),
        "CIV-E": ("Credible", "4 civilians killed, 2 civilians injured"),
        "CIV-F": ("Reopened", "under re-assessment; was non-credible"),
    }
    # Alleged killed as a range with thousands separators, dates unambiguous.
    assert [rows[ref].alleged_killed for ref in ("CIV-A", "CIV-B", "CIV-C", "CIV-E", "CIV-F")] == [
        "2–5",
        "10–1,200",
        "1",
        "unknown",
        "at least 4",
    ]
    assert '<time datetime="2017-04-02">2 Apr 2017</time>' in page
    assert '<a href="/claims/CIV-B/">CIV-B</a>' in page


# parameter -> value, and the claims the API (and so the page) returns, in the default order.
FILTERS = [
    # B's summary, and E's public rationale (the search reads approved rationales: claims.search)
    ({"search": "hospital"}, ["CIV-B", "CIV-E"]),
    ({"search": "ramadi"}, ["CIV-E"]),
    ({"country": "SY"}, ["CIV-F", "CIV-B", "CIV-C"]),
    ({"province": "ninawa"}, ["CIV-D", "CIV-A"]),
    ({"outcome": "credible"}, ["CIV-A", "CIV-E"]),
    ({"outcome": "non_credible"}, ["CIV-F", "CIV-B"]),
    ({"status": "open"}, ["CIV-F", "CIV-C"]),
    ({"status": "closed", "outcome": "non_credible"}, ["CIV-B"]),
    ({"source_type": "media"}, ["CIV-B"]),
    ({"incident_date_after": "2017-03-04"}, ["CIV-F", "CIV-B", "CIV-D", "CIV-A"]),
    ({"incident_date_before": "2017-03-04"}, ["CIV-A", "CIV-E", "CIV-C"]),
    (
        {"received_on_after": "2017-03-09", "received_on_before": "2017-04-10"},
        ["CIV-B", "CIV-D", "CIV-A"],
    ),
    ({"killed_min": "4"}, ["CIV-F", "CIV-B"]),
    ({"killed_max": "1"}, ["CIV-C"]),
    ({"belligerent": "RUSSIA"}, ["CIV-C"]),
    ({"country": "IQ", "outcome": "credible", "incident_date_after": "2017-02-01"}, ["CIV-A"]),
    ({"country": "SY", "outcome": "credible"}, []),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_each_filter_narrows_the_list_as_the_api_does(client, pages_world, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert listed(response) == expected
    assert api_refs(client, params) == expected
    count = f"{len(expected)} claim{'' if len(expected) == 1 else 's'}"
    assert f"{count} match{'es' if len(expected) == 1 else ''} these filters</h2>" in text(response)


def test_belligerent_given_by_id_filters_and_stays_selected(client, pages_world):
    response = client.get(URL, {"belligerent": str(pages_world.russia.pk)})
    assert listed(response) == ["CIV-C"]
    assert f'<option value="{pages_world.russia.pk}" selected>' in text(response)


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-received_on", ["CIV-F", "CIV-B", "CIV-D", "CIV-A", "CIV-E", "CIV-C"]),
        ("received_on", ["CIV-C", "CIV-E", "CIV-A", "CIV-D", "CIV-B", "CIV-F"]),
        ("-incident_date", ["CIV-F", "CIV-B", "CIV-D", "CIV-A", "CIV-E", "CIV-C"]),
        ("incident_date", ["CIV-C", "CIV-E", "CIV-A", "CIV-D", "CIV-B", "CIV-F"]),
        # Unknown maxima sort last.
        ("-civilians_killed_max", ["CIV-B", "CIV-D", "CIV-A", "CIV-C", "CIV-F", "CIV-E"]),
        ("-assessed_on", ["CIV-E", "CIV-F", "CIV-B", "CIV-D", "CIV-A", "CIV-C"]),
    ],
)
def test_ordering_choices_sort_as_the_api_does(client, pages_world, ordering, expected):
    response = client.get(URL, {"ordering": ordering})
    assert listed(response) == expected
    assert api_refs(client, {"ordering": ordering}) == expected
    assert f'<option value="{ordering}" selected>' in text(response)


def test_form_keeps_the_current_values(client, pages_world):
    response = client.get(
        URL,
        {
            "search": "hospital",
            "country": "SY",
            "province": "Raqqa",
            "outcome": "non_credible",
            "incident_date_after": "2017-01-01",
            "killed_min": "5",
            "ordering": "incident_date",
        },
    )
    page = text(response)
    assert listed(response) == ["CIV-B"]
    assert 'name="search" type="search" value="hospital"' in page
    assert '<option value="SY" selected>Syria</option>' in page
    assert 'name="province" type="text" value="Raqqa"' in page
    assert '<option value="non_credible" selected>Non-credible</option>' in page
    assert 'name="incident_date_after" type="date" value="2017-01-01"' in page
    assert 'name="killed_min" type="number" value="5"' in page
    assert '<option value="incident_date" selected>Earliest incident first</option>' in page
    assert '<label for="id_killed_min">At least</label>' in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"country": "XX"},
            "Country",
            "Select a valid choice. XX is not one of the available choices.",
        ),
        ({"incident_date_after": "09/03/2017"}, "Incident from", "Enter a valid date."),
        ({"killed_min": "-1"}, "At least", "Ensure this value is greater than or equal to 0."),
        (
            {"outcome": "maybe"},
            "Outcome",
            "Select a valid choice. maybe is not one of the available choices.",
        ),
        ({"ordering": "colour"}, "Sort by", "Unknown ordering 'colour'."),
        ({"colour": "red"}, "colour", "Unknown filter “colour”."),
        ({"page": "0"}, "page", "The page must be a whole number from 1, not “0”."),
    ],
)
def test_bad_filter_value_is_a_400_with_the_message(client, pages_world, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    page = text(response)
    assert "These filters could not be applied" in page
    assert re.search(rf">{re.escape(field)}</a>: {re.escape(message)}", page) or (
        f"<li>{field}: {message}" in page
    ), page
    assert listed(response) == []


def test_bad_value_is_shown_as_typed_beside_its_error(client, pages_world):
    response = client.get(URL, {"incident_date_after": "2017-02-30", "country": "SY"})
    page = text(response)
    assert response.status_code == 400
    assert 'name="incident_date_after" type="text" value="2017-02-30"' in page
    assert 'aria-invalid="true" aria-describedby="hint_incident_date_after error_incident' in page
    assert '<span class="hint" id="hint_incident_date_after">As YYYY-MM-DD, e.g. 2017-03-09' in page
    assert '<option value="SY" selected>Syria</option>' in page


def test_the_api_refuses_the_same_bad_values(client, pages_world):
    for params in ({"country": "XX"}, {"killed_min": "-1"}, {"ordering": "colour"}):
        assert client.get("/api/v1/claims/", params).status_code == 400
        assert client.get(URL, params).status_code == 400


def test_empty_values_count_as_not_given(client, pages_world):
    blank = dict.fromkeys(("search", "country", "outcome", "killed_min", "incident_date_after"), "")
    response = client.get(URL, blank)
    assert response.status_code == 200
    assert len(listed(response)) == 6


def test_pages_of_fifty_keep_the_filters(client, pages_world):
    for n in range(120):
        ClaimFactory(claim_ref=f"P-{n:03d}", received_on=dt.date(2018, 1, 1) + dt.timedelta(n))
    first = client.get(URL, {"country": "IQ"})
    assert len(listed(first)) == 50
    assert "123 claims match these filters</h2>" in text(first)
    assert "Showing 1–50, newest received first." in text(first)
    assert '<a rel="next" href="?country=IQ&amp;page=2">' in first.content.decode()
    second = client.get(URL, {"country": "IQ", "page": "2"})
    api = client.get("/api/v1/claims/", {"country": "IQ", "page": "2"}).json()
    assert listed(second) == [row["claim_ref"] for row in api["results"]]
    assert 'aria-current="page" href="?country=IQ&amp;page=2">' in second.content.decode()
    last = client.get(URL, {"country": "IQ", "page": "3"})
    assert len(listed(last)) == 23
    assert listed(last)[-4:] == ["P-000", "CIV-D", "CIV-A", "CIV-E"]
    assert "Showing 101–123" in text(last)
    assert client.get(URL, {"country": "IQ", "page": "4"}).status_code == 404


def test_count_has_thousands_separators(client):
    Claim.objects.bulk_create(
        Claim(
            claim_ref=f"BULK-{n}",
            received_on=dt.date(2017, 1, 1),
            incident_date=dt.date(2017, 1, 1),
            country="IQ",
            source_type="media",
        )
        for n in range(1234)
    )
    response = client.get(URL)
    assert "1,234 claims</h2>" in text(response)
    assert "Showing 1–50" in text(response)
    assert '<a href="?page=25"><span class="visually-hidden">Page </span>25</a>' in text(response)


def test_downloads_are_the_api_exports_of_the_same_claims(client, pages_world):
    params = {"country": "SY", "ordering": "incident_date"}
    response = client.get(URL, params)
    links = response.context["downloads"]
    assert links == {
        "csv": "/api/v1/claims/?country=SY&ordering=incident_date&format=csv",
        "geojson": "/api/v1/claims/?country=SY&ordering=incident_date&format=geojson",
        "json": "/api/v1/claims/?country=SY&ordering=incident_date",
    }
    assert 'href="/api/v1/claims/?country=SY&amp;ordering=incident_date&amp;format=csv"' in (
        response.content.decode()
    )
    csv = b"".join(client.get(links["csv"]).streaming_content).decode().splitlines()
    assert [line.split(",")[0] for line in csv[1:]] == ["CIV-C", "CIV-B", "CIV-F"]
    assert listed(response) == ["CIV-C", "CIV-B", "CIV-F"]
    assert response.context["map_url"] == "/map/?country=SY"


def test_ref_that_needs_quoting_links_to_its_page(client, pages_world):
    # Refs cannot contain "/" (constraint), but may hold spaces, "#", "?" and "&".
    ClaimFactory(claim_ref="IQ 2017 #5?x=1&y", received_on=dt.date(2019, 1, 1))
    response = client.get(URL)
    url, ref = ROW.findall(response.content.decode())[0]
    assert (html.unescape(url), html.unescape(ref)) == (
        "/claims/IQ%202017%20%235%3Fx=1&y/",
        "IQ 2017 #5?x=1&y",
    )
    page = client.get(html.unescape(url))
    assert page.status_code == 200
    assert "<h1" in page.content.decode() and "IQ 2017 #5?x=1&amp;y</h1>" in page.content.decode()


def test_list_query_count_is_constant(client, pages_world, django_assert_num_queries):
    # 1 countries and provinces on record (the form's choices), 2 belligerents (the form),
    # 3 COUNT of the filtered claims, 4 the page of claims with their latest approved finding
    # (subqueries) and belligerent (joined). The strikes prefetch of the API rows is dropped.
    with django_assert_num_queries(4):
        small = client.get(URL, {"country": "IQ"})
    grow(30)
    with django_assert_num_queries(4):
        large = client.get(URL, {"country": "IQ"})
    assert (len(listed(small)), len(listed(large))) == (3, 39)
    # An error answers from the form's choices alone.
    with django_assert_num_queries(2):
        assert client.get(URL, {"country": "XX"}).status_code == 400


# --- one claim: /claims/<ref>/ ----------------------------------------------------------------


def test_claim_page_shows_what_was_alleged_and_the_current_finding(client, pages_world):
    response = client.get("/claims/CIV-A/")
    assert response.status_code == 200
    alleged = section(response, "alleged-title")
    assert alleged == (
        "What was alleged Incident date 4 Mar 2017 Received 9 Mar 2017 Place "
        "Mosul, Ninawa, Iraq Source type NGO or monitor Source Airwars Civilians killed 2–5, of "
        "whom 1 child Civilians injured unknown Suspected belligerent Coalition Summary "
        "Residents reported a family killed when an airstrike hit their house."
    )
    assert '<a href="https://example.org/report-a" rel="noopener nofollow">Airwars</a>' in (
        response.content.decode()
    )
    assert "Current official finding Credible 3 civilians killed, 1 civilian injured" in visible(
        response.content.decode()
    )
    strikes = section(response, "strikes-title")
    assert strikes.endswith(
        "S-1 4 Mar 2017 Mosul, Ninawa Coalition ISIS fighting position F-15E / GBU-38 2"
    )


def test_claim_page_history_is_every_approved_event_in_order(client, pages_world):
    response = client.get("/claims/CIV-E/")
    history = [(event.kind, event.on, event.sequence) for event in response.context["history"]]
    assert history == [
        ("assessment", dt.date(2017, 2, 10), 1),
        ("reopening", dt.date(2017, 3, 1), 2),
        ("assessment", dt.date(2017, 6, 1), 3),
    ]
    shown = section(response, "history-title")
    first, reopened, second = (
        shown.index("Assessed Credible 10 Feb 2017"),
        shown.index("Reopened 1 Mar 2017 New information: A hospital list names four dead."),
        shown.index("Assessed Credible 1 Jun 2017 4 civilians killed, 2 civilians injured."),
    )
    assert first < reopened < second
    # The diligence checklist: every step, done or not.
    assert (
        "Four names on the hospital list match the strike. What this assessment did: 1 of 7 "
        in (shown)
    )
    assert "✓ Witnesses interviewed: done ✗ Site visited: not done" in shown


def test_claim_page_of_a_reopened_claim_says_it_is_open(client, pages_world):
    response = client.get("/claims/CIV-F/")
    page = visible(response.content.decode())
    assert "Current official finding Reopened under re-assessment; was non-credible" in page
    assert "The claim is open: reopened on new information, it will be assessed again." in page
    assert "Reason: Insufficient information." in section(response, "history-title")


def test_claim_page_duplicates_link_both_ways(client, pages_world):
    duplicate = client.get("/claims/CIV-D/")
    assert 'Duplicate of</span> <a href="/claims/CIV-A/">CIV-A</a>' in duplicate.content.decode()
    original = client.get("/claims/CIV-A/")
    assert section(original, "duplicates-title") == (
        "Other reports of this incident CIV-D, assessed as a duplicate of "
        "this claim on 25 Mar 2017."
    )


def test_claim_page_independent_findings_and_published_victims_only(client, pages_world):
    VictimFactory(claim=pages_world.a, name="Private Person", public=False)
    response = client.get("/claims/CIV-A/")
    assert section(response, "external-title").endswith(
        "Organisation Grade Civilians killed Date Airwars Fair 2–5 — "
        "The New York Times Confirmed 3 16 Nov 2017"
    )
    victims = section(response, "victims-title")
    assert victims.endswith("Name Age Sex Harm Published Person 40 Male Killed")
    assert "Private Person" not in text(response)


def test_claim_page_of_an_unassessed_claim_without_coordinates(client, pages_world):
    response = client.get("/claims/CIV-C/")
    page = visible(response.content.decode())
    assert "Current official finding Not yet assessed" in page
    assert "This claim has not been assessed yet." in page
    assert "No independent organisation's finding is on record for this claim." in page
    assert "Named victims" not in page


def test_unknown_ref_is_a_404(client, pages_world):
    assert client.get("/claims/CIV-NOPE/").status_code == 404
    assert client.get("/claims/civ-a/").status_code == 404  # refs are exact


def test_claim_page_query_count_is_constant(client, pages_world, django_assert_num_queries):
    # 1 the claim with its latest finding (subqueries) and belligerent, then one query per
    # prefetched list: 2 strike refs (the API's), 3 linked strikes with their belligerents,
    # 4 published victims, 5 approved assessments (with duplicate_of and reopening joined),
    # 6 reopenings, 7 independent findings, 8 claims assessed as duplicates of it.
    with django_assert_num_queries(8):
        client.get("/claims/CIV-A/")
    grow(10)
    for n in range(5):
        pages_world.a.strikes.add(StrikeFactory())
        VictimFactory(claim=pages_world.a, public=True)
        ExternalAssessmentFactory(claim=pages_world.a, organisation=f"Monitor {n}")
        assess(
            ClaimFactory(received_on=dt.date(2017, 4, 1)), "duplicate", duplicate_of=pages_world.a
        )
    with django_assert_num_queries(8):
        response = client.get("/claims/CIV-A/")
    assert len(response.context["claim"].linked_strikes) == 6
    assert len(response.context["claim"].duplicate_reports) == 6

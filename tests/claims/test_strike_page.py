"""/strikes/<ref>/: a strike's public page (its place, date, belligerent, munition and the
claims linked to it), linked from each of its claims' pages."""

import pytest

from claims.models import Claim, Strike
from tests.factories import ClaimFactory, StrikeFactory, assess
from tests.worlds import CANARY, plant_canaries

from .page_factories import grow, section, visible

pytestmark = pytest.mark.django_db


def test_strike_page_shows_its_facts_and_its_claims(client, pages_world):
    response = client.get("/strikes/S-1/")
    assert response.status_code == 200
    assert section(response, "strike-facts-title") == (
        "As recorded Date 4 Mar 2017 Place Mosul, Ninawa, Iraq Position 36.3400, 43.1300 "
        "(precision: locality (town, village or neighbourhood)) Belligerent Coalition "
        "Target ISIS fighting position Munition / platform F-15E / GBU-38 Engagements 2"
    )
    claims = section(response, "strike-claims-title")
    assert claims == (
        "Claims of civilian harm linked to it Claims the reviewers linked to this strike "
        "Claim Incident Place Killed (alleged) Official finding "
        "CIV-A 4 Mar 2017 Mosul, Ninawa 2–5 Credible 3 civilians killed, 1 civilian injured"
    )
    page = response.content.decode()
    assert '<a href="/claims/CIV-A/">CIV-A</a>' in page
    assert '<a href="/api/v1/strikes/S-1/">' in page
    assert '<meta property="og:title" content="Strike S-1: Mosul, Ninawa, 4 Mar 2017">' in page
    assert '<meta property="og:url" content="http://testserver/strikes/S-1/">' in page


def test_strike_page_without_claims_says_so(client, pages_world):
    StrikeFactory(strike_ref="S-LONE")
    response = client.get("/strikes/S-LONE/")
    assert "No claim of civilian harm has been linked to this strike." in visible(
        response.content.decode()
    )


def test_claim_page_links_to_its_strikes_pages(client, pages_world):
    page = client.get("/claims/CIV-A/").content.decode()
    assert '<th scope="row"><a href="/strikes/S-1/">S-1</a></th>' in page
    assert client.get("/strikes/S-1/").status_code == 200


def test_unknown_strike_is_a_404(client, pages_world):
    assert client.get("/strikes/S-NOPE/").status_code == 404
    assert client.get("/strikes/s-1/").status_code == 404  # refs are exact


def test_strike_page_query_count_is_constant(client, pages_world, django_assert_num_queries):
    # 1 the strike with its belligerent (joined), 2 its claims with their latest approved
    # finding (subqueries) and belligerent (joined).
    with django_assert_num_queries(2):
        client.get("/strikes/S-1/")
    grow(10)
    for n in range(20):
        claim = ClaimFactory(claim_ref=f"LINKED-{n:02d}")
        assess(claim, "credible")
        Strike.objects.get(strike_ref="S-1").claims.add(claim)
    with django_assert_num_queries(2):
        response = client.get("/strikes/S-1/")
    assert len(response.context["rows"]) == 21


def test_strike_page_shows_no_internal_string(client, pages_world):
    """The canary (tests.worlds.plant_canaries) in every internal place of the claims; the
    claims with drafts, confidential notes and comments linked to the strike."""
    plant_canaries(pages_world)
    linked = Claim.objects.filter(claim_ref__in=["CIV-P", "CIV-R", "CIV-V"])
    Strike.objects.get(strike_ref="S-3").claims.add(*linked)
    Strike.objects.get(strike_ref="S-1").claims.add(pages_world.c)
    for ref in ("S-1", "S-2", "S-3"):
        page = client.get(f"/strikes/{ref}/").content.decode()
        assert CANARY not in page
    page = client.get("/strikes/S-3/").content.decode()
    assert "CIV-P</a>" in page and "CIV-V</a>" in page  # the claims are there, not their secrets

"""A reader browses the public claims: filters the list, opens a claim, finds claims on the map
(mouse and keyboard) and follows a cluster to its claim page; on a desktop and a phone, offline."""

import datetime as dt
import re

import pytest

from tests.browser.maps import popup_settled
from tests.factories import ClaimFactory, assess

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MOSUL = (36.34, 43.13)
RAQQA = (35.95, 39.01)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def claims():
    """Four claims with coordinates (three in Mosul, two of them at the same position, and one
    in Raqqa) and one without."""
    d = dt.date
    mosul = {"country": "IQ", "province": "Ninawa", "locality": "Mosul"}
    raqqa = {"country": "SY", "province": "Raqqa", "locality": "Raqqa"}
    credible = ClaimFactory(
        claim_ref="CIV-MOSUL-1",
        received_on=d(2017, 3, 9),
        latitude=MOSUL[0],
        longitude=MOSUL[1],
        civilians_killed_min=1200,
        civilians_killed_max=1500,
        **mosul,
    )
    assess(
        credible,
        "credible",
        d(2017, 3, 20),
        civilians_killed=1105,
        civilians_injured=12,
        diligence=["strike_video", "map_search", "ngo_information"],
        rationale="Strike video and local accounts agree.",
    )
    duplicate = ClaimFactory(
        claim_ref="CIV-MOSUL-2",
        received_on=d(2017, 3, 12),
        latitude=MOSUL[0] + 0.02,
        longitude=MOSUL[1] + 0.03,
        **mosul,
    )
    assess(duplicate, "duplicate", d(2017, 3, 25), duplicate_of=credible)
    non_credible = ClaimFactory(
        claim_ref="CIV-RAQQA-1",
        received_on=d(2017, 6, 2),
        latitude=RAQQA[0],
        longitude=RAQQA[1],
        source_type="media",
        **raqqa,
    )
    assess(non_credible, "non_credible", d(2017, 7, 1), reason="no_strike_at_time_or_place")
    ClaimFactory(  # reported at exactly the same position as CIV-MOSUL-1, not assessed yet
        claim_ref="CIV-MOSUL-3",
        received_on=d(2017, 9, 1),
        latitude=MOSUL[0],
        longitude=MOSUL[1],
        **mosul,
    )
    ClaimFactory(
        claim_ref="CIV-IDLIB-1",
        received_on=d(2017, 8, 1),
        country="SY",
        province="Idlib",
        locality="Maarat al-Numan",
    )
    return 4  # with coordinates


def wait_for_clusters(page, claims: int):
    """The map's clusters once drawn, after checking that they hold `claims` claims in all (as
    each one's label says)."""
    page.locator("#claims-map.is-ready").wait_for()
    clusters = page.locator("#claims-map .leaflet-marker-icon")
    labels = clusters.evaluate_all("(icons) => icons.map((i) => i.getAttribute('aria-label'))")
    counts = [int(re.search(r": ([\d,]+) claims? \(", label).group(1)) for label in labels]
    assert sum(counts) == claims, labels
    return clusters


def test_reader_filters_claims_and_follows_the_map_to_a_claim(
    page, live_server, offline, screenshot, claims
):
    # The list, filtered by outcome with the form (no JavaScript involved).
    page.goto(f"{live_server.url}/claims/")
    assert page.get_by_role("heading", level=2).first.inner_text() == "5 claims"
    page.get_by_label("Outcome").select_option("credible")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/claims/?*outcome=credible*")
    assert page.get_by_role("heading", name="1 claim matches these filters").is_visible()
    rows = page.locator(".claim-table tbody tr")
    assert rows.count() == 1
    assert "1,200–1,500" in rows.first.inner_text()
    assert page.get_by_label("Outcome").input_value() == "credible"
    screenshot(page, "claim-list")

    # The claim's page: its finding, history and small map.
    rows.first.get_by_role("link", name="CIV-MOSUL-1").click()
    page.wait_for_url("**/claims/CIV-MOSUL-1/")
    finding = page.locator(".finding-box .finding-box__value").inner_text()
    assert finding == "Credible 1,105 civilians killed, 12 civilians injured"
    page.locator("#incident-map .leaflet-overlay-pane path").first.wait_for()
    page.get_by_text("What this assessment did: 3 of 7 steps").click()
    assert page.get_by_text("Strike video reviewed").is_visible()
    screenshot(page, "claim-page")

    # The map: the claims grouped (Mosul's three in one cluster at this zoom), a legend, no
    # tiles.
    page.goto(f"{live_server.url}/map/")
    clusters = wait_for_clusters(page, claims)
    assert clusters.count() == 2
    assert page.locator(".leaflet-tile").count() == 0
    page.locator("#claims-map .country-label").first.wait_for()
    screenshot(page, "map")

    # A cluster's popup links to its claims' pages.
    page.locator('#claims-map [aria-label="Raqqa, Raqqa: 1 claim (1 non-credible)"]').click()
    popup_settled(page)
    link = page.locator(".leaflet-popup").get_by_role("link", name="CIV-RAQQA-1")
    assert "Non-credible" in page.locator(".leaflet-popup").inner_text()
    link.click()
    page.wait_for_url("**/claims/CIV-RAQQA-1/")
    assert "CIV-RAQQA-1" in page.get_by_role("heading", level=1).inner_text()

    # By keyboard: one tab stop per cluster; Enter lists its claims and moves to the first
    # link, Enter follows it.
    page.goto(f"{live_server.url}/map/")
    wait_for_clusters(page, claims)
    assert page.locator('#claims-map .leaflet-marker-icon[tabindex="0"]').count() == 2
    page.locator(
        '#claims-map [aria-label="Mosul, Ninawa: 3 claims (1 credible, 1 duplicate, 1 open: '
        'not yet assessed, or reopened)"]'
    ).focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    page.locator(".leaflet-popup a:focus").wait_for()
    assert popup.locator(".map-popup__list").get_by_role("link").all_inner_texts() == [
        "CIV-MOSUL-3",
        "CIV-MOSUL-2",
        "CIV-MOSUL-1",
    ]
    page.keyboard.press("Enter")
    page.wait_for_url("**/claims/CIV-MOSUL-3/")

    # On a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/map/")
    wait_for_clusters(page, claims)
    screenshot(page, "map-phone")
    page.goto(f"{live_server.url}/claims/")
    screenshot(page, "claim-list-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert offline == []


def test_map_filter_form_works_and_shows_errors(page, live_server, offline, claims):
    page.goto(f"{live_server.url}/map/")
    wait_for_clusters(page, claims)
    page.get_by_label("Incident from").fill("2017-03-06")
    page.get_by_role("button", name="Show on the map").click()
    page.wait_for_url("**/map/?incident_date_after=2017-03-06*")
    wait_for_clusters(page, 3)
    page.goto(f"{live_server.url}/map/?incident_date_after=8%20March")
    assert page.get_by_role("alert").inner_text().endswith("Incident from: Enter a valid date.")
    assert page.locator("#claims-map").count() == 0
    assert offline == []

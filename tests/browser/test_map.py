"""The claims map with many claims at one place: a cluster shows how many, and opens into its
claims ten at a time (mouse and keyboard), on a desktop and a phone, offline."""

import pytest

from tests.browser.maps import popup_settled
from tests.claims.page_factories import at_one_place

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MOSUL = (36.34, 43.13)
RAQQA = (35.95, 39.01)
PHONE = {"width": 390, "height": 844}
MOSUL_LABEL = (
    "Mosul, Ninawa: 23 claims (5 credible, 3 non-credible, 15 open: not yet assessed, or reopened)"
)


@pytest.fixture
def campaign():
    """23 claims reported at exactly one position in Mosul (5 credible, 3 non-credible, 15
    open), 2 in Raqqa; all received the same day, so the lists run in the order of their refs."""
    at_one_place(5, MOSUL, outcome="credible", prefix="CIV-C")
    at_one_place(3, MOSUL, outcome="non_credible", prefix="CIV-N")
    at_one_place(15, MOSUL, outcome=None, prefix="CIV-O")
    raqqa = {"country": "SY", "province": "Raqqa", "locality": "Raqqa"}
    at_one_place(2, RAQQA, outcome="duplicate", prefix="CIV-R", **raqqa)


def refs(popup) -> list[str]:
    return popup.locator(".map-popup__list").get_by_role("link").all_inner_texts()


def open_map(page, live_server):
    page.goto(f"{live_server.url}/map/")
    page.locator("#claims-map.is-ready .country-label").first.wait_for()
    return page.locator(f'#claims-map [aria-label="{MOSUL_LABEL}"]')


def holding_new_views(page):
    """Resize the window so that the map asks for the groups of a new view, and hold the answer
    (and any asked for after it): (the held routes, a function that stops holding)."""
    held = []

    def hold(route):  # answered when the test says so
        held.append(route)

    page.route("**/map/clusters/**", hold)
    page.set_viewport_size({"width": 1000, "height": 1000})  # the view changes: new groups
    for _ in range(100):  # until the resized map asks (10 s at most)
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the resized map asked for no groups"
    return held, lambda: page.unroute("**/map/clusters/**", hold)


def test_a_cluster_shows_its_count_and_opens_into_its_claims_page_by_page(
    page, live_server, offline, screenshot, campaign
):
    mosul = open_map(page, live_server)
    assert mosul.inner_text() == "23"
    raqqa = page.locator('#claims-map [aria-label="Raqqa, Raqqa: 2 claims (2 duplicate)"]')
    assert raqqa.inner_text() == "2"
    assert page.locator("#map-status").inner_text() == (
        "At this zoom, 25 claims in view, in 2 groups."
    )
    screenshot(page, "map-clusters")

    mosul.click()
    popup = page.locator(".leaflet-popup")
    status = popup.locator(".map-popup__status")
    status.get_by_text("Claims 1–10 of 23").wait_for()
    assert popup.locator(".map-popup__place").inner_text() == "Mosul, Ninawa: 23 claims"
    assert popup.locator(".map-popup__counts li").all_inner_texts() == [
        " Credible 5",
        " Non-credible 3",
        " Open: not yet assessed, or reopened 15",
    ]
    assert refs(popup) == [
        *(f"CIV-C{n:04d}" for n in range(5)),
        *(f"CIV-N{n:04d}" for n in range(3)),
        "CIV-O0000",
        "CIV-O0001",
    ]
    assert popup.get_by_role("button", name="Previous").is_disabled()
    popup_settled(page)
    screenshot(page, "map-cluster-open")

    popup.get_by_role("button", name="Next").click()
    status.get_by_text("Claims 11–20 of 23").wait_for()
    assert refs(popup) == [f"CIV-O{n:04d}" for n in range(2, 12)]
    popup_settled(page)
    popup.get_by_role("button", name="Next").click()
    status.get_by_text("Claims 21–23 of 23").wait_for()
    assert refs(popup) == ["CIV-O0012", "CIV-O0013", "CIV-O0014"]
    assert popup.get_by_role("button", name="Next").is_disabled()

    # The same claims in the claims list.
    popup_settled(page)
    popup.get_by_role("link", name="All 23 claims here in the claims list").click()
    page.wait_for_url("**/claims/?bbox=*")
    assert page.get_by_role("heading", name="23 claims match these filters").is_visible()
    assert offline == []


def test_a_cluster_is_a_tab_stop_that_opens_its_claims_by_keyboard(
    page, live_server, offline, screenshot, campaign
):
    mosul = open_map(page, live_server)
    assert page.locator('#claims-map .leaflet-marker-icon[tabindex="0"]').count() == 2
    mosul.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup a:focus").wait_for()
    assert page.evaluate("document.activeElement.textContent") == "CIV-C0000"
    # Tab through the ten links to the pager; Next keeps the focus while the page changes.
    page.locator(".leaflet-popup").get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup").get_by_text("Claims 11–20 of 23").wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Next"

    page.set_viewport_size(PHONE)
    mosul = open_map(page, live_server)
    assert mosul.inner_text() == "23"
    screenshot(page, "map-clusters-phone")
    mosul.click()
    page.locator(".leaflet-popup").get_by_text("Claims 1–10 of 23").wait_for()
    popup_settled(page)  # Leaflet pans the map to show the whole popup (animated)
    screenshot(page, "map-cluster-open-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert offline == []


def test_an_answer_for_a_moved_map_waits_while_a_popup_is_open(
    page, live_server, offline, campaign
):
    """The map asks for new groups when it moves; redrawing them removes the markers and so an
    open popup. An answer that arrives while the reader has a popup open is kept until it closes:
    the popup (and the link the reader is about to click) stays put."""
    mosul = open_map(page, live_server)
    held, stop_holding = holding_new_views(page)

    mosul.click()
    popup = page.locator(".leaflet-popup")
    popup.get_by_role("link", name="CIV-C0000").wait_for()
    stop_holding()
    with page.expect_response("**/map/clusters/**") as answer:
        held.pop().continue_()
    assert answer.value.ok
    page.wait_for_timeout(300)  # the answer handled
    assert popup.get_by_role("link", name="CIV-C0000").is_visible()

    mosul.evaluate("(icon) => { icon.dataset.drawn = 'before'; }")
    popup_settled(page)
    popup.locator(".leaflet-popup-close-button").click()  # closed: now the map is redrawn
    page.locator(f'#claims-map [aria-label="{MOSUL_LABEL}"]:not([data-drawn])').wait_for()
    popup.wait_for(state="detached")


def test_a_view_asked_for_is_asked_once_however_often_the_map_comes_back_to_it(
    page, live_server, offline, campaign
):
    """The map moves twice within the cells of one view while its groups are on their way (a
    window resized, a pixel more): the answer on its way is awaited, not asked for again."""
    mosul = open_map(page, live_server)
    held, stop_holding = holding_new_views(page)
    assert len(held) == 1
    page.set_viewport_size({"width": 1001, "height": 1000})  # the same view's cells
    page.wait_for_timeout(500)
    stop_holding()
    assert [route.request.url for route in held] == [held[0].request.url]
    mosul.evaluate("(icon) => { icon.dataset.drawn = 'before'; }")
    held[0].continue_()
    page.locator(f'#claims-map [aria-label="{MOSUL_LABEL}"]:not([data-drawn])').wait_for()

"""The public site in Arabic, in a browser, at desktop and phone sizes: right to left, nothing
wider than the screen, no WCAG 2.1 A/AA violation found by axe-core, no English sentence of the
catalogue left, the charts and the map drawn. Screenshots: artifacts/screenshots/ar-*.png."""

import pytest

from tests.browser import test_accessibility as accessibility
from tests.browser.test_accessibility import (
    CHARTS_DRAWN,
    DESKTOP,
    INCIDENT_MAP_READY,
    MAP_READY,
    PHONE,
    axe_check,
    describe,
    reveal,
)
from tests.claims.page_factories import visible
from tests.i18n.test_arabic_pages import english_sentences

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The accessibility tests' world and browser (axe-core injected, so the CSP is bypassed there).
campaign = accessibility.campaign
browser_context_args = accessibility.browser_context_args

PAGES = [
    ("home", "/ar/", CHARTS_DRAWN),
    ("reports", "/ar/reports/", ".report-index"),
    ("month", "/ar/reports/2017/03/", ".report-figures"),
    ("claims", "/ar/claims/", ".pagination a[rel=next]"),
    ("claim", "/ar/claims/CIV-A/", INCIDENT_MAP_READY),
    ("map", "/ar/map/", MAP_READY),
    ("comparison", "/ar/comparison/", ".home-compare"),
    ("methodology", "/ar/methodology/", "#figure-cumulative-open"),
]

OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wider = [...document.querySelectorAll("body *")].filter((el) => {
        const box = el.getBoundingClientRect();
        // A wide table scrolls in its own region, a map's layers are clipped by the map: by design.
        return box.width && (box.left < -1 || box.right > width + 1) && !el.closest(".table-scroll")
            && !el.closest(".leaflet-container")
            && !el.closest(".visually-hidden") && !el.closest(".skip-link");
    });
    return {
        page: document.documentElement.scrollWidth - width,
        elements: wider.slice(0, 5).map((el) => el.tagName + "." + el.className),
    };
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_public_page_in_arabic(page, live_server, offline, campaign, screenshot, viewport):
    page.set_viewport_size(viewport)
    size = "desktop" if viewport == DESKTOP else "phone"
    sentences = english_sentences()
    problems = []
    for name, path, ready in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path}: {response.status}"
        if ready.startswith("document."):
            page.wait_for_function(ready)
        else:
            page.locator(ready).first.wait_for()
        assert page.evaluate("[document.documentElement.lang, document.dir]") == ["ar", "rtl"]
        # The Arabic typeface is the one used for the text (once the fonts the page uses loaded:
        # a phone may still be fetching it when the page is ready).
        used = (
            "document.fonts.ready.then("
            "() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'م'))"
        )
        assert page.evaluate(used), path
        overflow = page.evaluate(OVERFLOW)
        if overflow["page"] > 0 or overflow["elements"]:
            problems.append(f"{path} at {size}: wider than the screen: {overflow}")
        text = visible(page.content())
        problems += [f"{path}: untranslated: {s!r}" for s in sorted(sentences) if s in text]
        screenshot(page, f"ar-{name}-{size}")
        where = f"{name} ({path}) at {size}"
        problems += describe(where, axe_check(page))
        shown = reveal(page)
        if shown:
            problems += describe(f"{where}, {shown}", axe_check(page))
    assert not problems, "\n".join(problems)
    assert offline == []


def test_the_charts_and_the_map_read_right_to_left(page, live_server, offline, campaign):
    page.goto(f"{live_server.url}/ar/")
    page.wait_for_function(CHARTS_DRAWN)
    chart = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.querySelector("canvas[data-chart]"));
            return {
                reversed: chart.options.scales.x.reverse,
                main: chart.options.scales.y.position,
                legend: chart.options.plugins.legend.rtl,
                data: chart.data.datasets[0].data,
            };
        }"""
    )
    assert (chart["reversed"], chart["main"], chart["legend"]) == (True, "right", True)
    page.goto(f"{live_server.url}/")
    page.wait_for_function(CHARTS_DRAWN)
    english = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets[0].data"
    )
    assert chart["data"] == english  # the same numbers
    page.goto(f"{live_server.url}/ar/map/")
    page.locator(MAP_READY).first.wait_for()
    labels = page.locator("#claims-map .country-label").all_text_contents()
    assert sorted(labels) == ["العراق", "سوريا"]
    assert page.locator("#claims-map .leaflet-top.leaflet-right .leaflet-control-zoom").count() == 1
    assert offline == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_searches_the_claims_in_arabic(
    page, live_server, offline, campaign, screenshot, viewport
):
    # From the header's search box on an Arabic page: الموصل finds the claims in Mosul, as
    # "Mosul" does on the English page.
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/ar/")
    page.fill("#site-search", "الموصل")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/ar/claims/?search=*")
    rows = page.locator("main table tbody th a")
    rows.first.wait_for()
    arabic = sorted(rows.all_inner_texts())
    assert "CIV-A" in arabic and "CIV-D" in arabic
    size = "desktop" if viewport == DESKTOP else "phone"
    screenshot(page, f"ar-claims-search-{size}")
    assert page.evaluate(OVERFLOW)["page"] <= 0
    assert not describe(f"claims searched in Arabic at {size}", axe_check(page))
    page.goto(f"{live_server.url}/claims/?search=Mosul")
    rows.first.wait_for()
    assert sorted(rows.all_inner_texts()) == arabic
    assert offline == []

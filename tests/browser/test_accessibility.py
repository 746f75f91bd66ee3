"""Accessibility, measured: every public page passes axe-core's WCAG 2.0 and 2.1 level A and AA
rules on a desktop and a phone, and the keyboard reaches what matters in a sensible order.

axe-core is vendored for these tests only (tests/browser/vendor/, by `make vendor`) and injected
into each page from the file, so nothing is fetched from outside. axe checks what a machine can
(contrast, names, roles, structure, ARIA, ...): passing is necessary, not sufficient.
"""

import datetime as dt
from pathlib import Path

import pytest

from claims import pages as claim_pages
from claims.models import Claim
from tests.factories import ClaimFactory, ExternalAssessmentFactory, StrikeFactory, assess
from tests.reports.factories import MonthPublicationFactory
from tests.reports.page_factories import freeze_today
from tests.worlds import pages_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
D = dt.date

# What to wait for before checking a page: its charts drawn, its map and outlines drawn.
CHARTS_DRAWN = "document.querySelectorAll('canvas[width]').length === 2"
MAP_READY = "#claims-map.is-ready .country-label"
INCIDENT_MAP_READY = "#incident-map.is-ready .country-label"

# Every public page, in every state worth checking: (name, path, status, and what must show
# before it is checked: the state meant, drawn).
PAGES = [
    ("home", "/", 200, CHARTS_DRAWN),
    ("reports", "/reports/", 200, ".report-index .label--revised"),
    ("month revised since publication", "/reports/2017/03/", 200, "#revisions .list-revisions"),
    ("month provisional", "/reports/2017/06/", 200, ".report-header .label--provisional"),
    ("month revision", "/reports/2017/03/revisions/2/", 200, "#integrity .sha256"),
    ("every publication", "/reports/releases/", 200, ".publications-table .sha256"),
    ("claims", "/claims/", 200, ".pagination a[rel=next]"),
    ("claims page 2", "/claims/?page=2", 200, ".pagination a[rel=prev]"),
    ("claims, bad filters", "/claims/?outcome=maybe&incident_date_after=8+March", 400, "#errors"),
    ("claim with a map", "/claims/CIV-A/", 200, INCIDENT_MAP_READY),
    ("claim without coordinates, reopened", "/claims/CIV-E/", 200, ".event--reopening"),
    ("claim never assessed", "/claims/CIV-C/", 200, ".finding-box--open"),
    ("strike with its claims", "/strikes/S-1/", 200, "#strike-claims-title"),
    ("map", "/map/", 200, MAP_READY),
    ("map, bad filter", "/map/?incident_date_after=8+March", 400, "#errors"),
    ("comparison", "/comparison/", 200, ".home-compare"),
    ("methodology", "/methodology/", 200, "#figure-cumulative-open"),
    ("downloads", "/downloads/", 200, "#downloads-zip"),
]


@pytest.fixture
def campaign(monkeypatch):
    """tests.worlds.pages_world (claims in every outcome, reopened claims,
    independent findings, victims, claims with and without coordinates), "today" 15 December
    2017, and the reports in each state:

    - February 2017 published on 3 March, unchanged since;
    - March 2017 published (revision 1 on 5 April, 2 on 20 April), then changed: CIV-G, received
      on 5 March, assessed credible on 28 March (a figure and a list differ);
    - every other month provisional.

    Claims are listed four to a page, so the list has pages (the world has seven claims)."""
    freeze_today(monkeypatch, D(2017, 12, 15))
    monkeypatch.setattr(claim_pages, "PAGE_SIZE", 4)
    world = pages_world()
    StrikeFactory(date=D(2017, 6, 3), engagements=40)
    ExternalAssessmentFactory(
        claim=world.e, organisation="Airwars", grade="contested", civilians_killed_min=0
    )
    MonthPublicationFactory(period="2017-02", published_at=dt.datetime(2017, 3, 3, tzinfo=dt.UTC))
    MonthPublicationFactory(period="2017-03")
    MonthPublicationFactory(
        period="2017-03", revision=2, published_at=dt.datetime(2017, 4, 20, tzinfo=dt.UTC)
    )
    late = ClaimFactory(claim_ref="CIV-G", received_on=D(2017, 3, 5), latitude=36.2, longitude=43.9)
    assess(late, "credible", D(2017, 3, 28), civilians_killed=2, civilians_injured=3)
    assert Claim.objects.count() == 7
    return world


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """axe-core is injected as a script tag, which the site's Content-Security-Policy rightly
    refuses; these pages are checked for accessibility, and tests/browser/test_csp.py checks the
    policy on the same pages."""
    return {**browser_context_args, "bypass_csp": True}


def axe_check(page) -> list[dict]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page; its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                count: v.nodes.length,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }));
        }""",
        WCAG_A_AA,
    )


def reveal(page) -> str | None:
    """Show what the page hides until asked (axe skips hidden content): open every <details>
    (the charts' tables, an assessment's steps) and, on the map, a cluster's popup. What was
    shown, or None."""
    shown = []
    if page.evaluate(
        """() => {
            const closed = [...document.querySelectorAll("details:not([open])")];
            closed.forEach((details) => { details.open = true; });
            return closed.length;
        }"""
    ):
        shown.append("details opened")
    point = page.locator('#claims-map .leaflet-marker-icon[tabindex="0"]')
    if point.count():
        point.first.focus()
        page.keyboard.press("Enter")
        page.locator(".leaflet-popup .map-popup__list li").first.wait_for()  # its claims
        # Leaflet fades a popup in: check its colours once it is opaque.
        page.wait_for_function(
            "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        )
        shown.append("a popup open")
    return " and ".join(shown) or None


def describe(where: str, violations: list[dict]) -> list[str]:
    return [
        f"{where}: {v['id']} ({v['impact']}): {v['help']}; {v['count']} element"
        f"{'s' if v['count'] != 1 else ''}, e.g. {', '.join(v['targets'])}"
        for v in violations
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_public_page_passes_wcag_a_and_aa(page, live_server, offline, campaign, viewport):
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    problems = []
    for name, path, status, ready in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status, f"{path}: {response.status}"
        if ready.startswith("document."):
            page.wait_for_function(ready)
        else:
            page.locator(ready).first.wait_for()
        where = f"{name} ({path}) at {size}"
        problems += describe(where, axe_check(page))
        shown = reveal(page)
        if shown:
            problems += describe(f"{where}, {shown}", axe_check(page))
    assert not problems, "WCAG A/AA violations found by axe-core:\n" + "\n".join(problems)
    assert offline == []


def tab_to(page, predicate: str, limit: int = 80) -> list[dict]:
    """Press Tab until `predicate` (JS, on the focused element `el`) holds; what was focused."""
    focused = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(
            f"""() => {{
                const el = document.activeElement;
                // A field's box, not its input's: a hint above one input must not lower it.
                const box = (el.closest(".field") || el).getBoundingClientRect();
                return {{
                    id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                    top: box.top + window.scrollY, left: box.left + window.scrollX,
                    fieldset: el.closest("fieldset") ?
                        [...document.querySelectorAll("form.claim-filters fieldset")]
                            .indexOf(el.closest("fieldset")) : null,
                    done: ({predicate})(el),
                }};
            }}"""
        )
        # A date input is one element with a tab stop per part (day, month, year): once.
        if not focused or info["id"] != focused[-1]["id"] or not info["id"]:
            focused.append(info)
        if info["done"]:
            return focused
    pytest.fail(f"Tab never reached it ({predicate}); focused: {[f['id'] for f in focused]}")


# The best contrast between the focused element's indicator (outline, box-shadow rings) and the
# background around it: WCAG 2.1's 1.4.11 asks 3:1 of the indicator against what it touches.
FOCUS_CONTRAST = """() => {
    const el = document.activeElement;
    const rgb = (css) => (css.match(/rgba?\\([^)]*\\)/g) || []).map(
        (c) => c.match(/[\\d.]+/g).map(Number));
    const luminance = ([r, g, b]) => [r, g, b]
        .map((v) => v / 255)
        .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    let around = [255, 255, 255];
    for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor)[0];
        if (colour && (colour.length < 4 || colour[3] > 0)) { around = colour; break; }
    }
    const style = getComputedStyle(el);
    const rings = rgb(style.boxShadow);
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
        rings.push(rgb(style.outlineColor)[0]);
    }
    const visible = rings.filter((c) => c.length < 4 || c[3] > 0);
    return Math.max(0, ...visible.map((c) => ratio(c, around)));
}"""


@pytest.mark.parametrize("path", ["/", "/reports/2017/03/"])
def test_tab_first_reaches_the_skip_link_and_enter_moves_to_main(
    page, live_server, offline, campaign, path
):
    page.goto(f"{live_server.url}{path}")
    skip = page.get_by_role("link", name="Skip to content")
    hidden = skip.bounding_box()
    assert hidden["x"] + hidden["width"] <= 0  # off screen until focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    shown = skip.bounding_box()
    assert shown["x"] >= 0 and shown["y"] >= 0 and shown["width"] > 0 and shown["height"] > 0
    assert skip.is_visible()
    assert page.evaluate(FOCUS_CONTRAST) >= 3
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab goes on from there, to the first link of the page's content, whose focus
    # ring shows on the white page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert page.evaluate("document.activeElement.tagName") == "A"
    assert page.evaluate(FOCUS_CONTRAST) >= 3
    assert offline == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_claim_filters_are_reached_by_tab_in_visual_order(
    page, live_server, offline, campaign, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/claims/")
    controls = page.evaluate(
        """() => [...document.querySelectorAll(
            "form.claim-filters input:not([type=hidden]), form.claim-filters select,"
            + " form.claim-filters button")].map((el) => el.id || el.textContent.trim())"""
    )
    assert len(controls) > 8 and controls[-1] == "Apply filters"
    focused = tab_to(page, "(el) => el.matches('form.claim-filters button[type=submit]')")
    in_form = [f for f in focused if f["id"] in controls or f["text"] == "Apply filters"]
    # Every field, then the button, one after the other: nothing in between, nothing skipped.
    assert [f["id"] or f["text"] for f in in_form] == controls
    first = focused.index(in_form[0])
    assert focused[first:] == in_form
    # Visual order: within a fieldset, row by row and left to right; the fieldsets in reading
    # order (side by side on a desktop, one under the other on a phone); the button last.
    for index in sorted({f["fieldset"] for f in in_form if f["fieldset"] is not None}):
        fields = [(round(f["top"]), f["left"]) for f in in_form if f["fieldset"] == index]
        assert fields == sorted(fields), f"fieldset {index}: {fields}"
    starts = [
        next((round(f["top"]), f["left"]) for f in in_form if f["fieldset"] == index)
        for index in sorted({f["fieldset"] for f in in_form if f["fieldset"] is not None})
    ]
    for before, after in zip(starts, starts[1:], strict=False):
        assert after[0] > before[0] or (after[0] == before[0] and after[1] > before[1]), starts
    button = in_form[-1]
    assert all(button["top"] > f["top"] for f in in_form[:-1])
    assert offline == []

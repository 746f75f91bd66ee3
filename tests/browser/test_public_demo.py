"""The public site on the whole demo campaign (34,763 strikes, 2,896 claims), as a reader meets it:
every public page opens offline, the headline and monthly figures are those of
`monthly_report --json`, and a month leads to a claim and from the claim to the map.
Full-page screenshots of every page go to artifacts/screenshots/demo-*.png."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MONTH = "2017-03"  # the battle for west Mosul: a month with credible claims


def monthly_report(period: str) -> dict:
    out = StringIO()
    call_command("monthly_report", period, "--json", stdout=out)
    return json.loads(out.getvalue())


def figures(page, selector: str) -> dict[str, int]:
    """A <dl class="figures"> as {label: number}."""
    result = {}
    for block in page.locator(f"{selector} .figure").all():
        label = block.locator("dt").inner_text().strip()
        result[label] = int(block.locator("dd").inner_text().replace(",", ""))
    return result


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


def test_reader_walks_the_demo_campaign(page, live_server, offline, screenshot, demo):
    to_date = monthly_report(timezone.localdate().strftime("%Y-%m"))["cumulative"]
    page.goto(f"{live_server.url}/")
    headline = figures(page, ".home-figures")
    assert headline["Reports received to date"] == to_date["received"] == 2896
    assert headline["Credible to date"] == to_date["credible"]
    assert headline["Non-credible to date"] == to_date["non_credible"]
    assert headline["Duplicates to date"] == to_date["duplicate"]
    assert headline["Still open"] == to_date["open"]
    assert headline["Civilians killed to date (credible reports)"] == to_date["civilians_killed"]
    assert headline["Strikes to date"] == to_date["strikes"] == 34763
    assert headline["Engagements to date"] == to_date["engagements"]
    page.wait_for_function("document.querySelectorAll('canvas[width]').length >= 2")
    screenshot(page, "demo-home")

    page.get_by_role("link", name="Monthly reports", exact=True).first.click()
    page.wait_for_url("**/reports/")
    screenshot(page, "demo-reports")
    page.get_by_role("link", name="March 2017", exact=True).first.click()
    page.wait_for_url("**/reports/2017/03/")
    march = monthly_report(MONTH)
    key = figures(page, ".report-figures")
    assert key["Reports received"] == march["received"]
    assert key["Assessments completed"] == march["closed"]
    assert key["Assessed credible"] == march["credible"]
    assert key["Open at the end of the month"] == march["open_at_end"]
    summary = page.locator("#summary-title").locator("xpath=..").inner_text()
    assert f"received {march['received']:,} new reports" in summary
    screenshot(page, "demo-month")

    first_credible = march["credible_claims"][0]["claim_ref"]
    page.get_by_role("link", name=first_credible, exact=True).first.click()
    page.wait_for_url(f"**/claims/{first_credible}/")
    assert first_credible in page.locator("h1").inner_text()
    assert "Credible" in page.locator("main").inner_text()
    page.wait_for_selector("#incident-map.is-ready")  # the outlines are drawn
    screenshot(page, "demo-claim")

    page.get_by_role("link", name=re.compile("^See on the map every claim")).click()
    page.wait_for_url("**/map/?incident_date_after=*")
    page.wait_for_selector("#claims-map.is-ready .map-cluster")
    # The clusters hold every claim the page counts (the month is in view as the map opens).
    labels = page.locator("#claims-map .leaflet-marker-icon").evaluate_all(
        "(icons) => icons.map((i) => i.getAttribute('aria-label'))"
    )
    shown = int(page.locator(".map-count strong").inner_text().replace(",", ""))
    assert shown > 10
    assert (
        sum(int(re.search(r": ([\d,]+) claims? \(", x).group(1).replace(",", "")) for x in labels)
        == shown
    )
    screenshot(page, "demo-map")

    for path, name in [
        ("/claims/", "demo-claims"),
        ("/claims/?outcome=credible&country=SY", "demo-claims-filtered"),
        ("/comparison/", "demo-comparison"),
        ("/methodology/", "demo-methodology"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        screenshot(page, name)
    assert offline == []

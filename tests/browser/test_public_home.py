"""The public home page, comparison and methodology in a real browser: the figures, the charts
drawn by the vendored Chart.js, a phone-sized screen, and nothing fetched from outside."""

import datetime as dt

import pytest

from reports.summary import summary
from tests.reports.page_factories import busy_campaign, freeze_today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def chart_drawn(page, chart_id: str) -> bool:
    """Chart.js sizes the canvas (width and height attributes) when it draws, in a box that
    charts.js has shown, and closes the table beside it."""
    canvas = page.locator(f"canvas#{chart_id}")
    return (
        canvas.is_visible()
        and int(canvas.get_attribute("width") or 0) > 300
        and int(canvas.get_attribute("height") or 0) > 100
        and page.locator(f"details#{chart_id}-table").get_attribute("open") is None
    )


def test_home_comparison_and_methodology(page, live_server, offline, screenshot, monkeypatch):
    freeze_today(monkeypatch, dt.date(2018, 7, 15))
    busy_campaign()
    totals = summary()
    assert totals["received"] > 100  # a campaign big enough for thousands separators below

    page.goto(f"{live_server.url}/")
    received = page.locator(".figure", has_text="Reports received").locator("dd")
    assert received.inner_text() == f"{totals['received']:,}"
    engagements = page.locator(".figure", has_text="Engagements").locator("dd")
    assert engagements.inner_text() == f"{totals['engagements']:,}"
    assert "," in engagements.inner_text()
    page.wait_for_function("document.querySelectorAll('canvas[width]').length === 2")
    assert chart_drawn(page, "chart-backlog")
    assert chart_drawn(page, "chart-killed")
    # The table is still there, a click away.
    page.get_by_text("The numbers as a table").first.click()
    assert page.locator("#chart-backlog-table table").is_visible()
    page.get_by_text("The numbers as a table").first.click()
    screenshot(page, "home")

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_function("document.querySelectorAll('canvas[width]').length === 2")
    assert chart_drawn(page, "chart-killed")
    # Nothing wider than the phone: the page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "home-phone")

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_role("link", name="Official and independent", exact=True).click()
    page.wait_for_url(f"{live_server.url}/comparison/")
    assert page.get_by_role("heading", name="Read this before quoting these figures").is_visible()
    assert page.locator("table").first.locator("tbody th").all_inner_texts() == ["Airwars"]
    screenshot(page, "comparison")

    page.get_by_role("link", name="Methodology", exact=True).click()
    page.wait_for_url(f"{live_server.url}/methodology/")
    page.get_by_role("link", name="How the figures are defined").click()
    assert page.locator("#figure-cumulative-open").is_visible()
    screenshot(page, "methodology")
    page.set_viewport_size(PHONE)
    screenshot(page, "methodology-phone")
    assert offline == []

"""A reader finds a monthly report, reads it, and prints it; a publisher publishes a month."""

import datetime as dt

import pytest

from claims.models import Claim
from tests.factories import assess, user_with_role
from tests.reports.factories import MonthPublicationFactory
from tests.worlds import campaign_march_2017

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def test_reader_follows_the_list_to_a_revised_month_and_prints_it(
    page, live_server, offline, screenshot
):
    campaign_march_2017()
    MonthPublicationFactory(period="2017-02", published_at=dt.datetime(2017, 3, 3, tzinfo=dt.UTC))
    MonthPublicationFactory(period="2017-03")  # published 5 Apr 2017
    assess(
        Claim.objects.get(claim_ref="CIV-0202"),
        "credible",
        dt.date(2017, 3, 25),
        civilians_killed=4,
        civilians_injured=1,
        rationale="A hospital list and the strike log agree on four dead.",
    )

    page.goto(f"{live_server.url}/reports/")
    march = page.locator("table.report-index tr", has=page.get_by_role("link", name="March 2017"))
    assert march.locator("td").all_inner_texts() == [
        "3",
        "4",
        "2",
        "1",
        "1",
        "1",
        "2",
        "5",
        "Revised since publication\npublished 5 Apr 2017",
    ]
    screenshot(page, "reports-list")

    page.get_by_role("link", name="March 2017").click()
    page.wait_for_url(f"{live_server.url}/reports/2017/03/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Civilian casualty report: March 2017"
    )
    completed = page.locator(".report-figures > div", has_text="Assessments completed")
    assert completed.locator("dd").inner_text() == "4"
    assert page.locator(".notice--revised").is_visible()
    changed = page.locator("#revisions tr", has_text="Assessed credible")
    assert changed.locator("td").all_inner_texts() == ["2", "3"]
    screenshot(page, "reports-month")

    # Keyboard only: tabbing reaches the next month's link, and Enter follows it.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "April 2017 →":
            break
    else:
        pytest.fail("Tab never reached the link to April 2017.")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/reports/2017/04/")
    page.go_back()

    # On a phone the page does not scroll sideways; wide tables scroll inside their box.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "reports-month-phone")
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".month-nav").is_visible()
    assert not page.locator(".downloads").is_visible()
    assert page.locator(".print-only").first.is_visible()
    assert page.locator("#revisions").is_visible()
    screenshot(page, "reports-month-print")
    assert offline == []


def test_publisher_publishes_a_month_from_the_admin(page, live_server, offline, screenshot):
    # A superuser: the role groups are re-synced for browser tests (claims.roles), which
    # leaves the publisher group without the reports app's permissions for now.
    user_with_role(None, username="admin", password=PASSWORD, is_superuser=True)
    campaign_march_2017()

    page.goto(f"{live_server.url}/admin/login/?next=/admin/reports/monthpublication/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Publish a month").click()
    page.fill("#id_period", "2017-03")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview .status").inner_text() == (
        "Not published yet: confirming publishes its first revision."
    )
    screenshot(page, "reports-publish-preview")
    page.get_by_role("button", name="Publish March 2017").click()
    assert "March 2017 is published (revision 1)" in page.locator(".messagelist").inner_text()

    page.goto(f"{live_server.url}/reports/2017/03/")
    status = page.locator(".report-header__status").inner_text()
    assert status.startswith("Published ")
    assert offline == []

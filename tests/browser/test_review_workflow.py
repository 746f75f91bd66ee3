"""An analyst and a reviewer work a claim through the admin, in a real browser (four eyes)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.models import Claim
from tests.factories import ClaimFactory, StrikeFactory, user_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
MOSUL = (36.3400, 43.1300)


def month_report(period: str) -> dict:
    out = StringIO()
    call_command("monthly_report", period, "--json", stdout=out)
    return json.loads(out.getvalue())


def log_in(page, live_server, username):
    page.context.clear_cookies()  # a fresh session: logging out takes a POST
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_analyst_proposes_reviewer_approves_and_the_month_changes(
    page, live_server, offline, screenshot
):
    user_with_role("analyst", username="alice", password=PASSWORD)
    user_with_role("reviewer", username="rita", password=PASSWORD)
    today = timezone.localdate()
    oldest = ClaimFactory(
        claim_ref="CIV-OLDEST",
        received_on=today - dt.timedelta(days=400),
        incident_date=today - dt.timedelta(days=410),
        latitude=MOSUL[0],
        longitude=MOSUL[1],
        locality="al-Jadida",
    )
    ClaimFactory(claim_ref="CIV-NEWER", received_on=today - dt.timedelta(days=10))
    StrikeFactory(
        strike_ref="S-NEARBY",
        date=oldest.incident_date,
        latitude=MOSUL[0] + 0.005,
        longitude=MOSUL[1],
    )
    StrikeFactory(strike_ref="S-FAR", date=oldest.incident_date, latitude=37.0, longitude=43.1)
    period = f"{today:%Y-%m}"
    before = month_report(period)

    # The analyst takes the oldest claim from the queue.
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/admin/claims/claim/")
    first_row = page.locator("#result_list tbody tr").first
    assert "CIV-OLDEST" in first_row.inner_text()
    screenshot(page, "01-queue")
    first_row.get_by_role("link", name="CIV-OLDEST").click()
    page.get_by_role("button", name="Assign to me").click()

    # Links the matching strike (within 5 km and 2 days; the far one is not offered).
    assert page.get_by_role("button", name="Link strike S-FAR").count() == 0
    page.get_by_role("button", name="Link strike S-NEARBY").click()
    screenshot(page, "02-claim-strike-linked")

    # Proposes "credible, 3 killed".
    page.get_by_role("link", name="Propose an assessment…").click()
    page.get_by_label("Credible", exact=True).check()
    page.fill("#id_civilians_killed", "3")
    page.fill("#id_civilians_injured", "0")
    page.fill("#id_rationale", "Strike video and three local accounts agree on three dead.")
    page.get_by_label("Strike video reviewed").check()
    screenshot(page, "03-propose")
    page.get_by_role("button", name="Propose").click()
    claim = Claim.objects.get(pk=oldest.pk)
    assert (claim.stage, claim.status) == ("proposed", "open")
    assert list(claim.strikes.values_list("strike_ref", flat=True)) == ["S-NEARBY"]
    # The analyst cannot approve their own proposal: no such button.
    assert page.get_by_role("button", name="Approve: close as credible").count() == 0

    # A second user, a reviewer, approves it.
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/claims/claim/{oldest.pk}/change/")
    screenshot(page, "04-reviewer-sees-proposal")
    page.get_by_role("button", name="Approve: close as credible").click()
    screenshot(page, "05-approved")

    claim = Claim.objects.get(pk=oldest.pk)
    assert (claim.stage, claim.status) == ("closed", "closed")
    after = month_report(period)
    assert after["closed"] == before["closed"] + 1
    assert after["credible"] == before["credible"] + 1
    assert after["civilians_killed"] == before["civilians_killed"] + 3
    assert after["cumulative"]["open"] == before["cumulative"]["open"] - 1
    assert [row["claim_ref"] for row in after["credible_claims"]] == ["CIV-OLDEST"]
    assert offline == []

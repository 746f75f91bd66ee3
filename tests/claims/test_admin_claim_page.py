"""The claim's page: strikes and possible duplicates near the claim, comments, assignment (also in
bulk from the queue), and the record's form, saved through claim_create / claim_update with
optimistic concurrency."""

import datetime as dt
import html
import math

import pytest
from django.contrib.admin.models import LogEntry

from claims import services
from claims.models import Claim, Strike
from tests.claims.admin_pages import change_form_data, claim_url, fresh, messages_of, page_text
from tests.factories import (
    ClaimFactory,
    StrikeFactory,
    assess,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
LAT, LON = 36.34, 43.13  # Mosul


def near_claim(**fields):
    """A claim of an incident in Mosul on 17 March 2017."""
    fields = {"incident_date": D(2017, 3, 17), **fields}
    return ClaimFactory(received_on=D(2017, 3, 20), latitude=LAT, longitude=LON, **fields)


def test_possible_duplicate_is_proposed_in_one_click(rita):
    claim = near_claim(claim_ref="CIV-LATE")
    near_claim(claim_ref="CIV-FIRST", incident_date=D(2017, 3, 18))
    page = rita.get(claim_url(claim))
    link = claim_url(claim, "propose") + "?outcome=duplicate&amp;duplicate_of=CIV-FIRST"
    assert link in page.content.decode()

    form = rita.get(html.unescape(link)).context["form"]
    assert form.initial == {"outcome": "duplicate", "duplicate_of": "CIV-FIRST"}
    rita.post(
        claim_url(claim, "propose"),
        {"outcome": "duplicate", "duplicate_of": "CIV-FIRST", "rationale": "Same strike."},
    )
    assert claim.assessments.get().duplicate_of.claim_ref == "CIV-FIRST"


# Strikes, comments, assignment ---------------------------------------------------------------


def strike_at(ref, north_km, day=17):
    return StrikeFactory(
        strike_ref=ref,
        date=D(2017, 3, day),
        latitude=round(LAT + north_km / 111.195, 6),
        longitude=LON,
    )


def test_matching_panel_ranks_candidates_and_its_radius_and_days_are_adjustable(rita):
    claim = near_claim()
    strike_at("S-2KM", 2)
    strike_at("S-300M-2DAYS", 0.3, day=19)
    strike_at("S-300M", 0.3)
    strike_at("S-6KM", 6)
    strike_at("S-3DAYS", 0.1, day=20)

    def refs(query=""):
        page = rita.get(claim_url(claim) + query)
        return [candidate.obj.strike_ref for candidate, _ in page.context["strike_candidates"]]

    assert refs() == ["S-300M", "S-300M-2DAYS", "S-2KM"]
    assert refs("?radius_km=7") == ["S-300M", "S-300M-2DAYS", "S-2KM", "S-6KM"]
    assert refs("?days=3") == ["S-3DAYS", "S-300M", "S-300M-2DAYS", "S-2KM"]
    assert math.isclose(
        rita.get(claim_url(claim)).context["strike_candidates"][2][0].distance_km, 2, abs_tol=0.01
    )


def test_strike_is_linked_in_one_click_marked_and_unlinked(rita, reviewer):
    claim = near_claim(claim_ref="CIV-1")
    strike_at("S-NEAR", 1)
    response = rita.post(
        claim_url(claim, "link_strike"), {"strike": "S-NEAR", "radius_km": "7", "days": "2"}
    )
    assert response.url == claim_url(claim) + "?radius_km=7&days=2#strikes"
    assert messages_of(response) == ["Linked strike S-NEAR to claim CIV-1."]
    assert list(claim.strikes.values_list("strike_ref", flat=True)) == ["S-NEAR"]
    assert fresh(claim).history.first().history_user == reviewer

    page = rita.get(claim_url(claim))
    assert [is_linked for _, is_linked in page.context["strike_candidates"]] == [True]
    assert '<span class="claim-tag">linked</span>' in page.content.decode()

    response = rita.post(claim_url(claim, "unlink_strike"), {"strike": "S-NEAR"})
    assert messages_of(response) == ["Unlinked strike S-NEAR from claim CIV-1."]
    assert claim.strikes.count() == 0


def test_linking_an_unknown_strike_says_so(rita):
    claim = ClaimFactory()
    response = rita.post(claim_url(claim, "link_strike"), {"strike": "S-NOPE"})
    assert messages_of(response) == ["No strike has the reference 'S-NOPE'."]
    assert claim.strikes.count() == 0


def test_comments_thread_shows_author_and_time(rita, reviewer):
    claim = ClaimFactory()
    response = rita.post(claim_url(claim, "comment"), {"body": "  Airwars has a video.  "})
    assert response.url == claim_url(claim) + "#comments"
    comment = claim.comments.get()
    assert (comment.author, comment.body) == (reviewer, "Airwars has a video.")
    content = rita.get(claim_url(claim)).content.decode()
    assert (
        f'<strong>rita</strong> <time datetime="{comment.created_at:%Y-%m-%dT%H:%M:%S}' in content
    )
    assert "Airwars has a video." in content

    response = rita.post(claim_url(claim, "comment"), {"body": " "})
    assert messages_of(response) == ["A comment cannot be empty."]
    assert claim.comments.count() == 1


def test_claim_page_assigns_to_an_analyst(rita, analyst):
    claim = ClaimFactory(claim_ref="CIV-1")
    response = rita.post(claim_url(claim, "assign"), {"assignee": analyst.pk})
    assert messages_of(response) == ["Claim CIV-1 is assigned to alice."]
    assert (fresh(claim).assignee, fresh(claim).stage) == (analyst, "in_review")


def test_claims_go_only_to_analysts_and_reviewers(rita):
    claim = ClaimFactory()
    publisher = user_with_role("publisher", username="paul")
    response = rita.post(claim_url(claim, "assign"), {"assignee": publisher.pk})
    assert messages_of(response) == ["Choose an analyst or reviewer to assign the claim to."]
    assert fresh(claim).assignee is None


def test_bulk_assign_to_me_reports_each_refusal(rita, reviewer):
    first = ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 1))
    second = ClaimFactory(claim_ref="CIV-2", received_on=D(2017, 3, 2))
    closed = ClaimFactory(claim_ref="CIV-3", received_on=D(2017, 3, 3))
    assess(closed)
    url = "/admin/claims/claim/?status=all"
    data = {"action": "assign_to_me", "_selected_action": [first.pk, second.pk, closed.pk]}
    response = rita.post(url, data)
    assert response.status_code == 302
    assert messages_of(response) == [
        "CIV-3: Claim CIV-3 is closed: reopen it first.",
        "Assigned to rita: CIV-1, CIV-2.",
    ]
    assert [fresh(c).assignee for c in (first, second, closed)] == [reviewer, reviewer, None]


def test_bulk_assign_to_chooses_the_assignee_on_an_intermediate_page(rita, analyst):
    claims = [ClaimFactory(claim_ref=f"CIV-{n}") for n in (1, 2)]
    user_with_role("publisher", username="paul")
    url = "/admin/claims/claim/"
    selected = {"action": "assign_to", "_selected_action": [c.pk for c in claims]}
    page = rita.post(url, {**selected, "index": "0"})
    assert page.status_code == 200
    assert page.template_name == "admin/claims/claim/assign.html"
    choices = [label for _, label in page.context["form"].fields["assignee"].choices]
    assert choices == ["Choose an analyst or reviewer", "alice", "rita"]

    response = rita.post(url, {**selected, "apply": "Assign", "assignee": analyst.pk})
    assert response.status_code == 302
    assert messages_of(response) == ["Assigned to alice: CIV-1, CIV-2."]
    assert {fresh(c).assignee for c in claims} == {analyst}


# Editing and adding claims -------------------------------------------------------------------


def test_edit_goes_through_claim_update(rita, reviewer):
    claim = ClaimFactory(summary="Old summary.")
    form = rita.get(claim_url(claim))
    data = change_form_data(form, summary="A family of five was killed.")
    response = rita.post(claim_url(claim), data)
    assert response.status_code == 302
    claim = fresh(claim)
    assert (claim.summary, claim.version) == ("A family of five was killed.", 2)
    latest = claim.history.first()
    assert (latest.history_user, latest.history_change_reason) == (reviewer, "Edited")


def test_concurrent_edit_is_refused_and_names_who_changed_what(rita, reviewer):
    claim = ClaimFactory(claim_ref="CIV-1", summary="First report.", source_name="Airwars")
    form = rita.get(claim_url(claim))
    assert form.context["adminform"].form["version"].value() == 1

    # Meanwhile another analyst edits the same claim.
    other = user_with_role("analyst", username="omar")
    services.claim_update(claim=claim, by=other, expected_version=1, summary="Second report.")

    data = change_form_data(form, summary="My edit.", source_name="Amnesty")
    response = rita.post(claim_url(claim), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("Claim CIV-1 was changed by omar (")
    assert "while you were editing it (summary). Your changes were not saved" in errors[0]
    assert errors[0] in page_text(response)
    claim = fresh(claim)
    assert (claim.summary, claim.source_name, claim.version) == ("Second report.", "Airwars", 2)
    assert not LogEntry.objects.exists()


def test_concurrent_edit_rolls_back_the_inlines_too(rita):
    claim = ClaimFactory()
    form = rita.get(claim_url(claim))
    services.claim_update(
        claim=claim, by=user_with_role("analyst"), expected_version=1, summary="Changed."
    )
    data = change_form_data(form, summary="Mine.")
    data |= {"victims-TOTAL_FORMS": "1", "victims-0-name": "Ahmed", "victims-0-harm": "killed"}
    data |= {"victims-0-sex": "male", "victims-0-claim": str(claim.pk)}
    assert rita.post(claim_url(claim), data).status_code == 200
    assert claim.victims.count() == 0


def test_edit_with_inlines_only_saves_them_without_a_new_version(rita):
    claim = ClaimFactory()
    data = change_form_data(rita.get(claim_url(claim)))
    data |= {"victims-TOTAL_FORMS": "1", "victims-0-name": "Ahmed", "victims-0-harm": "killed"}
    data |= {"victims-0-sex": "male", "victims-0-claim": str(claim.pk)}
    assert rita.post(claim_url(claim), data).status_code == 302
    assert list(claim.victims.values_list("name", flat=True)) == ["Ahmed"]
    assert fresh(claim).version == 1


def test_add_goes_through_claim_create(rita, reviewer):
    strike = StrikeFactory(strike_ref="S-1")
    form = rita.get("/admin/claims/claim/add/")
    data = change_form_data(
        form,
        claim_ref="CIV-NEW",
        received_on="2017-03-09",
        incident_date="2017-03-08",
        country="IQ",
        source_type="media",
        precision="locality",
    ) | {"strikes": [str(strike.pk)]}
    response = rita.post("/admin/claims/claim/add/", data)
    assert response.status_code == 302
    claim = Claim.objects.get(claim_ref="CIV-NEW")
    assert list(claim.strikes.all()) == [Strike.objects.get(strike_ref="S-1")]
    assert (claim.stage, claim.version) == ("new", 2)
    assert claim.history.last().history_user == reviewer


def test_add_with_incident_after_receipt_is_refused_on_the_form(rita):
    data = change_form_data(
        rita.get("/admin/claims/claim/add/"),
        claim_ref="CIV-NEW",
        received_on="2017-03-09",
        incident_date="2017-03-10",
        country="IQ",
        source_type="media",
        precision="locality",
    )
    response = rita.post("/admin/claims/claim/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["The incident date cannot be after the date received."]
    }
    assert not Claim.objects.exists()

"""The write side of the API: strikes and claims recorded and edited, and the workflow acted on,
through the same services as the admin (same permissions, four eyes, lifecycle, history)."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from claims.definitions import AssessmentState, ClaimStatus, Stage
from claims.models import Assessment, Claim, Strike
from tests.factories import BelligerentFactory, ClaimFactory, StrikeFactory, propose

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def as_user(client):
    """Requests as a user authenticated by token (Authorization: Token <key>), JSON both ways."""

    def make(user):
        key = Token.objects.get_or_create(user=user)[0].key if user else None

        def call(method, path, body=None, expect=None, **headers):
            if key:
                headers["HTTP_AUTHORIZATION"] = f"Token {key}"
            response = getattr(client, method)(
                path, body, content_type="application/json", **headers
            )
            if expect is not None:
                assert response.status_code == expect, (response.status_code, response.json())
            return response

        return call

    return make


NEW_STRIKE = {
    "strike_ref": "S-NEW",
    "date": "2017-03-04",
    "belligerent": "coalition",
    "country": "IQ",
    "province": "Ninawa",
    "locality": "Mosul",
    "latitude": 36.3456789,
    "longitude": 43.1234567,
}
NEW_CLAIM = {
    "claim_ref": "CIV-NEW",
    "received_on": "2017-03-09",
    "incident_date": "2017-03-04",
    "country": "IQ",
    "province": "Ninawa",
    "locality": "Mosul",
    "source_type": "media",
    "civilians_killed_min": 2,
    "civilians_killed_max": 4,
    "belligerent": "Coalition",
    "summary": "A house was hit.",
    "confidential_notes": "Witness phone +964 555 0100",
}


def test_analyst_records_a_strike_with_a_token(as_user, analyst):
    BelligerentFactory(name="Coalition")
    response = as_user(analyst)("post", "/api/v1/strikes/", NEW_STRIKE, expect=201)
    body = response.json()
    assert response["Location"] == "/api/v1/strikes/S-NEW/"
    assert body["strike_ref"] == "S-NEW"
    assert body["belligerent"] == "Coalition"  # matched ignoring case
    assert body["latitude"] == 36.345679  # rounded to the six decimals kept
    assert body["precision"] == "locality"  # derived as the importer does
    assert body["engagements"] == 1
    strike = Strike.objects.get(strike_ref="S-NEW")
    assert strike.history.get().history_user == analyst


def test_unknown_belligerent_is_a_400_naming_the_known_ones(as_user, analyst):
    BelligerentFactory(name="Coalition")
    response = as_user(analyst)(
        "post", "/api/v1/strikes/", {**NEW_STRIKE, "belligerent": "Coalitoin"}, expect=400
    )
    assert response.json()["errors"] == {
        "belligerent": ["No belligerent named 'Coalitoin'. Known: Coalition."]
    }
    assert not Strike.objects.exists()


@pytest.mark.parametrize(
    "name, message",
    [
        ("Coali\x00tion", "Null characters are not allowed."),
        ("Coali\ud969tion", "Surrogate characters are not allowed: U+D969."),
    ],
)
def test_a_belligerent_name_the_database_cannot_compare_is_a_400(as_user, analyst, name, message):
    """Found by schemathesis on PostgreSQL, which refuses NUL and lone surrogates (a 500)."""
    BelligerentFactory(name="Coalition")
    response = as_user(analyst)(
        "post", "/api/v1/strikes/", {**NEW_STRIKE, "belligerent": name}, expect=400
    )
    assert response.json()["errors"] == {"belligerent": [message]}
    assert not Strike.objects.exists()


def test_analyst_corrects_a_strike_but_not_its_ref(as_user, analyst):
    StrikeFactory(strike_ref="S-1", engagements=1)
    call = as_user(analyst)
    body = call("patch", "/api/v1/strikes/S-1/", {"engagements": 3}, expect=200).json()
    assert body["engagements"] == 3
    response = call("patch", "/api/v1/strikes/S-1/", {"strike_ref": "S-2"}, expect=400)
    assert response.json()["errors"] == {"strike_ref": ["A record's strike_ref cannot be changed."]}
    response = call("patch", "/api/v1/strikes/S-1/", {"engagements": 0}, expect=400)
    assert response.json()["errors"] == {
        "engagements": ["Ensure this value is greater than or equal to 1."]
    }
    assert Strike.objects.get().engagements == 3


def test_analyst_submits_a_claim_and_its_notes_stay_internal(as_user, analyst, client):
    BelligerentFactory(name="Coalition")
    StrikeFactory(strike_ref="S-1")
    response = as_user(analyst)(
        "post", "/api/v1/claims/", {**NEW_CLAIM, "strikes": ["S-1"]}, expect=201
    )
    body = response.json()
    assert response["Location"] == "/api/v1/claims/CIV-NEW/"
    assert response["ETag"] == f'"{Claim.objects.get(claim_ref="CIV-NEW").version}"'
    assert body["claim_ref"] == "CIV-NEW"
    assert body["strikes"] == ["S-1"]
    assert body["status"] == "open"
    assert body["assessments"] == []
    assert "Witness phone" not in response.content.decode()
    claim = Claim.objects.get(claim_ref="CIV-NEW")
    assert claim.confidential_notes == "Witness phone +964 555 0100"
    assert claim.history.first().history_user == analyst
    anonymous = client.get("/api/v1/claims/CIV-NEW/")
    assert "Witness phone" not in anonymous.content.decode()
    # The public never sees the version to edit with: its ETag names the data version and the
    # request (casualty_tracker/conditional.py), not the claim's version.
    assert anonymous["ETag"] != f'"{claim.version}"'


def test_claim_errors_name_the_field(as_user, analyst):
    call = as_user(analyst)
    response = call(
        "post",
        "/api/v1/claims/",
        {**NEW_CLAIM, "belligerent": None, "incident_date": "2017-03-10", "strikes": ["S-X"]},
        expect=400,
    )
    assert response.json()["errors"] == {"strikes": ["No strike with strike_ref S-X."]}
    response = call(
        "post", "/api/v1/claims/", {**NEW_CLAIM, "belligerent": None, "incident_date": "2017-03-10"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["The incident date cannot be after the date received."]
    }
    ClaimFactory(claim_ref="CIV-NEW")
    response = call("post", "/api/v1/claims/", {**NEW_CLAIM, "belligerent": None}, expect=400)
    assert list(response.json()["errors"]) == ["claim_ref"]
    assert Claim.objects.count() == 1


def test_editing_a_claim_needs_the_version_read_and_refuses_a_stale_one(as_user, analyst):
    ClaimFactory(claim_ref="CIV-1", summary="First version.")
    call = as_user(analyst)
    read = call("get", "/api/v1/claims/CIV-1/", expect=200)
    assert read["ETag"] == '"1"'

    missing = call("patch", "/api/v1/claims/CIV-1/", {"summary": "Edited."}, expect=428)
    assert "If-Match" in missing.json()["detail"]

    edited = call(
        "patch", "/api/v1/claims/CIV-1/", {"summary": "Edited."}, expect=200, HTTP_IF_MATCH='"1"'
    )
    assert edited.json()["summary"] == "Edited."
    assert edited["ETag"] == '"2"'

    stale = call(
        "patch", "/api/v1/claims/CIV-1/", {"summary": "Mine."}, expect=409, HTTP_IF_MATCH='"1"'
    )
    assert "was changed by alice" in stale.json()["detail"]
    assert "(summary)" in stale.json()["detail"]
    assert Claim.objects.get().summary == "Edited."


def test_a_claims_ref_cannot_be_changed(as_user, analyst):
    ClaimFactory(claim_ref="CIV-1")
    response = as_user(analyst)(
        "patch", "/api/v1/claims/CIV-1/", {"claim_ref": "CIV-2"}, expect=400, HTTP_IF_MATCH='"1"'
    )
    assert response.json()["errors"] == {"claim_ref": ["A record's claim_ref cannot be changed."]}


def test_propose_approve_the_workflow_over_the_api(as_user, analyst, reviewer, client):
    ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 9))
    proposal = {
        "outcome": "credible",
        "civilians_killed": 3,
        "civilians_injured": 1,
        "rationale": "Strike logs match the time and place.",
        "diligence": ["strike_video", "map_search"],
        "reason": "",
    }
    proposed = as_user(analyst)("post", "/api/v1/claims/CIV-1/assessments/", proposal, expect=201)
    draft = proposed.json()
    assert draft["state"] == "proposed"
    assert draft["proposed_by"] == "alice"
    assert draft["diligence"] == ["strike_video", "map_search"]
    assert proposed["Location"] == f"/api/v1/proposals/{draft['id']}/"

    # Nothing public yet: the claim is open, the draft unpublished.
    assert client.get("/api/v1/claims/CIV-1/").json()["assessments"] == []
    assert client.get(f"/api/v1/assessments/{draft['id']}/").status_code == 404

    queue = as_user(reviewer)("get", "/api/v1/proposals/", expect=200).json()
    assert [row["id"] for row in queue["results"]] == [draft["id"]]

    approved = as_user(reviewer)(
        "post", f"/api/v1/assessments/{draft['id']}/approve/", expect=200
    ).json()
    assert approved["outcome"] == "credible"
    assert approved["civilians_killed"] == 3
    assert approved["sequence"] == 1
    claim = client.get("/api/v1/claims/CIV-1/").json()
    assert claim["status"] == "closed"
    assert claim["assessed_civilians_killed"] == 3
    assert "rita" not in str(claim) and "alice" not in str(claim)


def test_a_reviewer_never_approves_their_own_proposal(as_user, reviewer):
    claim = ClaimFactory(claim_ref="CIV-1")
    draft = propose(claim, by=reviewer)
    response = as_user(reviewer)("post", f"/api/v1/assessments/{draft.pk}/approve/", expect=403)
    assert response.json() == {
        "detail": "An assessment must be approved or returned by someone other than its author."
    }
    assert Assessment.objects.get().state == AssessmentState.PROPOSED


def test_return_needs_a_comment_and_sends_the_claim_back(as_user, analyst, reviewer):
    claim = ClaimFactory(claim_ref="CIV-1")
    draft = propose(claim, by=analyst)
    call = as_user(reviewer)
    response = call("post", f"/api/v1/assessments/{draft.pk}/return/", {"comment": ""}, expect=400)
    assert list(response.json()["errors"]) == ["comment"]
    returned = call(
        "post",
        f"/api/v1/assessments/{draft.pk}/return/",
        {"comment": "Check the strike video."},
        expect=200,
    ).json()
    assert returned["state"] == "returned"
    assert returned["return_comment"] == "Check the strike video."
    claim.refresh_from_db()
    assert claim.stage == Stage.IN_REVIEW


def test_illegal_transitions_are_409s(as_user, analyst, reviewer):
    claim = ClaimFactory(claim_ref="CIV-1")
    draft = propose(claim, by=analyst)
    body = {"outcome": "non_credible", "reason": "no_civilian_harm", "rationale": "No harm."}
    again = as_user(analyst)("post", "/api/v1/claims/CIV-1/assessments/", body, expect=409)
    assert again.json()["errors"] == {
        "claim": ["Claim CIV-1 already has a proposed assessment awaiting review."]
    }
    call = as_user(reviewer)
    call("post", f"/api/v1/assessments/{draft.pk}/approve/", expect=200)
    twice = call("post", f"/api/v1/assessments/{draft.pk}/approve/", expect=409)
    assert twice.json()["errors"] == {"assessment": ["This assessment is approved, not proposed."]}
    closed = as_user(analyst)("post", "/api/v1/claims/CIV-1/assessments/", body, expect=409)
    assert "reopen it before assessing it again" in closed.json()["detail"]


def test_reopen_needs_a_reason_and_opens_the_claim(as_user, analyst, reviewer):
    claim = ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 9))
    draft = propose(claim, by=analyst)
    as_user(reviewer)("post", f"/api/v1/assessments/{draft.pk}/approve/", expect=200)
    call = as_user(analyst)
    call("post", "/api/v1/claims/CIV-1/reopen/", {"reason": "  "}, expect=400)
    reopened = call(
        "post", "/api/v1/claims/CIV-1/reopen/", {"reason": "A hospital list names 4."}, expect=201
    ).json()
    assert reopened == {
        "claim": "CIV-1",
        "status": "open",
        "sequence": 2,
        "reopened_on": reopened["reopened_on"],
        "reason": "A hospital list names 4.",
        "reopens": 1,
    }
    assert Claim.objects.get().status == ClaimStatus.OPEN
    again = call("post", "/api/v1/claims/CIV-1/reopen/", {"reason": "More."}, expect=409)
    assert "errors" in again.json()


def test_unknown_records_are_404s_for_writes(as_user, reviewer):
    call = as_user(reviewer)
    assert call("post", "/api/v1/assessments/999/approve/", expect=404).json() == {
        "detail": "No assessment with id '999'."
    }
    call("post", "/api/v1/claims/NOPE/reopen/", {"reason": "x"}, expect=404)
    call("patch", "/api/v1/strikes/NOPE/", {"engagements": 2}, expect=404)


def test_writes_are_json_only(as_user, analyst, client):
    key = Token.objects.create(user=analyst).key
    response = client.post(
        "/api/v1/claims/",
        "claim_ref=X",
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 415
    assert "detail" in response.json()


def test_session_writes_need_the_csrf_token(analyst):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = client.post("/api/v1/claims/", NEW_CLAIM, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_bad_token_is_a_401(client):
    response = client.post(
        "/api/v1/claims/", {}, content_type="application/json", HTTP_AUTHORIZATION="Token nope"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Token"


def test_coordinates_out_of_range_or_too_large_are_400s(as_user, analyst):
    BelligerentFactory(name="Coalition")
    call = as_user(analyst)
    for value, message in [
        (91, "Ensure this value is less than or equal to 90."),
        (1e30, "Ensure that there are no more than 9 digits in total."),
        ("36.3", "A valid number is required."),
    ]:
        response = call("post", "/api/v1/strikes/", {**NEW_STRIKE, "latitude": value}, expect=400)
        assert response.json()["errors"] == {"latitude": [message]}, value
    assert not Strike.objects.exists()


def test_a_ref_with_a_slash_is_refused(as_user, analyst):
    response = as_user(analyst)(
        "post", "/api/v1/claims/", {**NEW_CLAIM, "claim_ref": "CIV/1", "belligerent": None}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "claim_ref": ["A claim ref cannot contain '/': it is part of the claim's web address."]
    }


def test_counts_above_what_every_database_holds_are_refused(as_user, analyst):
    """SQLite stored a strike of 9,223,372,036,854,775,806 engagements and a proposal of 30
    billion injured (schemathesis, issue 10): the months' sums then overflowed into a 500."""
    ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 9))
    StrikeFactory(strike_ref="S-1", engagements=1)
    call = as_user(analyst)
    too_many = ["Ensure this value is less than or equal to 2147483647."]

    response = call("patch", "/api/v1/strikes/S-1/", {"engagements": 2**31}, expect=400)
    assert response.json()["errors"] == {"engagements": too_many}
    proposal = {"outcome": "credible", "civilians_killed": 1, "civilians_injured": 2**31}
    proposal["rationale"] = "Strike logs match."
    response = call("post", "/api/v1/claims/CIV-1/assessments/", proposal, expect=400)
    assert response.json()["errors"] == {"civilians_injured": too_many}
    assert Strike.objects.get().engagements == 1
    assert not Assessment.objects.exists()

"""Who may do what over the API: anonymous / no role / analyst / reviewer × read / write /
decide. Anonymous writes are 401 (with the Token challenge), writes without the role 403, and a
refused request changes nothing."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from claims.models import Assessment, Claim, Reopening, Strike
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    StrikeFactory,
    assess,
    propose,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
ROLES = ["anonymous", "norole", "publisher", "analyst", "reviewer"]


@pytest.fixture
def records():
    BelligerentFactory(name="Coalition")
    StrikeFactory(strike_ref="S-1")
    author = user_with_role("analyst", username="author")
    ClaimFactory(claim_ref="OPEN-1", received_on=D(2017, 3, 9))
    proposed = ClaimFactory(claim_ref="PROPOSED-1", received_on=D(2017, 3, 9))
    closed = ClaimFactory(claim_ref="CLOSED-1", received_on=D(2017, 3, 9))
    assess(closed, "credible", D(2017, 3, 20))
    return {"proposal": propose(proposed, by=author).pk}


def _requests(records):
    proposal = records["proposal"]
    claim = {
        "claim_ref": "CIV-NEW",
        "received_on": "2017-03-09",
        "incident_date": "2017-03-04",
        "country": "IQ",
        "source_type": "media",
    }
    strike = {
        "strike_ref": "S-NEW",
        "date": "2017-03-04",
        "belligerent": "Coalition",
        "country": "IQ",
    }
    proposal_body = {"outcome": "non_credible", "reason": "other", "rationale": "Other."}
    return {
        "create strike": ("post", "/api/v1/strikes/", strike, {}),
        "edit strike": ("patch", "/api/v1/strikes/S-1/", {"engagements": 2}, {}),
        "create claim": ("post", "/api/v1/claims/", claim, {}),
        "edit claim": (
            "patch",
            "/api/v1/claims/OPEN-1/",
            {"summary": "x"},
            {"HTTP_IF_MATCH": '"1"'},
        ),
        "propose": ("post", "/api/v1/claims/OPEN-1/assessments/", proposal_body, {}),
        "reopen": ("post", "/api/v1/claims/CLOSED-1/reopen/", {"reason": "New witness."}, {}),
        "approve": ("post", f"/api/v1/assessments/{proposal}/approve/", None, {}),
        "return": ("post", f"/api/v1/assessments/{proposal}/return/", {"comment": "Why?"}, {}),
        "read proposals": ("get", "/api/v1/proposals/", None, {}),
    }


# What each role gets: analysts record and propose; reviewers also decide.
EXPECTED = {
    "anonymous": dict.fromkeys(
        [
            "create strike",
            "edit strike",
            "create claim",
            "edit claim",
            "propose",
            "reopen",
            "approve",
            "return",
            "read proposals",
        ],
        401,
    ),
    "norole": {
        "create strike": 403,
        "edit strike": 403,
        "create claim": 403,
        "edit claim": 403,
        "propose": 403,
        "reopen": 403,
        "approve": 403,
        "return": 403,
        "read proposals": 403,
    },
    "analyst": {
        "create strike": 201,
        "edit strike": 200,
        "create claim": 201,
        "edit claim": 200,
        "propose": 201,
        "reopen": 201,
        "approve": 403,
        "return": 403,
        "read proposals": 200,
    },
    "reviewer": {
        "create strike": 201,
        "edit strike": 200,
        "create claim": 201,
        "edit claim": 200,
        "propose": 201,
        "reopen": 201,
        "approve": 200,
        "return": 200,
        "read proposals": 200,
    },
}
EXPECTED["publisher"] = EXPECTED["norole"]

CASES = [(role, what) for role in ROLES for what in EXPECTED[role]]


def _counts():
    return (
        Strike.objects.count(),
        Claim.objects.count(),
        Assessment.objects.filter(state="proposed").count(),
        Assessment.objects.filter(state="approved").count(),
        Reopening.objects.count(),
        list(Strike.objects.values_list("engagements", flat=True)),
        list(Claim.objects.order_by("pk").values_list("summary", flat=True)),
    )


@pytest.mark.parametrize(("role", "what"), CASES, ids=[f"{r}-{w}" for r, w in CASES])
def test_permission_matrix(client, records, role, what):
    method, path, body, headers = _requests(records)[what]
    if role != "anonymous":
        user = user_with_role(None if role == "norole" else role, username=f"the-{role}")
        headers = {**headers, "HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}
    before = _counts()
    response = getattr(client, method)(path, body, content_type="application/json", **headers)
    expected = EXPECTED[role][what]
    assert response.status_code == expected, response.content[:300]
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {"detail": "Authentication credentials were not provided."}
    if expected >= 400:
        assert _counts() == before
        assert response.json()["detail"]


def test_anyone_reads_the_public_record(client, records):
    for path in ("/api/v1/claims/", "/api/v1/strikes/", "/api/v1/assessments/"):
        assert client.get(path).status_code == 200

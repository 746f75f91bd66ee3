"""Conditional GETs and cached answers (casualty_tracker/conditional.py): every public page and
API read carries an ETag derived from the data version and a Cache-Control; a matching
If-None-Match is a 304; the report pages and API are read back from the cache. The
invalidation by each kind of write: tests/reports/test_cached_figures.py."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import StrikeFactory
from tests.worlds import campaign

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, max-age=0, must-revalidate"
# The report pages and API, whose whole anonymous answer is kept in the cache.
CACHED = (
    "/",
    "/reports/",
    "/reports/2017/03/",
    "/comparison/",
    "/api/v1/reports/summary/",
    "/api/v1/reports/monthly/",
    "/api/v1/reports/monthly/2017-03/",
    "/api/v1/reports/comparison/",
)
# Other public reads: an ETag and a 304, computed by their view otherwise.
OTHERS = ("/methodology/", "/api/v1/claims/", "/api/v1/strikes/?format=csv", "/api/schema/")


@pytest.fixture
def world():
    campaign()


@pytest.mark.parametrize("path", CACHED + OTHERS)
def test_a_conditional_get_is_answered_304_without_a_query(
    client, world, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    assert first["Cache-Control"] == PUBLIC
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert (again["ETag"], again["Cache-Control"]) == (etag, PUBLIC)
    assert client.head(path, headers={"if-none-match": etag}).status_code == 304
    assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200


@pytest.mark.parametrize("path", CACHED)
def test_a_cached_answer_is_read_back_without_a_query(
    client, world, path, django_assert_num_queries
):
    first = client.get(path)
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]
    # The security headers are the middleware's, on every answer.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Set-Cookie" not in again


def test_a_write_makes_a_new_etag_and_the_old_one_gets_the_new_page(client, world):
    etag = client.get("/api/v1/reports/summary/")["ETag"]
    StrikeFactory(engagements=7)
    response = client.get("/api/v1/reports/summary/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["engagements"] == 1_203 + 7


def test_the_etag_differs_with_the_query_string_and_the_format(client, world):
    etags = {
        client.get("/api/v1/claims/")["ETag"],
        client.get("/api/v1/claims/?page_size=2")["ETag"],
        client.get("/api/v1/claims/?format=csv")["ETag"],
        client.get("/api/v1/claims/", headers={"accept": "text/csv"})["ETag"],
    }
    assert len(etags) == 4


def test_a_signed_in_reader_gets_a_private_answer_of_their_own(client, world, reviewer):
    anonymous = client.get("/")
    client.force_login(reviewer)
    signed_in = client.get("/")
    assert signed_in["Cache-Control"] == PRIVATE
    assert signed_in["ETag"] != anonymous["ETag"]
    assert "Cookie" in signed_in["Vary"]
    assert client.get("/", headers={"if-none-match": signed_in["ETag"]}).status_code == 304
    # An anonymous reader's ETag is not a signed-in reader's.
    assert client.get("/", headers={"if-none-match": anonymous["ETag"]}).status_code == 200


def test_a_token_reader_is_checked_before_any_304(world, reviewer):
    token = Token.objects.create(user=reviewer)
    api = Client(headers={"authorization": f"Token {token.key}"})
    first = api.get("/api/v1/proposals/")
    assert (first.status_code, first["Cache-Control"]) == (200, PRIVATE)
    assert first["ETag"] != Client().get("/api/v1/claims/").get("ETag")
    assert api.get("/api/v1/proposals/", headers={"if-none-match": first["ETag"]}).status_code == (
        304
    )
    reviewer.groups.clear()  # no data version changes: the permission is checked again anyway
    refused = api.get("/api/v1/proposals/", headers={"if-none-match": first["ETag"]})
    assert refused.status_code == 403
    assert "ETag" not in refused


def test_a_token_reader_never_gets_an_anonymous_cached_answer(client, world, reviewer):
    anonymous = client.get("/api/v1/reports/summary/")
    token = Token.objects.create(user=reviewer)
    answer = client.get("/api/v1/reports/summary/", headers={"authorization": f"Token {token.key}"})
    assert answer["Cache-Control"] == PRIVATE
    assert answer["ETag"] != anonymous["ETag"]


@pytest.mark.parametrize(
    "path, status",
    [
        ("/reports/2099/01/", 404),  # an error
        ("/api/v1/claims/CIV-404/", 404),
        ("/reports/2017/3/", 301),  # a redirect
        ("/healthz", 200),
        ("/admin/login/", 200),
        ("/api/docs/", 200),  # its inline script carries the request's CSP nonce
    ],
)
def test_no_etag_on_errors_redirects_health_admin_or_a_nonce(client, world, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "ETag" not in response
    assert response.get("Cache-Control", "") != PUBLIC
    assert client.get(path).status_code == status  # and nothing was cached


def test_a_write_through_the_api_is_never_a_conditional_answer(client, world):
    response = client.post("/api/v1/strikes/", {}, content_type="application/json")
    assert response.status_code == 401
    assert "ETag" not in response


def test_a_signed_in_reader_gets_the_503_page_when_the_database_is_down(
    client, world, reviewer, monkeypatch
):
    client.force_login(reviewer)
    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/")
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "ETag" not in response


def test_an_anonymous_reader_gets_a_cached_page_while_the_database_is_down(
    client, world, monkeypatch
):
    page = client.get("/reports/2017/03/")
    monkeypatch.setattr(connection, "ensure_connection", refuse)
    again = client.get("/reports/2017/03/")
    assert (again.status_code, again.content) == (200, page.content)
    assert client.get("/reports/2017/04/").status_code == 503


def refuse():
    raise OperationalError("connection refused")

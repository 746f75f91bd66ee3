"""/healthz, and the database down: 503 with Retry-After everywhere (a page, JSON under /api/),
never a 500, and the next request after the database is back succeeds (casualty_tracker/health.py).

The database is made unreachable by making every connection attempt fail as a closed port does;
tests/test_serving.py starts real servers with the database missing."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import RequestFactory

from casualty_tracker.errors import server_error
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

DOWN = 'connection to server at "127.0.0.1", port 1 failed: Connection refused'
API_DETAIL = (
    "Service unavailable: the database is not answering. Nothing was changed; try again in 30 "
    "seconds."
)


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails to connect until `.up()`; returns a switch."""

    def refuse():
        raise OperationalError(DOWN)

    class Switch:
        @staticmethod
        def up():
            monkeypatch.undo()

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    return Switch


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in html
    assert "try again in 30 seconds" in html
    assert "5432" not in html and "Connection refused" not in html


def test_healthz_answers_ok_when_the_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}


def test_healthz_answers_503_when_the_cache_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


@pytest.mark.parametrize("path", ["/", "/claims/", "/reports/", "/map/", "/claims/CIV-1/"])
def test_a_public_page_answers_a_plain_503_when_the_database_is_down(client, database_down, path):
    assert_unavailable_page(client.get(path))


def test_the_api_answers_json_503_when_the_database_is_down(client, database_down):
    response = client.get("/api/v1/claims/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": API_DETAIL}


def test_an_api_write_with_a_token_answers_json_503_when_the_database_is_down(
    client, database_down
):
    response = client.post(
        "/api/v1/strikes/",
        {"strike_ref": "S-1"},
        content_type="application/json",
        headers={"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"},
    )
    assert response.status_code == 503
    assert response.json() == {"detail": API_DETAIL}


def test_an_admin_login_post_answers_503_when_the_database_is_down(client, database_down):
    response = client.post(
        "/admin/login/", {"username": "rita", "password": "anything", "next": "/admin/"}
    )
    assert_unavailable_page(response)


@pytest.fixture
def civ_1(db):
    return ClaimFactory(claim_ref="CIV-1")


def test_pages_recover_by_themselves_when_the_database_comes_back(client, civ_1, database_down):
    assert client.get("/healthz").status_code == 503
    assert client.get("/claims/CIV-1/").status_code == 503
    assert client.get("/api/v1/claims/").status_code == 503

    database_down.up()

    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert client.get("/claims/CIV-1/").status_code == 200
    assert client.get("/api/v1/claims/").json()["count"] == 1


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/claims/", "text/html; charset=utf-8"), ("/api/v1/claims/", "application/json")],
)
def test_a_database_error_outside_a_view_is_a_503_too(path, content_type):
    """A middleware (saving the session, say) fails: Django's handler500 answers."""
    request = RequestFactory().get(path)
    try:
        raise OperationalError(DOWN)
    except OperationalError:
        response = server_error(request)
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response["Content-Type"] == content_type


def test_any_other_server_error_is_still_a_500():
    request = RequestFactory().get("/claims/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")

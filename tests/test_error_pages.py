"""Errors read as each audience needs them: JSON under /api/, a page elsewhere; never a trace."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(monkeypatch):
    """Make the summary (the home page and /api/v1/reports/summary/ both call it) fail."""

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail zq7canary")

    monkeypatch.setattr("reports.api.summary", boom)
    monkeypatch.setattr("reports.views.pages.summary", boom)


def test_an_api_server_error_is_json_without_details(client, failing):
    client.raise_request_exception = False
    response = client.get("/api/v1/reports/summary/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Server error")
    assert b"zq7canary" not in response.content


def test_a_page_server_error_is_a_page_without_details(client, failing):
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert b"<h1>Server error</h1>" in response.content
    assert b"zq7canary" not in response.content


def test_an_unknown_page_is_a_404_page_with_ways_on(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'href="/claims/"' in html

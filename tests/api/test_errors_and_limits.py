"""Errors are JSON with the right status; pagination limits; throttling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from tests.factories import ClaimFactory, user_with_role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


CHOICE = "Select a valid choice. {} is not one of the available choices."
SIZE = "page_size must be a whole number from 1 to 1000, not {!r}."


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"incident_date_after": "2017-02-30"}, {"incident_date_after": ["Enter a valid date."]}),
        ({"incident_date_before": "09/03/2017"}, {"incident_date_before": ["Enter a valid date."]}),
        ({"outcome": "maybe"}, {"outcome": [CHOICE.format("maybe")]}),
        ({"country": "Iraq"}, {"country": [CHOICE.format("Iraq")]}),
        (
            {"killed_min": "-1"},
            {"killed_min": ["Ensure this value is greater than or equal to 0."]},
        ),
        ({"killed_max": "2.5"}, {"killed_max": ["Enter a whole number."]}),
        ({"page_size": "0"}, {"page_size": [SIZE.format("0")]}),
        ({"page_size": "1001"}, {"page_size": [SIZE.format("1001")]}),
        ({"page": "first"}, {"page": ["page must be 1 or more, not 'first'."]}),
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(api, db, params, errors):
    data = api("/api/v1/claims/", expect=400, **params)
    assert data["errors"] == errors
    [(name, [message])] = errors.items()
    assert data["detail"] == f"Invalid request. {name}: {message}"


def test_a_misspelt_parameter_is_an_error_not_everything(api, db):
    data = api("/api/v1/claims/", expect=400, outcom="credible")
    assert data["errors"]["outcom"][0].startswith("Unknown query parameter. Known: ")
    assert "outcome" in data["errors"]["outcom"][0]


def test_unknown_ordering_names_the_choices(api, db):
    assert api("/api/v1/strikes/", expect=400, ordering="--date")["errors"]["ordering"][
        0
    ].startswith("Unknown ordering '--date'.")
    data = api("/api/v1/strikes/", expect=400, ordering="date,-power")
    assert data["errors"] == {
        "ordering": [
            "Unknown ordering '-power'. Use one or more of date, engagements, strike_ref, each "
            "optionally prefixed with '-'."
        ]
    }


def test_unknown_address_under_api_is_a_json_404(client, db):
    response = client.get("/api/v2/claims/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No API endpoint at /api/v2/claims/. The documentation is at /api/docs/."
    }


def test_methods_the_api_does_not_offer_are_a_json_405_for_everyone(client, world):
    """Records are never deleted or replaced whole (PUT), belligerents are added in the admin,
    and the reports are read-only: for everyone, signed in or not."""
    cases = [
        ("delete", "/api/v1/claims/CIV-A/", "DELETE"),
        ("put", "/api/v1/claims/CIV-A/", "PUT"),
        ("post", "/api/v1/belligerents/", "POST"),
        ("patch", "/api/v1/assessments/1/", "PATCH"),
        ("post", "/api/v1/reports/summary/", "POST"),
    ]
    for signed_in in (False, True):
        if signed_in:
            client.force_login(user_with_role("reviewer"))
        for method, path, name in cases:
            response = getattr(client, method)(path, {}, content_type="application/json")
            refused = (405, {"detail": f'Method "{name}" not allowed.'})
            assert (response.status_code, response.json()) == refused, (path, signed_in)


def test_an_empty_parameter_means_not_given(api, world):
    params = dict.fromkeys(["received_on_before", "outcome", "page", "page_size", "format"], "")
    assert api("/api/v1/claims/", **params)["count"] == 5


def test_exports_check_the_page_parameters_they_ignore(api, db):
    data = api("/api/v1/claims/", expect=400, format="csv", page_size="-3")
    assert data["errors"] == {"page_size": [SIZE.format("-3")]}


def test_pages_of_50_by_default_up_to_1000(api, db):
    ClaimFactory.create_batch(51)
    first = api("/api/v1/claims/")
    assert (first["count"], len(first["results"]), first["previous"]) == (51, 50, None)
    assert first["next"] == "http://testserver/api/v1/claims/?page=2"
    assert len(api("/api/v1/claims/", page="2")["results"]) == 1
    assert len(api("/api/v1/claims/", page_size="1000")["results"]) == 51
    assert api("/api/v1/claims/", expect=404, page="3") == {"detail": "Invalid page."}


def test_pages_do_not_overlap_when_dates_tie(api, db):
    ClaimFactory.create_batch(30)  # all received the same day
    seen = [
        row["claim_ref"]
        for page in range(1, 4)
        for row in api("/api/v1/claims/", page=str(page), page_size="10")["results"]
    ]
    assert len(set(seen)) == 30


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }
    caches["throttle"].clear()


def test_anonymous_clients_are_throttled_with_a_json_429(client, db, low_rates):
    statuses = [client.get("/api/v1/belligerents/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/reports/summary/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert 0 < int(response["Retry-After"]) <= 60


def test_signed_in_users_have_their_own_higher_limit(client, db, low_rates):
    client.force_login(user_with_role("analyst"))
    statuses = [client.get("/api/v1/belligerents/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_rates_come_from_the_environment():
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casualty_tracker.settings", "SECRET_KEY": "x"}
    env |= {"API_ANON_RATE": "20/hour", "API_USER_RATE": "2000/hour"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "{'anon': '20/hour', 'user': '2000/hour'}", result.stderr
    del env["API_ANON_RATE"], env["API_USER_RATE"]
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "{'anon': '100/min', 'user': '1000/min'}", result.stderr


def test_anonymous_clients_are_not_counted_against_the_user_rate(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/min", "user": "2/min"},
    }
    caches["throttle"].clear()
    assert [client.get("/api/v1/belligerents/").status_code for _ in range(5)] == [200] * 5


@pytest.mark.parametrize("path", ["/api/v1/reports/monthly/", "/api/v1/claims/"])
def test_options_is_json_even_when_csv_is_asked(client, db, path):
    response = client.options(path, {"format": "csv"})
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert "name" in response.json()


@pytest.mark.parametrize("value", ["²", "٣", "1.0", "-1", "99999999999999999999"])
def test_odd_ids_are_a_404_not_a_server_error(api, db, value):
    api(f"/api/v1/external-assessments/{value}/", expect=404)
    api(f"/api/v1/belligerents/{value}/", expect=404)
    assert api("/api/v1/claims/", belligerent=value)["count"] == 0

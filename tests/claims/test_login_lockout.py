"""Failed sign-ins lock the account and the address (django-axes, casualty_tracker/lockout.py).

The settings' "Login protection" block: 5 failures for one username (from anywhere) or from one
address (on any usernames) lock that username or that address for 15 minutes; the lockout page
(429) says when to try again; a superuser unlocks from the admin or with `axes_reset_username`.
"""

import html
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.utils import timezone

from casualty_tracker.lockout import client_ip
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
LOGIN = "/admin/login/"
HERE, ELSEWHERE = "198.51.100.7", "203.0.113.9"


def log_in(client, username, password=PASSWORD, address=HERE):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def signed_in(response) -> bool:
    return (response.status_code, response.get("Location")) == (302, "/admin/")


def fail_five_times(client, username="rita", address=HERE):
    return [log_in(client, username, "wrong", address).status_code for _ in range(5)]


@pytest.fixture
def rita(db):
    return user_with_role("reviewer", username="rita")


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, rita):
    before = timezone.now()

    assert fail_five_times(client) == [200, 200, 200, 200, 429]
    response = log_in(client, "rita")

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = text(response)
    assert "Signing in is locked for this account or this address after 5 failed attempts." in page
    # Fifteen minutes after the refused attempt (the clock may pass a minute meanwhile).
    retry_at = {
        f"Try again after {moment + timedelta(minutes=15):%-d %B %Y, %H:%M} UTC (in 15 minutes)."
        for moment in (before, timezone.now())
    }
    assert any(sentence in page for sentence in retry_at), retry_at
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_and_per_address(client, rita):
    user_with_role("analyst", username="alice")
    fail_five_times(client, "rita", HERE)

    # The account, from another address: locked (a guess spread over many machines).
    assert log_in(Client(), "rita", address=ELSEWHERE).status_code == 429
    # Another account, from this address: locked (one machine trying many accounts).
    assert log_in(Client(), "alice", address=HERE).status_code == 429
    # Another account from another address: unaffected.
    assert signed_in(log_in(Client(), "alice", address=ELSEWHERE))


def test_four_failures_do_not_lock(client, rita):
    for _ in range(4):
        log_in(client, "rita", "wrong")

    assert signed_in(log_in(client, "rita"))


def test_the_lockout_ends_after_the_cool_off(client, rita):
    fail_five_times(client)
    assert log_in(client, "rita").status_code == 429

    # Sixteen minutes pass since the last attempt.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert signed_in(log_in(client, "rita"))


def test_a_superuser_unlocks_the_account_from_the_admin(client, rita):
    fail_five_times(client)
    admin = Client()
    admin.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    attempts = admin.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "Locked Out" in text(attempts)

    response = admin.post(
        "/admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(log_in(client, "rita"))


def test_axes_reset_username_unlocks_the_account(client, rita):
    fail_five_times(client, address=HERE)

    call_command("axes_reset_username", "rita", stdout=None)

    assert signed_in(log_in(client, "rita", address=ELSEWHERE))


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_roles_cannot_see_the_sign_in_records(client, role):
    client.force_login(user_with_role(role))

    for page in ["/admin/axes/accessattempt/", "/admin/axes/accesslog/"]:
        assert client.get(page).status_code == 403


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(settings):
    factory = RequestFactory()
    request = factory.post(
        LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ELSEWHERE}"
    )
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.2"

    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == ELSEWHERE
    assert client_ip(factory.post(LOGIN, REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"

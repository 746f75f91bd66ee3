"""Accounts: a role is what lets someone into the admin, not "Staff status".

casualty_tracker/admin.py lets in active users with a role (or superusers); a signed-in user
without one gets a 403 page naming what is missing on every admin page; the login form says so
instead of blaming a right password.
"""

import html

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import ClaimFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
NO_ROLE = (
    "Your account has no role in this tracker: ask an administrator (a superuser of this "
    "tracker) to give you one (analyst, reviewer or publisher)."
)
WRONG_PASSWORD = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)
LOGIN = "/admin/login/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def non_staff(role, username, **fields):
    """A user in the role's group, "Staff status" not ticked."""
    user = UserFactory(username=username, is_staff=False, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in_username(client) -> str | None:
    user = client.get("/admin/").wsgi_request.user
    return user.get_username() if user.is_authenticated else None


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher"])
def test_a_role_without_staff_status_is_enough_to_sign_in(client, role):
    non_staff(role, "nora")

    response = log_in(client, "nora")

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    index = client.get("/admin/")
    assert index.status_code == 200
    assert [app["app_label"] for app in index.context["app_list"]][:1] == ["claims"]
    dashboard = client.get(reverse("claims_dashboard"))
    assert dashboard.status_code == 200
    assert "<h1>Reviewer dashboard</h1>" in dashboard.content.decode()


def test_an_analyst_without_staff_status_reaches_the_import_page(client):
    non_staff("analyst", "nora")
    log_in(client, "nora")
    assert client.get(reverse("claims_import")).status_code == 200


def test_a_superuser_without_staff_status_signs_in(client):
    UserFactory(username="root", is_superuser=True, is_staff=False)
    assert log_in(client, "root")["Location"] == "/admin/"
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_users_with_a_role_are_listed_in_the_admin(admin_client):
    non_staff("analyst", "nora")
    user_with_role("reviewer", username="rita")
    users = admin_client.get(reverse("admin:auth_user_changelist"))
    assert [user.username for user in users.context["cl"].result_list] == [
        "admin",
        "nora",
        "rita",
    ]


def test_without_a_role_or_staff_status_the_login_says_what_is_missing(client):
    UserFactory(username="nobody")

    response = log_in(client, "nobody")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NO_ROLE]
    assert f'<p class="errornote">\n    {NO_ROLE}\n</p>' in text(response)
    assert signed_in_username(client) is None


@pytest.mark.parametrize("username", ["nobody", "nora", "unknown"])
def test_a_wrong_password_gets_the_wrong_password_error_only(client, username):
    UserFactory(username="nobody")
    non_staff("analyst", "nora")

    response = log_in(client, username, password="wrong-horse")

    assert response.context["form"].non_field_errors() == [WRONG_PASSWORD]
    assert "no role" not in text(response)
    assert signed_in_username(client) is None


def test_an_inactive_user_with_a_role_is_refused(client):
    user = non_staff("analyst", "gone", is_active=False)

    response = log_in(client, "gone")

    assert response.context["form"].non_field_errors() == [WRONG_PASSWORD]
    assert "no role" not in text(response)
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_a_staff_user_without_a_role_signs_in_to_a_page_saying_what_is_missing(client):
    UserFactory(username="root", is_superuser=True)
    user_with_role(None, username="stan")

    response = log_in(client, "stan")
    assert (response.status_code, response["Location"]) == (302, "/admin/")

    page = client.get("/admin/")
    assert page.status_code == 403
    assert [t.name for t in page.templates][:2] == ["admin/no_role.html", "admin/base_site.html"]
    content = text(page)
    assert "<title>Your account has no role | Claims tracker</title>" in content
    assert f'<p class="errornote">{NO_ROLE}</p>' in content
    assert "You are signed in as <strong>stan</strong>." in content
    assert "You don’t have permission to view or edit anything." not in content
    assert "root" not in content  # administrators are not named
    assert f'<form id="logout-form" method="post" action="{reverse("admin:logout")}">' in content


def test_every_admin_page_answers_a_staff_user_without_a_role_with_that_page(client):
    claim = ClaimFactory()
    client.force_login(user_with_role(None, username="stan"))
    for url in (
        "/admin/",
        reverse("claims_dashboard"),
        reverse("claims_import"),
        reverse("admin:app_list", args=["claims"]),
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:password_change"),
        "/admin/no/such/page/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert NO_ROLE in text(response), url
        assert "no-cache" in response["Cache-Control"], url
    posted = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), {})
    assert posted.status_code == 403


def test_a_staff_user_without_a_role_can_log_out(client):
    client.force_login(user_with_role(None, username="stan"))

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "Logged out" in text(response)
    assert signed_in_username(client) is None


def test_losing_the_role_closes_the_admin_at_the_next_page(client):
    user = non_staff("analyst", "nora")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200

    user.groups.remove(Group.objects.get(name="analyst"))

    response = client.get("/admin/")
    assert response.status_code == 403
    assert NO_ROLE in text(response)


def test_a_user_without_a_role_signed_in_elsewhere_gets_the_same_page(client):
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert NO_ROLE in text(response)

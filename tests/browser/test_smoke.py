import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_login_page_renders_without_outside_requests(page, live_server, offline, screenshot):
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("h1, #site-name").first.inner_text().strip() == (
        "Civilian-harm claims tracker"
    )
    screenshot(page, "admin-login")
    assert offline == []

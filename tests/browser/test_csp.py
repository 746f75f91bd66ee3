"""Every public page, the API docs and the admin under the Content-Security-Policy in chromium:
no violation is reported, and the charts, the maps and Swagger UI still draw."""

import pytest

from tests import worlds
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Recorded from the first script the page runs, before any of ours.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""

# Each page, and what shows that its scripts ran (a function: Playwright would eval a string,
# which the policy refuses).
PUBLIC = [
    ("/", "() => document.querySelectorAll('canvas[width]').length === 2"),
    ("/reports/", None),
    ("/reports/2017/03/", None),
    ("/claims/", None),
    ("/claims/CIV-A/", "() => document.querySelector('#incident-map .leaflet-overlay-pane path')"),
    ("/map/", "() => document.querySelector('#claims-map.is-ready .map-cluster')"),
    ("/comparison/", None),
    ("/methodology/", None),
    ("/api/docs/", "() => document.querySelectorAll('.opblock-summary').length > 20"),
]


def visit(page, url: str, drawn: str | None, console: list) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style")[0]
    if drawn:
        page.wait_for_function(drawn)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations") + [m for m in console if "Refused to" in m]


def test_no_page_breaks_the_content_security_policy(page, live_server, offline, screenshot):
    worlds.pages_world()
    UserFactory(username="root", is_superuser=True, is_staff=True)
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda message: console.append(message.text))

    violations = {}
    for path, drawn in PUBLIC:
        violations[path] = visit(page, f"{live_server.url}{path}", drawn, console)
        console.clear()
    screenshot(page, "csp-api-docs")

    # The admin: signing in (the login form and django-axes) and the reviewers' pages.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    violations["/admin/login/"] = page.evaluate("window.__violations")
    claim = worlds.Claim.objects.get(claim_ref="CIV-A")
    for path in [
        "/admin/",
        "/admin/claims/dashboard/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/axes/accessattempt/",
    ]:
        violations[path] = visit(page, f"{live_server.url}{path}", None, console)
        console.clear()

    assert {path: found for path, found in violations.items() if found} == {}
    assert offline == []

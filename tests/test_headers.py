"""Security headers (casualty_tracker/headers.py, settings "Security headers"): a strict
Content-Security-Policy, a Permissions-Policy, HSTS only as configured; and stored URLs that are
not web addresses never rendered as links (claims/templatetags/links.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from claims.models import Claim, ExternalAssessment, Strike
from claims.pages import LIST_FORM, MAP_FORM
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
PAYLOAD = "javascript:alert(1)"


def policy(response) -> dict[str, str]:
    return dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/claims/", "/reports/", "/methodology/", "/nowhere/"])
def test_public_pages_get_the_strict_policy(client, path):
    response = client.get(path)

    assert policy(response) == STRICT
    assert response["Permissions-Policy"] == (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    )


@pytest.mark.django_db
def test_the_admin_may_inline_styles_but_never_scripts(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    for path in ["/admin/login/", "/admin/", "/admin/claims/claim/"]:
        assert policy(client.get(path)) == {**STRICT, "style-src": "'self' 'unsafe-inline'"}, path


def test_the_api_docs_inline_script_and_style_carry_the_nonce_of_the_policy(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]{24})'", policy(response)["script-src"])[1]
    assert policy(response)["style-src"] == f"'self' 'nonce-{nonce}'"
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">',
        '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/'
        'swagger-ui-standalone-preset.js">',
        f'<script nonce="{nonce}">',
    ]
    assert re.findall(r"<style[^>]*>", html) == [f'<style nonce="{nonce}">']
    # A nonce for each response.
    assert nonce not in client.get("/api/docs/")["Content-Security-Policy"]


# A data block (JSON-LD, CSL-JSON: casualty_tracker/opendata.py) is never run, so the policy
# does not apply to it; any other inline <script> would be refused.
DATA_BLOCK = r'type="application/(?:ld\+json|vnd\.citationstyles\.csl\+json)"'
INLINE = re.compile(
    rf"<script(?![^>]*\s(?:src=|{DATA_BLOCK}))[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def test_no_public_template_inlines_a_script_or_a_style():
    """Public pages come from templates/ (the admin's from templates/admin/, which may inline
    styles; the API docs' from templates/drf_spectacular/, with the nonce)."""
    public = [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if path.relative_to(ROOT / "templates").parts[0] not in {"admin", "drf_spectacular"}
    ]
    assert len(public) > 20
    found = {
        f"{path.relative_to(ROOT)}: {match[0]}"
        for path in public
        for match in INLINE.finditer(path.read_text())
    }
    assert found == set()


def test_every_filter_fieldset_width_has_its_css_rule():
    """The filter forms' fieldset widths are data attributes styled in claims.css (an inline
    style would be refused by the policy)."""
    css = (ROOT / "static/css/claims.css").read_text()
    widths = {
        f"{options.get('width', len(fields)):g}" for _, fields, options in [*LIST_FORM, *MAP_FORM]
    }
    assert widths == {"1.5", "2", "4", "5"}
    for width in widths:
        assert f'fieldset[data-fields="{width}"] {{ --fields: {width}; }}' in css


def hsts_settings(**env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith("SECURE_HSTS")}
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={
            **clean,
            **env,
            "SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "casualty_tracker.settings",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_hsts_is_off_until_configured_and_its_reaches_are_opt_in():
    assert hsts_settings() == ["0", "False", "False"]
    assert hsts_settings(SECURE_HSTS_SECONDS="31536000") == ["31536000", "False", "False"]
    assert hsts_settings(
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    ) == ["31536000", "True", "True"]


# --- stored URLs --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stored_url_that_is_not_a_web_address_is_text_not_a_link(client, pages_world):
    # Written past validation, as a queryset update, SQL or an old row would.
    assert Claim.objects.filter(claim_ref="CIV-A").update(source_url=PAYLOAD) == 1
    assert Strike.objects.filter(strike_ref="S-1").update(source_url=PAYLOAD) == 1
    assert ExternalAssessment.objects.filter(claim__claim_ref="CIV-A").update(url=PAYLOAD) >= 1
    Claim.objects.filter(claim_ref="CIV-B").update(source_url="https://example.org/b")

    page = client.get("/claims/CIV-A/").content.decode()
    assert "javascript:" not in page.lower()
    assert ">Airwars<" in page  # the source and the external organisation, as text
    # The strike's ref links to its page, where its source is text.
    assert '<th scope="row"><a href="/strikes/S-1/">S-1</a></th>' in page
    strike_page = client.get("/strikes/S-1/").content.decode()
    assert "javascript:" not in strike_page.lower()
    assert "<dt>Source</dt><dd>the belligerent's release</dd>" in strike_page
    # A web address is still a link.
    assert '<a href="https://example.org/b" rel="noopener nofollow">' in (
        client.get("/claims/CIV-B/").content.decode()
    )

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    claim = Claim.objects.get(claim_ref="CIV-A")
    admin_page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'href="javascript:' not in admin_page.lower()


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//evil.example/x", False),
        ("https:///nohost", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_and_https_addresses_become_links(url, linked):
    from claims.templatetags.links import source_link

    html = source_link(url, "the source")
    assert html.startswith("<a ") is linked
    if not linked:
        assert html == "the source"

"""The API's interactive docs (/api/docs/) render from our own static files, offline."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_api_docs_render_every_operation_without_outside_requests(
    page, live_server, offline, screenshot
):
    page.goto(f"{live_server.url}/api/docs/")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    paths = sorted({text.strip() for text in operations.all_inner_texts()})
    assert "/api/v1/claims/{claim_ref}/" in paths
    assert len(paths) == 14
    screenshot(page, "api-docs")
    assert offline == []

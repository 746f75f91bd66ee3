"""The API's interactive docs (/api/docs/) render from our own static files, offline."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_api_docs_render_every_operation_without_outside_requests(
    page, live_server, offline, screenshot
):
    schema = page.request.get(f"{live_server.url}/api/schema/?format=json").json()
    documented = sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "patch", "put", "delete"}
    )
    page.goto(f"{live_server.url}/api/docs/")
    blocks = page.locator(".opblock-summary")
    blocks.first.wait_for()
    rendered = sorted(
        f"{block.locator('.opblock-summary-method').inner_text().strip()} "
        f"{block.locator('.opblock-summary-path').inner_text().strip()}"
        for block in blocks.all()
    )
    assert "POST /api/v1/assessments/{id}/approve/" in rendered
    assert len(rendered) == 28  # 20 reads, 8 writes, at 24 addresses
    assert rendered == documented
    screenshot(page, "api-docs")
    assert offline == []

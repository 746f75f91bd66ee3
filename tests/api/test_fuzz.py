"""schemathesis against the live schema, in process: every operation, anonymous and signed in
(with an analyst's and with a reviewer's token), a bounded number of generated requests each,
with every check schemathesis runs on a response (`--checks all`; tests/api/schemathesis.toml).
No request may get a server error, and every response must match the schema (a documented status
code, content type, headers and body): every refusal the server makes is in the schema. Run in
CI on PostgreSQL and SQLite with the rest of the suite.

The schema is generated at import (no server, no database): `from_fixture` breaks on pytest 9.2.
"""

import json
import os
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token

from casualty_tracker.wsgi import application
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# Generated requests per operation and per identity: enough to reach every parameter and body
# field, small enough for CI (about 40 operations x 3 identities on each database).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

_document = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
_config = schemathesis.config.SchemathesisConfig.from_path(
    Path(__file__).with_name("schemathesis.toml")
)
schema = schemathesis.openapi.from_dict(_document, config=_config)
schema.app = application

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure can be replayed
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first failure as is
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def in_process(settings, world):
    """The app as Django's test client runs it: same thread and connection as the test (so it
    sees the test's data), the WSGI host allowed, and connections left open between requests."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def analyst_token():
    return Token.objects.create(user=user_with_role("analyst", username="fuzz-analyst")).key


@pytest.fixture
def reviewer_token():
    return Token.objects.create(user=user_with_role("reviewer", username="fuzz-reviewer")).key


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_never_fail_or_break_the_schema(case, in_process):
    case.call_and_validate()


@schema.parametrize()
@FUZZ_SETTINGS
def test_signed_in_requests_never_fail_or_break_the_schema(case, in_process, reviewer_token):
    case.call_and_validate(headers={"Authorization": f"Token {reviewer_token}"})


@schema.parametrize()
@FUZZ_SETTINGS
def test_analyst_requests_never_fail_or_break_the_schema(case, in_process, analyst_token):
    case.call_and_validate(headers={"Authorization": f"Token {analyst_token}"})

"""Fixtures shared by the claims tests: an analyst (alice) and a reviewer (rita), and rita's
logged-in client. A module may define its own fixture of the same name instead."""

import pytest

from tests.factories import user_with_role


@pytest.fixture
def analyst():
    return user_with_role("analyst", username="alice")


@pytest.fixture
def reviewer():
    return user_with_role("reviewer", username="rita")


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client

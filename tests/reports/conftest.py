"""Fixtures of the report tests: users in each role, and a small campaign whose March 2017 can be
checked by hand (see `march_2017`)."""

import pytest

from tests.factories import user_with_role
from tests.reports.factories import campaign_march_2017


@pytest.fixture
def publisher():
    return user_with_role("publisher", username="paula")


@pytest.fixture
def analyst():
    return user_with_role("analyst", username="alice")


@pytest.fixture
def reviewer():
    return user_with_role("reviewer", username="rita")


@pytest.fixture
def march_2017():
    """A small campaign whose March 2017 can be checked by hand: see campaign_march_2017."""
    return campaign_march_2017()

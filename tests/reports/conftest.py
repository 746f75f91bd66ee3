"""Fixtures of the report tests: a small campaign whose March 2017 can be
checked by hand (see `march_2017`)."""

import pytest

from tests.reports.factories import campaign_march_2017


@pytest.fixture
def march_2017():
    """A small campaign whose March 2017 can be checked by hand: see campaign_march_2017."""
    return campaign_march_2017()

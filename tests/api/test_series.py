"""reports.series.month_series equals reports.figures.month_figures, month by month."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from claims import services
from reports.figures import month_figures
from reports.periods import Month
from reports.series import month_series, month_totals
from tests.factories import ClaimFactory, StrikeFactory, assess, reopen, user_with_role

pytestmark = pytest.mark.django_db

D = dt.date


def assert_equals_month_figures(series):
    assert series, "an empty series proves nothing"
    for figures in series:
        assert month_totals(figures) == month_totals(month_figures(period=figures.period)), str(
            figures.period
        )


def test_equals_month_figures_on_random_histories():
    rng = random.Random(20171130)
    anchor = ClaimFactory(received_on=D(2016, 11, 20))
    for n in range(80):
        received = D(2016, 12, 1) + dt.timedelta(days=rng.randrange(200))
        claim = ClaimFactory(received_on=received)
        StrikeFactory(date=received - dt.timedelta(days=rng.randrange(30)), engagements=1 + n % 4)
        day = received
        for step in range(rng.randrange(6)):
            day += dt.timedelta(days=rng.randrange(0, 40))
            if step % 2:
                reopen(claim, day)
                continue
            outcome = rng.choice(["credible", "non_credible", "duplicate"])
            extra = {"duplicate_of": anchor} if outcome == "duplicate" else {}
            if outcome == "credible":
                extra |= {"civilians_killed": rng.randrange(6), "civilians_injured": n % 3}
            assess(claim, outcome, day, **extra)
    series = month_series(until=Month(2018, 3))
    assert (str(series[0].period), str(series[-1].period)) == ("2016-11", "2018-03")
    assert_equals_month_figures(series)


def test_proposals_count_in_neither(db):
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    services.assessment_propose(
        claim=claim,
        by=user_with_role("analyst"),
        outcome="credible",
        civilians_killed=5,
        civilians_injured=0,
        rationale="Draft.",
    )
    [march] = month_series(until=Month(2017, 3))
    assert (march.closed, march.cumulative.open) == (0, 1)
    assert_equals_month_figures([march])


def test_four_queries_whatever_the_number_of_months(django_assert_num_queries):
    for year in range(2014, 2020):
        claim = ClaimFactory(received_on=D(year, 6, 1))
        assess(claim, "credible", D(year, 7, 1))
        StrikeFactory(date=D(year, 1, 1))
    # 1 claims, 2 approved assessments, 3 reopenings, 4 strikes: each counted per month.
    with django_assert_num_queries(4):
        series = month_series(until=Month(2020, 12))
    assert len(series) == 84


def test_until_defaults_to_this_month_even_past_a_stray_future_date(db):
    ClaimFactory(received_on=D(2017, 3, 1), incident_date=D(2017, 2, 1))
    assert month_series(until=Month(2017, 5))[-1].period == Month(2017, 5)
    series = month_series()
    assert series[-1].period == Month.of(timezone.localdate())
    # Issue 10: a date after today is refused (claims.dates); one written past validation (an
    # old database) no longer stretches the series to its month.
    StrikeFactory(date=D(2099, 1, 1))
    assert month_series()[-1].period == Month.of(timezone.localdate())


@pytest.mark.slow
def test_equals_month_figures_on_the_demo_campaign():
    with transaction.atomic():
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
        series = month_series(until=Month(2020, 1))
        assert len(series) == 66  # August 2014 to January 2020
        assert_equals_month_figures(series)
        transaction.set_rollback(True)

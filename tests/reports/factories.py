"""Factories of the reports app. A publication made here skips the rules of
reports.publishing.month_publish (permission, month ended, figures changed): tests of those rules
call the service; tests of pages use this to publish a month on a chosen date."""

import datetime as dt

import factory

from reports.figures import month_figures
from reports.models import MonthPublication
from reports.periods import Month
from tests.factories import ClaimFactory, StrikeFactory, UserFactory, assess, reopen

D = dt.date


class MonthPublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthPublication

    period = "2017-03"
    revision = 1
    published_at = dt.datetime(2017, 4, 5, 9, 30, tzinfo=dt.UTC)
    published_by = factory.SubFactory(UserFactory, username="paula")
    # The month's figures at the moment the factory runs, as month_publish freezes them.
    figures = factory.LazyAttribute(
        lambda publication: month_figures(period=publication.period).as_dict()
    )
    note = ""


def grow_2017(months: int = 12) -> None:
    """About ten times the data: claims every month of 2017, closed, some reopened and closed
    again, strikes, every month published, and the data changed after."""
    for n in range(months * 4):
        month = Month(2017, 1 + n % months)
        claim = ClaimFactory(received_on=month.first_day)
        StrikeFactory(date=month.first_day, engagements=10)
        assess(claim, "credible", month.first_day + dt.timedelta(days=2), civilians_killed=2)
        if n % 2:
            reopen(claim, month.first_day + dt.timedelta(days=3))
            assess(claim, "duplicate", month.first_day + dt.timedelta(days=4))
    for number in range(1, months + 1):
        MonthPublicationFactory(period=f"2017-{number:02d}")
    ClaimFactory(received_on=D(2017, 3, 20))  # every publication from March on is revised

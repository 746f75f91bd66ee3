"""Factories of the reports app. A publication made here skips the rules of
reports.publishing.month_publish (permission, month ended, figures changed): tests of those rules
call the service; tests of pages use this to publish a month on a chosen date."""

import datetime as dt

import factory

from reports.figures import month_figures
from reports.models import MonthPublication
from reports.periods import Month
from reports.publishing import figures_sha256
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
    sha256 = factory.LazyAttribute(lambda publication: figures_sha256(publication.figures))
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


def bulk_month(month: Month, count: int, *, start: int = 0) -> None:
    """`count` claims received on the 1st of `month` and closed or reopened on the 5th, written
    in bulk (the services, one claim at a time, take minutes for thousands). Claim n, ref
    M-<n> (from `start`: later refs sort after earlier ones in the month's lists), is by n % 4:
    0 credible (1 killed, 0 injured), 1 non-credible, 2 a duplicate of the first claim on
    record, 3 credible on the 1st and reopened on the 5th. Every row's text has the same
    length, so the page's size does not depend on which rows it shows."""
    from casualty_tracker import data_version
    from claims.definitions import AssessmentState, Stage
    from claims.models import Assessment, Claim, Reopening

    received, closed = month.first_day, month.first_day + dt.timedelta(days=4)
    kinds = {n: n % 4 for n in range(start, start + count)}
    Claim.objects.bulk_create(
        ClaimFactory.build(
            claim_ref=f"M-{n:05d}",
            received_on=received,
            stage=Stage.NEW if kind == 3 else Stage.CLOSED,
        )
        for n, kind in kinds.items()
    )
    claims = dict(Claim.objects.filter(claim_ref__startswith="M-").values_list("claim_ref", "pk"))
    original = Claim.objects.order_by("pk").values_list("pk", flat=True).first()
    outcome = {0: "credible", 1: "non_credible", 2: "duplicate", 3: "credible"}
    Assessment.objects.bulk_create(
        Assessment(
            claim_id=claims[f"M-{n:05d}"],
            state=AssessmentState.APPROVED,
            sequence=1,
            outcome=outcome[kind],
            reason="insufficient_information" if kind == 1 else "",
            duplicate_of_id=original if kind == 2 else None,
            civilians_killed=1 if outcome[kind] == "credible" else None,
            civilians_injured=0 if outcome[kind] == "credible" else None,
            rationale="Assessed from the strike records.",
            assessed_on=received if kind == 3 else closed,
        )
        for n, kind in kinds.items()
    )
    reopened = [claims[f"M-{n:05d}"] for n, kind in kinds.items() if kind == 3]
    assessed = dict(Assessment.objects.filter(claim_id__in=reopened).values_list("claim_id", "pk"))
    Reopening.objects.bulk_create(
        Reopening(
            claim_id=claim,
            assessment_id=assessed[claim],
            sequence=2,
            reopened_on=closed,
            reason="New witness statements received.",
        )
        for claim in reopened
    )
    data_version.changed()  # bulk writes send no signal

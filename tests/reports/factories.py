"""Factories of the reports app. A publication made here skips the rules of
reports.publishing.month_publish (permission, month ended, figures changed): tests of those rules
call the service; tests of pages use this to publish a month on a chosen date."""

import datetime as dt

import factory

from claims.models import Claim
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


def campaign_march_2017() -> dict:
    """January 2017: one strike of 3,000 engagements (the first record).
    February: CIV-0201 and CIV-0202 received and left open; CIV-0203 (Raqqa, Syria) received and
    assessed credible, 7 killed.
    March: CIV-0301..CIV-0303 received. Closed: CIV-0201 credible (3 killed, 2 injured), CIV-0301
    credible (2 killed), CIV-0302 non-credible (no civilian harm), CIV-0303 duplicate of CIV-0201;
    CIV-0203 reopened on the 20th.

    So March: carried over 2, received 3, closed 4 (2 credible, 1 non-credible, 1 duplicate),
    reopened 1, open at the end 2 (CIV-0202, CIV-0203); 5 killed and 2 injured. To date: received
    6, credible 2, non-credible 1, duplicates 1, open 2, 5 killed, 2 injured; 1 strike, 3,000
    engagements: 0.20% and 0.07%."""
    StrikeFactory(strike_ref="S-JAN", date=D(2017, 1, 5), engagements=3000)
    feb_1 = ClaimFactory(claim_ref="CIV-0201", received_on=D(2017, 2, 10))
    ClaimFactory(claim_ref="CIV-0202", received_on=D(2017, 2, 11))
    raqqa = ClaimFactory(
        claim_ref="CIV-0203",
        received_on=D(2017, 2, 1),
        country="SY",
        province="Raqqa",
        locality="Raqqa",
    )
    assess(raqqa, "credible", D(2017, 2, 15), civilians_killed=7, civilians_injured=0)
    new = [
        ClaimFactory(claim_ref=f"CIV-030{day}", received_on=D(2017, 3, day), source_type=source)
        for day, source in ((1, "media"), (2, "witness"), (3, "social_media"))
    ]
    assess(
        feb_1,
        "credible",
        D(2017, 3, 10),
        civilians_killed=3,
        civilians_injured=2,
        rationale="Strike logs and three witness accounts agree.",
        diligence={"strike_video", "witness_interviewed"},
    )
    assess(new[0], "credible", D(2017, 3, 11), civilians_killed=2, civilians_injured=0)
    assess(new[1], "non_credible", D(2017, 3, 12), reason="no_civilian_harm")
    assess(new[2], "duplicate", D(2017, 3, 13), duplicate_of=feb_1)
    reopen(raqqa, D(2017, 3, 20), reason="New video of the site.")
    return {"claims": [feb_1, raqqa, *new]}


def late_assessment_of_civ_0202():
    """In campaign_march_2017, recorded after March was published: CIV-0202 assessed credible on
    25 March 2017 (4 killed, 1 injured)."""
    assess(
        Claim.objects.get(claim_ref="CIV-0202"),
        "credible",
        D(2017, 3, 25),
        civilians_killed=4,
        civilians_injured=1,
    )


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

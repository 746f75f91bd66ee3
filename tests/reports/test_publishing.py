"""Publishing a month: the publication row (immutable, constrained) and the services."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Claim
from reports.figures import month_figures
from reports.models import MonthPublication
from reports.periods import Month
from reports.publishing import (
    FigureRevision,
    ListRevision,
    figures_fingerprint,
    latest_publications,
    list_revisions,
    month_publication,
    month_publish,
)
from reports.series import month_series, month_totals
from tests.factories import ClaimFactory, StrikeFactory, assess, reopen, user_with_role
from tests.reports.factories import MonthPublicationFactory

pytestmark = pytest.mark.django_db

D = dt.date
MARCH = Month(2017, 3)


@pytest.fixture
def today(monkeypatch):
    """Set the date the services see as today (2017-04-01 unless a test sets another)."""
    from django.utils import timezone

    def set_today(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    set_today(D(2017, 4, 1))
    return set_today


def period_error(error) -> list[str]:
    return error.value.message_dict["period"]


# The row ---------------------------------------------------------------------------------------


def test_the_publisher_group_may_publish_and_see_publications():
    codenames = set(
        Group.objects.get(name="publisher")
        .permissions.filter(content_type__app_label="reports")
        .values_list("codename", flat=True)
    )
    assert codenames == {"publish_monthpublication", "view_monthpublication"}


def test_a_period_and_revision_are_published_once(march_2017):
    MonthPublicationFactory(period="2017-03", revision=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthPublicationFactory(period="2017-03", revision=1)


def test_a_revision_starts_at_one(march_2017):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthPublicationFactory(revision=0)


@pytest.mark.parametrize("period", ["2017-3", "2017-13", "2017-00", "March 2017", "2017-03-01"])
def test_a_period_is_a_month_written_yyyy_mm(march_2017, period):
    # The format check refuses it; PostgreSQL refuses a value over 7 characters even before.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        MonthPublicationFactory(period=period, figures={})


def test_a_publication_is_never_changed_or_deleted(march_2017):
    publication = MonthPublicationFactory()
    publication.note = "Edited afterwards."
    message = re.escape(
        "A publication is final: it cannot be edited or deleted. To correct a published month, "
        "publish it again (a new revision)."
    )
    with pytest.raises(PermissionDenied, match=message):
        publication.save()
    with pytest.raises(PermissionDenied, match=message):
        publication.delete()
    with pytest.raises(PermissionDenied, match=message):
        MonthPublication.objects.filter(pk=publication.pk).update(note="Edited afterwards.")
    with pytest.raises(PermissionDenied, match=message):
        MonthPublication.objects.all().delete()
    assert MonthPublication.objects.get().note == ""


def test_a_publisher_with_publications_cannot_be_deleted(march_2017):
    publication = MonthPublicationFactory()
    with pytest.raises(ProtectedError):
        publication.published_by.delete()


# month_publish ---------------------------------------------------------------------------------


def test_publishing_freezes_the_months_figures_and_lists(march_2017, publisher, today):
    publication = month_publish(period=MARCH, by=publisher, note="  Monthly release.  ")

    assert (publication.period, publication.revision) == ("2017-03", 1)
    assert publication.published_by == publisher
    assert publication.note == "Monthly release."
    stored = MonthPublication.objects.get()
    assert stored.figures == month_figures(period=MARCH).as_dict()
    assert (stored.figures["received"], stored.figures["closed"]) == (3, 4)
    assert [row["claim_ref"] for row in stored.figures["credible_claims"]] == [
        "CIV-0201",
        "CIV-0301",
    ]


def test_a_period_given_as_text_is_published_too(march_2017, publisher, today):
    assert month_publish(period="2017-03", by=publisher).period == "2017-03"


@pytest.mark.parametrize("role", ["analyst", "reviewer", None])
def test_only_a_publisher_may_publish(march_2017, today, role):
    user = user_with_role(role)
    with pytest.raises(PermissionDenied, match="^You do not have permission to publish monthly"):
        month_publish(period=MARCH, by=user)
    assert not MonthPublication.objects.exists()


def test_an_inactive_publisher_may_not_publish(march_2017, today):
    user = user_with_role("publisher", is_active=False)
    with pytest.raises(PermissionDenied):
        month_publish(period=MARCH, by=user)


def test_a_superuser_may_publish(march_2017, today):
    admin = user_with_role(None, username="admin", is_superuser=True)
    assert month_publish(period=MARCH, by=admin).revision == 1


def test_a_month_that_has_not_ended_is_refused(march_2017, publisher, today):
    today(D(2017, 3, 31))
    with pytest.raises(ValidationError) as error:
        month_publish(period=MARCH, by=publisher)
    assert period_error(error) == [
        "March 2017 has not ended yet: it can be published from 1 Apr 2017."
    ]
    with pytest.raises(ValidationError) as error:
        month_publish(period=Month(2017, 5), by=publisher)
    assert period_error(error) == [
        "May 2017 has not ended yet: it can be published from 1 Jun 2017."
    ]
    today(D(2017, 4, 1))
    assert month_publish(period=MARCH, by=publisher).revision == 1


def test_a_month_before_the_first_record_is_refused(march_2017, publisher, today):
    with pytest.raises(ValidationError) as error:
        month_publish(period=Month(2016, 12), by=publisher)
    assert period_error(error) == [
        "There is nothing to publish for December 2016: the first month with a record is "
        "January 2017."
    ]


def test_with_no_record_at_all_nothing_is_published(publisher, today):
    with pytest.raises(ValidationError) as error:
        month_publish(period=MARCH, by=publisher)
    assert period_error(error) == [
        "There is nothing to publish: no claim or strike is on record yet."
    ]


def test_the_first_record_may_be_a_strike_or_a_claim(publisher, today):
    StrikeFactory(date=D(2017, 2, 28))
    assert month_publish(period=Month(2017, 2), by=publisher).figures["received"] == 0
    ClaimFactory(received_on=D(2017, 1, 31))
    assert month_publish(period=Month(2017, 1), by=publisher).figures["received"] == 1


def test_republishing_unchanged_figures_is_refused(march_2017, publisher, today):
    first = month_publish(period=MARCH, by=publisher)
    with pytest.raises(ValidationError) as error:
        month_publish(period=MARCH, by=publisher)
    published_on = f"{first.published_at.day} {first.published_at:%b %Y}"
    assert period_error(error) == [
        f"The figures and lists of March 2017 are unchanged since revision 1, published on "
        f"{published_on}: there is nothing new to publish."
    ]
    assert MonthPublication.objects.count() == 1


def test_republishing_after_a_change_adds_the_next_revision_and_keeps_the_first(
    march_2017, publisher, today
):
    first = month_publish(period=MARCH, by=publisher)
    late = ClaimFactory(claim_ref="CIV-LATE", received_on=D(2017, 3, 30))

    second = month_publish(period=MARCH, by=publisher, note="A claim recorded late.")

    assert second.revision == 2
    assert second.figures["received"] == 4
    assert MonthPublication.objects.get(pk=first.pk).figures["received"] == 3
    assess(late, "non_credible", D(2017, 3, 31))
    assert month_publish(period=MARCH, by=publisher).revision == 3
    assert list(MonthPublication.objects.values_list("period", "revision")) == [
        ("2017-03", 3),
        ("2017-03", 2),
        ("2017-03", 1),
    ]


def test_figures_changed_since_the_preview_are_not_published(march_2017, publisher, today):
    previewed = figures_fingerprint(month_figures(period=MARCH).as_dict())
    ClaimFactory(received_on=D(2017, 3, 30))
    with pytest.raises(ValidationError) as error:
        month_publish(period=MARCH, by=publisher, previewed=previewed)
    assert period_error(error) == [
        "The figures of March 2017 changed since you previewed them: check them again before "
        "publishing."
    ]
    current = figures_fingerprint(month_figures(period=MARCH).as_dict())
    assert month_publish(period=MARCH, by=publisher, previewed=current).revision == 1


# month_publication: what changed since ---------------------------------------------------------


def test_a_month_never_published_has_no_publication(march_2017):
    assert month_publication(period=MARCH) is None


def test_an_unchanged_publication_is_not_revised(march_2017, publisher, today):
    month_publish(period=MARCH, by=publisher)
    publication = month_publication(period=MARCH)
    assert (publication.period, publication.revision) == (MARCH, 1)
    assert publication.revisions == ()
    assert publication.list_revisions == ()
    assert publication.is_revised is False


def test_differences_are_computed_figure_by_figure(march_2017, publisher, today):
    month_publish(period=MARCH, by=publisher)
    published = month_figures(period=MARCH).as_dict()
    # Recorded after publication: CIV-0202 (received in February) assessed credible on 25 March,
    # four killed and one injured; a new claim received on 30 March.
    open_claim = Claim.objects.get(claim_ref="CIV-0202")
    assess(open_claim, "credible", D(2017, 3, 25), civilians_killed=4, civilians_injured=1)
    ClaimFactory(claim_ref="CIV-0330", received_on=D(2017, 3, 30))

    publication = month_publication(period=MARCH)

    assert publication.figures == published
    assert publication.is_revised is True
    assert [
        (change.key, change.label, change.published, change.current)
        for change in publication.revisions
    ] == [
        ("received", "Reports received", 3, 4),
        ("closed", "Assessments completed", 4, 5),
        ("credible", "Assessed credible", 2, 3),
        ("civilians_killed", "Civilians killed (credible reports assessed in the month)", 5, 9),
        ("civilians_injured", "Civilians injured (credible reports assessed in the month)", 2, 3),
        ("cumulative.received", "Reports received to date", 6, 7),
        ("cumulative.credible", "Credible to date", 2, 3),
        ("cumulative.civilians_killed", "Civilians killed to date (credible reports)", 5, 9),
        ("cumulative.civilians_injured", "Civilians injured to date (credible reports)", 2, 3),
        ("cumulative.engagements_report_pct", "Reports as a share of engagements", 0.2, 0.23),
        (
            "cumulative.engagements_credible_pct",
            "Credible reports as a share of engagements",
            0.07,
            0.1,
        ),
    ]
    assert publication.revisions[-1].is_percentage is True
    assert publication.list_revisions == (
        ListRevision("credible_claims", "Credible claims", added=("CIV-0202",), removed=()),
    )


def test_open_figures_differ_when_a_claim_is_reopened_in_the_month(march_2017, publisher, today):
    month_publish(period=MARCH, by=publisher)
    duplicate = Claim.objects.get(claim_ref="CIV-0303")
    reopen(duplicate, D(2017, 3, 28), reason="Not the same incident after all.")

    publication = month_publication(period=MARCH)

    assert {change.key: (change.published, change.current) for change in publication.revisions} == {
        "reopened": (1, 2),
        "open_at_end": (2, 3),
        "cumulative.duplicate": (1, 0),
        "cumulative.open": (2, 3),
    }
    assert publication.list_revisions == (
        ListRevision("reopened_claims", "Reopened claims", added=("CIV-0303",), removed=()),
    )


def test_list_differences_count_a_claim_listed_twice():
    published = {"credible_claims": [{"claim_ref": "A"}], "reopened_claims": [{"claim_ref": "C"}]}
    current = {"credible_claims": [{"claim_ref": "A"}, {"claim_ref": "A"}, {"claim_ref": "B"}]}
    assert list_revisions(published, current) == (
        ListRevision("credible_claims", "Credible claims", added=("A", "B"), removed=()),
        ListRevision("reopened_claims", "Reopened claims", added=(), removed=("C",)),
    )


def test_figure_revision_knows_percentages():
    assert FigureRevision("cumulative.engagements_report_pct", "", 0.2, 0.3).is_percentage
    assert not FigureRevision("received", "", 1, 2).is_percentage


def test_month_publication_uses_the_current_figures_it_is_given(
    march_2017, publisher, today, django_assert_num_queries
):
    month_publish(period=MARCH, by=publisher)
    current = month_figures(period=MARCH).as_dict()
    # 1: the latest publication of the month (the figures are given).
    with django_assert_num_queries(1):
        assert month_publication(period=MARCH, current=current).is_revised is False


# latest_publications: the list of reports ------------------------------------------------------


def test_latest_publications_gives_each_months_latest_revision_in_one_query(
    march_2017, publisher, today, django_assert_num_queries
):
    today(D(2017, 5, 1))
    month_publish(period=Month(2017, 2), by=publisher)
    month_publish(period=MARCH, by=publisher)
    ClaimFactory(received_on=D(2017, 3, 30))
    march_2 = month_publish(period=MARCH, by=publisher)

    # 1: the latest row of each period, with the figures read from the JSON (not the lists).
    with django_assert_num_queries(1):
        latest = latest_publications()

    assert sorted(latest) == ["2017-02", "2017-03"]
    assert (latest["2017-03"].revision, latest["2017-03"].published_at) == (
        2,
        march_2.published_at,
    )
    assert latest["2017-02"].revision == 1
    series = {str(figures.period): month_totals(figures) for figures in month_series()}
    for period in ("2017-02", "2017-03"):
        expected = {key: value for key, value in series[period].items() if key != "period"}
        assert latest[period].totals == expected


def test_a_simultaneous_publication_of_the_same_month_is_refused(
    march_2017, publisher, today, monkeypatch
):
    month_publish(period=MARCH, by=publisher)
    # Another publisher read "no publication yet" just before this one was written.
    monkeypatch.setattr("reports.publishing._latest", lambda month: None)
    with pytest.raises(ValidationError) as error:
        month_publish(period=MARCH, by=publisher)
    assert period_error(error) == [
        "March 2017 was published by someone else meanwhile: reload the page to see its latest "
        "revision."
    ]
    assert MonthPublication.objects.count() == 1

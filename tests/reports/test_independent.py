"""reports.independent: independent counts of civilians killed, by organisation and month of
incident, over the claims each graded confirmed or fair."""

import pytest

from reports.independent import IndependentMonth, independent_killed_by_month
from reports.periods import Month
from tests.factories import ClaimFactory, ExternalAssessmentFactory
from tests.worlds import D, campaign

pytestmark = pytest.mark.django_db


def test_by_organisation_and_month_of_incident_on_the_campaign():
    campaign()
    assert independent_killed_by_month() == {
        "Airwars": {
            # A (fair, 2-5); C (weak) and E (discounted, 0-11) are left out.
            Month(2017, 3): IndependentMonth(claims=1, killed_min=2, killed_max=5),
            Month(2017, 4): IndependentMonth(claims=1, killed_min=8, killed_max=10),
        },
        "The New York Times": {
            Month(2017, 3): IndependentMonth(claims=1, killed_min=3, killed_max=3),
        },
    }


def test_counts_by_the_incident_month_not_the_month_received():
    # Incident on 31 January, received in March: January.
    claim = ClaimFactory(received_on=D(2017, 3, 2), incident_date=D(2017, 1, 31))
    ExternalAssessmentFactory(claim=claim, grade="confirmed")
    assert list(independent_killed_by_month()["Airwars"]) == [Month(2017, 1)]


def test_sums_within_a_month_and_leaves_out_unknown_bounds():
    for day, low, high in [(1, 2, 5), (15, None, 7), (31, None, None)]:
        claim = ClaimFactory(received_on=D(2017, 3, 31), incident_date=D(2017, 3, day))
        ExternalAssessmentFactory(
            claim=claim, grade="fair", civilians_killed_min=low, civilians_killed_max=high
        )
    assert independent_killed_by_month() == {
        "Airwars": {Month(2017, 3): IndependentMonth(claims=3, killed_min=2, killed_max=12)}
    }


def test_only_the_harm_grades_count():
    for grade in ["confirmed", "fair", "weak", "contested", "discounted"]:
        ExternalAssessmentFactory(claim=ClaimFactory(), grade=grade, civilians_killed_max=10)
    [march] = independent_killed_by_month()["Airwars"].values()
    assert (march.claims, march.killed_max) == (2, 20)


def test_empty():
    assert independent_killed_by_month() == {}


def test_one_query_whatever_the_data(django_assert_num_queries):
    campaign()
    for month in range(1, 13):
        claim = ClaimFactory(received_on=D(2018, month, 28), incident_date=D(2018, month, 1))
        ExternalAssessmentFactory(claim=claim, organisation=f"Monitor {month % 3}")
    with django_assert_num_queries(1):
        result = independent_killed_by_month()
    assert list(result) == ["Airwars", "Monitor 0", "Monitor 1", "Monitor 2", "The New York Times"]
    assert len(result["Monitor 0"]) == 4

"""reports.comparison.comparison_figures on claims whose every figure can be checked by hand."""

import datetime as dt

import pytest

from reports.comparison import comparison_figures, ratio
from tests.factories import ClaimFactory, ExternalAssessmentFactory, assess, reopen

pytestmark = pytest.mark.django_db

D = dt.date


def rows() -> dict[str, dict]:
    return {row["organisation"]: row for row in comparison_figures()["organisations"]}


def test_side_by_side_on_the_world(world):
    # Airwars graded A fair (2-5), B confirmed (8-10), C weak (no count); officially A is
    # credible (3 killed), B non-credible, C open.
    assert rows() == {
        "Airwars": {
            "organisation": "Airwars",
            "graded": 3,
            "harmed": 2,
            "official_credible": 1,
            "official_open": 1,
            "harm_rate_pct": 66.67,
            "official_credible_rate_pct": 33.33,
            "rate_ratio": 2.0,
            "civilians_killed_min": 10,
            "civilians_killed_max": 15,
            "official_civilians_killed": 3,
        },
        "The New York Times": {
            "organisation": "The New York Times",
            "graded": 1,
            "harmed": 1,
            "official_credible": 1,
            "official_open": 0,
            "harm_rate_pct": 100.0,
            "official_credible_rate_pct": 100.0,
            "rate_ratio": 1.0,
            "civilians_killed_min": 3,
            "civilians_killed_max": 3,
            "official_civilians_killed": 3,
        },
    }


def test_the_latest_approved_assessment_decides_and_counts_once(world):
    # E: credible (1 killed), reopened, credible again (4 killed): counted once, with 4.
    ExternalAssessmentFactory(claim=world.e, organisation="Monitor", grade="discounted")
    monitor = rows()["Monitor"]
    assert (monitor["graded"], monitor["harmed"], monitor["official_credible"]) == (1, 0, 1)
    assert monitor["official_civilians_killed"] == 4
    assert (monitor["harm_rate_pct"], monitor["rate_ratio"]) == (0.0, 0.0)


def test_ratio_is_null_when_nothing_is_officially_credible(world):
    ExternalAssessmentFactory(claim=world.b, organisation="Monitor", grade="fair")
    monitor = rows()["Monitor"]
    assert (monitor["official_credible_rate_pct"], monitor["rate_ratio"]) == (0.0, None)
    assert monitor["official_civilians_killed"] == 0


def test_a_reopened_claim_keeps_its_last_official_finding_and_counts_as_open(db):
    claim = ClaimFactory(received_on=D(2017, 1, 5))
    assess(claim, "credible", D(2017, 1, 9), civilians_killed=2)
    reopen(claim, D(2017, 2, 1))
    ExternalAssessmentFactory(claim=claim, organisation="Monitor", grade="confirmed")
    monitor = rows()["Monitor"]
    assert (monitor["official_credible"], monitor["official_open"]) == (1, 1)
    assert monitor["official_civilians_killed"] == 2


def test_proposals_do_not_count(db):
    from claims import services
    from tests.factories import user_with_role

    claim = ClaimFactory(received_on=D(2017, 1, 5))
    services.assessment_propose(
        claim=claim,
        by=user_with_role("analyst"),
        outcome="credible",
        civilians_killed=9,
        civilians_injured=0,
        rationale="Draft.",
    )
    ExternalAssessmentFactory(claim=claim, organisation="Monitor", grade="fair")
    monitor = rows()["Monitor"]
    assert (monitor["official_credible"], monitor["official_civilians_killed"]) == (0, 0)


def test_one_query_whatever_the_data(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        comparison_figures()


def test_ratio_rounds_half_up():
    assert ratio(1, 8) == 0.13
    assert ratio(5, 2) == 2.5
    assert ratio(3, 0) is None


def test_empty():
    assert comparison_figures()["organisations"] == []

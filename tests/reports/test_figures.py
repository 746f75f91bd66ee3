"""The monthly arithmetic on small hand-checkable histories."""

import datetime as dt
import random

import pytest

from claims.definitions import Outcome
from reports.figures import month_figures, percentage
from tests.factories import ClaimFactory, StrikeFactory, assess, reopen

pytestmark = pytest.mark.django_db

D = dt.date


def test_empty_month_is_all_zeros_and_percentages_are_null():
    figures = month_figures(period="2017-03").as_dict()
    assert figures["period"] == "2017-03"
    assert figures["received"] == figures["closed"] == figures["open_at_end"] == 0
    assert figures["civilians_killed"] == 0
    assert figures["cumulative"]["civilians_killed"] == 0
    assert figures["cumulative"]["engagements_report_pct"] is None
    assert figures["cumulative"]["engagements_credible_pct"] is None
    assert figures["credible_claims"] == []


def test_received_closed_and_open_in_one_month():
    # Received in March: a, b, c, d. a credible (3 killed, 1 injured), b non-credible,
    # c duplicate of a; d stays open. e was received in February and is still open.
    a = ClaimFactory(received_on=D(2017, 3, 2))
    b = ClaimFactory(received_on=D(2017, 3, 5))
    c = ClaimFactory(received_on=D(2017, 3, 9))
    ClaimFactory(received_on=D(2017, 3, 31))
    ClaimFactory(received_on=D(2017, 2, 28))
    assess(a, Outcome.CREDIBLE, D(2017, 3, 20), civilians_killed=3, civilians_injured=1)
    assess(b, Outcome.NON_CREDIBLE, D(2017, 3, 21), reason="no_strike_at_time_or_place")
    assess(c, Outcome.DUPLICATE, D(2017, 3, 31), duplicate_of=a)

    march = month_figures(period="2017-03")

    assert (march.open_at_start, march.received, march.closed, march.open_at_end) == (1, 4, 3, 2)
    assert (march.credible, march.non_credible, march.duplicate, march.reopened) == (1, 1, 1, 0)
    assert (march.civilians_killed, march.civilians_injured) == (3, 1)
    cumulative = march.cumulative
    assert (cumulative.received, cumulative.credible, cumulative.non_credible) == (5, 1, 1)
    assert (cumulative.duplicate, cumulative.open) == (1, 2)
    assert [row["claim_ref"] for row in march.credible_claims] == [a.claim_ref]
    assert march.non_credible_claims[0]["reason"] == "no_strike_at_time_or_place"
    assert march.non_credible_claims[0]["reason_label"] == "No strike at the reported time or place"
    assert march.duplicate_claims[0]["duplicate_of"] == a.claim_ref

    april = month_figures(period="2017-04")
    assert (april.open_at_start, april.received, april.closed, april.open_at_end) == (2, 0, 0, 2)
    assert april.civilians_killed == 0
    assert april.cumulative.civilians_killed == 3


def test_claim_closed_reopened_and_closed_again_in_one_month_counts_twice():
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assess(claim, Outcome.NON_CREDIBLE, D(2017, 3, 3))
    reopen(claim, D(2017, 3, 10))
    assess(claim, Outcome.CREDIBLE, D(2017, 3, 20), civilians_killed=4, civilians_injured=0)

    march = month_figures(period="2017-03")

    assert (march.open_at_start, march.received, march.reopened, march.closed) == (0, 1, 1, 2)
    assert march.open_at_end == 0
    assert (march.credible, march.non_credible) == (1, 1)
    assert march.cumulative.credible == 1
    assert march.cumulative.non_credible == 0
    assert march.cumulative.civilians_killed == 4
    assert march.reopened_claims[0]["previous_outcome"] == "non_credible"


def test_reassessed_credible_claim_counts_once_with_its_latest_count():
    claim = ClaimFactory(received_on=D(2017, 1, 10))
    assess(claim, Outcome.CREDIBLE, D(2017, 1, 20), civilians_killed=2, civilians_injured=1)
    reopen(claim, D(2017, 2, 5), reason="A hospital list names five dead.")

    january = month_figures(period="2017-01")
    february = month_figures(period="2017-02")
    assert january.cumulative.credible == 1
    assert january.cumulative.civilians_killed == 2
    assert (february.open_at_start, february.reopened, february.open_at_end) == (0, 1, 1)
    assert february.cumulative.credible == 0
    assert february.cumulative.civilians_killed == 0
    assert february.cumulative.open == 1

    assess(claim, Outcome.CREDIBLE, D(2017, 3, 1), civilians_killed=5, civilians_injured=1)
    march = month_figures(period="2017-03")
    assert march.civilians_killed == 5
    assert march.cumulative.credible == 1
    assert march.cumulative.civilians_killed == 5
    assert march.cumulative.civilians_injured == 1


def test_credible_claim_reassessed_non_credible_leaves_the_credible_total():
    claim = ClaimFactory(received_on=D(2017, 1, 10))
    assess(claim, Outcome.CREDIBLE, D(2017, 1, 20), civilians_killed=2)
    reopen(claim, D(2017, 2, 5))
    assess(claim, Outcome.NON_CREDIBLE, D(2017, 2, 6), reason="not_coalition")

    february = month_figures(period="2017-02")
    assert february.cumulative.credible == 0
    assert february.cumulative.non_credible == 1
    assert february.cumulative.civilians_killed == 0
    # The month's own closures still count the assessment of this month.
    assert (february.closed, february.non_credible, february.civilians_killed) == (1, 1, 0)


def test_cumulative_strikes_engagements_and_percentages():
    StrikeFactory(date=D(2017, 3, 31), engagements=3)
    StrikeFactory(date=D(2017, 2, 1), engagements=397)
    StrikeFactory(date=D(2017, 4, 1), engagements=1000)  # after March: not counted
    for day in range(1, 4):
        claim = ClaimFactory(received_on=D(2017, 3, day))
        if day == 1:
            assess(claim, Outcome.CREDIBLE, D(2017, 3, 5))

    cumulative = month_figures(period="2017-03").cumulative

    assert (cumulative.strikes, cumulative.engagements) == (2, 400)
    assert cumulative.engagements_report_pct == 0.75
    assert cumulative.engagements_credible_pct == 0.25


def test_percentage_rounds_half_up_to_two_decimals():
    # The published CJTF-OIR figure: 396 reports over 42,089 engagements is 0.94%.
    assert percentage(396, 42089) == 0.94
    assert percentage(102, 42089) == 0.24
    assert percentage(1, 800) == 0.13  # 0.125 rounds up, not to even
    assert percentage(5, 0) is None


def test_unknown_killed_count_sums_as_zero_not_null():
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assess(claim, Outcome.CREDIBLE, D(2017, 3, 2), civilians_killed=None, civilians_injured=None)
    figures = month_figures(period="2017-03")
    assert figures.civilians_killed == 0
    assert figures.cumulative.civilians_injured == 0


def test_month_figures_use_a_constant_number_of_queries(django_assert_num_queries):
    for n in range(30):
        claim = ClaimFactory(received_on=D(2017, 3, 1 + n % 28))
        StrikeFactory(date=D(2017, 3, 1))
        if n % 3 == 0:
            assess(claim, Outcome.CREDIBLE, D(2017, 3, 28))
        elif n % 3 == 1:
            assess(claim, Outcome.DUPLICATE, D(2017, 3, 28))
            reopen(claim, D(2017, 3, 30))
    # month_counts: 1 claims, 2 assessments by outcome, 3 reopenings by outcome, 4 strikes, each
    # counted in the month and before it; 5 the month's assessments, 6 the month's reopenings.
    with django_assert_num_queries(6):
        figures = month_figures(period="2017-03")
    assert len(figures.credible_claims) == 10
    assert len(figures.reopened_claims) == 10


def _replay(claims, events, month_end):
    """A reference: replay each claim's events one by one (slow, obviously right)."""
    state = {}
    for claim in claims:
        if claim.received_on <= month_end:
            state[claim.pk] = ("open", None, None)
    for claim_id, on, kind, outcome, killed in sorted(events, key=lambda e: (e[1], e[0])):
        if on <= month_end:
            state[claim_id] = (
                ("open", None, None) if kind == "reopen" else ("closed", outcome, killed)
            )
    closed = [s for s in state.values() if s[0] == "closed"]
    return {
        "received": len(state),
        "open": sum(1 for s in state.values() if s[0] == "open"),
        "credible": sum(1 for s in closed if s[1] == "credible"),
        "non_credible": sum(1 for s in closed if s[1] == "non_credible"),
        "duplicate": sum(1 for s in closed if s[1] == "duplicate"),
        "civilians_killed": sum(s[2] or 0 for s in closed if s[1] == "credible"),
    }


def test_figures_agree_with_a_claim_by_claim_replay_on_random_histories():
    rng = random.Random(20171130)
    claims, events = [], []
    anchor = ClaimFactory(received_on=D(2016, 12, 1))
    claims.append(anchor)
    for _ in range(60):
        received = D(2017, 1, 1) + dt.timedelta(days=rng.randrange(120))
        claim = ClaimFactory(received_on=received)
        claims.append(claim)
        day = received
        for step in range(rng.randrange(5)):
            day += dt.timedelta(days=rng.randrange(0, 25))
            if step % 2 == 0:
                outcome = rng.choice(["credible", "non_credible", "duplicate"])
                killed = rng.randrange(6) if outcome == "credible" else None
                extra = {"duplicate_of": anchor} if outcome == "duplicate" else {}
                if outcome == "credible":
                    extra["civilians_killed"] = killed
                assess(claim, outcome, day, **extra)
                events.append((claim.pk, day, "assess", outcome, killed))
            else:
                reopen(claim, day)
                events.append((claim.pk, day, "reopen", None, None))
    for month in ("2017-01", "2017-02", "2017-03", "2017-04", "2017-05", "2017-06", "2017-07"):
        figures = month_figures(period=month)
        expected = _replay(claims, events, figures.period.last_day)
        cumulative = figures.cumulative
        assert {key: getattr(cumulative, key) for key in expected} == expected, month
        assert figures.open_at_end == expected["open"]
        assert cumulative.received == (
            cumulative.credible + cumulative.non_credible + cumulative.duplicate + cumulative.open
        )
        previous = month_figures(period=figures.period.previous())
        assert figures.open_at_start == previous.open_at_end

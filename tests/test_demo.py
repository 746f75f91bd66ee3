"""The demo campaign loads through the importer and tells the true story of the campaign."""

import importlib.util
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from claims.models import Claim, Strike
from reports.figures import month_figures
from reports.periods import Month

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PUBLISHED = Path(__file__).resolve().parents[1] / "tools" / "demo" / "published.py"


def demo_published():
    """tools/demo/published.py: what CJTF-OIR published and the demo's documented departures
    (the generator is no package, so it is loaded by path)."""
    spec = importlib.util.spec_from_file_location("demo_published", PUBLISHED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (a 35,000-strike import) in a transaction that is
    rolled back afterwards; each test runs inside it, in a savepoint of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out, stderr=StringIO())
        yield out.getvalue()
        transaction.set_rollback(True)


def test_demo_loads_every_file_through_the_importer(demo):
    assert "Imported 34,763 strikes from strikes.csv" in demo
    assert "Imported 2,896 claims from claims.csv" in demo
    assert "Imported 2,857 assessments and 40 reopenings from assessments.csv" in demo
    assert "Imported 2,508 external assessments from external_assessments.csv." in demo


def test_load_demo_does_nothing_on_a_database_that_holds_data(demo):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue().strip() == (
        "The database already holds data: the demo campaign was not loaded."
    )
    assert Strike.objects.count() == 34_763


def test_november_2017_matches_the_coalitions_published_totals(demo):
    cumulative = month_figures(period="2017-11").cumulative
    assert (cumulative.received, cumulative.credible, cumulative.open) == (1_799, 208, 603)
    assert cumulative.civilians_killed == 817
    assert cumulative.strikes == 28_562


def test_march_2017_matches_the_published_report(demo):
    march = month_figures(period="2017-03")
    assert (march.open_at_start, march.received, march.closed, march.open_at_end) == (
        43,
        27,
        28,
        42,
    )
    assert (march.credible, march.non_credible, march.duplicate) == (9, 17, 2)
    cumulative = march.cumulative
    assert (cumulative.received, cumulative.credible, cumulative.civilians_killed) == (
        396,
        102,
        352,
    )
    assert (cumulative.strikes, cumulative.engagements) == (20_205, 42_089)
    assert cumulative.engagements_report_pct == 0.94
    assert cumulative.engagements_credible_pct == 0.24


def test_every_month_of_the_campaign_balances(demo):
    month, previous = Month(2014, 8), None
    while month <= Month(2019, 12):
        figures = month_figures(period=month)
        cumulative = figures.cumulative
        assert cumulative.received == (
            cumulative.credible + cumulative.non_credible + cumulative.duplicate + cumulative.open
        ), month
        if previous is not None:
            assert figures.open_at_start == previous.open_at_end, month
            assert cumulative.received == previous.cumulative.received + figures.received
        previous, month = figures, month.next()
    # At the end, the figures agree with each claim's recorded status.
    assert previous.cumulative.open == Claim.objects.open().count() == 79


def test_every_published_figure_is_met_but_the_documented_departures(demo):
    published = demo_published()
    compared, departures = 0, set()
    for period, row in published.published_read().items():
        figures = month_figures(period=period)
        cumulative = figures.cumulative
        ours = {
            "carried_over": figures.open_at_start,
            "received": figures.received,
            "completed": figures.closed,
            "credible": figures.credible,
            "non_credible": figures.non_credible,
            "duplicate": figures.duplicate,
            "open_end": figures.open_at_end,
            "reopened": figures.reopened,
            "killed_in_month": figures.civilians_killed,
            "cumulative_killed": cumulative.civilians_killed,
            "strikes_to_date": cumulative.strikes,
            "engagements_to_date": cumulative.engagements,
            "reports_to_date": cumulative.received,
            "credible_to_date": cumulative.credible,
        }
        for column, value in row.items():
            if value is not None:
                compared += 1
                if value != ours[column]:
                    departures.add((period, column, value, ours[column]))
    assert compared == 250
    assert departures == {departure[:4] for departure in published.DEPARTURES}

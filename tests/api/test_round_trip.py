"""The round trip: everything the API exports as CSV imports into an empty database through the
importer (claims.importers.import_csv), as the files are, and every month's figures come out
the same. Fast on the API tests' small world; `slow` on the whole demo campaign."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from casualty_tracker import data_version
from claims.importers import import_csv
from claims.models import (
    Assessment,
    Belligerent,
    Claim,
    ClaimComment,
    ExternalAssessment,
    Reopening,
    Strike,
    Victim,
)
from reports.figures import month_figures
from reports.series import month_series

pytestmark = pytest.mark.django_db

# The API's list and the importer's kind of each file, in the order they import (claims name
# strikes, assessments and external findings name claims).
EXPORTS = [
    ("strikes", "strikes"),
    ("claims", "claims"),
    ("assessments", "assessments"),
    ("external-assessments", "external_assessments"),
]


def figures_of_every_month() -> dict[str, dict]:
    """Each month's figures and lists (month_figures), and the series' (month_series)."""
    series = month_series()
    months = {str(figures.period): figures for figures in series}
    assert months, "nothing to compare"
    return {
        "series": [figures.as_dict() for figures in series],
        **{period: month_figures(period=period).as_dict() for period in months},
    }


def export(client, tmp_path) -> dict[str, tuple]:
    """Each list's CSV, as downloaded, in a file; its X-Total-Count."""
    files = {}
    for name, kind in EXPORTS:
        response = client.get(f"/api/v1/{name}/", {"format": "csv"})
        assert response.status_code == 200
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(b"".join(response.streaming_content))
        files[kind] = (path, int(response["X-Total-Count"]))
    return files


def empty_the_database() -> None:
    """Every record deleted (in SQL: no per-row signals, the history tables are not read)."""
    models = [ExternalAssessment, Victim, Reopening, Assessment, ClaimComment]
    tables = [model._meta.db_table for model in models]
    tables += [Claim.strikes.through._meta.db_table, Claim._meta.db_table]
    tables += [Strike._meta.db_table, Belligerent._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')
    data_version.changed()
    assert not Claim.objects.exists() and not Strike.objects.exists()


def import_everything(files: dict[str, tuple]) -> dict[str, int]:
    imported = {}
    for _, kind in EXPORTS:
        path, total = files[kind]
        result = import_csv(kind, path)
        assert result.ok, result.errors[:10]
        assert result.rows == total, kind  # every row exported was read
        imported[kind] = result.counts
    return imported


def round_trip(client, tmp_path) -> tuple[dict, dict, dict]:
    before = figures_of_every_month()
    files = export(client, tmp_path)
    empty_the_database()
    imported = import_everything(files)
    return before, figures_of_every_month(), imported


def test_exports_import_into_an_empty_database_with_the_same_figures(client, world, tmp_path):
    """The small world has every kind of finding, and CIV-E a reopening between two."""
    refs = sorted(Claim.objects.values_list("claim_ref", flat=True))
    reopening = world.e.reopenings.values_list("reopened_on", "reason").get()
    before, after, imported = round_trip(client, tmp_path)
    assert after == before
    assert sorted(Claim.objects.values_list("claim_ref", flat=True)) == refs
    assert imported["assessments"] == {"assessments": 5, "reopenings": 1}
    assert imported["external_assessments"] == {"external_assessments": 4}
    e = Claim.objects.get(claim_ref="CIV-E")
    assert e.status == "closed"
    assert e.reopenings.values_list("reopened_on", "reason").get() == reopening
    # The month of CIV-E's reopening holds it, as before (the lists compared above too).
    assert before["2017-03"]["reopened"] == after["2017-03"]["reopened"] == 1


def test_a_changed_figure_would_be_seen(client, world, tmp_path):
    """The comparison can fail: the same round trip with CIV-A's 3 killed made 4 in the file."""
    before = figures_of_every_month()
    files = export(client, tmp_path)
    path = files["assessments"][0]
    text = path.read_text()
    assert text.count("CIV-A,2017-03-20,credible,,,3,1,") == 1
    path.write_text(
        text.replace("CIV-A,2017-03-20,credible,,,3,1,", "CIV-A,2017-03-20,credible,,,4,1,")
    )
    empty_the_database()
    import_everything(files)
    after = figures_of_every_month()
    assert (before["2017-03"]["civilians_killed"], after["2017-03"]["civilians_killed"]) == (3, 4)
    assert after != before


def test_without_its_reopenings_a_history_does_not_import(client, world, tmp_path):
    """What the issue found: CIV-E's second finding needs the reopening before it."""
    files = export(client, tmp_path)
    path = files["assessments"][0]
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if ",reopened," not in line))
    empty_the_database()
    for kind in ("strikes", "claims"):
        assert import_csv(kind, files[kind][0]).ok
    result = import_csv("assessments", path)
    assert result.errors == [
        'assessments.csv, row 6, column "claim_ref", value "CIV-E": claim CIV-E is closed '
        "(last assessed on 2017-02-10); reopen it before assessing it again."
    ]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo campaign, loaded once for the module in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.slow
def test_the_demo_campaign_round_trips_with_every_months_figures_equal(demo, client, tmp_path):
    counts = {
        "strikes": Strike.objects.count(),
        "claims": Claim.objects.count(),
        "reopenings": Reopening.objects.count(),
    }
    before, after, imported = round_trip(client, tmp_path)
    assert len(before["series"]) > 40
    assert after == before
    assert imported["strikes"]["strikes"] == counts["strikes"]
    assert imported["claims"]["claims"] == counts["claims"]
    assert imported["assessments"]["reopenings"] == counts["reopenings"] > 0

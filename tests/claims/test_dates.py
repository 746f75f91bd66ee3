"""Issue 10, finding 1: every record's date lies between the campaign's start and today.

A strike dated 0201-07-01 (a typo of 2017) or 9999-12-31 used to be accepted by the API and the
importer, and stretched every monthly series and chart over centuries. Each channel refuses them
now (claims/dates.py is the one home of the bounds): the database (the floor), the models'
validation (full_clean, the admin's forms), the services, the API and the importer.
"""

import datetime as dt

import pytest
import yaml
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims import services
from claims.dates import DATABASE_FLOOR, check_campaign_start
from claims.importers import import_csv
from claims.models import Assessment, Claim, ExternalAssessment, Reopening, Strike
from reports.periods import Month, month_range
from reports.series import month_series
from tests.claims.csv_files import STRIKES_HEADER, write_csv
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    UserFactory,
    assess,
    propose,
    reopen,
)

pytestmark = pytest.mark.django_db

D = dt.date
TYPO = D(201, 7, 1)  # 0201-07-01: 2017 with a digit missing
FAR = D(9999, 12, 31)
BEFORE = "0201-07-01 is before the campaign's start: a date must be on or after 1990-01-01"


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def future(day: dt.date) -> str:
    return (
        f"{day.isoformat()} is in the future: a date must be on or before today "
        f"({timezone.localdate().isoformat()})."
    )


def why(day: dt.date) -> str:
    """The message every channel gives for a date out of bounds (with the default start)."""
    if day < DATABASE_FLOOR:
        return (
            f"{day.isoformat()} is before the campaign's start: a date must be on or after "
            "1990-01-01 (the CAMPAIGN_START setting)."
        )
    return future(day)


BAD_DATES = [pytest.param(TYPO, id="0201-07-01"), pytest.param(FAR, id="9999-12-31")]
ALL_BAD = [*BAD_DATES, pytest.param(None, id="tomorrow")]


def bad(day):
    return tomorrow() if day is None else day


# The database: the floor, whatever path skips validation ------------------------------------------


def _closed_claim():
    claim = ClaimFactory(received_on=D(2017, 3, 9))
    assess(claim, on=D(2017, 3, 20))
    return claim


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: StrikeFactory(), "date"),
        (lambda: ClaimFactory(), "received_on"),
        (lambda: ClaimFactory(), "incident_date"),
        (lambda: Assessment.objects.get(claim=_closed_claim()), "assessed_on"),
        (lambda: reopen(_closed_claim(), D(2017, 4, 1)), "reopened_on"),
        (lambda: ExternalAssessmentFactory(assessed_on=D(2018, 1, 1)), "assessed_on"),
    ],
    ids=["strike", "claim received", "claim incident", "assessment", "reopening", "external"],
)
def test_the_database_refuses_a_date_before_the_floor(make, field):
    record = make()
    changes = {field: TYPO}
    if field == "received_on":
        changes["incident_date"] = TYPO  # the incident is never after the date received
    # The base manager's update skips every validation (and Assessment's final-once-approved
    # guard): only the database stands in the way.
    with pytest.raises(IntegrityError), transaction.atomic():
        type(record)._base_manager.filter(pk=record.pk).update(**changes)


def test_the_database_accepts_the_floor_itself_and_an_unknown_date():
    StrikeFactory(date=DATABASE_FLOOR)
    ExternalAssessmentFactory(assessed_on=None)


# Model validation: full_clean, so every form (the admin's) shows it -------------------------------


@pytest.mark.parametrize("day", ALL_BAD)
@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda day: StrikeFactory.build(date=day, belligerent=BelligerentFactory()), "date"),
        (lambda day: ClaimFactory.build(received_on=day, incident_date=day), "received_on"),
        (lambda day: ClaimFactory.build(incident_date=day), "incident_date"),
        (lambda day: ExternalAssessmentFactory.build(assessed_on=day), "assessed_on"),
        (lambda day: Reopening(reopened_on=day), "reopened_on"),
        (lambda day: Assessment(assessed_on=day), "assessed_on"),
    ],
    ids=["strike", "claim received", "claim incident", "external", "reopening", "assessment"],
)
def test_full_clean_names_the_field_and_says_why(build, field, day):
    day = bad(day)
    with pytest.raises(ValidationError) as error:
        build(day).full_clean()
    assert why(day) in error.value.message_dict[field]


def test_the_admin_form_refuses_the_date_and_saves_nothing(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    coalition = BelligerentFactory(name="Coalition")
    form = {
        "strike_ref": "S-TYPO",
        "belligerent": coalition.pk,
        "engagements": 1,
        "country": "IQ",
        "precision": "locality",
    }
    for day in (TYPO, FAR, tomorrow()):
        response = client.post(reverse("admin:claims_strike_add"), {**form, "date": day})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["date"] == [why(day)]
    assert not Strike.objects.exists()


# The services -------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ALL_BAD)
def test_services_refuse_strikes_and_claims_out_of_bounds(analyst, day):
    day = bad(day)
    belligerent = BelligerentFactory()
    with pytest.raises(ValidationError) as error:
        services.strike_create(
            by=analyst, strike_ref="S-1", date=day, belligerent=belligerent, country="IQ"
        )
    assert error.value.message_dict["date"] == [why(day)]
    claim = ClaimFactory(claim_ref="CIV-1")
    with pytest.raises(ValidationError) as error:
        services.claim_update(claim=claim, by=analyst, expected_version=None, received_on=day)
    assert error.value.message_dict["received_on"] == [why(day)]
    assert not Strike.objects.exists()
    assert Claim.objects.get().received_on == D(2017, 3, 9)


@pytest.mark.parametrize("day", ALL_BAD)
def test_services_refuse_assessments_and_reopenings_out_of_bounds(analyst, reviewer, day):
    day = bad(day)
    claim = ClaimFactory(received_on=D(2017, 3, 9))
    with pytest.raises(ValidationError) as error:
        assess(claim, on=day)
    assert error.value.message_dict["assessed_on"] == [why(day)]
    proposal = propose(claim, analyst)
    with pytest.raises(ValidationError) as error:
        services.assessment_approve(assessment=proposal, by=reviewer, on=day)
    assert error.value.message_dict["assessed_on"] == [why(day)]
    services.assessment_approve(assessment=proposal, by=reviewer, on=D(2017, 3, 20))
    with pytest.raises(ValidationError) as error:
        reopen(claim, day)
    assert error.value.message_dict["reopened_on"] == [why(day)]
    assert not Reopening.objects.exists()
    assert list(Assessment.objects.values_list("assessed_on", flat=True)) == [D(2017, 3, 20)]


# The API: a 400 naming the field ------------------------------------------------------------------


@pytest.fixture
def call(client, analyst):
    key = Token.objects.get_or_create(user=analyst)[0].key

    def send(method, path, body, **headers):
        return getattr(client, method)(
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
            **headers,
        )

    return send


@pytest.mark.parametrize("day", ALL_BAD)
def test_api_post_and_patch_refuse_a_date_out_of_bounds_with_a_400(call, day):
    day = bad(day)
    BelligerentFactory(name="Coalition")
    strike = {"strike_ref": "S-NEW", "date": day.isoformat(), "belligerent": "Coalition"}
    response = call("post", "/api/v1/strikes/", {**strike, "country": "IQ"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"date": [why(day)]}
    claim = {
        "claim_ref": "CIV-NEW",
        "received_on": day.isoformat(),
        "incident_date": "2017-03-04",
        "country": "IQ",
        "source_type": "media",
    }
    response = call("post", "/api/v1/claims/", claim)
    assert response.status_code == 400
    assert response.json()["errors"]["received_on"] == [why(day)]
    StrikeFactory(strike_ref="S-1")
    response = call("patch", "/api/v1/strikes/S-1/", {"date": day.isoformat()})
    assert response.status_code == 400
    assert response.json()["errors"] == {"date": [why(day)]}
    ClaimFactory(claim_ref="CIV-1")
    body = {"incident_date": day.isoformat()}
    response = call("patch", "/api/v1/claims/CIV-1/", body, HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert why(day) in response.json()["errors"]["incident_date"]
    assert list(Strike.objects.values_list("strike_ref", "date")) == [("S-1", D(2017, 3, 1))]
    assert list(Claim.objects.values_list("claim_ref", "incident_date")) == [
        ("CIV-1", D(2017, 3, 4))
    ]


def test_api_accepts_the_bounds_themselves(call):
    BelligerentFactory(name="Coalition")
    for ref, day in (("S-FIRST", DATABASE_FLOOR), ("S-TODAY", timezone.localdate())):
        body = {"strike_ref": ref, "date": day.isoformat(), "belligerent": "Coalition"}
        assert call("post", "/api/v1/strikes/", {**body, "country": "IQ"}).status_code == 201


def test_the_schema_documents_the_bounds_of_every_date_written(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]
    expected = {
        "format": "date",
        "type": "string",
        "description": (
            "A date (YYYY-MM-DD) on or after 1990-01-01 (the campaign's start) and not after today."
        ),
    }
    for serializer, fields in {
        "StrikeInputRequest": ["date"],
        "PatchedStrikeUpdateRequest": ["date"],
        "ClaimInputRequest": ["received_on", "incident_date"],
        "PatchedClaimUpdateRequest": ["received_on", "incident_date"],
    }.items():
        for field in fields:
            assert schema[serializer]["properties"][field] == expected, (serializer, field)


# The importer: row, column, value and why ---------------------------------------------------------


def test_import_reports_each_date_out_of_bounds_with_row_column_and_value(tmp_path):
    late = tomorrow().isoformat()
    path = write_csv(
        tmp_path,
        "strikes.csv",
        STRIKES_HEADER
        + "S-1,0201-07-01,IQ,,,,,Coalition,,,1,\n"
        + "S-2,9999-12-31,IQ,,,,,Coalition,,,1,\n"
        + f"S-3,{late},IQ,,,,,Coalition,,,1,\n"
        + "S-4,1990-01-01,IQ,,,,,Coalition,,,1,\n",
    )
    result = import_csv("strikes", path)
    assert result.errors == [
        f'strikes.csv, row 2, column "date", value "0201-07-01": {why(TYPO)}',
        f'strikes.csv, row 3, column "date", value "9999-12-31": {why(FAR)}',
        f'strikes.csv, row 4, column "date", value "{late}": {why(tomorrow())}',
    ]
    assert not Strike.objects.exists()


@pytest.mark.parametrize(
    ("kind", "header", "row", "column"),
    [
        (
            "claims",
            "claim_ref,received_on,incident_date,country,source_type\n",
            "CIV-9,{day},2017-03-01,IQ,media\n",
            "received_on",
        ),
        (
            "claims",
            "claim_ref,received_on,incident_date,country,source_type\n",
            "CIV-9,2017-03-09,{day},IQ,media\n",
            "incident_date",
        ),
        (
            "assessments",
            "claim_ref,assessed_on,outcome,reason,rationale\n",
            "CIV-1,{day},non_credible,no_civilian_harm,No harm found.\n",
            "assessed_on",
        ),
        (
            "assessments",
            "claim_ref,assessed_on,outcome,rationale\n",
            "CIV-1,2017-03-20,credible,Seen.\nCIV-1,{day},reopened,New video.\n",
            "assessed_on",
        ),
        (
            "external_assessments",
            "claim_ref,organisation,grade,assessed_on\n",
            "CIV-1,Airwars,fair,{day}\n",
            "assessed_on",
        ),
    ],
    ids=["received", "incident", "assessment", "reopening", "external"],
)
@pytest.mark.parametrize("day", ALL_BAD)
def test_every_importer_refuses_dates_out_of_bounds(tmp_path, kind, header, row, column, day):
    day = bad(day)
    ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 9))
    path = write_csv(tmp_path, f"{kind}.csv", header + row.format(day=day.isoformat()))
    result = import_csv(kind, path)
    [problem] = [p for p in result.problems if p.value == day.isoformat()]
    assert (problem.column, problem.message) == (column, why(day))
    assert not result.ok
    assert Claim.objects.count() == 1
    assert not Assessment.objects.exists()
    assert not ExternalAssessment.objects.exists()


# The setting --------------------------------------------------------------------------------------


def test_campaign_start_raises_the_floor_for_every_channel(settings, tmp_path, call):
    settings.CAMPAIGN_START = D(2014, 1, 1)
    with pytest.raises(ValidationError) as error:
        StrikeFactory.build(date=D(2013, 12, 31), belligerent=BelligerentFactory()).full_clean()
    assert error.value.message_dict["date"] == [
        "2013-12-31 is before the campaign's start: a date must be on or after 2014-01-01 "
        "(the CAMPAIGN_START setting)."
    ]
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + "S-1,2013-12-31,IQ,,,,,C,,,1,\n")
    [problem] = import_csv("strikes", path).problems
    assert problem.message.endswith("on or after 2014-01-01 (the CAMPAIGN_START setting).")
    schema = yaml.safe_load(call("get", "/api/schema/", None).content)
    date = schema["components"]["schemas"]["StrikeInputRequest"]["properties"]["date"]
    assert "on or after 2014-01-01" in date["description"]


def test_campaign_start_is_read_from_the_environment_and_a_typo_stops_the_server():
    from tests.test_settings import settings_with

    result = settings_with(SECRET_KEY="x", CAMPAIGN_START="2014-01-01")
    assert result.returncode == 0, result.stderr
    result = settings_with(SECRET_KEY="x", CAMPAIGN_START="2014-13-01")
    assert result.returncode != 0
    assert "CAMPAIGN_START must be a date written YYYY-MM-DD, not '2014-13-01'." in result.stderr


def test_campaign_start_may_not_lower_the_databases_floor_nor_lie_ahead(settings):
    assert check_campaign_start() == []
    settings.CAMPAIGN_START = D(1980, 1, 1)
    [error] = check_campaign_start()
    assert (error.id, error.level) == ("claims.E001", checks.ERROR)
    assert "before 1990-01-01, the earliest date the database accepts" in error.msg
    settings.CAMPAIGN_START = tomorrow()
    assert [error.id for error in check_campaign_start()] == ["claims.E002"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_lists_the_dates_before_the_floor_instead_of_failing_blind():
    before, bounded = (
        [("claims", "0007_reviewers_see_batches")],
        [("claims", "0008_record_dates_within_bounds")],
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    belligerent = old.get_model("claims", "Belligerent").objects.create(name="Coalition")
    Strike = old.get_model("claims", "Strike")
    Strike.objects.create(strike_ref="S-OLD", date=TYPO, belligerent=belligerent, country="IQ")
    try:
        with pytest.raises(RuntimeError) as error:
            MigrationExecutor(connection).migrate(bounded)
        assert str(error.value) == (
            "These records are dated before 1990-01-01, the earliest date a record may carry; "
            "correct them (most are typos) and migrate again: Strike S-OLD date 0201-07-01."
        )
        Strike.objects.filter(strike_ref="S-OLD").update(date=D(2017, 7, 1))
        MigrationExecutor(connection).migrate(bounded)
    finally:
        Strike.objects.all().delete()
        belligerent.delete()
        MigrationExecutor(connection).migrate(latest)


# The monthly series and the charts: bounded by the records, never by a stray date -----------------


def test_the_series_runs_from_the_first_records_month_to_this_month():
    StrikeFactory(date=D(2016, 5, 27))
    ClaimFactory(received_on=D(2017, 3, 9))
    this_month = Month.of(timezone.localdate())
    series = month_series()
    assert [figures.period for figures in series] == month_range(Month(2016, 5), this_month)


def test_a_stray_date_written_past_validation_cannot_stretch_the_series_or_the_home_page(client):
    """A database from before the bounds may hold 9999-12-31 (or an update may skip validation):
    the series still ends at the current month, and the home page stays small."""
    StrikeFactory(date=D(2016, 5, 27))
    claim = ClaimFactory(received_on=D(2017, 3, 9))
    Strike.objects.filter(pk=StrikeFactory().pk).update(date=FAR)
    ExternalAssessmentFactory(claim=claim, grade="fair", civilians_killed_min=1)
    Claim.objects.filter(pk=claim.pk).update(received_on=FAR, incident_date=FAR)
    this_month = Month.of(timezone.localdate())
    series = month_series()
    assert (series[0].period, series[-1].period) == (Month(2016, 5), this_month)
    assert len(series) == len(month_range(Month(2016, 5), this_month))
    response = client.get("/")
    assert response.status_code == 200
    assert len(response.content) < 500_000
    assert "9999" not in response.content.decode()

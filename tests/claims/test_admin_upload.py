"""Importing a CSV file in the admin: permission, dry-run preview, confirm, and the kept file.

Each step runs as a background job (tests/claims/test_import_jobs.py); the tests run tasks at once
(tests/conftest.py), so a step has finished when its page, the redirect's target, is read."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from claims.admin import upload
from claims.importers import import_csv
from claims.models import Assessment, AssessmentBatch, Belligerent, Claim, ImportJob, Strike
from claims.services.jobs import UNCONFIRMED_MAX_AGE
from tests.claims.csv_files import STRIKES_HEADER, strike_rows
from tests.factories import ClaimFactory, StrikeFactory, user_with_role

pytestmark = pytest.mark.django_db

URL = "/admin/claims/import/"
BAD_STRIKES = (
    STRIKES_HEADER
    + strike_rows(1)
    + "S-2,2017-02-30,IQ,Ninawa,Mosul,,,Coalition,,,0,\n"
    + "S-3,2017-03-01,XX,,,,,,,,,\n"
)


@pytest.fixture
def analyst(client):
    user = user_with_role("analyst", username="anna")
    client.force_login(user)
    return user


def csv_file(text: str, name: str = "strikes.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def check(client, text: str, kind: str = "strikes", name: str = "strikes.csv"):
    """Upload, then read the check's job page (where the upload redirects)."""
    return client.post(URL, {"kind": kind, "file": csv_file(text, name)}, follow=True)


def confirm(client, response, follow=False, **extra):
    return client.post(
        URL,
        {"kind": response.context["kind"], "token": response.context["token"], **extra},
        follow=follow,
    )


def kept_files():
    """The uploaded files still kept (in the database, with their jobs)."""
    return sorted(ImportJob.objects.exclude(content=b"").values_list("file_name", flat=True))


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_import_route_is_the_named_url():
    assert reverse("claims_import") == URL


def test_import_page_offers_the_kinds_the_user_may_import(client, analyst):
    response = client.get(URL)

    assert response.status_code == 200
    assert [value for value, _ in response.context["form"].fields["kind"].choices] == [
        "strikes",
        "claims",
        "external_assessments",
    ]
    client.force_login(user_with_role("reviewer"))
    response = client.get(URL)
    assert [value for value, _ in response.context["form"].fields["kind"].choices] == [
        "strikes",
        "claims",
        "assessments",
        "external_assessments",
    ]


@pytest.mark.parametrize("role", [None, "publisher"])
def test_import_page_is_forbidden_to_those_who_add_no_records(client, role):
    client.force_login(user_with_role(role))
    assert client.get(URL).status_code == 403
    assert check(client, STRIKES_HEADER + strike_rows(1)).status_code == 403


def test_importing_assessments_needs_a_reviewer_and_makes_a_pending_batch(client, analyst):
    """Imported assessments count as approved: an analyst may not upload them, and one
    reviewer's upload counts for nothing until a second reviewer approves it."""
    claim = ClaimFactory(claim_ref="CIV-1", received_on=dt.date(2017, 3, 9))
    text = (
        "claim_ref,assessed_on,outcome,reason,rationale\n"
        "CIV-1,2017-03-20,non_credible,no_strike_at_time_or_place,No strike then.\n"
    )

    assert check(client, text, kind="assessments").status_code == 403
    assert kept_files() == []

    reviewer = user_with_role("reviewer")
    client.force_login(reviewer)
    preview = check(client, text, kind="assessments", name="assessments.csv")
    assert 'value="Submit 1 row for a second reviewer\'s approval"' in preview.content.decode()
    response = confirm(client, preview)
    job = ImportJob.objects.get()
    assert response["Location"] == f"/admin/claims/import/{job.pk}/"
    response = client.get(response["Location"])  # the submission's job, done: the batch

    batch = AssessmentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/claims/assessmentbatch/{batch.pk}/change/"
    assert flash(response) == [
        f"Batch {batch.pk} (1 assessment and 0 reopenings from assessments.csv) awaits a second "
        "reviewer: it counts for nothing until a reviewer other than you approves it."
    ]
    assert (batch.state, batch.uploaded_by, batch.summary) == (
        "pending",
        reviewer,
        "1 assessment and 0 reopenings",
    )
    assert not Assessment.objects.filter(claim=claim).exists()
    assert Claim.objects.get(pk=claim.pk).status == "open"
    assert kept_files() == []


def test_preview_writes_nothing_and_says_how_many_rows_would_be_imported(client, analyst):
    response = check(client, STRIKES_HEADER + strike_rows(3))

    assert response.status_code == 200
    content = response.content.decode()
    assert "3 rows of strikes.csv would be imported." in content
    assert "Dry run: 3 strikes would be imported; nothing was written." in content
    assert 'value="Confirm: import 3 rows"' in content
    assert (Strike.objects.count(), Belligerent.objects.count()) == (0, 0)
    assert (Strike.history.count(), Belligerent.history.count()) == (0, 0)
    assert kept_files() == ["strikes.csv"]


def test_confirm_writes_everything_attributed_to_the_user_and_deletes_the_file(client, analyst):
    preview = check(client, STRIKES_HEADER + strike_rows(3))

    response = confirm(client, preview)

    assert response.status_code == 302
    assert response["Location"] == f"{URL}{preview.context['job'].pk}/"  # the import's job
    assert list(Strike.objects.order_by("strike_ref").values_list("strike_ref", flat=True)) == [
        "S-00001",
        "S-00002",
        "S-00003",
    ]
    assert Strike.history.first().history_user == analyst
    assert Strike.history.first().history_change_reason == "Imported from strikes.csv"
    assert (
        "Imported 3 strikes from strikes.csv (1 new belligerent). "
        '<a href="/admin/claims/strike/">See the strikes.</a>'
    ) in client.get(response["Location"]).content.decode()
    assert kept_files() == []


def test_error_file_shows_each_error_as_a_table_row_and_writes_nothing(client, analyst):
    response = check(client, BAD_STRIKES)

    content = response.content.decode()
    assert "4 errors in strikes.csv: nothing was written." in content
    assert [(e.row, e.column, e.value, e.message) for e in response.context["errors"]] == [
        (3, "date", "2017-02-30", "not a valid date (expected YYYY-MM-DD)."),
        (3, "engagements", "0", "a strike has at least 1 engagement."),
        (4, "country", "XX", "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY)."),
        (4, "belligerent", "", "a value is required."),
    ]
    assert response.context["errors"][0].line == (
        'strikes.csv, row 3, column "date", value "2017-02-30": '
        "not a valid date (expected YYYY-MM-DD)."
    )
    assert "<td>a strike has at least 1 engagement.</td>" in content
    assert "Confirm" not in content
    assert (Strike.objects.count(), Belligerent.objects.count(), Strike.history.count()) == (
        0,
        0,
        0,
    )
    assert kept_files() == []


def test_errors_are_structured_with_their_row_column_and_value(tmp_path):
    """The admin's table reads each error's row, column and value as the importer recorded them
    (no parsing of the error lines back)."""
    header_only = tmp_path / "h.csv"
    header_only.write_text("strike_ref,date,,target\n")
    header_error = import_csv("strikes", header_only).problems[0]
    assert (header_error.row, header_error.column, header_error.value) == (1, None, None)
    assert header_error.line == "h.csv, row 1: column 3 has no name."

    path = tmp_path / "f.csv"
    path.write_text(
        STRIKES_HEADER.strip() + "\n" + strike_rows(1).replace("2017-03-02", '"a"": c"')
    )
    result = import_csv("strikes", path)

    [date_error] = result.problems
    assert (date_error.row, date_error.column, date_error.value) == (2, "date", 'a": c')
    assert date_error.message == "not a valid date (expected YYYY-MM-DD)."
    assert result.errors == ['f.csv, row 2, column "date", value "a": c": ' + date_error.message]


def test_confirm_reports_errors_that_appeared_since_the_preview_and_writes_nothing(client, analyst):
    preview = check(client, STRIKES_HEADER + strike_rows(2))
    StrikeFactory(strike_ref="S-00002")  # someone else imported it meanwhile

    response = confirm(client, preview, follow=True)

    assert response.status_code == 200
    assert [e.line for e in response.context["errors"]] == [
        'strikes.csv, row 3, column "strike_ref", value "S-00002": '
        "a strike with this ref is already in the database."
    ]
    assert list(Strike.objects.values_list("strike_ref", flat=True)) == ["S-00002"]
    assert kept_files() == []


def test_a_token_is_used_once(client, analyst):
    preview = check(client, STRIKES_HEADER + strike_rows(1))
    confirm(client, preview)

    response = confirm(client, preview)

    assert response.status_code == 302
    assert flash(response)[-1] == "This upload has expired or was already used: upload it again."
    assert Strike.objects.count() == 1


def test_another_users_token_finds_nothing(client, analyst):
    preview = check(client, STRIKES_HEADER + strike_rows(1))
    client.force_login(user_with_role("analyst", username="bob"))

    response = confirm(client, preview)

    assert flash(response) == ["This upload has expired or was already used: upload it again."]
    assert Strike.objects.count() == 0
    assert kept_files() == ["strikes.csv"]  # still the owner's to confirm


def test_a_token_only_finds_the_kind_it_was_checked_as(client, analyst):
    preview = check(client, STRIKES_HEADER + strike_rows(1))

    response = client.post(URL, {"kind": "claims", "token": preview.context["token"]})

    assert flash(response) == ["This upload has expired or was already used: upload it again."]
    assert (Strike.objects.count(), Claim.objects.count()) == (0, 0)


@pytest.mark.parametrize("token", ["../../etc", "x" * 32 + "/..", ""])
def test_malformed_tokens_find_nothing(client, analyst, token):
    response = client.post(URL, {"kind": "strikes", "token": token})
    assert flash(response) == ["This upload has expired or was already used: upload it again."]


def test_cancel_deletes_the_file_and_writes_nothing(client, analyst):
    preview = check(client, STRIKES_HEADER + strike_rows(1))

    response = confirm(client, preview, cancel="Cancel")

    assert flash(response) == ["Import cancelled; nothing was written."]
    assert (Strike.objects.count(), kept_files()) == (0, [])


def test_uploads_never_confirmed_are_deleted_after_a_day(client, analyst):
    stale = check(client, STRIKES_HEADER + strike_rows(1))
    day_ago = timezone.now() - UNCONFIRMED_MAX_AGE - dt.timedelta(seconds=1)
    ImportJob.objects.update(created_at=day_ago)

    check(client, STRIKES_HEADER + strike_rows(1), name="again.csv")

    assert kept_files() == ["again.csv"]
    assert flash(confirm(client, stale)) == [
        "This upload has expired or was already used: upload it again."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "strike_ref,date\nS-1,caf\xe9\n".encode("latin-1"),
            "strikes.csv is not UTF-8 text (line 2 has the byte 0xe9, which is not valid UTF-8)",
        ),
        (b"", "strikes.csv is empty: expected a header row, then data rows."),
    ],
)
def test_unreadable_files_are_explained(client, analyst, content, message):
    file = SimpleUploadedFile("strikes.csv", content, content_type="text/csv")

    response = client.post(URL, {"kind": "strikes", "file": file}, follow=True)

    assert message in response.context["job"].problem
    assert message in response.content.decode()
    assert (Strike.objects.count(), kept_files()) == (0, [])


def test_a_missing_file_is_asked_for(client, analyst):
    response = client.post(URL, {"kind": "strikes"})

    assert response.context["form"].errors == {"file": ["This field is required."]}
    assert kept_files() == []


def test_files_over_the_size_limit_are_refused(client, analyst, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 3 * 2**20)
    big = STRIKES_HEADER + "x" * (3 * 2**20 + 1)

    response = check(client, big)

    assert response.context["form"].errors == {
        "file": ["The file is 3.0 MB; the limit is 3 MB. Split it into smaller files."]
    }
    assert kept_files() == []


def test_a_claims_file_links_to_the_claims(client, analyst):
    StrikeFactory(strike_ref="S-1")
    text = (
        "claim_ref,received_on,incident_date,country,source_type,strike_refs\n"
        "CIV-1,2017-03-09,2017-03-04,IQ,ngo,S-1\n"
    )

    response = confirm(client, check(client, text, kind="claims", name="claims.csv"), follow=True)

    assert "See the claims.</a>" in response.content.decode()
    assert response.context["records_url"] == "/admin/claims/claim/"
    claim = Claim.objects.get()
    assert (claim.claim_ref, claim.received_on) == ("CIV-1", dt.date(2017, 3, 9))
    assert claim.history.first().history_user == analyst

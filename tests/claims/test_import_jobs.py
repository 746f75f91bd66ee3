"""Imports started in the admin run as background jobs: the request returns at once, the job's
page follows the counts (rows checked, then rows written) and shows the outcome as the upload
page always did; a failure leaves nothing; only the uploader and reviewers see a job.

Most tests run tasks at once (tests/conftest.py); the worker's test runs the production backend
(django-tasks-db) and its `db_worker`, as `make run` and `make serve` do."""

import datetime as dt
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import services
from claims.importers import base as importers_base
from claims.models import Assessment, Belligerent, Claim, ImportJob, Strike
from claims.models.jobs import JobState
from claims.services import jobs
from tests.claims.csv_files import STRIKES_HEADER, strike_rows
from tests.factories import ClaimFactory, user_with_role

pytestmark = pytest.mark.django_db

URL = "/admin/claims/import/"


@pytest.fixture
def anna(client):
    user = user_with_role("analyst", username="anna")
    client.force_login(user)
    return user


def upload(client, text: str, name: str = "strikes.csv", **extra):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(URL, {"kind": "strikes", "file": file}, **extra)


def confirm(client, job: ImportJob, **extra):
    return client.post(URL, {"kind": job.kind, "token": str(job.pk)}, **extra)


@pytest.fixture
def counts_seen(monkeypatch):
    """Every count a job stores for its page, unthrottled: (job id, checked, written, total)."""
    seen = []
    store = ImportJob.counts_store

    def record(job, checked, written, total):
        seen.append((checked, written, total))
        store(job, checked, written, total)

    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    monkeypatch.setattr(ImportJob, "counts_store", record)
    return seen


def test_a_background_import_reports_progress_in_order_then_its_outcome(
    client, anna, counts_seen, monkeypatch
):
    # The importer reports every PROGRESS_EVERY rows checked (5,000), then after each batch
    # written: every 100 here, so that a small file shows several steps.
    monkeypatch.setattr(importers_base, "PROGRESS_EVERY", 100)
    rows = 301
    response = upload(client, STRIKES_HEADER + strike_rows(rows))
    job = ImportJob.objects.get()
    assert response["Location"] == f"{URL}{job.pk}/"
    assert counts_seen == [
        (0, 0, 0),
        (100, 0, rows),
        (200, 0, rows),
        (300, 0, rows),
        (rows, 0, rows),
    ]
    assert Strike.objects.count() == 0  # a check writes nothing

    counts_seen.clear()
    response = confirm(client, job, follow=True)

    checked = [c for c, w, t in counts_seen]
    written = [w for c, w, t in counts_seen]
    assert checked == sorted(checked) and written == sorted(written)
    first_write = next(i for i, w in enumerate(written) if w)
    assert checked[1:first_write] == [100, 200, 300, rows]  # checked again, nothing written
    assert set(checked[first_write:]) == {rows}  # every row checked before any is written
    assert counts_seen[-1] == (rows, rows, rows)
    job.refresh_from_db()
    assert (job.state, job.rows_checked, job.rows_written, job.rows_total) == (
        "succeeded",
        rows,
        rows,
        rows,
    )
    assert "Imported 301 strikes from strikes.csv (1 new belligerent)." in (
        response.content.decode()
    )
    assert Strike.objects.count() == rows
    assert job.content == b""  # the file is dropped once imported


def test_the_status_shows_the_running_counts_from_the_cache(client, anna):
    job = ImportJob.objects.create(kind="strikes", file_name="s.csv", uploaded_by=anna)
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    job.counts_store(5_000, 0, 200_000)

    status = client.get(f"{URL}{job.pk}/status/").json()
    page = client.get(f"{URL}{job.pk}/").content.decode()

    assert (status["state"], status["rows_checked"], status["rows_written"]) == (
        "running",
        5_000,
        0,
    )
    assert (status["rows_total"], status["is_finished"], status["notice"]) == (200_000, False, "")
    assert '<progress id="rows-checked" data-bar="rows_checked" value="5000" max="200000">' in page
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript
    assert "js/import-progress.js" in page


def test_a_failing_file_writes_nothing_and_its_job_shows_the_errors(client, anna):
    text = STRIKES_HEADER + strike_rows(600) + "S-9,2017-02-30,IQ,,,,,Coalition,,,0,\n"

    response = upload(client, text, follow=True)

    job = ImportJob.objects.get()
    assert (job.state, job.rows_total, job.errors_count, job.content) == ("failed", 601, 2, b"")
    content = response.content.decode()
    assert "2 errors in strikes.csv: nothing was written." in content
    assert [(e.row, e.column, e.value, e.message) for e in response.context["errors"]] == [
        (602, "date", "2017-02-30", "not a valid date (expected YYYY-MM-DD)."),
        (602, "engagements", "0", "a strike has at least 1 engagement."),
    ]
    assert "<td>a strike has at least 1 engagement.</td>" in content
    assert "Confirm" not in content
    assert (Strike.objects.count(), Belligerent.objects.count(), Strike.history.count()) == (
        0,
        0,
        0,
    )


def test_an_import_that_dies_midway_writes_nothing(client, anna, monkeypatch):
    """The worker stops while writing (here: an error after the first batch is written): the
    import's transaction is rolled back, and the job says so."""
    checked = upload(client, STRIKES_HEADER + strike_rows(1_500), follow=True)
    job = checked.context["job"]
    store = ImportJob.counts_store

    def crash_after_a_batch(self, checked, written, total):
        store(self, checked, written, total)
        if written:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    monkeypatch.setattr(ImportJob, "counts_store", crash_after_a_batch)

    response = confirm(client, job, follow=True)

    job.refresh_from_db()
    assert (job.state, job.rows_written, job.problem) == (
        "failed",
        0,
        "The import stopped on an unexpected error.",
    )
    assert "The import stopped on an unexpected error. Nothing was written." in (
        response.content.decode()
    )
    assert (Strike.objects.count(), Belligerent.objects.count(), Strike.history.count()) == (
        0,
        0,
        0,
    )


def test_only_the_uploader_and_reviewers_see_a_job(client, anna):
    upload(client, STRIKES_HEADER + strike_rows(1))
    job = ImportJob.objects.get()
    pages = [f"{URL}{job.pk}/", f"{URL}{job.pk}/status/"]

    client.force_login(user_with_role("analyst", username="bob"))
    assert [client.get(page).status_code for page in pages] == [404, 404]
    assert confirm(client, job).status_code == 302  # "expired or already used"
    client.force_login(user_with_role(None, username="nobody"))
    assert [client.get(page).status_code for page in pages] == [403, 403]
    client.logout()
    assert [client.get(page).status_code for page in pages] == [302, 302]  # to the login

    client.force_login(user_with_role("reviewer", username="rita"))
    seen = client.get(pages[0])
    assert seen.status_code == 200
    assert seen.context["token"] == ""  # only the uploader confirms
    assert "Only anna may confirm it." in seen.content.decode()
    assert Strike.objects.count() == 0


@pytest.fixture
def database_backend(settings):
    """The production backend: tasks wait in a table for `manage.py db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():  # db_worker sets its own
        signal.signal(sig, handler)


def run_worker():
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


# The worker closes a connection left in a transaction: a transactional test, whose rows (the
# roles made by migrations) are restored for the tests after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_request_only_queues_the_job_and_the_worker_runs_it(client, database_backend):
    anna = user_with_role("analyst", username="anna")
    client.force_login(anna)

    response = upload(client, STRIKES_HEADER + strike_rows(3))

    job = ImportJob.objects.get()
    assert response["Location"] == f"{URL}{job.pk}/"
    assert (job.state, DBTaskResult.objects.count()) == ("queued", 1)
    status = client.get(f"{URL}{job.pk}/status/").json()
    assert (status["state_label"], status["notice"]) == ("Waiting for a worker", "")
    ImportJob.objects.update(queued_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert "Waiting for a worker: none has started this job in 60 seconds." in page

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.rows_checked, job.summary) == (
        "succeeded",
        3,
        "Dry run: 3 strikes would be imported; nothing was written.",
    )
    assert Strike.objects.count() == 0
    confirm(client, job)
    assert ImportJob.objects.get().state == "queued"
    assert Strike.objects.count() == 0

    run_worker()

    assert ImportJob.objects.get().state == "succeeded"
    assert Strike.objects.count() == 3
    assert Strike.history.first().history_user == anna


ASSESSMENTS = (
    b"claim_ref,assessed_on,outcome,reason,civilians_killed,civilians_injured,rationale\n"
    b"CIV-1,2017-03-20,credible,,3,1,Strike confirmed.\n"
)


@pytest.fixture
def batch(reviewer):
    ClaimFactory(claim_ref="CIV-1", received_on=dt.date(2017, 3, 9))
    batch, result = services.assessment_batch_upload(
        by=reviewer, file_name="assessments.csv", data=ASSESSMENTS
    )
    assert result.ok, result.errors
    return batch


def test_a_batch_is_approved_by_a_job_that_returns_to_the_batch(client, batch, counts_seen):
    victor = user_with_role("reviewer", username="victor")
    client.force_login(victor)

    response = client.post(f"/admin/claims/assessmentbatch/{batch.pk}/approve/")

    job = ImportJob.objects.get()
    assert (job.step, job.batch, job.uploaded_by) == ("approve", batch, victor)
    assert response["Location"] == f"{URL}{job.pk}/"
    assert counts_seen[-1] == (1, 1, 1)
    back = client.get(response["Location"])
    assert back["Location"] == f"/admin/claims/assessmentbatch/{batch.pk}/change/"
    batch.refresh_from_db()
    assert (batch.state, batch.decided_by) == ("approved", victor)
    assert Assessment.objects.get().decided_by == victor


def test_an_approval_that_no_longer_applies_writes_nothing_and_says_why(client, batch):
    Claim.objects.update(stage="closed")  # assessed meanwhile
    client.force_login(user_with_role("reviewer", username="victor"))

    page = client.post(f"/admin/claims/assessmentbatch/{batch.pk}/approve/", follow=True)

    assert ImportJob.objects.get().state == "failed"
    assert "The file no longer applies; nothing was imported and the batch is still pending." in (
        page.content.decode()
    )
    batch.refresh_from_db()
    assert (batch.state, Assessment.objects.count()) == ("pending", 0)


def test_the_uploader_of_a_batch_is_refused_before_any_job(client, batch, reviewer):
    client.force_login(reviewer)

    page = client.post(f"/admin/claims/assessmentbatch/{batch.pk}/approve/", follow=True)

    assert "approved by a reviewer other than the one who uploaded it" in page.content.decode()
    assert (ImportJob.objects.count(), Assessment.objects.count()) == (0, 0)

"""Four eyes on every path: an assessments file uploaded in the admin is a pending batch that
counts for nothing until a *different* reviewer approves it; approving imports it all or nothing
and names both people on every assessment and in history."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.admin.batches import batch_preview_store
from claims.models import Assessment, AssessmentBatch, Claim, Reopening
from reports.figures import month_figures
from tests.factories import ClaimFactory, user_with_role

pytestmark = pytest.mark.django_db

FILE = (
    b"claim_ref,assessed_on,outcome,reason,civilians_killed,civilians_injured,rationale\n"
    b"CIV-1,2017-03-20,credible,,3,1,Strike confirmed.\n"
    b"CIV-2,2017-03-21,non_credible,no_strike_at_time_or_place,,,No strike then.\n"
    b"CIV-2,2017-03-28,reopened,,,,New witness statements.\n"
)


@pytest.fixture
def claims():
    return [
        ClaimFactory(claim_ref=ref, received_on=dt.date(2017, 3, 9)) for ref in ("CIV-1", "CIV-2")
    ]


@pytest.fixture
def victor():
    return user_with_role("reviewer", username="victor")


@pytest.fixture
def batch(claims, reviewer):
    batch, result = services.assessment_batch_upload(
        by=reviewer, file_name="assessments.csv", data=FILE
    )
    assert result.ok, result.errors
    return batch


def test_an_uploaded_batch_counts_for_nothing(batch, reviewer):
    assert (batch.state, batch.uploaded_by, batch.rows) == ("pending", reviewer, 3)
    assert batch.summary == "2 assessments and 1 reopening"
    assert batch.sha256 == hashlib.sha256(FILE).hexdigest()
    assert (Assessment.objects.count(), Reopening.objects.count()) == (0, 0)
    assert set(Claim.objects.values_list("status", flat=True)) == {"open"}
    figures = month_figures(period="2017-03")
    assert (figures.closed, figures.credible, figures.civilians_killed) == (0, 0, 0)


def test_a_reviewer_cannot_approve_their_own_batch(batch, reviewer):
    with pytest.raises(PermissionDenied) as refused:
        services.assessment_batch_approve(batch=batch, by=reviewer)
    assert str(refused.value) == (
        "A batch of assessments must be approved by a reviewer other than the one who uploaded it."
    )
    assert AssessmentBatch.objects.get().state == "pending"
    assert Assessment.objects.count() == 0


def test_the_database_refuses_a_batch_approved_by_its_uploader(batch, reviewer):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        AssessmentBatch.objects.filter(pk=batch.pk).update(state="approved", decided_by=reviewer)
    assert "assessment_batch_four_eyes" in str(refused.value)


def test_an_analyst_cannot_upload_or_approve(claims, analyst, batch):
    with pytest.raises(PermissionDenied, match="You do not have permission to import assessments"):
        services.assessment_batch_upload(by=analyst, file_name="a.csv", data=FILE)
    with pytest.raises(PermissionDenied, match="approve or return assessments"):
        services.assessment_batch_approve(batch=batch, by=analyst)


def test_a_second_reviewer_approves_and_both_are_named(batch, reviewer, victor):
    result = services.assessment_batch_approve(batch=batch, by=victor)

    assert result.summary == (
        "Imported 2 assessments and 1 reopening from assessments.csv; 1 claim closed, 1 open."
    )
    batch.refresh_from_db()
    assert (batch.state, batch.decided_by) == ("approved", victor)
    assessments = Assessment.objects.order_by("claim__claim_ref")
    assert [(a.claim.claim_ref, a.state, a.assessed_by, a.decided_by) for a in assessments] == [
        ("CIV-1", "approved", reviewer, victor),
        ("CIV-2", "approved", reviewer, victor),
    ]
    assert {a.batch for a in assessments} == {batch}
    assert Reopening.objects.get().reopened_by == reviewer
    reason = (
        f"Imported from assessments.csv (sha256 {hashlib.sha256(FILE).hexdigest()}), "
        f"batch {batch.pk}: uploaded by rita, approved by victor"
    )
    for model in (Assessment, Reopening, Claim):
        records = model.history.all()
        assert {(r.history_user, r.history_change_reason) for r in records if r.history_user} == {
            (victor, reason)
        }
    figures = month_figures(period="2017-03")
    assert (figures.closed, figures.credible, figures.civilians_killed) == (2, 1, 3)
    assert dict(Claim.objects.values_list("claim_ref", "status")) == {
        "CIV-1": "closed",
        "CIV-2": "open",
    }


def test_a_batch_is_decided_once(batch, victor):
    services.assessment_batch_reject(batch=batch, by=victor, comment="Wrong month.")
    with pytest.raises(ValidationError, match="already decided"):
        services.assessment_batch_approve(batch=batch, by=victor)
    assert Assessment.objects.count() == 0


def test_a_rejection_says_why(batch, victor):
    with pytest.raises(ValidationError, match="Say why the batch is rejected."):
        services.assessment_batch_reject(batch=batch, by=victor, comment="  ")
    rejected = services.assessment_batch_reject(batch=batch, by=victor, comment="Wrong month.")
    assert (rejected.state, rejected.decided_by, rejected.decision_comment) == (
        "rejected",
        victor,
        "Wrong month.",
    )


def test_a_batch_that_no_longer_applies_writes_nothing_and_stays_pending(
    batch, claims, victor, analyst
):
    # Meanwhile CIV-1 was assessed through the workflow: the batch's row no longer applies.
    proposal = services.assessment_propose(
        claim=claims[0],
        by=analyst,
        outcome="non_credible",
        reason="no_civilian_harm",
        rationale="None found.",
    )
    services.assessment_approve(assessment=proposal, by=victor, on=dt.date(2017, 3, 25))

    with pytest.raises(ValidationError) as refused:
        services.assessment_batch_approve(batch=batch, by=victor)

    assert refused.value.messages[0] == (
        "The file no longer applies; nothing was imported and the batch is still pending."
    )
    assert "claim CIV-1 is closed" in refused.value.messages[1]
    assert AssessmentBatch.objects.get().state == "pending"
    assert Assessment.objects.count() == 1


def test_the_admin_shows_the_rows_and_the_figures_and_only_another_reviewer_approves(
    client, batch, reviewer, victor
):
    batch_preview_store(batch)  # as the upload page does
    url = f"/admin/claims/assessmentbatch/{batch.pk}/change/"
    client.force_login(reviewer)
    own = client.get(url)
    assert own.status_code == 200
    assert "Approve and import" not in own.content.decode()
    assert "You uploaded this batch" in own.content.decode()
    assert own.context["figure_changes"] == victor_sees(client, victor, url)  # the same rehearsal
    client.force_login(reviewer)
    refused = client.post(f"/admin/claims/assessmentbatch/{batch.pk}/approve/", follow=True)
    assert "approved by a reviewer other than the one who uploaded it" in refused.content.decode()
    assert Assessment.objects.count() == 0

    client.force_login(victor)
    page = client.get(url)
    content = page.content.decode()
    assert f"Approve and import batch {batch.pk}" in content
    assert "<td>New witness statements.</td>" in content  # the rows
    changes = {
        (change["month"], change["label"], change["before"], change["after"])
        for change in page.context["figure_changes"]
    }
    assert ("2017-03", "Assessed credible", 0, 1) in changes
    assert ("2017-03", "Civilians killed (credible reports assessed in the month)", 0, 3) in changes
    assert Assessment.objects.count() == 0  # the rehearsal was rolled back

    approved = client.post(f"/admin/claims/assessmentbatch/{batch.pk}/approve/", follow=True)
    assert f"Batch {batch.pk} approved." in approved.content.decode()
    assert Assessment.objects.filter(decided_by=victor, assessed_by=reviewer).count() == 2


def victor_sees(client, victor, url):
    client.force_login(victor)
    return client.get(url).context["figure_changes"]


def test_the_rehearsal_says_when_the_file_would_not_apply(client, batch, claims, victor):
    Claim.objects.filter(pk=claims[0].pk).update(stage="closed")  # closed meanwhile
    batch_preview_store(batch)
    client.force_login(victor)
    page = client.get(f"/admin/claims/assessmentbatch/{batch.pk}/change/")
    content = page.content.decode()
    assert "the file did not apply to the records as they then were" in content
    assert page.context["figure_changes"] == []
    assert any("CIV-1" in line for line in page.context["preview_errors"])


def test_uploading_in_the_admin_stores_the_rehearsal(client, claims, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(reviewer)
    url = "/admin/claims/import/"
    upload = SimpleUploadedFile("assessments.csv", FILE, content_type="text/csv")
    preview = client.post(url, {"kind": "assessments", "file": upload}, follow=True)  # a job
    client.post(url, {"kind": "assessments", "token": preview.context["token"]})
    batch = AssessmentBatch.objects.get()
    months = batch.preview["months"]
    assert [month["month"] for month in months] == ["2017-03"]
    assert ["credible", 0, 1] in months[0]["changes"]

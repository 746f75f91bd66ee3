"""A file of assessments uploaded in the admin: it counts for nothing until a second reviewer
approves it (four eyes on every path), and then it is imported all or nothing."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..definitions import BatchState


class AssessmentBatch(models.Model):
    file_name = models.CharField(max_length=200)
    # The file exactly as uploaded (kept in the database: every app server sees it).
    content = models.BinaryField(editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    rows = models.PositiveIntegerField(editable=False)
    summary = models.CharField(max_length=200, editable=False, help_text="What it would import.")
    state = models.CharField(
        max_length=10,
        choices=BatchState.choices,
        default=BatchState.PENDING,
        editable=False,
        db_index=True,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        editable=False,
        related_name="uploaded_batches",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="decided_batches",
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_comment = models.TextField(blank=True, editable=False)
    # What approving it would change, rehearsed once on upload (claims.admin.batches): the
    # figures of the months it touches, before and after, or why it would not apply.
    preview = models.JSONField(default=dict, editable=False)
    history = HistoricalRecords(excluded_fields=["content", "preview"])

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "assessment batch"
        verbose_name_plural = "assessment batches"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=BatchState.values), name="assessment_batch_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=BatchState.PENDING, decided_by__isnull=True)
                | (~Q(state=BatchState.PENDING) & Q(decided_by__isnull=False)),
                name="assessment_batch_decided_iff_not_pending",
                violation_error_message="A decided batch names who decided it; a pending one not.",
            ),
            # Four eyes: the reviewer who uploads a batch never approves it.
            models.CheckConstraint(
                condition=~Q(state=BatchState.APPROVED) | ~Q(decided_by=F("uploaded_by")),
                name="assessment_batch_four_eyes",
                violation_error_message=(
                    "A batch is approved by someone other than the reviewer who uploaded it."
                ),
            ),
        ]

    def __str__(self):
        return f"Batch {self.pk}: {self.file_name}"

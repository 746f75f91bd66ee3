"""Published monthly reports: each publication of a month freezes its figures and lists.

A row is never updated or deleted. Re-publishing a month adds a row with the next revision; the
latest is the month's current publication and the earlier ones stay as the audit trail. Rows are
written by `reports.publishing.month_publish` only.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone

PUBLICATION_IS_FINAL = (
    "A publication is final: it cannot be edited or deleted. To correct a published month, "
    "publish it again (a new revision)."
)
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class MonthPublicationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(PUBLICATION_IS_FINAL)

    def delete(self):
        raise PermissionDenied(PUBLICATION_IS_FINAL)

    def latest_per_period(self):
        """The current publication of each month: the rows no later revision replaces."""
        later = MonthPublication.objects.filter(
            period=models.OuterRef("period"), revision__gt=models.OuterRef("revision")
        )
        return self.filter(~models.Exists(later))


class MonthPublication(models.Model):
    """One publication of a month's report: its figures exactly as `month_figures(...)
    .as_dict()` gave them (the contract of `monthly_report --json` and the API), frozen."""

    period = models.CharField(max_length=7, help_text="The month, YYYY-MM.")
    revision = models.PositiveIntegerField(help_text="1 for the first publication, then 2, 3...")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="month_publications"
    )
    figures = models.JSONField(help_text="month_figures(period).as_dict() when published.")
    note = models.TextField(blank=True, help_text="Why it was published or re-published.")
    sha256 = models.CharField(
        max_length=64,
        help_text=(
            "SHA-256 (lowercase hex) of the canonical JSON of `figures` "
            "(reports.publishing.canonical_json), written with the row."
        ),
    )

    objects = MonthPublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-revision"]
        permissions = [("publish_monthpublication", "Can publish monthly reports")]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "revision"],
                name="monthpublication_period_revision",
                violation_error_message="This revision of the month is already published.",
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1), name="monthpublication_revision_positive"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN),
                name="monthpublication_period_format",
                violation_error_message="The period is a month written YYYY-MM.",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_PATTERN),
                name="monthpublication_sha256_hex",
                violation_error_message="The SHA-256 is 64 lowercase hexadecimal digits.",
            ),
        ]

    def __str__(self):
        return f"{self.period} revision {self.revision}"

    def save(self, *args, **kwargs):
        # A published report is a public record: it is added to, never rewritten.
        if not self._state.adding:
            raise PermissionDenied(PUBLICATION_IS_FINAL)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(PUBLICATION_IS_FINAL)

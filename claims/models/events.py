"""A claim's events: assessments (proposed, approved or returned) and reopenings."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..dates import floor_constraint, validate_record_date
from ..definitions import AssessmentState, Diligence, Outcome, Reason
from ..normalise import normalised_sql
from ..public import PublicQuerySet
from .records import Claim

APPROVED_IS_FINAL = (
    "An approved assessment is final: it cannot be edited or deleted. To correct it, reopen the "
    "claim and assess it again."
)


class AssessmentQuerySet(PublicQuerySet):
    def counted(self):
        """Approved assessments: the only ones that count, in a claim's status, the figures, the
        API and the public pages. Proposals and returned drafts never do."""
        return self.filter(state=AssessmentState.APPROVED)

    def proposed(self):
        return self.filter(state=AssessmentState.PROPOSED)

    def delete(self):
        if self.filter(state=AssessmentState.APPROVED).exists():
            raise PermissionDenied(APPROVED_IS_FINAL)
        return super().delete()

    def update(self, **kwargs):
        if self.filter(state=AssessmentState.APPROVED).exists():
            raise PermissionDenied(APPROVED_IS_FINAL)
        return super().update(**kwargs)


class Assessment(models.Model):
    """The reviewing body's own finding on a claim.

    An analyst proposes it; a reviewer other than its author approves it (it then closes the claim
    and counts) or returns it with a comment. Imported history is approved as it arrives. An
    approved assessment is never edited or deleted: a correction is a reopening and a new one.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(
        max_length=10,
        choices=AssessmentState.choices,
        default=AssessmentState.PROPOSED,
        editable=False,
        db_index=True,
    )
    # Position in the claim's history of approved assessments and reopenings (1, 2, 3...):
    # orders events that share a date. Set on approval.
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(
        max_length=40, choices=Reason.choices, blank=True, help_text="Non-credible only."
    )
    duplicate_of = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicated_by",
        help_text="Duplicates only: the claim this one duplicates.",
    )
    civilians_killed = models.PositiveIntegerField(null=True, blank=True)
    civilians_injured = models.PositiveIntegerField(null=True, blank=True)
    rationale = models.TextField(blank=True, help_text="Public: why the reviewers decided so.")
    rationale_ar = models.TextField(
        "rationale in Arabic", blank=True, help_text="Public: the rationale in Arabic (optional)."
    )
    # What the claims search reads of it (claims.search), kept by the database.
    search_text = models.GeneratedField(
        expression=normalised_sql("rationale", "rationale_ar"),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )
    # The date of the finding: the day it was approved. Empty while proposed.
    assessed_on = models.DateField(
        null=True, blank=True, db_index=True, validators=[validate_record_date]
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="Who drafted (proposed) it; empty for imported history.",
    )
    proposed_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="decided_assessments",
        help_text="The reviewer who approved or returned it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    return_comment = models.TextField(blank=True, editable=False)
    # The approved upload it came in, if any (uploaded by assessed_by, approved by decided_by).
    batch = models.ForeignKey(
        "AssessmentBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="assessments",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    diligence_strike_video = models.BooleanField(Diligence.STRIKE_VIDEO.label, default=False)
    diligence_personnel_interviewed = models.BooleanField(
        Diligence.PERSONNEL_INTERVIEWED.label, default=False
    )
    diligence_local_language_search = models.BooleanField(
        Diligence.LOCAL_LANGUAGE_SEARCH.label, default=False
    )
    diligence_map_search = models.BooleanField(Diligence.MAP_SEARCH.label, default=False)
    diligence_witness_interviewed = models.BooleanField(
        Diligence.WITNESS_INTERVIEWED.label, default=False
    )
    diligence_site_visit = models.BooleanField(Diligence.SITE_VISIT.label, default=False)
    diligence_ngo_information = models.BooleanField(Diligence.NGO_INFORMATION.label, default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "claim", "sequence"]
        indexes = [models.Index(fields=["outcome", "assessed_on"], name="assessment_outcome_date")]
        permissions = [("approve_assessment", "Can approve or return proposed assessments")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sequence"], name="assessment_claim_sequence"),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state=AssessmentState.PROPOSED),
                name="assessment_one_proposal_per_claim",
                violation_error_message="This claim already has a proposed assessment.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=AssessmentState.values), name="assessment_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    state=AssessmentState.APPROVED,
                    sequence__isnull=False,
                    assessed_on__isnull=False,
                )
                | (~Q(state=AssessmentState.APPROVED) & Q(sequence__isnull=True)),
                name="assessment_approved_has_date_and_sequence",
                violation_error_message=(
                    "An approved assessment has a date and a place in the claim's history; "
                    "a draft has no place yet."
                ),
            ),
            # Four eyes: nobody approves or returns their own proposal.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(assessed_by__isnull=True)
                | ~Q(decided_by=F("assessed_by")),
                name="assessment_four_eyes",
                violation_error_message=(
                    "An assessment is decided by someone other than its author."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=AssessmentState.RETURNED) | ~Q(return_comment=""),
                name="assessment_returned_with_comment",
                violation_error_message="A returned assessment says why.",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="assessment_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.NON_CREDIBLE, reason__in=Reason.values)
                | (~Q(outcome=Outcome.NON_CREDIBLE) & Q(reason="")),
                name="assessment_reason_iff_non_credible",
                violation_error_message=(
                    "A reason is given for non-credible outcomes, and only them."
                ),
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.DUPLICATE, duplicate_of__isnull=False)
                | (~Q(outcome=Outcome.DUPLICATE) & Q(duplicate_of__isnull=True)),
                name="assessment_duplicate_of_iff_duplicate",
                violation_error_message="Duplicates name the claim they duplicate; others do not.",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("claim")),
                name="assessment_not_duplicate_of_itself",
                violation_error_message="A claim cannot duplicate itself.",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.CREDIBLE)
                | Q(civilians_killed__isnull=True, civilians_injured__isnull=True),
                name="assessment_counts_only_if_credible",
                violation_error_message=(
                    "Only credible assessments count civilians killed or injured."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1), name="assessment_sequence_positive"
            ),
            floor_constraint("assessment", "assessed_on", nullable=True),
        ]

    def __str__(self):
        when = self.assessed_on or self.get_state_display().lower()
        return f"{self.claim} {self.get_outcome_display()} ({when})"

    def save(self, *args, **kwargs):
        # The record of a finding is evidence: once approved, it is never rewritten.
        if self.pk is not None and (
            Assessment.objects.filter(pk=self.pk, state=AssessmentState.APPROVED).exists()
        ):
            raise PermissionDenied(APPROVED_IS_FINAL)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and (
            Assessment.objects.filter(pk=self.pk, state=AssessmentState.APPROVED).exists()
        ):
            raise PermissionDenied(APPROVED_IS_FINAL)
        return super().delete(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.state == AssessmentState.APPROVED

    @property
    def diligence(self) -> list[str]:
        """The diligence steps taken, as their tokens (strike_video, site_visit, ...)."""
        return [token for token in Diligence.values if getattr(self, f"diligence_{token}")]


class Reopening(models.Model):
    """A closed claim reopened on new information; the claim is open again until re-assessed."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reopenings")
    # The assessment whose closure this reopens: each closure is reopened at most once.
    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="reopening"
    )
    sequence = models.PositiveIntegerField(editable=False)
    reopened_on = models.DateField(db_index=True, validators=[validate_record_date])
    reason = models.TextField(help_text="Public: the new information that reopened the claim.")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopenings",
    )
    batch = models.ForeignKey(
        "AssessmentBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="reopenings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["reopened_on", "claim", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sequence"], name="reopening_claim_sequence"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="reopening_reason_required",
                violation_error_message="A reopening states its reason.",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=2), name="reopening_sequence_valid"),
            floor_constraint("reopening", "reopened_on"),
        ]

    def __str__(self):
        return f"{self.claim} reopened ({self.reopened_on})"

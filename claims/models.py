"""The records: belligerents, strikes, claims of civilian harm, their assessments and reopenings.

Every invariant that a single row can express is a database constraint, so the database rejects
a bad row whichever way it arrives (form, importer, API, shell). Rules that span rows (a claim's
events alternate: assessed, reopened, assessed...) live in `claims/lifecycle.py` and are applied
by `claims/services.py` and the importer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower

from .countries import COUNTRIES, COUNTRY_CHOICES
from .definitions import (
    ClaimStatus,
    Diligence,
    Grade,
    Harm,
    Outcome,
    Precision,
    Reason,
    Sex,
    SourceType,
)


def _min_le_max(prefix: str, count: str) -> models.CheckConstraint:
    """`<count>_min <= <count>_max` when both are known (an unknown bound is NULL and passes)."""
    low, high = f"{count}_min", f"{count}_max"
    return models.CheckConstraint(
        condition=Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{low}__lte": F(high)}),
        # PostgreSQL truncates identifiers at 63 characters: keep names short.
        name=f"{prefix}_{count.removeprefix('civilians_')}_min_lte_max",
        violation_error_message=f"{low} must not exceed {high}.",
    )


class Belligerent(models.Model):
    """Who carried out strikes: the coalition, a member state, another party."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="belligerent_name_unique_ci",
                violation_error_message="A belligerent with this name already exists.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="belligerent_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class Located(models.Model):
    """Where something happened, as precisely as it is known."""

    country = models.CharField(
        max_length=2, choices=COUNTRY_CHOICES, help_text="ISO 3166-1 alpha-2 code, e.g. IQ, SY."
    )
    province = models.CharField(max_length=100, blank=True, help_text="Province or governorate.")
    locality = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.LOCALITY
    )

    class Meta:
        abstract = True

    @classmethod
    def location_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(country__in=list(COUNTRIES)),
                name=f"{prefix}_country_iso_alpha2",
                violation_error_message="Country must be an ISO 3166-1 alpha-2 code.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name=f"{prefix}_lat_lon_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name=f"{prefix}_latitude_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name=f"{prefix}_longitude_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(precision__in=Precision.values), name=f"{prefix}_precision_valid"
            ),
        ]

    @property
    def place(self) -> str:
        """The place in words, most precise part first: "Mosul, Ninawa"."""
        return ", ".join(part for part in (self.locality, self.province) if part) or (
            self.get_country_display()
        )

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Strike(Located):
    """One strike as the belligerent recorded it."""

    strike_ref = models.CharField(max_length=64, unique=True)
    date = models.DateField(db_index=True)
    belligerent = models.ForeignKey(Belligerent, on_delete=models.PROTECT, related_name="strikes")
    target = models.CharField(max_length=200, blank=True)
    munition = models.CharField(max_length=200, blank=True, help_text="Munition and/or platform.")
    engagements = models.PositiveIntegerField(default=1)
    source_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "strike_ref"]
        constraints = [
            models.CheckConstraint(condition=~Q(strike_ref=""), name="strike_ref_not_empty"),
            models.CheckConstraint(
                condition=Q(engagements__gte=1),
                name="strike_engagements_at_least_one",
                violation_error_message="A strike has at least one engagement.",
            ),
            *Located.location_constraints("strike"),
        ]

    def __str__(self):
        return self.strike_ref


class ClaimQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ClaimStatus.OPEN)

    def closed(self):
        return self.filter(status=ClaimStatus.CLOSED)


class Claim(Located):
    """A report of possible civilian harm from a strike."""

    claim_ref = models.CharField(max_length=64, unique=True)
    received_on = models.DateField(db_index=True)
    incident_date = models.DateField(db_index=True)
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    civilians_killed_min = models.PositiveIntegerField(null=True, blank=True)
    civilians_killed_max = models.PositiveIntegerField(null=True, blank=True)
    civilians_injured_min = models.PositiveIntegerField(null=True, blank=True)
    civilians_injured_max = models.PositiveIntegerField(null=True, blank=True)
    # The alleged breakdown of the killed, asked for in the annual US report to Congress.
    killed_children = models.PositiveIntegerField(null=True, blank=True)
    killed_women = models.PositiveIntegerField(null=True, blank=True)
    killed_men = models.PositiveIntegerField(null=True, blank=True)
    belligerent = models.ForeignKey(
        Belligerent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The suspected belligerent.",
    )
    strikes = models.ManyToManyField(Strike, blank=True, related_name="claims")
    summary = models.TextField(blank=True)
    confidential_notes = models.TextField(
        blank=True, help_text="Reviewers only: never shown on public pages, the API or exports."
    )
    # Derived from the claim's assessments and reopenings by claims.services; never edited.
    status = models.CharField(
        max_length=10,
        choices=ClaimStatus.choices,
        default=ClaimStatus.OPEN,
        editable=False,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "claim_ref"]
        constraints = [
            models.CheckConstraint(condition=~Q(claim_ref=""), name="claim_ref_not_empty"),
            models.CheckConstraint(
                condition=Q(incident_date__lte=F("received_on")),
                name="claim_incident_not_after_received",
                violation_error_message="The incident date cannot be after the date received.",
            ),
            models.CheckConstraint(
                condition=Q(source_type__in=SourceType.values), name="claim_source_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            _min_le_max("claim", "civilians_killed"),
            _min_le_max("claim", "civilians_injured"),
            models.CheckConstraint(
                condition=Q(civilians_killed_max__isnull=True)
                | Q(
                    civilians_killed_max__gte=Coalesce("killed_children", 0)
                    + Coalesce("killed_women", 0)
                    + Coalesce("killed_men", 0)
                ),
                name="claim_killed_breakdown_within_max",
                violation_error_message=(
                    "Children, women and men killed cannot add up to more than the maximum killed."
                ),
            ),
            *Located.location_constraints("claim"),
        ]

    def __str__(self):
        return self.claim_ref

    @property
    def is_open(self) -> bool:
        return self.status == ClaimStatus.OPEN


class Victim(models.Model):
    """A person named in a claim. Identities are published only by decision (`public`)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="victims")
    name = models.CharField(max_length=200, blank=True)
    name_ar = models.CharField("name in Arabic script", max_length=200, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    harm = models.CharField(max_length=10, choices=Harm.choices)
    public = models.BooleanField(
        default=False, help_text="Publish this person's identity. Off unless decided."
    )

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__lte=130), name="victim_age_plausible"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="victim_sex_valid"),
            models.CheckConstraint(condition=Q(harm__in=Harm.values), name="victim_harm_valid"),
        ]

    def __str__(self):
        return self.name or self.name_ar or f"Unnamed victim of {self.claim_id}"


class AssessmentQuerySet(models.QuerySet):
    def counted(self):
        """Assessments that count: in the claim's status, the figures, the API and public pages."""
        return self.all()


class Assessment(models.Model):
    """The reviewing body's own finding on a claim. Closes the claim; kept for ever."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="assessments")
    # Position in the claim's history of assessments and reopenings (1, 2, 3...): orders events
    # that share a date.
    sequence = models.PositiveIntegerField(editable=False)
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
    assessed_on = models.DateField(db_index=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="Empty for imported history.",
    )
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

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "claim", "sequence"]
        indexes = [models.Index(fields=["outcome", "assessed_on"], name="assessment_outcome_date")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sequence"], name="assessment_claim_sequence"),
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
        ]

    def __str__(self):
        return f"{self.claim} {self.get_outcome_display()} ({self.assessed_on})"

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
    reopened_on = models.DateField(db_index=True)
    reason = models.TextField(help_text="Public: the new information that reopened the claim.")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopenings",
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
        ]

    def __str__(self):
        return f"{self.claim} reopened ({self.reopened_on})"


class ExternalAssessment(models.Model):
    """What an independent organisation found for the same claim. Never changes its status."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="external_assessments")
    organisation = models.CharField(max_length=200)
    grade = models.CharField(max_length=20, choices=Grade.choices)
    civilians_killed_min = models.PositiveIntegerField(null=True, blank=True)
    civilians_killed_max = models.PositiveIntegerField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "organisation"],
                name="external_assessment_one_per_organisation",
                violation_error_message="This organisation has already assessed this claim.",
            ),
            models.CheckConstraint(
                condition=~Q(organisation=""), name="external_assessment_organisation_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values), name="external_assessment_grade_valid"
            ),
            _min_le_max("external_assessment", "civilians_killed"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.claim} {self.get_grade_display()}"

"""Strikes, claims of civilian harm, the people they name, comments and outside findings."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import floor_constraint, validate_record_date
from ..definitions import (
    ClaimStatus,
    Grade,
    Harm,
    LocationDisclosure,
    Sex,
    SourceType,
    Stage,
    default_location_disclosure,
)
from ..normalise import normalised_sql
from ..public import PublicQuerySet, claim_location
from ..workflow import status_expression
from .base import Belligerent, Located, min_le_max

# A ref is part of its record's web address (/claims/<ref>/, /api/v1/strikes/<ref>/).
REF_NO_SLASH = "A {what} ref cannot contain '/': it is part of the {what}'s web address."


class Strike(Located):
    """One strike as the belligerent recorded it."""

    strike_ref = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[^/]+$", REF_NO_SLASH.format(what="strike"))],
    )
    date = models.DateField(validators=[validate_record_date])  # indexed with the ref: Meta
    belligerent = models.ForeignKey(Belligerent, on_delete=models.PROTECT, related_name="strikes")
    target = models.CharField(max_length=200, blank=True)
    munition = models.CharField(max_length=200, blank=True, help_text="Munition and/or platform.")
    engagements = models.PositiveIntegerField(default=1)
    source_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "strike_ref"]
        indexes = [
            # The list's order (the API's and the exports'), with the key: a page far down the
            # list finds its rows' keys in the index alone (claims.api.pagination), and a range
            # of dates (a month's figures) reads it as the date's own index did.
            models.Index(fields=["-date", "strike_ref"], include=["id"], name="strike_list_order")
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(strike_ref=""), name="strike_ref_not_empty"),
            models.CheckConstraint(
                condition=~Q(strike_ref__contains="/"),
                name="strike_ref_no_slash",
                violation_error_message=REF_NO_SLASH.format(what="strike"),
            ),
            models.CheckConstraint(
                condition=Q(engagements__gte=1),
                name="strike_engagements_at_least_one",
                violation_error_message="A strike has at least one engagement.",
            ),
            floor_constraint("strike", "date"),
            *Located.location_constraints("strike"),
        ]

    def __str__(self):
        return self.strike_ref


_PUBLISHED = claim_location()


class ClaimQuerySet(PublicQuerySet):
    def open(self):
        return self.filter(status=ClaimStatus.OPEN)

    def closed(self):
        return self.filter(status=ClaimStatus.CLOSED)


class Claim(Located):
    """A report of possible civilian harm from a strike."""

    claim_ref = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[^/]+$", REF_NO_SLASH.format(what="claim"))],
    )
    received_on = models.DateField(db_index=True, validators=[validate_record_date])
    incident_date = models.DateField(db_index=True, validators=[validate_record_date])
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
    locality_ar = models.CharField(
        "locality in Arabic", max_length=200, blank=True, help_text="The place in Arabic script."
    )
    # What of the location above is published (claims.public.claim_location applies it).
    location_disclosure = models.CharField(
        _("location disclosure"),
        max_length=10,
        choices=LocationDisclosure.choices,
        default=default_location_disclosure,
        help_text=_(
            "How its location is published: the exact position stays visible to reviewers and "
            "is used for strike matching whatever is chosen."
        ),
    )
    summary = models.TextField(blank=True)
    summary_ar = models.TextField("summary in Arabic", blank=True)
    confidential_notes = models.TextField(
        blank=True, help_text="Reviewers only: never shown on public pages, the API or exports."
    )
    # The reviewers' workflow: moved only by claims.workflow.transition.
    stage = models.CharField(
        max_length=10, choices=Stage.choices, default=Stage.NEW, editable=False, db_index=True
    )
    # Open or closed: computed by the database from the stage (claims.workflow.STAGE_STATUS).
    status = models.GeneratedField(
        expression=status_expression(),
        output_field=models.CharField(max_length=10, choices=ClaimStatus.choices),
        db_persist=True,
        db_index=True,
        choices=ClaimStatus.choices,
    )
    # What the claims search reads (claims.search): its ref, its place as published (a hidden
    # locality or province is not searched: claims.public.claim_location) and its summary in
    # both languages, normalised by the database (claims.normalise); never the confidential notes.
    search_text = models.GeneratedField(
        expression=normalised_sql(
            "claim_ref",
            _PUBLISHED["province"],
            _PUBLISHED["locality"],
            _PUBLISHED["locality_ar"],
            "summary",
            "summary_ar",
        ),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_claims",
    )
    # Optimistic concurrency: every write through the services increments it.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[strikes], excluded_fields=["search_text"])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "claim_ref"]
        constraints = [
            models.CheckConstraint(condition=~Q(claim_ref=""), name="claim_ref_not_empty"),
            models.CheckConstraint(
                condition=~Q(claim_ref__contains="/"),
                name="claim_ref_no_slash",
                violation_error_message=REF_NO_SLASH.format(what="claim"),
            ),
            models.CheckConstraint(
                condition=Q(incident_date__lte=F("received_on")),
                name="claim_incident_not_after_received",
                violation_error_message="The incident date cannot be after the date received.",
            ),
            models.CheckConstraint(
                condition=Q(source_type__in=SourceType.values), name="claim_source_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(location_disclosure__in=LocationDisclosure.values),
                name="claim_location_disclosure_valid",
                violation_error_message=_("Unknown location disclosure."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="claim_stage_valid",
                violation_error_message="Unknown stage.",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.IN_REVIEW) | Q(assignee__isnull=False),
                name="claim_in_review_has_assignee",
                violation_error_message="A claim in review is assigned to someone.",
            ),
            floor_constraint("claim", "received_on"),
            floor_constraint("claim", "incident_date"),
            min_le_max("claim", "civilians_killed"),
            min_le_max("claim", "civilians_injured"),
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
        # The stored status (workflow.transition keeps an instance's in step with its stage).
        return self.status == ClaimStatus.OPEN


class ClaimComment(models.Model):
    """Internal discussion of a claim between analysts and reviewers: never public."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="claim_comment_not_empty"),
        ]

    def __str__(self):
        return f"Comment by {self.author} on {self.claim}"


class VictimQuerySet(PublicQuerySet):
    def published(self):
        """The victims whose identity was published, with the public facts only."""
        return self.filter(public=True).public()


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
    history = HistoricalRecords()

    objects = VictimQuerySet.as_manager()

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


class ExternalAssessment(models.Model):
    """What an independent organisation found for the same claim. Never changes its status."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="external_assessments")
    organisation = models.CharField(max_length=200)
    grade = models.CharField(max_length=20, choices=Grade.choices)
    civilians_killed_min = models.PositiveIntegerField(null=True, blank=True)
    civilians_killed_max = models.PositiveIntegerField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True, validators=[validate_record_date])
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PublicQuerySet.as_manager()

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
            min_le_max("external_assessment", "civilians_killed"),
            floor_constraint("external_assessment", "assessed_on", nullable=True),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.claim} {self.get_grade_display()}"

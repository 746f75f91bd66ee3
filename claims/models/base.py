"""Shared pieces of the records: who struck, and where something happened."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from simple_history.models import HistoricalRecords

from ..countries import COUNTRIES, COUNTRY_CHOICES
from ..definitions import Precision
from ..gazetteer import canonical_province
from ..public import PublicQuerySet


def min_le_max(prefix: str, count: str) -> models.CheckConstraint:
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


class BelligerentQuerySet(PublicQuerySet):
    def with_counts(self):
        """Each belligerent's number of strikes and of claims (`strikes_count`, `claims_count`),
        one subquery each: Count("strikes") and Count("claims") in one query join the two, and
        on the demo PostgreSQL counted 71 million strike × claim rows (202 s)."""
        return self.annotate(
            strikes_count=self._count_of("strikes"), claims_count=self._count_of("claims")
        )

    def _count_of(self, relation: str) -> Coalesce:
        """The number of rows of the reverse foreign key `relation` of the belligerent."""
        field = self.model._meta.get_field(relation)
        column = field.field.name  # the foreign key on the other side
        counted = (
            field.related_model.objects.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class Belligerent(models.Model):
    """Who carried out strikes: the coalition, a member state, another party."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = BelligerentQuerySet.as_manager()

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

    def clean(self):
        super().clean()
        # One name a governorate (claims.gazetteer): "Nineveh" is stored as "Ninawa".
        self.province = canonical_province(self.province, self.country)

    @property
    def place(self) -> str:
        """The place in words, most precise part first: "Mosul, Ninawa"."""
        return ", ".join(part for part in (self.locality, self.province) if part) or (
            self.get_country_display()
        )

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

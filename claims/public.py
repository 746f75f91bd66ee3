"""What is public: one allow-list of fields per model, and the QuerySet methods that load only them.

Every public channel (the API and its CSV and GeoJSON exports, the claims pages, the map, the
monthly figures) reads records through `.public()` (or `Victim.objects.published()`), which loads
the allow-listed columns and nothing else. A field is private until it is listed in PUBLIC: a new
field is in neither list until someone decides, and tests/claims/test_public.py fails until then.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import models
from django.db.models import Case, DecimalField, F, Value, When
from django.db.models.functions import Cast, Floor
from django.db.models.lookups import IsNull

from .countries import COUNTRIES
from .definitions import LocationDisclosure

# Models with no public channel at all: the reviewers' discussion, uploads awaiting approval,
# the admin's import jobs (the files and their errors).
NEVER_PUBLIC = frozenset({"claimcomment", "assessmentbatch", "importjob"})

# Model name -> the fields anyone may read. Relations are listed by their field name; the rows
# they point to are public through their own model's list.
PUBLIC: dict[str, tuple[str, ...]] = {
    "belligerent": ("id", "name"),
    "strike": (
        "id",
        "strike_ref",
        "date",
        "belligerent",
        "country",
        "province",
        "locality",
        "latitude",
        "longitude",
        "precision",
        "target",
        "munition",
        "engagements",
        "source_url",
    ),
    "claim": (
        "id",
        "claim_ref",
        "received_on",
        "incident_date",
        "country",
        "province",
        "locality",
        "latitude",
        "longitude",
        "precision",
        "location_disclosure",
        "source_type",
        "source_name",
        "source_url",
        "civilians_killed_min",
        "civilians_killed_max",
        "civilians_injured_min",
        "civilians_injured_max",
        "killed_children",
        "killed_women",
        "killed_men",
        "belligerent",
        "strikes",
        "summary",
        "status",
    ),
    # Only approved assessments are published (Assessment.objects.counted()).
    "assessment": (
        "id",
        "claim",
        "sequence",
        "outcome",
        "reason",
        "duplicate_of",
        "civilians_killed",
        "civilians_injured",
        "rationale",
        "assessed_on",
        "diligence_strike_video",
        "diligence_personnel_interviewed",
        "diligence_local_language_search",
        "diligence_map_search",
        "diligence_witness_interviewed",
        "diligence_site_visit",
        "diligence_ngo_information",
    ),
    "reopening": ("id", "claim", "assessment", "sequence", "reopened_on", "reason"),
    # Only victims whose identity was published (Victim.objects.published()).
    "victim": ("id", "claim", "name", "age", "sex", "harm"),
    "externalassessment": (
        "id",
        "claim",
        "organisation",
        "grade",
        "civilians_killed_min",
        "civilians_killed_max",
        "assessed_on",
        "url",
    ),
}

# Fields of PUBLIC that are never published as recorded, only through the disclosure rule below
# (claim_location, location_of): the output serializers name them in no source (a test checks).
DISCLOSED: dict[str, tuple[str, ...]] = {
    "claim": ("latitude", "longitude", "locality", "province"),
}

# Model name -> the fields that are never published: the reviewers' workflow, who did what,
# internal notes, bookkeeping. Together with PUBLIC, every field of every model above.
PRIVATE: dict[str, tuple[str, ...]] = {
    "belligerent": ("created_at",),
    "strike": ("created_at", "updated_at"),
    "claim": (
        "confidential_notes",
        "stage",
        "assignee",
        "version",
        "created_at",
        "updated_at",
    ),
    "assessment": (
        "state",
        "assessed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
        "return_comment",
        "batch",
        "version",
        "created_at",
    ),
    "reopening": ("reopened_by", "batch", "created_at"),
    "victim": ("name_ar", "public"),
    "externalassessment": ("created_at",),
}


def public_fields(model: type[models.Model], prefix: str = "") -> list[str]:
    """The public columns of `model` (for `only()`), each after `prefix` ("claim__")."""
    opts = model._meta
    return [
        f"{prefix}{name}"
        for name in PUBLIC[opts.model_name]
        if not opts.get_field(name).many_to_many
    ]


class PublicQuerySet(models.QuerySet):
    def public(self, *related: str):
        """The rows with their public columns only, and those of the `related` rows joined
        (select_related paths, e.g. "claim", "claim__belligerent")."""
        columns = public_fields(self.model)
        for path in related:
            model = self.model
            for name in path.split("__"):
                model = model._meta.get_field(name).related_model
            columns += public_fields(model, f"{path}__")
        # select_related() without arguments would join every relation: only when asked.
        queryset = self.select_related(*related) if related else self
        return queryset.only(*columns)


# --- Where a claim is shown: its location as published -----------------------------------------
#
# A claim's `location_disclosure` (claims.definitions.LocationDisclosure) says how much of its
# recorded location is published; the rule is written twice, as SQL expressions for querysets
# (claim_location) and in Python for an instance (location_of), and tests/claims/
# test_location_disclosure.py checks that both give the same answer for every level.

ROUNDED_PLACES = 2  # 0.01°: 1.1 km north-south, about 0.9 km east-west at 36° N
_SCALE = 10**ROUNDED_PLACES
# Half up, the same on every database: SQLite stores the coordinates as binary floats (36.345
# is 36.34499...), PostgreSQL as exact decimals. A coordinate has at most 6 decimals, so adding
# far less than one of its units before FLOOR corrects the float's error and nothing else.
_NUDGE = Decimal("0.5") + Decimal("0.00001")
_MICRODEGREE = Decimal("0.000001")


class PublishedCoordinate(DecimalField):
    """A published coordinate as the recorded columns read: a Decimal of 6 places on every
    database (SQLite's expressions come back as floats, PostgreSQL's as decimals of any scale),
    so a CSV cell is the same text on both."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value).quantize(_MICRODEGREE)


COORDINATE = PublishedCoordinate(max_digits=9, decimal_places=6)

_WITH_COORDINATES = (LocationDisclosure.EXACT, LocationDisclosure.ROUNDED)
_WITH_LOCALITY = (*_WITH_COORDINATES, LocationDisclosure.LOCALITY)
_WITH_PROVINCE = (*_WITH_LOCALITY, LocationDisclosure.PROVINCE)


def rounded(value: Decimal | None) -> Decimal | None:
    """A coordinate rounded to ROUNDED_PLACES, half up (as the SQL of `claim_location`)."""
    if value is None:
        return None
    whole = (value * _SCALE + _NUDGE).to_integral_value(ROUND_FLOOR)
    return (whole / _SCALE).quantize(_MICRODEGREE)


def claim_location(prefix: str = "") -> dict[str, models.Expression]:
    """The claim's location as published (the claim at `prefix`, "claim__"): latitude,
    longitude, locality and province as SQL expressions; null or "" where its
    `location_disclosure` hides them."""

    def column(name: str) -> F:
        return F(f"{prefix}{name}")

    level = f"{prefix}location_disclosure"
    latitude, longitude = (
        Case(
            When(**{level: LocationDisclosure.EXACT}, then=column(name)),
            When(
                **{level: LocationDisclosure.ROUNDED},
                then=Cast(Floor(column(name) * _SCALE + Value(_NUDGE)) / _SCALE, COORDINATE),
            ),
            default=Value(None),
            output_field=COORDINATE,
        )
        for name in ("latitude", "longitude")
    )
    locality, province = (
        Case(
            When(**{f"{level}__in": shown}, then=column(name)),
            default=Value(""),
            output_field=models.CharField(),
        )
        for name, shown in (("locality", _WITH_LOCALITY), ("province", _WITH_PROVINCE))
    )
    return {
        "latitude": latitude,
        "longitude": longitude,
        "locality": locality,
        "province": province,
    }


def with_location(queryset: models.QuerySet, prefix: str = "") -> models.QuerySet:
    """`queryset` with the published location of its claim (at `prefix`) as the annotations
    public_latitude, public_longitude, public_locality and public_province."""
    return queryset.annotate(
        **{f"public_{name}": value for name, value in claim_location(prefix).items()}
    )


@dataclass(frozen=True)
class Location:
    """A claim's location as published (`location_of`)."""

    latitude: Decimal | None
    longitude: Decimal | None
    locality: str
    province: str
    country: str
    disclosure: str
    precision: str

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None

    @property
    def place(self) -> str:
        """ "Mosul, Ninawa"; "Ninawa"; the country's name when neither is published."""
        return ", ".join(part for part in (self.locality, self.province) if part) or (
            COUNTRIES.get(self.country, self.country)
        )

    @property
    def is_rounded(self) -> bool:
        return self.disclosure == LocationDisclosure.ROUNDED


def location_of(claim) -> Location:
    """`claim_location` for a claim instance (its recorded columns and its level)."""
    level = claim.location_disclosure
    shown = level in _WITH_COORDINATES and claim.latitude is not None
    exact = level == LocationDisclosure.EXACT
    return Location(
        latitude=(claim.latitude if exact else rounded(claim.latitude)) if shown else None,
        longitude=(claim.longitude if exact else rounded(claim.longitude)) if shown else None,
        locality=claim.locality if level in _WITH_LOCALITY else "",
        province=claim.province if level in _WITH_PROVINCE else "",
        country=claim.country,
        disclosure=level,
        precision=claim.precision,
    )


def claim_position(prefix: str = "") -> tuple[models.Expression, models.Expression]:
    """Where a claim is shown publicly, as (latitude, longitude) expressions of the claim at
    `prefix` ("claim__"): the map's clusters, its lists and the `bbox` filter read it here.
    Null when the claim has no coordinates or its disclosure hides them."""
    location = claim_location(prefix)
    return location["latitude"], location["longitude"]


def claims_shown_on_maps(claims: models.QuerySet) -> models.QuerySet:
    """The claims that have a published position (the map, GeoJSON): a claim whose
    coordinates are not recorded or not published is left out alike."""
    latitude, _ = claim_position()
    return claims.filter(IsNull(latitude, False))

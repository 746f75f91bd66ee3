"""Query filters of the list endpoints: django-filter FilterSets, search and ordering.

Every filter validates its value (a bad date or an unknown choice is a 400 naming the parameter)
and an unknown query parameter is a 400 too: a misspelt filter must not silently return
everything. Date ranges are inclusive (`_after` is on or after, `_before` on or before).
"""

from decimal import Decimal

from django import forms
from django.db.models import Exists, F, OrderBy, OuterRef, Q
from django.db.models.lookups import GreaterThanOrEqual, IExact, LessThanOrEqual
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from ..countries import COUNTRY_CHOICES
from ..definitions import ClaimStatus, Grade, Outcome, Reason, SourceType
from ..gazetteer import canonical_province
from ..models import Assessment, Belligerent, Claim, ExternalAssessment, Reopening, Strike
from ..public import claim_location, claim_position
from .querysets import as_id, linked

# The claims list's search (claims.search: what its `search` finds, in both scripts, the place
# as published) and orders, shared by the API (ClaimViewSet) and the claims pages. The field is
# the one the search reads, for DRF to know the parameter.
CLAIM_SEARCH_FIELDS = ["search_text"]
CLAIM_ORDERING = ["-received_on", "claim_ref"]  # the default; claim_ref is unique
CLAIM_ORDERING_FIELDS = {  # public name -> queryset column
    "received_on": "received_on",
    "incident_date": "incident_date",
    "assessed_on": "latest_assessed_on",
    "civilians_killed_min": "civilians_killed_min",
    "civilians_killed_max": "civilians_killed_max",
    "assessed_civilians_killed": "latest_killed",
    "claim_ref": "claim_ref",
}


@extend_schema_field({"type": "integer", "minimum": 0})
class CountFilter(df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0, **kwargs)


def _date_range(name: str, column: str, what: str) -> dict[str, df.DateFilter]:
    """`<name>_after` and `<name>_before`, inclusive; ISO dates only (never 05/08/2017)."""
    iso = ["%Y-%m-%d"]
    return {
        f"{name}_after": df.DateFilter(
            field_name=column,
            lookup_expr="gte",
            input_formats=iso,
            help_text=f"{what} on or after (YYYY-MM-DD).",
        ),
        f"{name}_before": df.DateFilter(
            field_name=column,
            lookup_expr="lte",
            input_formats=iso,
            help_text=f"{what} on or before (YYYY-MM-DD).",
        ),
    }


def _event_date(what: str) -> df.DateFilter:
    """A bound of an event's date range (ClaimFilter.filter_queryset applies it)."""
    return df.DateFilter(
        method="filter_event", input_formats=["%Y-%m-%d"], help_text=f"{what} (YYYY-MM-DD)."
    )


RANGE = "Give longitudes within ±180 and latitudes within ±90: west,south,east,north."


class BBoxField(forms.CharField):
    """ "west,south,east,north" in decimal degrees (GeoJSON's order) -> four Decimals. With
    `crossing` (the API's filter), a box may cross the antimeridian (west > east, RFC 7946 5.2)
    and one whose south is north of its north holds nothing: only a box that is not four numbers
    within ±180 and ±90 is refused, which the schema's pattern states (BBOX_PATTERN), so that
    every request the schema allows is answered. Without it (the map's view), the box must be
    in order."""

    def __init__(self, *args, crossing: bool = False, **kwargs):
        self.crossing = crossing
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            west, south, east, north = (Decimal(part) for part in value.split(","))
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(
                "Give four numbers: west,south,east,north (longitude, latitude)."
            ) from None
        corners = (west, south, east, north)
        in_range = all(part.is_finite() for part in corners) and (
            all(-180 <= x <= 180 for x in (west, east))
            and all(-90 <= y <= 90 for y in (south, north))
        )
        if self.crossing and not in_range:
            raise forms.ValidationError(RANGE)
        if not self.crossing and not (in_range and west <= east and south <= north):
            raise forms.ValidationError(
                "Give west ≤ east within ±180 and south ≤ north within ±90."
            )
        return corners


_LONGITUDE = r"[+-]?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?)"
_LATITUDE = r"[+-]?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?)"
BBOX_PATTERN = f"^{_LONGITUDE},{_LATITUDE},{_LONGITUDE},{_LATITUDE}$"


@extend_schema_field({"type": "string", "pattern": BBOX_PATTERN, "example": "42.9,36.2,43.4,36.5"})
class BBoxFilter(df.Filter):
    """Claims whose public position (claims.public.claim_position) is in the box, edges
    included; claims without coordinates are outside every box."""

    field_class = BBoxField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, crossing=True, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        west, south, east, north = value
        latitude, longitude = claim_position()
        across = (GreaterThanOrEqual(longitude, west), LessThanOrEqual(longitude, east))
        return queryset.filter(
            GreaterThanOrEqual(latitude, south),
            LessThanOrEqual(latitude, north),
            # Across the antimeridian (west > east): east of west or west of east.
            Q(across[0]) | Q(across[1]) if west > east else Q(*across),
        )


def _by_belligerent(path: str):
    def apply(queryset, name, value: str):
        value = value.strip()
        if as_id(value) is not None:
            return queryset.filter(**{f"{path}_id": as_id(value)})
        return queryset.filter(**{f"{path}__name__iexact": value})

    return apply


PROVINCE_HELP = (
    "Province (governorate), ignoring case, by any of its names in the gazetteer (Ninawa, "
    "Nineveh, نينوى); as published."
)


def _by_province(prefix: str):
    """The claim's province as published (claims.public.claim_location): a claim whose province
    is hidden is not found by it. Any name of a governorate finds it (claims.gazetteer: the
    records store its canonical one); a name the gazetteer does not know, as it is."""

    def apply(queryset, name, value: str):
        canonical = canonical_province(value.strip())
        return queryset.filter(IExact(claim_location(prefix)["province"], canonical))

    return apply


def _linked_strike(claim_pk: str):
    def apply(queryset, name, value: str):
        return queryset.filter(
            linked(Claim.strikes.through, "claim_id", "strike__strike_ref", value, outer=claim_pk)
        )

    return apply


def _claim_filters(prefix: str, claim_pk: str) -> dict[str, df.Filter]:
    """The filters on a claim's own facts, for claims (prefix "") and the records about them."""
    return {
        **_date_range("incident_date", f"{prefix}incident_date", "Incident"),
        **_date_range("received_on", f"{prefix}received_on", "Claim received"),
        "country": df.ChoiceFilter(
            field_name=f"{prefix}country",
            choices=COUNTRY_CHOICES,
            help_text="ISO 3166-1 alpha-2 code of the claim's country, e.g. IQ.",
        ),
        "province": df.CharFilter(
            method=_by_province(prefix),
            help_text=PROVINCE_HELP,
        ),
        "belligerent": df.CharFilter(
            method=_by_belligerent(f"{prefix}belligerent"),
            help_text="The suspected belligerent: its name (ignoring case) or its id.",
        ),
        "source_type": df.ChoiceFilter(
            field_name=f"{prefix}source_type", choices=SourceType.choices
        ),
        "status": df.ChoiceFilter(
            field_name=f"{prefix}status", choices=ClaimStatus.choices, help_text="Claim status."
        ),
        "strike": df.CharFilter(
            method=_linked_strike(claim_pk), help_text="strike_ref of a strike linked to the claim."
        ),
    }


def _filterset(prefix: str, claim_pk: str, assessed_on: tuple[str, str]) -> type[df.FilterSet]:
    """A FilterSet base with the claim's filters and the `assessed_on` range on `column`."""
    column, what = assessed_on
    filters = {**_claim_filters(prefix, claim_pk), **_date_range("assessed_on", column, what)}
    return type("ClaimFacts", (df.FilterSet,), filters)


class ClaimFilter(_filterset("", "pk", ("latest_assessed_on", "Latest approved assessment"))):
    outcome = df.ChoiceFilter(
        field_name="latest_outcome",
        choices=Outcome.choices,
        help_text="Outcome of the claim's latest approved assessment.",
    )
    reason = df.ChoiceFilter(
        field_name="latest_reason",
        choices=Reason.choices,
        help_text="Reason of the claim's latest approved (non-credible) assessment.",
    )
    killed_min = CountFilter(
        field_name="civilians_killed_min",
        lookup_expr="gte",
        help_text="Alleged civilians killed: the claim's minimum is at least this.",
    )
    killed_max = CountFilter(
        field_name="civilians_killed_max",
        lookup_expr="lte",
        help_text="Alleged civilians killed: the claim's maximum is at most this.",
    )
    # The claims of a monthly report's lists: closed as an outcome in a month (any approved
    # assessment, not only the latest), or reopened in it. Each group is one condition on one
    # event (filter_queryset): a claim closed as credible in March and as duplicate in May is
    # not "closed as credible in May".
    closed_as = df.ChoiceFilter(
        method="filter_event",
        choices=Outcome.choices,
        help_text="Has an approved assessment of this outcome (any, not only the latest); with "
        "closed_on_after/before, one dated in that range.",
    )
    closed_on_after = _event_date("Has an approved assessment dated on or after")
    closed_on_before = _event_date("Has an approved assessment dated on or before")
    reopened_on_after = _event_date("Was reopened on or after")
    reopened_on_before = _event_date("Was reopened on or before")
    bbox = BBoxFilter(
        help_text=(
            "Claims located in this box: west,south,east,north in decimal degrees, edges "
            "included (claims without coordinates are left out)."
        )
    )

    class Meta:
        model = Claim
        fields = []

    def filter_event(self, queryset, name, value):
        return queryset  # applied together with the other filters of its event, below

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        values = self.form.cleaned_data
        events = [
            (
                Assessment.objects.counted(),
                {
                    "outcome": values.get("closed_as"),
                    "assessed_on__gte": values.get("closed_on_after"),
                    "assessed_on__lte": values.get("closed_on_before"),
                },
            ),
            (
                Reopening.objects.all(),
                {
                    "reopened_on__gte": values.get("reopened_on_after"),
                    "reopened_on__lte": values.get("reopened_on_before"),
                },
            ),
        ]
        for of_kind, conditions in events:
            given = {lookup: value for lookup, value in conditions.items() if value}
            if given:
                queryset = queryset.filter(Exists(of_kind.filter(claim=OuterRef("pk"), **given)))
        return queryset


class AssessmentFilter(_filterset("claim__", "claim_id", ("assessed_on", "Assessment"))):
    claim = df.CharFilter(field_name="claim__claim_ref", help_text="claim_ref of the claim.")
    outcome = df.ChoiceFilter(choices=Outcome.choices)
    reason = df.ChoiceFilter(choices=Reason.choices, help_text="Non-credible reason.")
    killed_min = CountFilter(
        field_name="civilians_killed",
        lookup_expr="gte",
        help_text="Civilians killed (as assessed) at least this.",
    )
    killed_max = CountFilter(
        field_name="civilians_killed",
        lookup_expr="lte",
        help_text="Civilians killed (as assessed) at most this.",
    )

    class Meta:
        model = Assessment
        fields = []


class ExternalAssessmentFilter(
    _filterset("claim__", "claim_id", ("assessed_on", "The organisation's finding"))
):
    claim = df.CharFilter(field_name="claim__claim_ref", help_text="claim_ref of the claim.")
    organisation = df.CharFilter(lookup_expr="iexact", help_text="Organisation, ignoring case.")
    grade = df.ChoiceFilter(choices=Grade.choices)
    outcome = df.ChoiceFilter(
        field_name="official_outcome",
        choices=Outcome.choices,
        help_text="Outcome of the claim's latest approved (official) assessment.",
    )
    killed_min = CountFilter(
        field_name="civilians_killed_min",
        lookup_expr="gte",
        help_text="The organisation's minimum of civilians killed is at least this.",
    )
    killed_max = CountFilter(
        field_name="civilians_killed_max",
        lookup_expr="lte",
        help_text="The organisation's maximum of civilians killed is at most this.",
    )

    class Meta:
        model = ExternalAssessment
        fields = []


class StrikeFilter(type("StrikeDates", (df.FilterSet,), _date_range("date", "date", "Strike"))):
    country = df.ChoiceFilter(choices=COUNTRY_CHOICES, help_text="ISO 3166-1 alpha-2 code.")
    province = df.CharFilter(
        method="filter_province",
        help_text="Province (governorate), ignoring case, by any of its names in the gazetteer.",
    )
    belligerent = df.CharFilter(
        method=_by_belligerent("belligerent"), help_text="Belligerent name (ignoring case) or id."
    )
    claim = df.CharFilter(method="filter_claim", help_text="claim_ref of a claim linked to it.")

    class Meta:
        model = Strike
        fields = []

    def filter_province(self, queryset, name, value: str):
        return queryset.filter(province__iexact=canonical_province(value.strip()))

    def filter_claim(self, queryset, name, value: str):
        return queryset.filter(
            linked(Claim.strikes.through, "strike_id", "claim__claim_ref", value)
        )


class BelligerentFilter(df.FilterSet):
    name = df.CharFilter(lookup_expr="iexact", help_text="Name, ignoring case.")

    class Meta:
        model = Belligerent
        fields = []


class StrictFilterBackend(df.DjangoFilterBackend):
    """django-filter, refusing query parameters that no filter, search, ordering, pagination or
    format option knows."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        known |= {api_settings.URL_FORMAT_OVERRIDE}
        if getattr(view, "search_fields", None):
            known.add(api_settings.SEARCH_PARAM)
        if getattr(view, "ordering_fields", None):
            known.add(api_settings.ORDERING_PARAM)
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            known |= {paginator.page_query_param, paginator.page_size_query_param}
            if cursor := getattr(paginator, "cursor_query_param", None):
                known.add(cursor)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            expected = ", ".join(sorted(known))
            raise ValidationError(
                {name: [f"Unknown query parameter. Known: {expected}."] for name in unknown}
            )
        if filterset_class and not set(request.query_params) & set(filterset_class.base_filters):
            return queryset  # no filter given: its form (a copy of every choice) is not needed
        return super().filter_queryset(request, queryset, view)


class SearchFilter(filters.SearchFilter):
    """DRF's search on the view's `search_fields`; a view with a `searcher` (the claims:
    claims.search) searches with it instead, its `search_description` saying what it finds."""

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(self.search_param, "")
        if "\x00" in text:  # no record holds one (the schema's pattern says so)
            raise ValidationError(
                {self.search_param: [f"{self.search_param} must not contain a NUL character."]}
            )
        searcher = getattr(view, "searcher", None)
        if searcher is None:
            return super().filter_queryset(request, queryset, view)
        return searcher(queryset, text) if text.strip() else queryset

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(
            name.split("__")[-1].removeprefix("public_") for name in view.search_fields
        )
        description = getattr(view, "search_description", None) or (
            f"Words to find (ignoring case) in {fields}; every word must match."
        )
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "string"},
            }
        ]


class OrderingFilter(filters.BaseFilterBackend):
    """`ordering=field` or `-field` (descending), comma-separated for several, from the view's
    `ordering_fields` (public name -> queryset column). Empty values sort last either way, and
    the view's unique key breaks ties, so pages are stable on every database."""

    param = api_settings.ORDERING_PARAM

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.param)
        if not raw:
            return queryset.order_by(*view.ordering)
        try:
            order = ordering_of(raw, view.ordering_fields)
        except ValueError as error:
            raise ValidationError({self.param: [str(error)]}) from None
        return queryset.order_by(*order, *view.ordering)

    def get_schema_operation_parameters(self, view):
        choices = [p + name for name in view.ordering_fields for p in ("", "-")]
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort by these fields, comma-separated; '-' for descending. Default: "
                    f"{', '.join(view.ordering)}."
                ),
                "schema": {"type": "array", "items": {"type": "string", "enum": choices}},
                "style": "form",
                "explode": False,
            }
        ]


def ordering_of(raw: str, fields: dict[str, str]) -> list[OrderBy]:
    """The order `raw` asks for ("-incident_date,claim_ref"; names from `fields`, public name
    -> column), empty values last either way. ValueError, saying what is known, for anything
    else."""
    terms = [term.strip() for term in raw.split(",") if term.strip()]
    unknown = [term for term in terms if term.removeprefix("-") not in fields]
    if unknown or not terms:
        raise ValueError(
            f"Unknown ordering {', '.join(map(repr, unknown or [raw]))}. Use one or more of "
            f"{', '.join(fields)}, each optionally prefixed with '-'."
        )
    order = []
    for term in terms:
        column = F(fields[term.removeprefix("-")])
        desc = term.startswith("-")
        order.append(column.desc(nulls_last=True) if desc else column.asc(nulls_last=True))
    return order

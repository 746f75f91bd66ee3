"""The claims map (/map/): what its page, its clusters and its lists of claims show.

The page embeds no claim: it says how many there are (one grouped query), and its script asks
`/map/clusters/` for the claims in view, grouped by the database on a grid whose cells are about
CELL_PIXELS wide at the map's zoom (one grouped query: the answer has at most a few rows per cell
of the view, whatever the number of claims), then `/map/claims/` for a cluster's claims, a page
at a time (the `bbox` filter on the cluster's extent). All three read the claims the API's list
returns for the same filters (`claims.pages.claims_selected`), so the map, the list and the
downloads agree; a claim's position is `claims.public.claim_position`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Func, IntegerField, Max, Min, QuerySet
from django.db.models.lookups import IsNull
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from casualty_tracker.data_version import cached
from casualty_tracker.languages import plural_forms

from .api.filters import BBoxField
from .bilingual import page_language, place_text_in
from .countries import COUNTRIES, country_name
from .pages import (
    CATEGORIES,
    MAP_FORM,
    claim_url,
    claims_selected,
    downloads,
    filter_form,
    finding_category,
)
from .public import claim_location, claim_position, claims_shown_on_maps

ZOOM, VIEW, PAGE = "zoom", "view", "page"
ZOOMS = range(0, 19)  # Leaflet's zoom levels (the map shows 4 to 14)
CELL_PIXELS = 80  # a grid cell's width on screen at the zoom it is made for
MAX_CELLS = 64 * 64  # the most cells one view may cover: this bounds the size of an answer
CLAIMS_PAGE_SIZE = 10  # claims per page of a cluster's list
REF_PLACEHOLDER = "__REF__"


def cell_size(zoom: int) -> float:
    """The width (and height) in degrees of a grid cell at `zoom`: CELL_PIXELS on screen, Leaflet's
    world being 256 × 2**zoom pixels wide."""
    return 360 * CELL_PIXELS / (256 * 2**zoom)


class GridIndex(Func):
    """The index of the grid cell of `size` degrees that holds a coordinate (in -180..180):
    FLOOR((x + 180) / size), computed by the database. SQLite without its math functions has no
    FLOOR: CAST truncates, which is the same for the non-negative values here."""

    template = "FLOOR((%(expressions)s + 180) / %(size)s)"
    output_field = IntegerField()

    def __init__(self, expression, size: float):
        super().__init__(expression, size=repr(float(size)))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST((%(expressions)s + 180) / %(size)s AS INTEGER)"
        )


def located(claims: QuerySet) -> QuerySet:
    """The claims that have a public position (in their order: clear it before grouping)."""
    return claims_shown_on_maps(claims.prefetch_related(None))


def published_place() -> dict:
    """The parts of a claim's place as published (claims.public.claim_location)."""
    location = claim_location()
    return {
        "locality": location["locality"],
        "province": location["province"],
        "country": "country",
    }


def place_of(locality: str, province: str, country: str) -> str:
    """ "Mosul, Ninawa"; "Ninawa"; the country's name when neither is known. On Arabic pages the
    gazetteer's Arabic names where every part has one (claims.bilingual.place_text_in)."""
    place = ", ".join(part for part in (locality, province) if part)
    if not place:
        return country_name(country) if country in COUNTRIES else ""
    return place_text_in(place, page_language()).text


# --- the page ---------------------------------------------------------------------------------


def claim_map(request: HttpRequest) -> dict:
    """Everything the map page shows (no claim: its script fetches the clusters). `errors`
    non-empty means a 400. One query (once per data version): the claims counted."""
    selection = claims_selected(request)
    context = {
        "form": filter_form(selection, MAP_FORM, selection.errors),
        "errors": selection.errors,
        "is_filtered": bool(selection.params),
    }
    if selection.errors:
        return context
    query = selection.query()
    mapped, total = cached("map-counts", lambda: map_counts(selection.claims), digest(query))
    shown = sum(mapped.values())
    return context | {
        "shown": shown,
        "total": total,
        "unmapped": total - shown,
        "legend": [
            (category, label, mapped.get(category, 0)) for category, label in CATEGORIES.items()
        ],
        "labels": CATEGORIES,
        "words": map_words(),
        "cell_pixels": CELL_PIXELS,
        "list_url": f"{reverse('claims:list')}?{query}".rstrip("?"),
        "clusters_url": f"{reverse('claims:map-clusters')}?{query}".rstrip("?"),
        "claims_url": f"{reverse('claims:map-claims')}?{query}".rstrip("?"),
        # The script puts each claim's (encoded) ref in place of the placeholder.
        "claim_url": claim_url(REF_PLACEHOLDER),
        "downloads": downloads(query),
    }


def map_counts(claims: QuerySet) -> tuple[dict[str, int], int]:
    """The claims that have a position, by finding, and the number of all the claims: one
    grouped query."""
    latitude, _ = claim_position()
    rows = (
        claims.prefetch_related(None)
        .order_by()
        .values(mapped=IsNull(latitude, False), category=finding_category())
        .annotate(claims=Count("pk"))
    )
    mapped, total = Counter(), 0
    for row in rows:
        total += row["claims"]
        if row["mapped"]:
            mapped[row["category"]] += row["claims"]
    return dict(mapped), total


def digest(*parts) -> str:
    """A short cache-key part for request values (free text: never in a key as given)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# --- the clusters -----------------------------------------------------------------------------


class ClusterRequest(forms.Form):
    zoom = forms.TypedChoiceField(choices=[(str(z), z) for z in ZOOMS], coerce=int)
    view = BBoxField(help_text="The area shown: west,south,east,north.")

    def clean(self):
        data = super().clean()
        if "zoom" in data and data.get("view"):
            columns, rows = cell_range(data["view"], cell_size(data["zoom"]))
            cells = (columns[1] - columns[0] + 1) * (rows[1] - rows[0] + 1)
            if cells > MAX_CELLS:
                raise forms.ValidationError(
                    {VIEW: f"This view covers {cells:,} cells at this zoom; at most {MAX_CELLS:,}."}
                )
        return data


def cell_range(view: tuple[Decimal, ...], size: float) -> tuple[tuple[int, int], ...]:
    """The first and last column, and the first and last row, of the cells the view touches."""
    west, south, east, north = (float(edge) + 180 for edge in view)
    return (int(west // size), int(east // size)), (int(south // size), int(north // size))


def map_clusters(request: HttpRequest) -> tuple[dict, int]:
    """The filtered claims in the cells of the grid at `zoom` that the `view` touches, as
    (JSON, status): one cluster per cell that holds claims, with its claims counted by finding,
    their mean position, extent (`bbox`, for the cluster's list) and place. One query, once per
    data version for these filters, zoom and cells."""
    selection = claims_selected(request, also_known=(ZOOM, VIEW))
    asked = ClusterRequest(request.GET)
    errors = selection.errors | {name: list(m) for name, m in asked.errors.items()}
    if errors:
        return {"errors": errors}, 400
    size = cell_size(asked.cleaned_data["zoom"])
    columns, rows = cell_range(asked.cleaned_data["view"], size)
    zoom = asked.cleaned_data["zoom"]
    # Computed once per data version (casualty_tracker.data_version), like the figures.
    clusters = cached(
        "map-clusters",
        lambda: clusters_in(selection.claims, size, columns, rows),
        digest(selection.query(), zoom, columns, rows),
    )
    return {"zoom": zoom, "clusters": clusters}, 200


def clusters_in(claims: QuerySet, size: float, columns, rows) -> list[dict]:
    """The clusters of `claims` in these (first, last) columns and rows of the grid of `size`:
    one grouped query, then a loop over its rows (at most four per cell)."""
    latitude, longitude = claim_position()
    grouped = (
        located(claims)
        .order_by()
        .annotate(cell_x=GridIndex(longitude, size), cell_y=GridIndex(latitude, size))
        .filter(cell_x__range=columns, cell_y__range=rows)
        .values("cell_x", "cell_y", category=finding_category())
        .annotate(
            claims=Count("pk"),
            mean_latitude=Avg(latitude),
            mean_longitude=Avg(longitude),
            south=Min(latitude),
            north=Max(latitude),
            west=Min(longitude),
            east=Max(longitude),
            **{
                f"{end}_{part}": aggregate(column)
                for end, aggregate in (("min", Min), ("max", Max))
                for part, column in published_place().items()
            },
        )
        .order_by("cell_y", "cell_x")
    )
    return clusters_of(grouped)


def clusters_of(rows) -> list[dict]:
    """One cluster per cell from its rows (one per finding), in the order of the cells."""
    cells: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        cells.setdefault((int(row["cell_y"]), int(row["cell_x"])), []).append(row)
    return [cluster(parts) for parts in cells.values()]


def cluster(parts: list[dict]) -> dict:
    count = sum(part["claims"] for part in parts)

    def mean(field: str) -> float:
        return round(sum(float(part[field]) * part["claims"] for part in parts) / count, 5)

    def only(field: str) -> str:
        """The one value of `field` all the cluster's claims share, or "" if they differ."""
        values = {part[f"min_{field}"] for part in parts} | {part[f"max_{field}"] for part in parts}
        return values.pop() if len(values) == 1 else ""

    place = place_of(only("locality"), only("province"), only("country"))
    return {
        "lat": mean("mean_latitude"),
        "lon": mean("mean_longitude"),
        "count": count,
        "counts": {part["category"]: part["claims"] for part in parts},
        # Exactly the positions of its claims: as `bbox`, it selects them and no other claim
        # (another cell's claims are outside this cell).
        "bbox": [
            degrees(min(Decimal(str(part["west"])) for part in parts)),
            degrees(min(Decimal(str(part["south"])) for part in parts)),
            degrees(max(Decimal(str(part["east"])) for part in parts)),
            degrees(max(Decimal(str(part["north"])) for part in parts)),
        ],
        "place": place,
    }


def degrees(value: Decimal) -> str:
    """ "36.34", "43": as short as the value, never in exponent form."""
    return format(value.normalize(), "f")


# --- a cluster's claims -----------------------------------------------------------------------


def map_claims(request: HttpRequest) -> tuple[dict, int]:
    """A page of the filtered claims that have a position (a cluster's: with `bbox`), in the
    claims list's order, as (JSON, status), with the claims list of the same claims. Two queries:
    the count and the page."""
    selection = claims_selected(request, also_known=(PAGE,))
    if selection.errors:
        return {"errors": selection.errors}, 400
    rows = (
        located(selection.claims)
        .annotate(category=finding_category())
        .values_list(
            "claim_ref",
            "incident_date",
            "public_locality",
            "public_province",
            "country",
            "category",
        )
    )
    paginator = Paginator(rows, CLAIMS_PAGE_SIZE)
    raw = request.GET.get(PAGE) or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= paginator.num_pages:
        message = f"The page must be a whole number from 1 to {paginator.num_pages}, not “{raw}”."
        return {"errors": {PAGE: [message]}}, 400
    page = paginator.page(int(raw))
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": CLAIMS_PAGE_SIZE,
        "claims": [
            {
                "ref": ref,
                "date": date_format(incident),
                "category": category,
                "place": place_of(locality, province, country),
            }
            for ref, incident, locality, province, country, category in page.object_list
        ],
        "list_url": f"{reverse('claims:list')}?{selection.query()}".rstrip("?"),
    }, 200


def map_words() -> dict:
    """The words of the map's script (static/js/map.js), in the reader's language: %(name)s
    placeholders, plural phrases by CLDR category."""
    return {
        "claims": plural_forms(lambda n: ngettext("%(n)s claim", "%(n)s claims", n)),
        "groups": plural_forms(lambda n: ngettext("%(n)s group", "%(n)s groups", n)),
        "near": _("Near %(lat)s° %(ns)s, %(lon)s° %(ew)s"),
        "north": pgettext("latitude", "N"),
        "south": pgettext("latitude", "S"),
        "east": pgettext("longitude", "E"),
        "west": pgettext("longitude", "W"),
        "previous": _("Previous"),
        "next": _("Next"),
        "all_here": _("All %(claims)s here in the claims list"),
        "zoom_in": _("Zoom in to these claims"),
        "loading": _("Loading…"),
        "range": _("Claims %(first)s–%(last)s of %(count)s"),
        "not_loaded": _("The claims could not be loaded."),
        "in_view": _("At this zoom, %(claims)s in view, in %(groups)s."),
        "none_in_view": _("No claims in view."),
        "separator": _(", "),
        # The outlines' country labels (static/geo/iraq-syria.geojson's `country`).
        "countries": {code: country_name(code) for code in ("IQ", "SY")},
    }

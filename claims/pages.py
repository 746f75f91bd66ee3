"""What the public claims pages show: computed here so that the views stay thin.

The list and the map select claims exactly as the API's claims list does: the API's own filters
(ClaimFilter, with its search and ordering: `claims.forms.ClaimPageFilter`) over the same public
queryset (`claims.api.querysets.public_claims`), so a page and the CSV/GeoJSON download it links
to can never disagree, and a bad value is refused with the API's own message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import links
from .api.querysets import public_claims
from .countries import country_name
from .definitions import (
    LOCATION_DISCLOSURE_DEFINITIONS,
    ClaimStatus,
    Diligence,
    Outcome,
    Reason,
)
from .forms import ClaimPageFilter
from .models import Belligerent, Claim, Strike
from .public import Location, claim_location, location_of

PAGE_SIZE = 50
FILTERS = tuple(ClaimPageFilter.base_filters)  # the API's claim filters, search and ordering
ORDERING, PAGE = "ordering", "page"
# The sort orders offered (API `ordering` values); the API accepts these and more.
ORDERINGS = {
    "-received_on": gettext_lazy("Newest received first"),
    "received_on": gettext_lazy("Oldest received first"),
    "-incident_date": gettext_lazy("Latest incident first"),
    "incident_date": gettext_lazy("Earliest incident first"),
    "-civilians_killed_max": gettext_lazy("Most civilians killed alleged"),
    "-assessed_on": gettext_lazy("Most recently assessed"),
}
DEFAULT_ORDERING = "-received_on"  # what the API does when no ordering is given
# What the map's colours and the findings' labels stand for (the colours: --credible... in
# static/css/site.css).
CATEGORIES = {
    "credible": gettext_lazy("Credible"),
    "non_credible": gettext_lazy("Non-credible"),
    "duplicate": gettext_lazy("Duplicate"),
    "open": gettext_lazy("Open: not yet assessed, or reopened"),
}


@dataclass(frozen=True)
class Finding:
    """A claim's current official finding in words: `category` is the outcome of its latest
    approved assessment while the claim is closed, and "open" while it is open (never assessed,
    or reopened for re-assessment), as the monthly figures count it."""

    category: str
    label: str
    detail: str = ""


def finding_of(claim: Claim) -> Finding:
    """From the annotations of `public_claims()` (latest_outcome, ...): no query."""
    outcome = claim.latest_outcome
    if claim.status == ClaimStatus.OPEN:
        if not outcome:
            return Finding("open", _("Not yet assessed"))
        was = str(Outcome(outcome).label).lower()
        return Finding("open", _("Reopened"), _("under re-assessment; was %(was)s") % {"was": was})
    detail = ""
    if outcome == Outcome.CREDIBLE:
        detail = _("%(killed)s, %(injured)s") % {
            "killed": people(claim.latest_killed, KILLED),
            "injured": people(claim.latest_injured, INJURED),
        }
    elif outcome == Outcome.NON_CREDIBLE and claim.latest_reason:
        detail = str(Reason(claim.latest_reason).label)
    return Finding(outcome, str(Outcome(outcome).label), detail)


def finding_category() -> Case:
    """`finding_of(claim).category` as an SQL expression over `public_claims()` (for grouping
    and counting in the database): "open" while the claim is open, else its latest outcome."""
    return Case(
        When(status=ClaimStatus.OPEN, then=Value("open")),
        default=F("latest_outcome"),
        output_field=CharField(),
    )


KILLED, INJURED = "killed", "injured"


def people(count: int | None, harm: str) -> str:
    """ "3 civilians killed", "1 civilian injured", "civilians injured: unknown"."""
    if harm == KILLED:
        if count is None:
            return _("civilians killed: unknown")
        phrase = ngettext("%(n)s civilian killed", "%(n)s civilians killed", count)
    else:
        if count is None:
            return _("civilians injured: unknown")
        phrase = ngettext("%(n)s civilian injured", "%(n)s civilians injured", count)
    return phrase % {"n": intcomma(count)}


def count_range(low: int | None, high: int | None) -> str:
    """An alleged count in words: "2–5", "3", "at least 2", "up to 5", "unknown"."""
    if low is None and high is None:
        return _("unknown")
    if high is None:
        return _("at least %(n)s") % {"n": intcomma(low)}
    if low is None:
        return _("up to %(n)s") % {"n": intcomma(high)}
    return intcomma(low) if low == high else f"{intcomma(low)}–{intcomma(high)}"


def claim_url(claim_ref: str) -> str:
    return reverse("claims:detail", args=[claim_ref])


# --- selecting claims: the API's filters ---------------------------------------------------


@dataclass
class Selection:
    """The claims chosen by a request's query parameters, or the reasons they could not be."""

    params: dict[str, str]  # the parameters given with a value (filters, search, ordering)
    errors: dict[str, list[str]]
    claims: QuerySet | None  # None when there are errors
    form: forms.Form  # the filter form, bound to the request's values

    def query(self, *, without: tuple[str, ...] = ()) -> str:
        """These parameters as a query string, e.g. for the downloads or another page."""
        return urlencode({k: v for k, v in self.params.items() if k not in without})


def claims_selected(
    request: HttpRequest, *, also_known: tuple[str, ...] = (), **choices
) -> Selection:
    """The public claims the API's list returns for the request's filter, search and ordering
    parameters (in its order), or the errors it would answer, by parameter. Parameters other
    than these and `also_known` are errors too: a misspelt filter must not show everything.
    `choices`: see ClaimPageFilter."""
    known = {*FILTERS, *also_known}
    # Kept (in the form, the links) are the known filters given a value; never an unknown one,
    # so that submitting the form again clears its error.
    params = {
        name: request.GET[name]
        for name in request.GET
        if name in known and name not in also_known and request.GET[name] != ""
    }
    listed = ", ".join(sorted(known))
    errors = {
        name: [_("Unknown filter “%(name)s”. Known: %(known)s.") % {"name": name, "known": listed}]
        for name in sorted(set(request.GET) - known)
    }
    selected = ClaimPageFilter(request.GET, queryset=public_claims(), **choices)
    if not selected.is_valid():
        errors |= {name: list(messages) for name, messages in selected.form.errors.items()}
    claims = None if errors else selected.qs
    return Selection(params, errors, claims, selected.form)


def page_of(claims: QuerySet, raw: str | None) -> Page:
    """Page `raw` (from 1, default 1) of the claims. Not a whole number from 1: ValueError; a
    page past the end: a 404, as in the API."""
    try:
        return Paginator(claims, PAGE_SIZE).page(raw or 1)
    except (PageNotAnInteger, EmptyPage) as error:
        if isinstance(error, EmptyPage) and int(raw) >= 1:
            raise Http404(_("There is no page %(page)s of these claims.") % {"page": raw}) from None
        raise ValueError(
            _("The page must be a whole number from 1, not “%(page)s”.") % {"page": raw}
        ) from None


def filter_form(selection: Selection, layout, errors: dict) -> dict:
    """The form's fields in fieldsets, for the template, and its error summary: (field id or
    "", label, message) for every error in the order of the form; a parameter the form shows
    no field for (unknown, `page`, or a filter kept hidden) is named as given, first."""
    form = selection.form
    shown = [name for _, names, *_ in layout for name in names]
    names = sorted(errors, key=lambda n: (shown.index(n) if n in shown else -1, n))
    return {
        "fieldsets": [
            {
                "legend": legend,
                "fields": [form[name] for name in fields],
                "columns": options.get("width", len(fields)),
                "hidden_legend": options.get("hidden_legend", False),
            }
            for legend, fields, options in layout
        ],
        "hidden": [(k, v) for k, v in selection.params.items() if k not in shown],
        "error_summary": [
            (form[n].id_for_label if n in shown else "", form[n].label if n in shown else n, m)
            for n in names
            for m in errors[n]
        ],
    }


# --- the claims list -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    claim: Claim
    finding: Finding
    alleged_killed: str
    url: str
    place: str  # as published (claims.public.location_of)
    location: Location  # the same, for the page's language (the `place_in` filter)


def list_row(claim: Claim) -> Row:
    """A claim as a row of a list (annotated by `public_claims()`: no query)."""
    location = location_of(claim)
    return Row(
        claim,
        finding_of(claim),
        count_range(claim.civilians_killed_min, claim.civilians_killed_max),
        claim_url(claim.claim_ref),
        location.place,
        location,
    )


LIST_FORM = (
    (gettext_lazy("Find"), ("search", "country", "province", "source_type", "belligerent"), {}),
    (gettext_lazy("Official finding"), ("outcome", "status"), {}),
    (
        gettext_lazy("Dates"),
        ("incident_date_after", "incident_date_before", "received_on_after", "received_on_before"),
        {},
    ),
    (gettext_lazy("Civilians killed, as alleged"), ("killed_min", "killed_max"), {}),
    (
        gettext_lazy("Order"),
        ("ordering",),
        {"width": 1.5},
    ),  # room for "Most civilians killed alleged"
)


# The map's filters: incident dates and the finding. Other filters given in the address (from
# the claims list's "Show on the map") stay as hidden fields.
MAP_FORM = (
    (
        gettext_lazy("Filter the map"),
        ("incident_date_after", "incident_date_before", "outcome", "status"),
        {"hidden_legend": True},
    ),
)


def list_choices() -> dict:
    """What the list's selects offer, and its province suggestions: from the data."""
    # Provinces as published: a hidden one is never suggested.
    places = (
        Claim.objects.order_by()
        .annotate(public_province=claim_location()["province"])
        .values_list("country", "public_province")
        .distinct()
    )
    countries, provinces = set(), set()
    for country, province in places:
        countries.add(country)
        if province:
            provinces.add(province)
    belligerents = Belligerent.objects.order_by("name").values_list("name", flat=True)
    return {
        "offered": {
            "country": [
                ("", _("Any")),
                *sorted(((code, country_name(code)) for code in countries), key=lambda c: c[1]),
            ],
            "belligerent": [("", _("Any")), *((name, name) for name in belligerents)],
            "ordering": list(ORDERINGS.items()),
        },
        "suggested": {"province": sorted(provinces, key=str.casefold)},
    }


def claim_list(request: HttpRequest) -> dict:
    """Everything the claims list shows. `errors` non-empty means a 400."""
    selection = claims_selected(request, also_known=(PAGE,), **list_choices())
    errors = selection.errors
    page = None
    if not errors:
        try:
            page = page_of(selection.claims.prefetch_related(None), request.GET.get(PAGE))
        except ValueError as error:
            errors = {PAGE: [str(error)]}
    context = {
        "form": filter_form(selection, LIST_FORM, errors),
        "errors": errors,
        "is_filtered": any(name != ORDERING for name in selection.params),
        "ordering_label": ORDERINGS.get(selection.params.get(ORDERING, DEFAULT_ORDERING)),
    }
    if errors:
        return context
    return context | {
        "rows": [list_row(claim) for claim in page.object_list],
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        ),
        "query": selection.query(),
        "downloads": downloads(selection.query()),
        "map_url": f"{reverse('claims:map')}?{selection.query(without=(ORDERING,))}".rstrip("?"),
    }


def downloads(query: str) -> dict[str, str]:
    """The API's exports of the same claims: the same parameters, plus a format."""
    base = reverse("api:claim-list")
    start = f"{base}?{query}&" if query else f"{base}?"
    return {
        "csv": f"{start}format=csv",
        "geojson": f"{start}format=geojson",
        "json": f"{base}?{query}" if query else base,
    }


# --- one claim -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One event of a claim's public history: an approved assessment or a reopening."""

    kind: str  # "assessment" or "reopening"
    on: date
    sequence: int
    record: object
    steps: tuple[tuple[str, bool], ...] = ()  # diligence: (what, done), every step listed
    counts: str = ""  # a credible finding's civilians killed and injured, in words


def claim_history(claim: Claim) -> list[Event]:
    """Approved assessments and reopenings in the order they happened (from the prefetched
    lists of `public_claim_page()`: no query)."""
    events = [
        Event(
            "assessment",
            a.assessed_on,
            a.sequence,
            a,
            steps=tuple((label, token in a.diligence) for token, label in Diligence.choices),
            counts=(
                _("%(killed)s, %(injured)s")
                % {
                    "killed": people(a.civilians_killed, KILLED),
                    "injured": people(a.civilians_injured, INJURED),
                }
                if a.outcome == Outcome.CREDIBLE
                else ""
            ),
        )
        for a in claim.approved_assessments
    ]
    events += [Event("reopening", r.reopened_on, r.sequence, r) for r in claim.public_reopenings]
    return sorted(events, key=lambda event: event.sequence)


def claim_page(claim: Claim) -> dict:
    location = location_of(claim)
    return {
        "location": location,
        "disclosure_definition": LOCATION_DISCLOSURE_DEFINITIONS[location.disclosure],
        "finding": finding_of(claim),
        "history": claim_history(claim),
        "alleged_killed": count_range(claim.civilians_killed_min, claim.civilians_killed_max),
        "alleged_injured": count_range(claim.civilians_injured_min, claim.civilians_injured_max),
        "api_url": reverse("api:claim-detail", args=[claim.claim_ref]),
        "map": map_marker(claim, location) if location.has_coordinates else None,
        "month_on_map": month_on_map(claim.incident_date),
    }


def strike_page(strike: Strike) -> dict:
    """A strike's page: its linked claims as the claims list shows them (from the prefetched
    `linked_claims` of `public_strike_page()`: no query)."""
    return {
        "rows": [list_row(claim) for claim in strike.linked_claims],
        "api_url": reverse("api:strike-detail", args=[strike.strike_ref]),
        "belligerent_claims": links.belligerent_page(strike.belligerent_id),
    }


def month_on_map(day: date) -> dict:
    """The map of the claims whose incident fell in the same month as `day`."""
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    query = urlencode(
        {"incident_date_after": first.isoformat(), "incident_date_before": last.isoformat()}
    )
    return {"label": dateformat.format(first, "F Y"), "url": f"{reverse('claims:map')}?{query}"}


def map_marker(claim: Claim, location: Location) -> dict:
    return {
        "lat": float(location.latitude),
        "lon": float(location.longitude),
        "category": finding_of(claim).category,
        "ref": claim.claim_ref,
    }

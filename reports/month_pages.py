"""What the monthly report pages show, as plain data: the list of months and one month's report.

The figures come from reports.figures (one month) and reports.series (every month), exactly as
the API serves them, and from reports.publishing (what was published, and what changed since);
nothing here computes a figure. A published month shows its published figures and lists.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from claims.countries import COUNTRIES, country_name
from claims.definitions import Diligence, Outcome, SourceType
from claims.pages import claim_url
from claims.pages import downloads as claim_downloads

from .catalogue import FIGURES, label
from .figures import month_figures, month_list_refs, month_lists
from .narrative import month_paragraphs
from .periods import Month
from .publishing import (
    CUMULATIVE_KEYS,
    figure_revisions,
    figures_from_dict,
    latest_publications,
    month_publication,
)
from .revisions import Revision, month_publications
from .series import LIST_KEYS, month_series, month_spans, month_totals, recorded_months

PROVISIONAL, PUBLISHED, REVISED = "provisional", "published", "revised"
# The key figures of a month, in reading order, with the colour of their outcome.
KEY_FIGURES = (
    ("received", ""),
    ("closed", ""),
    ("credible", "credible"),
    ("non_credible", "non-credible"),
    ("duplicate", "duplicate"),
    ("reopened", "open"),
    ("open_at_start", "open"),
    ("open_at_end", "open"),
    ("civilians_killed", "credible"),
    ("civilians_injured", "credible"),
)
# The cumulative figures, in three ledgers; a figure added to reports.figures lands in the last.
CUMULATIVE_GROUPS = (
    ("Reports of civilian harm", ("received", "credible", "non_credible", "duplicate", "open")),
    ("Civilians harmed, in credible reports", ("civilians_killed", "civilians_injured")),
    ("Strikes", ("strikes", "engagements", "engagements_report_pct", "engagements_credible_pct")),
)
# The rows of each of the month's lists its page shows; the figure above the list counts them
# all, and the claims list and the downloads it links to carry every row.
LIST_FIRST = 20
# Each list: the figure that counts its rows, and the claims list's filters that select its
# claims (claims.api.filters.ClaimFilter): the event's dates (`<event>_after`, `_before`: the
# month) and the outcome of a list of assessments.
LISTS = {
    "credible_claims": ("credible", "closed_on", Outcome.CREDIBLE),
    "non_credible_claims": ("non_credible", "closed_on", Outcome.NON_CREDIBLE),
    "duplicate_claims": ("duplicate", "closed_on", Outcome.DUPLICATE),
    "reopened_claims": ("reopened", "reopened_on", None),
}
_SOURCE_TYPES = dict(SourceType.choices)
_OUTCOMES = dict(Outcome.choices)
_DILIGENCE = dict(Diligence.choices)


def month_url(month: Month) -> str:
    """ "/reports/2017/03/": the canonical address (the route's int converters do not pad)."""
    return reverse(
        "reports:month", kwargs={"year": f"{month.year:04d}", "month": f"{month.month:02d}"}
    )


def downloads(month: Month) -> dict:
    closures = urlencode(
        {
            "format": "csv",
            "assessed_on_after": month.first_day.isoformat(),
            "assessed_on_before": month.last_day.isoformat(),
        }
    )
    assessed = urlencode(
        {
            "assessed_on_after": month.first_day.isoformat(),
            "assessed_on_before": month.last_day.isoformat(),
        }
    )
    return {
        "json": reverse("api:reports-month", args=[str(month)]),
        "csv": f"{reverse('api:assessment-list')}?{closures}",
        "map": f"{reverse('claims:map')}?{assessed}",
    }


def list_links(month: Month, key: str) -> dict:
    """Where every row of one of the month's lists (LISTS) is: its claims in the claims list
    and that list's downloads (claims.pages.downloads), and for a list of assessments, those
    assessments as CSV."""
    _, event, outcome = LISTS[key]
    start, end = month.first_day.isoformat(), month.last_day.isoformat()
    chosen = {"closed_as": outcome} if outcome else {}
    query = urlencode({**chosen, f"{event}_after": start, f"{event}_before": end})
    links = {"claims": f"{reverse('claims:list')}?{query}", **claim_downloads(query)}
    if outcome:
        assessments = urlencode(
            {
                "format": "csv",
                "outcome": outcome,
                "assessed_on_after": start,
                "assessed_on_before": end,
            }
        )
        links["assessments"] = f"{reverse('api:assessment-list')}?{assessments}"
    return links


def _claim_list(month: Month, key: str, rows: list[dict], count: int) -> dict:
    """One of the month's lists as its page shows it: its first rows, how many it holds (its
    figure), and, when it holds more than it shows, where the rest is."""
    return {
        "rows": [_claim_row(row) for row in rows],
        "count": count,
        "more": count - len(rows),
        "links": list_links(month, key) if count > len(rows) else None,
    }


def _refs(refs: tuple[str, ...]) -> dict:
    """Claims added to or removed from a list since publication: the first LIST_FIRST linked,
    and how many more."""
    return {
        "claims": [{"ref": ref, "url": claim_url(ref)} for ref in refs[:LIST_FIRST]],
        "more": max(len(refs) - LIST_FIRST, 0),
    }


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _claim_row(row: dict) -> dict:
    """A row of one of the month's lists, for display: dates as dates, codes as words, links."""
    shown = {
        **row,
        "url": claim_url(row["claim_ref"]),
        "incident_date": _day(row.get("incident_date")),
        "country_name": (
            country_name(row["country"]) if row.get("country") in COUNTRIES else row.get("country")
        ),
    }
    for key in ("received_on", "assessed_on", "reopened_on", "previous_assessed_on"):
        if key in row:
            shown[key] = _day(row[key])
    if "source_type" in row:
        shown["source_type_label"] = _SOURCE_TYPES.get(row["source_type"], row["source_type"])
    if row.get("duplicate_of"):
        shown["duplicate_of_url"] = claim_url(row["duplicate_of"])
    if "diligence" in row:
        shown["diligence_labels"] = [_DILIGENCE.get(step, step) for step in row["diligence"]]
    if "previous_outcome" in row:
        shown["previous_outcome_label"] = _OUTCOMES.get(row["previous_outcome"], "")
    return shown


def _cumulative_groups(cumulative: dict) -> list[dict]:
    grouped = {key for _, keys in CUMULATIVE_GROUPS for key in keys}
    others = tuple(key for key in CUMULATIVE_KEYS if key not in grouped)
    groups = [
        *CUMULATIVE_GROUPS[:-1],
        (CUMULATIVE_GROUPS[-1][0], CUMULATIVE_GROUPS[-1][1] + others),
    ]
    return [
        {
            "title": title,
            "figures": [
                {
                    "label": label(f"cumulative.{key}"),
                    "value": cumulative.get(key),
                    "is_pct": FIGURES[f"cumulative.{key}"].is_percentage,
                }
                for key in keys
            ],
        }
        for title, keys in groups
    ]


def _status(publication) -> str:
    if publication is None:
        return PROVISIONAL
    return REVISED if publication.is_revised else PUBLISHED


def month_report(month: Month, *, first: Month) -> dict:
    """Everything the month's page shows, in seven queries whatever the month's size:
    month_figures without its lists (four) and its publications (one: every revision's number
    and hash, the latest one's figures: revisions.month_publications), then two for the lists.
    Unpublished, the page shows the first LIST_FIRST rows of each list (month_lists); published,
    the lists as published (their first rows), and what changed since is found from the claim
    refs of the lists today (month_list_refs).
    `first` is the first month with a record (publishing.first_record_month)."""
    current = month_figures(period=month, with_lists=False).as_dict()
    revisions, latest = month_publications(month)
    publication = month_publication(
        period=month, current=lambda: current | month_list_refs(month), latest=latest
    )
    if publication:
        shown = publication.figures
        lists = {key: shown[key][:LIST_FIRST] for key in LIST_KEYS}
    else:
        shown = current
        lists = month_lists(month, first=LIST_FIRST)
    figures = figures_from_dict(shown)
    this_month = Month.of(timezone.localdate())
    previous = month.previous() if month.previous() >= first else None
    following = month.next() if month.next() <= this_month else None
    return {
        "month": month,
        "status": _status(publication),
        "publication": publication,
        # Read with the latest publication: every revision's number, date and hash.
        "revisions": revisions,
        "is_in_progress": month == this_month,
        "paragraphs": month_paragraphs(figures),
        "key_figures": [
            {"label": label(key), "value": shown[key], "colour": colour}
            for key, colour in KEY_FIGURES
        ],
        "cumulative": _cumulative_groups(shown["cumulative"]),
        **{
            key: _claim_list(month, key, lists[key], shown[figure])
            for key, (figure, *_) in LISTS.items()
        },
        "list_revisions": [
            {
                "label": change.label,
                "added": _refs(change.added),
                "removed": _refs(change.removed),
            }
            for change in (publication.list_revisions if publication else ())
        ],
        "previous": previous,
        "previous_url": month_url(previous) if previous else None,
        "next": following,
        "next_url": month_url(following) if following else None,
        "downloads": downloads(month),
    }


def revision_report(revision: Revision) -> dict:
    """Everything a revision's page shows, from its frozen figures only (no other query): the
    paragraphs, key and cumulative figures and the first LIST_FIRST rows of each list as
    published, and what changed from the revision before (claims linked)."""
    shown = revision.figures
    return {
        "month": revision.period,
        "revision": revision,
        "month_url": month_url(revision.period),
        "paragraphs": month_paragraphs(figures_from_dict(shown)),
        "key_figures": [
            {"label": label(key), "value": shown[key], "colour": colour}
            for key, colour in KEY_FIGURES
        ],
        "cumulative": _cumulative_groups(shown["cumulative"]),
        **{
            key: {
                "rows": [_claim_row(row) for row in shown[key][:LIST_FIRST]],
                "count": shown[figure],
                "more": 0,  # the page says once where every row is: the revision's record
                "links": None,
            }
            for key, (figure, *_) in LISTS.items()
        },
        "is_cut": any(len(shown[key]) > LIST_FIRST for key in LISTS),
        "list_first": LIST_FIRST,
        "list_revisions": [
            {"label": change.label, "added": _refs(change.added), "removed": _refs(change.removed)}
            for change in revision.changed_lists
        ],
    }


def _quiet_run(run: list) -> dict:
    """Consecutive months (oldest first) in which nothing was recorded: one line of the list."""
    oldest, newest = run[0], run[-1]
    return {
        "first": oldest.period,
        "last": newest.period,
        "open": newest.open_at_end,
        "months": len(run),
    }


def report_list() -> list[dict]:
    """Every month from the first record to the current one, newest first, grouped by year:
    the figures as published for a published month, else as they stand (five queries: the
    series and the publications). A run of QUIET_RUN_MONTHS or more unpublished months in which
    nothing was recorded (reports.series.month_spans, as the home page's charts) is one line,
    under the year of its last month."""
    publications = latest_publications()
    series = month_series()  # it ends at the current month: a future date has no page yet
    quiet = [
        not recorded and str(figures.period) not in publications
        for figures, recorded in zip(series, recorded_months(series), strict=True)
    ]
    years: dict[int, list] = {}
    for span in reversed(month_spans(quiet)):
        last = series[span[-1]]
        if len(span) > 1:
            row = {"quiet": _quiet_run(series[span.start : span.stop])}
        else:
            row = _month_row(last, publications.get(str(last.period)))
        years.setdefault(last.period.year, []).append(row)
    return [{"year": year, "months": months} for year, months in years.items()]


def _month_row(figures, published) -> dict:
    current = month_totals(figures)
    if published is None:
        totals, status = current, PROVISIONAL
    else:
        totals = published.totals
        status = REVISED if figure_revisions(totals, current) else PUBLISHED
    return {
        "month": figures.period,
        "url": month_url(figures.period),
        "figures": totals,
        "status": status,
        "published_at": published.published_at if published else None,
    }

"""Publishing monthly reports, and comparing a published month with its figures today.

`month_publish` freezes a month's figures and lists (exactly `month_figures(...).as_dict()`, the
contract of `monthly_report --json` and the API) as a new revision of its publication.
`month_publication` returns the latest publication of a month with its differences from the
current figures, figure by figure and claim by claim; `latest_publications` the latest revision
of every published month at once, for the list of reports.

Only the month, revision, date and figures are public: who published is kept for the audit, never
shown on a public page.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.dateformat import format as date_format

from claims import roles
from claims.models import Claim, Strike

from .catalogue import FIGURES, label
from .figures import Cumulative, MonthFigures, month_figures
from .models import MonthPublication
from .periods import Month
from .series import LIST_KEYS

LIST_LABELS = {
    "credible_claims": "Credible claims",
    "non_credible_claims": "Non-credible claims",
    "duplicate_claims": "Duplicate claims",
    "reopened_claims": "Reopened claims",
}
_NOT_SCALAR = {"period", "cumulative", *LIST_KEYS}
# Every scalar figure, in the order of the dataclasses: a figure added to reports.figures is
# compared (and published) without a change here.
FIGURE_KEYS = tuple(f.name for f in fields(MonthFigures) if f.name not in _NOT_SCALAR)
CUMULATIVE_KEYS = tuple(f.name for f in fields(Cumulative))


@dataclass(frozen=True)
class FigureRevision:
    """One figure that differs: as published, and as it stands now."""

    key: str  # "received", "cumulative.credible", ...
    label: str
    published: int | float | None
    current: int | float | None

    @property
    def is_percentage(self) -> bool:
        return self.key in FIGURES and FIGURES[self.key].is_percentage


@dataclass(frozen=True)
class ListRevision:
    """One of the month's lists of claims whose claims differ (refs added or removed)."""

    key: str  # "credible_claims", ...
    label: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class Publication:
    """The latest publication of a month, compared with the month's figures today."""

    period: Month
    revision: int
    published_at: datetime
    figures: dict
    revisions: tuple[FigureRevision, ...]
    list_revisions: tuple[ListRevision, ...]

    @property
    def is_revised(self) -> bool:
        return bool(self.revisions or self.list_revisions)


@dataclass(frozen=True)
class PublishedMonth:
    """The latest publication of a month, without its lists: a row of the list of reports."""

    period: Month
    revision: int
    published_at: datetime
    totals: dict  # the published figures: FIGURE_KEYS and "cumulative"


def first_record_month() -> Month | None:
    """The first month with a record, None if there is none. Two queries (MIN over indexed
    dates). Claims and strikes suffice: a claim's assessments and reopenings are never dated
    before it was received (claims.workflow), so this is also where `month_series` starts."""
    dates = [
        Claim.objects.aggregate(first=Min("received_on"))["first"],
        Strike.objects.aggregate(first=Min("date"))["first"],
    ]
    dates = [day for day in dates if day is not None]
    return Month.of(min(dates)) if dates else None


def figure_revisions(published: dict, current: dict) -> tuple[FigureRevision, ...]:
    """The scalar figures (and `cumulative.<name>`) that differ between two `as_dict()`s."""
    before, now = published.get("cumulative") or {}, current.get("cumulative") or {}
    pairs = [(key, published.get(key), current.get(key)) for key in FIGURE_KEYS]
    pairs += [(f"cumulative.{key}", before.get(key), now.get(key)) for key in CUMULATIVE_KEYS]
    return tuple(FigureRevision(key, label(key), old, new) for key, old, new in pairs if old != new)


def list_revisions(published: dict, current: dict) -> tuple[ListRevision, ...]:
    """The claim refs added to and removed from each of the month's four lists (a claim closed
    twice in the month is in a list twice: the lists are compared as multisets)."""
    changes = []
    for key in LIST_KEYS:
        before = Counter(row["claim_ref"] for row in published.get(key) or [])
        now = Counter(row["claim_ref"] for row in current.get(key) or [])
        added, removed = now - before, before - now
        if added or removed:
            changes.append(
                ListRevision(
                    key,
                    LIST_LABELS[key],
                    tuple(sorted(added.elements())),
                    tuple(sorted(removed.elements())),
                )
            )
    return tuple(changes)


def figures_from_dict(data: dict) -> MonthFigures:
    """A MonthFigures from its `as_dict()` (a published snapshot), to write its paragraphs."""
    known = {f.name for f in fields(MonthFigures)}
    values = {key: value for key, value in data.items() if key in known}
    values["period"] = Month.parse(data["period"])
    values["cumulative"] = Cumulative(**data["cumulative"])
    return MonthFigures(**values)


def figures_fingerprint(figures: dict) -> str:
    """A digest of a month's `as_dict()`: the publish page carries the one it previewed, and
    month_publish refuses to publish figures that changed since."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()[:20]


def canonical_json(figures: dict) -> bytes:
    """The canonical form of a publication's figures, the bytes its `sha256` digests: the
    `figures` object exactly as stored (and served by the revision's API record), keys sorted at
    every level, no whitespace, non-ASCII characters as themselves, in UTF-8. The README shows
    how to recompute it."""
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def figures_sha256(figures: dict) -> str:
    """The SHA-256 of the canonical JSON of a publication's figures, in lowercase hex."""
    return hashlib.sha256(canonical_json(figures)).hexdigest()


def _as_month(period: Month | str) -> Month:
    return Month.parse(period) if isinstance(period, str) else period


def _latest(month: Month) -> MonthPublication | None:
    return MonthPublication.objects.filter(period=str(month)).order_by("-revision").first()


def _day(moment) -> str:
    """ "5 Apr 2017": the site's unambiguous date format."""
    return date_format(moment, "j M Y")


def month_publication(
    *, period: Month | str, current: dict | Callable[[], dict] | None = None
) -> Publication | None:
    """The latest publication of the month, and how its figures differ from the current ones;
    None if the month was never published. One query, plus month_figures' six unless the
    caller passes the current `month_figures(...).as_dict()` as `current`, or a function that
    gives it (called only if the month was published; its lists' rows need only a claim_ref)."""
    month = _as_month(period)
    latest = _latest(month)
    if latest is None:
        return None
    if current is None:
        current = month_figures(period=month).as_dict()
    elif callable(current):
        current = current()
    return Publication(
        period=month,
        revision=latest.revision,
        published_at=latest.published_at,
        figures=latest.figures,
        revisions=figure_revisions(latest.figures, current),
        list_revisions=list_revisions(latest.figures, current),
    )


def latest_publications() -> dict[str, PublishedMonth]:
    """The latest publication of every published month, by period ("YYYY-MM"), with its
    published figures but not its lists. One query; only the figures are read from the JSON."""
    columns = [f"figures__{key}" for key in FIGURE_KEYS]
    columns += [f"figures__cumulative__{key}" for key in CUMULATIVE_KEYS]
    rows = MonthPublication.objects.latest_per_period().values(
        "period", "revision", "published_at", *columns
    )
    result = {}
    for row in rows:
        totals = {key: row[f"figures__{key}"] for key in FIGURE_KEYS}
        totals["cumulative"] = {key: row[f"figures__cumulative__{key}"] for key in CUMULATIVE_KEYS}
        result[row["period"]] = PublishedMonth(
            Month.parse(row["period"]), row["revision"], row["published_at"], totals
        )
    return result


def month_check_publishable(month: Month) -> None:
    """Raise a ValidationError (on `period`) unless the month has ended and is not before the
    first record."""
    today = timezone.localdate()
    if month.last_day >= today:
        raise ValidationError(
            {
                "period": (
                    f"{month.label} has not ended yet: it can be published from "
                    f"{_day(month.next().first_day)}."
                )
            }
        )
    first = first_record_month()
    if first is None:
        raise ValidationError(
            {"period": "There is nothing to publish: no claim or strike is on record yet."}
        )
    if month < first:
        raise ValidationError(
            {
                "period": (
                    f"There is nothing to publish for {month.label}: the first month with a "
                    f"record is {first.label}."
                )
            }
        )


@transaction.atomic
def month_publish(
    *, period: Month | str, by, note: str = "", previewed: str | None = None
) -> MonthPublication:
    """Publish the month: freeze its figures and lists as its next revision. Refuses a user
    without the permission, a month that has not ended or precedes the first record, a month
    whose figures and lists are unchanged since its latest publication, and (when `previewed`,
    a `figures_fingerprint`, is given) figures that changed since the publisher saw them."""
    roles.require(by, roles.PUBLISH)
    month = _as_month(period)
    month_check_publishable(month)
    current = month_figures(period=month).as_dict()
    if previewed is not None and previewed != figures_fingerprint(current):
        raise ValidationError(
            {
                "period": (
                    f"The figures of {month.label} changed since you previewed them: check them "
                    "again before publishing."
                )
            }
        )
    latest = _latest(month)
    if latest is not None and not (
        figure_revisions(latest.figures, current) or list_revisions(latest.figures, current)
    ):
        published_on = _day(timezone.localtime(latest.published_at))
        raise ValidationError(
            {
                "period": (
                    f"The figures and lists of {month.label} are unchanged since revision "
                    f"{latest.revision}, published on {published_on}: there is nothing new to "
                    "publish."
                )
            }
        )
    try:
        with transaction.atomic():
            return MonthPublication.objects.create(
                period=str(month),
                revision=latest.revision + 1 if latest else 1,
                published_by=by,
                figures=current,
                sha256=figures_sha256(current),
                note=note.strip(),
            )
    except IntegrityError:
        # Someone published the same month at the same moment (unique period and revision).
        raise ValidationError(
            {
                "period": (
                    f"{month.label} was published by someone else meanwhile: reload the page to "
                    "see its latest revision."
                )
            }
        ) from None

"""Every published revision of a month, as published: its record, what changed from the revision
before, and the release manifest (every publication with its hash).

A revision is a MonthPublication row, never changed once written: its figures are the frozen
`figures` JSON, never the current ones, and its record says nothing that a later publication
could change (not whether it is the latest). Public: the period, revision, date, figures and
SHA-256. Private: who published (the reviewers' identities are not public, claims/public.py) and
the note (the admin's publish form calls it internal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from .models import MonthPublication
from .periods import Month
from .publishing import FigureRevision, ListRevision, figure_revisions, list_revisions

# The columns of a revision without its figures: a list of revisions reads no JSON.
SUMMARY_COLUMNS = ("period", "revision", "published_at", "sha256")
# The largest revision number a database's integer column holds: any above is not published.
MAX_REVISION = 2**31 - 1


def revision_url(period: Month, revision: int) -> str:
    """ "/reports/2017/03/revisions/1/": a revision's public page."""
    return reverse(
        "reports:revision",
        kwargs={
            "year": f"{period.year:04d}",
            "month": f"{period.month:02d}",
            "revision": revision,
        },
    )


def revision_api_url(period: Month, revision: int) -> str:
    """ "/api/v1/reports/monthly/2017-03/revisions/1/": a revision's API record."""
    return reverse("api:reports-revision", args=[str(period), revision])


@dataclass(frozen=True)
class RevisionSummary:
    """One publication, without its figures: a row of a month's revisions or of the manifest."""

    period: Month
    revision: int
    published_at: datetime
    sha256: str

    @property
    def url(self) -> str:
        return revision_url(self.period, self.revision)

    @property
    def api_url(self) -> str:
        return revision_api_url(self.period, self.revision)

    def as_dict(self) -> dict:
        return {
            "period": str(self.period),
            "revision": self.revision,
            "published_at": self.published_at,
            "sha256": self.sha256,
            "url": self.url,
            "api_url": self.api_url,
        }


@dataclass(frozen=True)
class Revision(RevisionSummary):
    """One publication as published, and what changed from the revision before it (None for
    revision 1): figures as (before, after) pairs, lists as claim refs added and removed."""

    figures: dict
    previous: RevisionSummary | None
    changed_figures: tuple[FigureRevision, ...]
    changed_lists: tuple[ListRevision, ...]

    def as_dict(self) -> dict:
        changes = None
        if self.previous is not None:
            changes = {
                "figures": [
                    {
                        "key": change.key,
                        "label": str(change.label),
                        "before": change.published,
                        "after": change.current,
                    }
                    for change in self.changed_figures
                ],
                "lists": [
                    {
                        "key": change.key,
                        "label": str(change.label),
                        "added": list(change.added),
                        "removed": list(change.removed),
                    }
                    for change in self.changed_lists
                ],
            }
        return {
            **super().as_dict(),
            "previous_revision": self.previous.revision if self.previous else None,
            "changes": changes,
            "figures": self.figures,
        }


def _summary(row: dict) -> RevisionSummary:
    return RevisionSummary(
        Month.parse(row["period"]), row["revision"], row["published_at"], row["sha256"]
    )


def month_revisions(month: Month) -> list[RevisionSummary]:
    """Every publication of the month, oldest first. One query, no figures read."""
    rows = MonthPublication.objects.filter(period=str(month)).order_by("revision")
    return [_summary(row) for row in rows.values(*SUMMARY_COLUMNS)]


def month_revision(month: Month, revision: int) -> Revision | None:
    """The month's revision as published, with what changed from the one before; None if that
    revision was never published. One query (the revision and the one before it)."""
    if not 1 <= revision <= MAX_REVISION:
        return None
    rows = {
        row["revision"]: row
        for row in MonthPublication.objects.filter(
            period=str(month), revision__in=[revision - 1, revision]
        ).values(*SUMMARY_COLUMNS, "figures")
    }
    this = rows.get(revision)
    if this is None:
        return None
    before, summary = rows.get(revision - 1), _summary(this)
    return Revision(
        summary.period,
        summary.revision,
        summary.published_at,
        summary.sha256,
        figures=this["figures"],
        previous=_summary(before) if before else None,
        changed_figures=figure_revisions(before["figures"], this["figures"]) if before else (),
        changed_lists=list_revisions(before["figures"], this["figures"]) if before else (),
    )


def release_manifest() -> list[RevisionSummary]:
    """Every publication of every month, newest first (by date, then month and revision).
    Complete, not paginated: a publication a month and a few revisions make a few hundred rows
    over a campaign. One query, no figures read."""
    rows = MonthPublication.objects.order_by("-published_at", "-period", "-revision")
    return [_summary(row) for row in rows.values(*SUMMARY_COLUMNS)]

"""The figure catalogue: every published figure once, with its key, label, definition, unit and
group. The methodology page, the home page, the month pages, the publish preview and the revision
diff, the API's descriptions and the README's table of figures all read it, so that a figure has
one name everywhere (and one string to translate).

Keys are the API's names: a month's figures as in `month_figures(...).as_dict()` (the running
totals as `cumulative.<name>`, the CSV columns of the monthly series) and the columns of a row of
`comparison_figures()`. Tests fail when a figure exists without an entry, or an entry without a
figure, and when the README's table disagrees with this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .definitions import HARMED


class Group(TextChoices):
    MONTHLY = "monthly", _("What happened in the month")
    CUMULATIVE = "cumulative", _("The state at the end of the month")
    COMPARISON = "comparison", _("Official and independent findings, per organisation")


class Unit(TextChoices):
    COUNT = "count", _("count")  # claims, assessments, strikes or engagements
    PEOPLE = "people", _("people")
    PERCENTAGE = "percentage", _("percentage")
    RATIO = "ratio", _("ratio")


@dataclass(frozen=True)
class Figure:
    key: str  # "received", "cumulative.credible", "harm_rate_pct"
    label: str
    definition: str
    unit: Unit
    group: Group
    is_nullable: bool = False  # none (null) when its divisor is 0
    # Its column heading in a table (or a chart's legend) whose caption already names what is
    # counted, e.g. "Its low estimate" under "Civilians killed on the same claims". None: label.
    short: str | None = None

    @property
    def heading(self) -> str:
        return self.short or self.label

    @property
    def name(self) -> str:
        """The key within its group: "credible" for "cumulative.credible"."""
        return self.key.removeprefix("cumulative.")

    @property
    def anchor(self) -> str:
        """The id of its definition on the methodology page: "figure-cumulative-open"."""
        prefix = "comparison" if self.group == Group.COMPARISON else "figure"
        return f"{prefix}-" + self.key.replace(".", "-").replace("_", "-")

    @property
    def is_percentage(self) -> bool:
        return self.unit == Unit.PERCENTAGE


M, C, X = Group.MONTHLY, Group.CUMULATIVE, Group.COMPARISON
N, P, PCT = Unit.COUNT, Unit.PEOPLE, Unit.PERCENTAGE

# In the order of the dataclasses (reports.figures) and of a comparison row. The monthly figures
# count what happened in the month M; the running totals describe the state at the end of M.
_FIGURES = (
    Figure(
        "received",
        _("Reports received"),
        _("Claims whose received date falls in the month."),
        N,
        M,
    ),
    Figure(
        "closed",
        _("Assessments completed"),
        _(
            "Approved assessments dated in the month. A claim closed, reopened and closed again "
            "in the same month counts twice."
        ),
        N,
        M,
    ),
    Figure(
        "credible",
        _("Assessed credible"),
        _("Those assessments whose outcome is credible."),
        N,
        M,
    ),
    Figure(
        "non_credible",
        _("Assessed non-credible"),
        _("Those assessments whose outcome is non-credible."),
        N,
        M,
    ),
    Figure(
        "duplicate",
        _("Assessed duplicates"),
        _("Those assessments whose outcome is duplicate."),
        N,
        M,
    ),
    Figure(
        "reopened",
        _("Reopened on new information"),
        _("Reopenings dated in the month: closed claims reopened on new information."),
        N,
        M,
    ),
    Figure(
        "open_at_start",
        _("Open at the start of the month"),
        _("Claims open at the end of the previous month."),
        N,
        M,
    ),
    Figure(
        "open_at_end",
        _("Open at the end of the month"),
        _(
            "Open at the start + received + reopened − completed; equals the claims whose latest "
            "event on or before the last day of the month leaves them open."
        ),
        N,
        M,
    ),
    Figure(
        "civilians_killed",
        _("Civilians killed (credible reports assessed in the month)"),
        _(
            "The sum of civilians killed over the credible assessments dated in the month (0 "
            "when none): counted in the month of the assessment, not of the incident. A claim "
            "reopened and assessed credible again counts again in the month of its new "
            "assessment."
        ),
        P,
        M,
        short=_("Official count (month of assessment)"),
    ),
    Figure(
        "civilians_injured",
        _("Civilians injured (credible reports assessed in the month)"),
        _(
            "The sum of civilians injured over the credible assessments dated in the month, "
            "likewise."
        ),
        P,
        M,
    ),
    Figure(
        "cumulative.received",
        _("Reports received to date"),
        _("Claims received on or before the last day of the month."),
        N,
        C,
    ),
    Figure(
        "cumulative.credible",
        _("Credible to date"),
        _("Claims closed at the end of the month whose latest assessment is credible."),
        N,
        C,
    ),
    Figure(
        "cumulative.non_credible",
        _("Non-credible to date"),
        _("Claims closed at the end of the month whose latest assessment is non-credible."),
        N,
        C,
    ),
    Figure(
        "cumulative.duplicate",
        _("Duplicates to date"),
        _("Claims closed at the end of the month whose latest assessment is duplicate."),
        N,
        C,
    ),
    Figure(
        "cumulative.open",
        _("Still open"),
        _(
            "Claims open at the end of the month (never assessed yet, or reopened and not yet "
            "assessed again). Always: received = credible + non-credible + duplicates + still "
            "open."
        ),
        N,
        C,
    ),
    Figure(
        "cumulative.civilians_killed",
        _("Civilians killed to date (credible reports)"),
        _(
            "The sum of civilians killed over the claims credible at the end of the month, each "
            "from its latest assessment: a claim reopened and assessed again counts once, with "
            "its latest figure."
        ),
        P,
        C,
    ),
    Figure(
        "cumulative.civilians_injured",
        _("Civilians injured to date (credible reports)"),
        _("The sum of civilians injured over the same claims, likewise."),
        P,
        C,
    ),
    Figure(
        "cumulative.strikes",
        _("Strikes to date"),
        _("Strikes on record dated on or before the last day of the month."),
        N,
        C,
    ),
    Figure(
        "cumulative.engagements",
        _("Engagements to date"),
        _("The sum of those strikes' engagements (a strike counts at least one)."),
        N,
        C,
    ),
    Figure(
        "cumulative.engagements_report_pct",
        _("Reports as a share of engagements"),
        _(
            "100 × reports received ÷ engagements, to two decimals (rounded half up): reports "
            "per 100 engagements; none when no engagement is on record."
        ),
        PCT,
        C,
        is_nullable=True,
    ),
    Figure(
        "cumulative.engagements_credible_pct",
        _("Credible reports as a share of engagements"),
        _(
            "100 × credible ÷ engagements, to two decimals (rounded half up); none when no "
            "engagement is on record."
        ),
        PCT,
        C,
        is_nullable=True,
    ),
    Figure("graded", _("Claims graded"), _("Claims on record that the organisation graded."), N, X),
    Figure(
        "harmed",
        format_lazy(_("Graded {harmed}"), harmed=HARMED),
        format_lazy(
            _("Of those, the claims it graded {harmed}: civilians harmed by its finding."),
            harmed=HARMED,
        ),
        N,
        X,
        short=format_lazy(_("Graded {harmed} (harm rate)"), harmed=HARMED),
    ),
    Figure(
        "official_credible",
        _("Officially credible"),
        _("Of the same claims, those whose latest approved assessment is credible."),
        N,
        X,
        short=_("Officially credible (rate)"),
    ),
    Figure(
        "official_open",
        _("Officially open"),
        _(
            "Of the same claims, those open now: never assessed, or reopened for re-assessment. "
            "Their official finding can still change."
        ),
        N,
        X,
        short=_("Of those graded, officially open"),
    ),
    Figure(
        "harm_rate_pct",
        _("Harm rate"),
        format_lazy(_("100 × graded {harmed} ÷ claims graded."), harmed=HARMED),
        PCT,
        X,
    ),
    Figure(
        "official_credible_rate_pct",
        _("Official credible rate"),
        _("100 × officially credible ÷ claims graded."),
        PCT,
        X,
    ),
    Figure(
        "rate_ratio",
        _("Ratio of the rates"),
        _(
            "Harm rate ÷ official credible rate, to two decimals; none when no claim it graded "
            "is officially credible."
        ),
        Unit.RATIO,
        X,
        is_nullable=True,
    ),
    Figure(
        "civilians_killed_min",
        _("Civilians killed, its low estimate"),
        _(
            "The sum of the organisation's low estimates over the claims it graded (whatever "
            "the grade), leaving out claims it gave no count for."
        ),
        P,
        X,
        short=_("Its low estimate"),
    ),
    Figure(
        "civilians_killed_max",
        _("Civilians killed, its high estimate"),
        _("The sum of its high estimates over the same claims, likewise."),
        P,
        X,
        short=_("Its high estimate"),
    ),
    Figure(
        "official_civilians_killed",
        _("Civilians killed, official count"),
        _(
            "The sum of civilians killed over the claims it graded that are officially "
            "credible, each from its latest approved assessment."
        ),
        P,
        X,
        short=_("Official count"),
    ),
)

FIGURES: dict[str, Figure] = {figure.key: figure for figure in _FIGURES}


def figures_in(group: Group) -> list[Figure]:
    """The figures of a group, in order."""
    return [figure for figure in _FIGURES if figure.group == group]


def label(key: str) -> str:
    """A figure's label, from its key ("cumulative.credible"); the key itself if unknown (a
    figure of an old published snapshot)."""
    figure = FIGURES.get(key)
    return figure.label if figure else key


def readme_table() -> str:
    """The README's table of figures, in Markdown: one row per figure (tested against it)."""
    lines = ["| figure | label | unit | definition |", "| --- | --- | --- | --- |"]
    lines += [
        f"| `{figure.key}` | {figure.label} | {figure.unit.value} | {figure.definition} |"
        for figure in _FIGURES
    ]
    return "\n".join(lines)

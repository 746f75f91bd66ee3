"""The home page (headline figures and charts), the comparison and the methodology.

The views only arrange for display what reports.summary, reports.series, reports.independent and
reports.comparison compute: no figure is computed here, so the pages and the API cannot disagree.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from casualty_tracker import data_version
from casualty_tracker.conditional import CachedResponseMixin
from casualty_tracker.opendata import dataset
from claims.definitions import (
    GRADE_DEFINITIONS,
    OUTCOME_DEFINITIONS,
    REASON_DEFINITIONS,
    AssessmentState,
    Diligence,
    Grade,
    Outcome,
    Precision,
    Reason,
    SourceType,
    Stage,
)

from ..catalogue import FIGURES, Group, figures_in
from ..comparison import comparison_figures
from ..definitions import (
    ASSESSMENT_STATE_DEFINITIONS,
    COMPARISON_CAVEATS,
    HARMED,
    INDEPENDENT_SERIES_DEFINITION,
    STAGE_DEFINITIONS,
    described,
)
from ..figures import MonthFigures
from ..independent import IndependentMonth, independent_killed_by_month
from ..periods import Month, month_range
from ..series import month_series, month_spans, recorded_months
from ..summary import summary

# The headline figures, in order: (key in the catalogue, colour modifier of .figure).
HEADLINE = (
    ("cumulative.received", ""),
    ("cumulative.credible", "credible"),
    ("cumulative.non_credible", "non-credible"),
    ("cumulative.duplicate", "duplicate"),
    ("cumulative.open", "open"),
    ("cumulative.civilians_killed", "credible"),
    ("cumulative.civilians_injured", "credible"),
    ("cumulative.strikes", ""),
    ("cumulative.engagements", ""),
)


def headline_figures(totals: dict) -> list[dict]:
    return [
        {
            "label": FIGURES[key].label,
            "value": totals[FIGURES[key].name],
            "modifier": modifier,
            "anchor": FIGURES[key].anchor,
        }
        for key, modifier in HEADLINE
    ]


def chart(element_id: str, months: list[Month], datasets: list[dict], quiet: list[bool], **text):
    """What a chart and its data table need: `data` for json_script (read by static/js/charts.js)
    and `columns` and `rows` for the table. Each dataset: label, type (bar or line), colour (a CSS
    variable of site.css or home.css), values (one per month), optionally axis ("y2": the
    right-hand scale) and dashed. `quiet`: for each month, whether nothing was recorded in it; a
    run of quiet months (reports.series.month_spans, as the list of reports) is one point and one
    row, "Aug 2019 – Oct 2026: no reports", with its last month's values (none in the month, the
    running totals unchanged); `data.gaps` are their indices. `text`: the chart's `title` (what
    it shows, for screen readers), the table's `caption` and `axes`, the title of each scale by
    id ("y", "y2")."""
    spans = month_spans(quiet)
    points = [
        [months[span[0]], months[span[-1]]] if len(span) > 1 else [months[span[0]]]
        for span in spans
    ]
    labels = [
        _("%(first)s – %(last)s: no reports")
        % {"first": short_label(point[0]), "last": short_label(point[-1])}
        if len(point) > 1
        else short_label(point[0])
        for point in points
    ]
    datasets = [
        {**dataset, "values": [dataset["values"][span[-1]] for span in spans]}
        for dataset in datasets
    ]
    return {
        "id": element_id,
        "title": text["title"],
        "caption": text["caption"],
        "data_id": f"{element_id}-data",
        "columns": [dataset["label"] for dataset in datasets],
        "rows": [
            {
                "months": [{"period": str(month), "label": short_label(month)} for month in point],
                "is_gap": len(point) > 1,
                "values": [dataset["values"][i] for dataset in datasets],
            }
            for i, point in enumerate(points)
        ],
        "data": {
            "labels": labels,
            "gaps": [i for i, point in enumerate(points) if len(point) > 1],
            "datasets": datasets,
            "axes": text["axes"],
        },
    }


def short_label(month: Month) -> str:
    return dateformat.format(month.first_day, "M Y")


def backlog_chart(series: list[MonthFigures]) -> dict:
    return chart(
        "chart-backlog",
        [figures.period for figures in series],
        [
            {
                "label": FIGURES["received"].label,
                "type": "bar",
                "colour": "--received",
                "values": [figures.received for figures in series],
            },
            {
                "label": FIGURES["closed"].label,
                "type": "bar",
                "colour": "--closed",
                "values": [figures.closed for figures in series],
            },
            {
                "label": FIGURES["open_at_end"].label,
                "type": "line",
                "colour": "--open",
                "axis": "y2",
                "values": [figures.open_at_end for figures in series],
            },
        ],
        title=_(
            "Reports received and closed in each month, and the reports open at the end of "
            "each month."
        ),
        caption=_("Reports received, closed and open, by month"),
        quiet=[not recorded for recorded in recorded_months(series)],
        axes={"y": _("Reports in the month"), "y2": FIGURES["open_at_end"].label},
    )


def killed_chart(
    series: list[MonthFigures], independent: dict[str, dict[Month, IndependentMonth]]
) -> dict:
    official = {figures.period: figures.civilians_killed for figures in series}
    if series:  # no month after the series' last: an incident dated after today has no month yet
        independent = {
            organisation: {month: n for month, n in counts.items() if month <= series[-1].period}
            for organisation, counts in independent.items()
        }
    known = [*official, *(month for counts in independent.values() for month in counts)]
    # An incident may predate the first record of the series (its claim received later): those
    # months are shown too, officially 0 (no assessment can predate the first record).
    months = month_range(min(known), max(known)) if known else []
    # A month is shown alone if a record or an independent count falls in it.
    shown = {
        f.period for f, recorded in zip(series, recorded_months(series), strict=True) if recorded
    }
    shown.update(month for counts in independent.values() for month in counts)
    datasets = [
        {
            "label": FIGURES["civilians_killed"].heading,
            "type": "bar",
            "colour": "--credible",
            "values": [official.get(month, 0) for month in months],
        }
    ]
    nothing = IndependentMonth(claims=0, killed_min=0, killed_max=0)
    bounds = (
        (_("%(organisation)s low estimate (month of incident)"), "killed_min", True),
        (_("%(organisation)s high estimate (month of incident)"), "killed_max", False),
    )
    for organisation, counts in independent.items():
        for label, field, dashed in bounds:
            datasets.append(
                {
                    "label": label % {"organisation": organisation},
                    "type": "line",
                    "colour": "--independent",
                    "dashed": dashed,
                    "values": [getattr(counts.get(month, nothing), field) for month in months],
                }
            )
    return chart(
        "chart-killed",
        months,
        datasets,
        title=_(
            "Civilians killed in each month: the official count by month of assessment, and "
            "independent organisations' low and high estimates by month of incident."
        ),
        caption=_(
            "Civilians killed: the official count by month of assessment; independent low and "
            "high estimates, over the claims each organisation graded %(harmed)s, by month of "
            "incident"
        )
        % {"harmed": HARMED},
        quiet=[month not in shown for month in months],
        axes={"y": _("Civilians killed")},
    )


# A series whose records stopped longer ago than this ends at its last record on the charts.
STALE_AFTER_MONTHS = 12


def with_records(series: list[MonthFigures], today) -> list[MonthFigures]:
    """The months the charts show. The series runs on to the current month; when nothing has been
    recorded (a claim received, closed or reopened, a strike) for over a year, as in a finished
    campaign's archive, the charts end at the last month with records instead of flattening
    years of it into a corner. A live record keeps the current month (nothing yet is news)."""
    recorded = [index for index, flag in enumerate(recorded_months(series)) if flag]
    if not recorded:
        return series
    last = recorded[-1]
    cutoff = Month.of(today)
    for _month in range(STALE_AFTER_MONTHS):
        cutoff = cutoff.previous()
    return series if series[last].period >= cutoff else series[: last + 1]


def latest_report(series: list[MonthFigures], today) -> dict | None:
    """The latest complete month with records (not the current month, still under way): its
    report's address."""
    complete = [figures.period for figures in series if figures.period < Month.of(today)]
    if not complete:
        return None
    month = complete[-1]
    url = reverse("reports:month", kwargs={"year": month.year, "month": f"{month.month:02d}"})
    return {"label": month.label, "url": url}


class HomeView(CachedResponseMixin, TemplateView):
    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        series = month_series()
        totals = summary(today=today, series=series)
        recorded = with_records(series, today)
        return super().get_context_data(
            totals=totals,
            headline=headline_figures(totals),
            backlog=backlog_chart(recorded),
            killed=killed_chart(
                recorded, data_version.cached("independent-killed", independent_killed_by_month)
            ),
            latest_report=latest_report(recorded, today),
            dataset=dataset(
                self.request,
                start=series[0].period if series else None,
                end=recorded[-1].period if recorded else None,
            ),
            official_definition=FIGURES["civilians_killed"].definition,
            independent_definition=INDEPENDENT_SERIES_DEFINITION,
            **kwargs,
        )


class ComparisonView(CachedResponseMixin, TemplateView):
    template_name = "reports/comparison.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comparison=data_version.cached("comparison", comparison_figures),
            columns=figures_in(Group.COMPARISON),
            figures={figure.key: figure for figure in figures_in(Group.COMPARISON)},
            caveats=COMPARISON_CAVEATS,
            harmed=HARMED,
            **kwargs,
        )


class MethodologyView(TemplateView):
    template_name = "reports/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stages=described(Stage, STAGE_DEFINITIONS),
            states=described(AssessmentState, ASSESSMENT_STATE_DEFINITIONS),
            outcomes=described(Outcome, OUTCOME_DEFINITIONS),
            reasons=described(Reason, REASON_DEFINITIONS),
            no_harm_reason=Reason.NO_CIVILIAN_HARM.label,
            diligence=described(Diligence),
            source_types=described(SourceType),
            precisions=described(Precision),
            grades=described(Grade, GRADE_DEFINITIONS),
            harmed=HARMED,
            monthly_figures=figures_in(Group.MONTHLY),
            running_totals=figures_in(Group.CUMULATIVE),
            official_killed=FIGURES["civilians_killed"],
            comparison_columns=figures_in(Group.COMPARISON),
            caveats=COMPARISON_CAVEATS,
            independent_definition=INDEPENDENT_SERIES_DEFINITION,
            **kwargs,
        )

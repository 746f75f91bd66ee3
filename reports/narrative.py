"""A month's figures in words, in the style of CJTF-OIR's monthly civilian casualty reports."""

from django.conf import settings

from .figures import MonthFigures


def count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 report", "1,799 reports"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}%"


def month_paragraphs(figures: MonthFigures) -> list[str]:
    """The month's report as paragraphs of plain text."""
    body = getattr(settings, "REPORTING_BODY", "the Coalition")
    month = figures.period
    cumulative = figures.cumulative
    done = (
        f"{figures.credible:,} {'was' if figures.credible == 1 else 'were'} assessed to be "
        f"credible, {figures.non_credible:,} non-credible and "
        f"{count(figures.duplicate, 'duplicate')} of reports already on record"
    )
    first = (
        f"During the month of {month.label}, {body} carried over "
        f"{count(figures.open_at_start, 'open report')}, received "
        f"{count(figures.received, 'new report')}, and completed the assessment of "
        f"{count(figures.closed, 'report')}" + (f": {done}." if figures.closed else ".")
    )
    if figures.reopened:
        first += (
            f" {count(figures.reopened, 'report')} {'was' if figures.reopened == 1 else 'were'} "
            "reopened on new information."
        )
    first += (
        f" {count(figures.open_at_end, 'report')} "
        f"{'remains' if figures.open_at_end == 1 else 'remain'} open."
    )
    if figures.credible:
        first += (
            f" The credible reports assessed this month concern "
            f"{count(figures.civilians_killed, 'civilian')} killed and "
            f"{figures.civilians_injured:,} injured."
        )
    second = (
        f"To the end of {month.label}, {body} received {count(cumulative.received, 'report')} "
        f"of possible civilian harm: {cumulative.credible:,} assessed credible, "
        f"{cumulative.non_credible:,} non-credible, "
        f"{count(cumulative.duplicate, 'duplicate')}, and "
        f"{cumulative.open:,} still open. The credible reports concern at least "
        f"{count(cumulative.civilians_killed, 'civilian')} killed and "
        f"{cumulative.civilians_injured:,} injured."
    )
    third = (
        f"Over the same period the strike records hold {count(cumulative.strikes, 'strike')} "
        f"comprising {count(cumulative.engagements, 'engagement')}: reports of possible "
        f"civilian harm amount to {_pct(cumulative.engagements_report_pct)} of engagements, and "
        f"credible reports to {_pct(cumulative.engagements_credible_pct)}."
    )
    return [first, second, third]

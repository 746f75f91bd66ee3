"""A month's figures in words, in the style of CJTF-OIR's monthly civilian casualty reports, in
the active language (every sentence is in the translation catalogue: docs/i18n.md)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

from .figures import MonthFigures

# The default reporting body, for the catalogue (settings.REPORTING_BODY is translated if known).
gettext_noop("the Coalition")


def count(n: int, phrase) -> str:
    """ "1 report", "1,799 reports": `phrase` an ngettext_lazy(..., "number") with a %(n)s."""
    return phrase % {"number": n, "n": f"{n:,}"}


def _pct(value: float | None) -> str:
    return _("n/a") if value is None else f"{value:.2f}%"


def month_paragraphs(figures: MonthFigures) -> list[str]:
    """The month's report as paragraphs of plain text."""
    body = _(getattr(settings, "REPORTING_BODY", "the Coalition"))
    month = figures.period
    cumulative = figures.cumulative
    done = ngettext(
        "%(credible)s was assessed to be credible, %(non_credible)s non-credible and "
        "%(duplicates)s of reports already on record",
        "%(credible)s were assessed to be credible, %(non_credible)s non-credible and "
        "%(duplicates)s of reports already on record",
        figures.credible,
    ) % {
        "credible": f"{figures.credible:,}",
        "non_credible": f"{figures.non_credible:,}",
        "duplicates": count(
            figures.duplicate, ngettext_lazy("%(n)s duplicate", "%(n)s duplicates", "number")
        ),
    }
    first = _(
        "During the month of %(month)s, %(body)s carried over %(open)s, received %(received)s, "
        "and completed the assessment of %(closed)s"
    ) % {
        "month": month.label,
        "body": body,
        "open": count(
            figures.open_at_start,
            ngettext_lazy("%(n)s open report", "%(n)s open reports", "number"),
        ),
        "received": count(
            figures.received, ngettext_lazy("%(n)s new report", "%(n)s new reports", "number")
        ),
        "closed": count(figures.closed, ngettext_lazy("%(n)s report", "%(n)s reports", "number")),
    }
    first += (_(": %(done)s.") % {"done": done}) if figures.closed else "."
    if figures.reopened:
        first += " " + ngettext(
            "%(n)s report was reopened on new information.",
            "%(n)s reports were reopened on new information.",
            figures.reopened,
        ) % {"n": f"{figures.reopened:,}"}
    first += " " + ngettext(
        "%(n)s report remains open.", "%(n)s reports remain open.", figures.open_at_end
    ) % {"n": f"{figures.open_at_end:,}"}
    if figures.credible:
        first += " " + _(
            "The credible reports assessed this month concern %(killed)s killed and "
            "%(injured)s injured."
        ) % {
            "killed": count(
                figures.civilians_killed,
                ngettext_lazy("%(n)s civilian", "%(n)s civilians", "number"),
            ),
            "injured": f"{figures.civilians_injured:,}",
        }
    second = _(
        "To the end of %(month)s, %(body)s received %(received)s of possible civilian harm: "
        "%(credible)s assessed credible, %(non_credible)s non-credible, %(duplicates)s, and "
        "%(open)s still open. The credible reports concern at least %(killed)s killed and "
        "%(injured)s injured."
    ) % {
        "month": month.label,
        "body": body,
        "received": count(
            cumulative.received, ngettext_lazy("%(n)s report", "%(n)s reports", "number")
        ),
        "credible": f"{cumulative.credible:,}",
        "non_credible": f"{cumulative.non_credible:,}",
        "duplicates": count(
            cumulative.duplicate, ngettext_lazy("%(n)s duplicate", "%(n)s duplicates", "number")
        ),
        "open": f"{cumulative.open:,}",
        "killed": count(
            cumulative.civilians_killed,
            ngettext_lazy("%(n)s civilian", "%(n)s civilians", "number"),
        ),
        "injured": f"{cumulative.civilians_injured:,}",
    }
    third = _(
        "Over the same period the strike records hold %(strikes)s comprising %(engagements)s: "
        "reports of possible civilian harm amount to %(report_pct)s of engagements, and "
        "credible reports to %(credible_pct)s."
    ) % {
        "strikes": count(
            cumulative.strikes, ngettext_lazy("%(n)s strike", "%(n)s strikes", "number")
        ),
        "engagements": count(
            cumulative.engagements, ngettext_lazy("%(n)s engagement", "%(n)s engagements", "number")
        ),
        "report_pct": _pct(cumulative.engagements_report_pct),
        "credible_pct": _pct(cumulative.engagements_credible_pct),
    }
    return [first, second, third]

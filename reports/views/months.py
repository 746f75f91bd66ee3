"""Monthly reports: every month, and one month's report (published or provisional)."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from casualty_tracker import data_version
from casualty_tracker.conditional import CachedResponseMixin
from casualty_tracker.opendata import month_citation

from ..catalogue import FIGURES
from ..month_pages import month_report, month_url, report_list, revision_report
from ..periods import Month
from ..publishing import first_record_month
from ..revisions import month_revision, release_manifest


class ReportListView(CachedResponseMixin, TemplateView):
    """All months on one page (about 12 rows a year: a campaign of six years is 70 rows, 20 KB),
    grouped by year with links to each year: it prints whole and searches with the browser."""

    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        # Once per data version and month (the list ends at the current month).
        years = data_version.cached("report-list", report_list, Month.of(timezone.localdate()))
        return super().get_context_data(years=years, figures=FIGURES, **kwargs)


def reportable_month(year: int, month: int) -> tuple[Month, Month]:
    """The month and the first month with a record; 404 unless the month is a calendar month
    from the first record to the current month."""
    if not 1 <= month <= 12 or Month(year, month) > Month.of(timezone.localdate()):
        raise Http404("No report for this month.")
    first = first_record_month()
    if first is None or Month(year, month) < first:
        raise Http404("No report for this month: it is before the first record.")
    return Month(year, month), first


class MonthReportView(CachedResponseMixin, TemplateView):
    template_name = "reports/month.html"

    def get(self, request, *args, year: int, month: int, **kwargs):
        period, first = reportable_month(year, month)
        if request.path != month_url(period):  # /reports/2017/3/ -> /reports/2017/03/
            return redirect(month_url(period), permanent=True)
        report = month_report(period, first=first)
        citation = month_citation(period, report["publication"], request.path, request)
        context = self.get_context_data(**report, citation=citation, **kwargs)
        return self.render_to_response(context)


class RevisionView(CachedResponseMixin, TemplateView):
    """One published revision of a month, frozen as published; a revision never published is
    a 404."""

    template_name = "reports/revision.html"

    def get(self, request, *args, year: int, month: int, revision: int, **kwargs):
        if not 1 <= month <= 12:
            raise Http404("No report for this month.")
        found = month_revision(Month(year, month), revision)
        if found is None:
            raise Http404("This revision of the month is not published.")
        if request.path != found.url:  # /reports/2017/3/revisions/1/ -> .../03/...
            return redirect(found.url, permanent=True)
        return self.render_to_response(self.get_context_data(**revision_report(found)))


class ReleasesView(CachedResponseMixin, TemplateView):
    """Every publication of every month with its SHA-256, newest first (the release manifest;
    the API's /api/v1/reports/releases/ gives the same rows)."""

    template_name = "reports/releases.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(releases=release_manifest(), **kwargs)

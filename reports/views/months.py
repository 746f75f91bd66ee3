"""Monthly reports: every month, and one month's report (published or provisional)."""

from django.views.generic import TemplateView


class ReportListView(TemplateView):
    template_name = "reports/report_list.html"


class MonthReportView(TemplateView):
    template_name = "reports/month.html"

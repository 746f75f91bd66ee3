"""The public pages of the reports: home, monthly reports, comparison, methodology."""

from django.urls import path

from .feeds import MonthPublicationsFeed
from .views import downloads, months, pages

app_name = "reports"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("reports/", months.ReportListView.as_view(), name="list"),
    path("reports/feed.atom", MonthPublicationsFeed(), name="feed"),
    path("reports/<int:year>/<int:month>/", months.MonthReportView.as_view(), name="month"),
    path(
        "reports/<int:year>/<int:month>/revisions/<int:revision>/",
        months.RevisionView.as_view(),
        name="revision",
    ),
    path("reports/releases/", months.ReleasesView.as_view(), name="releases"),
    path("comparison/", pages.ComparisonView.as_view(), name="comparison"),
    path("methodology/", pages.MethodologyView.as_view(), name="methodology"),
    path("downloads/", downloads.DownloadsView.as_view(), name="downloads"),
    path("downloads/<str:name>", downloads.DownloadFileView.as_view(), name="download"),
]

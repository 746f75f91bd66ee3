"""The API: /api/v1/ (its root lists the endpoints; records and reports), /api/schema/
(OpenAPI 3) and /api/docs/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from casualty_tracker.api_root import ApiRootView
from claims.api.errors import not_found
from claims.api.proposals import ProposalViewSet
from claims.api.views import (
    AssessmentViewSet,
    BelligerentViewSet,
    ClaimViewSet,
    ExternalAssessmentViewSet,
    StrikeViewSet,
)
from reports.api import (
    ComparisonView,
    MonthlySeriesView,
    MonthRevisionsView,
    MonthRevisionView,
    MonthView,
    ReleasesView,
    SummaryView,
)

app_name = "api"

router = SimpleRouter()
router.register("strikes", StrikeViewSet, basename="strike")
router.register("claims", ClaimViewSet, basename="claim")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("external-assessments", ExternalAssessmentViewSet, basename="external-assessment")
router.register("belligerents", BelligerentViewSet, basename="belligerent")
router.register("proposals", ProposalViewSet, basename="proposal")

reports = [
    path("monthly/", MonthlySeriesView.as_view(), name="reports-monthly"),
    path("monthly/<str:period>/", MonthView.as_view(), name="reports-month"),
    path(
        "monthly/<str:period>/revisions/",
        MonthRevisionsView.as_view(),
        name="reports-revisions",
    ),
    path(
        "monthly/<str:period>/revisions/<int:revision>/",
        MonthRevisionView.as_view(),
        name="reports-revision",
    ),
    path("releases/", ReleasesView.as_view(), name="reports-releases"),
    path("summary/", SummaryView.as_view(), name="reports-summary"),
    path("comparison/", ComparisonView.as_view(), name="reports-comparison"),
]

urlpatterns = [
    path("v1/", ApiRootView.as_view(), name="root"),
    path("v1/", include(router.urls)),
    path("v1/reports/", include(reports)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ is a JSON 404, not an HTML page.
    re_path(r"^", not_found),
]

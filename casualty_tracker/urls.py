from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from claims.admin.dashboard import dashboard_view
from claims.admin.upload import job_status_view, job_view, upload_view

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The reviewers' own admin pages, before the admin's catch-all.
    path("admin/claims/dashboard/", admin.site.admin_view(dashboard_view), name="claims_dashboard"),
    path("admin/claims/import/", admin.site.admin_view(upload_view), name="claims_import"),
    path(
        "admin/claims/import/<int:job_id>/",
        admin.site.admin_view(job_view),
        name="claims_import_job",
    ),
    path(
        "admin/claims/import/<int:job_id>/status/",
        admin.site.admin_view(job_status_view),
        name="claims_import_job_status",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("casualty_tracker.api_urls")),
]
# The public site: reports (home, monthly reports, comparison, methodology) and records, in
# English at today's addresses and in Arabic under /ar/ (casualty_tracker/languages.py).
urlpatterns += i18n_patterns(
    path("", include("reports.urls")),
    path("", include("claims.urls")),
    prefix_default_language=False,
)

handler500 = "casualty_tracker.errors.server_error"

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    """django.contrib.admin, with casualty_tracker.admin's site as `admin.site`."""

    default_site = "casualty_tracker.admin.TrackerAdminSite"

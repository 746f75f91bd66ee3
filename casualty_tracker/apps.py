from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ProjectConfig(AppConfig):
    """The project package as an app, for its management commands (`runserver`)."""

    name = "casualty_tracker"
    verbose_name = "Civilian-harm claims tracker"

    def ready(self):
        from . import data_version

        data_version.connect()


class TrackerAdminConfig(AdminConfig):
    """django.contrib.admin, with casualty_tracker.admin's site as `admin.site`."""

    default_site = "casualty_tracker.admin.TrackerAdminSite"

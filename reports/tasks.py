"""Background tasks of the reports (django-tasks; settings "Background jobs"): run by
`manage.py db_worker`."""

from django_tasks import task

from .downloads import downloads_build


@task()
def downloads_build_task() -> None:
    """Build the downloads zip of the records as they are now (reports.downloads)."""
    downloads_build()

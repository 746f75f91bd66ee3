"""Background tasks (django-tasks; settings "Background jobs"): run by `manage.py db_worker`."""

from django_tasks import task

from .services.jobs import import_job_run


@task()
def import_job_task(job_id: int) -> None:
    """Run one step of an import started in the admin (claims.services.jobs)."""
    import_job_run(job_id=job_id)

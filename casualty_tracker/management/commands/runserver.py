"""`runserver` that starts with the database down, as gunicorn does: Django's looks for
unapplied migrations first and stops on the connection error. Pages answer 503 until the
database answers (casualty_tracker/health.py)."""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver
from django.db import InterfaceError, OperationalError


class Command(StaticRunserver):
    def check_migrations(self):
        try:
            super().check_migrations()
        except (OperationalError, InterfaceError) as error:
            self.stderr.write(
                self.style.WARNING(
                    f"The database is not answering ({str(error).strip().splitlines()[0]}); "
                    "serving anyway: pages answer 503 until it does."
                )
            )

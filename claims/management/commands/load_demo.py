from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.demo import DEMO_USERS, demo_users_create, demo_workflow_seed
from claims.importers import ImportFileError, import_csv
from claims.management.commands.import_csv import report_result
from claims.models import Claim, Strike

DEMO_DATA = Path(settings.BASE_DIR) / "demo" / "data"
# Order matters: claims link to strikes, assessments to claims.
FILES = [
    ("strikes", "strikes.csv"),
    ("claims", "claims.csv"),
    ("assessments", "assessments.csv"),
    ("external_assessments", "external_assessments.csv"),
]


class Command(BaseCommand):
    help = (
        "Load the demo campaign (demo/data/*.csv) through import_csv, only into an empty "
        "database; does nothing if strikes or claims already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, default=DEMO_DATA, help="Folder holding the demo CSV files."
        )

    def handle(self, *args, data, **options):
        if Strike.objects.exists() or Claim.objects.exists():
            self.stdout.write("The database already holds data: the demo campaign was not loaded.")
            return
        missing = [name for _, name in FILES if not (data / name).is_file()]
        if missing:
            raise CommandError(f"Missing demo files in {data}: {', '.join(missing)}.")
        # Through the importer, as trusted code: the demo's findings are its history, not
        # anyone's work (import_csv would ask who runs it; no account exists yet).
        for kind, name in FILES:
            try:
                result = import_csv(kind, data / name, progress=self.progress)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            report_result(self, result)
        self._create_demo_users()
        self.stdout.write(self.style.SUCCESS("Demo campaign loaded."))

    def _create_demo_users(self):
        """Demo-only accounts with published passwords: never on a production database."""
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts were created.")
            return
        users = demo_users_create()
        stages = demo_workflow_seed(users)
        accounts = ", ".join(f"{name} / {password}" for name, password, _ in DEMO_USERS)
        self.stdout.write(f"Demo accounts (demo only): {accounts}")
        self.stdout.write(
            f"Work in progress: {stages['in_review']} claims in review, "
            f"{stages['proposed']} proposed assessments awaiting a reviewer."
        )

    def progress(self, message: str) -> None:
        self.stderr.write(message, style_func=str)

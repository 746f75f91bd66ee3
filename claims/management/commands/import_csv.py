from django.core.management.base import BaseCommand, CommandError

from claims.importers import IMPORTERS, ImportFileError, import_csv

# Errors printed before the rest are only counted: a file with thousands is usually one mistake.
MAX_ERRORS_SHOWN = 200


def _columns_help() -> str:
    kinds = "; ".join(
        f"{kind}: " + ", ".join(f"{c}*" if c in importer.required else c for c in importer.columns)
        for kind, importer in IMPORTERS.items()
    )
    return (
        f"Columns, in any order (* required): {kinds}. Dates are YYYY-MM-DD; an empty cell is "
        "unknown. precision, when absent, is derived from the coordinates, locality and "
        "province. Lists (strike_refs, diligence) are separated by ';'."
    )


class Command(BaseCommand):
    help = (
        "Import strikes, claims, assessments or external assessments from a UTF-8 CSV file with "
        "a header row. All or nothing: if any row has an error, nothing is written."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, epilog=_columns_help(), **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(IMPORTERS), help="What the file holds.")
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; write nothing."
        )

    def handle(self, *args, kind, path, dry_run, **options):
        try:
            result = import_csv(kind, path, dry_run=dry_run, progress=self.progress)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            for line in result.errors[:MAX_ERRORS_SHOWN]:
                self.stderr.write(line)
            hidden = len(result.errors) - MAX_ERRORS_SHOWN
            if hidden > 0:
                self.stderr.write(f"… and {hidden:,} more error{'s' if hidden > 1 else ''}")
            count = len(result.errors)
            raise CommandError(
                f"{count:,} error{'s' if count > 1 else ''} in {result.file_name}; "
                "nothing was written."
            )
        self.stdout.write(result.summary)

    def progress(self, message: str) -> None:
        # Plain, not styled as an error: it is news, not a failure.
        self.stderr.write(message, style_func=str)

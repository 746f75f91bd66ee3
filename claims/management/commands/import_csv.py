from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import roles
from claims.importers import IMPORTERS, ImportFileError, Provenance, import_csv
from claims.importers.base import ANONYMOUS

# Imported assessments count at once (no second reviewer): the operator must say who they are.
BY_REQUIRED = {"assessments"}

# Error lines printed before the rest are only counted: a file with thousands of errors is
# usually one mistake, and the same mistake on many rows is one line ("rows 2 to 34,764").
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


def report_result(command: BaseCommand, result) -> None:
    """Every error (the same one on many rows in one line; the first 200 lines) and a count, then
    fail; or the one-line summary."""
    if result.errors:
        groups = result.grouped()
        for group in groups[:MAX_ERRORS_SHOWN]:
            command.stderr.write(group.line)
        hidden = sum(group.count for group in groups[MAX_ERRORS_SHOWN:])
        if hidden > 0:
            command.stderr.write(f"… and {hidden:,} more error{'s' if hidden > 1 else ''}")
        count = len(result.errors)
        raise CommandError(
            f"{count:,} error{'s' if count > 1 else ''} in {result.file_name}; nothing was written."
        )
    command.stdout.write(result.summary)


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
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help=(
                "The account running the import, named with the file's SHA-256 in the history "
                "of every record written; it must be allowed to import the kind of file. "
                "Required for assessments (they count at once, as approved findings)."
            ),
        )

    def handle(self, *args, kind, path, dry_run, by=None, **options):
        user = self.operator(kind, by)
        provenance = ANONYMOUS
        if user is not None:  # the importer names them, with the file's SHA-256, in history
            provenance = Provenance(user=user, how=f" by {user.get_username()} with import_csv")
        try:
            result = import_csv(
                kind, path, dry_run=dry_run, progress=self.progress, provenance=provenance
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        report_result(self, result)

    def operator(self, kind: str, username: str | None):
        """The user named by --by, checked against the registry's import action."""
        if not username:
            if kind in BY_REQUIRED:
                raise CommandError(
                    f"Importing {kind} needs --by USERNAME: the reviewer or administrator "
                    "running it, named in the history of every record written."
                )
            return None
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"--by: no user named {username!r}.") from None
        if not roles.can(user, roles.IMPORT_ACTIONS[kind]):
            raise CommandError(
                f"--by: {username} may not {roles.IMPORT_ACTIONS[kind].phrase} (an active "
                "account whose role allows it is needed)."
            )
        return user

    def progress(self, message: str) -> None:
        # Plain, not styled as an error: it is news, not a failure.
        self.stderr.write(message, style_func=str)

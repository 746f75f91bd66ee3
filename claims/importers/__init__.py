"""Importing CSV files: strikes, claims, assessments and external assessments.

Every file is imported all or nothing: each row is validated, every error of the file is
collected (`ImportResult.errors`, one line each, sorted by row), and only a file without a single
error is written, in one transaction. `python manage.py import_csv` is the command-line front.
"""

from pathlib import Path

from .assessments import AssessmentImporter
from .base import ImportFileError, ImportResult, Progress, run
from .claims import ClaimImporter
from .external import ExternalAssessmentImporter
from .strikes import StrikeImporter

IMPORTERS = {
    importer.kind: importer
    for importer in (StrikeImporter, ClaimImporter, AssessmentImporter, ExternalAssessmentImporter)
}
KINDS = tuple(IMPORTERS)

__all__ = ["IMPORTERS", "KINDS", "ImportFileError", "ImportResult", "import_csv"]


def import_csv(
    kind: str,
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    user=None,
) -> ImportResult:
    """Validate the file of `kind` and, unless `dry_run` or it has an error, write it all.

    `progress`, if given, is called with a one-line message every 5,000 rows validated and at
    each write phase, for files of more than 5,000 rows. Raises ImportFileError when the file
    cannot be read at all (missing, not UTF-8, empty); every other problem is in the result.
    `user`, if given, is named in the history of every record written.
    """
    if kind not in IMPORTERS:
        raise ValueError(f"Unknown kind of file {kind!r}; expected one of {', '.join(KINDS)}.")
    return run(IMPORTERS[kind], path, dry_run=dry_run, progress=progress, user=user)

"""Importing CSV files: strikes, claims, assessments and external assessments.

Every file is imported all or nothing: each row is validated, every error of the file is
collected (`ImportResult.errors`, one line each, sorted by row), and only a file without a single
error is written, in one transaction. `python manage.py import_csv` is the command-line front.
"""

from pathlib import Path

from .. import roles
from .assessments import AssessmentImporter
from .base import (
    ANONYMOUS,
    Counts,
    Data,
    ImportFileError,
    ImportProblem,
    ImportResult,
    Progress,
    Provenance,
    open_file,
    run,
)
from .claims import ClaimImporter
from .external import ExternalAssessmentImporter
from .strikes import StrikeImporter

IMPORTERS = {
    importer.kind: importer
    for importer in (StrikeImporter, ClaimImporter, AssessmentImporter, ExternalAssessmentImporter)
}
KINDS = tuple(IMPORTERS)

__all__ = [
    "IMPORTERS",
    "KINDS",
    "ImportFileError",
    "ImportProblem",
    "ImportResult",
    "Provenance",
    "import_csv",
    "import_data",
]


def import_csv(
    kind: str,
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    user=None,
    provenance: Provenance | None = None,
    counts: Counts | None = None,
) -> ImportResult:
    """Validate the file of `kind` and, unless `dry_run` or it has an error, write it all.

    `progress`, if given, is called with a one-line message every 5,000 rows validated and at
    each write phase, for files of more than 5,000 rows. `counts`, if given, is called as
    counts(rows_checked, rows_written, rows_in_file) as the import goes (base.Counts).
    Raises ImportFileError when the file cannot be read at all (missing, not UTF-8, empty);
    every other problem is in the result.
    `user` (or `provenance.user`), if given, must be allowed to import this kind of file
    (claims.roles.IMPORT_ACTIONS) and is named in the history of every record written.
    """
    file_name, stream = open_file(path)
    with stream:  # read as the import goes, never whole
        return import_data(
            kind,
            file_name,
            stream,
            dry_run=dry_run,
            progress=progress,
            provenance=provenance or Provenance(user=user),
            counts=counts,
        )


def import_data(
    kind: str,
    file_name: str,
    data: Data,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    provenance: Provenance = ANONYMOUS,
    counts: Counts | None = None,
) -> ImportResult:
    """`import_csv` of a file's bytes (an upload kept in the database), or of a binary stream."""
    if kind not in IMPORTERS:
        raise ValueError(f"Unknown kind of file {kind!r}; expected one of {', '.join(KINDS)}.")
    if provenance.user is not None:
        roles.require(provenance.user, roles.IMPORT_ACTIONS[kind])
    return run(
        IMPORTERS[kind],
        file_name,
        data,
        dry_run=dry_run,
        progress=progress,
        provenance=provenance,
        **({"counts": counts} if counts is not None else {}),
    )

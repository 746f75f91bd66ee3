"""What every CSV import shares: reading the file, parsing cells, collecting errors, writing.

An import reads the whole file, parses and validates every row (collecting every error rather
than stopping at the first), checks the rows against each other and against the database in a
few chunked queries, and only then, if there is no error at all, writes everything in one
transaction. Each kind of file is an `Importer` subclass in its own module.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DataError, IntegrityError, models, transaction
from simple_history.utils import bulk_create_with_history

from ..dates import date_problem

# Rows validated between two progress reports; files this small or smaller get none.
PROGRESS_EVERY = 5_000
# Values in one `__in` query: under SQLite's limit of 999 parameters a statement.
CHUNK_SIZE = 900
BATCH_SIZE = 1_000
# The largest value a PositiveIntegerField holds on every database we support.
MAX_COUNT = 2_147_483_647

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_validate_url = URLValidator()


@functools.lru_cache(maxsize=4_096)  # a file often repeats a URL (a monthly strike report)
def _is_url(value: str) -> bool:
    try:
        _validate_url(value)
    except ValidationError:
        return False
    return True


Progress = Callable[[str], None]


class ImportFileError(Exception):
    """The file cannot be read as CSV at all: missing, not UTF-8, empty."""


@dataclass(frozen=True)
class ImportProblem:
    """One error of a file: where (row, column, value) and what; `line` says it all in one."""

    row: int | None  # None: the file as a whole
    column: str | None
    value: str | None
    message: str
    line: str


@dataclass(frozen=True)
class Provenance:
    """Who is named on the records an import writes, and why (in every history record)."""

    user: object = None  # the history user of every record written
    # How it was imported, for the history's change reason: "" gives "Imported from FILE"; any
    # other gives "Imported from FILE (sha256 ...)" followed by it (" by rita with import_csv").
    how: str = ""
    assessed_by: object = None  # assessments: who drafted them (the uploader of a batch)
    decided_by: object = None  # and the different reviewer who approved them
    batch: object = None  # the AssessmentBatch they came in


ANONYMOUS = Provenance()  # trusted code (tests, the demo): nobody named


@dataclass
class ImportResult:
    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    # One line per error, sorted by row; empty when the import succeeded (or would succeed).
    errors: list[str] = field(default_factory=list)
    # The same errors, structured (row, column, value, message), for tables.
    problems: list[ImportProblem] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes, as read
    planned: str = ""  # what the file holds once validated: "2 assessments and 1 reopening"
    summary: str = ""
    # What was (or, in a dry run, would be) created: {"strikes": 30000, "belligerents": 3}.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def plural(count: int, noun: str) -> str:
    """`plural(30000, "strike")` -> "30,000 strikes"."""
    return f"{count:,} {noun if count == 1 else noun + 's'}"


def _shown(value: str) -> str:
    """A cell's value fit for a one-line message."""
    value = value.replace("\r", "\\r").replace("\n", "\\n")
    return value if len(value) <= 80 else value[:79] + "…"


class ErrorLog:
    """Every error found in one file, each reported as one line naming row, column and value."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.columns: list[str] = []  # the header's, once read: errors of a row follow them
        self._entries: list[tuple[int, str | None, str]] = []

    def add(self, row: int, message: str, *, column: str | None = None, value: str | None = None):
        where = [self.file_name, f"row {row}"]
        if column is not None:
            where.append(f'column "{column}"')
        if value is not None:
            value = _shown(value)
            where.append(f'value "{value}"')
        line = f"{', '.join(where)}: {message}"
        self._entries.append(ImportProblem(row, column, value, message, line))

    def __len__(self) -> int:
        return len(self._entries)

    def problems(self) -> list[ImportProblem]:
        """Sorted by row, then by column as the header orders them (a stable sort)."""
        position = {column: index for index, column in enumerate(self.columns)}
        last = len(position)
        return sorted(self._entries, key=lambda e: (e.row, position.get(e.column, last)))

    def lines(self) -> list[str]:
        return [problem.line for problem in self.problems()]


class Row:
    """One data row: its number in the file (the header is row 1) and its cells by column.

    The parsing methods return the parsed value, or an empty value after logging an error.
    """

    __slots__ = ("number", "cells", "errors")

    def __init__(self, number: int, cells: dict[str, str], errors: ErrorLog):
        self.number = number
        self.cells = cells
        self.errors = errors

    def value(self, column: str) -> str:
        return self.cells.get(column, "")

    def error(self, column: str, message: str) -> None:
        self.errors.add(self.number, message, column=column, value=self.value(column))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.value(column)
        if not value:
            if required:
                self.error(column, "a value is required.")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"too long ({len(value):,} characters; at most {max_length:,}).")
            return ""
        return value

    def ref(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        """A record's ref: text without '/' (a ref is part of the record's web address)."""
        value = self.text(column, required=required, max_length=max_length)
        if "/" in value:
            self.error(column, "a ref cannot contain '/' (it is part of the record's web address).")
            return ""
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        """A date between the campaign's start and today (claims.dates)."""
        value = self.text(column, required=required)
        if not value:
            return None
        if _ISO_DATE.fullmatch(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                problem = date_problem(day)
                if problem is None:
                    return day
                self.error(column, problem)
                return None
        self.error(column, "not a valid date (expected YYYY-MM-DD).")
        return None

    def count(self, column: str, *, required: bool = False) -> int | None:
        """A number of people or things: a whole number, zero or more."""
        value = self.text(column, required=required)
        if not value:
            return None
        if not _INTEGER.fullmatch(value):
            self.error(column, "not a whole number.")
            return None
        number = int(value)
        if number < 0:
            self.error(column, "cannot be negative.")
            return None
        if number > MAX_COUNT:
            self.error(column, f"too large (at most {MAX_COUNT:,}).")
            return None
        return number

    def count_range(self, low: str, high: str) -> tuple[int | None, int | None]:
        """Two counts, a minimum and a maximum: min must not exceed max."""
        minimum, maximum = self.count(low), self.count(high)
        if minimum is not None and maximum is not None and minimum > maximum:
            self.error(low, f"{low} ({minimum:,}) is greater than {high} ({maximum:,}).")
        return minimum, maximum

    def decimal(self, column: str) -> Decimal | None:
        value = self.value(column)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(column, "not a number.")
            return None
        return number

    def choice(
        self, column: str, choices: Sequence[str], *, name: str, required: bool = False
    ) -> str:
        value = self.text(column, required=required)
        if value and value not in choices:
            self.error(column, f"unknown {name}; expected one of {', '.join(choices)}.")
            return ""
        return value

    def url(self, column: str, *, max_length: int) -> str:
        value = self.text(column, max_length=max_length)
        if value and not _is_url(value):
            self.error(column, "not a valid URL.")
            return ""
        return value

    def tokens(self, column: str) -> list[str]:
        """A `;`-separated list; blanks and repeats dropped, file order kept."""
        return list(dict.fromkeys(t.strip() for t in self.value(column).split(";") if t.strip()))


def max_lengths(model: type[models.Model]) -> dict[str, int]:
    return {f.name: f.max_length for f in model._meta.fields if f.max_length is not None}


def values_in(
    queryset: models.QuerySet, lookup: str, values: Iterable, *fields: str
) -> list[tuple]:
    """`queryset.values_list(*fields)` of the rows whose `lookup` is in `values`, chunked."""
    values = list(values)
    found: list[tuple] = []
    for start in range(0, len(values), CHUNK_SIZE):
        chunk = values[start : start + CHUNK_SIZE]
        found.extend(queryset.filter(**{f"{lookup}__in": chunk}).values_list(*fields))
    return found


class Importer:
    """One kind of file. Subclasses parse each row, check them together, and write them."""

    kind = ""
    columns: tuple[str, ...] = ()
    required: frozenset[str] = frozenset()

    def __init__(
        self,
        *,
        file_name: str,
        errors: ErrorLog,
        report: Progress,
        provenance: Provenance,
        sha256: str = "",
    ):
        self.file_name = file_name
        self.sha256 = sha256
        self.errors = errors
        self.report = report
        self.provenance = provenance
        self.user = provenance.user  # who imports: named in the history of every record written

    @property
    def change_reason(self) -> str:
        if not self.provenance.how:
            return f"Imported from {self.file_name}"
        return f"Imported from {self.file_name} (sha256 {self.sha256}){self.provenance.how}"

    def create(self, model: type[models.Model], objects: list) -> list:
        """bulk_create with a history record for each row, naming the file and the user."""
        return bulk_create_with_history(
            objects,
            model,
            batch_size=BATCH_SIZE,
            default_user=self.user,
            default_change_reason=self.change_reason,
        )

    def parse(self, row: Row) -> None:
        """Parse and validate one row on its own."""
        raise NotImplementedError

    def check(self) -> None:
        """Checks across rows and against the database, once every row is parsed."""

    def write(self) -> None:
        """Write everything; called inside a transaction, only when there is no error."""
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        raise NotImplementedError

    def planned(self) -> str:
        """What the file holds, for the dry run's summary: "30,000 strikes"."""
        raise NotImplementedError

    def summary(self) -> str:
        """The one-line summary of a successful import."""
        return f"Imported {self.planned()} from {self.file_name}."


def read_file(path: str | Path) -> tuple[str, bytes]:
    """The file's name and bytes."""
    path = Path(path)
    try:
        return path.name, path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Cannot read {path}: no such file.") from None
    except IsADirectoryError:
        raise ImportFileError(f"Cannot read {path}: it is a directory.") from None
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror}.") from None


def read_csv(name: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The file's header and its data rows numbered as in a spreadsheet."""
    try:
        text = data.decode("utf-8-sig")  # also drops the byte-order mark spreadsheets add
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            f"{name} is not UTF-8 text (line {line} has the byte "
            f"0x{data[exc.start]:02x}, which is not valid UTF-8); save it as UTF-8 "
            f'("CSV UTF-8" in a spreadsheet) and try again.'
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(f"{name} is not a CSV file (line {line} has a NUL byte).")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = [[cell.strip() for cell in record] for record in reader]
    except csv.Error as exc:
        raise ImportFileError(
            f"{name}, line {reader.line_num}: cannot be read as CSV ({exc})."
        ) from None
    if not records or not any(records[0]):
        raise ImportFileError(f"{name} is empty: expected a header row, then data rows.")
    rows = [(number, cells) for number, cells in enumerate(records[1:], 2) if any(cells)]
    return records[0], rows


def header_columns(header: list[str], importer_class: type[Importer], errors: ErrorLog):
    """The header's column names; errors for unknown, repeated and missing required columns."""
    columns = errors.columns = [name.lower() for name in header]
    known = importer_class.columns
    for position, name in enumerate(columns, 1):
        if not name:
            errors.add(1, f"column {position} has no name.")
        elif name not in known:
            errors.add(1, f"unknown column; the columns are {', '.join(known)}.", column=name)
        elif columns.index(name) != position - 1:
            errors.add(1, "this column appears more than once.", column=name)
    for name in known:
        if name in importer_class.required and name not in columns:
            errors.add(1, "this required column is missing.", column=name)
    return columns


def _silent(message: str) -> None:
    pass


def run(
    importer_class: type[Importer],
    file_name: str,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    provenance: Provenance = ANONYMOUS,
) -> ImportResult:
    header, rows = read_csv(file_name, data)
    result = ImportResult(kind=importer_class.kind, file_name=file_name, dry_run=dry_run)
    result.sha256 = hashlib.sha256(data).hexdigest()
    result.rows = total = len(rows)
    errors = ErrorLog(file_name)
    columns = header_columns(header, importer_class, errors)
    if errors:
        _failed(result, errors)
        return result
    report = progress if progress is not None and total > PROGRESS_EVERY else _silent
    importer = importer_class(
        file_name=file_name,
        errors=errors,
        report=report,
        provenance=provenance,
        sha256=result.sha256,
    )
    for done, (number, cells) in enumerate(rows, 1):
        if any(cells[len(columns) :]):  # empty trailing cells are a spreadsheet's habit
            errors.add(number, f"{len(cells)} cells, but the header has {len(columns)} columns.")
        else:
            importer.parse(Row(number, dict(zip(columns, cells, strict=False)), errors))
        if done % PROGRESS_EVERY == 0 or done == total:
            report(f"{file_name}: {done:,} / {total:,} rows validated")
    importer.check()
    if not errors:
        result.planned = importer.planned()
    if errors:
        _failed(result, errors)
    elif dry_run:
        result.counts = importer.counts()
        result.summary = f"Dry run: {importer.planned()} would be imported; nothing was written."
    else:
        try:
            with transaction.atomic():
                importer.write()
        except (IntegrityError, DataError) as exc:
            # Validation missed something, or another writer got there between check and write.
            # The first line only: PostgreSQL's DETAIL repeats the row, confidential cells too.
            detail = " ".join(str(exc).splitlines()[0].split()) if str(exc) else type(exc).__name__
            _rejected(
                result, f"the database rejected the import, so nothing was written ({detail})."
            )
        except ValidationError as exc:
            # The workflow refused a change: a record changed between check and write.
            detail = " ".join(exc.messages)
            _rejected(
                result, f"the records changed while importing, so nothing was written: {detail}"
            )
        else:
            result.counts = importer.counts()
            result.summary = importer.summary()
    return result


def _rejected(result: ImportResult, message: str) -> None:
    """An error of the file as a whole (no row): the write failed."""
    line = f"{result.file_name}: {message}"
    result.problems = [ImportProblem(None, None, None, message, line)]
    result.errors = [line]


def _failed(result: ImportResult, errors: ErrorLog) -> None:
    result.problems = errors.problems()
    result.errors = [problem.line for problem in result.problems]

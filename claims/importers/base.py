"""What every CSV import shares: reading the file, parsing cells, collecting errors, writing.

An import reads the file as a stream, parses and validates every row (collecting every error
rather than stopping at the first) into plain tuples kept in a temporary file (writer.Spool),
checks the rows against each other and against the database in a few chunked queries, and only
then, if there is no error at all, writes everything in one transaction (writer.Writer: a
statement a batch, a history row per record). Its memory does not grow with the file, but for
an index of the refs read. Each kind of file is an `Importer` subclass in its own module.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL

from casualty_tracker import data_version

from ..dates import date_problem
from .writer import Writer

# Rows validated between two progress reports; files this small or smaller get none.
PROGRESS_EVERY = 5_000
# Values in one `__in` query: under SQLite's limit of 999 parameters a statement. PostgreSQL
# takes many more, and each query is a round trip: at ten times the demo, 386 queries.
CHUNK_SIZE = 900
SERVER_CHUNK_SIZE = 20_000


def chunk_size() -> int:
    return CHUNK_SIZE if connection.vendor == "sqlite" else SERVER_CHUNK_SIZE


# The largest value a PositiveIntegerField holds on every database we support.
MAX_COUNT = 2_147_483_647
# The longest cell a file may have (README, "Importing CSV files"): far longer than any real
# value (the longest column, a claim's summary, holds a few thousand characters), and far below
# the admin's upload limit. A longer cell is reported as the error of its row and column.
MAX_CELL_CHARS = 1_048_576
# The csv module's own limit (131,072 characters by default, process-wide) would stop reading at
# the first long cell with a message naming neither row nor column. It is raised above any file
# we read, so that the importer measures cells itself against MAX_CELL_CHARS and reports every
# long cell, in one pass with the file's other errors.
csv.field_size_limit(2**31 - 1)
# Separators a spreadsheet may use instead of the comma, and how the error names them.
OTHER_SEPARATORS = {";": "';'", "\t": "a tab", "|": "'|'"}
# Runs of rows named in one grouped error line; the rest are counted.
RUNS_SHOWN = 10

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
# Called as counts(rows_checked, rows_written, rows_in_file) while an import runs: every
# PROGRESS_EVERY rows checked, then after each batch written (a background job's progress bar).
Counts = Callable[[int, int, int], None]


def _no_counts(checked: int, written: int, total: int) -> None:
    pass


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
class ProblemGroup:
    """Errors with the same column and message on several rows, shown as one line.

    A group of one error is that error as it is (`line` is the error's own line). The admin's
    table and the command's output show groups; `ImportResult.errors` keeps every line.
    """

    rows: tuple[int, ...]  # sorted; empty: the file as a whole
    column: str | None
    value: str | None  # the rows' value when they all have the same, else None
    message: str
    line: str

    @property
    def row(self) -> int | None:
        return self.rows[0] if self.rows else None

    @property
    def count(self) -> int:
        return max(len(self.rows), 1)

    @property
    def rows_shown(self) -> str:
        """ "2 to 34,764 (34,763 rows)", "3, 5 and 9 (3 rows)", "7"; "" for the file."""
        if len(self.rows) < 2:
            return f"{self.rows[0]}" if self.rows else ""
        return f"{row_ranges(self.rows)} ({len(self.rows):,} rows)"


def row_ranges(rows: Sequence[int]) -> str:
    """Sorted row numbers as runs: [2, 3, 4, 9, 12, 13] -> "2 to 4, 9 and 12 to 13"."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    shown = [f"{a:,}" if a == b else f"{a:,} to {b:,}" for a, b in runs[:RUNS_SHOWN]]
    if len(runs) > RUNS_SHOWN:
        return f"{', '.join(shown)} and {len(runs) - RUNS_SHOWN:,} more runs"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def group_problems(file_name: str, problems: Sequence[ImportProblem]) -> list[ProblemGroup]:
    """One group per (column, message) of row errors, in the order of each group's first row;
    errors of the file as a whole stay alone. 34,763 rows with one mistake give one line."""
    groups: dict[tuple, list[ImportProblem]] = {}
    for index, problem in enumerate(problems):
        key = (problem.column, problem.message) if problem.row is not None else (index,)
        groups.setdefault(key, []).append(problem)
    result = []
    for members in groups.values():
        first = members[0]
        rows = tuple(p.row for p in members if p.row is not None)
        if len(members) == 1:
            result.append(ProblemGroup(rows, first.column, first.value, first.message, first.line))
            continue
        values = {p.value for p in members}
        value = first.value if len(values) == 1 else None
        where = [file_name, f"rows {row_ranges(rows)} ({len(rows):,} rows)"]
        if first.column is not None:
            where.append(f'column "{_shown(first.column)}"')
        if value is not None:
            where.append(f'value "{value}"')
        line = f"{', '.join(where)}: {first.message}"
        result.append(ProblemGroup(rows, first.column, value, first.message, line))
    return result


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

    def grouped(self) -> list[ProblemGroup]:
        """The errors as shown: the same column and message on many rows in one line."""
        return group_problems(self.file_name, self.problems)


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
        # Required columns the header lacks: reported once, on the header, so the rows' errors
        # in them (every row "a value is required") are left out.
        self.missing: set[str] = set()
        self._entries: list[ImportProblem] = []
        # The file's dates as parsed (`Row.date`): a file repeats a few thousand dates.
        self.dates: dict[str, tuple[date | None, str | None]] = {}

    def add(self, row: int, message: str, *, column: str | None = None, value: str | None = None):
        if row > 1 and column in self.missing:
            return
        where = [self.file_name, f"row {row}"]
        if column is not None:
            where.append(f'column "{_shown(column)}"')
        if value is not None:
            value = _shown(value)
            where.append(f'value "{value}"')
        line = f"{', '.join(where)}: {message}"
        self._entries.append(ImportProblem(row, column, value, message, line))

    def add_file(self, message: str, line: str) -> None:
        """An error of the file as a whole; listed after the rows' errors."""
        self._entries.append(ImportProblem(None, None, None, message, line))

    def __len__(self) -> int:
        return len(self._entries)

    def problems(self) -> list[ImportProblem]:
        """Sorted by row, then by column as the header orders them (a stable sort); the header's
        errors as found, left to right; the file's last."""
        position: dict[str | None, int] = {}
        for index, column in enumerate(self.columns):
            position.setdefault(column, index)
        last = len(self.columns)

        def key(e: ImportProblem):
            if e.row is None or e.row == 1:
                return (e.row is None, e.row or 0, 0)
            return (False, e.row, position.get(e.column, last))

        return sorted(self._entries, key=key)

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
        known = self.errors.dates.get(value)
        if known is None:
            known = self.errors.dates[value] = _parsed_date(value)
        day, problem = known
        if problem is not None:
            self.error(column, problem)
        return day

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


def _parsed_date(value: str) -> tuple[date | None, str | None]:
    """The date a cell holds, or the problem with it."""
    if _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            problem = date_problem(day)
            return (day, None) if problem is None else (None, problem)
    return None, "not a valid date (expected YYYY-MM-DD)."


def max_lengths(model: type[models.Model]) -> dict[str, int]:
    return {f.name: f.max_length for f in model._meta.fields if f.max_length is not None}


def values_in(
    queryset: models.QuerySet, lookup: str, values: Iterable, *fields: str
) -> list[tuple]:
    """`queryset.values_list(*fields)` of the rows whose `lookup` is in `values`, chunked."""
    values = list(values)
    found: list[tuple] = []
    size = chunk_size()
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        found.extend(queryset.filter(**{f"{lookup}__in": _listed(chunk)}).values_list(*fields))
    return found


def _listed(values: list) -> list | RawSQL:
    """The values as `__in` takes them: on PostgreSQL, one parameter (an array's text, read at
    C speed) rather than one a value, which Django prepares one by one and the server parses as
    an IN list (8,700 ids: 48 ms, against 2.7 ms). Integers, or text (quoted as array elements:
    every character as it is but `"` and `\\`, escaped)."""
    if connection.vendor != "postgresql" or not values:
        return values
    if all(isinstance(value, int) for value in values):
        elements, array = ",".join(map(str, values)), "bigint[]"
    elif all(isinstance(value, str) for value in values):
        escaped = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
        elements, array = ",".join(f'"{value}"' for value in escaped), "text[]"
    else:
        return values
    return RawSQL(f"SELECT unnest(%s::{array})", ["{" + elements + "}"])


class Importer:
    """One kind of file. Subclasses parse each row, check them together, and write them."""

    kind = ""
    columns: tuple[str, ...] = ()  # the import contract: what a row may say, in this order
    required: frozenset[str] = frozenset()
    # Columns the API's CSV export of this kind adds after the contract's (derived or database
    # values: ids, status...): a file exported from the API imports as it is, these ignored.
    read_only: tuple[str, ...] = ()

    def __init__(
        self,
        *,
        file_name: str,
        errors: ErrorLog,
        report: Progress,
        provenance: Provenance,
        sha256: str = "",
        counts: Counts = _no_counts,
        total: int = 0,
    ):
        self.file_name = file_name
        self.sha256 = sha256
        self.errors = errors
        self.report = report
        self.provenance = provenance
        self.user = provenance.user  # who imports: named in the history of every record written
        self.on_counts = counts
        self.total = total
        self.written = 0  # rows of the file written so far (the records each create() wrote)

    @property
    def change_reason(self) -> str:
        if not self.provenance.how:
            return f"Imported from {self.file_name}"
        return f"Imported from {self.file_name} (sha256 {self.sha256}){self.provenance.how}"

    @functools.cached_property
    def writer(self) -> Writer:
        """Writes the rows with a history record each, naming the file and the user."""
        return Writer(user=self.user, change_reason=self.change_reason)

    def wrote(self, rows: int) -> None:
        """Count rows of the file written (after each batch), for the progress bar."""
        self.written = min(self.written + rows, self.total)
        self.on_counts(self.total, self.written, self.total)

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


def open_file(path: str | Path) -> tuple[str, BinaryIO]:
    """The file's name, and the file opened for reading its bytes."""
    path = Path(path)
    try:
        return path.name, path.open("rb")
    except FileNotFoundError:
        raise ImportFileError(f"Cannot read {path}: no such file.") from None
    except IsADirectoryError:
        raise ImportFileError(f"Cannot read {path}: it is a directory.") from None
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror}.") from None


# A file's bytes, whole or as a stream: read a chunk at a time either way.
Data = bytes | BinaryIO


def read_csv(name: str, data: Data) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The file's header and its data rows numbered as in a spreadsheet."""
    header, rows = read_rows(name, data, scan(name, data))
    return header, list(rows)


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes found (it is UTF-8 text without NUL, or it raised)."""

    sha256: str
    lines: int  # newlines: the rows, less the header, unless a cell holds one


# Bytes read at a time: the file is never held whole, as bytes or as text.
_CHUNK = 1 << 20


def _stream(data: Data) -> BinaryIO:
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(data)  # shares the bytes
    data.seek(0)
    return data


def scan(name: str, data: Data) -> Scan:
    """One pass over the bytes: their SHA-256, their newlines, and ImportFileError unless they
    are UTF-8 text without NUL (the first bad byte named, by line)."""
    stream = _stream(data)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    nul_line = None
    while True:
        chunk = stream.read(_CHUNK)
        pending = decoder.getstate()[0]  # a character begun at the end of the last chunk
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            before = max(exc.start - len(pending), 0)
            line = lines + chunk.count(b"\n", 0, before) + 1
            raise ImportFileError(
                f"{name} is not UTF-8 text (line {line} has the byte "
                f"0x{(pending + chunk)[exc.start]:02x}, which is not valid UTF-8); save it as "
                f'UTF-8 ("CSV UTF-8" in a spreadsheet) and try again.'
            ) from None
        if not chunk:
            break
        digest.update(chunk)
        nul = chunk.find(b"\x00")
        if nul >= 0 and nul_line is None:
            nul_line = lines + chunk.count(b"\n", 0, nul) + 1
        lines += chunk.count(b"\n")
    if nul_line is not None:
        raise ImportFileError(f"{name} is not a CSV file (line {nul_line} has a NUL byte).")
    return Scan(sha256=digest.hexdigest(), lines=lines)


def read_rows(
    name: str, data: Data, scanned: Scan
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The file's header, and its data rows numbered as in a spreadsheet as they are read
    (`scanned`: the file's scan, which found it readable). A row that cannot be read as CSV
    raises ImportFileError when it is reached."""
    text = io.TextIOWrapper(_stream(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)

    def records() -> Iterator[list[str]]:
        try:
            for record in reader:
                yield [cell.strip() for cell in record]
        except csv.Error as exc:
            raise ImportFileError(
                f"{name}, line {reader.line_num}: cannot be read as CSV ({exc})."
            ) from None

    numbered = enumerate(records(), 1)
    header = next(numbered, (1, []))[1]
    if not any(header):
        raise ImportFileError(f"{name} is empty: expected a header row, then data rows.")
    return header, ((number, cells) for number, cells in numbered if any(cells))


def separator_hint(header: list[str], known: Sequence[str]) -> str:
    """The separator the header seems to use instead of the comma, or "".

    A file saved with `;` or tabs reads as one column (or a few, if a name has a comma). It is
    named when the header, split on it, gives more of the known columns than split on commas.
    """
    line = ",".join(header)
    by_comma = sum(name.strip().lower() in known for name in header)
    for separator, name in OTHER_SEPARATORS.items():
        if separator not in line:
            continue
        names = [part.strip().lower() for part in line.split(separator)]
        if len(header) == 1 or sum(part in known for part in names) > by_comma:
            return name
    return ""


@dataclass(frozen=True)
class Header:
    """What the header maps: each known column's position (its first, if repeated)."""

    columns: list[str]  # every name, lower case, as in the file
    positions: dict[str, int]
    is_usable: bool  # the rows can be checked: at least one known column, a comma separator

    def cells(self, cells: list[str]) -> dict[str, str]:
        return {name: cells[i] for name, i in self.positions.items() if i < len(cells)}


def header_columns(header: list[str], importer_class: type[Importer], errors: ErrorLog) -> Header:
    """The header's columns; errors for unknown, repeated and missing required columns.

    The importer's `read_only` columns (what an API export adds) are accepted and ignored.
    The header's errors do not stop the rows' checks (a file is fixed in one round): an unknown,
    nameless or repeated column is left out of them (a repeated one is read at its first place),
    and a missing required column is reported once, here, rather than on every row (its cells
    read as empty, a case every check already meets in a row with an empty required cell). A
    header that maps no known column, or seems to use another separator, stops there.
    """
    columns = errors.columns = [name.lower() for name in header]
    known = importer_class.columns
    separator = separator_hint(header, known)
    if separator:
        errors.add(1, f"the separator looks like {separator}: save it as comma-separated (CSV).")
        return Header(columns, {}, is_usable=False)
    positions: dict[str, int] = {}
    for position, name in enumerate(columns, 1):
        if not name:
            errors.add(1, f"column {position} has no name.")
        elif name in importer_class.read_only and name not in known:
            continue
        elif name not in known:
            errors.add(1, f"unknown column; the columns are {', '.join(known)}.", column=name)
        elif name in positions:
            errors.add(1, "this column appears more than once.", column=name)
        else:
            positions[name] = position - 1
    for name in known:
        if name in importer_class.required and name not in positions:
            errors.add(1, "this required column is missing.", column=name)
            errors.missing.add(name)
    return Header(columns, positions, is_usable=bool(positions))


def long_cells(number: int, columns: list[str], cells: list[str], errors: ErrorLog) -> bool:
    """Errors for the row's cells longer than MAX_CELL_CHARS; True if there was one."""
    if max(map(len, cells), default=0) <= MAX_CELL_CHARS:
        return False
    found = False
    for position, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            found = True
            column = columns[position] if position < len(columns) else None
            errors.add(
                number,
                f"the cell is longer than the limit of {MAX_CELL_CHARS:,} characters "
                f"(it has {len(cell):,}).",
                column=column or f"{position + 1}",
            )
    return found


def _silent(message: str) -> None:
    pass


def run(
    importer_class: type[Importer],
    file_name: str,
    data: Data,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    provenance: Provenance = ANONYMOUS,
    counts: Counts = _no_counts,
) -> ImportResult:
    """Import a file's bytes (or a binary stream of them, read twice: checked, then parsed)."""
    scanned = scan(file_name, data)
    header, rows = read_rows(file_name, data, scanned)
    result = ImportResult(kind=importer_class.kind, file_name=file_name, dry_run=dry_run)
    result.sha256 = scanned.sha256
    # The rows are counted as they are read; until then, the lines (a cell may hold a newline).
    estimate = max(scanned.lines - 1, 0)
    errors = ErrorLog(file_name)
    header = header_columns(header, importer_class, errors)
    columns = header.columns
    report = progress if progress is not None and estimate > PROGRESS_EVERY else _silent
    importer = importer_class(
        file_name=file_name,
        errors=errors,
        report=report,
        provenance=provenance,
        sha256=result.sha256,
        counts=counts,
        total=estimate,
    )
    done = 0
    if header.is_usable:
        for done, (number, cells) in enumerate(rows, 1):
            if any(cells[len(columns) :]):  # empty trailing cells are a spreadsheet's habit
                errors.add(
                    number, f"{len(cells)} cells, but the header has {len(columns)} columns."
                )
            elif not long_cells(number, columns, cells, errors):
                importer.parse(Row(number, header.cells(cells), errors))
            if done % PROGRESS_EVERY == 0:
                report(f"{file_name}: {done:,} / {max(estimate, done):,} rows validated")
                counts(done, 0, max(estimate, done))
    else:
        done = sum(1 for _ in rows)
    result.rows = importer.total = done
    if not done:
        errors.add_file(
            "the file has a header but no data rows; nothing was imported.",
            f"{file_name} has a header but no data rows; nothing was imported.",
        )
    if not header.is_usable or not done:
        _failed(result, errors)
        return result
    if done % PROGRESS_EVERY:
        report(f"{file_name}: {done:,} / {done:,} rows validated")
    counts(done, 0, done)
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
                data_version.changed()  # bulk writes send no signal
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
            importer.writer.analyze()
            result.counts = importer.counts()
            result.summary = importer.summary()
    return result


def _rejected(result: ImportResult, message: str) -> None:
    """An error of the file as a whole (no row): the write failed."""
    errors = ErrorLog(result.file_name)
    errors.add_file(message, f"{result.file_name}: {message}")
    _failed(result, errors)


def _failed(result: ImportResult, errors: ErrorLog) -> None:
    result.problems = errors.problems()
    result.errors = [problem.line for problem in result.problems]

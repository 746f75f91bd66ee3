"""Writing an import's rows: plain tuples, one statement a batch, a history row for each.

The importers validate every row themselves; what they write needs none of the ORM's per-row
work (a model instance, then a historical instance, for every row). Rows go in as tuples of
values the database takes as they are (str, int, bool, None; dates as ISO text), one multi-row
INSERT a batch, and each batch's history rows are copied by the database from the rows just
written (INSERT ... SELECT): the values django-simple-history writes from an instance, that is
every tracked field, with history_date, history_type ('+' created, '~' changed), history_user
and history_change_reason. The database's constraints stay the final guard: a row they refuse
raises IntegrityError, and the import's one transaction rolls everything back.

`Spool` keeps the rows parsed in the validation pass for the write pass in a temporary file, so
that an import's memory does not grow with its file.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime

from django.db import connection, models
from django.utils import timezone

# Rows a Spool batch holds in memory, and so rows an importer writes at a time.
SPOOL_BATCH = 2_000
# Rows in one batch from which PostgreSQL gets them by COPY rather than by an INSERT.
COPY_FROM = 1_000
# When a table an import wrote gets fresh planner statistics (PostgreSQL may run without
# autovacuum, and its next pass may come after the first readers: one API query went from 0.25 s
# to 10.8 s on tables without them). On PostgreSQL, as autovacuum decides (its analyze scale
# factor): a table whose rows written are ANALYZE_FROM or more, or ANALYZE_SHARE of the rows it
# had (pg_class.reltuples; -1, a table never analysed: always), so that a first import (the
# demo's: /api/v1/claims/?page_size=1000 took 280 ms without them, 47 ms with) gets statistics
# and a small import into a large table costs nothing. SQLite's planner gained nothing measurable
# from them on the demo: its tables get them after an import of ANALYZE_FROM rows in all. An
# ANALYZE samples at most 30,000 rows: it costs about a COPY of as many.
ANALYZE_FROM = 10_000
ANALYZE_SHARE = 0.1


def even_batches(rows: Sequence, size: int = SPOOL_BATCH) -> Iterator[Sequence]:
    """`rows` in batches of at most `size`, as even as can be: 2,897 rows go as two of 1,449
    and 1,448 rather than 2,000 and 897, which PostgreSQL would get by an INSERT (COPY_FROM), at
    about twice the server's time a row."""
    batches = -(-len(rows) // size)
    step = -(-len(rows) // batches) if batches else size
    for start in range(0, len(rows), step):
        yield rows[start : start + step]


class Spool:
    """Rows kept for a later pass: in memory a batch at a time, the rest in a temporary file."""

    def __init__(self, batch_size: int = SPOOL_BATCH):
        self.batch_size = batch_size
        self._batch: list[tuple] = []
        self._file = None
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def append(self, row: tuple) -> None:
        self._batch.append(row)
        self.count += 1
        if len(self._batch) >= self.batch_size:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            # Unlinked at once: nothing is left behind; closed when the spool is dropped.
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
        pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._batch = []

    def batches(self) -> Iterator[list[tuple]]:
        """The rows in the order appended, a batch at a time; may be read more than once."""
        if self._file is not None:
            if self._batch:
                self._spill()
            self._file.seek(0)
            while True:
                try:
                    yield pickle.load(self._file)
                except EOFError:
                    break
        elif self._batch:
            yield self._batch

    def __iter__(self) -> Iterator[tuple]:
        for batch in self.batches():
            yield from batch


class Writer:
    """Inserts and updates of one import, each with its history rows; counts what it wrote."""

    def __init__(self, *, user=None, change_reason: str = ""):
        self.user_id = getattr(user, "pk", None)
        self.change_reason = change_reason
        self.now = timezone.now()
        # Rows written, by table; history tables aside: they are read a record at a time (by
        # their index on the record's id), never planned over, so not worth an ANALYZE.
        self.written: Counter[str] = Counter()
        # The tables rows were inserted into, and the columns set by updates, by table.
        self.inserted: set[str] = set()
        self.updated: dict[str, set[str]] = {}

    def insert(self, model: type[models.Model], fields: Sequence[str], rows) -> list[int]:
        """Insert `rows` (values of `fields`, in that order) and return their ids in order.

        The model's other fields get their default, `auto_now(_add)` fields the import's time.
        A model with history (simple_history) gets a '+' history row for each.
        """
        if not rows:
            return []
        columns, extra = self._insert_columns(model, fields)
        if extra:
            rows = [(*row, *extra) for row in rows]
        table = model._meta.db_table
        pk = model._meta.pk.column
        ids = _insert(model, columns, rows, returning=pk)
        self.written[table] += len(rows)
        self.inserted.add(table)
        if hasattr(model, "history"):
            self._history(model, ids, "+")
        return ids

    def insert_plain(self, model: type[models.Model], fields: Sequence[str], rows) -> None:
        """Insert rows that have no id to return and no history (a many-to-many table's)."""
        if not rows:
            return
        columns = [model._meta.get_field(name).column for name in fields]
        _insert(model, columns, rows, returning=None)
        self.written[model._meta.db_table] += len(rows)
        self.inserted.add(model._meta.db_table)

    def update(self, model: type[models.Model], fields: Sequence[str], rows) -> None:
        """Set `fields` of each row given as (id, *values), and record a '~' history row each."""
        if not rows:
            return
        meta = model._meta
        table, pk = meta.db_table, meta.pk.column
        sets = []
        for number, name in enumerate(fields, 2):
            field = meta.get_field(name)
            value = f"v.column{number}"
            if connection.vendor == "postgresql":  # a VALUES list of NULLs is of type text
                value = f"CAST({value} AS {field.db_type(connection)})"
            sets.append(f'"{field.column}" = {value}')
        _execute_values(
            f'UPDATE "{table}" SET {", ".join(sets)} FROM (VALUES ',
            rows,
            f') AS v WHERE "{table}"."{pk}" = v.column1',
        )
        self.written[table] += len(rows)
        # The columns set, and those the database computes (from them, perhaps).
        columns = [meta.get_field(name).column for name in fields]
        columns += [field.column for field in meta.concrete_fields if field.generated]
        self.updated.setdefault(table, set()).update(columns)
        self._history(model, [row[0] for row in rows], "~")

    def _insert_columns(self, model, fields: Sequence[str]) -> tuple[list[str], tuple]:
        """The columns of `fields`, then those of every other field with the value it gets."""
        given = {model._meta.get_field(name).attname for name in fields}
        columns = [model._meta.get_field(name).column for name in fields]
        extra = []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.generated or field.attname in given:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            else:  # as the ORM: its default, else "" for text and None for the rest
                value = field.get_default()
            value = field.get_db_prep_save(value, connection)
            if isinstance(value, datetime):  # one text for every row, not one str() a row
                value = value.isoformat()
            columns.append(field.column)
            extra.append(value)
        return columns, tuple(extra)

    def _history(self, model: type[models.Model], ids: Sequence[int], history_type: str) -> None:
        """History rows copied by the database from the rows `ids` as they now are."""
        historical = model.history.model
        meta = historical._meta
        # The model's own fields (a generated column is computed again in the history table).
        tracked = [field for field in historical.tracked_fields if not field.generated]
        stamps = ("history_date", "history_change_reason", "history_type", "history_user")
        values = (
            meta.get_field("history_date").get_db_prep_save(self.now, connection),
            self.change_reason,
            history_type,
            self.user_id,
        )
        if connection.vendor == "postgresql":
            # Typed: the SELECT list's parameters have no column to take a type from.
            types = [meta.get_field(name).db_type(connection) for name in stamps]
            params = ", ".join(f"CAST(%s AS {db_type})" for db_type in types)
            chosen, ids_param = "= ANY(%s)", list(ids)
        else:
            params = ", ".join("%s" for _ in stamps)
            chosen, ids_param = "IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))
        into = ", ".join(
            f'"{meta.get_field(name).column}"' for name in (*(f.name for f in tracked), *stamps)
        )
        copied = ", ".join(f'"{field.column}"' for field in tracked)
        pk = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{meta.db_table}" ({into}) SELECT {copied}, {params} '
                f'FROM "{model._meta.db_table}" WHERE "{pk}" {chosen} ORDER BY "{pk}"',
                [*values, ids_param],
            )

    def analyze(self) -> None:
        """Fresh planner statistics for the tables written that need them (ANALYZE_FROM).

        On PostgreSQL, a table only updated, and analysed before, gets those of the columns
        set (and generated) alone: the others' still hold, and its row count is taken anew all
        the same (the claims an assessments import moves: 23 ms against 90 ms at 3x).
        """
        if not self.written:
            return
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                if sum(self.written.values()) >= ANALYZE_FROM:
                    for table in sorted(self.written):
                        cursor.execute(f'ANALYZE "{table}"')
                return
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE oid = ANY(%s::regclass[])",
                [[f'"{table}"' for table in self.written]],
            )
            had = dict(cursor.fetchall())
            for table in sorted(self.written):
                if self.written[table] < min(ANALYZE_FROM, ANALYZE_SHARE * had[table]):
                    continue
                columns = ""
                if table not in self.inserted and had[table] >= 0:
                    columns = " (" + ", ".join(f'"{c}"' for c in sorted(self.updated[table])) + ")"
                cursor.execute(f'ANALYZE "{table}"{columns}')


def _insert(model, columns: Sequence[str], rows, *, returning: str | None) -> list[int]:
    table = model._meta.db_table
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        return _copy(model, columns, rows, returning=returning)
    names = ", ".join(f'"{c}"' for c in columns)
    suffix = f' RETURNING "{returning}"' if returning else ""
    return _execute_values(f'INSERT INTO "{table}" ({names}) VALUES ', rows, suffix)


def _copy(model, columns: Sequence[str], rows, *, returning: str | None) -> list[int]:
    """PostgreSQL's COPY of the rows, with ids taken beforehand from the table's sequence when
    they are wanted (COPY returns nothing): parsing an INSERT's VALUES costs the server about
    ten times what COPY costs.

    The rows go as CSV (Python's csv module writes them at C speed), where an empty cell is
    NULL: None is written empty, and so is "", which the text columns that cannot be NULL read
    back as "" (FORCE_NOT_NULL). A nullable text column would confuse the two: none is written
    this way.
    """
    table = model._meta.db_table
    by_column = {field.column: field for field in model._meta.concrete_fields}
    text = [c for c in columns if by_column[c].empty_strings_allowed]
    if any(by_column[c].null for c in text):
        raise ValueError(f"{table}: a nullable text column cannot be written by COPY.")
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [f'"{table}"', returning, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            columns = [returning, *columns]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        buffer.seek(0)
        names = ", ".join(f'"{c}"' for c in columns)
        quoted = ", ".join(f'"{c}"' for c in text)
        not_null = f", FORCE_NOT_NULL ({quoted})" if text else ""
        sql = f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv{not_null})'
        started = time.monotonic()
        with connection.wrap_database_errors:  # IntegrityError as Django's, as execute() does
            cursor.cursor.copy_expert(sql, buffer)
        if connection.queries_logged:  # COPY is no cursor.execute(): log it as Django would
            connection.queries_log.append(
                {"sql": f"{sql} ({len(rows):,} rows)", "time": f"{time.monotonic() - started:.3f}"}
            )
    return ids


def _execute_values(before: str, rows: Sequence[tuple], after: str) -> list:
    """`before` + a VALUES list of the rows + `after`, one statement for as many rows as the
    database takes parameters; what the statements return, in order."""
    width = len(rows[0])
    if connection.vendor == "sqlite":  # 32,766 since SQLite 3.32 (Django assumes the old 999)
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    else:  # psycopg2 interpolates the parameters itself; a statement of a few MB at most
        limit = 65_535
    per_statement = max(1, limit // width)
    one = "(" + ", ".join(["%s"] * width) + ")"
    returned: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"{before}{', '.join([one] * len(chunk))}{after}",
                [value for row in chunk for value in row],
            )
            if "RETURNING" in after:
                returned.extend(row[0] for row in cursor.fetchall())
    return returned

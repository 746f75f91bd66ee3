"""The issue-11 table: `python bench/scale.py --scale N` (what `make bench SCALE=N` runs).

Writes a campaign N times the demo (bench/campaign.py), imports it through the importer into a
throwaway database made by Django's test machinery (a temporary SQLite file, or a `test_…`
database on the server DATABASE_URL names: never the real one), then measures every row of the
table as project / floor / ratio, where the floor is the database doing the same work directly:

- import of strikes, claims, assessments (`import_csv`, all or nothing, with history): time and
  peak memory, against COPY (PostgreSQL) / executemany (SQLite) of the very rows the import
  wrote, into the same tables emptied again, in one transaction;
- `month_figures` of the busiest month against one raw SQL query of the same counts; the monthly
  series (`month_series`) against one grouped query with running totals (a window function);
- `/api/v1/strikes/` and `/api/v1/claims/?page_size=1000` against a bare `.values()` view of the
  same rows (bench/urls.py); a deep page against page 1 (by number, and by cursor if the API
  offers `?cursor=`);
- the strikes CSV and GeoJSON exports (time, first byte, rows/s, memory) against COPY TO STDOUT
  (PostgreSQL) / a cursor read into csv.writer or json (SQLite) of the same rows;
- /map/ with its first data load, the busiest month's page: size, queries, time (floor: the goal);
- req/s under gunicorn (3 workers, as `make serve`, loopback) with wrk: /healthz, /,
  /reports/YYYY/MM/, /api/v1/reports/summary/ (floor: /healthz).

Only public interfaces are used (import_csv, URLs through Django's test client or HTTP), and a
feature that is not there yet (cursor pagination, a map data address, wrk) is "n/a" with the
reason, never a failure. Prints a Markdown table and writes it to bench/results/.
Times are medians of --repeats requests after one warm-up (the first, cold, one is in the notes).
"""

import argparse
import csv
import ctypes
import datetime
import html
import io
import json
import logging
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-scale-"))
# A cache of its own (never a real one), and no API throttle in the way of the measurements: a
# rate per second, not per minute, because DRF's throttle keeps the time of every request in its
# window and rewrites that list at each request (100/min in production keeps at most 100; a
# million a minute kept every request of the benchmark's last minute, a growing cost per request).
os.environ.pop("REDIS_URL", None)
os.environ["CACHE_DIR"] = str(SCRATCH / "cache")
os.environ["STATIC_ROOT"] = str(SCRATCH / "static")  # collected there for gunicorn
(SCRATCH / "static").mkdir()
os.environ["API_ANON_RATE"] = os.environ["API_USER_RATE"] = "1000000/s"
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")
# The throttle's counters where `make serve` keeps them (in memory), for the in-process
# measurements as for the gunicorn ones, which inherit the folder.
os.environ.pop("THROTTLE_CACHE_DIR", None)
from casualty_tracker.serving import forget_throttle, throttle_in_memory  # noqa: E402

throttle_in_memory()

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection, models, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)

from bench.campaign import write_campaign  # noqa: E402
from casualty_tracker import data_version  # noqa: E402
from claims.api import querysets  # noqa: E402
from claims.api.rows import rows_of  # noqa: E402
from claims.api.views import StrikeViewSet  # noqa: E402
from claims.models import Assessment, Belligerent, Claim, Reopening, Strike  # noqa: E402
from claims.public import public_fields  # noqa: E402
from reports.figures import month_figures  # noqa: E402
from reports.series import month_series  # noqa: E402

KB, MB = 1024, 1024 * 1024
TIMED_KINDS = ("strikes", "claims", "assessments")
# The table a file's own rows land in: the narrower floor is COPY into it alone.
RECORD_TABLES = {
    "strikes": Strike._meta.db_table,
    "claims": Claim._meta.db_table,
    "assessments": Assessment._meta.db_table,
}
DATA_TABLES = {
    model._meta.db_table for model in (Strike, Claim, Claim.strikes.through, Assessment, Reopening)
}


@dataclass
class Row:
    what: str
    project: str
    floor: str
    ratio: str
    notes: str = ""


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:,.1f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def size(count: float) -> str:
    return f"{count / MB:,.2f} MB" if count >= MB else f"{count / KB:,.0f} KB"


def times(ratio: float) -> str:
    return f"{ratio:,.1f}x" if ratio < 100 else f"{ratio:,.0f}x"


def na(what: str, why: str) -> Row:
    return Row(what, "n/a", "n/a", "n/a", why)


# --- Memory: the process's peak resident size over a block ----------------------------------------


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * KB
    raise OSError(field)


class PeakMemory:
    """Peak RSS during the block (Linux: VmHWM, reset through clear_refs; else sampled)."""

    def __enter__(self):
        with suppress(OSError):  # give freed memory back first: the peak is the block's own
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        self.before = _status("VmRSS")
        self._sampled, self._stop = self.before, threading.Event()
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # resets VmHWM to the current size
            self._thread = None
        except OSError:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.01):
            self._sampled = max(self._sampled, _status("VmRSS"))

    def __exit__(self, *exc):
        if self._thread is None:
            self.peak = _status("VmHWM")
        else:
            self._stop.set()
            self._thread.join()
            self.peak = self._sampled

    def __str__(self):
        return f"peak {size(self.peak)} (+{size(max(0, self.peak - self.before))})"


# --- Imports against COPY / executemany of the same rows ------------------------------------------


def _tables():
    """(model, table, pk column, writable columns) of every table, m2m links and history too."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            continue  # not written by an import (django-tasks' results have uuid keys)
        columns = [
            field.column
            for field in model._meta.local_concrete_fields
            if not isinstance(field, models.GeneratedField)
        ]
        yield model, model._meta.db_table, model._meta.pk.column, columns


def _high_water() -> dict[str, int]:
    with connection.cursor() as cursor:
        marks = {}
        for _, table, pk, _ in _tables():
            cursor.execute(f'SELECT MAX("{pk}") FROM "{table}"')
            marks[table] = cursor.fetchone()[0] or 0
        return marks


def _written(before: dict[str, int]) -> tuple[list[tuple[str, str, list[str], int]], set[str]]:
    """The tables the import wrote (table, pk, columns, high-water mark before it), and the
    tables still empty."""
    after = _high_water()
    written = [
        (table, pk, columns, before[table])
        for _, table, pk, columns in _tables()
        if after[table] > before[table]
    ]
    return written, {table for table, mark in after.items() if mark == 0}


def _empty_tables(written, empty: set[str]) -> None:
    """Remove the rows the import wrote: TRUNCATE the tables that were empty (with every table
    still empty, so that no foreign key is in the way), DELETE from the others."""
    fresh = {table for table, _, _, mark in written if mark == 0}
    truncated = set()
    # One transaction: foreign keys are checked (deferred) once every row is gone.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and fresh:
            names = ", ".join(f'"{table}"' for table in sorted(fresh | empty))
            try:
                with transaction.atomic():
                    cursor.execute(f"TRUNCATE {names}")
                truncated = fresh
            except DatabaseError:  # a table that is not empty refers to one of them
                pass
        for table, pk, _, mark in written:
            if table not in truncated:
                cursor.execute(f'DELETE FROM "{table}" WHERE "{pk}" > %s', [mark])
    if connection.vendor == "postgresql":  # no dead rows left behind for the COPY to step over
        with connection.cursor() as cursor:
            for table, _, _, _ in written:
                if table not in truncated:
                    cursor.execute(f'VACUUM "{table}"')


def floor_copy(written, empty: set[str]) -> tuple[float, int, dict[str, float]]:
    """Write the rows the import wrote again, into the same tables emptied, in one transaction:
    COPY on PostgreSQL, executemany on SQLite. Returns (seconds, rows, seconds by table and
    for the commit)."""
    dumps, count = [], 0
    with connection.cursor() as cursor:
        for table, pk, columns, mark in written:
            names = ", ".join(f'"{c}"' for c in columns)
            if connection.vendor == "postgresql":
                buffer = io.BytesIO()
                cursor.cursor.copy_expert(
                    f'COPY (SELECT {names} FROM "{table}" WHERE "{pk}" > {int(mark)}) TO STDOUT',
                    buffer,
                )
                count += buffer.getvalue().count(b"\n")
                dumps.append((table, names, buffer))
            else:
                cursor.execute(f'SELECT {names} FROM "{table}" WHERE "{pk}" > %s', [mark])
                rows = cursor.fetchall()
                count += len(rows)
                dumps.append((table, names, rows))
    _empty_tables(written, empty)
    started, parts = time.perf_counter(), {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table, names, data in dumps:
            table_started = time.perf_counter()
            if connection.vendor == "postgresql":
                data.seek(0)
                cursor.cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', data)
            else:
                marks = ", ".join(["%s"] * names.count(",") + ["%s"])
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', data)
            parts[table] = time.perf_counter() - table_started
        committing = time.perf_counter()
    parts["commit (deferred foreign-key checks)"] = time.perf_counter() - committing
    return time.perf_counter() - started, count, parts


def import_in_process(kind: str, path: Path) -> dict:
    """bench/import_one.py in a fresh process on this database: time and the peak memory of
    a process that only imports (the rest of the benchmark's memory is not counted)."""
    env = os.environ | {"DATABASE_URL": _database_url()}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_one.py"), kind, str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"The {kind} import crashed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _without_statistics(tables: list[str]) -> list[str]:
    """The tables among `tables` that have no planner statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # reltuples -1: never analysed
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples < 0"
                " AND relname = ANY(%s)",
                [tables],
            )
            return sorted(name for (name,) in cursor.fetchall())
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return sorted(tables)
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return sorted(set(tables) - {name for (name,) in cursor.fetchall()})


def measure_imports(campaign: dict[str, Path]) -> list[Row]:
    floor_name = "COPY" if connection.vendor == "postgresql" else "executemany"
    rows, checked, unanalysed = [], [], []
    for kind, path in campaign.items():
        before = _high_water()
        result = import_in_process(kind, path)
        if not result["ok"]:
            raise SystemExit(f"The {kind} import failed: {result['errors']}")
        elapsed = result["seconds"]
        if kind not in TIMED_KINDS:
            print(f"  imported {kind} in {ms(elapsed)} (not timed in the table)", flush=True)
            continue
        written, empty = _written(before)
        data_tables = [table for table, *_ in written if table in DATA_TABLES]
        checked += data_tables
        unanalysed += _without_statistics(data_tables)
        floor, count, parts = floor_copy(written, empty)
        if connection.vendor == "postgresql":
            # TRUNCATE took the statistics away: give them back whether or not the import
            # left some (without them one API query of the reads takes minutes at 10x).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(data_tables)}")
        tables = ", ".join(f"{table} {ms(seconds)}" for table, seconds in parts.items())
        own = parts.get(RECORD_TABLES[kind])
        narrow = (
            f"; {times(elapsed / own)} the file's rows into {RECORD_TABLES[kind]} alone"
            if own
            else ""
        )
        rows.append(
            Row(
                f"import {kind}",
                f"{ms(elapsed)}, peak {size(result['peak'])} "
                f"(+{size(result['peak'] - result['before'])})",
                f"{ms(floor)} ({floor_name})",
                times(elapsed / floor),
                f"goal <= 10x, peak < 250 MB; floor: {count:,} rows: {tables}{narrow}",
            )
        )
        print(f"  {rows[-1].what}: {rows[-1].project} | {rows[-1].floor}", flush=True)
    if connection.vendor == "postgresql":
        after = "the benchmark ran ANALYZE after each import's floor"
    else:
        after = "SQLite plans without them; the benchmark leaves them so"
    missing = f"missing on {len(unanalysed)} of {len(checked)}" if unanalysed else "present on all"
    rows.append(
        Row(
            "planner statistics left by the imports",
            f"{missing} ({', '.join(checked)})",
            "",
            "",
            f"{after}; goal: statistics refreshed after a large import",
        )
    )
    return rows


# --- Figures against raw SQL ----------------------------------------------------------------------


def median_time(call, repeats: int) -> tuple[float, float]:
    """(first call's time, median of the `repeats` calls after it)."""
    started = time.perf_counter()
    call()
    first = time.perf_counter() - started
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        runs.append(time.perf_counter() - started)
    return first, statistics.median(runs)


def _sql(query: str, params=None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def busiest_month():
    row = (
        Claim.objects.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n", "month")
        .first()
    )
    return row["month"], row["n"]


def month_counts_sql(start: str, end: str) -> list:
    """The counts behind a month's figures, in one query: claims received, approved assessments
    and reopenings (by outcome, with killed and injured), strikes and engagements; each in the
    month and before it."""
    c, a = Claim._meta.db_table, Assessment._meta.db_table
    r, s = Reopening._meta.db_table, Strike._meta.db_table
    query = f"""
        SELECT 'received', NULL, received_on >= %s, COUNT(*), 0, 0
          FROM {c} WHERE received_on <= %s GROUP BY 3
        UNION ALL
        SELECT 'assessed', outcome, assessed_on >= %s, COUNT(*), SUM(civilians_killed),
               SUM(civilians_injured)
          FROM {a} WHERE state = 'approved' AND assessed_on <= %s GROUP BY 2, 3
        UNION ALL
        SELECT 'reopened', a.outcome, r.reopened_on >= %s, COUNT(*), SUM(a.civilians_killed),
               SUM(a.civilians_injured)
          FROM {r} r JOIN {a} a ON a.id = r.assessment_id WHERE r.reopened_on <= %s GROUP BY 2, 3
        UNION ALL
        SELECT 'strikes', NULL, date >= %s, COUNT(*), SUM(engagements), 0
          FROM {s} WHERE date <= %s GROUP BY 3
    """
    return _sql(query, [start, end] * 4)


def series_sql() -> list:
    """Every month's counts and running totals in one grouped query with window functions."""
    c, a = Claim._meta.db_table, Assessment._meta.db_table
    r, s = Reopening._meta.db_table, Strike._meta.db_table
    if connection.vendor == "postgresql":
        month = "date_trunc('month', {})::date"
    else:
        month = "strftime('%Y-%m', {})"
    query = f"""
        WITH events AS (
            SELECT {month.format("received_on")} AS m, 'received' AS kind, '' AS outcome,
                   COUNT(*) AS n, 0 AS killed, 0 AS injured
              FROM {c} GROUP BY 1
            UNION ALL
            SELECT {month.format("assessed_on")}, 'assessed', outcome, COUNT(*),
                   SUM(civilians_killed), SUM(civilians_injured)
              FROM {a} WHERE state = 'approved' GROUP BY 1, 3
            UNION ALL
            SELECT {month.format("r.reopened_on")}, 'reopened', a.outcome, COUNT(*),
                   SUM(a.civilians_killed), SUM(a.civilians_injured)
              FROM {r} r JOIN {a} a ON a.id = r.assessment_id GROUP BY 1, 3
            UNION ALL
            SELECT {month.format("date")}, 'strikes', '', COUNT(*), SUM(engagements), 0
              FROM {s} GROUP BY 1
        )
        SELECT m, kind, outcome, n,
               SUM(n) OVER (PARTITION BY kind, outcome ORDER BY m),
               SUM(killed) OVER (PARTITION BY kind, outcome ORDER BY m),
               SUM(injured) OVER (PARTITION BY kind, outcome ORDER BY m)
          FROM events ORDER BY m, kind, outcome
    """
    return _sql(query)


def measure_figures(month, repeats: int) -> list[Row]:
    start = month.isoformat()
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end = (following - datetime.timedelta(days=1)).isoformat()
    period = month.strftime("%Y-%m")
    rows = []
    with CaptureQueriesContext(connection) as queries:
        month_figures(period=period)
    first, project = median_time(lambda: month_figures(period=period), repeats)
    _, floor = median_time(lambda: month_counts_sql(start, end), repeats)
    rows.append(
        Row(
            f"month_figures({period})",
            f"{ms(project)}, {len(queries)} queries",
            f"{ms(floor)}, 1 query (raw SQL counts)",
            times(project / floor),
            f"first call {ms(first)}; the busiest month",
        )
    )

    def computed():  # a new data version first: the series is computed, not read back
        data_version.changed()
        return month_series()

    with CaptureQueriesContext(connection) as queries:
        series = computed()
    first, project = median_time(computed, repeats)
    _, cached = median_time(month_series, repeats)
    _, floor = median_time(series_sql, repeats)
    rows.append(
        Row(
            "month_series()",
            f"{ms(project)}, {len(queries)} queries",
            f"{ms(floor)}, 1 query (GROUP BY + window)",
            times(project / floor),
            f"first call {ms(first)}; {len(series)} months; read back from the cache until the "
            f"next write: {ms(cached)}",
        )
    )
    return rows


# --- Pages and API, in process --------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    seconds: float
    first_byte: float
    size: int
    queries: int
    body: bytes
    headers: dict


def fetch(client: Client, url: str, keep: bool = True) -> Fetched:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            chunks = iter(response.streaming_content)
            first = next(chunks, b"")
            first_byte = time.perf_counter() - started
            total, kept = len(first), [first]
            for chunk in chunks:
                total += len(chunk)
                if keep:
                    kept.append(chunk)
            body = b"".join(kept)
        else:
            body = response.content
            first_byte, total = time.perf_counter() - started, len(body)
        elapsed = time.perf_counter() - started
    headers = {key.lower(): value for key, value in response.items()}
    return Fetched(response.status_code, elapsed, first_byte, total, len(queries), body, headers)


def timed(client: Client, url: str, repeats: int) -> tuple[Fetched, Fetched]:
    """(the first, cold, answer; the answer of median time of `repeats` more)."""
    first = fetch(client, url)
    if first.status != 200:
        return first, first
    return first, _median([fetch(client, url) for _ in range(repeats)])


def _median(runs: list):
    """The run (a Fetched or a Sink) of median time."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def timed_against(client: Client, url: str, floor_url: str, repeats: int):
    """(the project's first answer, its median, the floor's median): the two asked in turn, so
    that whatever else the machine does weighs on both alike."""
    first = fetch(client, url)
    fetch(client, floor_url)  # its warm-up
    if first.status != 200:
        return first, first, first
    project, floor = [], []
    for _ in range(repeats):
        project.append(fetch(client, url))
        floor.append(fetch(client, floor_url))
    return first, _median(project), _median(floor)


def measure_api(client: Client, repeats: int) -> list[Row]:
    rows = []
    # Lists answer in milliseconds: more turns than the pages, for a steadier median.
    turns = max(repeats, 21)
    for what, url, bare in (
        ("/api/v1/strikes/", "/api/v1/strikes/", "/bench/values/strikes/"),
        (
            "/api/v1/claims/?page_size=1000",
            "/api/v1/claims/?page_size=1000",
            "/bench/values/claims/?page_size=1000",
        ),
    ):
        first, project, floor = timed_against(client, url, bare, turns)
        if project.status != 200:
            rows.append(na(what, f"answered {project.status}"))
            continue
        rows.append(
            Row(
                what,
                f"{ms(project.seconds)}, {project.queries} queries, {size(project.size)}",
                f"{ms(floor.seconds)} (bare .values())",
                times(project.seconds / floor.seconds),
                f"first {ms(first.seconds)}; medians of {turns} turns each; goal <= 1.5x",
            )
        )
    rows.extend(measure_deep_pages(client, repeats))
    return rows


def _next_link(fetched: Fetched) -> str | None:
    try:
        data = json.loads(fetched.body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("next", "next_cursor_url"):
            if isinstance(data.get(key), str):
                return data[key]
        links = data.get("links")
        if isinstance(links, dict) and isinstance(links.get("next"), str):
            return links["next"]
    match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', fetched.headers.get("link", ""))
    return match.group(1) if match else None


def _local(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    query = {key: value for key, value in query.items() if value is not None}
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def measure_deep_pages(client: Client, repeats: int) -> list[Row]:
    rows = []
    _, page1 = timed(client, "/api/v1/claims/", repeats)
    if page1.status != 200:
        return [na("deep page of /api/v1/claims/", f"page 1 answered {page1.status}")]
    data = json.loads(page1.body)
    count, results = data.get("count"), data.get("results") or []
    if isinstance(count, int) and results:
        last = math.ceil(count / len(results))
        url = f"/api/v1/claims/?page={last}"
        _, deep = timed(client, url, repeats)
        rows.append(
            Row(
                f"/api/v1/claims/?page={last:,} (last)",
                f"{ms(deep.seconds)}, {deep.queries} queries"
                if deep.status == 200
                else f"answered {deep.status}",
                f"{ms(page1.seconds)} (page 1)",
                times(deep.seconds / page1.seconds) if deep.status == 200 else "n/a",
                "goal: a deep page costs what page 1 costs",
            )
        )
    else:
        rows.append(na("deep page by number", "page 1 has no count to find the last page"))
    rows.append(measure_cursor(client, page1, repeats))
    return rows


def measure_cursor(client: Client, page1: Fetched, repeats: int) -> Row:
    """The deepest page reached by following `next` cursors (with page_size=1000, to walk fast),
    asked with the default page size."""
    what = "deep page by cursor"
    start = None
    for probe in (page1, fetch(client, "/api/v1/claims/?cursor=")):
        link = _next_link(probe) if probe.status == 200 else None
        if link and re.search(r"[?&]cursor=", link):
            start = link
            break
    if start is None:
        return na(what, "no ?cursor= in the API's next links: cursor pagination not offered")
    deepest, steps = None, 0
    for page_size in ("1000", None):  # big pages to walk fast; the default if refused
        link, steps = _with_query(_local(start), page_size=page_size), 0
        while link and steps < 2000:
            fetched = fetch(client, link, keep=True)
            if fetched.status != 200:
                break
            deepest, steps = link, steps + 1
            following = _next_link(fetched)
            link = _with_query(_local(following), page_size=page_size) if following else None
        if deepest is not None:
            break
    if deepest is None:
        return na(what, f"the first cursor link ({_local(start)}) did not answer 200")
    url = _with_query(deepest, page_size=None)
    _, deep = timed(client, url, repeats)
    return Row(
        what,
        f"{ms(deep.seconds)}, {deep.queries} queries",
        f"{ms(page1.seconds)} (page 1)",
        times(deep.seconds / page1.seconds),
        f"{url}, reached after {steps:,} pages of {page_size or 'the default size'}",
    )


# --- Exports against COPY TO STDOUT / a cursor read -----------------------------------------------


class Sink:
    """A file that counts what is written and when the first byte came."""

    def __init__(self, started: float):
        self.started, self.size, self.first_byte = started, 0, None

    def write(self, data):
        if self.first_byte is None:
            self.first_byte = time.perf_counter() - self.started
        self.size += len(data)
        return len(data)


def _strike_columns() -> list[tuple[str, str]]:
    """(public name, SQL expression) of the strikes' public columns, the belligerent's name."""
    belligerent = Belligerent._meta.db_table
    columns = []
    for name in public_fields(Strike):
        field = Strike._meta.get_field(name)
        if field.is_relation:
            name_of = f'SELECT b.name FROM "{belligerent}" b WHERE b.id = s."{field.column}"'
            columns.append((name, f"({name_of})"))
        else:
            columns.append((name, f's."{field.column}"'))
    return columns


def _strikes_select(columns) -> str:
    order = ", ".join(
        f's."{Strike._meta.get_field(o.lstrip("-")).column}"{" DESC" if o.startswith("-") else ""}'
        for o in StrikeViewSet.ordering
    )
    selected = ", ".join(sql for _, sql in columns)
    return f'SELECT {selected} FROM "{Strike._meta.db_table}" s ORDER BY {order}'


@contextmanager
def _as_exports():
    """A cursor that reads as the exports do: in a transaction, JIT off on PostgreSQL (the
    export's plan is cheap to run and slow to compile: claims.api.views.streamed)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        yield cursor


def _csv_floor(sql: str, params, header: list[str]) -> Sink:
    """The rows of `sql` as CSV: COPY TO STDOUT on PostgreSQL, else a cursor and csv.writer."""
    sink = Sink(time.perf_counter())
    with _as_exports() as cursor:
        if connection.vendor == "postgresql":
            query = cursor.cursor.mogrify(sql, params).decode()
            cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
        else:
            cursor.execute(sql, params)
            writer = csv.writer(sink)
            writer.writerow(header)
            while batch := cursor.fetchmany(2000):
                writer.writerows(batch)
    sink.seconds = time.perf_counter() - sink.started
    return sink


def floor_csv_query() -> Sink:
    """COPY TO STDOUT of the export's own query: its rows and columns as the export reads them
    (claims.api.rows, text where PostgreSQL writes it), the linked claims' refs included, which
    `floor_csv`'s columns leave out; the links and the formula check are the export's alone."""
    reader = rows_of(StrikeViewSet.serializer_class)
    queryset = querysets.public_strikes().order_by(*StrikeViewSet.ordering)
    rows, _ = reader.select(queryset, as_text=True)
    return _csv_floor(*rows.query.sql_with_params(), reader.names)


def floor_csv() -> Sink:
    columns = _strike_columns()
    return _csv_floor(_strikes_select(columns), None, [name for name, _ in columns])


def floor_geojson() -> Sink:
    columns = [(n, sql) for n, sql in _strike_columns()]
    sink = Sink(time.perf_counter())
    if connection.vendor == "postgresql":
        properties = ", ".join(f"'{name}', {sql}" for name, sql in columns)
        feature = (
            "json_build_object('type', 'Feature', 'geometry', json_build_object('type', 'Point',"
            " 'coordinates', json_build_array(s.longitude, s.latitude)), 'properties',"
            f" json_build_object({properties}))"
        )
        select = _strikes_select([("feature", feature)])
        sink.write(b'{"type": "FeatureCollection", "features": [\n')
        with _as_exports() as cursor:
            cursor.cursor.copy_expert(f"COPY ({select}) TO STDOUT", sink)
        sink.write(b"]}\n")
    else:
        select = _strikes_select(columns)
        names = [name for name, _ in columns]
        sink.write('{"type": "FeatureCollection", "features": [\n')
        with _as_exports() as cursor:
            cursor.execute(select)
            while batch := cursor.fetchmany(2000):
                for values in batch:
                    record = dict(zip(names, values, strict=True))
                    point = [record["longitude"], record["latitude"]]
                    geometry = {"type": "Point", "coordinates": point}
                    feature = {"type": "Feature", "geometry": geometry, "properties": record}
                    sink.write(json.dumps(feature, default=str) + ",\n")
        sink.write("]}\n")
    sink.seconds = time.perf_counter() - sink.started
    return sink


EXPORT_TURNS = 3


def measure_exports(client: Client) -> list[Row]:
    rows = []
    strikes = Strike.objects.count()
    copy = connection.vendor == "postgresql"
    for what, url, floor, floor_name in (
        ("strikes CSV export", "/api/v1/strikes/?format=csv", floor_csv, "csv.writer"),
        ("strikes GeoJSON export", "/api/v1/strikes/?format=geojson", floor_geojson, "json"),
    ):
        floor_name = "COPY TO STDOUT" if copy else f"cursor + {floor_name}"
        with PeakMemory() as memory:
            project = fetch(client, url, keep=False)
        if project.status != 200:
            rows.append(na(what, f"{url} answered {project.status}"))
            continue
        # Then in turn with the floor: one export's time varied by 40% between runs alone.
        projects, sinks = [project], [floor()]
        for _ in range(EXPORT_TURNS - 1):
            projects.append(fetch(client, url, keep=False))
            sinks.append(floor())
        project, sink = _median(projects), _median(sinks)
        notes = ""
        if floor is floor_csv:  # against the export's own query too
            own = _median([floor_csv_query() for _ in range(EXPORT_TURNS)])
            notes = (
                f"{times(project.seconds / own.seconds)} against {ms(own.seconds)}, "
                f"{floor_name} of the export's own query (with the linked claims' refs); "
            )
        rows.append(
            Row(
                what,
                f"{ms(project.seconds)}, {strikes / project.seconds:,.0f} rows/s, first byte "
                f"{ms(project.first_byte)}, {size(project.size)}",
                f"{ms(sink.seconds)}, {strikes / sink.seconds:,.0f} rows/s ({floor_name})",
                times(project.seconds / sink.seconds),
                f"{notes}{memory}; medians of {EXPORT_TURNS} turns each; goal <= 3x, "
                "first byte < 200 ms",
            )
        )
        print(f"  {rows[-1].what}: {rows[-1].project} | {rows[-1].floor}", flush=True)
    return rows


# --- Pages: size, queries, time against the goals -------------------------------------------------


def _data_links(page: bytes) -> list[str]:
    """Addresses in the page's data-* attributes and script tags that are not static files."""
    text = page.decode("utf-8", "replace")
    found = re.findall(r'\sdata-[\w-]+="(/[^"]*)"', text)
    found += re.findall(r'<script[^>]*\ssrc="(/[^"]*)"', text)
    static = settings.STATIC_URL
    static = static if static.startswith("/") else "/" + static
    links = []
    for link in map(html.unescape, found):
        if not link.startswith(static) and link not in links and "{" not in link:
            links.append(link)
    return links


def measure_map(client: Client, repeats: int) -> Row:
    first, page = timed(client, "/map/", repeats)
    if page.status != 200:
        return na("/map/ + first data load", f"/map/ answered {page.status}")
    data, data_url, tried = None, None, []
    links = _data_links(page.body)
    clusters = re.search(rb'data-clusters-url="([^"]*)"', page.body)
    if clusters:  # what the map asks first: the clusters of its first view (desktop, zoom 7)
        link = html.unescape(clusters.group(1).decode())
        link += ("&" if "?" in link else "?") + "zoom=7&view=35.6,29.0,48.7,37.5"
        links.insert(0, link)
    for link in links:
        answer = fetch(client, link)
        tried.append(f"{link} {answer.status}")
        if answer.status == 200 and "json" in answer.headers.get("content-type", ""):
            _, data = timed(client, link, repeats)
            data_url = link
            break
    total = page.size + (data.size if data else 0)
    project = f"{size(page.size)}, {page.queries} q, {ms(page.seconds)}"
    if data:
        project += f" + data {size(data.size)}, {data.queries} q, {ms(data.seconds)}"
        notes = f"data: {data_url}"
    else:
        notes = "no data address in the page (data-* or script): the page alone"
    return Row(
        "/map/ + first data load",
        project,
        "300 KB (goal)",
        times(total / (300 * KB)),
        f"{notes}; first {ms(first.seconds)}",
    )


def measure_month_page(client: Client, month, repeats: int) -> Row:
    url = f"/reports/{month.year}/{month.month:02d}/"
    first, page = timed(client, url, repeats)
    if page.status != 200:
        return na(url, f"answered {page.status}")
    return Row(
        f"{url} (busiest month)",
        f"{size(page.size)}, {page.queries} queries, {ms(page.seconds)}",
        "200 KB, 9 queries (goal)",
        times(page.size / (200 * KB)),
        f"first {ms(first.seconds)}, {first.queries} queries",
    )


# --- Load under gunicorn --------------------------------------------------------------------------


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{settings.get('HOST') or '127.0.0.1'}{port}/{settings['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn():
    """`make serve`'s server (gunicorn.conf.py, 3 workers, DEBUG off, collected static files) on
    the benchmark's database, on a free loopback port."""
    port = _free_port()
    env = os.environ | {
        "DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "3",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited at start") from None
                time.sleep(0.5)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wrk(url: str, seconds: int) -> tuple[float, int]:
    """(requests a second, answers that were not 2xx/3xx or timed out)."""
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "60s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return rate, sum(int(found.group(1)) for found in (errors, timeouts) if found)


def measure_load(month, seconds: int) -> list[Row]:
    month_url = f"/reports/{month.year}/{month.month:02d}/"
    urls = ["/healthz", "/", month_url, "/api/v1/reports/summary/"]
    if shutil.which("wrk") is None:
        return [na(f"req/s {url}", "wrk is not installed (apt-get install -y wrk)") for url in urls]
    rows = []
    with gunicorn() as base:
        rates = {}
        for url in urls:
            with urllib.request.urlopen(base + url, timeout=120) as answer:
                answer.read()  # warm up, and a 200 (urlopen raises otherwise)
            rates[url] = wrk(base + url, seconds)
            print(f"  req/s {url}: {rates[url][0]:,.1f}", flush=True)
    healthz, _ = rates["/healthz"]
    for url in urls:
        rate, errors = rates[url]
        notes = f"{errors:,} answers not 2xx/3xx or timed out; " if errors else ""
        if url == "/healthz":
            what = "req/s /healthz (gunicorn, 3 workers)"
            rows.append(Row(what, f"{rate:,.1f}", "", "", notes.rstrip("; ")))
            continue
        goal = "goal >= 0.5" if url in ("/", "/api/v1/reports/summary/") else ""
        rows.append(
            Row(
                f"req/s {url}",
                f"{rate:,.1f}",
                f"{healthz:,.1f} (/healthz)",
                f"{rate / healthz:.2f}" if rate >= healthz / 10 else f"{rate / healthz:.3f}",
                f"{notes}{goal}".strip("; "),
            )
        )
    return rows


# --- The table ------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = ["| what | project | floor | ratio | notes |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        cells = (row.what, row.project, row.floor, row.ratio, row.notes)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def run(scale: int, repeats: int, load_seconds: int, skip_load: bool) -> str:
    campaign = write_campaign(scale, SCRATCH / "campaign")
    print(f"campaign x{scale} in {SCRATCH}; importing on {connection.vendor}", flush=True)
    rows = measure_imports(campaign)
    counts = (
        f"{Strike.objects.count():,} strikes, {Claim.objects.count():,} claims, "
        f"{Assessment.objects.count():,} assessments"
    )
    month, received = busiest_month()
    print(f"{counts}; busiest month {month:%Y-%m} ({received:,} claims received)", flush=True)
    rows += measure_figures(month, repeats)
    client = Client()
    with override_settings(ROOT_URLCONF="bench.urls"):
        rows += measure_api(client, repeats)
        rows += measure_exports(client)
        rows.append(measure_map(client, repeats))
        rows.append(measure_month_page(client, month, repeats))
    if skip_load:
        rows.append(na("req/s under gunicorn", "skipped (--no-load)"))
    else:
        rows += measure_load(month, load_seconds)
    header = (
        f"Scale x{scale} ({counts}) on {connection.vendor}, commit {_commit()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()} "
        f"({os.cpu_count()} cores). `make bench SCALE={scale}`; times are medians of "
        f"{repeats} requests after a warm-up; ratio = project / floor."
    )
    return header + "\n\n" + table(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the demo campaign")
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per address")
    parser.add_argument("--load-seconds", type=int, default=10, help="wrk's run per address")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load test")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    setup_test_environment()
    # Probes of optional features answer 400 or 404 by design: no warning lines for them.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    # The in-process pages use plain static storage, as the tests do (no collected manifest).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(SCRATCH / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        report = run(args.scale, args.repeats, args.load_seconds, args.no_load)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(SCRATCH, ignore_errors=True)
        forget_throttle()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"scale-{args.scale}-{connection.vendor}.md"
    path.write_text(report, encoding="utf-8")
    print("\n" + report + f"\n(written to {path})")


if __name__ == "__main__":
    main()

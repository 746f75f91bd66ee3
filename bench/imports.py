"""Time the CSV imports against the database writing the same rows directly.

`python bench/imports.py [--scale N]` replicates the demo campaign (demo/data/) N times (1 by
default) with refs made unique per copy, imports strikes, claims and assessments into a throwaway
database (a temporary SQLite file, or a `test_…` database on the server DATABASE_URL names), and
prints for each: the import's time, the floor (the same rows written into an empty copy of the
table: COPY on PostgreSQL, executemany on SQLite, in the same run), their ratio, and the peak
memory (maxrss) of the process that imported, each kind in a process of its own.

The files are bench/campaign.py's (as `make bench`'s). For other benchmarks: `time_import(kind,
path)` imports one and returns its figures (in this process: its maxrss is the process's peak).
`BENCH_PROJECT=/path/to/checkout` measures another checkout's importer with this script.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("BENCH_PROJECT") or HERE)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from claims.importers import import_csv  # noqa: E402

sys.path.insert(0, str(HERE / "bench"))
from campaign import write_campaign  # noqa: E402

KINDS = ("strikes", "claims", "assessments")
# The table each kind's rows land in: what the floor writes again.
TABLES = {"strikes": "claims_strike", "claims": "claims_claim", "assessments": "claims_assessment"}


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_import(kind: str, path: Path) -> dict:
    """Import the file (timed), then time the floor: the rows it wrote to its main table, written
    again into an empty copy of that table by the database's fastest way in."""
    table = TABLES[kind]
    before = _max_id(table)
    rss_before = maxrss_mb()
    started = time.perf_counter()
    result = import_csv(kind, path)
    seconds = time.perf_counter() - started
    peak = maxrss_mb()  # before the floor, which holds the rows in memory
    assert result.ok, result.errors[:5]
    floor = floor_seconds(table, after_id=before)
    return {
        "kind": kind,
        "rows": result.rows,
        "seconds": seconds,
        "floor": floor,
        "ratio": seconds / floor,
        "rss_before_mb": rss_before,
        "peak_mb": peak,
    }


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        return cursor.fetchone()[0]


def floor_seconds(table: str, *, after_id: int) -> float:
    """Seconds to write the table's rows with id > after_id (all columns but the id) into an
    empty table of the same definition: COPY from memory on PostgreSQL, executemany on SQLite;
    one transaction, committed."""
    copy = f"bench_floor_{table}"
    with connection.cursor() as cursor:
        skipped = {"id", *_generated_columns(cursor, table)}  # the copy computes those itself
        cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
        columns = [d[0] for d in cursor.description if d[0] not in skipped]
        names = ", ".join(f'"{c}"' for c in columns)
        chosen = f'SELECT {names} FROM "{table}" WHERE "id" > {after_id:d} ORDER BY "id"'
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            cursor.cursor.copy_expert(f"COPY ({chosen}) TO STDOUT", buffer)
            cursor.execute(f'CREATE TABLE "{copy}" (LIKE "{table}" INCLUDING ALL)')
            try:
                buffer.seek(0)
                started = time.perf_counter()
                with transaction.atomic():
                    cursor.cursor.copy_expert(f'COPY "{copy}" ({names}) FROM STDIN', buffer)
                return time.perf_counter() - started
            finally:
                cursor.execute(f'DROP TABLE "{copy}"')
        cursor.execute(chosen)
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table]
        )
        definitions = [sql.replace(f'"{table}"', f'"{copy}"') for (sql,) in cursor.fetchall()]
        for number, sql in enumerate(definitions):  # index names are unique in a database
            if sql.startswith("CREATE") and " INDEX " in sql:
                definitions[number] = sql.replace('INDEX "', f'INDEX "{copy}_', 1)
        for sql in definitions:
            cursor.execute(sql)
        try:
            placeholders = ", ".join("%s" for _ in columns)
            started = time.perf_counter()
            with transaction.atomic():
                cursor.executemany(f'INSERT INTO "{copy}" ({names}) VALUES ({placeholders})', rows)
            return time.perf_counter() - started
        finally:
            cursor.execute(f'DROP TABLE "{copy}"')


def _generated_columns(cursor, table: str) -> list[str]:
    """The table's generated columns (status, search_text...), which no COPY or INSERT names."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attgenerated <> ''",
            [f'"{table}"'],
        )
        return [name for (name,) in cursor.fetchall()]
    cursor.execute(f'PRAGMA table_xinfo("{table}")')  # hidden: 2 virtual, 3 stored
    return [row[1] for row in cursor.fetchall() if row[6] in (2, 3)]


def _child(kind: str, path: str) -> None:
    print(json.dumps(time_import(kind, Path(path))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _child(*options.child)
        return
    with tempfile.TemporaryDirectory() as directory:
        paths = write_campaign(options.scale, directory)
        env = dict(os.environ)
        if connection.vendor == "sqlite":
            database = str(Path(directory) / "bench.sqlite3")
            connection.settings_dict["TEST"]["NAME"] = env["SQLITE_PATH"] = database
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        if connection.vendor == "postgresql":
            settings = connection.settings_dict
            password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
            env["DATABASE_URL"] = (
                f"postgres://{settings['USER']}{password}@{settings['HOST']}:"
                f"{settings['PORT']}/{settings['NAME']}"
            )
        connection.close()
        try:
            print(f"scale {options.scale} on {connection.vendor}, DEBUG off")
            print(
                f"{'import':<12} {'rows':>9} {'project s':>10} {'floor s':>8} {'ratio':>7} "
                f"{'peak MB':>8} {'(start MB)':>10}"
            )
            for kind in KINDS:
                output = subprocess.run(
                    [sys.executable, __file__, "--child", kind, str(paths[kind])],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                r = json.loads(output.strip().splitlines()[-1])
                print(
                    f"{kind:<12} {r['rows']:>9,} {r['seconds']:>10.2f} {r['floor']:>8.2f} "
                    f"{r['ratio']:>6.1f}x {r['peak_mb']:>8.0f} {r['rss_before_mb']:>10.0f}"
                )
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""The backup and restore recipes of docs/deploy.md, round trip: a migrated database with a
record in it is backed up, restored elsewhere, and every table has the same rows.

SQLite: the online backup API (Python's, and the sqlite3 shell's `.backup` when installed).
PostgreSQL (slow): pg_dump --format=custom and pg_restore into a scratch database on the server
DATABASE_URL names (or 127.0.0.1:5432 as postgres); skipped with a reason when the binaries or the
server are missing, failed instead under CI."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADD_RECORD = (
    "from claims.models import Belligerent; Belligerent.objects.create(name='Backup round trip')"
)


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def project_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(SECRET_KEY="x", **extra)
    return env


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


# --- SQLite --------------------------------------------------------------------------------------
def sqlite_counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        # The CHECK constraints call REGEXP, a function Django adds to its connections.
        db.create_function(
            "REGEXP",
            2,
            lambda pattern, value: value is not None and bool(re.search(pattern, value)),
        )
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables
        }


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    env = project_env(SQLITE_PATH=str(path))
    manage(env, "migrate", "--no-input")
    manage(env, "shell", "-c", ADD_RECORD)
    return path


def assert_same_records(original, restored):
    counts = sqlite_counts(original)
    assert counts["claims_belligerent"] == 1
    assert counts["django_migrations"] > 10
    assert sqlite_counts(restored) == counts
    with sqlite3.connect(restored) as db:
        assert db.execute("SELECT name FROM claims_belligerent").fetchall() == [
            ("Backup round trip",)
        ]


def test_sqlite_backup_api_round_trip(sqlite_database, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    # docs/deploy.md: python -c "import sqlite3; sqlite3.connect(SRC).backup(sqlite3.connect(DST))"
    with sqlite3.connect(sqlite_database) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    restored = tmp_path / "restored" / "db.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)
    assert_same_records(sqlite_database, restored)


@pytest.mark.skipif(not shutil.which("sqlite3"), reason="the sqlite3 shell is not installed")
def test_sqlite_shell_backup_and_restore_round_trip(sqlite_database, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    restored = tmp_path / "restored.sqlite3"
    subprocess.run(["sqlite3", str(sqlite_database), f".backup '{backup}'"], check=True)
    subprocess.run(["sqlite3", str(restored), f".restore '{backup}'"], check=True)
    assert_same_records(sqlite_database, restored)


# --- PostgreSQL ----------------------------------------------------------------------------------
def server_url() -> str:
    url = os.environ.get("DATABASE_URL") or ""
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def pg_counts(url) -> dict[str, int]:
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(name for (name,) in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    db.close()
    return counts


@pytest.mark.slow
def test_postgresql_pg_dump_and_pg_restore_round_trip(tmp_path):
    import psycopg2

    for binary in ("pg_dump", "pg_restore"):
        if not shutil.which(binary):
            unavailable(f"{binary} is not installed (apt-get install postgresql-client)")
    server = server_url()
    try:
        admin = psycopg2.connect(f"{server}/postgres", connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL does not answer at {server}: {error}")
    admin.autocommit = True
    suffix = uuid.uuid4().hex[:8]
    source, target = f"backup_src_{suffix}", f"backup_dst_{suffix}"
    dump = tmp_path / "claims.dump"
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{source}"')
            cursor.execute(f'CREATE DATABASE "{target}"')
        env = project_env(DATABASE_URL=f"{server}/{source}")
        manage(env, "migrate", "--no-input")
        manage(env, "shell", "-c", ADD_RECORD)

        # docs/deploy.md's commands.
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", f"{server}/{source}"], check=True
        )
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={server}/{target}", str(dump)], check=True
        )

        counts = pg_counts(f"{server}/{source}")
        assert counts["claims_belligerent"] == 1
        assert counts["django_migrations"] > 10
        assert pg_counts(f"{server}/{target}") == counts
        # The restored copy is usable by the project as it is: no migration is missing.
        manage(project_env(DATABASE_URL=f"{server}/{target}"), "migrate", "--check")
    finally:
        with admin.cursor() as cursor:
            for name in (source, target):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

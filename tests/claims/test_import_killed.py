"""An import killed outright (kill -9) while it writes leaves nothing behind: it writes in one
transaction, so the database rolls it back. Run against a real SQLite file in another process."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.claims.csv_files import STRIKES_HEADER, strike_rows

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env, **kwargs):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True, **kwargs
    )


def test_an_import_killed_while_it_writes_leaves_nothing(tmp_path):
    database = tmp_path / "killed.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "SQLITE_PATH": str(database),
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
    }
    assert manage("migrate", "--no-input", env=env, stdout=subprocess.DEVNULL).wait() == 0
    path = tmp_path / "strikes.csv"
    path.write_text(STRIKES_HEADER + strike_rows(60_000))

    process = manage("import_csv", "strikes", str(path), env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    for line in process.stderr:  # progress: "... rows validated", then "... writing 60,000 strikes"
        if "writing 60,000 strikes" in line:
            break
        assert time.monotonic() < deadline, "the import never reached its write"
    time.sleep(0.5)  # well into the write
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL

    with sqlite3.connect(database) as connection:
        counts = [
            connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("claims_strike", "claims_historicalstrike", "claims_belligerent")
        ]
    assert counts == [0, 0, 0]

"""Time the strikes import: `python bench/import_strikes.py [N]` (N synthetic strikes, 30,000).

Runs against a throwaway database made by Django's test machinery, never the real one: a
temporary SQLite file by default, or a `test_…` database on the server DATABASE_URL names.
Prints rows a second for a dry run (read and validate) and for the full import (and write).
"""

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from claims.importers import import_csv  # noqa: E402
from claims.models import Strike  # noqa: E402

HEADER = [
    "strike_ref",
    "date",
    "country",
    "province",
    "locality",
    "latitude",
    "longitude",
    "belligerent",
    "target",
    "munition",
    "engagements",
    "source_url",
]
BELLIGERENTS = ["Coalition", "United States", "United Kingdom", "France"]


def write_strikes(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for n in range(count):
            writer.writerow(
                [
                    f"S-{n:07d}",
                    f"2017-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                    "IQ" if n % 3 else "SY",
                    "Ninawa",
                    "Mosul" if n % 2 else "",
                    f"{36 + n % 1000 / 1000:.6f}",
                    f"{43 + n % 997 / 1000:.6f}",
                    BELLIGERENTS[n % len(BELLIGERENTS)],
                    "ISIS fighting position",
                    "F-15E / GBU-38",
                    n % 4 + 1,
                    f"https://example.org/strikes/{n}",
                ]
            )


def timed(label: str, count: int, **options) -> None:
    started = time.perf_counter()
    result = import_csv("strikes", options.pop("path"), **options)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    print(f"{label:<28} {elapsed:6.2f} s  {count / elapsed:9,.0f} rows/s   {result.summary}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "strikes.csv"
        write_strikes(path, count)
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(directory) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            print(f"{count:,} strikes on {connection.vendor} ({connection.settings_dict['NAME']})")
            timed("dry run (read + validate)", count, path=path, dry_run=True)
            timed("import (validate + write)", count, path=path)
            assert Strike.objects.count() == count
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

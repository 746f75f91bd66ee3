"""Import one CSV file in a process of its own and print, as JSON, how long it took and the
process's peak memory: `python bench/import_one.py KIND FILE` (bench/scale.py runs it, with
DATABASE_URL naming its throwaway database, so that each import's peak is its own).
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")

import django  # noqa: E402

django.setup()

from claims.importers import import_csv  # noqa: E402


def memory(field: str) -> int:
    """VmRSS or VmHWM (the peak) of this process, in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def main(kind: str, path: str) -> None:
    before = memory("VmRSS")
    started = time.perf_counter()
    result = import_csv(kind, path)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "ok": result.ok,
                "errors": result.errors[:5],
                "seconds": seconds,
                "before": before,
                "peak": memory("VmHWM"),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])

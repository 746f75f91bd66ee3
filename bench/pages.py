"""Time the public pages and the API on the demo campaign: `python bench/pages.py [REPEATS]`.

Loads the demo campaign (34,763 strikes, 2,896 claims) into a throwaway database made by Django's
test machinery, never the real one (a temporary SQLite file, or a `test_…` database on the server
DATABASE_URL names), then requests each page and endpoint REPEATS times (default 7) in process
with Django's test client, anonymously. Prints, per address: the median and slowest time, the
number of queries and the size of the answer. Exports are read to the end (streamed).
"""

import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from claims.models import Claim  # noqa: E402

ADDRESSES = [
    "/",
    "/reports/",
    "/reports/2017/03/",
    "/claims/",
    "/claims/?outcome=credible&country=SY",
    "/claims/{claim}/",
    "/map/",
    "/comparison/",
    "/methodology/",
    "/api/v1/claims/",
    "/api/v1/claims/?page_size=1000",
    "/api/v1/claims/{claim}/",
    "/api/v1/strikes/?page_size=1000",
    "/api/v1/reports/monthly/",
    "/api/v1/reports/monthly/2017-03/",
    "/api/v1/reports/summary/",
    "/api/v1/reports/comparison/",
    "/api/v1/claims/?format=csv",
    "/api/v1/strikes/?format=csv",
    "/api/v1/claims/?format=geojson",
]


def fetch(client: Client, address: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(address)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (address, response.status_code, body[:300])
    return elapsed, len(queries), len(body)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    setup_test_environment()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # Per second: the throttle's list of recent requests stays short (bench/scale.py).
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/s", "user": "1000000/s"},
    }
    with tempfile.TemporaryDirectory() as directory:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(directory) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            started = time.perf_counter()
            call_command("load_demo", stdout=StringIO(), stderr=StringIO())
            print(
                f"demo campaign on {connection.vendor}: loaded in "
                f"{time.perf_counter() - started:.1f} s; {repeats} requests per address\n"
            )
            claim = Claim.objects.filter(assessments__isnull=False).order_by("claim_ref").first()
            client = Client()
            print(f"{'address':<42} {'median':>9} {'slowest':>9} {'queries':>8} {'size':>10}")
            for template in ADDRESSES:
                address = template.format(claim=claim.claim_ref)
                fetch(client, address)  # warm up (template and schema caches)
                runs = [fetch(client, address) for _ in range(repeats)]
                times = sorted(run[0] for run in runs)
                _, queries, size = runs[-1]
                print(
                    f"{address:<42} {statistics.median(times) * 1000:7.0f} ms "
                    f"{times[-1] * 1000:6.0f} ms {queries:8d} {size / 1024:8,.0f} KB"
                )
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

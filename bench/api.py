"""The API lists and exports against the database doing the same work directly.

    python bench/api.py [--scale N] [--repeats R] [--keep]

Loads the demo campaign into a throwaway database made by Django's test machinery (a temporary
SQLite file, or a `test_…` database on the server DATABASE_URL names), copies its rows SCALE-1
more times with new refs (`replicate`, plain SQL on both databases), then prints one row per
measure: project / floor / ratio.

- Each list endpoint (default page, page_size=1000, a deep page by number and by cursor) against
  a bare view of the same rows: one `.values()` query of the same columns (and one for the linked
  refs), dumped as JSON. Both through Django's test client, in the same run; the API's count is
  cached per data version (`casualty_tracker.data_version`), so its first request after a change
  is shown separately ("cold").
- The strikes CSV and GeoJSON exports against `COPY (SELECT ...) TO STDOUT` on PostgreSQL, or a
  plain cursor's fetchall written by csv.writer on SQLite; the time to the first byte, and the
  peak memory the export allocated (tracemalloc).

The measuring functions (`measure_lists`, `measure_exports`) take a Django test client and return
`Row`s, for bench/campaign.py to call on a database it filled itself.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")
# Anonymous reads are throttled (100/min): not while measuring.
os.environ.setdefault("API_ANON_RATE", "1000000/min")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

from casualty_tracker import data_version  # noqa: E402
from claims.api import views  # noqa: E402
from claims.api.pagination import Cursor, keys_of  # noqa: E402
from claims.api.rows import rows_of  # noqa: E402

# Columns copied per table; refs get a suffix, foreign keys are mapped through the refs.
STRIKE_COLUMNS = (
    "country, province, locality, latitude, longitude, precision, date, target, munition, "
    "engagements, source_url, created_at, updated_at, belligerent_id"
)
CLAIM_COLUMNS = (
    "country, province, locality, latitude, longitude, precision, received_on, incident_date, "
    "source_type, source_name, source_url, civilians_killed_min, civilians_killed_max, "
    "civilians_injured_min, civilians_injured_max, killed_children, killed_women, killed_men, "
    "summary, confidential_notes, created_at, updated_at, belligerent_id, assignee_id, stage, "
    "version"
)
ASSESSMENT_COLUMNS = (
    "sequence, outcome, reason, civilians_killed, civilians_injured, rationale, assessed_on, "
    "diligence_strike_video, diligence_personnel_interviewed, diligence_local_language_search, "
    "diligence_map_search, diligence_witness_interviewed, diligence_site_visit, "
    "diligence_ngo_information, created_at, assessed_by_id, decided_at, decided_by_id, "
    "proposed_at, return_comment, state, version, batch_id"
)
EXTERNAL_COLUMNS = (
    "organisation, grade, civilians_killed_min, civilians_killed_max, assessed_on, url, created_at"
)


def _prefixed(columns: str, alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


def replicate(scale: int) -> None:
    """Copy the campaign's strikes, claims, links, assessments, reopenings and outside findings
    `scale - 1` more times, each copy's refs suffixed "-R<k>"; then refresh the statistics."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM claims_strike")
        (last_strike,) = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM claims_claim")
        (last_claim,) = cursor.fetchone()
        for k in range(2, scale + 1):
            suffix = f"-R{k}"
            with transaction.atomic():
                _copy(cursor, suffix, last_strike, last_claim)
        cursor.execute("ANALYZE")
    data_version.changed()  # a bulk write sends no signal


def _copy(cursor, suffix: str, last_strike: int, last_claim: int) -> None:
    sql = [
        f"""INSERT INTO claims_strike (strike_ref, {STRIKE_COLUMNS})
            SELECT s.strike_ref || %(suffix)s, {_prefixed(STRIKE_COLUMNS, "s")}
            FROM claims_strike s WHERE s.id <= %(last_strike)s""",
        f"""INSERT INTO claims_claim (claim_ref, {CLAIM_COLUMNS})
            SELECT c.claim_ref || %(suffix)s, {_prefixed(CLAIM_COLUMNS, "c")}
            FROM claims_claim c WHERE c.id <= %(last_claim)s""",
        """INSERT INTO claims_claim_strikes (claim_id, strike_id)
            SELECT nc.id, ns.id FROM claims_claim_strikes cs
            JOIN claims_claim c ON c.id = cs.claim_id
            JOIN claims_strike s ON s.id = cs.strike_id
            JOIN claims_claim nc ON nc.claim_ref = c.claim_ref || %(suffix)s
            JOIN claims_strike ns ON ns.strike_ref = s.strike_ref || %(suffix)s
            WHERE c.id <= %(last_claim)s""",
        f"""INSERT INTO claims_assessment (claim_id, duplicate_of_id, {ASSESSMENT_COLUMNS})
            SELECT nc.id, nd.id, {_prefixed(ASSESSMENT_COLUMNS, "a")}
            FROM claims_assessment a
            JOIN claims_claim c ON c.id = a.claim_id
            JOIN claims_claim nc ON nc.claim_ref = c.claim_ref || %(suffix)s
            LEFT JOIN claims_claim d ON d.id = a.duplicate_of_id
            LEFT JOIN claims_claim nd ON nd.claim_ref = d.claim_ref || %(suffix)s
            WHERE c.id <= %(last_claim)s""",
        """INSERT INTO claims_reopening
                (claim_id, assessment_id, sequence, reopened_on, reason, created_at,
                 reopened_by_id, batch_id)
            SELECT nc.id, na.id, r.sequence, r.reopened_on, r.reason, r.created_at,
                r.reopened_by_id, r.batch_id
            FROM claims_reopening r
            JOIN claims_claim c ON c.id = r.claim_id
            JOIN claims_assessment a ON a.id = r.assessment_id
            JOIN claims_claim nc ON nc.claim_ref = c.claim_ref || %(suffix)s
            JOIN claims_assessment na ON na.claim_id = nc.id AND na.sequence = a.sequence
            WHERE c.id <= %(last_claim)s""",
        f"""INSERT INTO claims_externalassessment (claim_id, {EXTERNAL_COLUMNS})
            SELECT nc.id, {_prefixed(EXTERNAL_COLUMNS, "e")}
            FROM claims_externalassessment e
            JOIN claims_claim c ON c.id = e.claim_id
            JOIN claims_claim nc ON nc.claim_ref = c.claim_ref || %(suffix)s
            WHERE c.id <= %(last_claim)s""",
    ]
    params = {"suffix": suffix, "last_strike": last_strike, "last_claim": last_claim}
    for statement in sql:
        cursor.execute(statement, params)


# The lists: path -> its view set (the floor reads the same queryset, filters and order).
LISTS = {
    "strikes": views.StrikeViewSet,
    "claims": views.ClaimViewSet,
    "assessments": views.AssessmentViewSet,
    "external-assessments": views.ExternalAssessmentViewSet,
}


@dataclass
class Row:
    """One measure: the project's figure, the floor's (the database doing the same work
    directly), their ratio. `unit`: ms, s or MB."""

    name: str
    project: float
    floor: float | None
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        return self.project / self.floor if self.floor else None

    def __str__(self) -> str:
        floor = f"{self.floor:10.1f} {self.unit:<2}" if self.floor is not None else " " * 13
        ratio = f"{self.ratio:6.2f}x" if self.ratio is not None else ""
        return f"{self.name:<52} {self.project:10.1f} {self.unit:<2} {floor} {ratio}"


def _base(name: str):
    """The list's filtered, ordered queryset as the view set builds it (no filters given)."""
    viewset = LISTS[name]()
    viewset.action = "list"
    return viewset.get_queryset().order_by(*viewset.ordering), viewset.get_serializer_class()


def floor_view(request, name: str):
    """A bare view of the same rows: one `.values()` query of the list's columns (linked refs
    and latest findings included, as subqueries), no count, no framework; JSON."""
    queryset, serializer = _base(name)
    reader = rows_of(serializer)
    size = int(request.GET.get("page_size") or 50)
    rows = queryset.prefetch_related(None).annotate(**reader.annotations)
    rows = rows.values(*reader.columns)[:size]
    return JsonResponse(list(rows), safe=False)


def _urlconf() -> None:
    """The project's URLs plus the floor views, for the test client."""
    module = ModuleType("bench_api_urls")
    # The site's patterns themselves, not include()d: i18n_patterns must be in the root URLconf.
    site = import_module(settings.ROOT_URLCONF).urlpatterns
    module.urlpatterns = [path("bench/floor/<str:name>/", floor_view), *site]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def _request(client: Client, address: str) -> float:
    started = time.perf_counter()
    response = client.get(address)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (address, response.status_code, body[:300])
    return elapsed


def _timed(client: Client, *addresses: str, repeats: int) -> list[float]:
    """The fastest of `repeats` requests of each address, in ms, the addresses taking turns
    (after one round to warm up): on a shared machine the fastest run is the least disturbed,
    and taking turns exposes project and floor to the same load."""
    times = [[] for _ in addresses]
    for round_ in range(repeats + 1):
        for index, address in enumerate(addresses):
            elapsed = _request(client, address)
            if round_:
                times[index].append(elapsed)
    return [min(each) for each in times]


def _deep_cursor(name: str, size: int) -> str:
    """A cursor at the middle of the list, as a walk by `next` links would reach it."""
    queryset, serializer = _base(name)
    keys = keys_of(queryset)
    rows, positions = rows_of(serializer).select(queryset, [key.column for key in keys])
    middle = queryset.count() // 2 // size * size
    row = rows[middle - 1]
    signature = ",".join(("-" if k.descending else "") + k.column for k in keys)
    return Cursor.encode(signature, [row[i] for i in positions], False)


def measure_lists(client: Client, repeats: int = 7) -> list[Row]:
    """Each list: default page, page_size=1000, a deep page by number and by cursor, against
    the bare view of the same rows (deep pages against the first page's floor)."""
    _urlconf()
    results = []
    for name in LISTS:
        api, floor = f"/api/v1/{name}/", f"/bench/floor/{name}/"
        count = client.get(api).json()["count"]
        for size in (50, 1000):
            deep = max(1, count // size // 2)
            cursor = _deep_cursor(name, size)
            floor_ms, warm, by_number, by_cursor = _timed(
                client,
                f"{floor}?page_size={size}",
                f"{api}?page_size={size}",
                f"{api}?page_size={size}&page={deep}",
                f"{api}?page_size={size}&cursor={cursor}",
                repeats=repeats,
            )
            data_version.changed()  # the first read after a write counts the rows
            cold = _request(client, f"{api}?page_size={size}")
            results += [
                Row(f"{name} page_size={size}", warm, floor_ms),
                Row(f"{name} page_size={size}, first after a write", cold, floor_ms),
                Row(f"{name} page_size={size} page {deep}", by_number, floor_ms),
                Row(f"{name} page_size={size} cursor at page {deep}", by_cursor, floor_ms),
            ]
    return results


def _copy_floor(name: str) -> tuple[float, float]:
    """The database writing the export's rows itself: (seconds, first byte in ms). PostgreSQL:
    COPY (the export's SELECT) TO STDOUT as CSV; SQLite: a plain cursor, fetchall, csv.writer."""
    queryset, serializer = _base(name)
    selected, _ = rows_of(serializer).select(queryset)
    sql, params = selected.query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = cursor.mogrify(sql, params).decode()
            sink = _FirstByte(started)
            cursor.execute("SET jit = off")  # as the export runs it
            cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
            cursor.execute("RESET jit")
            first = sink.first
        else:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            first = (time.perf_counter() - started) * 1000
            csv.writer(io.StringIO()).writerows(rows)
    return time.perf_counter() - started, first


class _FirstByte:
    def __init__(self, started: float):
        self.started, self.first = started, None

    def write(self, data) -> int:
        if self.first is None:
            self.first = (time.perf_counter() - self.started) * 1000
        return len(data)


def _export(client: Client, address: str, *, memory: bool = False) -> tuple[float, float, float]:
    """(seconds, first row in ms, peak MB allocated while streaming if `memory`). The first
    row: GeoJSON's first chunk, its opening, comes before any query."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(address)
    first = None
    size = 0
    for chunk in response.streaming_content:
        if first is None and (b'"Feature"' in chunk or b"geojson" not in address.encode()):
            first = (time.perf_counter() - started) * 1000
        size += len(chunk)
    elapsed = time.perf_counter() - started
    peak = 0.0
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert response.status_code == 200 and size > 0
    return elapsed, first, peak


def measure_exports(client: Client, memory: bool = True, repeats: int = 3) -> list[Row]:
    """The strikes CSV and GeoJSON exports against the database writing the same rows (the
    fastest of `repeats`, taking turns)."""
    results = []
    for format_ in ("csv", "geojson"):
        address = f"/api/v1/strikes/?format={format_}"
        _export(client, address)  # the count, once per data version
        runs, floors = [], []
        for _ in range(repeats):
            floors.append(_copy_floor("strikes"))
            runs.append(_export(client, address))
        floor_s, floor_first = min(floors)[0], min(each[1] for each in floors)
        elapsed, first = min(run[0] for run in runs), min(run[1] for run in runs)
        results.append(Row(f"strikes {format_} export", elapsed, floor_s, "s"))
        results.append(Row(f"strikes {format_} export: first byte", first, floor_first))
        if memory:
            peak = _export(client, address, memory=True)[2]
            results.append(
                Row(f"strikes {format_} export: peak memory (tracemalloc)", peak, None, "MB")
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the demo campaign")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--existing", action="store_true", help="measure the DATABASE_URL database as it is"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    options = parser.parse_args()
    setup_test_environment()
    with tempfile.TemporaryDirectory() as directory:
        old_name = None
        if not options.existing:
            if connection.vendor == "sqlite":
                connection.settings_dict["TEST"]["NAME"] = str(Path(directory) / "bench.sqlite3")
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            if not options.existing:
                started = time.perf_counter()
                call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
                replicate(options.scale)
                print(f"demo x{options.scale} loaded in {time.perf_counter() - started:.0f} s")
            data_version.changed()  # counts cached for another database or before a copy
            strikes = connection.cursor()
            strikes.execute("SELECT count(*) FROM claims_strike")
            print(f"{connection.vendor}, {strikes.fetchone()[0]:,} strikes\n")
            print(f"{'measure':<52} {'project':>13} {'floor':>13} {'ratio':>7}")
            client = Client()
            for row in measure_lists(client, options.repeats):
                print(row, flush=True)
            exports = measure_exports(client, not options.no_memory, options.repeats)
            for row in exports:
                print(row, flush=True)
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""An import's memory does not grow with its file: the file is read as a stream (checked, then
parsed), and the rows parsed wait for the write in a temporary file, a batch at a time in memory.
What still grows is an index of the refs read (a duplicate names its first row): about 100 bytes
a row. bench/imports.py measures the peak of whole imports at the demo's scale and ten times it."""

import gc
import tracemalloc

import pytest

from claims.importers import base, import_csv
from claims.models import Strike
from tests.claims.csv_files import STRIKES_HEADER, strike_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # tracemalloc slows Python ~3x


def _peak_of_import(tmp_path, rows: int) -> tuple[int, int]:
    """The import's peak of memory allocated by Python, and the file's size, in bytes."""
    path = tmp_path / f"strikes-{rows}.csv"
    path.write_text(STRIKES_HEADER + strike_rows(rows), encoding="utf-8")
    Strike.objects.all().delete()
    base._is_url.cache_clear()  # bounded (4,096 URLs), but filled by earlier tests or not
    # The same start whatever ran before in this process: garbage waiting for the collector
    # (and when the collector next runs) moved the small import's peak by 1 MB between runs.
    gc.collect()
    tracemalloc.start()
    try:
        result = import_csv("strikes", path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.counts["strikes"] == rows, result.errors[:3]
    return peak, path.stat().st_size


def test_import_memory_does_not_grow_with_the_file(tmp_path):
    _peak_of_import(tmp_path, 100)  # what the first import allocates once (modules, caches)
    small, small_size = _peak_of_import(tmp_path, 3_000)
    large, large_size = _peak_of_import(tmp_path, 30_000)

    assert large_size > 9 * small_size  # ten times the rows, 3.3 MB
    # Ten times the rows: the peak grows by the refs' index only (measured ~100 bytes a row on
    # SQLite, ~152 on PostgreSQL; the rows as model instances took ~20 times the file), over a
    # fixed part (a batch of rows, ~5 MB).
    assert large < 2 * small, (small, large)
    assert large - small < 200 * (30_000 - 3_000), (small, large)

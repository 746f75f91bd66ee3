"""Exports on PostgreSQL read the next chunk of rows in a thread while the last is written
(claims.api.views.read_ahead): the same rows in the same order, a failure raised to the reader,
nothing left behind when the reader stops early, and never more than a few chunks in memory."""

import threading

import pytest
from django.db import OperationalError, connection

from claims.api import renderers, views
from claims.api.views import read_ahead
from tests.api.test_exports import download, many_strikes, read_csv


def counted(items, produced: list, finished: list):
    try:
        for item in items:
            produced.append(item)
            yield item
    finally:
        finished.append(True)


def readers_alive() -> int:
    return sum(t.name == "export-read-ahead" for t in threading.enumerate())


@pytest.mark.parametrize("count", [0, 2, 3, 9, 10, 1000])
def test_the_rows_come_in_order_whatever_their_number(count):
    assert list(read_ahead(iter(range(count)), 3)) == list(range(count))
    assert readers_alive() == 0


def test_a_failure_while_reading_ahead_is_raised_after_the_rows_before_it():
    def failing():
        yield from range(7)
        raise OperationalError("server closed the connection unexpectedly")

    got = []
    with pytest.raises(OperationalError, match="server closed the connection"):
        for item in read_ahead(failing(), 3):
            got.append(item)
    assert got == list(range(6))  # the chunk with the failure is not handed out
    assert readers_alive() == 0


def test_a_reader_that_stops_early_stops_the_thread_and_closes_the_rows():
    produced, finished = [], []
    rows = read_ahead(counted(range(10_000), produced, finished), 10)
    taken = [next(rows) for _ in range(25)]
    assert taken == list(range(25))
    # Read ahead: the chunk being used, one waiting, one being read, no more.
    assert len(produced) <= 25 + 3 * 10
    rows.close()
    assert finished == [True]
    assert readers_alive() == 0
    assert len(produced) <= 25 + 3 * 10


@pytest.fixture
def read_ahead_export(monkeypatch):
    """450 strikes exported 7 rows a fetch (so in 65 fetches), on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("read ahead is PostgreSQL's (a server-side cursor)")
    many_strikes()
    monkeypatch.setattr(views, "CHUNK_SIZE", 7)


@pytest.mark.django_db
def test_a_postgresql_export_read_ahead_is_the_export_read_in_turn(
    client, read_ahead_export, monkeypatch
):
    """The strikes CSV byte for byte the CSV read one chunk after the other."""
    used = []

    def spied(rows, size):
        used.append(size)
        yield from read_ahead(rows, size)

    monkeypatch.setattr(views, "read_ahead", spied)
    ahead = download(client, "/api/v1/strikes/", format="csv")[1]
    assert used == [7]
    monkeypatch.setattr(views, "read_ahead", lambda rows, size: rows)
    in_turn = download(client, "/api/v1/strikes/", format="csv")[1]
    assert ahead == in_turn
    assert len(read_csv(ahead)[1]) == 450
    assert readers_alive() == 0


def open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        return cursor.fetchone()[0]


# Committed, as in production: an export's own transaction is then the outermost, and the end
# of a request may close the connection. Flushed afterwards, the migrations' rows restored for
# the tests after.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@COMMITTED
def test_an_export_left_early_ends_its_read_its_cursor_and_its_transaction(
    client, read_ahead_export
):
    response = client.get("/api/v1/strikes/", {"format": "csv"})
    assert next(iter(response)).startswith(b"strike_ref,")
    assert readers_alive() == 1
    assert connection.in_atomic_block
    response.close()  # the client went away: the WSGI server closes the response
    assert readers_alive() == 0
    assert not connection.in_atomic_block
    assert open_cursors() == 0
    assert client.get("/api/v1/strikes/", {"format": "csv"})["X-Total-Count"] == "450"


@COMMITTED
def test_a_failure_in_writing_the_rows_ends_their_read_at_once(
    client, read_ahead_export, monkeypatch
):
    """Not when the failure's traceback is freed: the generators that read the rows are closed
    as the failure passes (claims.api.renderers.aborted_on_failure)."""
    csv_chunks = renderers.csv_chunks

    def failing_after_100_rows(header, rows, *heads, **options):
        for n, line in enumerate(csv_chunks(header, rows, *heads, **options)):
            if n == 1:
                raise ValueError("a row could not be written")
            yield line

    monkeypatch.setattr(renderers, "csv_chunks", failing_after_100_rows)
    monkeypatch.setattr(renderers, "FLUSH_EVERY", 100)
    response = client.get("/api/v1/strikes/", {"format": "csv"})
    with pytest.raises(ValueError, match="could not be written") as failure:
        b"".join(response.streaming_content)
    assert failure.value  # the traceback, and the frames in it, still alive here
    assert readers_alive() == 0
    assert open_cursors() == 0

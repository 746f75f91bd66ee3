"""The project's WSGI application with a slow or failing export, served by gunicorn in
test_export_server.py. EXPORT_FAULT=slow: each row of a CSV export takes 2 ms; EXPORT_FAULT=fail:
the database "goes away" after 300 rows. Chunks of 10 rows, so the client gets some before."""

import os
import time

from django.db import OperationalError

from casualty_tracker.wsgi import application  # noqa: F401  (served by gunicorn)
from claims.api import renderers

FAULT = os.environ["EXPORT_FAULT"]
csv_chunks = renderers.csv_chunks


def faulty(rows):
    for n, row in enumerate(rows):
        if FAULT == "fail" and n == 300:
            raise OperationalError("server closed the connection unexpectedly")
        if FAULT == "slow":
            time.sleep(0.002)
        yield row


renderers.FLUSH_EVERY = 10
renderers.csv_chunks = lambda header, rows, *heads, **options: csv_chunks(
    header, faulty(rows), *heads, **options
)

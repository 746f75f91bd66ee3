"""Export formats: CSV, HXL and GeoJSON, streamed row by row in constant memory.

A list endpoint asked for `?format=csv`, `hxl` or `geojson` answers with the whole filtered set
(not a page), read from the database in chunks and written as it comes. The CSV header is the
import contract's column names where the records have one (claims/api/columns.py), the JSON
field names otherwise; a list becomes its items joined with ";", an empty value an empty cell,
and a text cell that a spreadsheet would run as a formula gets a leading ' (`inert`). HXL is the
same CSV with a row of HXL hashtags under the header (the Humanitarian Exchange Language). GeoJSON
is a FeatureCollection of Points [longitude, latitude] for the rows that have coordinates, each
with the row's JSON fields as its properties (`url` and `api_url` among them), and the data's
licence as its "license" member.

An export never looks complete when it is not. The number of rows is counted before the first is
written and sent in the X-Total-Count header; GeoJSON ends with the members numberMatched (that
count) and numberReturned (the features written), after the last feature, so a cut file is not
valid JSON. A failure while streaming (the database gone, a worker killed) is logged and raised
out of the response's iterator: the WSGI server then drops the connection without the final chunk
of the chunked response, and the client reads an incomplete response, never a clean short file.
"""

import csv
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from operator import itemgetter

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from casualty_tracker.opendata import licence

CHUNK_SIZE = 2000  # rows fetched from the database at a time (a server-side cursor on PostgreSQL)
FLUSH_EVERY = 200  # rows per chunk of the response
TOTAL_HEADER = "X-Total-Count"  # the number of rows the export will have

logger = logging.getLogger(__name__)


# OWASP's CSV injection: a spreadsheet runs a cell that begins with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# In a line of cells joined by commas: a cell after the first that may start a formula.
_FORMULA_AFTER_COMMA = re.compile(",[-=+@\t\r]")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def inert(text: str) -> str:
    """A text cell no spreadsheet runs as a formula: one that begins with = + - @, a tab or a
    carriage return gets a leading ' (OWASP's advice), which a spreadsheet shows as text. A
    plain number written as text ("-3", "-3.5") is left alone: it is read as that number, which
    runs nothing. The ' is then part of the cell for any other reader (the README says so)."""
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join("" if item is None else _text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)
    return str(value)


def cell(value) -> str:
    """One CSV cell from a JSON value: numbers as they are (a longitude of -3.5 stays a number),
    everything else as text made inert. Every CSV the project writes is made of these cells."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return inert(_text(value))


def flat(row: dict, prefix: str = "") -> dict:
    """Nested objects as dotted keys: {"cumulative": {"open": 3}} -> {"cumulative.open": 3}."""
    result = {}
    for key, value in row.items():
        if isinstance(value, dict):
            result.update(flat(value, f"{prefix}{key}."))
        else:
            result[f"{prefix}{key}"] = value
    return result


class _Line:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _lists_joined(rows: Iterable[list], lists: Sequence[int]) -> Iterator[list]:
    """Rows of JSON values (claims.api.rows) with their lists (of text) as one cell each."""
    for values in rows:
        for index in lists:
            values[index] = ";".join(values[index])
        yield values


def _joined(row: Sequence) -> str:
    try:  # text alone (an export's row read as text from PostgreSQL, mostly)
        return ",".join(row)
    except TypeError:
        return ",".join(
            ["" if cell is None else cell if type(cell) is str else str(cell) for cell in row]
        )


def csv_lines(rows: Iterable[Sequence], *, inert_text: bool = False) -> Iterator[str]:
    """Each row's line exactly as csv.writer (the excel dialect) writes it, faster: that dialect
    quotes a cell only when it holds a comma, a quote or a line break (or is the one empty cell
    of its line), so a line of cells with none is its cells (str(), None as "") joined with
    commas, which is three times cheaper than csv.writer's scan of every character (the demo's
    34,763 strikes: 181 ms of CPU down to 58); any other line is csv.writer's own.

    `inert_text`: each text cell (a str) made `inert` as well, as every export's must be. Only
    a line where a formula could start (at its start, or after a comma) is looked at cell by
    cell: one search of the joined line instead of a check of each cell. (An export read as
    text from PostgreSQL has its numbers and dates as text too: `inert` leaves a plain number
    alone, and a date never starts a formula.)"""
    writerow = csv.writer(_Line()).writerow
    formula_after_comma = _FORMULA_AFTER_COMMA.search
    for row in rows:
        line = _joined(row)
        if inert_text and (line.startswith(FORMULA_START) or formula_after_comma(line)):
            row = [inert(cell) if type(cell) is str else cell for cell in row]
            line = _joined(row)
        # No cell held a comma (one between each two), a quote or a line break.
        if (
            len(row) > 1
            and line.count(",") == len(row) - 1
            and not ('"' in line or "\n" in line or "\r" in line)
        ):
            yield line + "\r\n"
        else:
            yield writerow(row)


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence], *heads: Sequence, inert_text: bool = False
) -> Iterator[str]:
    """The CSV text of the header, the `heads` (rows under it: HXL's hashtags) and the rows
    (sequences of cells; `inert_text`: see csv_lines), in chunks of FLUSH_EVERY lines."""
    writer = csv.writer(_Line())
    buffer = [writer.writerow(header), *map(writer.writerow, heads)]
    for line in csv_lines(rows, inert_text=inert_text):
        buffer.append(line)
        if len(buffer) >= FLUSH_EVERY:
            yield "".join(buffer)
            buffer = []
    yield "".join(buffer)


def geojson_chunks(rows: Iterable[dict], id_field: str, total: int) -> Iterator[str]:
    encoder = JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    # The data's licence as a foreign member (RFC 7946 6.1), as in the Link header.
    yield f'{{"type":"FeatureCollection","license":{encoder.encode(licence())},"features":['
    features, separator, written = [], "", 0
    for row in rows:
        features.append(
            {
                "type": "Feature",
                "id": row[id_field],
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": row,
            }
        )
        if len(features) >= FLUSH_EVERY:
            # One encoder call for the chunk (its list's brackets dropped), not one per feature.
            yield separator + encoder.encode(features)[1:-1]
            separator = ","
            written += len(features)
            features = []
    last = separator + encoder.encode(features)[1:-1] if features else ""
    written += len(features)
    yield last + f'],"numberMatched":{total},"numberReturned":{written}}}'


def aborted_on_failure(chunks: Iterator[str], filename: str, rows=None) -> Iterator[str]:
    """The chunks; a failure is logged and raised again, never turned into a clean end.

    `rows`, the generator of the rows the chunks are written from, is closed however they end:
    when writing a row fails, the generators that read them are left suspended (their cursor,
    transaction and read-ahead thread with them: claims.api.views) for as long as the
    failure's traceback lives."""
    try:
        yield from chunks
    except GeneratorExit:  # the client went away: nothing failed here
        raise
    except BaseException:  # SystemExit too: gunicorn's timeout ends a worker with it
        logger.exception("Export %s failed mid-stream: the connection is aborted.", filename)
        raise
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


class StreamingRenderer(BaseRenderer):
    """A format that list views stream themselves (PublicViewSet.list); render() serves the
    rest. stream(reader, rows, filename=, total=, id_field=, layout=): `reader` the
    claims.api.rows.Rows of the list, `rows` each row's JSON values, `total` the number of
    rows, `layout` the export's columns (claims.api.columns.Layout) or None."""

    charset = "utf-8"
    extension = ""
    as_text = False  # whether its rows may hold dates and decimals as text (Rows.select)

    def response(
        self, chunks: Iterator[str], filename: str, total: int, rows=None
    ) -> StreamingHttpResponse:
        """The streamed answer of `chunks`, written from `rows` (closed at the end)."""
        response = StreamingHttpResponse(
            aborted_on_failure(chunks, f"{filename}.{self.extension}", rows),
            content_type=f"{self.media_type}; charset={self.charset}",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.{self.extension}"'
        response[TOTAL_HEADER] = str(total)
        return response


class CSVRenderer(StreamingRenderer):
    media_type = "text/csv"
    format = "csv"
    extension = "csv"
    as_text = True  # a cell is text: str() of a date or decimal, or the database's same text

    def stream(self, reader, rows: Iterable[list], *, filename, total, id_field, layout=None):
        """`rows`: the JSON values of each row in `reader`'s field order (claims.api.rows),
        written in the `layout`'s columns if there is one."""
        lines = _lists_joined(rows, reader.lists)
        if layout is None:
            chunks = csv_chunks(reader.names, lines, inert_text=True)
            return self.response(chunks, filename, total, rows)
        pick = itemgetter(*layout.positions(reader.names))
        heads = self.heads(layout)
        chunks = csv_chunks(layout.names, map(pick, lines), *heads, inert_text=True)
        return self.response(chunks, filename, total, rows)

    def heads(self, layout) -> list[Sequence[str]]:
        """The rows under the header."""
        return []

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """A small in-memory list of rows (a report series), nested objects as dotted keys."""
        rows = [flat(row) for row in data]
        if not rows:
            return b""
        header = list(rows[0])
        lines = ([cell(row.get(name)) for name in header] for row in rows)
        return "".join(csv_chunks(header, lines)).encode(self.charset)


class HXLRenderer(CSVRenderer):
    """The CSV export with the HXL hashtag of each column in the row under the header."""

    media_type = "application/vnd.hxl+csv"
    format = "hxl"
    extension = "hxl.csv"

    def heads(self, layout) -> list[Sequence[str]]:
        return [layout.tags]

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("HXL is a list export only (PublicViewSet.list streams it).")


class GeoJSONRenderer(StreamingRenderer):
    media_type = "application/geo+json"
    format = "geojson"
    extension = "geojson"

    def stream(self, reader, rows: Iterable[list], *, filename, total, id_field, layout=None):
        names, plain = reader.names, reader.plain
        features = (dict(zip(names, plain(values), strict=True)) for values in rows)
        chunks = geojson_chunks(features, id_field, total)
        return self.response(chunks, filename, total, rows)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, cls=JSONEncoder, ensure_ascii=False).encode(self.charset)

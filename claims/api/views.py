"""The records' endpoints. Everyone reads the public record, and nobody reads more than the
public record here (drafts, notes, comments and reviewers stay in the admin; reviewers' own
queue of proposals is proposals.py). Writes are in writes.py."""

import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from functools import partial
from itertools import islice
from queue import Empty, Queue

from django.db import connection, transaction
from django.utils import timezone
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import search
from ..links import site_base
from ..public import claims_shown_on_maps
from . import querysets
from .columns import Reopenings, layout_for
from .filters import (
    CLAIM_ORDERING,
    CLAIM_ORDERING_FIELDS,
    CLAIM_SEARCH_FIELDS,
    AssessmentFilter,
    BelligerentFilter,
    ClaimFilter,
    ExternalAssessmentFilter,
    StrikeFilter,
)
from .pagination import RowPagination, count_of
from .querysets import row_or_404
from .renderers import CHUNK_SIZE, CSVRenderer, GeoJSONRenderer, HXLRenderer, StreamingRenderer
from .rows import rows_of
from .serializers import (
    AssessmentSerializer,
    BelligerentSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    ExternalAssessmentSerializer,
    StrikeSerializer,
)
from .writes import AssessmentDecisions, ClaimWrites, RolePermission, StrikeWrites


def streamed(stream: Callable[[Iterator[tuple]], Iterator[list]], selected) -> Iterator[list]:
    """The rows of `selected` as JSON values (`stream` of its tuples: a Rows' `stream`), read
    CHUNK_SIZE at a time. On PostgreSQL in a
    transaction: outside one, the server-side cursor is WITH HOLD and computes every row before
    it sends the first (the first byte would wait for the whole export); without JIT: the
    linked refs' subquery makes the plan look costly, and compiling it took longer (0.9 s on
    the demo) than running it; and read ahead (`read_ahead`)."""
    if connection.vendor != "postgresql":
        yield from stream(selected.iterator(CHUNK_SIZE))
        return
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield from stream(read_ahead(selected.iterator(CHUNK_SIZE), CHUNK_SIZE))


def read_ahead(rows: Iterator, size: int) -> Iterator:
    """The items of `rows`, the next `size` of them read by a thread while this one uses the
    last: a server-side cursor computes its rows only when they are fetched, so without it the
    database waits while Python writes a chunk, and Python while the database computes the
    next (a PostgreSQL export of 350,000 strikes: 2.7 s, 1.2 of them the database's).

    The first chunk is read here, so that the query starts in this thread's connection and
    transaction; the thread then only fetches from the cursor that query opened (psycopg2
    lets go of the GIL while it waits for the server). A failure there is raised here; when
    the reader stops early (a client gone, or a failure in writing the rows: the renderers
    close their rows, claims.api.renderers.aborted_on_failure), the thread stops after the
    fetch it is in and `rows` is closed here. At most three chunks are held: the one in use,
    one waiting, one being read."""
    first = list(islice(rows, size))
    if len(first) < size:
        yield from first
        return
    chunks: Queue = Queue(maxsize=1)  # at most one chunk waiting: constant memory
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                chunk = list(islice(rows, size))
                chunks.put(chunk)
                if len(chunk) < size:
                    return
        except BaseException as error:  # raised again where the rows are used
            chunks.put(error)

    thread = threading.Thread(target=read, name="export-read-ahead", daemon=True)
    thread.start()
    try:
        yield from first
        del first
        while True:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                try:
                    raise chunk
                finally:
                    del chunk  # else the traceback keeps this frame (and its rows) alive
            yield from chunk
            if len(chunk) < size:
                return
    finally:
        stop.set()
        while thread.is_alive():  # a put() waiting for room ends when we take its chunk
            with suppress(Empty):
                chunks.get(timeout=0.05)
        thread.join()
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # an unfinished read's cursor (a finished one closed it as it ended)


class JSONErrors:
    """Errors (and OPTIONS metadata) are JSON whatever format was asked for: CSV renders only
    lists of rows, so a CSV client gets a readable error."""

    def initial(self, request, *args, **kwargs):
        # A method the endpoint lacks is a 405 before any parameter is looked at.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and isinstance(renderer, StreamingRenderer):
            is_rows = isinstance(response.data, list) and not response.exception
            if not is_rows:
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class PublicViewSet(JSONErrors, viewsets.ReadOnlyModelViewSet):
    """A list (JSON pages, or the whole filtered set streamed as CSV/GeoJSON) and a detail; the
    write mixins (writes.py) add what analysts and reviewers may do."""

    permission_classes = [RolePermission]
    pagination_class = RowPagination

    list_renderers = [JSONRenderer, CSVRenderer]
    lookup_value_regex = "[^/]+"
    ordering: list[str]  # the default order; its last column is unique (stable pages)
    ordering_fields: dict[str, str] = {}  # public name -> queryset column

    def get_renderers(self):
        renderers = self.list_renderers if self.action == "list" else [JSONRenderer]
        return [renderer() for renderer in renderers]

    def list(self, request, *args, **kwargs):
        """Rows read as tuples (claims.api.rows), not model instances: a JSON page, or the
        whole filtered set streamed as CSV, HXL or GeoJSON from a server-side cursor."""
        renderer = request.accepted_renderer
        serializer_class = self.get_serializer_class()
        reader = rows_of(serializer_class)
        queryset = self.filter_queryset(self.get_queryset())
        if not isinstance(renderer, StreamingRenderer):
            rows = self.paginator.paginate_rows(queryset, reader, request)
            return self.paginator.get_paginated_response(rows)
        self.paginator.check_parameters(request)
        if isinstance(renderer, GeoJSONRenderer):
            queryset = self.located(queryset)
        total, rows = self.exported(reader, queryset)
        name = f"{self.basename}s-{timezone.localdate().isoformat()}"
        layout = layout_for(serializer_class)
        return renderer.stream(
            reader, rows, filename=name, total=total, id_field=self.key, layout=layout
        )

    def exported(self, reader, queryset) -> tuple[int, Iterator[list]]:
        """The export's number of rows, counted before the first is sent (for the client to
        check that it got them all), and its rows."""
        selected, _ = reader.select(queryset, as_text=self.request.accepted_renderer.as_text)
        stream = partial(reader.stream, base=site_base(self.request))
        return count_of(queryset), streamed(stream, selected)

    def located(self, queryset):
        """The rows a GeoJSON export holds: those with coordinates."""
        return queryset.filter(latitude__isnull=False, longitude__isnull=False)

    @property
    def key(self) -> str:
        """The public name of the lookup ("claim_ref"; "id" where the lookup is the pk)."""
        return self.lookup_field

    def get_object(self):
        """The row, or a 404 naming what was not found (filters apply to lists only)."""
        value = self.kwargs[self.lookup_field]
        return row_or_404(self.get_queryset(), field=self.lookup_field, value=value, key=self.key)


class BelligerentViewSet(PublicViewSet):
    """Who carried out strikes, with how many strikes and claims name them."""

    serializer_class = BelligerentSerializer
    filterset_class = BelligerentFilter
    search_fields = ["name"]
    ordering = ["name", "id"]
    ordering_fields = {
        "name": "name",
        "strikes_count": "strikes_count",
        "claims_count": "claims_count",
    }
    key = "id"

    def get_queryset(self):
        return querysets.public_belligerents()


class StrikeViewSet(StrikeWrites, PublicViewSet):
    """Strikes as the belligerent recorded them, with the claims linked to each."""

    serializer_class = StrikeSerializer
    filterset_class = StrikeFilter
    list_renderers = [JSONRenderer, CSVRenderer, GeoJSONRenderer, HXLRenderer]
    lookup_field = "strike_ref"
    search_fields = ["strike_ref", "locality", "province", "target"]
    ordering = ["-date", "strike_ref"]
    ordering_fields = {"date": "date", "engagements": "engagements", "strike_ref": "strike_ref"}

    def get_queryset(self):
        return querysets.public_strikes()


class ClaimViewSet(ClaimWrites, PublicViewSet):
    """Claims of civilian harm with their current official finding: the latest approved
    assessment (outcome, reason, date, civilians killed and injured if credible)."""

    filterset_class = ClaimFilter
    list_renderers = [JSONRenderer, CSVRenderer, GeoJSONRenderer, HXLRenderer]
    lookup_field = "claim_ref"
    search_fields = CLAIM_SEARCH_FIELDS
    searcher = staticmethod(search.claims_searched)
    search_description = search.DESCRIPTION
    ordering = CLAIM_ORDERING
    ordering_fields = CLAIM_ORDERING_FIELDS

    # A single claim (read, or as written) comes with its history; list rows without.
    SINGLE = ("retrieve", "create", "partial_update")

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action in self.SINGLE else ClaimSerializer

    def get_queryset(self):
        return querysets.public_claims(detail=self.action in self.SINGLE)

    def located(self, queryset):
        return claims_shown_on_maps(queryset)  # the published position, not the recorded one


class AssessmentViewSet(AssessmentDecisions, PublicViewSet):
    """Approved assessments (the official findings), each with its claim's place and dates.
    Proposed and returned drafts are never published."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    search_fields = ["claim__claim_ref", "public_locality", "public_province", "rationale"]
    ordering = ["-assessed_on", "id"]
    ordering_fields = {
        "assessed_on": "assessed_on",
        "incident_date": "claim__incident_date",
        "received_on": "claim__received_on",
        "civilians_killed": "civilians_killed",
        "civilians_injured": "civilians_injured",
        "id": "id",
    }
    key = "id"

    def get_queryset(self):
        return querysets.public_assessments()

    def exported(self, reader, queryset):
        """The CSV is the claims' histories: each reopening a row after the assessment it
        reopened (claims.api.columns.Reopenings), in each claim's order of events unless
        `ordering` asks for another."""
        if not self.request.query_params.get("ordering"):
            queryset = queryset.order_by(*Reopenings.ordering)
        total = count_of(queryset) + count_of(queryset.filter(reopening__isnull=False))
        as_text = self.request.accepted_renderer.as_text
        selected, positions = reader.select(queryset, Reopenings.extra, as_text=as_text)
        reopenings = Reopenings(reader.names)
        base = site_base(self.request)
        return total, streamed(
            lambda rows: reopenings.rows(reader, rows, positions, base=base), selected
        )


class ExternalAssessmentViewSet(PublicViewSet):
    """Independent organisations' findings on claims (Airwars' grading scale), with the
    claim's official outcome beside them."""

    serializer_class = ExternalAssessmentSerializer
    filterset_class = ExternalAssessmentFilter
    search_fields = ["claim__claim_ref", "public_locality", "public_province", "organisation"]
    ordering = ["claim__claim_ref", "organisation", "id"]
    ordering_fields = {
        "assessed_on": "assessed_on",
        "incident_date": "claim__incident_date",
        "civilians_killed_min": "civilians_killed_min",
        "civilians_killed_max": "civilians_killed_max",
        "claim": "claim__claim_ref",
        "organisation": "organisation",
        "id": "id",
    }
    key = "id"

    def get_queryset(self):
        return querysets.public_external_assessments()

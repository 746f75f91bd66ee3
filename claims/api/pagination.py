"""Pagination: `page` (from 1) and `page_size` (1 to 1000, default 50); the public lists also
take a `cursor` instead of a page number (keyset pagination: a deep page costs what the first
costs).

A page_size outside 1..1000 or a page that is not a positive number is a 400 naming the limit,
never silently clamped: a client that asked for 5000 rows must not believe it got them all. A
page past the end is a 404 ("Invalid page."), as is a cursor that is not one of this list's
(DRF's CursorPagination answers the same) or a cursor given with a page: no such page. An empty
value means the default.

The `count` is exact and counted once per data version (`casualty_tracker.data_version`) for
each filtered set: a list read again before the next write never counts its table again.
"""

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from casualty_tracker import data_version
from claims.links import site_base

MAX_PAGE_SIZE = 1000


def count_of(queryset) -> int:
    """The number of rows of `queryset`, counted once per data version: keyed by its model, its
    database and its SQL and parameters (the normalised filters, whatever their spelling in the
    URL). Exact as long as every write makes a new data version (bulk writers call
    `data_version.changed()`)."""
    try:
        sql, params = queryset.order_by().values_list("pk").query.sql_with_params()
    except EmptyResultSet:  # the filters select nothing (e.g. an empty `__in`): no query at all
        return 0
    database = connections[queryset.db].settings_dict["NAME"]
    digest = hashlib.sha256(repr((database, sql, params)).encode()).hexdigest()
    label = queryset.model._meta.label_lower
    return data_version.cached("api-count", queryset.count, label, digest)


class ListedPage(Page):
    """Django's Page, iterated as its list: a Sequence's own iteration calls __getitem__ (and
    its checks) once per row."""

    def __iter__(self):
        if not isinstance(self.object_list, list):
            self.object_list = list(self.object_list)
        return iter(self.object_list)


class CountedPaginator(Paginator):
    """Django's Paginator, its count from `count_of` (of `counted`, the rows' queryset before
    their columns were chosen, when given: one count for every page size and page mode)."""

    def __init__(self, object_list, per_page, *args, counted=None, **kwargs):
        self.counted = object_list if counted is None else counted
        super().__init__(object_list, per_page, *args, **kwargs)

    @cached_property
    def count(self) -> int:
        return count_of(self.counted)

    def _get_page(self, *args, **kwargs):
        return ListedPage(*args, **kwargs)

    def page(self, number):
        """A page after the first reads its rows' keys past the offset first (a "deferred
        join"), then only those rows with their columns: the database skips the rows before the
        page on the order's index instead of computing each one's columns and subqueries (the
        last page of 28,960 claims: 1.1 s before, as a page-1 query on the keys after)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0 or self.counted is self.object_list:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.counted.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


def _positive(raw: str, name: str, maximum: int | None = None) -> int:
    message = f"must be a whole number from 1 to {maximum}" if maximum else "must be 1 or more"
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        raise ValidationError({name: [f"{name} {message}, not {raw!r}."]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = CountedPaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty: the default
            return self.page_size
        return _positive(raw, self.page_size_query_param, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        return _positive(raw, self.page_query_param) if raw else 1

    def check_parameters(self, request) -> None:
        """Refuse bad `page` / `page_size` values even where they are not used (exports)."""
        self.get_page_size(request)
        self.get_page_number(request, None)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (a page past the end is a 404).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page: default {self.page_size}, at most {self.max_page_size} "
                    "(a larger value is a 400, not clamped)."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


@dataclass(frozen=True)
class Key:
    """One column of a list's order, and where its empty values sort: after the others
    (`nulls_last`) or before them, in the forward order; reversed, the other way round."""

    column: str
    descending: bool
    nullable: bool
    nulls_last: bool

    def _nulls_after(self, reverse: bool) -> bool:
        return self.nullable and self.nulls_last != reverse

    def order(self, reverse: bool) -> OrderBy:
        column = F(self.column)
        descending = self.descending != reverse
        if not self.nullable:  # a plain order, which an index on the column serves
            return column.desc() if descending else column.asc()
        nulls = {"nulls_last": True} if self._nulls_after(reverse) else {"nulls_first": True}
        return column.desc(**nulls) if descending else column.asc(**nulls)

    def after(self, value, reverse: bool) -> Q | None:
        """The rows strictly after `value` in this column's order (None: no row is)."""
        nulls_after = self._nulls_after(reverse)
        if value is None:
            nulls_before = self.nullable and not nulls_after
            return Q(**{f"{self.column}__isnull": False}) if nulls_before else None
        descending = self.descending != reverse
        after = Q(**{f"{self.column}__{'lt' if descending else 'gt'}": value})
        return after | Q(**{f"{self.column}__isnull": True}) if nulls_after else after

    def bound(self, value, reverse: bool) -> Q:
        """The rows at or after `value`: a range an index can serve (value not None)."""
        descending = self.descending != reverse
        bound = Q(**{f"{self.column}__{'lte' if descending else 'gte'}": value})
        if self._nulls_after(reverse):
            bound |= Q(**{f"{self.column}__isnull": True})
        return bound

    def equal(self, value) -> Q:
        return Q(**{f"{self.column}__isnull": True} if value is None else {self.column: value})


def keys_of(queryset) -> list[Key]:
    """The order of `queryset` (order_by() strings and F() terms) as Keys; the last is unique.
    Empty values sort where the term puts them (the ordering filter: last); a plain column name
    sorts them as PostgreSQL does, as the largest values (so an index on it serves the keyset)."""
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            column, descending = term.removeprefix("-"), term.startswith("-")
            nulls_last = not descending
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            column, descending = term.expression.name, term.descending
            nulls_last = bool(term.nulls_last) or (not term.nulls_first and not descending)
        else:
            raise TypeError(f"Cannot page by cursor over the order {term!r}.")
        if column == "pk":
            column = queryset.model._meta.pk.name
        keys.append(Key(column, descending, _nullable(queryset, column), nulls_last))
    return keys


def _nullable(queryset, column: str) -> bool:
    if column in queryset.query.annotations:
        return True
    model, nullable = queryset.model, False
    for name in column.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        nullable = nullable or field.null
        model = field.related_model
    return nullable


def beyond(keys: list[Key], position: list, reverse: bool) -> Q:
    """The rows strictly after `position` (one value per key) in the keys' order, or strictly
    before it when `reverse`: keyset pagination, with the first key's range stated alone as
    well so that the database reads from the position on, not from the start."""
    clauses, equal = [], Q()
    for key, value in zip(keys, position, strict=True):
        after = key.after(value, reverse)
        if after is not None:
            clauses.append(equal & after)
        equal &= key.equal(value)
    if not clauses:
        return Q(pk__in=[])
    condition = clauses[0]
    for clause in clauses[1:]:
        condition |= clause
    if position[0] is not None:
        condition &= keys[0].bound(position[0], reverse)
    return condition


def _plain(value):
    """A key's value as JSON (decoded as text: the lookups convert it back)."""
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


class Cursor:
    """The opaque `cursor` value: the list's order, a row's key values, and the direction."""

    INVALID = (
        "Invalid cursor: use the next or previous link of a page of this list, with the same "
        "ordering."
    )

    @staticmethod
    def encode(signature: str, position: list, reverse: bool) -> str:
        data = {"o": signature, "p": [_plain(value) for value in position], "r": int(reverse)}
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str, signature: str, width: int) -> tuple[list, bool]:
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, UnicodeError, binascii.Error):
            data = None
        scalar = str | int | float | None
        if not (
            isinstance(data, dict)
            and data.get("o") == signature
            and data.get("r") in (0, 1)
            and isinstance(data.get("p"), list)
            and len(data["p"]) == width
            and all(isinstance(v, scalar) and not isinstance(v, bool) for v in data["p"])
        ):
            raise NotFound(cls.INVALID)
        return data["p"], bool(data["r"])


class RowPagination(PageNumberPagination):
    """The public lists (rows read by claims.api.rows): page numbers as before, or `cursor`,
    DRF's CursorPagination semantics on the list's order (its last column is unique): the
    `next` and `previous` links of a cursor page carry cursors, and any page's `next_cursor`
    starts a walk by cursor after it. The JSON is the same either way."""

    cursor_query_param = "cursor"

    def paginate_rows(self, queryset, reader, request) -> list[dict]:
        self.request = request
        self.keys = keys_of(queryset)
        self.signature = ",".join(("-" if k.descending else "") + k.column for k in self.keys)
        rows, self.positions = reader.select(queryset, [key.column for key in self.keys])
        token = request.query_params.get(self.cursor_query_param)
        if token:
            page = self._by_cursor(queryset, rows, token)
        else:
            self.django_paginator_class = partial(CountedPaginator, counted=queryset)
            page = self.paginate_queryset(rows, request)
            self.total = self.page.paginator.count
            self.links = (self.get_next_link(), self.get_previous_link())
            has_next = self.page.has_next() and page
            self.next_cursor = self._cursor_link(page[-1], False) if has_next else None
        return reader.dicts(page, site_base(request))

    def _by_cursor(self, queryset, rows, token: str) -> list[tuple]:
        if self.request.query_params.get(self.page_query_param):
            raise NotFound("Give a cursor or a page, not both.")
        size = self.get_page_size(self.request)
        position, reverse = Cursor.decode(token, self.signature, len(self.keys))
        order = [key.order(reverse) for key in self.keys]
        try:
            selected = rows.filter(beyond(self.keys, position, reverse)).order_by(*order)
        except (DjangoValidationError, ValueError, TypeError):
            raise NotFound(Cursor.INVALID) from None
        page = list(selected[: size + 1])
        more = len(page) > size
        page = page[:size]
        if reverse:
            page.reverse()
        has_next, has_previous = (True, more) if reverse else (more, True)
        next_link = self._cursor_link(page[-1], False) if page and has_next else None
        previous_link = self._cursor_link(page[0], True) if page and has_previous else None
        self.total = count_of(queryset)
        self.links = (next_link, previous_link)
        self.next_cursor = next_link
        return page

    def _cursor_link(self, row: tuple, reverse: bool) -> str:
        position = [row[index] for index in self.positions]
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        token = Cursor.encode(self.signature, position, reverse)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data):
        next_link, previous_link = self.links
        return Response(
            {
                "count": self.total,
                "next": next_link,
                "previous": previous_link,
                "next_cursor": self.next_cursor,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "format": "uri",
            "description": (
                "The next page by cursor (keyset pagination: as fast deep in the list as on "
                "the first page); null after the last row."
            ),
        }
        paginated["required"] = [*paginated.get("required", []), "next_cursor"]
        return paginated

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "A position in the list, from a page's `next_cursor`, `next` or `previous` "
                    "link (instead of `page`): the page after (or before) it, in the same order. "
                    "Deep pages by cursor cost what the first page costs."
                ),
                "schema": {"type": "string"},
            },
        ]

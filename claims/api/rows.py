"""List rows read as tuples (`.values_list()`), not model instances: what makes a page of 1,000
rows or an export of 350,000 cost little more than the database's own work.

The output serializer stays the one home of what a row publishes (its fields, their sources and
their schema); `Rows` compiles it once into the columns to select and the few conversions that
differ from the database's values, so the rows it makes are exactly what the serializer makes
(tests/api compare the two). Linked refs come in the same query (`querysets.linked_refs`), the
diligence steps from their boolean columns, a link (`url`, `api_url`: claims.links) from the
columns of its key, its path then prefixed with the request's scheme and host.
"""

from collections.abc import Iterable, Iterator
from functools import cache
from operator import itemgetter

from django.db import connections
from django.db.models import CharField, F, Func, TextField, Value
from django.db.models.functions import Cast
from rest_framework import serializers

from ..links import bound
from .querysets import linked_refs, refs_splitter
from .serializers import BlankAsNullChoiceField, Link, RefList, Steps

# Fields whose database value is already their JSON value (dates and decimals are encoded by the
# JSON encoder as the serializer's fields would: ISO dates, numbers).
SAME = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DecimalField,
    serializers.IntegerField,
)


def _date_text(column: str) -> Func:
    """A date as str() writes it (ISO 8601), whatever the session's DateStyle."""
    return Func(F(column), Value("YYYY-MM-DD"), function="TO_CHAR", output_field=CharField())


def _number_text(column: str) -> Cast:
    """An integer as str() writes it; a numeric as str() writes the Decimal psycopg2 makes of
    it: psycopg2 reads this same text, and a Decimal of at most 6 places (the coordinates')
    prints it back unchanged."""
    return Cast(F(column), TextField())


def _iso(value):
    return None if value is None else value.isoformat()


def _float(value):
    return None if value is None else float(value)


def _blank_as_null(value):
    return value or None


def _spread(path):
    """A link's path of its key columns (a tuple when there are several)."""
    return lambda values: path(*values)


class Rows:
    """How the list rows of `serializer_class` are read: `select(queryset, extra)` the tuples,
    `reading(base)` the function of a tuple to its JSON values in field order (links after
    `base`, the site's scheme://host), `dicts` and `stream` of many tuples."""

    def __init__(self, serializer_class):
        model = serializer_class.Meta.model
        fields = serializer_class().fields
        self.names: list[str] = list(fields)
        # Each column once (a record's key feeds its ref, `url` and `api_url`), in field order.
        self.columns: list[str] = []
        self.annotations: dict = {}
        self.converters: list[tuple] = []  # (index, function, getter of its columns)
        # (index, path, whether its columns are several, getter): bound to a language per read
        self.paths: list[tuple] = []
        self.refs: list[tuple] = []  # (index, getter) of linked refs: split per read
        self.lists: list[int] = []  # indexes of list values (CSV: joined with ";")
        self.dates: list[int] = []  # indexes of dates and decimals (`plain`)
        self.decimals: list[int] = []
        self.integers: list[int] = []  # (CSV: read as text, `select`)
        at: list[int] = []  # per field, the position in a row of its (first) column
        # (index, its columns, their converter, whether it is a link's path)
        extra: list[tuple[int, list[str], object, bool]] = []

        def column(name: str) -> int:
            if name not in self.columns:
                self.columns.append(name)
            return self.columns.index(name)

        for index, (name, field) in enumerate(fields.items()):
            if isinstance(field, RefList):
                alias = f"{name}__refs"
                self.annotations[alias] = linked_refs(model, field.relation, field.ref)
                at.append(column(alias))
                self.refs.append((index, itemgetter(at[index])))
                self.lists.append(index)
            elif isinstance(field, Steps):
                at.append(column(field.columns[0]))
                extra.append((index, field.columns, Steps.from_columns, False))
                self.lists.append(index)
            elif isinstance(field, Link):
                columns = [source.replace(".", "__") for source in field.sources]
                at.append(column(columns[0]))
                if len(columns) > 1:
                    extra.append((index, columns, field.path, True))
                else:
                    self.paths.append((index, field.path, False, itemgetter(at[index])))
            elif isinstance(field, SAME):
                at.append(column("__".join(field.source_attrs)))
                if isinstance(field, BlankAsNullChoiceField):
                    self.converters.append((index, _blank_as_null, itemgetter(at[index])))
                if isinstance(field, serializers.DateField):
                    self.dates.append(index)
                elif isinstance(field, serializers.DecimalField):
                    self.decimals.append(index)
                elif isinstance(field, serializers.IntegerField):
                    self.integers.append(index)
            else:
                raise TypeError(f"{serializer_class.__name__}.{name}: no rule to read it as a row")
        for index, columns, convert, is_link in extra:
            getter = itemgetter(*map(column, columns))
            if is_link:
                self.paths.append((index, convert, True, getter))
            else:
                self.converters.append((index, convert, getter))
        self.at = at
        self.take = itemgetter(*at)  # a row's value of each field, in field order

    def select(self, queryset, extra: Iterable[str] = (), *, as_text: bool = False):
        """The queryset's rows as tuples of this reader's columns, then the `extra` columns (an
        ordering's, for a cursor): (queryset, the index of each extra column in a row).

        `as_text` (CSV): on PostgreSQL, dates and numbers come as the text str() makes of
        them, which is what a CSV cell holds: the database writes it faster than psycopg2 makes
        date and Decimal objects for Python to write back (reading the demo's strikes: 133 ms
        of CPU down to 71). SQLite's decimals are floats made Decimals in Python: as they were."""
        columns = list(self.columns)
        positions = []
        for column in extra:
            if column not in columns:
                columns.append(column)
            positions.append(columns.index(column))
        # Prefetches feed serializers of model instances; rows carry their links themselves.
        rows = queryset.prefetch_related(None).annotate(**self.annotations)
        if as_text and connections[queryset.db].vendor == "postgresql":
            texts = {}
            for indexes, text in (
                (self.dates, _date_text),
                (self.decimals, _number_text),
                (self.integers, _number_text),
            ):
                for position in sorted({self.at[index] for index in indexes}):
                    alias = f"{columns[position]}__text"
                    texts[alias] = text(columns[position])
                    columns[position] = alias
            rows = rows.annotate(**texts)
        return rows.values_list(*columns), positions

    def reading(self, base: str = "", *, plain: bool = False):
        """The function of a row to its JSON values in field order, its links after `base`
        (the site's scheme://host) in the active language: bound once for many rows. `plain`:
        in JSON's own types as well (`plain`), in the same pass."""
        converters = list(self.converters)
        split = refs_splitter()  # the database looked up once, not per row
        converters += [(index, split, getter) for index, getter in self.refs]
        for index, path, spread, getter in self.paths:
            path = bound(path, base)
            converters.append((index, _spread(path) if spread else path, getter))
        if plain:
            at = self.at
            converters += [(index, _iso, itemgetter(at[index])) for index in self.dates]
            converters += [(index, _float, itemgetter(at[index])) for index in self.decimals]
        take = self.take

        def values(row: tuple) -> list:
            values = list(take(row))
            for index, convert, getter in converters:
                values[index] = convert(getter(row))
            return values

        return values

    def plain(self, values: list) -> list:
        """A row's values (of `reading`) in JSON's own types, as the JSON encoder would write them
        (ISO dates, decimals as numbers), in place: pages and exports are then encoded without
        the encoder's fallback for other types (a call per date or decimal)."""
        for index in self.dates:
            values[index] = _iso(values[index])
        for index in self.decimals:
            values[index] = _float(values[index])
        return values

    def dicts(self, rows: Iterable[tuple], base: str = "") -> list[dict]:
        names, values = self.names, self.reading(base, plain=True)
        # `values` makes a list of exactly one value per name: zip needs no `strict` check.
        return [dict(zip(names, values(row), strict=False)) for row in rows]

    def stream(self, rows: Iterable[tuple], base: str = "") -> Iterator[list]:
        values = self.reading(base)
        for row in rows:
            yield values(row)


@cache
def rows_of(serializer_class) -> Rows:
    return Rows(serializer_class)

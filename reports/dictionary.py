"""The data dictionary of the downloads zip, generated from the code: each column of each CSV
with its type, whether it may be empty, its meaning and its allowed values.

Columns are read from the CSVs as exported (their header rows), and each is described by the
output serializer of the export it came from, by the field the column reads (its export's
layout, claims.api.columns: a renamed column such as `claim_refs` reads the JSON `claims`): the
field's help text (a model field's help text or name when it has none; a figure's label and
definition from reports/catalogue.py) and its choices (claims/definitions.py, with the
definition of each outcome, reason and grade). A column no serializer describes is listed as
"unknown", and tests/reports/test_downloads.py fails until it is described.
"""

from __future__ import annotations

import csv
from datetime import date

from django.urls import resolve
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from claims.api.columns import layout_for
from claims.api.renderers import cell, csv_chunks
from claims.api.serializers import RefList
from claims.definitions import (
    GRADE_DEFINITIONS,
    OUTCOME_DEFINITIONS,
    REASON_DEFINITIONS,
    Grade,
    Outcome,
    Reason,
)

# Views that are not model viewsets: the serializer that documents their rows.
SERIALIZERS = {"/api/v1/reports/monthly/": "reports.api.MonthTotalsSerializer"}
# README.txt lists at most this many allowed values of a column (the JSON and CSV list all).
SHOWN_VALUES = 12


def _serializer_of(path: str):
    func = resolve(path).func
    if path in SERIALIZERS:
        return import_string(SERIALIZERS[path])
    view = func.cls(action="list", kwargs={}, format_kwarg=None, request=None)
    return view.get_serializer_class()


def _fields(serializer, prefix: str = "") -> dict:
    """The serializer's fields by CSV column name (nested objects as dotted names)."""
    found = {}
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            found.update(_fields(field, f"{prefix}{name}."))
        else:
            found[f"{prefix}{name}"] = field
    return found


def _type(field) -> str:
    if isinstance(field, RefList | serializers.ListField):
        return "list"
    if isinstance(field, serializers.ChoiceField):
        return "code"
    for kind, name in (
        (serializers.BooleanField, "boolean"),
        (serializers.DateField, "date"),
        (serializers.IntegerField, "integer"),
        (serializers.DecimalField, "decimal"),
        (serializers.FloatField, "number"),
    ):
        if isinstance(field, kind):
            return name
    return "text"


# The vocabularies whose every value has a definition (claims/definitions.py), by their values.
DEFINED = {
    frozenset(Outcome.values): OUTCOME_DEFINITIONS,
    frozenset(Reason.values): REASON_DEFINITIONS,
    frozenset(Grade.values): GRADE_DEFINITIONS,
}


def _choices(field) -> list[dict]:
    if isinstance(field, serializers.ListField):
        field = field.child
    if not isinstance(field, serializers.ChoiceField):
        return []
    definitions = DEFINED.get(frozenset(field.choices), {})
    return [
        {"value": value, "label": str(label)}
        | ({"definition": str(definitions[value])} if value in definitions else {})
        for value, label in field.choices.items()
    ]


def describe(field) -> dict:
    return {
        "type": _type(field),
        "may_be_empty": bool(field.allow_null)
        or isinstance(field, RefList | serializers.ListField),
        "meaning": str(field.help_text or field.label or ""),
        "allowed_values": _choices(field),
    }


UNKNOWN = {"type": "unknown", "may_be_empty": True, "meaning": "", "allowed_values": []}


def data_dictionary(headers: dict[str, str]) -> dict:
    """The dictionary of the zip's CSVs; `headers`: each file's name -> its header row."""
    from .downloads import FILES

    files = []
    for data_file in FILES:
        serializer_class = _serializer_of(data_file.path)
        fields = _fields(serializer_class())
        # A column reads the field of its own name, or the one its layout names (renames).
        layout = layout_for(serializer_class)
        if layout is not None:
            fields |= {
                name: fields[source]
                for name, source in zip(layout.names, layout.fields, strict=True)
                if source in fields
            }
        names = next(csv.reader([headers[data_file.name]]), [])
        files.append(
            {
                "name": data_file.name,
                "description": str(data_file.description),
                "source": f"{data_file.path}?format=csv",
                "columns": [
                    {"name": name, **(describe(fields[name]) if name in fields else UNKNOWN)}
                    for name in names
                ],
            }
        )
    return {"conventions": [str(text) for text in CONVENTIONS], "files": files}


CONVENTIONS = (
    gettext_lazy("CSV files are UTF-8, comma-separated, with a header row (RFC 4180)."),
    gettext_lazy(
        "An empty cell is a value that does not apply or is unknown (null in the API's JSON)."
    ),
    gettext_lazy("A list (type 'list') is its items joined with ';'."),
    gettext_lazy("Dates are written YYYY-MM-DD."),
    gettext_lazy("A 'code' column holds one of its allowed values (the code, not its label)."),
    gettext_lazy(
        "A text cell that a spreadsheet would run as a formula (beginning with = + - @) starts "
        "with an added ' (OWASP's advice against CSV injection)."
    ),
)


def dictionary_csv(dictionary: dict) -> bytes:
    header = ["file", "column", "type", "may_be_empty", "meaning", "allowed_values"]
    rows = (
        [
            cell(value)
            for value in (
                data_file["name"],
                column["name"],
                column["type"],
                column["may_be_empty"],
                column["meaning"],
                "; ".join(
                    f"{choice['value']} ({choice['label']})" for choice in column["allowed_values"]
                ),
            )
        ]
        for data_file in dictionary["files"]
        for column in data_file["columns"]
    )
    return "".join(csv_chunks(header, rows)).encode()


def dictionary_text(dictionary: dict, *, licence: dict, as_of: date) -> bytes:
    """README.txt: what the zip holds, how to verify it, and every column, readable."""
    lines = [
        _("Civilian-harm claims tracker: the public dataset as of %(date)s")
        % {"date": as_of.isoformat()},
        "",
        _("Licence: %(name)s, %(url)s") % licence,
        "",
        _(
            "manifest.json lists every other file of this archive with its size and SHA-256 "
            "(check them with `sha256sum`), the number of rows of each CSV, the date and the "
            "data version (the first 16 hex digits of the SHA-256 of the lines "
            "'<sha256>  <name>' of the files, in name order)."
        ),
        "",
        _("Conventions:"),
        *(f"- {text}" for text in dictionary["conventions"]),
    ]
    for data_file in dictionary["files"]:
        lines += ["", f"{data_file['name']}: {data_file['description']}", ""]
        for column in data_file["columns"]:
            empty = _(", may be empty") if column["may_be_empty"] else ""
            meaning = column["meaning"].rstrip(".")
            line = f"  {column['name']} ({column['type']}{empty}): {meaning}."
            values = [choice["value"] for choice in column["allowed_values"]]
            if values:
                shown = ", ".join(values[:SHOWN_VALUES])
                more = len(values) - SHOWN_VALUES
                if more > 0:
                    shown += _(" and %(count)d more (data-dictionary.json)") % {"count": more}
                line += " " + _("Allowed values: %(values)s.") % {"values": shown}
            lines.append(line)
    return ("\n".join(lines) + "\n").encode()

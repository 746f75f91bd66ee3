"""The filter forms of the claims list and the map, described for the templates.

They only render: the values are validated by the API's filters (see `claims.pages`), whose
messages are shown beside the fields they concern. Every form is a GET form whose field names
are the API's query parameters, so its query string also works on `/api/v1/claims/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str  # the API query parameter
    label: str
    kind: str  # text, search, date, number or select
    value: str = ""
    errors: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()  # select: (value, label); "" is "any"
    hint: str = ""
    suggestions: tuple[str, ...] = ()  # a text field's datalist

    @property
    def input_type(self) -> str:
        # A browser empties a date or number input holding a bad value: show the bad value as
        # typed, beside its error, so the reader sees what was refused.
        return "text" if self.errors else self.kind

    @property
    def described_by(self) -> str:
        """The ids of the hint and errors that describe the field (aria-describedby)."""
        ids = [f"hint_{self.name}"] if self.hint else []
        ids += [f"error_{self.name}_{n}" for n in range(1, len(self.errors) + 1)]
        return " ".join(ids)

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The choices, plus the current value if it is none of them (e.g. a belligerent given
        by id in a link), so the form never silently changes a filter."""
        if self.value and self.value not in {value for value, _ in self.choices}:
            return (*self.choices, (self.value, self.value))
        return self.choices


@dataclass(frozen=True)
class Fieldset:
    legend: str
    fields: tuple[Field, ...]
    hidden_legend: bool = False
    width: float = 0  # in field columns, on a wide screen; 0: one per field

    @property
    def columns(self) -> float:
        return self.width or len(self.fields)


@dataclass(frozen=True)
class Form:
    fieldsets: tuple[Fieldset, ...]
    errors: dict[str, list[str]] = field(default_factory=dict)
    hidden: tuple[tuple[str, str], ...] = ()  # other active filters, kept when submitting

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id or "", label, message) for every error, in the order of the form; a
        parameter the form has no field for (unknown, or `page`) is named as given."""
        labels = {f.name: f.label for fs in self.fieldsets for f in fs.fields}
        order = list(labels)
        names = sorted(self.errors, key=lambda n: (order.index(n) if n in labels else -1, n))
        return [
            (f"id_{n}" if n in labels else "", labels.get(n, n), message)
            for n in names
            for message in self.errors[n]
        ]


def _field(values: dict, errors: dict, name: str, label: str, kind: str, **kwargs) -> Field:
    messages = tuple(errors.get(name, ()))
    if kind == "date" and messages:
        # A date picker needs no format; the text box that replaces it beside an error does.
        kwargs["hint"] = "As YYYY-MM-DD, e.g. 2017-03-09"
    return Field(name, label, kind, values.get(name, ""), messages, **kwargs)


def _any(choices, label="Any") -> tuple[tuple[str, str], ...]:
    return (("", label), *((str(value), str(text)) for value, text in choices))


def list_form(values: dict, errors: dict, choices: dict) -> Form:
    """The claims list's filters: the API's main claim filters, search and ordering."""

    def f(name, label, kind, **kwargs) -> Field:
        return _field(values, errors, name, label, kind, **kwargs)

    return Form(
        (
            Fieldset(
                "Find",
                (
                    f(
                        "search",
                        "Search",
                        "search",
                        hint="Words in the reference, place or summary",
                    ),
                    f("country", "Country", "select", choices=_any(choices["countries"])),
                    f(
                        "province",
                        "Province (governorate)",
                        "text",
                        suggestions=tuple(choices["provinces"]),
                    ),
                    f(
                        "source_type",
                        "Source type",
                        "select",
                        choices=_any(choices["source_types"]),
                    ),
                    f(
                        "belligerent",
                        "Suspected belligerent",
                        "select",
                        choices=_any((name, name) for name in choices["belligerents"]),
                    ),
                ),
            ),
            Fieldset(
                "Official finding",
                (
                    f(
                        "outcome",
                        "Outcome",
                        "select",
                        choices=_any(choices["outcomes"]),
                        hint="Of the latest approved assessment",
                    ),
                    f("status", "Status", "select", choices=_any(choices["statuses"])),
                ),
            ),
            Fieldset(
                "Dates",
                (
                    f("incident_date_after", "Incident from", "date"),
                    f("incident_date_before", "Incident to", "date"),
                    f("received_on_after", "Received from", "date"),
                    f("received_on_before", "Received to", "date"),
                ),
            ),
            Fieldset(
                "Civilians killed, as alleged",
                (
                    f("killed_min", "At least", "number", hint="The claim's lowest figure"),
                    f("killed_max", "At most", "number", hint="The claim's highest figure"),
                ),
            ),
            Fieldset(
                "Order",
                (f("ordering", "Sort by", "select", choices=tuple(choices["orderings"])),),
                width=1.5,  # room for "Most civilians killed alleged"
            ),
        ),
        errors,
    )


def map_form(values: dict, errors: dict, choices: dict, shown: tuple[str, ...]) -> Form:
    """The map's filters: incident dates and the finding. Other filters given in the address
    (from the claims list's "Show on the map") stay as hidden fields."""

    def f(name, label, kind, **kwargs) -> Field:
        return _field(values, errors, name, label, kind, **kwargs)

    return Form(
        (
            Fieldset(
                "Filter the map",
                (
                    f("incident_date_after", "Incident from", "date"),
                    f("incident_date_before", "Incident to", "date"),
                    f(
                        "outcome",
                        "Outcome",
                        "select",
                        choices=_any(choices["outcomes"]),
                        hint="Of the latest approved assessment",
                    ),
                    f("status", "Status", "select", choices=_any(choices["statuses"])),
                ),
                hidden_legend=True,
            ),
        ),
        errors,
        hidden=tuple((k, v) for k, v in values.items() if k not in shown),
    )

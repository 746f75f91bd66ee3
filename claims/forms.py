"""The filter form of the claims list and the map: the API's ClaimFilter, plus its search and
ordering, with the pages' labels and hints. Its `.form` validates the values with the API's own
fields (so a page refuses what the API refuses, with the same message) and is what the template
renders. Every field name is an API query parameter, so the form's query string also works on
`/api/v1/claims/`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df

from .api.filters import (
    CLAIM_ORDERING,
    CLAIM_ORDERING_FIELDS,
    ClaimFilter,
    ordering_of,
)
from .search import claims_searched

DATE_HINT = _("As YYYY-MM-DD, e.g. 2017-03-09")
# name -> (label, hint): the pages' words, not the API's help texts.
LABELS = {
    "search": (
        _("Search"),
        _("Words in the reference, place, summary or rationale, in Arabic or English"),
    ),
    "country": (_("Country"), ""),
    "province": (_("Province (governorate)"), ""),
    "source_type": (_("Source type"), ""),
    "belligerent": (_("Suspected belligerent"), ""),
    "outcome": (_("Outcome"), _("Of the latest approved assessment")),
    "status": (_("Status"), ""),
    "incident_date_after": (_("Incident from"), ""),
    "incident_date_before": (_("Incident to"), ""),
    "received_on_after": (_("Received from"), ""),
    "received_on_before": (_("Received to"), ""),
    "killed_min": (_("At least"), _("The claim's lowest figure")),
    "killed_max": (_("At most"), _("The claim's highest figure")),
    "ordering": (_("Sort by"), ""),
}


class SearchInput(forms.TextInput):
    input_type = "search"


def known_ordering(value: str) -> None:
    try:
        ordering_of(value, CLAIM_ORDERING_FIELDS)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class FilterForm(forms.Form):
    def full_clean(self):
        super().full_clean()
        # A browser empties a date input holding a bad value: the page shows it as typed in a
        # text box (see the template), which needs the format.
        for name in self.errors:
            if isinstance(self.fields.get(name), forms.DateField):
                self[name].help_text = DATE_HINT


class ClaimPageFilter(ClaimFilter):
    """`offered`: field name -> the choices its select offers (from the data), when they are
    not its valid values (country) or it has none (belligerent: a name or an id; ordering).
    `suggested`: field name -> the values its text box suggests (a datalist)."""

    search = df.CharFilter(method="filter_search", widget=SearchInput)
    ordering = df.CharFilter(method="filter_ordering", validators=[known_ordering])

    class Meta(ClaimFilter.Meta):
        form = FilterForm

    def __init__(self, data, *, queryset, offered=None, suggested=None):
        super().__init__(data, queryset=queryset.order_by(*CLAIM_ORDERING))
        for name, (label, hint) in LABELS.items():
            self.filters[name].label = label
            self.filters[name].extra["help_text"] = hint
            if isinstance(self.filters[name], df.ChoiceFilter):
                self.filters[name].extra["empty_label"] = _("Any")
        for name, choices in (offered or {}).items():
            self.form.fields[name].widget = forms.Select(choices=choices)
        for name, values in (suggested or {}).items():
            self.form.fields[name].widget.suggestions = values
        # A value its select does not offer (a belligerent given by id in a link) is kept as an
        # option: the form never silently changes a filter.
        for name, field in self.form.fields.items():
            value = self.data.get(name)
            choices = list(getattr(field.widget, "choices", None) or ())
            if value and choices and value not in {str(key) for key, _ in choices}:
                field.widget.choices = [*choices, (value, value)]

    def filter_search(self, queryset, name, value):
        return claims_searched(queryset, value)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ordering_of(value, CLAIM_ORDERING_FIELDS), *CLAIM_ORDERING)

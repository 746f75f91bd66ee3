"""Forms of the claim pages. They translate input for claims.services, which decide what is
allowed: a form checks only that a value is of the right kind, and shows the services' errors on
the fields they name."""

from django import forms
from django.core.exceptions import ValidationError

from .. import roles
from ..definitions import OUTCOME_DEFINITIONS, REASON_DEFINITIONS, Diligence, Outcome, Reason
from ..exceptions import StaleEdit
from ..matching import DEFAULT_DAYS, DEFAULT_RADIUS_KM
from ..models import Claim


def refusal_message(error: Exception) -> str:
    """What a service said when it refused, in one line."""
    if isinstance(error, StaleEdit):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You do not have permission to do that."


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal on the form: each message on the field it names, the rest (a
    stale edit, a rule about the claim as a whole) above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, refusal_message(error))


class ClaimForm(forms.ModelForm):
    """A claim's recorded fields, and the version they were read at: saving through
    services.claim_update refuses the edit if someone changed the claim in between."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Set by ClaimAdmin when the service refused to save this form: shown as its errors.
    service_error = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "location_disclosure" in self.fields:
            # Its default is a setting, not a moment: compared with the claim's own value, not
            # with a hidden copy of the default (which a callable default would add).
            self.fields["location_disclosure"].show_hidden_initial = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.service_error is not None:
            add_service_error(self, self.service_error)
        return cleaned


def assignable_users():
    """Who claims can be assigned to: whoever may propose assessments (analysts, reviewers)."""
    return roles.users_who_can(roles.PROPOSE).order_by("username")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None, empty_label="Choose an analyst or reviewer", label="Assign to"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class ProposeForm(forms.Form):
    """A draft assessment. Which fields an outcome needs is the service's rule: every field
    but the outcome is optional here, and the service's errors land on the fields."""

    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        choices=[("", "—"), *Reason.choices],
        required=False,
        help_text="Required for a non-credible outcome.",
    )
    duplicate_of = forms.ModelChoiceField(
        queryset=Claim.objects.all(),
        to_field_name="claim_ref",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "claim ref, e.g. CIV-00123", "size": 24}),
        error_messages={"invalid_choice": "No claim has the reference %(value)s."},
        label="Duplicate of",
        help_text="Required for a duplicate: the reference of the claim it duplicates.",
    )
    civilians_killed = forms.IntegerField(
        min_value=0, required=False, help_text="Required for a credible outcome (0 if none)."
    )
    civilians_injured = forms.IntegerField(
        min_value=0, required=False, help_text="Required for a credible outcome (0 if none)."
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label="Public rationale",
        help_text="Required. Published with the outcome: why the reviewers decided so.",
    )
    diligence = forms.MultipleChoiceField(
        choices=Diligence.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Diligence: what this assessment did",
    )

    outcome_definitions = [(Outcome(key).label, text) for key, text in OUTCOME_DEFINITIONS.items()]
    reason_definitions = [(Reason(key).label, text) for key, text in REASON_DEFINITIONS.items()]

    @classmethod
    def initial_from(cls, query) -> dict:
        """Pre-filled values from the page's query string (?outcome=duplicate&duplicate_of=...)."""
        return {name: query[name] for name in ("outcome", "duplicate_of") if query.get(name)}

    def service_fields(self) -> dict:
        """The keyword arguments of services.assessment_propose."""
        return dict(self.cleaned_data)


class MatchingForm(forms.Form):
    """How far, in km and days, to look for strikes and claims near the claim."""

    radius_km = forms.FloatField(
        min_value=0.1, max_value=500, required=False, label="Within (km)", initial=DEFAULT_RADIUS_KM
    )
    days = forms.IntegerField(
        min_value=0, max_value=60, required=False, label="± days", initial=DEFAULT_DAYS
    )

    def __init__(self, query):
        super().__init__(query if {"radius_km", "days"} & set(query) else None)
        for field in self.fields.values():
            field.widget.attrs["size"] = 4

    def values(self) -> tuple[float, int]:
        data = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the valid values; an invalid one is default
            data = self.cleaned_data
        radius_km = data.get("radius_km")
        days = data.get("days")
        return (
            DEFAULT_RADIUS_KM if radius_km is None else radius_km,
            DEFAULT_DAYS if days is None else days,
        )

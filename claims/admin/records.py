"""The records around claims: belligerents, strikes, victims, outside findings, and the claim's
events (assessments, reopenings, comments), which are recorded through claims.services and only
shown here, read-only. The claim itself, the reviewers' case file, is in claim.py."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..countries import COUNTRIES
from ..models import (
    Assessment,
    Belligerent,
    ClaimComment,
    ExternalAssessment,
    Reopening,
    Strike,
    Victim,
)

# URLs typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class AuditedAdmin(SimpleHistoryAdmin):
    """Records kept as evidence: their history is shown, never reverted; they are never deleted.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the Revert button: the history page still accepts a
    POST that would save the old version, so refuse it here."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History is evidence: it is shown, never reverted.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """Events kept for ever: viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that occur in the data, by name (not all 249 ISO codes)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.model.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, COUNTRIES.get(code, code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(Belligerent)
class BelligerentAdmin(admin.ModelAdmin):
    list_display = ["name", "strikes_count", "claims_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="strikes", ordering="strikes_count")
    def strikes_count(self, obj):
        return obj.strikes_count

    @admin.display(description="claims", ordering="claims_count")
    def claims_count(self, obj):
        return obj.claims_count


LOCATION_FIELDSET = (
    "Location",
    {"fields": ["country", "province", "locality", ("latitude", "longitude"), "precision"]},
)


@admin.register(Strike)
class StrikeAdmin(AuditedAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["strike_ref", "date", "country", "province", "locality", "belligerent"]
    list_filter = [CountryFilter, "belligerent", "date"]
    list_select_related = ["belligerent"]
    search_fields = ["strike_ref", "locality", "province", "target"]
    date_hierarchy = "date"
    autocomplete_fields = ["belligerent"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["strike_ref", "date", "belligerent", "engagements"]}),
        LOCATION_FIELDSET,
        ("Details", {"fields": ["target", "munition", "source_url", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        """Through the same services as the API (the form has already checked every field)."""
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if changes:
                services.strike_update(strike=obj, by=request.user, **changes)
        else:
            obj.pk = services.strike_create(by=request.user, **form.cleaned_data).pk
            obj._state.adding = False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """Proposed, approved and returned assessments; they change only through the claim's page."""

    list_display = [
        "claim",
        "state",
        "assessed_on",
        "outcome",
        "reason",
        "civilians_killed",
        "civilians_injured",
        "assessed_by",
        "decided_by",
    ]
    list_filter = ["state", "outcome", "reason", "assessed_on"]
    history_list_display = ["state", "decided_by", "version"]
    list_select_related = ["claim", "assessed_by", "decided_by"]
    search_fields = ["claim__claim_ref", "rationale"]
    date_hierarchy = "assessed_on"


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["claim", "reopened_on", "reason", "reopened_by"]
    list_select_related = ["claim", "reopened_by"]
    search_fields = ["claim__claim_ref", "reason"]
    date_hierarchy = "reopened_on"


@admin.register(ClaimComment)
class ClaimCommentAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """The internal discussion of claims; comments are added on the claim's page."""

    list_display = ["claim", "author", "created_at", "body"]
    list_select_related = ["claim", "author"]
    search_fields = ["claim__claim_ref", "body"]
    date_hierarchy = "created_at"


@admin.register(ExternalAssessment)
class ExternalAssessmentAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = [
        "claim",
        "organisation",
        "grade",
        "civilians_killed_min",
        "civilians_killed_max",
        "assessed_on",
    ]
    list_filter = ["organisation", "grade"]
    list_select_related = ["claim"]
    search_fields = ["claim__claim_ref", "organisation"]
    autocomplete_fields = ["claim"]


@admin.register(Victim)
class VictimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claim", "age", "sex", "harm", "public"]
    list_filter = ["harm", "sex", "public"]
    list_select_related = ["claim"]
    search_fields = ["name", "name_ar", "claim__claim_ref"]
    autocomplete_fields = ["claim"]

"""The admin: where analysts and reviewers work. Events (assessments, reopenings) are recorded
through claims.services, never edited here; the admin shows them read-only."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from ..countries import COUNTRIES
from ..models import (
    Assessment,
    Belligerent,
    Claim,
    ExternalAssessment,
    Reopening,
    Strike,
    Victim,
)

# URLs typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyAdminMixin:
    """Records kept for ever: viewable, never added, changed or deleted through the admin."""

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
    list_display = ["name", "strike_count", "claim_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                strike_count=Count("strikes", distinct=True),
                claim_count=Count("claims", distinct=True),
            )
        )

    @admin.display(description="strikes", ordering="strike_count")
    def strike_count(self, obj):
        return obj.strike_count

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count


LOCATION_FIELDSET = (
    "Location",
    {"fields": ["country", "province", "locality", ("latitude", "longitude"), "precision"]},
)


@admin.register(Strike)
class StrikeAdmin(admin.ModelAdmin):
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


class VictimInline(admin.TabularInline):
    model = Victim
    extra = 0
    fields = ["name", "name_ar", "age", "sex", "harm", "public"]


class AssessmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Assessment
    fk_name = "claim"
    extra = 0
    fields = [
        "sequence",
        "assessed_on",
        "outcome",
        "reason",
        "duplicate_of",
        "civilians_killed",
        "civilians_injured",
        "assessed_by",
        "rationale",
    ]
    readonly_fields = fields
    ordering = ["sequence"]
    show_change_link = True


class ReopeningInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Reopening
    extra = 0
    fields = ["sequence", "reopened_on", "reason", "reopened_by"]
    readonly_fields = fields
    ordering = ["sequence"]


class ExternalAssessmentInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = ExternalAssessment
    extra = 0
    fields = [
        "organisation",
        "grade",
        "civilians_killed_min",
        "civilians_killed_max",
        "assessed_on",
        "url",
    ]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = [
        "claim_ref",
        "received_on",
        "incident_date",
        "place",
        "country",
        "source_type",
        "killed_range",
        "status",
    ]
    list_filter = ["status", CountryFilter, "source_type", "province", "received_on"]
    list_select_related = ["belligerent"]
    search_fields = ["claim_ref", "locality", "province", "summary", "source_name"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["belligerent", "strikes"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [VictimInline, AssessmentInline, ReopeningInline, ExternalAssessmentInline]
    fieldsets = [
        (None, {"fields": ["claim_ref", "status", "received_on", "incident_date"]}),
        LOCATION_FIELDSET,
        ("Source", {"fields": ["source_type", "source_name", "source_url", "belligerent"]}),
        (
            "Alleged harm",
            {
                "fields": [
                    ("civilians_killed_min", "civilians_killed_max"),
                    ("civilians_injured_min", "civilians_injured_max"),
                    ("killed_children", "killed_women", "killed_men"),
                    "summary",
                ]
            },
        ),
        ("Linked strikes", {"fields": ["strikes"]}),
        ("Internal (reviewers only)", {"fields": ["confidential_notes"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="alleged killed")
    def killed_range(self, obj):
        low, high = obj.civilians_killed_min, obj.civilians_killed_max
        if low is None and high is None:
            return "unknown"
        if low == high:
            return f"{low}"
        return f"{'?' if low is None else low}–{'?' if high is None else high}"


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "claim",
        "assessed_on",
        "outcome",
        "reason",
        "civilians_killed",
        "civilians_injured",
        "assessed_by",
    ]
    list_filter = ["outcome", "reason", "assessed_on"]
    list_select_related = ["claim", "assessed_by"]
    search_fields = ["claim__claim_ref", "rationale"]
    date_hierarchy = "assessed_on"


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["claim", "reopened_on", "reason", "reopened_by"]
    list_select_related = ["claim", "reopened_by"]
    search_fields = ["claim__claim_ref", "reason"]
    date_hierarchy = "reopened_on"


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

"""The claim: the analysts' and reviewers' case file and work queue.

The list is the queue (open claims, oldest first); the page is the case file: the record, its
timeline, strikes and possible duplicates nearby, the discussion, and the actions the user's
role and the claim's stage allow. Saving the form, bulk assignment and every action go through
claims.services (claim_views.py holds the action views, claim_page.py what the page shows).
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import services
from ..exceptions import StaleEdit
from ..models import Claim, ExternalAssessment, Victim
from .claim_page import claim_page_context
from .claim_views import ClaimWorkflowViews
from .forms import AssignForm, ClaimForm, refusal_message
from .records import LOCATION_FIELDSET, URL_FIELDS, AuditedAdmin, CountryFilter


class StatusFilter(admin.SimpleListFilter):
    """The queue shows open claims unless asked for closed ones or all."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("closed", "Closed"), ("all", "All")]

    def choices(self, changelist):
        current = self.value() or "open"
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.closed() if self.value() == "closed" else queryset.open()


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


class AgeFilter(admin.SimpleListFilter):
    """How long ago the claim was received."""

    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(str(days), f"Over {days} days") for days in (30, 90, 180)]

    def queryset(self, request, queryset):
        if self.value() not in {"30", "90", "180"}:
            return queryset
        return queryset.filter(received_on__lt=timezone.localdate() - timedelta(int(self.value())))


class VictimInline(admin.TabularInline):
    model = Victim
    extra = 0
    fields = ["name", "name_ar", "age", "sex", "harm", "public"]


class ExternalAssessmentInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = ExternalAssessment
    extra = 0
    verbose_name_plural = "external assessments (independent findings; never change the status)"
    fields = [
        "organisation",
        "grade",
        "civilians_killed_min",
        "civilians_killed_max",
        "assessed_on",
        "url",
    ]

    def get_queryset(self, request):
        # Each row is titled with str(), which names the claim.
        return super().get_queryset(request).select_related("claim")


class ServiceRefused(Exception):
    """A service refused to save the claim's form; the transaction is rolled back."""

    def __init__(self, error):
        super().__init__(refusal_message(error))
        self.error = error


RECORD_FIELDSETS = [
    (
        LOCATION_FIELDSET[0],
        {
            "fields": [*LOCATION_FIELDSET[1]["fields"], "location_disclosure"],
            "description": _(
                "The location is recorded exactly (strike matching uses it); how much of it is "
                "published is the disclosure's choice."
            ),
        },
    ),
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
    ("Internal (reviewers only: never published)", {"fields": ["confidential_notes"]}),
]


@admin.register(Claim)
class ClaimAdmin(ClaimWorkflowViews, AuditedAdmin):
    form = ClaimForm
    formfield_overrides = URL_FIELDS
    list_display = [
        "claim_ref",
        "received_on",
        "days_open",
        "place",
        "country",
        "killed_range",
        "stage_label",
        "assignee",
    ]
    list_filter = [
        StatusFilter,
        "stage",
        AssigneeFilter,
        CountryFilter,
        "province",
        "source_type",
        "location_disclosure",
        AgeFilter,
    ]
    list_select_related = ["assignee", "belligerent"]
    search_fields = ["claim_ref", "locality", "province", "summary"]
    search_help_text = "Search by reference, place (locality or province) or summary."
    ordering = ["received_on", "claim_ref"]
    list_per_page = 50
    actions = ["assign_to_me", "assign_to"]
    autocomplete_fields = ["belligerent", "strikes"]
    inlines = [VictimInline, ExternalAssessmentInline]
    # The workflow's fields are not editable, so simple_history's "changes" column leaves them
    # out: show them as columns of the history page.
    history_list_display = ["status", "stage", "assignee", "version"]

    class Media:
        css = {"all": ["css/admin-claims.css"]}

    def get_queryset(self, request):
        # The page shows the claim's belligerent and assignee; the queue lists them.
        return super().get_queryset(request).select_related("belligerent", "assignee")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            dates = ("Claim", {"fields": ["claim_ref", ("received_on", "incident_date")]})
            return [dates, *RECORD_FIELDSETS, ("Linked strikes", {"fields": ["strikes"]})]
        # Strikes are linked and unlinked in the page's strikes panel.
        return [("Claim", {"fields": [("received_on", "incident_date")]}), *RECORD_FIELDSETS]

    # The queue ---------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        # The queue's columns need the width more than the list of models does.
        context = {"title": "Claim queue", "is_nav_sidebar_enabled": False}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    @admin.display(description="days open", ordering="-received_on")
    def days_open(self, obj):
        return (timezone.localdate() - obj.received_on).days if obj.is_open else None

    @admin.display(description="alleged killed")
    def killed_range(self, obj):
        low, high = obj.civilians_killed_min, obj.civilians_killed_max
        if low is None and high is None:
            return "unknown"
        if low == high:
            return f"{low}"
        return f"{'?' if low is None else low}–{'?' if high is None else high}"

    @admin.display(description="stage", ordering="stage")
    def stage_label(self, obj):
        return format_html(
            '<span class="claim-stage stage-{}">{}</span>', obj.stage, obj.get_stage_display()
        )

    # Bulk assignment -------------------------------------------------------------------------

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        self.assign_claims(request, queryset, request.user)

    @admin.action(description="Assign to…", permissions=["change"])
    def assign_to(self, request, queryset):
        """An intermediate page to choose the assignee, then assign each claim."""
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self.assign_claims(request, queryset, form.cleaned_data["assignee"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Assign claims",
            "is_nav_sidebar_enabled": False,
            "claims": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/claims/claim/assign.html", context)

    def assign_claims(self, request, queryset, assignee):
        assigned = []
        for claim in queryset:
            try:
                services.claim_assign(claim=claim, assignee=assignee, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{claim}: {refusal_message(error)}")
            else:
                assigned.append(claim.claim_ref)
        if assigned:
            messages.success(
                request,
                f"Assigned to {assignee.get_username()}: {', '.join(assigned)}.",
            )

    # Saving through the services -------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """claim_update with the version the form was read at, or claim_create; a refusal rolls
        the whole save back and shows the form again with the service's errors."""
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            if change:
                changes = {name: data[name] for name in form.changed_data if name in data}
                if changes:
                    expected = form.cleaned_data["version"]
                    services.claim_update(
                        claim=obj, by=request.user, expected_version=expected, **changes
                    )
            else:
                obj.pk = services.claim_create(by=request.user, **data).pk
                obj.refresh_from_db()
                obj._state.adding = False
        except (ValidationError, StaleEdit) as error:
            raise ServiceRefused(error) from error

    def save_related(self, request, form, formsets, change):
        # The claim's fields and strikes were saved by the service: only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # Nothing was saved: render the posted form again, the service's errors on it.
            request.claim_service_error = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "claim_service_error", None)
        if error is not None:
            form = type(form.__name__, (form,), {"service_error": error})
        return form

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history page's changes, leaving out the linked strikes: simple_history diffs them
        with queries per row, and each link or unlink is named in its record's change reason."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=["strikes"], foreign_keys_are_objs=True
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and not context.get("is_popup"):
            context.update(claim_page_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

"""Publications of the monthly reports: a read-only list (the audit trail) and the "Publish a
month" page, where a publisher chooses a month, previews its report and what changed since its
latest publication, and confirms. Publishing is reports.publishing.month_publish; its refusals
come back as form errors."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from claims import roles

from .catalogue import Group, figures_in
from .figures import month_figures
from .models import MonthPublication
from .month_pages import month_url
from .narrative import month_paragraphs
from .periods import Month
from .publishing import (
    figures_fingerprint,
    month_check_publishable,
    month_publication,
    month_publish,
)
from .revisions import revision_url


class MonthForm(forms.Form):
    period = forms.CharField(
        label="Month",
        max_length=20,
        help_text="Written YYYY-MM, e.g. 2017-03. A month can be published once it has ended.",
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "size": 9, "autocomplete": "off"}),
    )

    def clean_period(self) -> Month:
        try:
            month = Month.parse(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        try:
            month_check_publishable(month)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["period"]) from None
        return month


class PublishForm(MonthForm):
    note = forms.CharField(
        label="Note (internal)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why it is published or re-published; kept with the publication.",
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput)


def publish_preview(month: Month) -> dict:
    """The month's report as it would be published, and what differs from its latest
    publication (seven queries)."""
    figures = month_figures(period=month)
    current = figures.as_dict()
    return {
        "month": month,
        "paragraphs": month_paragraphs(figures),
        "figures": [(figure.label, current[figure.key]) for figure in figures_in(Group.MONTHLY)],
        "cumulative": [
            (figure.label, current["cumulative"][figure.name], figure.is_percentage)
            for figure in figures_in(Group.CUMULATIVE)
        ],
        "publication": month_publication(period=month, current=current),
        "fingerprint": figures_fingerprint(current),
        "public_url": month_url(month),
    }


@admin.register(MonthPublication)
class MonthPublicationAdmin(admin.ModelAdmin):
    """Publications are added by the "Publish a month" page only, and never changed."""

    list_display = ["period", "revision", "published_at", "published_by", "public_page"]
    list_select_related = ["published_by"]
    search_fields = ["period", "note"]
    date_hierarchy = "published_at"
    fields = [
        "period",
        "revision",
        "published_at",
        "published_by",
        "note",
        "sha256",
        "frozen_figures",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Public page")
    def public_page(self, publication):
        url = revision_url(Month.parse(publication.period), publication.revision)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="Figures and lists as published")
    def frozen_figures(self, publication):
        return format_html("<pre>{}</pre>", json.dumps(publication.figures, indent=2))

    def get_urls(self):
        publish = path(
            "publish/",
            self.admin_site.admin_view(self.publish_view),
            name="reports_monthpublication_publish",
        )
        return [publish, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_publish": roles.can(request.user, roles.PUBLISH),
        }
        return super().changelist_view(request, extra_context)

    def publish_view(self, request):
        if not roles.can(request.user, roles.PUBLISH):
            raise PermissionDenied("You do not have permission to publish monthly reports.")
        if request.method == "POST":
            form = PublishForm(request.POST)
            if form.is_valid() and self._publish(request, form):
                return HttpResponseRedirect(reverse("admin:reports_monthpublication_changelist"))
        else:
            last_ended = Month.of(timezone.localdate()).previous()
            form = MonthForm(request.GET or None, initial={"period": str(last_ended)})
        month = form.cleaned_data.get("period") if form.is_bound and form.is_valid() else None
        if month is None and form.is_bound:  # a refused publication: show the month again
            month = form.cleaned_data.get("period")
        preview = publish_preview(month) if month else None
        confirm = None
        if preview:
            initial = {"period": str(month), "fingerprint": preview["fingerprint"]}
            confirm = PublishForm(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Publish {month.label}" if month else "Publish a month",
            "form": form,
            "preview": preview,
            "confirm": confirm,
        }
        return TemplateResponse(request, "admin/reports/monthpublication/publish.html", context)

    def _publish(self, request, form) -> MonthPublication | None:
        """Publish the form's month; None (and the refusal on the form) if the service refused."""
        month = form.cleaned_data["period"]
        try:
            publication = month_publish(
                period=month,
                by=request.user,
                note=form.cleaned_data["note"],
                previewed=form.cleaned_data["fingerprint"],
            )
        except ValidationError as error:
            for message in error.message_dict.get("period", error.messages):
                form.add_error(None, message)
            return None
        messages.success(
            request,
            format_html(
                '{} is published (revision {}): <a href="{}">its public report</a>.',
                month.label,
                publication.revision,
                month_url(month),
            ),
        )
        return publication

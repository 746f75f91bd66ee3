"""The claim page's actions: one admin view each, POST only, each calling ONE service function
and reporting what it said. No workflow rule lives here: the services decide, and their refusals
(ValidationError, IllegalTransition, PermissionDenied, StaleEdit) become messages or form errors.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from .. import services
from ..exceptions import StaleEdit
from ..models import Assessment, Strike
from .forms import AssignForm, ProposeForm, add_service_error, refusal_message

REFUSALS = (ValidationError, PermissionDenied, StaleEdit)


class ClaimWorkflowViews:
    """Mixed into ClaimAdmin: the URLs and views of the actions on one claim."""

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        views = {
            "propose": self.propose_view,
            "approve": require_POST(self.approve_view),
            "return": require_POST(self.return_view),
            "reopen": require_POST(self.reopen_view),
            "assign": require_POST(self.assign_view),
            "assign_me": require_POST(self.assign_me_view),
            "comment": require_POST(self.comment_view),
            "link_strike": require_POST(self.link_strike_view),
            "unlink_strike": require_POST(self.unlink_strike_view),
        }
        # Before the default URLs: "<path:object_id>/" would swallow "<id>/propose/".
        return [
            path(
                f"<path:object_id>/{name.replace('_', '-')}/",
                self.admin_site.admin_view(view),
                name=f"{info}_{name}",
            )
            for name, view in views.items()
        ] + super().get_urls()

    # Helpers -------------------------------------------------------------------------------

    def workflow_claim(self, request, object_id):
        """The claim, if the user may see it at all (a user with no role gets 403)."""
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404("No such claim.")
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        return claim

    def claim_url(self, claim, request=None, anchor=""):
        """The claim's page, keeping the matching panel's radius and days if they were set."""
        url = reverse(f"{self.admin_site.name}:claims_claim_change", args=[claim.pk])
        kept = {
            k: request.POST[k] for k in ("radius_km", "days") if request and request.POST.get(k)
        }
        return url + (f"?{urlencode(kept)}" if kept else "") + (f"#{anchor}" if anchor else "")

    def perform(self, request, claim, done: str, service, /, *, anchor="", **kwargs):
        """Call one service; report its success or its refusal; back to the claim's page."""
        try:
            service(**kwargs)
        except REFUSALS as error:
            messages.error(request, refusal_message(error))
            anchor = ""  # the message is at the top of the page
        else:
            messages.success(request, done)
        return HttpResponseRedirect(self.claim_url(claim, request, anchor))

    def posted_assessment(self, request, claim) -> Assessment:
        pk = request.POST.get("assessment", "")
        if not pk.isdigit():
            raise Http404("No assessment given.")
        try:
            return claim.assessments.get(pk=pk)
        except Assessment.DoesNotExist:
            raise Http404("No such assessment of this claim.") from None

    def posted_strike(self, request) -> Strike | None:
        ref = request.POST.get("strike", "").strip()
        return Strike.objects.filter(strike_ref=ref).first() if ref else None

    # Views ---------------------------------------------------------------------------------

    def propose_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        form = ProposeForm(request.POST or None, initial=ProposeForm.initial_from(request.GET))
        if form.is_bound and form.is_valid():
            try:
                services.assessment_propose(claim=claim, by=request.user, **form.service_fields())
            except PermissionDenied as error:
                messages.error(request, refusal_message(error))
                return HttpResponseRedirect(self.claim_url(claim))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Proposed an assessment of claim {claim}.")
                return HttpResponseRedirect(self.claim_url(claim, anchor="timeline"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Propose an assessment of claim {claim}",
            "is_nav_sidebar_enabled": False,
            "original": claim,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/claim/propose.html", context)

    def approve_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        assessment = self.posted_assessment(request, claim)
        done = f"Approved: claim {claim} is closed as {assessment.get_outcome_display().lower()}."
        return self.perform(
            request,
            claim,
            done,
            services.assessment_approve,
            assessment=assessment,
            by=request.user,
        )

    def return_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        return self.perform(
            request,
            claim,
            f"Returned the proposed assessment of claim {claim} to review.",
            services.assessment_return,
            assessment=self.posted_assessment(request, claim),
            by=request.user,
            comment=request.POST.get("comment", ""),
        )

    def reopen_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        return self.perform(
            request,
            claim,
            f"Reopened claim {claim}.",
            services.claim_reopen,
            claim=claim,
            reason=request.POST.get("reason", ""),
            by=request.user,
        )

    def assign_me_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        return self.perform(
            request,
            claim,
            f"Claim {claim} is assigned to you.",
            services.claim_assign,
            claim=claim,
            assignee=request.user,
            by=request.user,
        )

    def assign_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose an analyst or reviewer to assign the claim to.")
            return HttpResponseRedirect(self.claim_url(claim))
        assignee = form.cleaned_data["assignee"]
        return self.perform(
            request,
            claim,
            f"Claim {claim} is assigned to {assignee.get_username()}.",
            services.claim_assign,
            claim=claim,
            assignee=assignee,
            by=request.user,
        )

    def comment_view(self, request, object_id):
        claim = self.workflow_claim(request, object_id)
        return self.perform(
            request,
            claim,
            "Comment added.",
            services.claim_comment,
            anchor="comments",
            claim=claim,
            author=request.user,
            body=request.POST.get("body", ""),
        )

    def link_strike_view(self, request, object_id):
        return self._strike_action(request, object_id, services.claim_link_strike, "Linked")

    def unlink_strike_view(self, request, object_id):
        return self._strike_action(request, object_id, services.claim_unlink_strike, "Unlinked")

    def _strike_action(self, request, object_id, service, verb):
        claim = self.workflow_claim(request, object_id)
        strike = self.posted_strike(request)
        if strike is None:
            ref = request.POST.get("strike", "").strip()
            messages.error(request, f"No strike has the reference {ref!r}.")
            return HttpResponseRedirect(self.claim_url(claim, request))
        done = f"{verb} strike {strike} {'to' if verb == 'Linked' else 'from'} claim {claim}."
        return self.perform(
            request,
            claim,
            done,
            service,
            anchor="strikes",
            claim=claim,
            strike=strike,
            by=request.user,
        )

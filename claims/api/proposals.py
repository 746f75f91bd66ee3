"""The reviewers' queue over the API: proposed assessments awaiting a decision, and any
assessment by id in whatever state. Staff only (analysts and reviewers): 401 for anonymous
clients, 403 for accounts without a role. Drafts are never part of the public endpoints."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from .. import roles
from ..definitions import AssessmentState
from ..models import Assessment
from .errors import ErrorSerializer
from .inputs import ProposalSerializer
from .querysets import row_or_404
from .views import JSONErrors

STAFF_ERRORS = {code: OpenApiResponse(ErrorSerializer) for code in (401, 403)}


class CanReadDrafts(permissions.IsAuthenticated):
    message = "Proposals are for analysts and reviewers only."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and roles.can(request.user, roles.PROPOSE)


@extend_schema_view(
    list=extend_schema(
        summary="Proposed assessments awaiting a reviewer's decision (staff only)",
        responses={200: ProposalSerializer(many=True), **STAFF_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One assessment in any state (staff only)",
        responses={200: ProposalSerializer, **STAFF_ERRORS},
    ),
)
class ProposalViewSet(JSONErrors, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer
    permission_classes = [CanReadDrafts]
    filter_backends: list = []

    def get_queryset(self):
        queryset = Assessment.objects.select_related(
            "claim", "duplicate_of", "assessed_by", "decided_by"
        ).only(
            *(f.name for f in Assessment._meta.concrete_fields),
            "claim__claim_ref",
            "duplicate_of__claim_ref",
            "assessed_by__username",
            "decided_by__username",
        )
        if self.action == "list":
            # Oldest first: the queue is worked from the front.
            return queryset.filter(state=AssessmentState.PROPOSED).order_by("proposed_at", "pk")
        return queryset

    def get_object(self):
        return row_or_404(self.get_queryset(), field="pk", value=self.kwargs["pk"], key="id")

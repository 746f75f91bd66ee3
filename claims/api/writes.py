"""The write side: analysts and reviewers record strikes and claims and act on the workflow.

Each endpoint is input serializer -> service (claims.services: the same functions as the admin,
with their permissions, four-eyes rule and lifecycle checks) -> the record's public form. Who may
do what is decided by the services; the permission class below only answers early (401 for
anonymous, 403 for a user without the role) so that a refused request is refused before its body
is looked at.
"""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from .. import roles, services
from ..models import Assessment, Claim, Strike
from .errors import ErrorSerializer
from .inputs import (
    ClaimInput,
    ClaimUpdate,
    ProposalInput,
    ProposalSerializer,
    ReopenedSerializer,
    ReopenInput,
    ReturnInput,
    StrikeInput,
    StrikeUpdate,
)
from .querysets import row_or_404
from .serializers import AssessmentSerializer, ClaimDetailSerializer, StrikeSerializer

# The registry's action behind each write endpoint; the service checks the same entry again.
ACTION_PERMISSIONS = {
    ("strike", "create"): roles.CREATE_STRIKE,
    ("strike", "partial_update"): roles.EDIT_STRIKE,
    ("claim", "create"): roles.CREATE_CLAIM,
    ("claim", "partial_update"): roles.EDIT_CLAIM,
    ("claim", "propose"): roles.PROPOSE,
    ("claim", "reopen"): roles.REOPEN,
    ("assessment", "approve"): roles.DECIDE,
    ("assessment", "return_proposal"): roles.DECIDE,
}


class RolePermission(permissions.IsAuthenticatedOrReadOnly):
    """Reads are public; a write needs a signed-in user (else 401) holding the role (else 403)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        needed = ACTION_PERMISSIONS.get((view.basename, view.action))
        if request.method in permissions.SAFE_METHODS or needed is None:
            return True
        self.message = needed.refusal
        return roles.can(request.user, needed)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = (
        'Send the header If-Match: "<version>" with the ETag of your last read of this claim '
        "(GET it signed in), so that an edit never silently overwrites someone else's."
    )
    default_code = "precondition_required"


_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')
# What the schema states of If-Match: the ETags _ETAG reads, without the spaces it forgives.
ETAG_PATTERN = r'^(W/)?"?[0-9]{1,9}"?$'


def expected_version(request) -> int:
    """The version the client read, from If-Match (an ETag this API gave: "12")."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    match = _ETAG.match(header)
    if not match:
        raise PreconditionRequired(
            f'If-Match must be an ETag this API gave, such as "3"; not {header!r}.'
        )
    return int(match.group(1))


def etag(version: int) -> str:
    return f'"{version}"'


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _errors(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer) for code in codes}


WRITE_ERRORS = _errors(400, 401, 403, 409)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=ETAG_PATTERN,
    description=(
        'The claim\'s ETag from your last read, e.g. "3" (409 if it changed since; 428 if it is '
        "missing or not an ETag)."
    ),
)


class RowForWrite:
    """Finding the row a write acts on."""

    def row_for_write(self, model):
        """The row named in the URL, whatever its state (a proposal is not public), or 404."""
        value = self.kwargs[self.lookup_field]
        return row_or_404(model.objects.all(), field=self.lookup_field, value=value, key=self.key)


class StrikeWrites(RowForWrite):
    """POST strikes/ and PATCH strikes/{strike_ref}/."""

    def _written(self, strike: Strike, code: int) -> Response:
        row = self.get_queryset().get(pk=strike.pk)
        location = f"/api/v1/strikes/{strike.strike_ref}/"
        return Response(self.get_serializer(row).data, status=code, headers={"Location": location})

    @extend_schema(request=StrikeInput, responses={201: StrikeSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        strike = services.strike_create(by=request.user, **_valid(StrikeInput, request))
        return self._written(strike, status.HTTP_201_CREATED)

    @extend_schema(
        request=StrikeUpdate, responses={200: StrikeSerializer, **_errors(400, 401, 403, 409)}
    )
    def partial_update(self, request, *args, **kwargs):
        strike = self.row_for_write(Strike)
        data = _valid(StrikeUpdate, request, instance=strike, partial=True)
        strike = services.strike_update(strike=strike, by=request.user, **data)
        return self._written(strike, status.HTTP_200_OK)


class ClaimWrites(RowForWrite):
    """POST claims/, PATCH claims/{ref}/ (If-Match), and the claim's workflow actions."""

    def _written(self, claim: Claim, code: int) -> Response:
        row = self.get_queryset().get(pk=claim.pk)
        headers = {"Location": f"/api/v1/claims/{claim.claim_ref}/", "ETag": etag(claim.version)}
        return Response(self.get_serializer(row).data, status=code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if roles.can(request.user, roles.EDIT_CLAIM):
            # Staff read the version to edit with (If-Match); the public never sees it.
            version = Claim.objects.values_list("version", flat=True).get(
                claim_ref=self.kwargs["claim_ref"]
            )
            response["ETag"] = etag(version)
        return response

    @extend_schema(request=ClaimInput, responses={201: ClaimDetailSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        data = _valid(ClaimInput, request)
        claim = services.claim_create(by=request.user, **data)
        return self._written(claim, status.HTTP_201_CREATED)

    @extend_schema(
        request=ClaimUpdate,
        parameters=[IF_MATCH],
        responses={200: ClaimDetailSerializer, **_errors(400, 401, 403, 409, 428)},
    )
    def partial_update(self, request, *args, **kwargs):
        claim = self.row_for_write(Claim)
        version = expected_version(request)
        data = _valid(ClaimUpdate, request, instance=claim, partial=True)
        claim = services.claim_update(
            claim=claim, by=request.user, expected_version=version, **data
        )
        return self._written(claim, status.HTTP_200_OK)

    @extend_schema(
        request=ProposalInput,
        responses={201: ProposalSerializer, **WRITE_ERRORS},
        summary="Propose an assessment of an open claim (it counts once a reviewer approves it)",
    )
    @action(detail=True, methods=["post"], url_path="assessments")
    def propose(self, request, *args, **kwargs):
        claim = self.row_for_write(Claim)
        data = _valid(ProposalInput, request)
        proposal = services.assessment_propose(claim=claim, by=request.user, **data)
        return Response(
            ProposalSerializer(proposal).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/proposals/{proposal.pk}/"},
        )

    @extend_schema(
        request=ReopenInput,
        responses={201: ReopenedSerializer, **WRITE_ERRORS},
        summary="Reopen a closed claim on new information",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        claim = self.row_for_write(Claim)
        data = _valid(ReopenInput, request)
        reopening = services.claim_reopen(claim=claim, by=request.user, **data)
        return Response(ReopenedSerializer(reopening).data, status=status.HTTP_201_CREATED)


class AssessmentDecisions(RowForWrite):
    """POST assessments/{id}/approve/ and assessments/{id}/return/: a reviewer's decision on a
    proposal (never their own)."""

    @extend_schema(
        request=None,
        responses={200: AssessmentSerializer, **WRITE_ERRORS},
        summary="Approve a proposed assessment: it closes the claim and counts in the figures",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        proposal = self.row_for_write(Assessment)
        approved = services.assessment_approve(assessment=proposal, by=request.user)
        row = self.get_queryset().get(pk=approved.pk)
        return Response(self.get_serializer(row).data)

    @extend_schema(
        request=ReturnInput,
        responses={200: ProposalSerializer, **WRITE_ERRORS},
        summary="Return a proposed assessment to its author with a comment",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_proposal(self, request, *args, **kwargs):
        proposal = self.row_for_write(Assessment)
        data = _valid(ReturnInput, request)
        returned = services.assessment_return(assessment=proposal, by=request.user, **data)
        return Response(ProposalSerializer(returned).data)

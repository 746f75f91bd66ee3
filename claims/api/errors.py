"""Every API error is JSON: {"detail": "<what went wrong>", "errors": {name: [messages]}}
("errors" for invalid parameters or fields), with the right status:

- 400 an invalid parameter or field (DRF's or the model's validation, the lifecycle's rules on a
  value); 401 not signed in; 403 signed in without the role, or the four-eyes rule; 404;
- 409 an illegal transition (assessing a closed claim, approving what is not proposed), a stale
  edit (the claim changed since it was read) or a write that lost a race for a unique ref;
- 428 an edit without If-Match.
"""

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ..exceptions import IllegalTransition, StaleEdit


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text="What went wrong, in plain words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid parameters: the messages for each parameter.",
    )


def _messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def _field_errors(error: ModelValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def _error(detail: str, code: int, errors: dict | None = None) -> Response:
    set_rollback()
    body = {"detail": detail} if errors is None else {"detail": detail, "errors": errors}
    return Response(body, status=code)


def _service_error(exc) -> Response | None:
    """The services' refusals (Django exceptions) as API errors."""
    if isinstance(exc, StaleEdit):
        return _error(exc.message, status.HTTP_409_CONFLICT)
    if isinstance(exc, ModelValidationError):
        errors = _field_errors(exc)
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        if isinstance(exc, IllegalTransition):
            return _error(f"Not allowed now. {summary}", status.HTTP_409_CONFLICT, errors)
        return _error(f"Invalid request. {summary}", status.HTTP_400_BAD_REQUEST, errors)
    if isinstance(exc, IntegrityError):
        return _error(
            "The change conflicts with the records as they are now (another request may have "
            "just recorded the same ref). Nothing was saved: reload and try again.",
            status.HTTP_409_CONFLICT,
        )
    return None


def exception_handler(exc, context):
    response = _service_error(exc)
    if response is not None:
        return response
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"request": exc.detail}
        errors = {str(name): _messages(value) for name, value in data.items()}
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        response.data = {"detail": f"Invalid request. {summary}", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def not_found(request, *args, **kwargs):
    """Any /api/ address that matches no endpoint."""
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path}. The documentation is at /api/docs/."},
        status=404,
    )

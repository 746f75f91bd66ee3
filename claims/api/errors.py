"""Every API error is JSON: {"detail": "<what went wrong>", "errors": {parameter: [messages]}}
("errors" only for invalid parameters), with the right status."""

from django.http import JsonResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


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


def exception_handler(exc, context):
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

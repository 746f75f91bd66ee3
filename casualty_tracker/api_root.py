"""GET /api/v1/: what the API offers, each list and report endpoint by name with its absolute
address, then the schema and the docs (as DRF's browsable root does, in plain JSON)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.views import JSONErrors
from claims.links import absolute

# Public name -> URL name, in the order a reader meets them.
ENDPOINTS = {
    "claims": "api:claim-list",
    "strikes": "api:strike-list",
    "assessments": "api:assessment-list",
    "external-assessments": "api:external-assessment-list",
    "belligerents": "api:belligerent-list",
    "proposals": "api:proposal-list",
    "reports-monthly": "api:reports-monthly",
    "reports-summary": "api:reports-summary",
    "reports-comparison": "api:reports-comparison",
    "schema": "api:schema",
    "docs": "api:docs",
}

ApiRootSerializer = type(
    "ApiRootSerializer",
    (serializers.Serializer,),
    {name: serializers.URLField(help_text=f"The address of {name}.") for name in ENDPOINTS},
)


class ApiRootView(JSONErrors, APIView):
    """Every endpoint of the API by name, with its absolute address. One month's report is
    `reports-monthly` followed by its period (YYYY-MM/)."""

    @extend_schema(responses=ApiRootSerializer, operation_id="api_root")
    def get(self, request):
        return Response(
            {name: absolute(reverse(url_name), request) for name, url_name in ENDPOINTS.items()}
        )

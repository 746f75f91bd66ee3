"""The project's addresses plus the benchmarks' floors: `/bench/values/<strikes|claims>/`.

A bare `.values()` view: the same rows as the API's list (its default order, the model's public
columns, `page` and `page_size`) serialised as JSON, with no count, no serializer, no filters and
no joins. bench/scale.py requests both through the same middleware, so their ratio is the cost of
the API's own work.
"""

from django.http import JsonResponse
from django.urls import include, path

from claims.api.views import ClaimViewSet, StrikeViewSet
from claims.models import Claim, Strike
from claims.public import public_fields

LISTS = {"strikes": (Strike, StrikeViewSet), "claims": (Claim, ClaimViewSet)}


def values_view(request, what: str):
    model, viewset = LISTS[what]
    size = int(request.GET.get("page_size") or 50)
    start = (int(request.GET.get("page") or 1) - 1) * size
    rows = model.objects.order_by(*viewset.ordering).values(*public_fields(model))
    return JsonResponse({"results": list(rows[start : start + size])})


urlpatterns = [
    path("bench/values/<str:what>/", values_view),
    path("", include("casualty_tracker.urls")),
]

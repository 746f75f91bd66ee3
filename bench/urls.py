"""The project's addresses plus the benchmarks' floors: `/bench/values/<strikes|claims>/`.

A bare `.values()` view: the same rows as the API's list (its default order, the same columns,
the linked refs and latest findings included as the same subqueries, `page` and `page_size`)
serialised as JSON, with no count, no serializer, no filters, no pagination links and no framework.
bench/scale.py requests both through the same middleware, so their ratio is the cost of the API's
own work. (bench/api.py's floor is the same query.)
"""

from django.http import JsonResponse
from django.urls import path

from casualty_tracker.urls import urlpatterns as site
from claims.api.rows import rows_of
from claims.api.views import ClaimViewSet, StrikeViewSet

LISTS = {"strikes": StrikeViewSet, "claims": ClaimViewSet}


def values_view(request, what: str):
    viewset = LISTS[what]()
    viewset.action = "list"
    reader = rows_of(viewset.get_serializer_class())
    size = int(request.GET.get("page_size") or 50)
    start = (int(request.GET.get("page") or 1) - 1) * size
    rows = viewset.get_queryset().order_by(*viewset.ordering).prefetch_related(None)
    rows = rows.annotate(**reader.annotations).values(*reader.columns)
    return JsonResponse({"results": list(rows[start : start + size])})


# The site's patterns themselves, not include()d: i18n_patterns (the /ar/ pages) must be in the
# root URLconf.
urlpatterns = [path("bench/values/<str:what>/", values_view), *site]

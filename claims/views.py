"""The public pages of the records: the claims list, one claim's page, one strike's page, the
map (and its data).

Thin: `claims.pages` selects and shapes what they show (with the API's own filters); a bad
filter value is answered with the page and its error, status 400.
"""

from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.views.generic import DetailView, TemplateView, View

from casualty_tracker.opendata import claim_citation

from . import pages
from .api.querysets import public_claim_page, public_strike_page
from .map import claim_map, map_claims, map_clusters, map_words


class FilteredPage(TemplateView):
    """A page whose context comes from `build(request)` (claims.pages); errors in it (a bad
    filter) make the answer a 400."""

    build: Callable[[HttpRequest], dict]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**self.build(request))
        return self.render_to_response(context, status=400 if context["errors"] else 200)


class ClaimListView(FilteredPage):
    template_name = "claims/claim_list.html"
    build = staticmethod(pages.claim_list)


class ClaimMapView(FilteredPage):
    template_name = "claims/map.html"
    build = staticmethod(claim_map)


class MapDataView(View):
    """The map script's JSON: `answer(request)` gives (data, status)."""

    answer: Callable[[HttpRequest], tuple[dict, int]]

    def get(self, request, *args, **kwargs):
        data, status = self.answer(request)
        return JsonResponse(data, status=status, json_dumps_params={"separators": (",", ":")})


class MapClustersView(MapDataView):
    answer = staticmethod(map_clusters)


class MapClaimsView(MapDataView):
    answer = staticmethod(map_claims)


class ClaimDetailView(DetailView):
    template_name = "claims/claim_detail.html"
    context_object_name = "claim"
    slug_field = slug_url_kwarg = "claim_ref"

    def get_queryset(self):
        return public_claim_page()

    def get_context_data(self, **kwargs):
        citation = claim_citation(self.object, self.request)
        context = super().get_context_data(
            **pages.claim_page(self.object), citation=citation, **kwargs
        )
        return context | {"words": map_words()}


class StrikeDetailView(DetailView):
    template_name = "claims/strike_detail.html"
    context_object_name = "strike"
    slug_field = slug_url_kwarg = "strike_ref"

    def get_queryset(self):
        return public_strike_page()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**pages.strike_page(self.object), **kwargs)

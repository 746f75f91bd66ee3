"""The public pages of the records: claims, incident pages, strikes, the map."""

from django.urls import path

from . import views
from .feeds import ClosedClaimsFeed

app_name = "claims"

urlpatterns = [
    path("claims/", views.ClaimListView.as_view(), name="list"),
    # No trailing slash: never the page of a claim whose ref is "feed.atom".
    path("claims/feed.atom", ClosedClaimsFeed(), name="feed"),
    # A ref never contains "/" (claims.models.REF_NO_SLASH); other characters are quoted.
    path("claims/<str:claim_ref>/", views.ClaimDetailView.as_view(), name="detail"),
    path("strikes/<str:strike_ref>/", views.StrikeDetailView.as_view(), name="strike"),
    path("map/", views.ClaimMapView.as_view(), name="map"),
    path("map/clusters/", views.MapClustersView.as_view(), name="map-clusters"),
    path("map/claims/", views.MapClaimsView.as_view(), name="map-claims"),
]

"""The public pages of the records: claims, incident pages, the map."""

from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("claims/", views.ClaimListView.as_view(), name="list"),
    # `path`, not `str`: a claim ref is free text and may contain "/" (quoted when reversed).
    path("claims/<path:claim_ref>/", views.ClaimDetailView.as_view(), name="detail"),
    path("map/", views.ClaimMapView.as_view(), name="map"),
]

"""The public pages of the records: claims, incident pages, the map."""

app_name = "claims"

urlpatterns: list = []

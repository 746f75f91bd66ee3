"""The public pages of the reports: home, monthly reports, comparison, methodology."""

app_name = "reports"

urlpatterns: list = []

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Civilian-harm claims tracker"
admin.site.site_title = "Claims tracker"
admin.site.index_title = "Claims, strikes and assessments"

urlpatterns = [
    # Until the public pages exist, the front door is the reviewers' workplace.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]

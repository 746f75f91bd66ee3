from django.contrib import admin
from django.urls import path

admin.site.site_header = "Civilian-harm claims tracker"
admin.site.site_title = "Claims tracker"
admin.site.index_title = "Claims, strikes and assessments"

urlpatterns = [
    path("admin/", admin.site.urls),
]

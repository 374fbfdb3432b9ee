from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/import/", include("cascade.spreadsheets.urls")),
    path("cascade/", include("cascade.metrics.urls")),
    path("admin/", admin.site.urls),
]

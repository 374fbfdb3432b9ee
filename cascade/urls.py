from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cascade.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # open to anyone: no login, no personal data
    path("admin/import/", include("cascade.spreadsheets.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("cascade.accounts.urls")),
    path("cascade/", include("cascade.metrics.urls")),
    path("stories/", include("cascade.stories.urls")),
    path("calls/", include("cascade.selection.urls")),
    path("jobs/", include("cascade.jobs.urls")),
    path("api/v1/", include("cascade.api.urls")),
    path("tokens/", include("cascade.api.token_urls")),
    path("import/", include("cascade.spreadsheets.staff_urls")),
    path("", include("cascade.web.urls")),
]

# Error pages in the app's layout and the user's language (cascade.web.errors).
handler400 = "cascade.web.errors.bad_request"
handler403 = "cascade.web.errors.permission_denied"
handler404 = "cascade.web.errors.page_not_found"
handler500 = "cascade.web.errors.server_error"

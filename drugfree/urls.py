from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from drugfree.health import healthz
from workspace.views import commune, home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    # The commune's page shows the criteria (progress) and the work queue (workspace): workspace, above both, serves it.
    path("communes/<commune_code:code>/", commune, name="commune"),
    path("communes/", include("communes.urls")),
    path("residents/", include("residents.urls")),
    path("pledges/", include("pledges.urls")),
    path("progress/", include("progress.urls")),
    path("workspace/", include("workspace.urls")),
    path("recognition/", include("recognition.urls")),
    path("imports/pledges/", include("imports.urls_pledge_exports")),
    path("imports/", include("imports.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "drugfree.errors.server_error"

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

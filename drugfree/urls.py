from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from drugfree.health import healthz
from workspace.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
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

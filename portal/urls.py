from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.health import healthz
from portal.media import protected_media

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("staff/roster/", include("members.urls")),
    path("issues/", include("consultations.urls_public")),
    path("notices/", include("consultations.urls_notices")),
    path("staff/issues/", include("consultations.urls_staff")),
    path("department/", include("consultations.urls_department")),
    path("activities/", include("activities.urls_public")),
    path("staff/activities/", include("activities.urls_staff")),
    path("inbox/", include("portal.notifications.urls")),
    path("admin/", admin.site.urls),
]

# Uploads are served through a permission check in every environment, never as plain static files.
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", protected_media, name="media")]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.health import healthz

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
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

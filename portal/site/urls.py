from django.conf import settings
from django.contrib import admin
from django.urls import include, path

import orgs.urls
from orgs.search import organization_search
from portal import bench_probe
from portal.health import healthz
from portal.languages import language_choose
from portal.page_cache import EVERYTHING, public_page
from portal.site import views
from portal.site.media import protected_media
from stats import open_data

# orgs owns the list of organizations; the page of one organization is composed here, under the same namespace
# so that "orgs:public_detail" and /orgs/<slug>/ stay as they are printed on QR codes.
organization_urls = (
    [
        *orgs.urls.urlpatterns,
        path("<slug:slug>/", public_page(*EVERYTHING)(views.organization_public_detail), name="public_detail"),
    ],
    orgs.urls.app_name,
)

urlpatterns = [
    path("", public_page(*EVERYTHING)(views.home), name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/choose/<str:code>/", language_choose, name="language_choose"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("orgs/", include(organization_urls)),
    path("staff/roster/", include("members.urls")),
    path("staff/organizations/search/", organization_search, name="organization_search"),
    path("issues/", include("consultations.urls_public")),
    path("notices/", include("consultations.urls_notices")),
    path("staff/issues/", include("consultations.urls_staff")),
    path("department/", include("consultations.urls_department")),
    path("activities/", include("activities.urls_public")),
    path("staff/activities/", include("activities.urls_staff")),
    path("staff/dashboard/", include("stats.urls")),
    path("inbox/", include("portal.notifications.urls")),
    path("open-data/", open_data.open_data, name="open_data"),
    path("open-data/notices.csv", open_data.notices_csv, name="open_data_notices_csv"),
    path("admin/", admin.site.urls),
]

# Uploads are served through a permission check in every environment, never as plain static files.
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", protected_media, name="media")]

# The yardstick of `make bench`, served only by a server started with PORTAL_BENCH=1 (portal/settings/production.py).
if getattr(settings, "PORTAL_BENCH", False):
    urlpatterns += bench_probe.urlpatterns

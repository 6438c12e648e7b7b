from django.urls import path

from orgs import views
from portal.page_cache import Shown, public_page

app_name = "orgs"

# An organization's own page (/orgs/<slug>/, name "orgs:public_detail") shows issues and activities too, so
# portal/site/urls.py adds it to this namespace.
urlpatterns = [
    path(
        "",
        public_page(Shown.ORGANIZATIONS, Shown.REGIONS, Shown.MEMBERS, query=("region", "kind", "page"))(
            views.organization_public_list
        ),
        name="public_list",
    ),
]

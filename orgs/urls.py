from django.urls import path

from orgs import views
from orgs.place_choice import PLACE_FILTER_QUERY
from portal.page_cache import Shown, public_page

app_name = "orgs"

# An organization's own page (/orgs/<slug>/, name "orgs:public_detail") shows issues and activities too, so
# portal/site/urls.py adds it to this namespace.
urlpatterns = [
    path(
        "",
        public_page(Shown.ORGANIZATIONS, Shown.REGIONS, Shown.MEMBERS, query=(*PLACE_FILTER_QUERY, "kind", "page"))(
            views.organization_public_list
        ),
        name="public_list",
    ),
]

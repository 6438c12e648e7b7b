from django.urls import path

from consultations import views_notices
from orgs.place_choice import PLACE_FILTER_QUERY
from portal.page_cache import Shown, public_page

notice_page = public_page(Shown.NOTICES, Shown.ORGANIZATIONS, Shown.REGIONS, query=(*PLACE_FILTER_QUERY, "org", "page"))

app_name = "notices"

urlpatterns = [
    path("", notice_page(views_notices.board), name="board"),
    path("<int:pk>/", notice_page(views_notices.detail), name="detail"),
]

"""Public and members' pages of activities, mounted at /activities/. /activities/<id>/ is printed: never change it."""

from django.urls import path

from activities import views_public
from portal.page_cache import Shown, public_page
from portal.private_pages import private_page

activity_page = public_page(Shown.ACTIVITIES, Shown.ORGANIZATIONS, Shown.REGIONS, query=("org", "page"))

app_name = "activities"

urlpatterns = [
    path("", activity_page(views_public.activity_list), name="list"),
    path("mine/", private_page(views_public.my_activities), name="mine"),
    path("<int:pk>/", activity_page(views_public.activity_detail), name="detail"),
    path("<int:pk>/signup/", views_public.activity_signup, name="signup"),
    path("<int:pk>/cancel/", views_public.activity_cancel_signup, name="cancel"),
    path("<int:pk>/registration/<str:token>/", views_public.registration_link, name="registration"),
    path("<int:pk>/calendar.ics", views_public.activity_calendar, name="ics"),
    path("<int:pk>/checkin/", views_public.activity_checkin, name="checkin"),
    path("<int:pk>/checkin/done/<str:token>/", views_public.activity_checkin_done, name="checkin_done"),
]

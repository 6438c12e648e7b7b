"""The villager's pages under /issues/. /issues/new/ and /issues/track/<code>/ are printed on QR codes: keep them."""

from django.urls import path

from consultations import views_public
from portal.private_pages import private_page

app_name = "issues"

urlpatterns = [
    path("new/", views_public.issue_new, name="new"),
    path("new/choices/", views_public.issue_new_choices, name="new_choices"),
    path("new/receipt/<str:code>/", views_public.issue_receipt, name="receipt"),
    path("track/", views_public.track, name="track"),
    path("track/<str:code>/", private_page(views_public.track_detail), name="track_detail"),
    path("track/<str:code>/rate/", views_public.issue_rate, name="rate"),
    path("track/<str:code>/confirm/", views_public.issue_confirm_done, name="confirm_done"),
    path("track/<str:code>/not-done/", views_public.issue_report_not_done, name="not_done"),
    path("mine/", private_page(views_public.my_issues), name="mine"),
]

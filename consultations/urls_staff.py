from django.urls import path

from consultations import views_staff as views
from portal.private_pages import private_page

app_name = "staff_issues"

urlpatterns = [
    path("", private_page(views.queue), name="queue"),
    path("new/", views.enter, name="enter"),
    path("deadline/", views.deadline_preview, name="deadline_preview"),
    path("<int:pk>/", private_page(views.detail), name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("meetings/", private_page(views.meetings), name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", private_page(views.meeting_detail), name="meeting_detail"),
    path("meetings/<int:pk>/issues/", views.meeting_add_issues, name="meeting_add_issues"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/sign-in-sheet/", views.meeting_sign_in_sheet, name="meeting_sign_in_sheet"),
    path("agenda/<int:pk>/consensus/", views.agenda_consensus, name="agenda_consensus"),
    path("agenda/<int:pk>/no-consensus/", views.agenda_no_consensus, name="agenda_no_consensus"),
    path("agenda/<int:pk>/tally/", views.agenda_correct_tally, name="agenda_correct_tally"),
]

from django.urls import path

from activities import views_staff
from portal.private_pages import private_page

app_name = "staff_activities"

urlpatterns = [
    path("", private_page(views_staff.activity_list), name="list"),
    path("month/", private_page(views_staff.month_view), name="month"),
    path("new/", views_staff.activity_create, name="create"),
    path("figures/", private_page(views_staff.figures), name="figures"),
    path("figures/inactive/", private_page(views_staff.inactive_members), name="inactive_members"),
    path("<int:pk>/", private_page(views_staff.activity_detail), name="detail"),
    path("<int:pk>/edit/", views_staff.activity_edit, name="edit"),
    path("<int:pk>/publish/", views_staff.activity_publish, name="publish"),
    path("<int:pk>/cancel/", views_staff.activity_cancel, name="cancel"),
    path("<int:pk>/complete/", views_staff.activity_complete, name="complete"),
    path("<int:pk>/checkin-screen/", views_staff.checkin_screen, name="checkin_screen"),
    path("<int:pk>/attendance-sheet/", views_staff.attendance_sheet, name="attendance_sheet"),
    path("registrations/<int:pk>/check-in/", views_staff.registration_check_in, name="registration_check_in"),
]

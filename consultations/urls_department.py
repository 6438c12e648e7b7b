from django.urls import path

from consultations import views_department
from portal.private_pages import private_page

app_name = "department"

urlpatterns = [
    path("", private_page(views_department.queue), name="queue"),
    path("assignments/<int:pk>/", private_page(views_department.assignment_detail), name="assignment"),
    path("assignments/<int:pk>/acknowledge/", views_department.assignment_acknowledge, name="acknowledge"),
    path("assignments/<int:pk>/answer/", views_department.assignment_answer, name="answer"),
    path("assignments/<int:pk>/return/", views_department.assignment_return, name="return"),
    path("assignments/<int:pk>/interim/", views_department.assignment_interim_reply, name="interim_reply"),
]

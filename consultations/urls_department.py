from django.urls import path

from consultations import views_department

app_name = "department"

urlpatterns = [
    path("", views_department.queue, name="queue"),
    path("assignments/<int:pk>/", views_department.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/acknowledge/", views_department.assignment_acknowledge, name="acknowledge"),
    path("assignments/<int:pk>/answer/", views_department.assignment_answer, name="answer"),
    path("assignments/<int:pk>/return/", views_department.assignment_return, name="return"),
    path("assignments/<int:pk>/interim/", views_department.assignment_interim_reply, name="interim_reply"),
]

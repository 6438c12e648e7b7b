from django.urls import path

from consultations import views_notices

app_name = "notices"

urlpatterns = [
    path("", views_notices.board, name="board"),
    path("<int:pk>/", views_notices.detail, name="detail"),
]

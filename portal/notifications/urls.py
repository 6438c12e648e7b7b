from django.urls import path

from portal.notifications import views
from portal.private_pages import private_page

app_name = "notifications"

urlpatterns = [
    path("", private_page(views.inbox), name="inbox"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]

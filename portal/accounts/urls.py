from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    # Logging out changes state, so it is a POST (Django answers a GET with 405).
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("phone/", views.phone_login, name="phone_login"),
    path("phone/code/", views.phone_verify, name="phone_verify"),
]

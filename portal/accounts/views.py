from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def phone_login(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/phone_login.html")

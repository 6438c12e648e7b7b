from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_public_list, name="public_list"),
    path("<slug:slug>/", views.organization_public_detail, name="public_detail"),
]

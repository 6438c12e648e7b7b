from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("<slug:slug>/", views.organization_public_detail, name="public_detail"),
]

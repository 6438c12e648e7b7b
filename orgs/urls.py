from django.urls import path

from orgs import views

app_name = "orgs"

# An organization's own page (/orgs/<slug>/, name "orgs:public_detail") shows issues and activities too, so
# portal/site/urls.py adds it to this namespace.
urlpatterns = [
    path("", views.organization_public_list, name="public_list"),
]

from django.urls import path

from members import views
from portal.private_pages import private_page

app_name = "members"

urlpatterns = [
    path("", private_page(views.roster), name="roster"),
    path("growth/", private_page(views.growth), name="growth"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", private_page(views.person_detail), name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("people/<int:pk>/memberships/new/", views.membership_add, name="membership_add"),
    path("people/<int:pk>/contact-logs/new/", views.contact_log_add, name="contact_log_add"),
    path("memberships/<int:pk>/role/", views.membership_change_role, name="membership_change_role"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
]

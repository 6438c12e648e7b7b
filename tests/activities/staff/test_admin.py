"""The activities admin: scoped like the staff pages, read-only for staff, the log append-only for everyone."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from activities.models import Activity, ActivityLog

pytestmark = pytest.mark.django_db


def test_town_staff_see_their_towns_activities_with_confirmed_counts(
    staff_client, town_staff_huanghu, activity_factory, sign_up_people, tianmu_alliance, village_staff_wanghu
):
    activity = activity_factory(title="青山talk：竹编", audience="public")
    sign_up_people(activity, 3)
    activity_factory(title="天目结对", host=tianmu_alliance, actor=village_staff_wanghu)
    response = staff_client(town_staff_huanghu).get(reverse("admin:activities_activity_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(row.title, row.confirmed_count) for row in rows] == [("青山talk：竹编", 3)]


def test_staff_cannot_change_activities_or_sign_ups_in_the_admin(staff_client, town_staff_huanghu, activity_factory):
    activity = activity_factory()
    client = staff_client(town_staff_huanghu)
    response = client.post(
        reverse("admin:activities_activity_change", args=[activity.pk]), {"title": "改名", "capacity": "999"}
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.capacity == 20
    assert client.get(reverse("admin:activities_activity_add")).status_code == 403


def test_the_activity_log_is_read_only_even_for_superusers(activity_factory, django_user_model):
    activity_factory()
    superuser = django_user_model.objects.create_superuser(username="root", password="x-correct-horse-42")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    log_admin = admin.site._registry[ActivityLog]
    entry = ActivityLog.objects.first()
    assert log_admin.has_view_permission(request, entry)
    assert not log_admin.has_add_permission(request)
    assert not log_admin.has_change_permission(request, entry)
    assert not log_admin.has_delete_permission(request, entry)


def test_the_admin_lists_of_other_districts_activities_are_empty(
    staff_client, town_staff_huanghu, activity_factory, tianmu_alliance, village_staff_wanghu
):
    other = activity_factory(host=tianmu_alliance, actor=village_staff_wanghu)
    client = staff_client(town_staff_huanghu)
    response = client.get(reverse("admin:activities_activity_change", args=[other.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert Activity.objects.filter(pk=other.pk).exists()

"""The demo writes a year and a half of history through the services without moving the process's clock: each
service is told when its step happened (`now=`), and timezone.now() stays the real time for everything else."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from activities import services as activity_services
from consultations import services as consultation_services
from consultations.models import Issue, Transition
from consultations.states import IssueAction


def _record_clock_at_each_call(monkeypatch, module, name: str, calls: list) -> None:
    service = getattr(module, name)

    def recording(*args, **kwargs):
        calls.append((timezone.now(), kwargs.get("now")))
        return service(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)


@pytest.mark.django_db
def test_the_secretary_accepts_last_years_issues_on_their_day_while_the_real_clock_runs_on(monkeypatch):
    accepted: list[tuple[datetime.datetime, datetime.datetime | None]] = []
    checked_in: list[tuple[datetime.datetime, datetime.datetime | None]] = []
    _record_clock_at_each_call(monkeypatch, consultation_services, "issue_accept", accepted)
    _record_clock_at_each_call(monkeypatch, activity_services, "checkin_by_code", checked_in)
    started = timezone.now()

    call_command("seed_demo", stdout=StringIO())

    finished = timezone.now()
    assert accepted and checked_in
    for real, told in accepted + checked_in:
        assert started <= real <= finished, "timezone.now() was moved while the demo loaded"
        assert told is not None and told < started
    assert min(told for _real, told in accepted if told) < started - datetime.timedelta(days=365)
    assert min(told for _real, told in checked_in if told) < started - datetime.timedelta(days=150)


def _stamped_fields() -> list[tuple[type[models.Model], str]]:
    """Every creation time the services stamp themselves, from the moment they are told."""
    return [
        (model, field.name)
        for label in ("consultations", "activities", "notifications")
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField) and field.default is timezone.now
    ]


def test_what_the_services_stamp_on_insert_carries_the_day_of_the_step_too(demo_loaded_from):
    # The demo as the suite loads it once for the tests that read it (tests/conftest.py, DemoSeed).
    started = demo_loaded_from

    oldest_issue = Issue.objects.earliest("created_at")
    submitted = Transition.objects.get(issue=oldest_issue, action=IssueAction.SUBMIT)
    assert oldest_issue.created_at < timezone.now() - datetime.timedelta(days=365)
    # The submission and its audit row happened at one moment, which the service was told.
    assert oldest_issue.created_at == submitted.created_at
    assert not Issue.objects.filter(created_at__gt=timezone.now()).exists()
    stamped = _stamped_fields()
    assert (Transition, "created_at") in stamped
    for model, name in stamped:
        dated_now = model._default_manager.filter(**{f"{name}__gte": started}).count()
        assert dated_now == 0, f"{dated_now} {model.__name__}.{name} carry the real time of the load"

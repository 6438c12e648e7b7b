"""Capacity is never exceeded when many people sign up in the same second (real PostgreSQL, real threads)."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from activities import services
from activities.models import Audience, Registration, RegistrationStatus

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _run_together(count: int, action) -> list[object]:
    """Runs action(index) in `count` threads released at the same instant; returns results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = action(index)
        except Exception as error:  # reported to the test thread
            results[index] = error
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _counts(activity) -> dict[str, int]:
    registrations = Registration.objects.filter(activity=activity)
    return {status: registrations.filter(status=status).count() for status in RegistrationStatus.values}


@pytest.mark.django_db(transaction=True)
def test_twenty_people_signing_up_at_once_for_five_places_confirm_exactly_five(activity_factory):
    activity = activity_factory(capacity=5, audience=Audience.PUBLIC)

    results = _run_together(
        20,
        lambda index: services.registration_create(activity=activity, name=f"村民{index}", phone=f"137{index:08d}"),
    )

    assert [result for result in results if isinstance(result, Exception)] == []
    assert _counts(activity) == {"confirmed": 5, "waitlisted": 15, "cancelled": 0}


@pytest.mark.django_db(transaction=True)
def test_cancelling_and_signing_up_at_once_never_exceeds_the_capacity(activity_factory, sign_up_people):
    activity = activity_factory(capacity=3, audience=Audience.PUBLIC)
    early = sign_up_people(activity, 6)  # 3 confirmed, 3 waiting

    def act(index: int):
        if index < 3:
            return services.registration_cancel(registration=early[index])
        return services.registration_create(activity=activity, name=f"新村民{index}", phone=f"138{index:08d}")

    results = _run_together(10, act)

    assert [result for result in results if isinstance(result, Exception)] == []
    counts = _counts(activity)
    assert counts["confirmed"] == 3
    assert counts["waitlisted"] == 3 + 7 - 3
    # The three who waited first were the ones moved up, not the newcomers.
    assert {r.status for r in Registration.objects.filter(pk__in=[r.pk for r in early[3:]])} == {"confirmed"}


def _phone_signup(base_url: str, path: str, phone: str, barrier: threading.Barrier) -> int:
    """One phone: open the activity page (cookie + CSRF token), wait for the others, tap 报名."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(base_url + path, timeout=30) as response:
        field = CSRF_FIELD.search(response.read().decode())
        assert field is not None
        token = field.group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "name": f"游客{phone[-2:]}", "phone": phone})
    # The live server's own http:// address, nothing a user typed.
    request = urllib.request.Request(base_url + path + "signup/", data=body.encode(), method="POST")  # noqa: S310
    request.add_header("Referer", base_url + path)
    barrier.wait(timeout=30)
    with opener.open(request, timeout=60) as response:
        return response.status


@pytest.mark.django_db(transaction=True)
def test_fifteen_phones_tapping_sign_up_at_once_for_four_places_confirm_exactly_four(live_server, activity_factory):
    activity = activity_factory(capacity=4, audience=Audience.PUBLIC)
    path = f"/activities/{activity.pk}/"
    barrier = threading.Barrier(15)

    statuses: list[object] = [None] * 15

    def phone(index: int) -> None:
        try:
            statuses[index] = _phone_signup(live_server.url, path, f"139{index:08d}", barrier)
        except Exception as error:  # reported to the test thread
            statuses[index] = error

    threads = [threading.Thread(target=phone, args=(index,)) for index in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert statuses == [200] * 15
    assert _counts(activity) == {"confirmed": 4, "waitlisted": 11, "cancelled": 0}

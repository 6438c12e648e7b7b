"""Reminder sweeps: what lands in the outbox, for whom, on which day.

States are built through the services with the fixtures of tests/consultations and tests/activities (imported
here so that these tests share them); dates are then moved with queryset.update(). Tests read the outbox
rows the sweeps queued, which is what workers send; helpers to read them are in reminder_helpers.py.

Every SMS queued during any test here must fit one message with the signature (checked after each test).
"""

from __future__ import annotations

import pytest

from portal.notifications.kinds import Channel
from portal.notifications.models import OutboxMessage
from portal.sms import sms_text
from tests.activities.conftest import activity_factory, member_factory, sign_up_people  # noqa: F401
from tests.consultations.conftest import drive_issue, issue_factory, issue_in_state  # noqa: F401


@pytest.fixture(autouse=True)
def _every_sms_fits_one_message(db):
    yield
    for body in OutboxMessage.objects.filter(channel=Channel.SMS).values_list("body", flat=True):
        sms_text(body)  # raises when the text with the signature is longer than one SMS

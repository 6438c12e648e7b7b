"""Dashboard fixtures: the roster's and the consultation loop's own (people enrolled, issues driven along the
loop), and a dashboard reader for a persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.consultations.conftest import drive_issue, issue_factory, issue_in_state  # noqa: F401
from tests.members.conftest import enrol  # noqa: F401
from tests.notifications.conftest import real_redis  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def dashboard_computed_on_every_view(settings):
    """Each test sees its own data at once; test_kept_boards turns the keeping back on."""
    settings.STATS_DASHBOARD_SECONDS = 0


@pytest.fixture
def open_dashboard(client):
    """open_dashboard(user, **query) -> the response of /staff/dashboard/ for that user."""

    def open_as(user, **query):
        client.force_login(user)
        return client.get(reverse("stats:dashboard"), query)

    return open_as

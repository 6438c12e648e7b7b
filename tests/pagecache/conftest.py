"""Fixtures of the page-cache tests: the cache turned on (the rest of the suite renders every page afresh, as
its rows are often written without the services), a clean start, and changes committed as a request's are."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from portal.page_cache import EVERYTHING, page_cache_touch
from tests.activities.conftest import activity_factory  # noqa: F401 (a fixture)
from tests.consultations.conftest import drive_issue, issue_factory, issue_in_state, sms_outbox  # noqa: F401
from tests.consultations.notices.conftest import published_issue  # noqa: F401 (a fixture)
from tests.notifications.conftest import real_redis  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def page_cache_on(settings, django_capture_on_commit_callbacks) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    # Pages kept by earlier tests showed their rows, not this test's.
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_touch(*EVERYTHING)


@pytest.fixture
def committed(django_capture_on_commit_callbacks, sms_outbox) -> Callable[[], AbstractContextManager]:  # noqa: F811
    """`with committed():` — what the services in the block queue for after their commit runs at its end, as
    it does after a request's commit (the test's own transaction is never committed)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

"""Fixtures of the shared staff helpers' tests: the one account every role check has to think about."""

import pytest

from portal.accounts.models import User


@pytest.fixture
def installation_superuser(db):
    return User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")

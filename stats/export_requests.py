"""Asking for a large export: the request is a row, and a worker builds the file once the row is committed."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from stats.large_exports import ROSTER
from stats.models import StatsExport
from stats.scoping import Focus
from stats.tasks import build_export


def roster_export_request(*, user: User, focus: Focus) -> StatsExport:
    with transaction.atomic():
        export = StatsExport.objects.create(
            owner=user, what=ROSTER, focus="&".join(f"{key}={value}" for key, value in focus.query().items())
        )
        transaction.on_commit(lambda: build_export.delay(export.pk))
    return export

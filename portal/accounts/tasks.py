"""Housekeeping for sign-in: beat runs it, a worker does it."""

import datetime

from celery import shared_task

from portal.accounts.login_codes import login_code_purge

# A week of requests is kept for questions like "who asked for codes for my number?"; limits need one hour.
LOGIN_CODES_KEPT_FOR = datetime.timedelta(days=7)


@shared_task(ignore_result=True)
def purge_old_login_codes() -> int:
    return login_code_purge(older_than=LOGIN_CODES_KEPT_FOR)

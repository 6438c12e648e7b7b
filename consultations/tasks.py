"""Celery tasks of the consultation loop: each takes ids, loads the rows and calls a service."""

import logging

from celery import shared_task
from django.utils import translation

from consultations.messages import submitter_sms_for
from consultations.models import Transition
from consultations.services import notices_close_expired
from portal.sms import send_sms

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def notify_submitter(transition_id: int) -> None:
    transition = Transition.objects.select_related("issue").filter(pk=transition_id).first()
    if transition is None:
        return
    with translation.override("zh-hans"):
        text = submitter_sms_for(transition)
    if text:
        send_sms(phone=transition.issue.submitter_phone, text=text)


@shared_task(ignore_result=True)
def close_expired_notices() -> int:
    closed = notices_close_expired()
    if closed:
        logger.info("Closed %d issues whose notice period ended", closed)
    return closed

"""What the people expecting a 议事会 are told when it is cancelled.

meeting_cancel (consultations/services.py) calls it in its transaction, so this module sits below the services and
imports none of them. The submitters of its agenda issues hear through their issue's own step (议事会取消,退回待协商);
here the village staff of the organization and the members recorded on the meeting are told.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.models import Meeting
from portal.accounts.models import User
from portal.notifications.audiences import staff_directory, tell_users
from portal.notifications.kinds import Kind
from portal.notifications.outbox import Recipient, message_enqueue
from portal.notifications.short_texts import clock, month_day, shorten, sms_fit

NAME_IN_SMS = 10
PLACE_IN_SMS = 12


def meeting_cancelled_notify(
    *, meeting: Meeting, actor: User, reason: str, issues_returned: int, submitters: set[str]
) -> int:
    """Tells the organization's village staff (all but the one who cancelled) and the members recorded on the
    meeting, skipping `submitters` (Recipient labels) whose own issue already tells them. Returns the rows queued."""
    organization = meeting.organization
    path = organization.region.path
    key = f"meeting:{meeting.pk}:cancelled"
    # The message is read in Chinese whatever language the cancelling staff member's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "organization": organization.name,
            "title": meeting.title,
            "day": month_day(timezone.localdate(meeting.scheduled_at)),
            "when": clock(meeting.scheduled_at),
            "place": meeting.place,
            "reason": reason,
            "count": issues_returned,
        }
        short = {
            **values,
            "organization": shorten(organization.name, NAME_IN_SMS),
            "place": shorten(meeting.place, PLACE_IN_SMS),
        }
        subject = _("议事会取消：%(title)s") % values
        staff = [user for user in staff_directory([path]).village_staff(path) if user.pk != actor.pk]
        created = tell_users(
            staff,
            kind=Kind.MEETING_CANCELLED,
            key=key,
            subject=subject,
            body=_(
                "%(organization)s%(title)s原定 %(day)s %(when)s在%(place)s召开，已取消：%(reason)s。"
                "议程上的 %(count)d 件议题已退回待协商，可列入下次议事会。"
            )
            % values,
            sms=sms_fit(_("原定%(day)s%(when)s的%(organization)s议事会已取消，议题退回待协商。") % short),
            url=reverse("staff_issues:meeting_detail", kwargs={"pk": meeting.pk}),
        )
        attendee_body = (
            _("%(organization)s原定 %(day)s %(when)s在%(place)s召开的%(title)s已取消：%(reason)s。") % values
        )
        attendee_sms = sms_fit(_("原定%(day)s%(when)s在%(place)s召开的%(organization)s议事会已取消。") % short)
        for recipient in _attendees(meeting):
            if recipient.label in submitters:
                continue
            created += len(
                message_enqueue(
                    kind=Kind.MEETING_CANCELLED,
                    key=key,
                    recipient=recipient,
                    subject=subject,
                    body=attendee_body,
                    sms=attendee_sms,
                    region_path=path,
                )
            )
    return created


def _attendees(meeting: Meeting) -> list[Recipient]:
    """The members recorded on the meeting: through their account when they have an active one, else their phone."""
    recipients = []
    for person in meeting.attendees.select_related("user").order_by("pk"):
        account: User | None = getattr(person, "user", None)  # the reverse one-to-one raises when absent
        if account is not None and account.is_active:
            recipients.append(Recipient(user=account))
        elif person.phone:
            recipients.append(Recipient(phone=person.phone))
    return recipients

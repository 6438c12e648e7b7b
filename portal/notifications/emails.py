"""Email texts from templates, one set per kind (healthchecks style):

    templates/notifications/email/<kind>_subject.txt   one line
    templates/notifications/email/<kind>_body.txt      plain text
    templates/notifications/email/<kind>_body.html     HTML, extending notifications/email/base.html

Callers render the parts and hand them to message_enqueue:

    subject, text, html = email_parts(Kind.ASSIGNMENT_NEW, {"issue_title": ..., "deadline": ..., "url": ...})
    message_enqueue(kind=..., key=..., recipient=..., subject=subject, body=text, html_body=html, sms=...)

The context each kind's templates read (every one also gets `recipient`, `site_url` and `url`, made absolute):
    issue_progress        issue_title, receipt_code, state_label, comment
    issue_rate_request    issue_title, receipt_code
    assignment_new        issue_title, department, deadline
    assignment_due_soon   issue_title, department, deadline, days_left
    assignment_overdue    issue_title, department, deadline, days_overdue
    assignment_escalated  issue_title, department, deadline, days_overdue
    triage_waiting        organization, count, oldest_days
    agenda_waiting        organization, count
    no_activity_this_month organization, month
    meeting_tomorrow      meeting_title, scheduled_at, place, organization
    meeting_cancelled     meeting_title, scheduled_at, place, organization, reason
    activity_tomorrow     activity_title, starts_at, place
    activity_cancelled    activity_title, starts_at, reason
    waitlist_promoted     activity_title, starts_at, place
    login_code            code, minutes
    issue_new             issue_title, receipt_code, organization
    assignment_answered   issue_title, receipt_code, department
    assignment_returned   issue_title, receipt_code, department
    issue_rated           issue_title, receipt_code
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal.notifications.kinds import Kind

SUBJECT_MAX_LENGTH = 120  # OutboxMessage.subject


def absolute_url(url: str) -> str:
    """Links in emails leave the portal: they need the site's address in front."""
    if url.startswith("/"):
        return f"{settings.PORTAL_SITE_URL.rstrip('/')}{url}"
    return url


def email_parts(kind: str, context: Mapping[str, object]) -> tuple[str, str, str]:
    """(subject, text, html) of an email of `kind`, in Chinese, whatever language the caller runs in."""
    Kind(kind)  # an unknown kind is a programming error, not a missing template
    values = {
        "site_url": settings.PORTAL_SITE_URL.rstrip("/"),
        "recipient": "",
        **context,
        "kind_label": Kind(kind).label,
    }
    values["url"] = absolute_url(str(values.get("url") or ""))
    folder = "notifications/email"
    with translation.override(settings.LANGUAGE_CODE):
        subject: str = render_to_string(f"{folder}/{kind}_subject.txt", values)
        text = render_to_string(f"{folder}/{kind}_body.txt", values)
        html = render_to_string(f"{folder}/{kind}_body.html", values)
    # A subject is one line: template line breaks and indentation collapse to single spaces.
    subject = " ".join(subject.split())[:SUBJECT_MAX_LENGTH]
    return subject, _tidy_text(text), html.strip()


def _tidy_text(text: str) -> str:
    """Template tags leave blank lines behind; keep paragraphs, drop the runs of empty lines."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"

"""What a department's handlers are told the moment an issue is assigned to them, or sent back to them to redo.

issue_assign and issue_send_back (consultations/services.py) call these in their transactions, so this module sits
below the services and imports none of them; the reminders that follow (due soon, overdue, escalated) are sweeps in
reminders.py.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.models import Assignment
from portal.notifications.audiences import handlers_by_department, tell_users
from portal.notifications.kinds import Kind
from portal.notifications.short_texts import month_day, shorten, sms_fit

TITLE_IN_SMS = 10


def assignment_new_notify(assignment: Assignment) -> int:
    """Tells the handlers of the department about a new assignment. Called by issue_assign, in its transaction."""
    issue = assignment.issue
    title = shorten(issue.title, TITLE_IN_SMS)
    handlers = handlers_by_department([assignment.department_id])[assignment.department_id]
    return tell_users(
        handlers,
        kind=Kind.ASSIGNMENT_NEW,
        key=f"assignment:{assignment.pk}:new",
        subject=_("新的交办：%(title)s") % {"title": issue.title},
        body=_(
            "议题“%(title)s”（%(code)s）已交%(department)s办理，"
            "办理期限 %(deadline)s（%(days)d 个工作日）。请及时签收办理。"
        )
        % {
            "title": issue.title,
            "code": issue.receipt_code,
            "department": assignment.department.name,
            "deadline": month_day(assignment.deadline),
            "days": assignment.working_days,
        },
        sms=sms_fit(
            _("新交办“%(title)s”，期限%(deadline)s，请登录签收办理。")
            % {"title": title, "deadline": month_day(assignment.deadline)}
        ),
        url=reverse("department:assignment", kwargs={"pk": assignment.pk}),
        now=assignment.assigned_at,
    )


def assignment_sent_back_notify(assignment: Assignment) -> int:
    """The village found the work not done and sent the answer back: the department's handlers are told, as of a
    hand-over, by SMS too (ASSIGNMENT_NEW). Called by issue_send_back, in its transaction; each send-back is news."""
    issue = assignment.issue
    assert assignment.sent_back_at is not None  # just saved
    title = shorten(issue.title, TITLE_IN_SMS)
    handlers = handlers_by_department([assignment.department_id])[assignment.department_id]
    return tell_users(
        handlers,
        kind=Kind.ASSIGNMENT_NEW,
        key=f"assignment:{assignment.pk}:sent_back:{assignment.sent_back_at.isoformat()}",
        subject=_("退回重办：%(title)s") % {"title": issue.title},
        body=_(
            "村里核实议题“%(title)s”（%(code)s）尚未办好，已退回%(department)s重办，"
            "办理期限 %(deadline)s。理由：%(reason)s"
        )
        % {
            "title": issue.title,
            "code": issue.receipt_code,
            "department": assignment.department.name,
            "deadline": month_day(assignment.deadline),
            "reason": assignment.sent_back_reason,
        },
        sms=sms_fit(
            _("“%(title)s”村里核实未办好，退回重办，期限%(deadline)s，请登录查看。")
            % {"title": title, "deadline": month_day(assignment.deadline)}
        ),
        url=reverse("department:assignment", kwargs={"pk": assignment.pk}),
        now=assignment.sent_back_at,
    )

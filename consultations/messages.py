"""Short Chinese texts to the submitter: one SMS each (70 characters with the signature), with the receipt code."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consultations.models import Issue, Transition
from consultations.states import IssueAction
from portal.notifications.short_texts import sms_fit, sms_fits

A = IssueAction

_TEXTS = {
    A.SUBMIT: gettext_noop("您反映的“%(title)s”已收到，回执码%(code)s，可凭回执码查询进度。"),
    A.ACCEPT: gettext_noop("您反映的“%(title)s”（回执码%(code)s）已受理，将提交议事会协商。"),
    A.REJECT: gettext_noop("您反映的“%(title)s”（回执码%(code)s）未予受理，理由可凭回执码查询。"),
    A.MERGE: gettext_noop("您反映的“%(title)s”（回执码%(code)s）与同类议题合并办理，可凭回执码查询。"),
    A.PUT_ON_AGENDA: gettext_noop("您反映的“%(title)s”（回执码%(code)s）已列入议事会议程，会议时间可凭回执码查询。"),
    A.RECORD_CONSENSUS: gettext_noop("您反映的“%(title)s”（回执码%(code)s）经议事会协商已形成共识。"),
    A.NO_CONSENSUS_REQUEUE: gettext_noop("您反映的“%(title)s”（回执码%(code)s）暂未形成共识，将在下次议事会再议。"),
    A.NO_CONSENSUS_CLOSE: gettext_noop("您反映的“%(title)s”（回执码%(code)s）经协商未形成共识，协商结束。"),
    A.ASSIGN: gettext_noop("您反映的“%(title)s”（回执码%(code)s）已交职能部门办理。"),
    A.ACKNOWLEDGE: gettext_noop("您反映的“%(title)s”（回执码%(code)s）职能部门已签收，正在办理。"),
    A.RETURN: gettext_noop("您反映的“%(title)s”（回执码%(code)s）由部门退回村里，将另行研究。"),
    A.INTERIM_REPLY: gettext_noop(
        "您反映的“%(title)s”（回执码%(code)s）部门答复正在办理，承诺办结日期可凭回执码查询。"
    ),
    A.ANSWER: gettext_noop("您反映的“%(title)s”（回执码%(code)s）部门已答复办结，村里确认后公示结果。"),
    A.CONFIRM_DONE: gettext_noop("您反映的“%(title)s”（回执码%(code)s）已确认办结，结果将公示。"),
    A.SEND_BACK: gettext_noop("您反映的“%(title)s”（回执码%(code)s）村里核实尚未办好，已退回部门重办。"),
    A.RESOLVE_IN_VILLAGE: gettext_noop("您反映的“%(title)s”（回执码%(code)s）已在村内解决，结果将公示。"),
    A.PUBLISH: gettext_noop("您反映的“%(title)s”（回执码%(code)s）办理结果已公示，欢迎评价。"),
    A.REOPEN: gettext_noop("您反映的“%(title)s”（回执码%(code)s）已重新受理。"),
    A.MEETING_CANCEL: gettext_noop("您反映的“%(title)s”（回执码%(code)s）原定议事会取消，将在下次议事会协商。"),
}

TITLE_CHARS_IN_SMS = 8


def submitter_sms_for(transition: Transition) -> str:
    """The SMS for a public step of the submitter's issue, or "" when the step is not worth a message."""
    template = _TEXTS.get(IssueAction(transition.action))
    if template is None:
        return ""
    issue = transition.issue
    title = issue.title if len(issue.title) <= TITLE_CHARS_IN_SMS else issue.title[: TITLE_CHARS_IN_SMS - 1] + "…"
    return _(template) % {"title": title, "code": issue.receipt_code}


def submitter_progress_message(transition: Transition) -> tuple[str, str, str]:
    """(subject, body, sms) telling the submitter about a public step; sms is "" when no SMS is worth it."""
    issue = transition.issue
    subject = _("议题进展：%(title)s") % {"title": issue.title}
    body = _("您反映的“%(title)s”（回执码 %(code)s）：%(action)s，当前状态“%(state)s”。") % {
        "title": issue.title,
        "code": issue.receipt_code,
        "action": IssueAction(transition.action).label,
        "state": issue.get_state_display(),
    }
    if transition.comment:
        body = f"{body}\n{transition.comment}"
    return subject, body, submitter_sms_for(transition)


def rating_request_message(issue: Issue, tracking_url: str) -> tuple[str, str, str]:
    """(subject, body, sms) asking the submitter to rate a result whose notice period has ended."""
    values = {"title": issue.title, "code": issue.receipt_code}
    subject = _("请评价“%(title)s”的办理结果") % values
    body = (
        _("您反映的“%(title)s”（回执码 %(code)s）公示期满，已归档。请对办理结果作出评价，您的意见会转给办理部门。")
        % values
    )
    return subject, body, rating_request_sms(issue, tracking_url)


def rating_request_sms(issue: Issue, tracking_url: str) -> str:
    """With the tracking link when the site's address leaves room for it, otherwise with the receipt code."""
    link = f"{settings.PORTAL_SITE_URL.rstrip('/')}{tracking_url}"
    with_link = _("您的议题公示期满，请评价：%(link)s") % {"link": link}
    if sms_fits(with_link):
        return with_link
    with_code = _("您反映的议题（回执码%(code)s）公示期满已归档，请凭回执码评价办理结果。")
    return sms_fit(with_code % {"code": issue.receipt_code})

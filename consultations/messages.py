"""Short Chinese texts to the submitter: one SMS each (70 characters with the signature), with the receipt code."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from consultations.models import Transition
from consultations.states import IssueAction

A = IssueAction

_TEXTS = {
    A.SUBMIT: N_("您反映的“%(title)s”已收到,回执码%(code)s,可凭回执码查询进度。"),
    A.ACCEPT: N_("您反映的“%(title)s”(回执码%(code)s)已受理,将提交议事会协商。"),
    A.REJECT: N_("您反映的“%(title)s”(回执码%(code)s)未予受理,理由可凭回执码查询。"),
    A.MERGE: N_("您反映的“%(title)s”(回执码%(code)s)与同类议题合并办理,可凭回执码查询。"),
    A.PUT_ON_AGENDA: N_("您反映的“%(title)s”(回执码%(code)s)已列入议事会议程,会议时间可凭回执码查询。"),
    A.RECORD_CONSENSUS: N_("您反映的“%(title)s”(回执码%(code)s)经议事会协商已形成共识。"),
    A.NO_CONSENSUS_REQUEUE: N_("您反映的“%(title)s”(回执码%(code)s)暂未形成共识,将在下次议事会再议。"),
    A.NO_CONSENSUS_CLOSE: N_("您反映的“%(title)s”(回执码%(code)s)经协商未形成共识,协商结束。"),
    A.ASSIGN: N_("您反映的“%(title)s”(回执码%(code)s)已交职能部门办理。"),
    A.ACKNOWLEDGE: N_("您反映的“%(title)s”(回执码%(code)s)职能部门已签收,正在办理。"),
    A.RETURN: N_("您反映的“%(title)s”(回执码%(code)s)由部门退回村里,将另行研究。"),
    A.ANSWER: N_("您反映的“%(title)s”(回执码%(code)s)部门已办结,结果将公示。"),
    A.RESOLVE_IN_VILLAGE: N_("您反映的“%(title)s”(回执码%(code)s)已在村内解决,结果将公示。"),
    A.PUBLISH: N_("您反映的“%(title)s”(回执码%(code)s)办理结果已公示,欢迎评价。"),
    A.CLOSE_AFTER_NOTICE: N_("“%(title)s”(回执码%(code)s)公示期满已归档,请凭回执码评价办理结果。"),
    A.REOPEN: N_("您反映的“%(title)s”(回执码%(code)s)已重新受理。"),
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

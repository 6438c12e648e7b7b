"""The closed loop of seed 000 as data: states, and which action leads from which state to which.

議题征集 → 村民协商 → 共识提交 → 部门处理 → 结果公示. consultations/services.py is the only code that changes
an issue's state, and it consults TRANSITIONS before every change.
"""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class IssueState(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("待协商")
    DELIBERATING = "deliberating", _("协商中")
    AGREED = "agreed", _("已达成共识")
    ASSIGNED = "assigned", _("部门处理中")
    # The department's final answer waits for the village (or the submitter) to confirm the work is done.
    ANSWERED = "answered", _("部门已答复，待确认办结")
    HANDLED = "handled", _("已办结")
    PUBLICIZED = "publicized", _("公示中")
    CLOSED = "closed", _("已归档")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("已合并")


class IssueAction(models.TextChoices):
    SUBMIT = "submit", _("提交议题")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    MERGE = "merge", _("合并")
    PUT_ON_AGENDA = "put_on_agenda", _("列入议事会议程")
    RECORD_CONSENSUS = "record_consensus", _("形成共识")
    NO_CONSENSUS_REQUEUE = "no_consensus_requeue", _("未达成共识，下次再议")
    NO_CONSENSUS_CLOSE = "no_consensus_close", _("未达成共识，结束协商")
    RESOLVE_IN_VILLAGE = "resolve_in_village", _("村内解决")
    ASSIGN = "assign", _("提交职能部门")
    ACKNOWLEDGE = "acknowledge", _("部门签收")
    INTERIM_REPLY = "interim_reply", _("部门答复：办理中")
    ANSWER = "answer", _("部门答复办结")
    RETURN = "return", _("部门退回")
    CONFIRM_DONE = "confirm_done", _("确认办结")
    SEND_BACK = "send_back", _("退回部门重办")
    SUBMITTER_NOT_DONE = "submitter_not_done", _("反映人反馈：还没办好")
    CORRECT_TALLY = "correct_tally", _("更正表决票数")
    PUBLISH = "publish", _("发布结果公示")
    CLOSE_AFTER_NOTICE = "close_after_notice", _("公示期满归档")
    RATE = "rate", _("评价办理结果")
    REOPEN = "reopen", _("重新受理")
    MEETING_CANCEL = "meeting_cancel", _("议事会取消，退回待协商")


S, A = IssueState, IssueAction

# action → (states it may start from, state it leads to); None keeps the state (签收, 评价).
TRANSITIONS: dict[IssueAction, tuple[frozenset[IssueState], IssueState | None]] = {
    A.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    A.REJECT: (frozenset({S.SUBMITTED}), S.REJECTED),
    A.MERGE: (frozenset({S.SUBMITTED, S.ACCEPTED}), S.MERGED),
    A.PUT_ON_AGENDA: (frozenset({S.ACCEPTED}), S.DELIBERATING),
    A.RECORD_CONSENSUS: (frozenset({S.DELIBERATING}), S.AGREED),
    A.NO_CONSENSUS_REQUEUE: (frozenset({S.DELIBERATING}), S.ACCEPTED),
    A.NO_CONSENSUS_CLOSE: (frozenset({S.DELIBERATING}), S.CLOSED),
    A.RESOLVE_IN_VILLAGE: (frozenset({S.AGREED}), S.HANDLED),
    A.ASSIGN: (frozenset({S.AGREED}), S.ASSIGNED),
    A.ACKNOWLEDGE: (frozenset({S.ASSIGNED}), None),
    # A promise is not a result: the interim reply keeps the issue with the department, with a promised date.
    A.INTERIM_REPLY: (frozenset({S.ASSIGNED}), None),
    A.ANSWER: (frozenset({S.ASSIGNED}), S.ANSWERED),
    A.RETURN: (frozenset({S.ASSIGNED}), S.AGREED),
    # The issue is handled only once the village staff, or the submitter, confirm the answer was carried out.
    A.CONFIRM_DONE: (frozenset({S.ANSWERED}), S.HANDLED),
    # Not done after all: the department takes it up again, with the village's reason.
    A.SEND_BACK: (frozenset({S.ANSWERED}), S.ASSIGNED),
    # The submitter's "not done yet" moves nothing: the village staff check and confirm or send it back.
    A.SUBMITTER_NOT_DONE: (frozenset({S.ANSWERED}), None),
    A.PUBLISH: (frozenset({S.HANDLED}), S.PUBLICIZED),
    A.CLOSE_AFTER_NOTICE: (frozenset({S.PUBLICIZED}), S.CLOSED),
    A.RATE: (frozenset({S.PUBLICIZED, S.CLOSED}), None),
    A.REOPEN: (frozenset({S.CLOSED}), S.ACCEPTED),
    # The meeting will not take place: each issue on its agenda waits for the next one.
    A.MEETING_CANCEL: (frozenset({S.DELIBERATING}), S.ACCEPTED),
    # A tally recorded wrongly is corrected on the trail of the issue, whatever became of it since.
    A.CORRECT_TALLY: (frozenset(set(S) - {S.SUBMITTED}), None),
}

# States in which nothing more happens to an issue unless staff reopen it.
FINAL_STATES = frozenset({S.CLOSED, S.REJECTED, S.MERGED})
# States the public sees on the notice board and counts as resolved.
RESOLVED_STATES = frozenset({S.PUBLICIZED, S.CLOSED})
# States waiting on village staff, in the order a work queue shows them.
STAFF_QUEUE_STATES = (
    S.SUBMITTED,
    S.ACCEPTED,
    S.DELIBERATING,
    S.AGREED,
    S.ASSIGNED,
    S.ANSWERED,
    S.HANDLED,
    S.PUBLICIZED,
)


# ---- 议事会 --------------------------------------------------------------------------------------------------


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class MeetingAction(models.TextChoices):
    ADD_ISSUES = "add_issues", _("增加议题")
    RECORD_OUTCOME = "record_outcome", _("记录协商结果")
    RECORD_ATTENDANCE = "record_attendance", _("登记出席情况")
    CANCEL = "cancel", _("取消议事会")


M, MA = MeetingState, MeetingAction

# action → (states of the meeting it may be taken in, the refusal otherwise). Outcomes and attendance are
# recorded, and corrected, after the meeting too; a cancelled meeting takes nothing more.
MEETING_ACTIONS: dict[MeetingAction, tuple[frozenset[MeetingState], str | Promise]] = {
    MA.ADD_ISSUES: (frozenset({M.SCHEDULED}), _("议事会已召开或已取消，不能再增加议题。")),
    MA.RECORD_OUTCOME: (frozenset({M.SCHEDULED, M.HELD}), _("议事会已取消，不能再记录协商结果。")),
    MA.RECORD_ATTENDANCE: (frozenset({M.SCHEDULED, M.HELD}), _("议事会已取消。")),
    MA.CANCEL: (frozenset({M.SCHEDULED}), _("只有尚未召开的议事会可以取消。")),
}


def meeting_refusal(state: str, action: MeetingAction) -> str:
    """Why `action` cannot be taken on a meeting in `state`, in Chinese; "" when it can."""
    allowed_in, refusal = MEETING_ACTIONS[action]
    return "" if state in allowed_in else str(refusal)


def meeting_actions_allowed(state: str) -> frozenset[MeetingAction]:
    return frozenset(action for action in MEETING_ACTIONS if not meeting_refusal(state, action))

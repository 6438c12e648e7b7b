"""Forms of the village staff's pages: they parse what staff type; consultations.services enforces the rules.

One small form per action on an issue, each with its own prefix so that several fit on one page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Issue, IssueCategory, IssueChannel, Meeting
from consultations.receipts import normalize_receipt_code
from members.models import Person, mobile_validator
from orgs.models import Department, Organization
from orgs.search import organization_select
from portal.forms.field_types import model_choice_field
from portal.forms.service_errors import ServiceErrorsMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REQUIRED = "required"


def _text(
    label: StrOrPromise,
    *,
    required_message: StrOrPromise | None = None,
    rows: int = 3,
    max_length: int = 2000,
    **kwargs: Any,
) -> forms.CharField:
    messages: dict[str, StrOrPromise] = {"max_length": _("最多 %(limit_value)d 个字，现在是 %(show_value)d 个字。")}
    if required_message:
        messages[REQUIRED] = required_message
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=messages,
        **kwargs,
    )


def _count(label: StrOrPromise, *, initial: int = 0, max_value: int = 10000) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=max_value,
        initial=initial,
        error_messages={
            REQUIRED: _("请填写人数或票数，没有请填 0。"),
            "invalid": _("请填写整数。"),
            "min_value": _("不能小于 0。"),
            "max_value": _("不能超过 %(limit_value)s。"),
        },
    )


class StaffForm(ServiceErrorsMixin, forms.Form):
    """Puts a service's ValidationError next to the field it names, or above the form."""


# ---------------------------------------------------------------------------------------------------------
# Entering an issue on a villager's behalf

STAFF_CHANNELS = [(value, label) for value, label in IssueChannel.choices if value != IssueChannel.ONLINE]


class IssueEnterForm(StaffForm):
    organization = forms.ModelChoiceField(
        label=_("受理组织"),
        queryset=Organization.objects.none(),
        error_messages={REQUIRED: _("请选择受理组织。")},
        widget=organization_select("editable"),
    )
    channel = forms.ChoiceField(
        label=_("来源"), choices=STAFF_CHANNELS, error_messages={REQUIRED: _("请选择议题来源。")}
    )
    submitter_name = forms.CharField(
        label=_("反映人姓名"), max_length=50, error_messages={REQUIRED: _("请填写反映人的姓名。")}
    )
    submitter_phone = forms.CharField(
        label=_("反映人手机号"),
        max_length=20,
        help_text=_("用于短信告知办理进度。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={REQUIRED: _("请填写反映人的手机号。")},
    )
    phone_visible_to_department = forms.BooleanField(label=_("反映人同意职能部门查看其电话"), required=False)
    title = forms.CharField(
        label=_("标题"),
        max_length=60,
        error_messages={REQUIRED: _("请填写标题。"), "max_length": _("标题最多 %(limit_value)d 个字。")},
    )
    description = _text(_("具体情况"), required_message=_("请填写具体情况。"), rows=5)
    category = forms.ChoiceField(label=_("类别"), choices=IssueCategory.choices)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organization").queryset = organizations

    def clean_submitter_phone(self) -> str:
        phone = re.sub(r"[\s\-]", "", self.cleaned_data["submitter_phone"])
        mobile_validator(phone)
        return phone


# ---------------------------------------------------------------------------------------------------------
# Triage and the later steps of one issue


class AcceptForm(StaffForm):
    comment = _text(_("受理说明（选填）"), rows=2, max_length=500)


class RejectForm(StaffForm):
    reason = _text(
        _("不予受理的理由"),
        required_message=_("请填写不予受理的理由，反映人会看到它。"),
        rows=3,
        max_length=1000,
        help_text=_("反映人凭回执码可以看到这段理由。"),
    )


class IssueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Issue) -> str:
        return f"{obj.receipt_code} {obj.title}"


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title}（{timezone.localtime(obj.scheduled_at):%Y-%m-%d %H:%M}）"


class MergeForm(StaffForm):
    into_code = forms.CharField(
        label=_("按回执码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    into = IssueChoice(
        label=_("或从本组织在办议题中选择"),
        queryset=Issue.objects.none(),
        required=False,
        empty_label=_("—— 请选择 ——"),
    )
    comment = _text(_("合并说明（选填）"), rows=2, max_length=500)

    def __init__(self, *args: Any, targets: QuerySet[Issue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        model_choice_field(self, "into").queryset = targets

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code = normalize_receipt_code(data.get("into_code") or "")
        if code:
            target = self.targets.filter(receipt_code=code).first()
            if target is None:
                self.add_error("into_code", _("回执码 %(code)s 不是本组织在办的议题。") % {"code": code})
            elif data.get("into") and data["into"] != target:
                self.add_error("into_code", _("回执码与下拉选择的议题不一致，请只用其中一种方式。"))
            else:
                data["into"] = target
        elif not data.get("into") and "into" not in self.errors:
            self.add_error("into", _("请填写回执码或选择要合并到的议题。"))
        return data


class AgendaForm(StaffForm):
    meeting = MeetingChoice(
        label=_("议事会"),
        queryset=Meeting.objects.none(),
        empty_label=_("—— 请选择 ——"),
        error_messages={REQUIRED: _("请选择议事会。")},
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "meeting").queryset = meetings


class ResolveForm(StaffForm):
    resolution = _text(_("村内解决情况"), required_message=_("请填写村内解决的情况。"), rows=3)


class AssignForm(StaffForm):
    department = forms.ModelChoiceField(
        label=_("承办部门"),
        queryset=Department.objects.none(),
        empty_label=_("—— 请选择 ——"),
        error_messages={REQUIRED: _("请选择承办部门。")},
    )
    working_days = forms.IntegerField(
        label=_("办理时限（工作日）"),
        min_value=1,
        max_value=90,
        error_messages={
            REQUIRED: _("请填写办理时限。"),
            "invalid": _("请填写整数。"),
            "min_value": _("办理时限应在 1 到 90 个工作日之间。"),
            "max_value": _("办理时限应在 1 到 90 个工作日之间。"),
        },
    )
    instructions = _text(_("交办说明（选填）"), rows=2, max_length=1000)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"working_days": settings.ASSIGNMENT_DEFAULT_WORKING_DAYS})
        super().__init__(*args, **kwargs)
        model_choice_field(self, "department").queryset = departments


class PublishForm(StaffForm):
    title = forms.CharField(
        label=_("公示标题"),
        max_length=100,
        help_text=_("写公示的事项即可，例如“村口路灯已修复”；不必加“结果公示”字样。"),
        error_messages={REQUIRED: _("请填写公示标题。"), "max_length": _("公示标题最多 %(limit_value)d 个字。")},
    )
    body = _text(
        _("公示内容"),
        required_message=_("请填写公示内容。"),
        rows=6,
        max_length=5000,
        help_text=_("公开发布，请勿写入反映人的姓名、电话等个人信息。"),
    )
    period_days = forms.IntegerField(
        label=_("公示期（天）"),
        min_value=1,
        max_value=30,
        error_messages={
            REQUIRED: _("请填写公示期。"),
            "invalid": _("请填写整数。"),
            "min_value": _("公示期应在 1 到 30 天之间。"),
            "max_value": _("公示期应在 1 到 30 天之间。"),
        },
    )

    @classmethod
    def initial_for(cls, issue: Issue) -> dict[str, object]:
        # The notice prints the consensus under its own heading: the body carries only the result, so the
        # consensus is not printed twice. The service puts the title in the one form notices have.
        return {
            "title": issue.title,
            "body": issue.resolution_text,
            "period_days": settings.NOTICE_DEFAULT_DAYS,
        }


class ConfirmDoneForm(StaffForm):
    comment = _text(
        _("核实情况（选填）"),
        rows=2,
        max_length=500,
        help_text=_("例如：已到现场查看，路灯均已亮起。反映人会看到这段说明。"),
    )


class SendBackForm(StaffForm):
    reason = _text(
        _("哪里还没办好"),
        required_message=_("请填写退回重办的理由，部门和反映人都会看到它。"),
        rows=3,
        max_length=1000,
        help_text=_("例如：到现场查看，三盏路灯仍有一盏不亮。部门会在待办中看到这段理由，并重新办理。"),
    )


class ReopenForm(StaffForm):
    reason = _text(_("重新受理的理由"), required_message=_("请填写重新受理的理由。"), rows=2, max_length=1000)


# ---------------------------------------------------------------------------------------------------------
# Meetings


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class IssueChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Issue) -> str:
        return f"{obj.receipt_code} {obj.title}"


# A meeting's agenda lists at most this many of its organization's waiting issues (oldest first); the rest wait
# for the next meeting or are added from the meeting's page.
AGENDA_LISTED_AT_MOST = 50


class MeetingOrganizationForm(forms.Form):
    """The scheduling page's first step for staff of several organizations: the agenda lists one organization's."""

    org = forms.ModelChoiceField(
        label=_("组织"),
        queryset=Organization.objects.none(),
        error_messages={REQUIRED: _("请选择组织。")},
        widget=organization_select("editable"),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "org").queryset = organizations


class MeetingForm(StaffForm):
    organization = forms.ModelChoiceField(
        label=_("组织"),
        queryset=Organization.objects.none(),
        error_messages={REQUIRED: _("请选择组织。")},
        widget=organization_select("editable"),
    )
    title = forms.CharField(
        label=_("会议名称"), max_length=100, required=False, help_text=_("不填则为“组织名+年月+月度协商议事会”。")
    )
    scheduled_at = forms.DateTimeField(
        label=_("召开时间"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={REQUIRED: _("请填写召开时间。"), "invalid": _("请填写正确的时间，例如 2024-03-01 19:00。")},
    )
    place = forms.CharField(label=_("地点"), max_length=100, error_messages={REQUIRED: _("请填写会议地点。")})
    already_held = forms.BooleanField(
        label=_("补录已召开的会议"),
        required=False,
        help_text=_("召开时间已过时必须勾选：表示这是补录一次已经召开的会议，而不是安排新的会议。"),
    )
    issues = IssueChoices(label=_("议程（待协商议题）"), queryset=Issue.objects.none(), required=False)

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], accepted: QuerySet[Issue], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organization").queryset = organizations
        issues = model_choice_field(self, "issues")
        issues.queryset = accepted
        # The field validates against every waiting issue; the page lists the oldest few, in one query.
        shown = list(accepted[: AGENDA_LISTED_AT_MOST + 1])
        self.agenda_more = len(shown) > AGENDA_LISTED_AT_MOST
        self.agenda_listed = bool(shown)
        self.agenda_listed_at_most = AGENDA_LISTED_AT_MOST
        listed = shown[:AGENDA_LISTED_AT_MOST]
        issues.widget.choices = [(issue.pk, issues.label_from_instance(issue)) for issue in listed]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        organization = data.get("organization")
        scheduled_at = data.get("scheduled_at")
        # A past time without the box is refused by services.meeting_schedule, shown on the box.
        if scheduled_at is not None and scheduled_at >= timezone.now() and data.get("already_held"):
            self.add_error(
                "already_held", _("召开时间还没到，不是补录。请取消勾选“补录已召开的会议”，或改正召开时间。")
            )
        strangers = [
            issue for issue in data.get("issues") or () if organization and issue.organization_id != organization.pk
        ]
        if strangers:
            self.add_error(
                "issues",
                _("只能把本组织的议题列入议程：%(codes)s 不属于 %(org)s。")
                % {"codes": "、".join(issue.receipt_code for issue in strangers), "org": organization},
            )
        return data


class AddIssuesForm(StaffForm):
    issues = IssueChoices(
        label=_("增加议题"), queryset=Issue.objects.none(), error_messages={REQUIRED: _("请至少选择一个议题。")}
    )

    def __init__(self, *args: Any, accepted: QuerySet[Issue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "issues").queryset = accepted


class ConsensusForm(StaffForm):
    consensus_text = _text(_("共识内容"), required_message=_("请填写共识内容。"), rows=3)
    votes_for = _count(_("赞成"))
    votes_against = _count(_("反对"))
    votes_abstain = _count(_("弃权"))


class TallyCorrectionForm(StaffForm):
    votes_for = _count(_("赞成"))
    votes_against = _count(_("反对"))
    votes_abstain = _count(_("弃权"))
    reason = _text(_("更正理由"), required_message=_("请填写更正理由。"), rows=2, max_length=500)


NEXT_MEETING = "requeue"
CLOSE = "close"


class NoConsensusForm(StaffForm):
    note = _text(_("情况说明"), required_message=_("请说明未达成共识的情况。"), rows=2, max_length=1000)
    then = forms.ChoiceField(
        label=_("下一步"),
        choices=[(NEXT_MEETING, _("下次议事会再议")), (CLOSE, _("结束协商"))],
        initial=NEXT_MEETING,
        widget=forms.RadioSelect,
    )


class MeetingCancelForm(StaffForm):
    reason = _text(
        _("取消原因"),
        required_message=_("请填写取消原因，议程上议题的反映人会看到它。"),
        rows=2,
        max_length=1000,
        help_text=_("议程上的议题退回待协商，可列入下次议事会；反映人会收到通知并看到取消原因。"),
    )


class AttendanceForm(StaffForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("出席会员"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    villagers_count = _count(_("列席村民人数"))
    department_reps_count = _count(_("职能部门代表人数"), max_value=500)
    ufwd_reps_count = _count(_("统战部门代表人数"), max_value=500)
    minutes = _text(_("会议纪要"), rows=6, max_length=10000)
    reason = _text(
        _("更正理由"),
        rows=2,
        max_length=500,
        help_text=_("出席情况已登记过：修改人数或名单时请写明理由，会留在更正记录里。"),
    )

    def __init__(self, *args: Any, roster: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "attendees").queryset = roster

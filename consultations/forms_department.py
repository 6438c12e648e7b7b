"""What a department handler types: an answer with attachments, or the reason for returning an issue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.attachments import (
    ACCEPTED_HINT,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_COUNT,
    CheckedAttachment,
    check_attachments,
)
from portal.forms.multiple_files import MultipleFileField
from portal.forms.service_errors import ServiceErrorsMixin

ANSWER_MAX_LENGTH = 4000
INTERIM_REPLY_MAX_LENGTH = 1000
RETURN_REASON_MAX_LENGTH = 1000


class AnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(
        label=_("答复内容"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写答复内容。"),
            "max_length": _("答复内容不能超过 %(limit_value)d 字（现在 %(show_value)d 字）。"),
        },
        help_text=_("最终答复：告知村里和反映人，村里确认办理完成后才算办结。还在办理中请用“阶段性答复”。"),
    )
    attachments = MultipleFileField(label=_("附件"), accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Interpolated per form, so that the help follows the language of the request.
        self.fields["attachments"].help_text = gettext(
            "可选，最多 %(count)d 个，每个不超过 %(size)s：%(types)s。出错时请重新选择文件。"
        ) % {"count": ATTACHMENT_MAX_COUNT, "size": filesizeformat(ATTACHMENT_MAX_BYTES), "types": ACCEPTED_HINT}

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise ValidationError(_("请填写答复内容。"))
        return answer

    def clean_attachments(self) -> list[CheckedAttachment]:
        return check_attachments(self.cleaned_data.get("attachments") or [])


class DateInput(forms.DateInput):
    input_type = "date"


class InterimReplyForm(ServiceErrorsMixin, forms.Form):
    """办理中: what is being done and the date the department promises; the issue stays with it."""

    reply = forms.CharField(
        label=_("目前办理情况"),
        max_length=INTERIM_REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写目前的办理情况。"),
            "max_length": _("办理情况不能超过 %(limit_value)d 字（现在 %(show_value)d 字）。"),
        },
        help_text=_("村里和反映人会在办理进度中看到这段答复和承诺日期；议题仍由本部门办理，不算办结。"),
    )
    promised_on = forms.DateField(
        label=_("承诺办结日期"),
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"required": _("请填写承诺办结日期。"), "invalid": _("请填写正确的日期，例如 2026-12-20。")},
    )

    def clean_reply(self) -> str:
        reply = self.cleaned_data["reply"].strip()
        if not reply:
            raise ValidationError(_("请填写目前的办理情况。"))
        return reply


class ReturnForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=RETURN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写退回理由。"),
            "max_length": _("退回理由不能超过 %(limit_value)d 字（现在 %(show_value)d 字）。"),
        },
        help_text=_("退回后议题回到村里重新处理；理由会告知村里和反映人。"),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("请填写退回理由。"))
        return reason

"""Forms of the villager's pages: submit an issue, track it by receipt code, rate the result."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from consultations.models import IssueCategory, Rating
from consultations.organization_choice import OrganizationChoice, organization_choice, organizations_offered
from consultations.receipts import RECEIPT_CODE_LENGTH, normalize_receipt_code
from orgs.models import Organization
from portal.accounts.login_codes import normalize_phone
from portal.forms.multiple_files import MultipleFileField
from portal.photos import photo_accept, photo_header_check

SUBMISSION_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

PHONE_MESSAGE = _lazy("请输入 11 位手机号码，例如 13800000000。")
# What the browser checks before sending, the numbers normalize_phone accepts: an HTML pattern is anchored and
# compiled with the v flag, where a class escapes its ( ) and -.
_PHONE_SEPARATORS = r"[\s\-\(\)（）]*"
PHONE_PATTERN = (
    rf"{_PHONE_SEPARATORS}(\+86|0086|86)?{_PHONE_SEPARATORS}1[3-9]({_PHONE_SEPARATORS}[0-9]){{9}}{_PHONE_SEPARATORS}"
)
RATING_MESSAGE = _lazy("请选择满意、基本满意或不满意。")


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


class PhoneFormStyle(forms.BaseForm):
    """Bootstrap classes on every widget, and the invalid mark on the fields that failed, for plain {{ field }}."""

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-lg"
            else:
                css = "form-control form-control-lg"
            widget.attrs["class"] = css

    def add_error(self, field: str | None, error: Any) -> None:
        # Errors added after full_clean (a photo that does not decode) are marked like the others.
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        """The invalid mark on each field that failed; the first of them (in the page's order) has autofocus, so
        the browser scrolls to it and puts the cursor there even without JavaScript."""
        first = True
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            attrs.pop("autofocus", None)
            if name not in self.errors:
                continue
            classes = attrs.get("class", "").split()
            attrs["class"] = " ".join([*classes, "is-invalid"] if "is-invalid" not in classes else classes)
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{name}-errors"
            if first and not field.widget.is_hidden:
                attrs["autofocus"] = True
                first = False

    def invalid_fields(self) -> list[forms.BoundField]:
        """The fields that failed, in the page's order: the summary above the form links to each."""
        return [self[name] for name in self.fields if name in self.errors]

    def _ask_browser_to_check(self) -> None:
        """The Chinese words of the server's "required" errors, for the browser's check before sending
        (static/js/issue_form_checks.js); the browser itself adds required from the fields."""
        for field in self.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs["data-required-message"] = str(field.error_messages["required"])


class PhotosField(MultipleFileField):
    """Up to ISSUE_MAX_PHOTOS photos, checked by their headers only: decoding waits for the rest of the form.

    A form full of mistakes, or a refused submission, must not cost a worker the seconds that decoding six large
    photos takes; IssueSubmitForm.photos_reencoded() decodes them once everything else has passed.
    """

    def clean_files(self, files: list[UploadedFile]) -> list[UploadedFile]:
        # FileField's own checks are left out on purpose: an empty file gets the same "not a photo" answer
        # as any other file that is not one, next to the others, so the villager re-chooses only once.
        limit = settings.ISSUE_MAX_PHOTOS
        if len(files) > limit:
            raise ValidationError(
                _("最多上传 %(limit)d 张照片，您选了 %(count)d 张。请重新选择照片。")
                % {"limit": limit, "count": len(files)},
                code="too_many",
            )
        _each_photo(files, photo_header_check)
        return files


def _each_photo(files: list, step: Callable[[UploadedFile], object]) -> list:
    """step applied to every photo; the errors of all of them at once, so the villager re-chooses only once."""
    results, errors = [], []
    for upload in files:
        try:
            results.append(step(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        errors.append(ValidationError(_("请重新选择照片。"), code="choose_again"))
        raise ValidationError(errors)
    return results


def organization_place(organization: Organization) -> str:
    """Town and village (or district and town) of an organization, e.g. "黄湖镇 青山村"; needs region__parent."""
    region = organization.region
    return " ".join(place.name for place in (region.parent, region) if place is not None)


def organization_label(organization: Organization) -> str:
    return _("%(name)s（%(place)s）") % {"name": organization.name, "place": organization_place(organization)}


class OrganizationField(forms.ModelChoiceField):
    """The organizations offered; `known` is one already read for the page (the QR code's), taken without a query.

    The page reads the QR code's organization with the same filter as organizations_offered(), so a slug that
    names it is a valid choice as it stands.
    """

    known: Organization | None = None

    def to_python(self, value: Any) -> Organization | None:
        if self.known is not None and value == self.known.slug:
            return self.known
        return super().to_python(value)


class IssueSubmitForm(PhoneFormStyle, forms.Form):
    organization = OrganizationField(
        label=_lazy("向哪个组织反映"),
        queryset=organizations_offered(),
        to_field_name="slug",
        empty_label=_lazy("请选择组织"),
        error_messages={
            "required": _lazy("请选择要反映的组织。"),
            "invalid_choice": _lazy("这个组织暂不接受议题，请重新选择。"),
        },
    )
    title = forms.CharField(
        label=_lazy("标题"),
        max_length=60,
        error_messages={
            "required": _lazy("请填写标题。"),
            "max_length": _lazy("标题最多 60 个字，现在有 %(show_value)d 个字。"),
        },
    )
    description = forms.CharField(
        label=_lazy("具体情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _lazy("请填写具体情况。"),
            "max_length": _lazy("具体情况最多 2000 个字，现在有 %(show_value)d 个字。"),
        },
    )
    category = forms.ChoiceField(
        label=_lazy("类别"),
        choices=[("", _lazy("请选择类别")), *IssueCategory.choices],
        error_messages={"required": _lazy("请选择类别。"), "invalid_choice": _lazy("请选择类别。")},
    )
    place = forms.CharField(
        label=_lazy("地点（选填）"),
        max_length=100,
        required=False,
        error_messages={"max_length": _lazy("地点最多 100 个字，现在有 %(show_value)d 个字。")},
    )
    submitter_name = forms.CharField(
        label=_lazy("您的姓名"),
        max_length=50,
        error_messages={"required": _lazy("请填写您的姓名。"), "max_length": _lazy("姓名最多 50 个字。")},
    )
    submitter_phone = forms.CharField(
        label=_lazy("手机号码"),
        max_length=20,
        error_messages={"required": _lazy("请填写手机号码，用于查询进度和接收短信。"), "max_length": PHONE_MESSAGE},
    )
    phone_visible_to_department = forms.BooleanField(label=_lazy("同意职能部门查看我的电话"), required=False)
    photos = PhotosField(label=_lazy("照片（选填，最多 6 张）"))
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        preselected_organization=None,
        places: list[int | None] | None = None,
        organization_search: str = "",
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.preselected_organization = preselected_organization
        self.organization_search = organization_search
        self.organization_choice: OrganizationChoice | None = None
        if preselected_organization is not None:
            # From a QR code: the organization is fixed text on the page, carried by a hidden field.
            field = self.fields["organization"]
            field.widget = forms.HiddenInput()
            field.initial = preselected_organization.slug
            if isinstance(field, OrganizationField):
                field.known = preselected_organization
        else:
            self.organization_choice = organization_choice(places=places or [], search=organization_search)
            self._offer_organizations(self.organization_choice)
        if not self.is_bound and not self.initial.get("submission_token"):
            self.initial["submission_token"] = new_submission_token()
        self._style_widgets()
        attrs = self.fields
        attrs["submitter_name"].widget.attrs["autocomplete"] = "name"
        attrs["submitter_phone"].widget.attrs.update(
            {"type": "tel", "inputmode": "numeric", "autocomplete": "tel-national", "placeholder": "138 0000 0000"}
        )
        attrs["photos"].widget.attrs.update(
            {
                "accept": "image/*",
                "data-shrink-photos": "",
                "data-max-side": str(settings.ISSUE_PHOTO_MAX_SIDE),
                "data-max-count": str(settings.ISSUE_MAX_PHOTOS),
            }
        )
        attrs["title"].widget.attrs["placeholder"] = _("一句话说明，例如：村口路灯坏了")
        attrs["submitter_phone"].widget.attrs.update(
            {"pattern": PHONE_PATTERN, "data-pattern-message": str(PHONE_MESSAGE)}
        )
        self._ask_browser_to_check()

    def _offer_organizations(self, choice: OrganizationChoice) -> None:
        """The select lists the organizations of the chosen place (or found by name), each with its town and
        village. Any active organization is still accepted (the field's queryset); only what is listed is
        bounded. The one already chosen stays listed, so a form sent back with errors keeps it.
        """
        field = self.fields["organization"]
        shown = list(choice.organizations)
        chosen = self.data.get(self.add_prefix("organization")) if self.is_bound else self.initial.get("organization")
        if chosen and chosen not in {organization.slug for organization in shown}:
            shown.extend(organizations_offered().filter(slug=chosen)[:1])
        empty_label = field.empty_label if isinstance(field, forms.ModelChoiceField) else ""
        if not shown and choice.too_many:
            empty_label = _("请先选好地点，或输入名称查找")
        field.widget.choices = [("", empty_label)] + [
            (organization.slug, organization_label(organization)) for organization in shown
        ]

    def photos_reencoded(self) -> list:
        """The photos decoded and re-encoded without EXIF, for a valid form that may be saved now.

        Raises ValidationError (Chinese, one message per bad photo) when one of them cannot be decoded.
        """
        return _each_photo(self.cleaned_data.get("photos") or [], photo_accept)

    def clean_submitter_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["submitter_phone"])
        if phone is None:
            raise ValidationError(PHONE_MESSAGE)
        return phone

    def clean_submission_token(self) -> str:
        token = self.cleaned_data.get("submission_token", "")
        return token if SUBMISSION_TOKEN_PATTERN.match(token) else ""


class TrackingForm(PhoneFormStyle, forms.Form):
    code = forms.CharField(
        label=_lazy("回执码"),
        max_length=20,
        error_messages={"required": _lazy("请输入 8 位数字回执码。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "1234 5678"}),
    )
    phone_last4 = forms.CharField(
        label=_lazy("手机号后四位"),
        max_length=4,
        min_length=4,
        error_messages={
            "required": _lazy("请输入提交时所留手机号码的后四位。"),
            "min_length": _lazy("请输入 4 位数字。"),
            "max_length": _lazy("请输入 4 位数字。"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )

    def __init__(self, *args, code: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if code is not None:
            # On /issues/track/<code>/ the code is in the address; only the digits are asked for.
            del self.fields["code"]
            self.known_code = code
        self._style_widgets()

    def clean_code(self) -> str:
        code = normalize_receipt_code(self.cleaned_data["code"])
        if len(code) != RECEIPT_CODE_LENGTH:
            raise ValidationError(_("回执码是 8 位数字，请核对后再输入。"))
        return code

    def clean_phone_last4(self) -> str:
        digits = normalize_receipt_code(self.cleaned_data["phone_last4"])
        if len(digits) != 4:
            raise ValidationError(_("请输入 4 位数字。"))
        return digits


class NotDoneForm(PhoneFormStyle, forms.Form):
    """The submitter's "还没办好" instead of confirming the department's answer."""

    note = forms.CharField(
        label=_lazy("哪里还没办好（选填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _lazy("最多 500 个字，现在有 %(show_value)d 个字。")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class FeedbackForm(PhoneFormStyle, forms.Form):
    rating = forms.ChoiceField(
        label=_lazy("您对办理结果满意吗？"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_MESSAGE, "invalid_choice": RATING_MESSAGE},
    )
    comment = forms.CharField(
        label=_lazy("意见（选填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _lazy("意见最多 500 个字，现在有 %(show_value)d 个字。")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

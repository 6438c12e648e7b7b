"""Forms of the public activity pages: what a visitor without an account types on a phone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.login_codes import normalize_phone


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("手机号码"),
        max_length=20,
        error_messages={"required": _("请输入手机号码。")},
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "numeric",
                "autocomplete": "tel-national",
                "class": "form-control form-control-lg",
                "placeholder": "138 0000 0000",
            }
        ),
    )


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请输入姓名。"), "max_length": _("姓名最多 50 个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "form-control form-control-lg"}),
    )


class NameAndPhoneCleaning(forms.BaseForm):
    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("请输入 11 位手机号码。"))
        return phone

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请输入姓名。"))
        return name


class GuestSignupForm(NameAndPhoneCleaning, forms.Form):
    """A visitor signs up for a public activity with a name and a mobile number."""

    name = _name_field()
    phone = _phone_field()


class GuestCheckinForm(NameAndPhoneCleaning, forms.Form):
    """At the event, someone not logged in checks in with the phone they signed up with."""

    name = _name_field()
    phone = _phone_field()


class RegistrationCancelForm(forms.Form):
    """The registrant confirms with their phone: the link alone may have been forwarded."""

    phone = _phone_field()

    def __init__(self, *args, expected_phone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expected_phone = expected_phone

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("请输入 11 位手机号码。"))
        if phone != self.expected_phone:
            raise forms.ValidationError(_("手机号与报名时填写的不一致。"))
        return phone

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.accounts.login_codes import CODE_DIGITS, normalize_phone


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确（注意区分大小写）。连续输错 5 次，该账号将在本网络暂时锁定。"),
        "inactive": _("该账号已停用，请联系区统战部管理员。"),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].error_messages["required"] = _("请输入用户名。")
        self.fields["username"].widget.attrs.update(
            {"class": "form-control form-control-lg", "autocapitalize": "none", "autocomplete": "username"}
        )
        self.fields["password"].label = _("密码")
        self.fields["password"].error_messages["required"] = _("请输入密码。")
        self.fields["password"].widget.attrs.update(
            {"class": "form-control form-control-lg", "autocomplete": "current-password"}
        )


class PhoneForm(forms.Form):
    phone = forms.CharField(
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

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("请输入 11 位手机号码。"))
        return phone


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=CODE_DIGITS,
        min_length=CODE_DIGITS,
        error_messages={
            "required": _("请输入短信中的 6 位数字验证码。"),
            "min_length": _("请输入短信中的 6 位数字验证码。"),
            "max_length": _("请输入短信中的 6 位数字验证码。"),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "class": "form-control form-control-lg text-center login-code-input",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("请输入短信中的 6 位数字验证码。"))
        return code

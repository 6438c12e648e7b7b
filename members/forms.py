"""Forms of the roster pages: they parse what staff type; the rules are enforced by members.services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import ContactKind, ContactLog, MembershipRole, Person
from members.services import person_changes, person_profile
from orgs.models import Organization, Region
from portal.forms.field_types import choice_field, model_choice_field
from portal.forms.service_errors import ServiceErrorsMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from members.services import PersonChanges, PersonProfile


class DateInput(forms.DateInput):
    """The browser's own date picker: on a phone it is the system's, which people already know."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: StrOrPromise, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"invalid": _("请输入正确的日期，例如 2024-03-01。"), "required": _("请填写日期。")},
        **kwargs,
    )


class RosterFormMixin(ServiceErrorsMixin, forms.BaseForm):
    """Caps date pickers at today: a roster records what has happened. Service errors go next to their field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        for field in self.fields.values():
            if isinstance(field.widget, DateInput):
                field.widget.attrs["max"] = today


class PersonForm(RosterFormMixin, forms.ModelForm):
    # Wider than the model field: "138 0000 1111" as read out is accepted, then the spaces are dropped.
    phone = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=20,
        help_text=_("11位手机号码，选填。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "phone",
            "region",
            "stratum",
            "occupation",
            "industry",
            "skills",
            "political_affiliation",
            "is_representative",
            "nationality",
        ]
        error_messages = {
            "name": {"required": _("请填写姓名。")},
            "region": {"required": _("请选择所在区域。")},
            "stratum": {"required": _("请选择社会阶层。")},
        }

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = model_choice_field(self, "region")
        region.queryset = regions
        region.empty_label = _("请选择区域")
        for name in ("gender", "stratum", "political_affiliation"):
            field = choice_field(self, name)
            # The ignore: django-stubs type what `choices` returns as whatever it accepts; Django stores pairs.
            options = [(value, label) for value, label in field.choices if value]  # type: ignore[misc, union-attr]
            field.choices = [("", _("请选择")), *options]

    def clean_phone(self) -> str:
        # People type numbers with spaces or dashes, as they read them out.
        return "".join(ch for ch in self.cleaned_data.get("phone", "") if not ch.isspace() and ch != "-")

    def _get_validation_exclusions(self) -> set[str]:
        # Phone uniqueness is checked by the service, next to the field and naming the holder only when the
        # user may see them; the model constraint would say it above the form, and say less.
        # The ignore: django-stubs do not declare this (private) method of BaseModelForm.
        return {*super()._get_validation_exclusions(), "phone"}  # type: ignore[misc]

    def profile(self) -> PersonProfile:
        """What was typed into the profile's fields, for a new person."""
        return person_profile(self._typed())

    def changes(self) -> PersonChanges:
        """What was typed into the profile's fields the page kept (a phone seen masked is not on it)."""
        return person_changes(self._typed())

    def _typed(self) -> dict[str, object]:
        return {field: self.cleaned_data[field] for field in self.Meta.fields if field in self.fields}


class MembershipFields(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("组织"),
        queryset=Organization.objects.none(),
        empty_label=_("请选择组织"),
        error_messages={"required": _("请选择组织。"), "invalid_choice": _("请选择您负责范围内的组织。")},
    )
    role = forms.ChoiceField(label=_("职务"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)
    joined_on = date_field(_("入会日期"))


class PersonCreateForm(PersonForm):
    """A new person enters the roster through an organization: the first membership is part of the form."""

    organization = MembershipFields.base_fields["organization"]
    role = MembershipFields.base_fields["role"]
    joined_on = MembershipFields.base_fields["joined_on"]

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region],
        organizations: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, regions=regions, **kwargs)
        model_choice_field(self, "organization").queryset = organizations
        self.fields["joined_on"].initial = timezone.localdate()


class MembershipAddForm(RosterFormMixin, MembershipFields):
    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organization").queryset = organizations
        self.fields["joined_on"].initial = timezone.localdate()


class MembershipChangeRoleForm(RosterFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("新职务"), choices=MembershipRole.choices)
    changed_on = date_field(_("变更日期"), help_text=_("原职务于当天结束，新职务从当天开始，历史记录会保留。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()


class MembershipEndForm(RosterFormMixin, forms.Form):
    left_on = date_field(_("退出日期"))
    reason = forms.CharField(
        label=_("退出原因"),
        max_length=200,
        error_messages={"required": _("请填写退出原因。")},
        widget=forms.TextInput(attrs={"placeholder": _("如：工作调动、本人申请退出")}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class ContactLogForm(RosterFormMixin, forms.ModelForm):
    occurred_on = date_field(_("日期"))

    class Meta:
        model = ContactLog
        fields = ["occurred_on", "kind", "contacted_by", "notes"]
        widgets = {
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3, "placeholder": _("谈了什么、需要跟进什么")}),
        }
        error_messages = {
            "kind": {"required": _("请选择联系方式。")},
            "contacted_by": {"required": _("请填写联系人。")},
            "notes": {"required": _("请填写情况记录。")},
        }

    def __init__(self, *args: Any, default_contacted_by: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = ContactKind.choices  # no empty "---------" radio
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["contacted_by"].initial = default_contacted_by


def parse_day(value: str | None, default: datetime.date) -> datetime.date:
    """A date from a query string; anything unreadable falls back to the default."""
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return default

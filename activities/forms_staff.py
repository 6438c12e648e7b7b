"""Forms of the staff activity pages: they parse what staff type; activities.services enforces the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityCategory, ActivityForm, ActivityStatus, Audience
from activities.selectors import Month, hosted_or_co_hosted_by, in_month
from orgs.models import Organization
from orgs.search import organization_select
from portal.forms.field_types import model_choice_field
from portal.forms.multiple_files import MultipleFileField
from portal.forms.service_errors import ServiceErrorsMixin
from portal.photos import photo_accept

if TYPE_CHECKING:
    from django.core.files.base import ContentFile, File
    from django_stubs_ext import StrOrPromise

MAX_PHOTOS = 9
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker; values are read and shown in Asia/Shanghai (TIME_ZONE)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


def datetime_field(label: StrOrPromise, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": _("请输入正确的日期和时间，例如 2024-03-01 14:00。"), "required": _("请填写时间。")},
        **kwargs,
    )


class MultipleImageField(MultipleFileField):
    """Several pictures in one input; each is checked by its content and re-encoded without EXIF."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(accept="image/*", **kwargs)

    def clean_files(self, files: list[UploadedFile]) -> list[Any]:
        return [_activity_photo(upload) for upload in super().clean_files(files)]


class ActivityPlanForm(ServiceErrorsMixin, forms.Form):
    host = forms.ModelChoiceField(
        label=_("主办组织"),
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"required": _("请选择主办组织。"), "invalid_choice": _("不能为这个组织安排活动。")},
        widget=organization_select("editable"),
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("协办组织"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("同心荟互访至少选择一个来访或接待的同心荟。按住 Ctrl（手机上直接点选）可多选。"),
        widget=organization_select("public", multiple=True, size="6"),
        error_messages={"invalid_choice": _("所选的协办组织不存在或已停止运行。")},
    )
    title = forms.CharField(label=_("活动名称"), max_length=80, error_messages={"required": _("请填写活动名称。")})
    category = forms.ChoiceField(label=_("门类"), choices=ActivityCategory.choices)
    form = forms.ChoiceField(label=_("形式"), choices=ActivityForm.choices)
    starts_at = datetime_field(_("开始时间"))
    ends_at = datetime_field(_("结束时间"))
    place = forms.CharField(label=_("地点"), max_length=120, error_messages={"required": _("请填写活动地点。")})
    capacity = forms.IntegerField(
        label=_("名额"),
        min_value=1,
        max_value=100000,
        error_messages={
            "required": _("请填写名额。"),
            "min_value": _("名额至少为 1 人。"),
            "invalid": _("名额请填写整数。"),
        },
    )
    signup_deadline = datetime_field(_("报名截止"))
    audience = forms.ChoiceField(label=_("报名范围"), choices=Audience.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("活动介绍"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    cover = forms.FileField(
        label=_("封面图"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        # Formatted when shown, not at import: "%" on a lazy text would fix it in the language of the first import.
        help_text=lazy(
            lambda: (
                _("选填。JPG、PNG 或 WEBP，不超过 %(mb)d MB。")
                % {"mb": settings.ACTIVITY_PHOTO_MAX_BYTES // (1024 * 1024)}
            ),
            str,
        )(),
    )

    def __init__(
        self,
        *args: Any,
        hosts: QuerySet[Organization],
        partners: QuerySet[Organization],
        activity: Activity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        model_choice_field(self, "host").queryset = hosts
        model_choice_field(self, "co_hosts").queryset = partners
        if activity is not None:
            # The host of an existing activity stays: its sign-ups and log belong to that organization.
            self.fields["host"].disabled = True
            model_choice_field(self, "host").queryset = Organization.objects.filter(pk=activity.host_id)

    def clean_cover(self) -> ContentFile | None:
        upload = self.cleaned_data.get("cover")
        if not upload:
            return None
        return _activity_photo(upload)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        host = data.get("host")
        co_hosts = [org for org in data.get("co_hosts") or [] if host is None or org.pk != host.pk]
        data["co_hosts"] = co_hosts
        if data.get("form") == ActivityForm.EXCHANGE_VISIT and not co_hosts and "co_hosts" not in self.errors:
            self.add_error("co_hosts", _("同心荟互访至少要有一个协办组织（来访或接待的同心荟）。"))
        return data

    @property
    def cover_was_lost(self) -> bool:
        """The browser cannot keep a chosen file across a failed submission: tell staff to choose it again."""
        return self.is_bound and bool(self.files.get("cover"))


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("报名和候补的人会收到短信，短信里附上这个原因。"),
        error_messages={"required": _("请填写取消原因，报名的人会收到它。")},
    )


class CompleteForm(ServiceErrorsMixin, forms.Form):
    summary = forms.CharField(
        label=_("活动小结"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请写几句活动小结，它会显示在组织的公开页面上。")},
    )
    walk_in_count = forms.IntegerField(
        label=_("现场未登记人数"),
        min_value=0,
        max_value=10000,
        initial=0,
        help_text=_("没有报名、也没有扫码签到，但到场参加的人数。"),
        error_messages={"min_value": _("人数不能为负数。"), "invalid": _("人数请填写整数。")},
    )
    photos = MultipleImageField(
        label=_("活动照片"),
        help_text=_("最多 %(count)d 张，每张不超过 %(mb)d MB。")
        % {"count": MAX_PHOTOS, "mb": settings.ACTIVITY_PHOTO_MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, photos_already: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.photos_already = photos_already

    def clean_photos(self) -> list:
        photos = self.cleaned_data.get("photos") or []
        room = MAX_PHOTOS - self.photos_already
        if len(photos) > room:
            raise ValidationError(
                _("每个活动最多 %(max)d 张照片，已有 %(already)d 张，这次最多还能上传 %(room)d 张。")
                % {"max": MAX_PHOTOS, "already": self.photos_already, "room": max(room, 0)}
            )
        return photos


# ---------------------------------------------------------------------------------------------------------
# The list's filters


class ActivityStaffFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("组织"),
        queryset=Organization.objects.none(),
        method="filter_organization",
        empty_label=_("全部组织"),
        widget=organization_select("mine"),
    )
    category = django_filters.ChoiceFilter(label=_("门类"), choices=ActivityCategory.choices, empty_label=_("全部门类"))
    form = django_filters.ChoiceFilter(label=_("形式"), choices=ActivityForm.choices, empty_label=_("全部形式"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ActivityStatus.choices, empty_label=_("全部状态"))
    month = django_filters.CharFilter(
        label=_("月份"), method="filter_month", widget=forms.TextInput(attrs={"type": "month"})
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, data: object = None, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.filters["organization"].queryset = organizations

    def filter_organization(self, queryset: QuerySet[Activity], name: str, value: Organization) -> QuerySet[Activity]:
        return queryset.filter(hosted_or_co_hosted_by(value))

    def filter_month(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        month = Month.parse(value, default=None)
        if month is None:
            return queryset
        return queryset.filter(in_month(month))


def _activity_photo(upload: File) -> ContentFile:
    """A cover or an event photo: the same checks and EXIF stripping as villagers' photos, with the activity limit."""
    return photo_accept(upload, max_bytes=settings.ACTIVITY_PHOTO_MAX_BYTES)

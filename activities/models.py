import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.states import ActivityAction, ActivityStatus
from members.models import mobile_validator


class ActivityCategory(models.TextChoices):
    HERITAGE = "heritage", _("文化传承")
    ECOLOGY = "ecology", _("生态环保")
    CREATIVE_ARTS = "creative_arts", _("文创艺术")
    POLITICAL_GUIDANCE = "political_guidance", _("思政引领")
    VOLUNTEERING = "volunteering", _("志愿服务")
    SKILLS = "skills", _("技能培训")
    FELLOWSHIP = "fellowship", _("联谊交友")
    PROSPERITY = "prosperity", _("共富帮扶")
    OTHER = "other", _("其他")


class ActivityForm(models.TextChoices):
    TALK = "talk", _("分享会")
    STUDY_TOUR = "study_tour", _("考察学习")
    EXHIBITION = "exhibition", _("展览参观")
    EXCHANGE_VISIT = "exchange_visit", _("同心荟互访")
    TRADITIONAL_EXPERIENCE = "traditional_experience", _("乡村传统体验")
    LECTURE = "lecture", _("讲座")
    TRAINING = "training", _("培训")
    VOLUNTEER_SERVICE = "volunteer_service", _("志愿服务")
    FORUM = "forum", _("座谈会")
    PAIRING = "pairing", _("结对活动")
    OTHER = "other", _("其他")


class Audience(models.TextChoices):
    MEMBERS = "members", _("仅限会员")
    PUBLIC = "public", _("面向公众")


class Activity(models.Model):
    """A monthly member activity: 青山talk, a study tour, an exhibition, a visit between 同心荟…"""

    host = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="hosted_activities"
    )
    co_hosts = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("协办组织"), blank=True, related_name="co_hosted_activities"
    )
    title = models.CharField(_("活动名称"), max_length=80)
    category = models.CharField(_("门类"), max_length=24, choices=ActivityCategory.choices, db_index=True)
    form = models.CharField(_("形式"), max_length=24, choices=ActivityForm.choices, db_index=True)
    description = models.TextField(_("活动介绍"), max_length=4000, blank=True, default="")
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=120)
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    signup_deadline = models.DateTimeField(_("报名截止"))
    audience = models.CharField(_("报名范围"), max_length=16, choices=Audience.choices, default=Audience.MEMBERS)
    cover = models.ImageField(_("封面图"), upload_to="activities/covers/%Y/%m/", blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True
    )
    cancel_reason = models.TextField(_("取消原因"), blank=True, default="")
    summary = models.TextField(_("活动小结"), blank=True, default="")
    # People who came without signing up or without a phone, counted by hand at the door.
    walk_in_count = models.PositiveIntegerField(_("现场未登记人数"), default=0)
    # Seed of the rotating check-in QR code; a new one invalidates every code shown before.
    checkin_secret = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    # Stamped by the service that writes the row, from the moment it is told (`now=`): a step written for a past
    # day (the demo's history) keeps that day. Not editable, as an auto_now_add stamp was.
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["host", "starts_at"], name="activity_host_time"),
            # What the public pages list (published, not yet over) is a few thousand rows of a province's half a
            # million activities: without this, "soonest first" walked the whole history (1.5-5 s at scale 1.0).
            models.Index(fields=["starts_at"], condition=Q(status="published"), name="activity_published_time"),
        ]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message=_("结束时间必须晚于开始时间。"),
            ),
            models.CheckConstraint(
                name="activity_signup_closes_by_end",
                condition=Q(signup_deadline__lte=models.F("ends_at")),
                violation_error_message=_("报名截止时间不能晚于活动结束时间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="activities/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


class CheckinMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("工作人员代签")


class Registration(models.Model):
    """A sign-up. Members sign up as their person; the public with a name and a phone."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11, validators=[mobile_validator])
    status = models.CharField(_("状态"), max_length=16, choices=RegistrationStatus.choices, db_index=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now, editable=False)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(
        _("签到方式"), max_length=8, choices=CheckinMethod.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"], name="registration_queue"),
            models.Index(fields=["person", "status"], name="registration_person"),
            models.Index(fields=["phone", "status"], name="registration_phone"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "phone"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_phone",
                violation_error_message=_("这个手机号已经报名了本次活动。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.activity}"


class ActivityLog(models.Model):
    """Append-only record of what happened to an activity and its registrations."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="log")
    registration = models.ForeignKey(
        Registration, verbose_name=_("报名"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=32, choices=ActivityAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("说明"), blank=True, default="")
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.get_action_display()}"

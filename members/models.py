from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位手机号码，例如 13800000000。"))


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Stratum(models.TextChoices):
    """The four official groups of 新的社会阶层人士, plus foreign observers and others."""

    PRIVATE_ENTERPRISE = "private_enterprise", _("民营企业和外资企业管理技术人员")
    INTERMEDIARY = "intermediary", _("中介组织和社会组织从业人员")
    FREELANCER = "freelancer", _("自由职业人员")
    NEW_MEDIA = "new_media", _("新媒体从业人员")
    FOREIGN_OBSERVER = "foreign_observer", _("外籍观察员")
    OTHER = "other", _("其他")


class PoliticalAffiliation(models.TextChoices):
    CPC = "cpc", _("中共党员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派成员")
    NON_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True, default="")
    phone = models.CharField(
        _("手机号"), max_length=11, blank=True, default="", validators=[mobile_validator], db_index=True
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="persons"
    )
    stratum = models.CharField(_("社会阶层"), max_length=32, choices=Stratum.choices, db_index=True)
    occupation = models.CharField(_("职业"), max_length=60, blank=True, default="", db_index=True)
    industry = models.CharField(_("行业"), max_length=60, blank=True, default="")
    skills = models.CharField(_("专长"), max_length=200, blank=True, default="")
    political_affiliation = models.CharField(
        _("政治面貌"), max_length=32, choices=PoliticalAffiliation.choices, blank=True, default="", db_index=True
    )
    is_representative = models.BooleanField(_("代表人士"), default=False, db_index=True)
    nationality = models.CharField(_("国籍"), max_length=40, blank=True, default="")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="unique_person_phone_when_set",
                violation_error_message=_("该手机号已登记在人员名册中，属于另一位人员。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PublicOfficeKind(models.TextChoices):
    NPC_DEPUTY = "npc", _("人大代表")
    CPPCC_MEMBER = "cppcc", _("政协委员")


class OfficeLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")
    TOWN = "town", _("乡镇级")


class PublicOffice(models.Model):
    """A seat as 人大代表 or 政协委员, at a level, for a term."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="public_offices")
    kind = models.CharField(_("类别"), max_length=16, choices=PublicOfficeKind.choices, db_index=True)
    level = models.CharField(_("级别"), max_length=16, choices=OfficeLevel.choices)
    term = models.CharField(_("届次"), max_length=40, blank=True, default="")
    started_on = models.DateField(_("起始日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人大代表/政协委员任职")
        verbose_name_plural = _("人大代表/政协委员任职")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.get_kind_display()}"


class MembershipRole(models.TextChoices):
    PRESIDENT = "president", _("会长")
    VICE_PRESIDENT = "vice_president", _("副会长")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    MEMBER = "member", _("会员")
    OBSERVER = "observer", _("观察员")


LEADERSHIP_ROLES = (MembershipRole.PRESIDENT, MembershipRole.VICE_PRESIDENT, MembershipRole.SECRETARY_GENERAL)


def counted_on(day: datetime.date | models.F, *, through: str = "") -> Q:
    """A membership counts on `day` when it began on or before it and had not ended by then: the day someone
    leaves they no longer count, and a role change (one row ends on d, the next starts on d) counts once.
    `through` reaches memberships from another model ("memberships__") for conditional counts."""
    return Q(**{f"{through}joined_on__lte": day}) & (
        Q(**{f"{through}left_on__isnull": True}) | Q(**{f"{through}left_on__gt": day})
    )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def on(self, day: datetime.date) -> MembershipQuerySet:
        """The memberships that count on a day (see counted_on)."""
        return self.filter(counted_on(day))

    def current(self) -> MembershipQuerySet:
        """The memberships not ended: today's members, whatever date today is."""
        return self.filter(left_on__isnull=True)

    def ended(self) -> MembershipQuerySet:
        """The memberships that have ended, on whatever day: a person's former spans."""
        return self.filter(left_on__isnull=False)


class Membership(models.Model):
    """A person in an organization for a span of time. Ending it sets left_on; the row is never deleted."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("职务"), max_length=24, choices=MembershipRole.choices, default=MembershipRole.MEMBER, db_index=True
    )
    joined_on = models.DateField(_("入会日期"), db_index=True)
    left_on = models.DateField(_("退出日期"), null=True, blank=True, db_index=True)
    leave_reason = models.CharField(_("退出原因"), max_length=200, blank=True, default="")
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("会籍")
        verbose_name_plural = _("会籍")
        ordering = ["-joined_on", "id"]
        indexes = [models.Index(fields=["organization", "left_on", "joined_on"], name="membership_org_span")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership",
            ),
            models.CheckConstraint(
                name="membership_leaves_after_joining",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                violation_error_message=_("退出日期不能早于入会日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class CrossAppointment(models.Model):
    """兼任: a member who also holds a post such as 村两委委员."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="cross_appointments"
    )
    title = models.CharField(_("兼任职务"), max_length=60)
    body = models.CharField(_("任职单位"), max_length=100)
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, null=True, blank=True
    )
    started_on = models.DateField(_("起始日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("兼任职务")
        verbose_name_plural = _("兼任职务")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.body}{self.title}"


class ContactAssignment(models.Model):
    """列名联系: an official assigned to keep in touch with a representative person."""

    person = models.ForeignKey(
        Person, verbose_name=_("联系对象"), on_delete=models.CASCADE, related_name="contact_assignments"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联系领导"),
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )
    official_title = models.CharField(_("领导职务"), max_length=60, blank=True, default="")
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("列名联系")
        verbose_name_plural = _("列名联系")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.official} → {self.person}"


class ContactKind(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    FORUM = "forum", _("座谈")
    ACTIVITY = "activity", _("活动参与")
    CONDOLENCE = "condolence", _("慰问")


class ContactLog(models.Model):
    """One contact with a person. Notes are personal data: shown only to those who may see the person."""

    person = models.ForeignKey(
        Person, verbose_name=_("联系对象"), on_delete=models.CASCADE, related_name="contact_logs"
    )
    kind = models.CharField(_("方式"), max_length=16, choices=ContactKind.choices, db_index=True)
    occurred_on = models.DateField(_("日期"), db_index=True)
    contacted_by = models.CharField(_("联系人"), max_length=60)
    notes = models.TextField(_("情况记录"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="contact_logs",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.person}"

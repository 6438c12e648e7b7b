from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import REGION_SCOPED_ROLES, Role
from portal.phones import mask_phone


class User(AbstractUser):
    """A person who signs in. Staff are scoped by a region, handlers by a department, members by self."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.MEMBER, db_index=True)
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("负责区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_users",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handlers",
    )
    person = models.OneToOneField(
        "members.Person",
        verbose_name=_("对应人员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    phone = models.CharField(_("手机号"), max_length=11, blank=True, default="", db_index=True)
    display_name = models.CharField(_("显示名称"), max_length=50, blank=True, default="")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="staff_roles_have_region",
                condition=~Q(role__in=sorted(r.value for r in REGION_SCOPED_ROLES)) | Q(region__isnull=False),
                violation_error_message=_("统战部管理员和工作人员必须指定负责区域。"),
            ),
            models.CheckConstraint(
                name="handlers_have_department",
                condition=~Q(role=Role.DEPARTMENT_HANDLER) | Q(department__isnull=False),
                violation_error_message=_("部门经办人必须指定所属部门。"),
            ),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="unique_user_phone_when_set"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return str(self.get_role_display())


class LoginCodeStatus(models.TextChoices):
    ACTIVE = "active", _("待使用")
    USED = "used", _("已使用")
    SUPERSEDED = "superseded", _("已被新验证码取代")
    EXHAUSTED = "exhausted", _("错误次数过多")


class LoginCode(models.Model):
    """One request for a one-time SMS code. The rows are also the rate-limit counters, shared by all workers.

    A request for a number that belongs to no member is stored too (with no user, and nothing sent), so
    that limits, cool-downs and answers are the same whether or not the number is registered. The code (its
    hash) and the user are written by the worker that sends the SMS, so a row without them was never sent.
    """

    phone = models.CharField(_("手机号"), max_length=11)
    user = models.ForeignKey(
        User,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="login_codes",
    )
    requested_from_ip = models.GenericIPAddressField(_("请求 IP"), null=True, blank=True)
    # Salted HMAC keyed with SECRET_KEY: a copy of the database alone does not give the codes away.
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    salt = models.CharField(_("盐"), max_length=32)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=LoginCodeStatus.choices, default=LoginCodeStatus.ACTIVE)
    closed_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="login_code_phone_time"),
            models.Index(fields=["requested_from_ip", "created_at"], name="login_code_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.created_at:%Y-%m-%d %H:%M}"

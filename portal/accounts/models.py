from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import REGION_SCOPED_ROLES, Role


class User(AbstractUser):
    """A person who signs in. Staff are scoped by a region, handlers by a department, members by themselves."""

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
                condition=~Q(role__in=[r.value for r in REGION_SCOPED_ROLES]) | Q(region__isnull=False),
                violation_error_message=_("统战部管理员和工作人员必须指定负责区域。"),
            ),
            models.CheckConstraint(
                name="handlers_have_department",
                condition=~Q(role=Role.DEPARTMENT_HANDLER) | Q(department__isnull=False),
                violation_error_message=_("部门经办人必须指定所属部门。"),
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="unique_user_phone_when_set"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return str(self.get_role_display())

"""The five roles of the portal and what each may do beyond its scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区统战部管理员")
    TOWN_STAFF = "town_staff", _("镇街统战干部")
    VILLAGE_STAFF = "village_staff", _("村/同心荟工作人员")
    DEPARTMENT_HANDLER = "department_handler", _("职能部门经办人")
    MEMBER = "member", _("会员/村民")


# Roles whose work is keeping a roster and calling people: they see phones whole.
ROLES_SEEING_FULL_PHONES = frozenset({Role.DISTRICT_ADMIN, Role.VILLAGE_STAFF})

# Roles scoped by a place in the region tree.
REGION_SCOPED_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF})

# Roles that work in the Django admin.
ADMIN_SITE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TOWN_STAFF})

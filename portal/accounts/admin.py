"""Admin for user accounts: district admins hand out their district's accounts, never superuser rights."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.accounts.scoping import users_for
from portal.admin_scoping import ScopedAdminMixin, register_choice_scope
from portal.scoping import Action, is_unrestricted

PLACE_FIELDS = ("role", "region", "department", "person")


@admin.register(User)
class PortalUserAdmin(ScopedAdminMixin, UserAdmin):
    scope_queryset = staticmethod(users_for)
    # Accounts are deactivated, not deleted: contact logs and history keep pointing at their authors.
    staff_may_delete = False
    list_display = ("username", "display_name", "role", "region", "department", "is_active")
    list_select_related = ("region", "department")
    list_filter = ("role",)
    search_fields = ("username", "display_name", "first_name", "last_name", "=phone")
    ordering = ("username",)

    superuser_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("身份"), {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        (_("角色与范围"), {"fields": PLACE_FIELDS}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    staff_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("身份"), {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        (_("角色与范围"), {"fields": PLACE_FIELDS}),
        (_("状态"), {"fields": ("is_active", "is_staff")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("角色与范围"), {"fields": ("display_name", "phone", *PLACE_FIELDS, "is_staff")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if is_unrestricted(request.user) else self.staff_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["last_login", "date_joined"]
        return readonly

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if is_unrestricted(request.user):
            return form

        # The ignore: the base is the form Django built for this request, which mypy cannot take from a variable.
        class DistrictAccountForm(form):  # type: ignore[valid-type, misc]
            def clean(self):
                cleaned = super().clean()
                # An account without a region or department would fall outside the district at once.
                if not cleaned.get("region") and not cleaned.get("department"):
                    raise ValidationError(_("请为账号指定负责区域或所属部门（须在您的管辖范围内）。"))
                return cleaned

        return DistrictAccountForm

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not is_unrestricted(request.user):
            # The form does not offer these fields; this makes sure no crafted POST grants them either.
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


register_choice_scope(User, lambda user: users_for(user, Action.VIEW))

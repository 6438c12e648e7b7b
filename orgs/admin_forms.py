"""The admin's forms for the region tree and organizations: each saves through orgs.services."""

from __future__ import annotations

from typing import Any, cast

from django.db import models

from members.admin_writes import ServiceModelForm
from orgs import services
from orgs.models import Organization, Region
from portal.accounts.models import User


class RegionAdminForm(ServiceModelForm):
    class Meta:
        model = Region
        fields = "__all__"

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        if self.instance.pk is None:
            return services.region_add(actor=actor, name=data["name"], level=data["level"], parent=data.get("parent"))
        # The casts: the admin form's field names, known at run time, become the services' typed keys.
        changes = cast("services.RegionChanges", self.changed_values())
        return services.region_update(actor=actor, region=self.instance, changes=changes)


class OrganizationAdminForm(ServiceModelForm):
    class Meta:
        model = Organization
        fields = "__all__"

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        partners = data.pop("partners", None)
        fields = {name: value for name, value in data.items() if name in services.ORGANIZATION_FIELDS}
        if self.instance.pk is None:
            return services.organization_create(
                actor=actor, fields=cast("services.OrganizationFields", fields), partners=partners or ()
            )
        changes = {name: value for name, value in self.changed_values().items() if name in fields}
        return services.organization_update(
            actor=actor,
            organization=self.instance,
            changes=changes,
            partners=partners if "partners" in self.changed_data else None,
        )

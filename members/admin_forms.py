"""The admin's forms for people, memberships and contact records: each saves through members.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members import services
from members.admin_writes import ServiceModelForm
from members.models import ContactAssignment, ContactLog, CrossAppointment, Membership, Person, PublicOffice
from portal.accounts.models import User


class PersonAdminForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = "__all__"

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        if self.instance.pk is None:
            return services.person_create(actor=actor, profile=services.person_profile(data))
        changes = services.person_changes(self.changed_values())
        return services.person_update(person=self.instance, actor=actor, changes=changes)


class MembershipAdminForm(ServiceModelForm):
    """Adding records a span (a past one too, with its end); changing an open one is a step on it.

    A new role ends the row on the day of the change and opens a new one (history is never overwritten);
    a leaving date ends it, with a reason.
    """

    changed_on = forms.DateField(
        label=_("职务变更日期"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("变更职务时填写：原职务于当天结束，新职务从当天开始，历史记录会保留。"),
    )

    class Meta:
        model = Membership
        fields = "__all__"

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        if self.instance.pk is None:
            return services.membership_add(
                actor=actor,
                person=data["person"],
                organization=data["organization"],
                role=data["role"],
                joined_on=data["joined_on"],
                left_on=data.get("left_on"),
                leave_reason=data.get("leave_reason", ""),
            )
        changes = {name: value for name, value in self.changed_values().items() if name != "changed_on"}
        new_role = "role" in changes
        ends = changes.get("left_on") is not None
        if new_role and ends:
            raise ValidationError(gettext("变更职务和办理退出请分两次保存。"))
        if new_role:
            if not data.get("changed_on"):
                raise ValidationError({"changed_on": gettext("变更职务请填写变更日期。")})
            return services.membership_change_role(
                membership=self.instance, role=data["role"], changed_on=data["changed_on"], actor=actor
            )
        if ends:
            return services.membership_end(
                membership=self.instance,
                left_on=data["left_on"],
                reason=data.get("leave_reason", ""),
                actor=actor,
            )
        if changes:
            raise ValidationError(gettext("在册会籍只能变更职务或办理退出；其他内容请如实新增一条会籍。"))
        return self.instance


class ContactLogAdminForm(ServiceModelForm):
    class Meta:
        model = ContactLog
        fields = "__all__"

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        if self.instance.pk is None:
            return services.contact_log_add(
                actor=actor,
                person=data["person"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                contacted_by=data.get("contacted_by", ""),
                notes=data["notes"],
            )
        return services.contact_log_update(actor=actor, log=self.instance, changes=self.changed_values())


class ContactAssignmentAdminForm(ServiceModelForm):
    class Meta:
        model = ContactAssignment
        fields = "__all__"

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        if self.instance.pk is None:
            return services.contact_assignment_add(
                actor=actor,
                person=data["person"],
                official=data["official"],
                official_title=data.get("official_title", ""),
                started_on=data["started_on"],
                ended_on=data.get("ended_on"),
            )
        return services.contact_assignment_update(actor=actor, assignment=self.instance, changes=self.changed_values())


class PersonRecordAdminForm(ServiceModelForm):
    """A seat (人大代表/政协委员) or a concurrent post: added to a person, then corrected; never moved to another."""

    fields_of_service: frozenset[str]

    def add(self, *, actor: User, person: Person, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, *, actor: User, changes: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        if self.instance.pk is None:
            values = {name: value for name, value in data.items() if name in self.fields_of_service}
            return self.add(actor=actor, person=data["person"], values=values)
        changes = {name: value for name, value in self.changed_values().items() if name in self.fields_of_service}
        return self.update(actor=actor, changes=changes)


class PublicOfficeAdminForm(PersonRecordAdminForm):
    fields_of_service = services.PUBLIC_OFFICE_FIELDS

    class Meta:
        model = PublicOffice
        fields = "__all__"

    def add(self, *, actor: User, person: Person, values: dict[str, Any]) -> models.Model:
        return services.public_office_add(actor=actor, person=person, values=values)

    def update(self, *, actor: User, changes: dict[str, Any]) -> models.Model:
        return services.public_office_update(actor=actor, office=self.instance, changes=changes)


class CrossAppointmentAdminForm(PersonRecordAdminForm):
    fields_of_service = services.CROSS_APPOINTMENT_FIELDS

    class Meta:
        model = CrossAppointment
        fields = "__all__"

    def add(self, *, actor: User, person: Person, values: dict[str, Any]) -> models.Model:
        return services.cross_appointment_add(actor=actor, person=person, values=values)

    def update(self, *, actor: User, changes: dict[str, Any]) -> models.Model:
        return services.cross_appointment_update(actor=actor, appointment=self.instance, changes=changes)

"""Admin forms that save through the services, so the admin is refused by the same rules as the staff pages.

A ServiceModelForm does not save its instance: once its fields are clean it calls its service with the acting
user, and a refusal (ValidationError, PermissionDenied) becomes the form's errors, shown next to the field it
names, with what was typed kept. ServiceAdminMixin hands the form its actor, returns the service's object to
the admin, skips the admin's own save, and rolls the whole request back when the page is shown again with
errors (an inline that fails after the service ran leaves nothing half-saved).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext

from portal.accounts.models import User
from portal.admin_bases import ModelAdminBase
from portal.forms.service_errors import ServiceErrorsMixin


class ServiceModelForm(ServiceErrorsMixin, forms.ModelForm):
    actor: User
    saved_object: models.Model | None = None

    def save_through_service(self, *, actor: User, data: dict[str, Any]) -> models.Model:
        """Call the service that writes what the form holds; return the object it wrote."""
        raise NotImplementedError

    def changed_values(self) -> dict[str, Any]:
        """The cleaned values of the fields the user changed: what an update service is asked to write."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}

    def _post_clean(self) -> None:
        # The model's own validation (constraints with messages that would say too much, e.g. that a phone
        # belongs to someone) is the service's job, with the actor's scope in mind.
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.saved_object = self.save_through_service(actor=self.actor, data=dict(self.cleaned_data))
        except ValidationError as error:
            self.add_service_error(error)
        except PermissionDenied as error:
            self.add_error(None, str(error) or gettext("您不能执行这项操作。"))

    def save_m2m(self) -> None:
        """The service wrote the relations too."""

    def save(self, commit: bool = True) -> models.Model:
        assert self.saved_object is not None, "save() before a successful validation"
        return self.saved_object


class ServiceAdminMixin(ModelAdminBase):
    """Put before ScopedAdminMixin in the bases of a ModelAdmin whose form is a ServiceModelForm."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_form(self, request: HttpRequest, form: ServiceModelForm, change: bool) -> models.Model:
        return form.save(commit=False)

    def save_model(self, request: HttpRequest, obj: models.Model, form: ServiceModelForm, change: bool) -> None:
        """Saved by the service while the form was validated."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if not isinstance(response, HttpResponseRedirect):
                transaction.set_rollback(True)
        return response

"""A service's refusal shown on the form that asked for it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """For forms whose cleaned data goes to a service that may still refuse it with a ValidationError.

    The service knows rules a form cannot (overlaps, scope, state), and names the field it objects to: the
    message goes next to that field, or above the form when the field is not on it. The form stays bound, so
    what was typed is shown again.
    """

    def add_service_error(self, error: ValidationError) -> None:
        assert isinstance(self, forms.BaseForm)
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)

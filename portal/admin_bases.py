"""What an admin mixin is checked as: the admin it is mixed into.

A mixin that calls super().get_form() or reads self.fields only makes sense in front of a ModelAdmin (or an
inline), which a type checker cannot know from a plain class. Under TYPE_CHECKING these names are Django's
admin classes; at run time they are `object`, so a mixin adds nothing to the classes it is mixed into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin as ModelAdminBase
    from django.contrib.admin.options import BaseModelAdmin as AnyAdminBase
else:
    ModelAdminBase = AnyAdminBase = object

__all__ = ["AnyAdminBase", "ModelAdminBase"]

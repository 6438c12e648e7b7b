"""The preferences form: one checkbox per kind and channel; required channels are shown checked and locked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import Channel, Kind
from portal.notifications.selectors import CHANNEL_ORDER, KindChoice

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class ChannelPreferencesForm(forms.Form):
    def __init__(self, *args: Any, choices: list[KindChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_choices = choices
        for choice in choices:
            for channel in CHANNEL_ORDER:
                required = channel in choice.required
                self.fields[field_name(choice.kind, channel)] = forms.BooleanField(
                    label=Channel(channel).label,
                    required=False,
                    initial=required or channel in choice.chosen,
                    # A disabled field ignores what is posted and keeps its initial value: always on.
                    disabled=required,
                    help_text=_("必须保留") if required else "",
                )

    def rows(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        """For the template: each kind's label with its channel checkboxes, in the order of the columns."""
        return [
            (Kind(choice.kind).label, [self[field_name(choice.kind, channel)] for channel in CHANNEL_ORDER])
            for choice in self.kind_choices
        ]

    def chosen_channels(self) -> dict[str, set[str]]:
        return {
            choice.kind: {
                channel for channel in CHANNEL_ORDER if self.cleaned_data.get(field_name(choice.kind, channel))
            }
            for choice in self.kind_choices
        }

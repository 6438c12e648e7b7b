"""Several files chosen in one file input, cleaned to a list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


def uploads_in(data: object) -> list[Any]:
    """What a multiple file input sent, as a list; nothing chosen is an empty list."""
    if isinstance(data, list | tuple):
        return [each for each in data if each]
    return [data] if data else []


class MultipleFileField(forms.FileField):
    """Several files under one name; cleans to a list, empty when none were chosen.

    A subclass checks or converts the whole list in clean_files, where it can also compare the count with a limit.
    """

    widget = MultipleFileInput

    def __init__(self, *, accept: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else None))
        super().__init__(**kwargs)

    def clean(self, data: object, initial: object = None) -> list[Any]:
        return self.clean_files(uploads_in(data))

    def clean_files(self, files: list[UploadedFile]) -> list[Any]:
        """Each file through FileField's own checks: it has a name and is not empty."""
        cleaned = []
        for upload in files:  # not a comprehension: zero-argument super() fails inside one before Python 3.12
            cleaned.append(super().clean(upload))
        return cleaned

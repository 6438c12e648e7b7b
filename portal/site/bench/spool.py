"""Rows spooled to one file per table in PostgreSQL's COPY text format, then copied in dependency order.

The generator writes rows of many tables at once (an issue brings its trail, agenda items, notice, messages),
while a connection copies into one table at a time: files in between keep memory bounded whatever the scale.
"""

from __future__ import annotations

import datetime
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.db import models
from django.db.models.fields import NOT_PROVIDED

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")
NULL = "\\N"
_REQUIRED = object()


def _text(value: object) -> str:
    # Django prints a choice (a str subclass) as its value.
    text = value if type(value) is str else str(value)
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def _integer(value: object) -> str:
    return str(value) if type(value) is int else str(int(value))  # type: ignore[call-overload]


def _boolean(value: object) -> str:
    return "t" if value else "f"


def _moment(value: object) -> str:
    assert isinstance(value, datetime.datetime)
    return value.isoformat(sep=" ")


def _day(value: object) -> str:
    assert isinstance(value, datetime.date)
    return value.isoformat()


def _json(value: object) -> str:
    return _text(json.dumps(value, ensure_ascii=False))


Format = Callable[[object], str]
_INTEGER_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "ForeignKey",
        "OneToOneField",
    }
)
_FORMATS: dict[str, Format] = {
    "BooleanField": _boolean,
    "DateTimeField": _moment,
    "DateField": _day,
    "JSONField": _json,
}


def column_format(field: models.Field[Any, Any]) -> Format:
    """How a column's values (other than None) are written in COPY text, chosen once per column."""
    kind = field.get_internal_type()
    return _integer if kind in _INTEGER_TYPES else _FORMATS.get(kind, _text)


def _column_default(field: models.Field[Any, Any]) -> object:
    """What a row gets when the generator leaves the column out; _REQUIRED when it must say."""
    if field.primary_key:
        return _REQUIRED
    if field.default is not NOT_PROVIDED:
        # A callable default (timezone.now, a random token) would make rows differ from run to run.
        return _REQUIRED if callable(field.default) else field.default
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField) and field.blank:
        return ""
    return _REQUIRED


class TableSpool:
    """The rows of one table, as lines of COPY text in a temporary file."""

    def __init__(self, model: type[models.Model], folder: Path) -> None:
        self.model = model
        self.table = model._meta.db_table
        concrete = list(model._meta.concrete_fields)
        self.columns = [field.column for field in concrete]
        self._attnames = [field.attname for field in concrete]
        self._defaults = [_column_default(field) for field in concrete]
        formats = [column_format(field) for field in concrete]
        # (name, format, the default already written out) for each column.
        self._plan = [
            (name, write, "" if default is _REQUIRED else NULL if default is None else write(default))
            for name, write, default in zip(self._attnames, formats, self._defaults, strict=True)
        ]
        self.rows = 0
        self.path = folder / f"{self.table}.copy"
        self._file: IO[str] = self.path.open("w", encoding="utf-8", newline="\n")

    def add(self, **values: object) -> None:
        if self.rows == 0:
            missing = [
                name
                for name, default in zip(self._attnames, self._defaults, strict=True)
                if default is _REQUIRED and name not in values
            ]
            unknown = set(values) - set(self._attnames)
            if missing or unknown:
                raise ValueError(f"{self.table}: missing {missing}, unknown {sorted(unknown)}")
        self._file.write(
            "\t".join(
                [
                    default
                    if (value := values.get(name, _REQUIRED)) is _REQUIRED
                    else NULL
                    if value is None
                    else write(value)
                    for name, write, default in self._plan
                ]
            )
        )
        self._file.write("\n")
        self.rows += 1

    def close(self) -> None:
        self._file.close()

    def blocks(self, size: int = 1 << 20) -> Iterator[bytes]:
        with self.path.open("rb") as source:
            while block := source.read(size):
                yield block


class Spools:
    """One spool per model, in the order the models are first written to, which is the order they are copied:
    the generator writes parents before children."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="bench-province-")
        self.folder = Path(self._folder.name)
        self._by_model: dict[type[models.Model], TableSpool] = {}

    def __getitem__(self, model: type[models.Model]) -> TableSpool:
        spool = self._by_model.get(model)
        if spool is None:
            spool = self._by_model[model] = TableSpool(model, self.folder)
        return spool

    def declare(self, *tables: type[models.Model]) -> None:
        """Fix the copy order up front (parents first), whatever order the generator first writes them in."""
        for model in tables:
            self[model]

    def __iter__(self) -> Iterator[TableSpool]:
        return iter(self._by_model.values())

    def close(self) -> None:
        for spool in self:
            spool.close()

    def cleanup(self) -> None:
        self._folder.cleanup()

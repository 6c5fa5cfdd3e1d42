"""Dotted paths against a schema: which table or field a path names, and its default.

A path is a sequence of keys and list indices (``enforcement.orders.0.start``). These
helpers read the schema classes only; they never validate data.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

Part = str | int


def model_class(annotation: Any) -> type[BaseModel] | None:
    """The schema section an annotation holds (directly, in a list, or optional), if any."""
    for cand in (annotation, *get_args(annotation)):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
        inner = get_args(cand)
        if get_origin(cand) is list and inner:
            found = model_class(inner[0])
            if found is not None:
                return found
    return None


def _is_index(part: Part) -> bool:
    return isinstance(part, int) or part.isdigit()


def field_at(schema: type[BaseModel], parts: Sequence[Part]) -> tuple[type[BaseModel], str] | None:
    """The section class that declares the last key of ``parts`` and that key, if declared.

    List indices are skipped, so ``lapses.venue_factor.1`` names ``venue_factor``.
    """
    cls: type[BaseModel] | None = schema
    found: tuple[type[BaseModel], str] | None = None
    for part in parts:
        if _is_index(part):
            continue
        if cls is None or str(part) not in cls.model_fields:
            return None
        found = (cls, str(part))
        cls = model_class(cls.model_fields[str(part)].annotation)
    return found


def table_at(schema: type[BaseModel], parts: Sequence[Part]) -> type[BaseModel] | None:
    """The section class of the table at ``parts`` (``()`` is the whole file)."""
    cls: type[BaseModel] | None = schema
    for part in parts:
        if _is_index(part):
            continue
        if cls is None or str(part) not in cls.model_fields:
            return None
        cls = model_class(cls.model_fields[str(part)].annotation)
    return cls


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@functools.cache
def _defaults(schema: type[BaseModel]) -> BaseModel:
    return schema()


def default_at(schema: type[BaseModel], parts: Sequence[Part]) -> Any:
    """The schema's default at ``parts`` as plain data (dicts, lists), or None if it has none.

    Inside a list item the item class's field defaults apply (``orders.0.provinces`` is
    ``["*"]``), since a list's items have no default of their own.
    """
    cls: type[BaseModel] | None = schema
    value: Any = _defaults(schema)
    for part in parts:
        if _is_index(part):
            index = int(part)
            value = value[index] if isinstance(value, list) and index < len(value) else None
            continue
        if cls is None or str(part) not in cls.model_fields:
            return None
        field: FieldInfo = cls.model_fields[str(part)]
        if isinstance(value, BaseModel):
            value = getattr(value, str(part))
        else:
            value = field.get_default(call_default_factory=True)
            if value is PydanticUndefined:
                return None
        cls = model_class(field.annotation)
    return _plain(value)


def keys_of(schema: type[BaseModel], parts: Sequence[Part]) -> list[str]:
    """The keys allowed in the table at ``parts`` (empty if ``parts`` is no table)."""
    cls = table_at(schema, parts)
    return list(cls.model_fields) if cls is not None else []

"""The one way a model parameter is declared: default, unit, bounds and provenance together.

Every schema in loyalsim (the core scenario and the classic models) declares parameters with
``param`` so that docs, CLI help, sweep bounds and the explorer read the same facts.

Values are checked strictly: a number is never read from a string or a boolean (``"0.05"``
and ``true`` are refused where a number is expected), an integer is never read from a
float, NaN and infinity are refused (``InfOrFinite`` admits infinity where it means
"never"), dates lie between ``limits.DATE_MIN`` and ``limits.DATE_MAX``, and every text has
a length limit and no control characters.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from loyalsim.scenario.limits import (
    DATE_MAX,
    DATE_MIN,
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_input(value: Any) -> Any:
    """TOML gives dates; JSON (the explorer, sweep designs) gives ISO strings: accept both."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date YYYY-MM-DD without a time of day")
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError("must be a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a date YYYY-MM-DD that exists in the calendar") from None
    return value


def _date_in_range(value: dt.date) -> dt.date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"outside the dates loyalsim handles; allowed: {DATE_MIN} to {DATE_MAX}")
    return value


def _no_control_characters(value: str) -> str:
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise ValueError(f"contains the control character {bad!r}; allowed: one line of text")
    return value


def _not_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        raise ValueError("must be a number, not NaN")
    return value


Date = Annotated[dt.date, BeforeValidator(_date_input), AfterValidator(_date_in_range)]
"""A calendar date between ``DATE_MIN`` and ``DATE_MAX`` (TOML date or ISO string)."""

Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_NAME_CHARS),
    AfterValidator(_no_control_characters),
]
"""A non-empty one-line name (scenario, province, order, event)."""

Label = Annotated[
    str, StringConstraints(max_length=MAX_NAME_CHARS), AfterValidator(_no_control_characters)
]
"""A one-line label that may be empty."""

Description = Annotated[
    str,
    StringConstraints(max_length=MAX_DESCRIPTION_CHARS),
    AfterValidator(_no_control_characters),
]
"""A one-line description."""

InfOrFinite = Annotated[float, AllowInfNan(True), BeforeValidator(_not_nan)]
"""A number that may be infinite (e.g. a life sentence) but never NaN."""


class Section(BaseModel):
    """Base of every schema section: unknown keys are refused, values are validated on set.

    ``strict``: no string-to-number, bool-to-number or float-to-int coercion (pydantic's
    strict mode); ``allow_inf_nan=False``: NaN and infinity are refused everywhere, lists
    included, unless a field is declared ``InfOrFinite``.
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, strict=True, allow_inf_nan=False
    )


class ModelFile(Section):
    """The root of a scenario or preset file: every model's root schema derives from it."""

    name: Name = Field("custom", description="Scenario or preset name.")
    description: Description = Field("", description="One line shown by `loyalsim presets`.")


def param(
    default: Any,
    *,
    unit: str,
    provenance: str,
    description: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """Declare a parameter. ``provenance`` is a claim ID, a published source or "assumption"."""
    extra: dict[str, Any] = {"unit": unit, "provenance": provenance}
    return Field(
        default=default,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        description=description,
        json_schema_extra=extra,
    )


def setting(
    default: Any = ...,
    *,
    provenance: str,
    description: str,
    unit: str = "-",
    default_factory: Any = None,
    **constraints: Any,
) -> Any:
    """Declare a non-numeric parameter (date, choice, list, flag) with its provenance."""
    extra: dict[str, Any] = {"unit": unit, "provenance": provenance}
    if default_factory is not None:
        return Field(
            default_factory=default_factory,
            description=description,
            json_schema_extra=extra,
            **constraints,
        )
    return Field(default, description=description, json_schema_extra=extra, **constraints)


def param_info(model: type[BaseModel], name: str) -> dict[str, Any]:
    """Unit, provenance, description and numeric bounds of one field of ``model``."""
    field = model.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    bounds: dict[str, Any] = {}
    for meta in field.metadata:
        for attr in ("ge", "le", "gt", "lt", "max_length"):
            value = getattr(meta, attr, None)
            if value is not None:
                bounds[attr] = value
    return {
        "default": field.default,
        "unit": extra.get("unit", ""),
        "provenance": extra.get("provenance", ""),
        "description": field.description or "",
        **bounds,
    }

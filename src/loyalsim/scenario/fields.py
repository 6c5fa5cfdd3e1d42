"""The one way a model parameter is declared: default, unit, bounds and provenance together.

Every schema in loyalsim (the core scenario and the classic models) declares parameters with
``param`` so that docs, CLI help, sweep bounds and the explorer read the same facts.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    """Base of every schema section: unknown keys are refused, values are validated on set."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class ModelFile(Section):
    """The root of a scenario or preset file: every model's root schema derives from it."""

    name: str = Field("custom", min_length=1, description="Scenario or preset name.")
    description: str = Field("", description="One line shown by `loyalsim presets`.")


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
        for attr in ("ge", "le", "gt", "lt"):
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

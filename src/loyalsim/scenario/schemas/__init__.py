"""Typed schemas of every model's scenario files, one module per model (pydantic only).

A scenario file names its model with a top-level ``model`` key; ``root_schema(name)`` gives
the pydantic class that validates the whole file. Schemas live here, below the models that
run them, so that loading or checking a scenario imports no simulation code.
"""

from __future__ import annotations

import importlib

from pydantic import BaseModel

# model name -> (schema module, root class). The module names match the model names.
ROOTS: dict[str, tuple[str, str]] = {
    "loyalty": ("loyalsim.scenario.schemas.loyalty", "Scenario"),
    "civil_violence": ("loyalsim.scenario.schemas.civil_violence", "CivilViolenceConfig"),
    "emperors_dilemma": ("loyalsim.scenario.schemas.emperors_dilemma", "EmperorsDilemmaConfig"),
    "thresholds": ("loyalsim.scenario.schemas.thresholds", "ThresholdsConfig"),
}
MODEL_NAMES = tuple(sorted(ROOTS))


def root_schema(model: str) -> type[BaseModel]:
    """The root schema class of ``model``; KeyError names the allowed models."""
    if model not in ROOTS:
        raise KeyError(f"unknown model {model!r}; allowed: {', '.join(MODEL_NAMES)}")
    module, name = ROOTS[model]
    schema: type[BaseModel] = getattr(importlib.import_module(module), name)
    return schema

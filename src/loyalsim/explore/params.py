"""The main parameters the explorer shows, with unit, bounds and description from the schema."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from loyalsim.scenario.fields import param_info
from loyalsim.scenario.io import ScenarioError, load
from loyalsim.scenario.schema import Scenario

MAIN_PARAMETERS = (
    "time.n_steps",
    "sessions.per_week_per_intensity",
    "lapses.base_logit",
    "lapses.detect_base",
    "lapses.countermeasure_weight",
    "enforcement.case_prob",
    "enforcement.struggle_delay_weeks",
    "struggle.sincere_loyalty_threshold",
    "beliefs.young_multiplier",
    "beliefs.severity_struggle",
    "contagion.peer_rate",
    "adaptation.monitor_learning_rate",
    "amnesty.corruption",
    "amnesty.hero_preference",
)


def section_for(path: str) -> tuple[type[BaseModel], str]:
    """The schema section class that declares ``path`` and the field's name."""
    model: type[BaseModel] = Scenario
    *parents, name = path.split(".")
    for part in parents:
        if part.isdigit():
            continue
        annotation = model.model_fields[part].annotation
        candidates = get_args(annotation) or (annotation,)
        model = next(c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel))
    return model, name


def _value(config: BaseModel, path: str) -> Any:
    node: Any = config
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


def describe(preset: str) -> list[dict[str, Any]]:
    """The main parameters of a preset: path, value, unit, bounds, description, provenance."""
    try:
        config = load(preset)
    except ScenarioError:
        raise
    out = []
    for path in MAIN_PARAMETERS:
        section, name = section_for(path)
        info = param_info(section, name)
        out.append(
            {
                "path": path,
                "value": _value(config, path),
                "unit": info["unit"],
                "min": info.get("ge", info.get("gt")),
                "max": info.get("le", info.get("lt")),
                "description": info["description"],
                "provenance": info["provenance"],
            }
        )
    return out

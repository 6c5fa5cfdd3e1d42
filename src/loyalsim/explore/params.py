"""The main parameters the explorer shows, with unit, bounds and description from the schema."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from loyalsim.scenario.fields import param_info
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import Scenario

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


def info_row(path: str, value: Any) -> dict[str, Any]:
    """Path, value, unit, bounds, description and provenance of one parameter."""
    section, name = section_for(path)
    info = param_info(section, name)
    return {
        "path": path,
        "value": value,
        "unit": info["unit"],
        "min": info.get("ge", info.get("gt")),
        "max": info.get("le", info.get("lt")),
        "description": info["description"],
        "provenance": info["provenance"],
    }


def describe(preset: str) -> list[dict[str, Any]]:
    """The main parameters of a preset (raises ``ScenarioError`` for an unknown preset)."""
    config = load(preset)
    return [info_row(path, _value(config, path)) for path in MAIN_PARAMETERS]


def population_row() -> dict[str, Any]:
    """The population size control: the explorer's own default, the schema's unit and bounds."""
    return info_row(POPULATION, EXPLORER_POPULATION)


POPULATION = "population.n_people"
# Small enough that a run takes seconds on a laptop; the schema's default is a full run.
EXPLORER_POPULATION = 20_000

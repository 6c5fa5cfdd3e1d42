"""What the page shows of a preset: the main parameters and the campaign orders, with their
labels, units, bounds, descriptions and sources from the schema's metadata."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from loyalsim.explore.forms import ORDER_KEYS, preset_name
from loyalsim.explore.series import DEFAULT_METRICS
from loyalsim.scenario.fields import param_info
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas import loyalty as schema

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
    "adaptation.monitor_learn_missed",
    "amnesty.corruption",
    "amnesty.hero_preference",
)
POPULATION = "population.n_people"
# Small enough that a run takes seconds on a laptop; the schema's default is a full run.
EXPLORER_POPULATION = 20_000
# Order fields the page edits; the others are carried over unchanged from the preset.
ORDER_FIELDS = ("name", "start", "provinces", "age_groups", "organisations", "regime")


def section_for(path: str) -> tuple[type[BaseModel], str]:
    """The schema section class that declares ``path`` and the field's name."""
    model: type[BaseModel] = schema.Scenario
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


def label_of(info: dict[str, Any]) -> str:
    """A parameter's label: the schema's own when it has one, else its description's words."""
    label = info.get("label") or str(info.get("description", "")).rstrip(".")
    return str(label)


def info_row(path: str, value: Any) -> dict[str, Any]:
    """Path, label, value, unit, bounds, description and provenance of one parameter."""
    section, name = section_for(path)
    info = param_info(section, name)
    return {
        "path": path,
        "label": label_of(info),
        "value": value,
        "unit": info["unit"],
        "min": info.get("ge", info.get("gt")),
        "max": info.get("le", info.get("lt")),
        "description": info["description"],
        "provenance": info["provenance"],
    }


def order_fields() -> list[dict[str, Any]]:
    """Label, unit, description and source of each order field the page edits."""
    return [info_row(f"enforcement.orders.0.{key}", None) | {"key": key} for key in ORDER_FIELDS]


def order_row(order: BaseModel) -> dict[str, Any]:
    """Every field of an order, as the page shows it and sends it back."""
    row = order.model_dump(mode="json")
    return {key: row[key] for key in ORDER_KEYS if key in row}


def new_order(config: Any) -> dict[str, Any]:
    """An order as the page adds it: the schema's defaults, starting with the run."""
    return order_row(schema.Order(name="New order", start=config.time.start))


def choices(config: Any) -> dict[str, list[str]]:
    """The names an order may target, '*' (everyone) first."""
    return {
        "provinces": ["*", *(p.name for p in config.population.provinces)],
        "age_groups": ["*", *schema.AGE_GROUPS],
        "organisations": ["*", *schema.ORGANISATIONS],
        "regime": list(schema.REGIMES),
    }


def describe(preset: Any) -> dict[str, Any]:
    """Everything the page needs to show a preset (``ScenarioError`` for an unknown one)."""
    config: Any = load(preset_name(preset))
    return {
        "params": [info_row(path, _value(config, path)) for path in MAIN_PARAMETERS],
        "population": info_row(POPULATION, EXPLORER_POPULATION),
        "orders": [order_row(order) for order in config.enforcement.orders],
        "new_order": new_order(config),
        "order_fields": order_fields(),
        "choices": choices(config),
        "default_metrics": list(DEFAULT_METRICS),
    }

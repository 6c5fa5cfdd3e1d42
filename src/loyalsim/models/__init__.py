"""Models on the loyalsim engine and the registry that finds them by name.

A model is a module that exposes ``SPEC: ModelSpec``. A preset or scenario TOML names its
model with a top-level ``model = "..."`` key (the enforced-loyalty model, ``loyalty``, is the
default). The CLI, the experiment runner and the store only ever speak to a model through
its spec, so classic models get presets, tidy tables, run directories and sweeps for free.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa
from pydantic import BaseModel

# name -> module that defines SPEC; imported only when asked for.
MODEL_MODULES: dict[str, str] = {
    "loyalty": "loyalsim.loyalty_model",
    "civil_violence": "loyalsim.models.civil_violence",
    "emperors_dilemma": "loyalsim.models.emperors_dilemma",
    "thresholds": "loyalsim.models.thresholds",
}


class RunCancelled(Exception):
    """Raised by a progress callback to stop a run; the run then returns nothing."""


class Progress(Protocol):
    """Called as a run advances: steps done, steps in all, and the table recorded so far.

    ``partial``, where a model offers it, builds the tidy table of the steps recorded so far
    (only when called; the enforced-loyalty model offers it after every step). Raising
    ``RunCancelled`` stops the run.
    """

    def __call__(
        self, done: int, total: int, partial: Callable[[], pa.Table] | None = None
    ) -> None: ...


@dataclass(frozen=True)
class ModelSpec:
    """What the rest of loyalsim needs to know about a model.

    ``config_type`` is the pydantic schema of the whole TOML file (sections declared with
    ``loyalsim.scenario.fields.param``); ``simulate(config, seed, run_id, progress)`` returns
    the tidy table (see ``loyalsim.observe.tidy``); ``progress`` is None or a ``Progress``;
    ``person_steps(config)`` is the number of agent-steps a run performs (for throughput
    figures).
    """

    name: str
    config_type: type[BaseModel]
    simulate: Callable[..., pa.Table]
    person_steps: Callable[[Any], int]
    marker_dates: Callable[[Any], list[tuple[str, Any]]] | None = None


def get_model(name: str) -> ModelSpec:
    """The spec of model ``name``; raises KeyError with the allowed names."""
    if name not in MODEL_MODULES:
        raise KeyError(f"unknown model {name!r}; allowed: {', '.join(sorted(MODEL_MODULES))}")
    module = importlib.import_module(MODEL_MODULES[name])
    spec: ModelSpec = module.SPEC
    return spec

"""Granovetter (1978) threshold model and a Kuran-style model of preference falsification.

``core`` holds the threshold map shared with the core model's cascade-risk observable;
``SPEC`` plugs both classic models (one schema, ``run.kind`` picks which) into loyalsim.
"""

from __future__ import annotations

from loyalsim.models import ModelSpec
from loyalsim.models.thresholds.simulate import person_steps, simulate

SPEC = ModelSpec(
    name="thresholds",
    simulate=simulate,
    person_steps=person_steps,
)

__all__ = ["SPEC", "simulate"]

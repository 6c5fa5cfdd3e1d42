"""The emperor's dilemma (Centola, Willer & Macy 2005): unpopular norms and false enforcement.

Agents who privately reject a norm may comply with it, and even enforce it on others, to
prove they are sincere. ``SPEC`` plugs the model into loyalsim's CLI, runner and store.
"""

from __future__ import annotations

from loyalsim.models import ModelSpec
from loyalsim.models.emperors_dilemma.simulate import person_steps, simulate

SPEC = ModelSpec(
    name="emperors_dilemma",
    simulate=simulate,
    person_steps=person_steps,
)

__all__ = ["SPEC", "simulate"]

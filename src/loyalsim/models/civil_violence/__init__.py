"""Epstein's (2002) civil violence model, Models I and II, on the loyalsim engine.

Citizens on a torus turn active when grievance minus net risk exceeds a threshold; cops
arrest; Model II adds two groups that kill each other, clone and age. Every rule on which
the paper, NetLogo's Rebellion model and Mesa 3's example differ is a switch in
``schema.CivilViolenceConfig``; presets live in ``loyalsim/scenario/presets``.
"""

from __future__ import annotations

from loyalsim.models import ModelSpec
from loyalsim.models.civil_violence.simulate import person_steps, simulate

SPEC = ModelSpec(
    name="civil_violence",
    simulate=simulate,
    person_steps=person_steps,
)

__all__ = ["SPEC", "simulate"]

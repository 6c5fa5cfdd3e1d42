"""The enforced-loyalty model: study sessions, struggle sessions, beliefs, hidden dissent and
the amnesty subsystem on one synthetic population (claims C1-C14, A1-A11).

The weekly order of mechanisms is ``schedule``; ``simulate`` builds the population, steps it
and records the observables.
"""

from __future__ import annotations

from loyalsim.models import ModelSpec
from loyalsim.models.loyalty.simulate import person_steps, simulate

SPEC = ModelSpec(name="loyalty", simulate=simulate, person_steps=person_steps)

__all__ = ["SPEC", "simulate"]

"""The typed preset schema of the emperor's dilemma (Centola, Willer & Macy 2005)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from loyalsim.scenario.fields import ModelFile, Section, param
from loyalsim.scenario.limits import CLASSIC_MAX_STEPS

SOURCE = "Centola, Willer & Macy 2005"


class Population(Section):
    """Who the agents are and where the believers sit."""

    side: int = param(
        30,
        unit="cells",
        ge=3,
        le=1000,
        provenance="assumption",
        description="Side of the square torus; the population is side × side agents.",
    )
    believer_share: float = param(
        0.05,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of true believers (B = +1, S = 1); rounded to whole agents.",
    )
    placement: Literal["clustered", "scattered"] = param(
        "clustered",
        unit="choice",
        provenance=SOURCE,
        description="Believers in one contiguous near-square block, or at random cells.",
    )
    conviction_max: float = param(
        0.38,
        unit="conviction",
        gt=0.0,
        le=1.0,
        provenance=SOURCE,
        description="Disbelievers' conviction S is uniform on (0, conviction_max].",
    )


class Network(Section):
    """Who sees whose compliance and enforcement."""

    kind: Literal["lattice", "global", "small_world"] = param(
        "lattice",
        unit="choice",
        provenance=SOURCE,
        description="Moore lattice on a torus, fully connected, or the lattice with "
        "Watts–Strogatz rewiring.",
    )
    rewire_prob: float = param(
        0.0,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance=SOURCE,
        description="Probability that a lattice tie is rewired to a random agent "
        "(small_world only).",
    )


class Dynamics(Section):
    """Costs and the update scheme."""

    enforcement_cost: float = param(
        0.125,
        unit="conviction",
        ge=0.0,
        le=1.0,
        provenance=SOURCE,
        description="Cost K of enforcing the norm or its opposite.",
    )
    update: Literal["asynchronous", "synchronous"] = param(
        "asynchronous",
        unit="choice",
        provenance="assumption",
        description="Asynchronous: each step every agent decides once, in a fresh random "
        "order, seeing current states. Synchronous: all decide from the previous step.",
    )
    steps: int = param(
        100,
        unit="steps",
        ge=1,
        le=CLASSIC_MAX_STEPS,
        provenance="assumption",
        description="Number of steps (one step = every agent decides once).",
    )


class EmperorsDilemmaConfig(ModelFile):
    """A whole emperor's dilemma preset."""

    model: Literal["emperors_dilemma"] = "emperors_dilemma"
    population: Population = Field(default_factory=Population)
    network: Network = Field(default_factory=Network)
    dynamics: Dynamics = Field(default_factory=Dynamics)

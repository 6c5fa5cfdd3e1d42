"""The typed preset schema of the threshold models (Granovetter 1978; Kuran 1991)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from loyalsim.scenario.fields import ModelFile, Section, param
from loyalsim.scenario.limits import CLASSIC_MAX_STEPS, MAX_FRIEND_TIES

GRANOVETTER = "Granovetter 1978"
KURAN = "Kuran 1991"


class Run(Section):
    """Which model runs and for how long."""

    kind: Literal["granovetter", "kuran"] = param(
        "granovetter",
        unit="choice",
        provenance="assumption",
        description="Granovetter's crowd, or Kuran's private preference and public stance.",
    )
    steps: int = param(
        100,
        unit="steps",
        ge=1,
        le=CLASSIC_MAX_STEPS,
        provenance="assumption",
        description="Number of synchronous steps (everyone reconsiders once per step).",
    )


class Crowd(Section):
    """Granovetter's crowd: its thresholds and how it is drawn."""

    size: int = param(
        100,
        unit="actors",
        ge=1,
        le=10_000_000,
        provenance=GRANOVETTER,
        description="Number of actors in the crowd.",
    )
    distribution: Literal["uniform", "perturbed", "normal"] = param(
        "uniform",
        unit="choice",
        provenance=GRANOVETTER,
        description="Thresholds 0..size−1 (one each); the same with one threshold moved; "
        "or normal draws with negative values set to 0.",
    )
    perturb_from: int = param(
        1,
        unit="actors",
        ge=0,
        le=100_000_000,
        provenance=GRANOVETTER,
        description="Perturbed crowd: the threshold that is changed (its one holder).",
    )
    perturb_to: int = param(
        2,
        unit="actors",
        ge=0,
        le=100_000_000,
        provenance=GRANOVETTER,
        description="Perturbed crowd: the new value of that threshold.",
    )
    mean: float = param(
        25.0,
        unit="actors",
        ge=-100_000_000,
        le=100_000_000,
        provenance=GRANOVETTER,
        description="Normal crowd: mean threshold (others acting).",
    )
    spread: float = param(
        10.0,
        unit="actors",
        ge=0.0,
        le=100_000_000,
        provenance=GRANOVETTER,
        description="Normal crowd: standard deviation of thresholds.",
    )
    population_size: int = param(
        0,
        unit="actors",
        ge=0,
        le=100_000_000,
        provenance=GRANOVETTER,
        description="0: the crowd is the whole population. Larger: thresholds are laid out "
        "for a population of this size (uniform: each value 0..size−1 equally often) and "
        "the crowd is a random sample of it without replacement.",
    )

    @model_validator(mode="after")
    def _population_holds_crowd(self) -> Crowd:
        if 0 < self.population_size < self.size:
            raise ValueError("crowd.population_size must be 0 or at least crowd.size")
        return self


class Friendship(Section):
    """Granovetter's friendship weights on a random friendship graph."""

    weight: float = param(
        1.0,
        unit="strangers",
        ge=0.0,
        le=1000.0,
        provenance=GRANOVETTER,
        description="A friend who acts counts as this many strangers (1 = no effect).",
    )
    mean_degree: float = param(
        0.0,
        unit="friends",
        ge=0.0,
        le=1000.0,
        provenance="assumption",
        description="Mean number of friends on an Erdős–Rényi friendship graph.",
    )


class Kuran(Section):
    """Private preference and public stance (Kuran 1991)."""

    size: int = param(
        2000,
        unit="persons",
        ge=1,
        le=10_000_000,
        provenance="assumption",
        description="Number of persons.",
    )
    private_mean: float = param(
        0.5,
        unit="opposition",
        gt=0.0,
        lt=1.0,
        provenance="assumption",
        description="Mean private opposition x in [0, 1] (Beta distributed).",
    )
    private_concentration: float = param(
        2.0,
        unit="beta a+b",
        gt=0.0,
        le=10_000.0,
        provenance="assumption",
        description="Concentration of the Beta distribution of x (2 with mean 0.5 = uniform).",
    )
    sensitivity: float = param(
        1.0,
        unit="share per opposition",
        ge=0.0,
        le=10.0,
        provenance=KURAN,
        description="Fall of the revolutionary threshold per unit of private opposition.",
    )
    punishment: float = param(
        1.05,
        unit="share",
        ge=0.0,
        le=10.0,
        provenance=KURAN,
        description="Threshold of someone with no private opposition: rises with the "
        "punishment of open dissent. Threshold = clip(punishment − sensitivity·x, 0, 1).",
    )
    zealot_share: float = param(
        0.02,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share who oppose openly whatever others do (threshold 0).",
    )
    shock_step: int = param(
        50,
        unit="step",
        ge=0,
        le=CLASSIC_MAX_STEPS,
        provenance="assumption",
        description="Step from which punishment changes by punishment_shift.",
    )
    punishment_shift: float = param(
        0.0,
        unit="share",
        ge=-10.0,
        le=10.0,
        provenance="assumption",
        description="Change of punishment from shock_step on (0 = no shock).",
    )


class ThresholdsConfig(ModelFile):
    """A whole threshold-model preset."""

    model: Literal["thresholds"] = "thresholds"
    run: Run = Field(default_factory=Run)
    crowd: Crowd = Field(default_factory=Crowd)
    friendship: Friendship = Field(default_factory=Friendship)
    kuran: Kuran = Field(default_factory=Kuran)

    @model_validator(mode="after")
    def _friendship_fits_in_memory(self) -> ThresholdsConfig:
        ties = self.crowd.size * self.friendship.mean_degree / 2
        if self.run.kind == "granovetter" and ties > MAX_FRIEND_TIES:
            raise ValueError(
                f"crowd.size x friendship.mean_degree / 2 = {self.crowd.size} x "
                f"{self.friendship.mean_degree} / 2 = {ties:.0f} friendship ties; allowed: at "
                f"most {MAX_FRIEND_TIES} (memory)"
            )
        return self

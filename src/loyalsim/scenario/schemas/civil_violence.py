"""Typed scenario schema of Epstein's civil violence model (Models I and II).

Every point where the published paper, NetLogo's Rebellion model and Mesa 3's example
disagree is a named switch here, so that a preset states which variant it runs. Defaults
follow the paper (Epstein 2002, Table 2, run 2) unless the field says otherwise.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from loyalsim.scenario.fields import Description, InfOrFinite, Name, Section, param
from loyalsim.scenario.limits import CLASSIC_MAX_STEPS, CV_MAX_CELLS, CV_MAX_SIDE

PAPER = "Epstein 2002 Table 2"
MESA = "Mesa 3.3.1 example"
NETLOGO = "NetLogo Rebellion"
ASSUMED = "assumption"

ArrestRule = Literal["exact", "floor", "round"]
Neighbourhood = Literal["moore", "von_neumann", "euclidean"]
SelfCount = Literal["once", "twice"]
Activation = Literal["random_all", "citizens_then_cops", "fixed"]
ActionOrder = Literal["act_then_move", "move_then_act"]
JailDraw = Literal["continuous", "integer_exclusive", "integer_inclusive"]
JailPlacement = Literal["stay", "remove"]
Placement = Literal["independent", "exact"]
LegitimacyMode = Literal["constant", "drop", "gradual"]


class GridSection(Section):
    """The torus and how it is populated."""

    width: int = param(
        40, unit="cells", provenance=PAPER, description="Grid width.", ge=3, le=CV_MAX_SIDE
    )
    height: int = param(
        40, unit="cells", provenance=PAPER, description="Grid height.", ge=3, le=CV_MAX_SIDE
    )
    citizen_density: float = param(
        0.7, unit="share of cells", provenance=PAPER, description="Citizens per cell.", ge=0, le=1
    )
    cop_density: float = param(
        0.04,
        unit="share of cells",
        provenance=PAPER,
        description="Cops (peacekeepers in Model II) per cell.",
        ge=0,
        le=1,
    )
    placement: Placement = param(
        "exact",
        unit="",
        provenance=ASSUMED,
        description=(
            "'exact': round(density·cells) agents of each kind on distinct random cells; "
            "'independent': each cell draws its content independently (Mesa), so counts vary."
        ),
    )


class CitizenSection(Section):
    """Citizens' decision rule: active iff H·(1−L) − R·P > T."""

    legitimacy: float = param(
        0.82, unit="", provenance=PAPER, description="Initial regime legitimacy L.", ge=0, le=1
    )
    threshold: float = param(
        0.1, unit="", provenance=PAPER, description="Activation threshold T.", ge=0, le=1
    )
    arrest_constant: float = param(
        2.3, unit="", provenance=PAPER, description="k in P = 1 − exp(−k·C/A).", ge=0, le=100
    )
    vision: float = param(
        7.0,
        unit="cells",
        provenance=PAPER,
        description="Citizens' vision radius v.",
        gt=0,
        le=CV_MAX_SIDE // 2,
    )
    arrest_rule: ArrestRule = param(
        "exact",
        unit="",
        provenance=PAPER,
        description=(
            "How C/A enters P: 'exact' as published, 'floor' as NetLogo, "
            "'round' (half to even) as Mesa."
        ),
    )
    self_count: SelfCount = param(
        "once",
        unit="",
        provenance=PAPER,
        description=(
            "A = 1 + active others ('once'); 'twice' adds one more when the citizen itself "
            "was active, as NetLogo's in-radius neighbourhood does."
        ),
    )


class CopSection(Section):
    """Cops: arrest one random active citizen in vision; jail terms."""

    vision: float = param(
        7.0, unit="cells", provenance=PAPER, description="Cop vision v*.", gt=0, le=CV_MAX_SIDE // 2
    )
    max_jail_term: InfOrFinite = param(
        30.0, unit="ticks", provenance=PAPER, description="J_max (inf = life).", ge=0, le=math.inf
    )
    jail_draw: JailDraw = param(
        "continuous",
        unit="",
        provenance=PAPER,
        description=(
            "'continuous' U(0, J_max) as published; 'integer_exclusive' in [0, J_max) as "
            "NetLogo; 'integer_inclusive' in [0, J_max] as Mesa."
        ),
    )
    jail_placement: JailPlacement = param(
        "remove",
        unit="",
        provenance=PAPER,
        description=(
            "'stay': the jailed citizen keeps (and blocks) its cell, as Mesa; 'remove': it "
            "leaves the grid and comes back on a random empty cell when released."
        ),
    )
    moves_to_arrestee: bool = param(
        False,
        unit="",
        provenance=NETLOGO,
        description="The arresting cop moves onto the arrestee's cell (needs 'remove').",
    )


class ScheduleSection(Section):
    """Time, activation order, neighbourhood shape and movement."""

    steps: int = param(
        200,
        unit="ticks",
        provenance=ASSUMED,
        description="Ticks to run.",
        ge=0,
        le=CLASSIC_MAX_STEPS,
    )
    neighbourhood: Neighbourhood = param(
        "euclidean",
        unit="",
        provenance=PAPER,
        description=(
            "Shape of vision: 'euclidean' disc (radius 1.7 = 8 cells), 'von_neumann' "
            "diamond (Mesa), 'moore' square; the own cell is never part of it."
        ),
    )
    activation: Activation = param(
        "random_all",
        unit="",
        provenance=PAPER,
        description=(
            "'random_all': all agents in one new random order per tick (paper, Mesa, "
            "NetLogo); 'citizens_then_cops': citizens in random order, then cops; "
            "'fixed': agent index order every tick."
        ),
    )
    action_order: ActionOrder = param(
        "act_then_move",
        unit="",
        provenance=MESA,
        description="Decide/arrest then move (Mesa), or move first (NetLogo).",
    )
    movement: bool = param(
        True, unit="", provenance=PAPER, description="Agents move to a random empty cell in vision."
    )


class LegitimacySection(Section):
    """Legitimacy over time: constant, one drop at a tick, or a gradual decline (runs 3, 4)."""

    mode: LegitimacyMode = param(
        "constant", unit="", provenance=PAPER, description="'constant', 'drop' or 'gradual'."
    )
    start_step: int = param(
        77,
        unit="tick",
        provenance=PAPER,
        description="First tick with changed L.",
        ge=1,
        le=CLASSIC_MAX_STEPS,
    )
    target: float = param(
        0.7,
        unit="",
        provenance=PAPER,
        description="L after the change (floor if gradual).",
        ge=0,
        le=1,
    )
    rate: float = param(
        0.01,
        unit="per tick",
        provenance=PAPER,
        description="Decline per tick ('gradual').",
        ge=0,
        le=1,
    )


class CopReductionSection(Section):
    """Run 5: part of the force is withdrawn at one tick."""

    step: int = param(
        0,
        unit="tick",
        provenance=ASSUMED,
        description="Tick of the cut (0 = never).",
        ge=0,
        le=CLASSIC_MAX_STEPS,
    )
    remaining_density: float = param(
        0.0,
        unit="share of cells",
        provenance=ASSUMED,
        description="Cop density after the cut.",
        ge=0,
        le=1,
    )


class Model2Section(Section):
    """Model II: two groups, killing, cloning and ageing."""

    enabled: bool = param(False, unit="", provenance=PAPER, description="Run Model II.")
    green_share: float = param(
        0.5, unit="share", provenance=PAPER, description="Share of Green citizens.", ge=0, le=1
    )
    clone_prob: float = param(
        0.05, unit="per tick", provenance=PAPER, description="Cloning probability.", ge=0, le=1
    )
    max_age: float = param(
        200.0,
        unit="ticks",
        provenance=PAPER,
        description="Death age ~ U(0, max_age).",
        gt=0,
        le=1e6,
    )
    initial_age: Literal["zero", "uniform"] = param(
        "uniform",
        unit="",
        provenance=ASSUMED,
        description="Initial age 0, or uniform below each agent's death age.",
    )


def neighbourhood_halfwidths(shape: str, radius: float) -> list[int]:
    """Half-width of the neighbourhood's row at each dy from −R to R (R = reach in rows)."""
    reach = math.floor(radius)
    widths = []
    for dy in range(-reach, reach + 1):
        if shape == "moore":
            widths.append(reach)
        elif shape == "von_neumann":
            widths.append(reach - abs(dy))
        else:
            widths.append(math.floor(math.sqrt(radius * radius - dy * dy) + 1e-12))
    return widths


class CivilViolenceConfig(BaseModel):
    """A whole civil-violence scenario file."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, strict=True, allow_inf_nan=False
    )

    model: Literal["civil_violence"] = "civil_violence"
    name: Name = "civil-violence"
    description: Description = ""
    grid: GridSection = Field(default_factory=GridSection)
    citizens: CitizenSection = Field(default_factory=CitizenSection)
    cops: CopSection = Field(default_factory=CopSection)
    schedule: ScheduleSection = Field(default_factory=ScheduleSection)
    legitimacy: LegitimacySection = Field(default_factory=LegitimacySection)
    cop_reduction: CopReductionSection = Field(default_factory=CopReductionSection)
    model2: Model2Section = Field(default_factory=Model2Section)

    @model_validator(mode="after")
    def _consistent(self) -> CivilViolenceConfig:
        g = self.grid
        if g.width * g.height > CV_MAX_CELLS:
            raise ValueError(
                f"grid.width x grid.height = {g.width} x {g.height} = {g.width * g.height} "
                f"cells; allowed: at most {CV_MAX_CELLS} cells (memory)"
            )
        if g.citizen_density + g.cop_density > 1:
            raise ValueError(
                f"grid.citizen_density + grid.cop_density = {g.citizen_density} + "
                f"{g.cop_density}: must not exceed 1"
            )
        reach = math.floor(max(self.citizens.vision, self.cops.vision))
        if 2 * reach + 1 > min(g.width, g.height):
            raise ValueError(
                f"citizens.vision, cops.vision = {self.citizens.vision}, {self.cops.vision}: "
                f"must fit on the torus; allowed: 2·floor(vision)+1 <= grid.width and "
                f"grid.height ({g.width}, {g.height})"
            )
        if self.cops.moves_to_arrestee and self.cops.jail_placement != "remove":
            raise ValueError("cops.moves_to_arrestee needs cops.jail_placement = 'remove'")
        return self


def load_preset_text(text: str) -> CivilViolenceConfig:
    """Validate a TOML document as a civil-violence scenario."""
    import tomllib

    return CivilViolenceConfig.model_validate(tomllib.loads(text))


def load_preset(name: str) -> CivilViolenceConfig:
    """A shipped preset by name, e.g. ``"civil-violence-mesa"``."""
    from importlib import resources

    text = resources.files("loyalsim.scenario").joinpath("presets", f"{name}.toml").read_text()
    return load_preset_text(text)

"""The typed scenario of the enforced-loyalty model: the single source of every default.

Each parameter carries its unit, bounds and provenance (a claim ID from the shared claim list,
a published source, or "assumption"); ``docs/MODEL.md`` tables are generated from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from loyalsim.scenario.fields import Date, Label, ModelFile, Name, Section, param, setting
from loyalsim.scenario.limits import MAX_LIST_ITEMS
from loyalsim.scenario.schemas.amnesty import (
    Amnesty,
    Custody,
    Economy,
    Households,
    Offences,
    Perception,
    SelfReport,
    Supervision,
)
from loyalsim.scenario.schemas.political_calendar import Calendar

AGE_GROUPS = ("16-30", "31-45", "46-60", "61+")
AGE_GROUP_LOWER = (16, 31, 46, 61)
ORGANISATIONS = ("youth_league", "trade_union", "womens_union", "other")
REGIMES = ("none", "warning", "struggle")
VENUES = ("research_room", "city_library", "provincial_hall")

# DPRK 2008 census (Central Bureau of Statistics, 2009), population in thousands.
CENSUS_2008 = {
    "Pyongyang": 3255.3,
    "South Pyongan": 4051.7,
    "North Pyongan": 2728.7,
    "Chagang": 1299.8,
    "South Hwanghae": 2310.5,
    "North Hwanghae": 2113.7,
    "Kangwon": 1477.6,
    "South Hamgyong": 3066.0,
    "North Hamgyong": 2327.4,
    "Ryanggang": 719.3,
    "Rason": 196.0,
}


class Province(Section):
    """A province: its name and its share of the population."""

    name: Name = setting(
        ...,
        provenance="DPRK 2008 census",
        description="Province name, used in groups and orders.",
    )
    share: float = param(
        0.1,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="DPRK 2008 census",
        description="Share of the population living in the province.",
    )


def _default_provinces() -> list[Province]:
    total = sum(CENSUS_2008.values())
    return [Province(name=k, share=round(v / total, 4)) for k, v in CENSUS_2008.items()]


class Time(Section):
    """Simulated period; one step is one week."""

    start: Date = setting(
        dt.date(2025, 1, 6),
        unit="date",
        provenance="the situation of the reports (2025-2026)",
        description="Date of step 0; the steps are the weeks from it.",
    )
    n_steps: int = param(
        104,
        unit="weeks",
        ge=1,
        le=5200,
        provenance="assumption (two years around the reports)",
        description="Number of weekly steps.",
    )
    spin_up_weeks: int = param(
        104,
        unit="weeks",
        ge=0,
        le=1040,
        provenance="assumption (long enough for the no-campaign state to settle; see MODEL.md)",
        description="Weeks simulated before the start, without orders or amnesties and not "
        "recorded, so that the run starts from the society's own steady state.",
    )


class PopulationSpec(Section):
    """Size and structure of the synthetic population (people aged 16 and over)."""

    n_people: int = param(
        300_000,
        unit="people",
        ge=100,
        le=30_000_000,
        provenance="assumption (runtime)",
        description="Number of simulated people; proportions are kept when scaled.",
    )
    provinces: list[Province] = setting(
        default_factory=_default_provinces,
        max_length=60,
        provenance="DPRK 2008 census",
        description="Provinces and their population shares.",
    )
    cities_per_province: int = param(
        6,
        unit="cities",
        ge=1,
        le=100,
        provenance="assumption",
        description="Cities per province; city sizes follow Zipf's law.",
    )
    unit_size_min: int = param(
        30,
        unit="people",
        ge=2,
        le=1000,
        provenance="assumption (a workplace of a few dozen; a farm of 500 employees, Daily NK)",
        description="Smallest work unit.",
    )
    unit_size_alpha: float = param(
        1.2,
        unit="1",
        ge=1.05,
        le=4.0,
        provenance="assumption (heavy-tailed firm sizes: median about 55, large state "
        "enterprises of hundreds to thousands)",
        description="Pareto exponent of work-unit sizes.",
    )
    unit_size_max: int = param(
        10_000,
        unit="people",
        ge=10,
        le=100_000,
        provenance="assumption",
        description="Largest work unit.",
    )
    team_size: int = param(
        12,
        unit="people",
        ge=2,
        le=100,
        provenance="assumption",
        description="Size of a work team (clique) inside a unit; criticism is voiced by it.",
    )
    adults_per_household: float = param(
        3.0,
        unit="people",
        ge=1.0,
        le=10.0,
        provenance="DPRK 2008 census: 3.9 people per household, about 78% aged 16+",
        description="Mean number of people aged 16+ per household.",
    )
    neighbourhood_unit_size: int = param(
        40,
        unit="people",
        ge=2,
        le=1000,
        provenance="neighbourhood units for people outside work units (Daily NK); size assumed",
        description="Size of the neighbourhood unit where people without a workplace study.",
    )
    friends_per_person: int = param(
        4,
        unit="ties",
        ge=0,
        le=8,
        provenance="assumption",
        description="Friendship ties per person (small-world ring, Watts-Strogatz).",
    )
    friend_rewire_prob: float = param(
        0.05,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="assumption (Watts-Strogatz 1998)",
        description="Share of friendship ties rewired to a random person in the province.",
    )
    district_size: int = param(
        4096,
        unit="people",
        ge=64,
        le=1_000_000,
        provenance="assumption",
        description="Size of the districts (each an equal share of a city's workers and of its "
        "non-workers) within which households and local friendships form.",
    )
    age_mean: float = param(
        40.0,
        unit="years",
        ge=20.0,
        le=70.0,
        provenance="assumption (UN WPP 2022 median ~35)",
        description="Mean age of the adult (16+) population.",
    )
    age_sd: float = param(
        15.0,
        unit="years",
        ge=1.0,
        le=30.0,
        provenance="assumption",
        description="Standard deviation of age (truncated to 16-85).",
    )
    share_employed_over_30: float = param(
        0.75,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of people over 30 (below 61) in a work unit with a trade-union cell.",
    )
    share_women_union: float = param(
        0.6,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="Women's Union for married housewives (Daily NK); share assumed",
        description="Share of non-employed people over 30 in the Women's Union (others: 'other').",
    )
    venue_shares: list[float] = setting(
        default_factory=lambda: [0.7, 0.2, 0.1],
        max_length=len(VENUES),
        unit="fractions",
        provenance="C1 (assumption)",
        description="Shares of units using each venue: research room, city library, "
        "provincial hall; three values summing to 1.",
    )
    loyalty_mean: float = param(
        0.6,
        unit="score 0-1",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Mean initial private loyalty (Beta distributed).",
    )
    loyalty_concentration: float = param(
        8.0,
        unit="1",
        ge=0.5,
        le=200.0,
        provenance="assumption",
        description="Beta concentration (a+b) of initial private loyalty.",
    )
    share_enterprises: float = param(
        0.7,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of work units that are enterprises (the rest are offices).",
    )
    resentment_initial_mean: float = param(
        0.1,
        unit="score 0-1",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Mean initial resentment (Beta, concentration 10).",
    )
    concealment_initial_max: float = param(
        0.2,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="assumption (C13)",
        description="Initial concealment skill is uniform on [0, this].",
    )
    young_loyalty_shift: float = param(
        -0.05,
        unit="score",
        ge=-0.5,
        le=0.5,
        provenance="assumption (C9)",
        description="Shift of mean initial loyalty for the 16-30 group.",
    )

    @field_validator("venue_shares")
    @classmethod
    def _venues_sum_to_one(cls, value: list[float]) -> list[float]:
        if len(value) != len(VENUES) or any(v < 0 for v in value) or abs(sum(value) - 1) > 1e-6:
            raise ValueError(f"must be {len(VENUES)} non-negative shares summing to 1 ({VENUES})")
        return value

    @field_validator("provinces")
    @classmethod
    def _provinces_valid(cls, value: list[Province]) -> list[Province]:
        names = [p.name for p in value]
        if not value or len(set(names)) != len(names) or len(value) > 60:
            raise ValueError("must be 1 to 60 provinces with distinct names")
        if sum(p.share for p in value) <= 0:
            raise ValueError("province shares must not all be zero")
        return value


class Sessions(Section):
    """Mandatory study sessions per work unit (C1, C8)."""

    base_per_week: float = param(
        1.0,
        unit="sessions/week",
        ge=0.0,
        le=14.0,
        provenance="weekly life-review sessions (RFA, 18 March 2019)",
        description="Sessions per week without campaign intensity.",
    )
    per_week_per_intensity: float = param(
        2.0,
        unit="sessions/week per intensity",
        ge=0.0,
        le=14.0,
        provenance="C1, C8 (assumption)",
        description="Extra sessions per week per unit of campaign intensity.",
    )
    max_per_week: int = param(
        7,
        unit="sessions/week",
        ge=1,
        le=14,
        provenance="assumption",
        description="Cap on sessions per week.",
    )
    attendance: float = param(
        0.95,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Chance that a member attends a given session.",
    )


class Lapses(Section):
    """Lapses of attention in sessions and their detection (C2, C8, C10, C13)."""

    base_logit: float = param(
        -2.2,
        unit="logit",
        ge=-10.0,
        le=5.0,
        provenance="assumption",
        description="Log-odds of a lapse per session at zero fatigue, cynicism and belief.",
    )
    fatigue_weight: float = param(
        2.0,
        unit="logit per unit",
        ge=0.0,
        le=10.0,
        provenance="C2, C9",
        description="Effect of fatigue (repetitive content) on the log-odds of a lapse.",
    )
    belief_weight: float = param(
        1.5,
        unit="logit per unit",
        ge=0.0,
        le=10.0,
        provenance="C9",
        description="Reduction of the log-odds of a lapse per unit of private loyalty.",
    )
    cynicism_weight: float = param(
        1.0,
        unit="logit per unit",
        ge=0.0,
        le=10.0,
        provenance="C10",
        description="Effect of cynicism on the log-odds of a lapse.",
    )
    countermeasure_weight: float = param(
        1.0,
        unit="logit per unit",
        ge=0.0,
        le=10.0,
        provenance="C10 (coffee before sessions)",
        description="Reduction of the log-odds of a lapse per unit of perceived threat.",
    )
    detect_base: float = param(
        0.007,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="fitted by hand to the C6 target (about one accused per work unit a month "
        "under the campaign; calibrate/targets/default.toml)",
        description="Chance a monitor of skill 1 notices a lapse when attentiveness is checked.",
    )
    attendance_only_factor: float = param(
        0.3,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="C8",
        description="Detection factor when only attendance, not attentiveness, is checked.",
    )
    venue_factor: list[float] = setting(
        default_factory=lambda: [1.0, 0.7, 1.3],
        max_length=len(VENUES),
        unit="factors in [0, 10]",
        provenance="C1 (assumption)",
        description="Detection factor by venue: research room, city library, provincial hall.",
    )
    fatigue_per_session: float = param(
        0.08,
        unit="per session",
        ge=0.0,
        le=1.0,
        provenance="C9 (repetitive content)",
        description="Fatigue gained per session attended (of the remaining headroom).",
    )
    fatigue_recovery: float = param(
        0.25,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of fatigue that wears off each week.",
    )

    @field_validator("venue_factor")
    @classmethod
    def _three_factors(cls, value: list[float]) -> list[float]:
        if len(value) != len(VENUES) or any(v < 0 or v > 10 for v in value):
            raise ValueError(f"must be {len(VENUES)} factors in [0, 10] ({VENUES})")
        return value


class Order(Section):
    """A dated order that sets the enforcement regime and intensity for a target (C3-C5)."""

    name: Label = setting("order", provenance="-", description="Label shown on figures.")
    start: Date = setting(unit="date", provenance="C4", description="First day the order applies.")
    end: Date | None = setting(
        None, unit="date", provenance="C4", description="Last day (open-ended when omitted)."
    )
    provinces: list[Name] = setting(
        default_factory=lambda: ["*"],
        max_length=MAX_LIST_ITEMS,
        provenance="C5",
        description="Target provinces; '*' = all.",
    )
    age_groups: list[Label] = setting(
        default_factory=lambda: ["*"],
        max_length=MAX_LIST_ITEMS,
        provenance="C5",
        description="Target age groups; '*' = all.",
    )
    organisations: list[Label] = setting(
        default_factory=lambda: ["*"],
        max_length=MAX_LIST_ITEMS,
        provenance="C5",
        description="Target organisations; '*' = all.",
    )
    regime: Literal["none", "warning", "struggle"] = setting(
        "struggle", provenance="C3", description="Response to a detected lapse."
    )
    intensity: float = param(
        1.0,
        unit="intensity",
        ge=0.0,
        le=5.0,
        provenance="C4",
        description="Campaign intensity added for the target while the order runs.",
    )
    detection_multiplier: float = param(
        1.0,
        unit="factor",
        ge=1.0,
        le=10.0,
        provenance="C5",
        description="Extra scrutiny of the target by monitors.",
    )
    checks_attentiveness: bool = setting(
        True, provenance="C8", description="Monitors check attentiveness, not mere attendance."
    )

    @field_validator("age_groups")
    @classmethod
    def _known_age_groups(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v != "*" and v not in AGE_GROUPS]
        if bad:
            raise ValueError(f"unknown age group {bad[0]!r}; allowed: '*', {', '.join(AGE_GROUPS)}")
        return value

    @field_validator("organisations")
    @classmethod
    def _known_orgs(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v != "*" and v not in ORGANISATIONS]
        if bad:
            raise ValueError(
                f"unknown organisation {bad[0]!r}; allowed: '*', {', '.join(ORGANISATIONS)}"
            )
        return value

    @model_validator(mode="after")
    def _end_after_start(self) -> Order:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Enforcement(Section):
    """The national enforcement policy and its dated orders (C3, C4, C5)."""

    base_regime: Literal["none", "warning", "struggle"] = setting(
        "warning",
        provenance="C3 (earlier policy: a lecturer's warning)",
        description="Regime where no order applies.",
    )
    base_checks_attentiveness: bool = setting(
        False,
        provenance="C8",
        description="Whether attentiveness is checked where no order applies.",
    )
    case_prob: float = param(
        1.0,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="C2 (a momentary lapse opens a case)",
        description="Chance that a detected lapse under the struggle regime opens a case.",
    )
    struggle_delay_weeks: int = param(
        2,
        unit="weeks",
        ge=0,
        le=26,
        provenance="a lapse on 17 Jan, its struggle session on 31 Jan 2026 (Daily NK)",
        description="Weeks from detection to the struggle session.",
    )
    orders: list[Order] = setting(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        provenance="C4, C5",
        description="Dated orders (see the preset for the defaults).",
    )


class Struggle(Section):
    """Struggle sessions and forced criticism (C6, C7; Centola, Willer & Macy 2005)."""

    sincere_loyalty_threshold: float = param(
        0.7,
        unit="score 0-1",
        ge=0.0,
        le=1.0,
        provenance="assumption (CWM 2005 true believers)",
        description="Private loyalty above which a criticism voiced is sincere, not false.",
    )


class Beliefs(Section):
    """Private loyalty, public display, resentment and fear (C9, C11)."""

    young_multiplier: float = param(
        1.8,
        unit="factor",
        ge=1.0,
        le=5.0,
        provenance="C9 (the young react most)",
        description="How much more strongly the 16-30 group responds to coercion.",
    )
    severity_warning: float = param(
        0.15,
        unit="threat 0-1",
        ge=0.0,
        le=1.0,
        provenance="C3 (assumption for size)",
        description="Perceived threat of the warning regime.",
    )
    severity_struggle: float = param(
        0.6,
        unit="threat 0-1",
        ge=0.0,
        le=1.0,
        provenance="C3 (assumption for size)",
        description="Perceived threat of the struggle regime.",
    )
    intensity_threat: float = param(
        0.1,
        unit="threat per intensity",
        ge=0.0,
        le=1.0,
        provenance="C4 (assumption)",
        description="Threat added per unit of campaign intensity (scaled by regime severity).",
    )
    fear_per_struggle_attended: float = param(
        0.15,
        unit="fear",
        ge=0.0,
        le=1.0,
        provenance="C7 (assumption)",
        description="Fear gained from attending a struggle session (of the headroom).",
    )
    fear_per_accusation: float = param(
        0.6,
        unit="fear",
        ge=0.0,
        le=1.0,
        provenance="C3 (assumption)",
        description="Fear gained by the accused.",
    )
    fear_per_warning: float = param(
        0.05,
        unit="fear",
        ge=0.0,
        le=1.0,
        provenance="C3 (assumption)",
        description="Fear gained from a warning.",
    )
    fear_decay: float = param(
        0.08,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of fear that fades each week.",
    )
    display_rate: float = param(
        0.3,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="C9",
        description="Speed at which public display moves toward its target.",
    )
    erosion_accused: float = param(
        0.10,
        unit="per event",
        ge=0.0,
        le=1.0,
        provenance="C11 (assumption for size)",
        description="Share of private loyalty lost by being accused.",
    )
    erosion_false_criticism: float = param(
        0.005,
        unit="per criticism",
        ge=0.0,
        le=1.0,
        provenance="C7, C11 (assumption)",
        description="Share of private loyalty lost per criticism voiced against one's belief.",
    )
    erosion_session_pressure: float = param(
        0.003,
        unit="per session x threat",
        ge=0.0,
        le=1.0,
        provenance="erosion and reactance under coercion (Brehm 1966; the analysts' view in "
        "C11); size: assumption",
        description="Share of private loyalty lost per session attended under threat.",
    )
    erosion_cynicism: float = param(
        0.004,
        unit="per week x cynicism",
        ge=0.0,
        le=1.0,
        provenance="C10 (assumption)",
        description="Share of private loyalty lost per week per unit of cynicism.",
    )
    loyalty_recovery: float = param(
        0.02,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption (socialisation: school, media, family)",
        description="Pull of private loyalty back toward the person's socialised set point.",
    )
    internalise_ritual: float = param(
        0.002,
        unit="per session x (1 - justification)",
        ge=0.0,
        le=1.0,
        provenance="self-perception (Bem 1967); compliance to internalisation (Kelman 1958); "
        "size: assumption",
        description="Share of the distance to full loyalty gained per study session attended: "
        "performing the ritual builds the belief it expresses.",
    )
    internalise_voice: float = param(
        0.004,
        unit="per criticism x (1 - justification)",
        ge=0.0,
        le=1.0,
        provenance="cognitive dissonance, saying is believing (Festinger & Carlsmith 1959); "
        "size: assumption",
        description="Share of the distance to full loyalty gained per criticism voiced against "
        "one's belief.",
    )
    justification_discount: float = param(
        0.5,
        unit="per threat",
        ge=0.0,
        le=1.0,
        provenance="insufficient justification (Festinger & Carlsmith 1959); size: assumption",
        description="How much perceived threat crowds out internalisation: acts forced by a "
        "strong threat are explained by the threat, not adopted (0: no crowding out).",
    )
    inference_rate: float = param(
        0.01,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="illusion of sincerity (Willer, Kuwabara & Macy 2009); knowledge "
        "falsification (Kuran 1995); size: assumption",
        description="Speed at which private loyalty moves toward the loyalty people infer from "
        "their team-mates' and friends' public display.",
    )
    resentment_accused: float = param(
        0.30,
        unit="per event",
        ge=0.0,
        le=1.0,
        provenance="C9, C11 (assumption)",
        description="Resentment gained by the accused (of the headroom).",
    )
    resentment_false_criticism: float = param(
        0.02,
        unit="per criticism",
        ge=0.0,
        le=1.0,
        provenance="C7, C9 (assumption)",
        description="Resentment gained per criticism voiced against one's belief.",
    )
    resentment_session_pressure: float = param(
        0.004,
        unit="per session x threat",
        ge=0.0,
        le=1.0,
        provenance="C9 (assumption)",
        description="Resentment gained per session attended under threat.",
    )
    resentment_decay: float = param(
        0.02,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of resentment that fades each week.",
    )


class Contagion(Section):
    """Peer contagion of cynicism over teams, households and friends (C10)."""

    self_rate: float = param(
        0.1,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="C9, C10",
        description="Speed at which cynicism follows one's own resentment, fatigue and doubt.",
    )
    peer_rate: float = param(
        0.1,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="C10 (sarcastic remarks shared)",
        description="Speed at which cynicism follows that of one's ties.",
    )
    team_weight: float = param(
        0.4,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Weight of the work team in a person's peer cynicism.",
    )
    household_weight: float = param(
        0.3,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Weight of the household.",
    )
    friend_weight: float = param(
        0.3,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Weight of friends.",
    )
    resentment_weight: float = param(
        0.5,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="C9",
        description="Weight of resentment in one's own cynicism target.",
    )
    fatigue_weight: float = param(
        0.2,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="C9, C10",
        description="Weight of fatigue in one's own cynicism target.",
    )
    doubt_weight: float = param(
        0.3,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="C11",
        description="Weight of doubt (1 - private loyalty) in one's own cynicism target.",
    )


class Adaptation(Section):
    """Co-evolution of monitoring and concealment (C13)."""

    monitor_skill_initial: float = param(
        1.0,
        unit="skill",
        ge=0.0,
        le=5.0,
        provenance="assumption",
        description="Monitors' detection skill at the start (multiplies detect_base).",
    )
    monitor_learn_missed: float = param(
        0.05,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="C13 (assumption for size)",
        description="Speed at which a unit's monitors gain skill (toward the maximum) in "
        "proportion to the share of the lapses they would have caught this week that "
        "concealment hid from them.",
    )
    monitor_skill_decay: float = param(
        0.02,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Speed at which monitors' skill falls back toward its initial level.",
    )
    monitor_skill_max: float = param(
        3.0,
        unit="skill",
        ge=0.0,
        le=10.0,
        provenance="assumption",
        description="Ceiling of monitors' skill.",
    )
    conceal_learn_lapse: float = param(
        0.02,
        unit="per lapse",
        ge=0.0,
        le=1.0,
        provenance="C13",
        description="Concealment learned from each own lapse (of the headroom).",
    )
    conceal_learn_witness: float = param(
        0.05,
        unit="per struggle attended",
        ge=0.0,
        le=1.0,
        provenance="C13",
        description="Concealment learned from seeing someone punished (of the headroom).",
    )
    conceal_max: float = param(
        0.9,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Largest share of lapses a person can hide.",
    )
    conceal_forget: float = param(
        0.02,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="C13 (assumption for size)",
        description="Share of concealment skill unlearned each week (skills fade when unused).",
    )


class Dissent(Section):
    """Hidden dissent and the public-dissent cascade if enforcement stopped (C14; Kuran)."""

    speak_threshold_mean: float = param(
        0.7,
        unit="dissent 0-1",
        ge=0.0,
        le=1.0,
        provenance="Kuran 1991 (assumption for size)",
        description="Mean private dissent at which a person would dissent openly alone.",
    )
    speak_threshold_sd: float = param(
        0.15,
        unit="dissent 0-1",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Spread of that threshold across people.",
    )
    fear_weight: float = param(
        0.6,
        unit="dissent per fear",
        ge=0.0,
        le=5.0,
        provenance="Kuran 1991",
        description="How much current fear raises the threshold while enforcement lasts.",
    )
    social_sensitivity: float = param(
        0.5,
        unit="dissent per share",
        ge=0.01,
        le=5.0,
        provenance="Granovetter 1978; Kuran",
        description="Fall of the needed private dissent per share of others openly dissenting.",
    )
    resentment_weight: float = param(
        0.5,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="C11",
        description="Weight of resentment (vs doubt) in private dissent.",
    )
    resolution: int = param(
        1000,
        unit="bins",
        ge=10,
        le=100_000,
        provenance="assumption",
        description="Grid of the cascade computation (shares rounded up to 1/resolution).",
    )


class Scenario(ModelFile):
    """A complete scenario of the enforced-loyalty model."""

    model: Literal["loyalty"] = "loyalty"
    time: Time = Field(default_factory=Time)
    population: PopulationSpec = Field(default_factory=PopulationSpec)
    sessions: Sessions = Field(default_factory=Sessions)
    lapses: Lapses = Field(default_factory=Lapses)
    enforcement: Enforcement = Field(default_factory=Enforcement)
    calendar: Calendar = Field(default_factory=Calendar)
    struggle: Struggle = Field(default_factory=Struggle)
    beliefs: Beliefs = Field(default_factory=Beliefs)
    contagion: Contagion = Field(default_factory=Contagion)
    adaptation: Adaptation = Field(default_factory=Adaptation)
    dissent: Dissent = Field(default_factory=Dissent)
    households: Households = Field(default_factory=Households)
    economy: Economy = Field(default_factory=Economy)
    offences: Offences = Field(default_factory=Offences)
    custody: Custody = Field(default_factory=Custody)
    amnesty: Amnesty = Field(default_factory=Amnesty)
    self_report: SelfReport = Field(default_factory=SelfReport)
    supervision: Supervision = Field(default_factory=Supervision)
    perception: Perception = Field(default_factory=Perception)

    @model_validator(mode="after")
    def _orders_name_known_provinces(self) -> Scenario:
        names = {p.name for p in self.population.provinces}
        for i, order in enumerate(self.enforcement.orders):
            for prov in order.provinces:
                if prov != "*" and prov not in names:
                    raise ValueError(
                        f"enforcement.orders.{i}.provinces = {order.provinces!r}: unknown "
                        f"province {prov!r}; allowed: '*', {', '.join(sorted(names))} "
                        "(the names in population.provinces)"
                    )
        return self

    def step_dates(self) -> list[dt.date]:
        """The date of each step (weekly)."""
        return [self.time.start + dt.timedelta(weeks=t) for t in range(self.time.n_steps)]

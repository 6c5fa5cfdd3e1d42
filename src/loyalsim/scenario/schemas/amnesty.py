"""Scenario sections of the amnesty subsystem: households, offences, custody, amnesty events,
supervision, self-reporting and perception (claims A1-A11).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Literal

from pydantic import Field, field_validator, model_validator

from loyalsim.scenario.fields import Date, Label, Section, param, setting
from loyalsim.scenario.limits import MAX_LIST_ITEMS

OFFENCES = ("ordinary", "small_smuggling", "large_smuggling", "foreign_contact", "border_crossing")
SENSITIVE = ("large_smuggling", "foreign_contact", "border_crossing")  # A5
CHANNELS = ("merit", "soldier_family", "hero_family", "self_report", "bribery")


class Households(Section):
    """Household attributes that matter for forgiveness (A1, A2, A9)."""

    wealth_sigma: float = param(
        1.2,
        unit="log units",
        ge=0.0,
        le=4.0,
        provenance="assumption (heavy-tailed wealth)",
        description="Log-normal spread of household wealth.",
    )
    soldier_family_share: float = param(
        0.003,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="A1; about 10,000-12,000 troops sent to Russia's Kursk region in late 2024 "
        "and about 6,000 more planned in 2025 (South Korean intelligence, reported September "
        "2025) against about 5.9 million households (2008 census): 16,000-18,000 / 5.9 "
        "million, about 3 households in 1,000",
        description="Share of households with a relative serving at the front abroad.",
    )
    hero_family_share: float = param(
        0.01,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="A2 (assumption for size: no published count of war-hero families)",
        description="Share of households of war heroes.",
    )


class EconomyPoint(Section):
    """A dated level of economic pressure."""

    date: Date = setting(..., unit="date", provenance="A11", description="Date of the level.")
    pressure: float = param(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        provenance="A11 (assumption for size)",
        description="Economic pressure on that date.",
    )


def _default_economy() -> list[EconomyPoint]:
    return [
        EconomyPoint(date=dt.date(2025, 1, 1), pressure=0.5),
        EconomyPoint(date=dt.date(2026, 12, 31), pressure=0.6),
    ]


class Economy(Section):
    """Economic pressure over time, linear between points, flat outside (A11)."""

    points: list[EconomyPoint] = setting(
        default_factory=_default_economy,
        max_length=MAX_LIST_ITEMS,
        provenance="A11 (assumption: pressure rising)",
        description="Dated pressure levels.",
    )

    @field_validator("points")
    @classmethod
    def _sorted(cls, value: list[EconomyPoint]) -> list[EconomyPoint]:
        if not value:
            raise ValueError("needs at least one dated point")
        if any(b.date <= a.date for a, b in itertools.pairwise(value)):
            raise ValueError("dates must be strictly increasing")
        return value


class OffenceParams(Section):
    """Rate, detection, sentence and severity of one offence category (A5, A11)."""

    base_rate: float = param(
        1e-5,
        unit="per person-week",
        ge=0.0,
        le=0.05,
        provenance="assumption; the five categories' defaults are set so that custody stays "
        "near a few tenths of a percent of the population (see custody.initial_inmate_share)",
        description="Weekly chance of offending at reference pressure 0.5, no resentment, "
        "full loyalty.",
    )
    pressure_weight: float = param(
        0.5,
        unit="per pressure unit",
        ge=0.0,
        le=10.0,
        provenance="A11",
        description="Relative rise of the rate per unit of economic pressure above 0.5.",
    )
    detect_prob: float = param(
        0.2,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Chance that an offence leads to arrest.",
    )
    sentence_min_weeks: int = param(
        52, unit="weeks", ge=1, le=2600, provenance="assumption", description="Shortest sentence."
    )
    sentence_max_weeks: int = param(
        260, unit="weeks", ge=1, le=2600, provenance="assumption", description="Longest sentence."
    )
    severity: float = param(
        0.3,
        unit="score 0-1",
        ge=0.0,
        le=1.0,
        provenance="A7 (assumption for size)",
        description="Crime severity as the committee scores it.",
    )

    @model_validator(mode="after")
    def _sentence_order(self) -> OffenceParams:
        if self.sentence_max_weeks < self.sentence_min_weeks:
            raise ValueError(
                f"sentence_max_weeks {self.sentence_max_weeks} is below sentence_min_weeks "
                f"{self.sentence_min_weeks}"
            )
        return self


def _offence(
    rate: float, weight: float, detect: float, lo: int, hi: int, sev: float
) -> Callable[[], OffenceParams]:
    return lambda: OffenceParams(
        base_rate=rate,
        pressure_weight=weight,
        detect_prob=detect,
        sentence_min_weeks=lo,
        sentence_max_weeks=hi,
        severity=sev,
    )


class Offences(Section):
    """Offending under economic pressure, by category (A5, A11)."""

    # Base rates: custody of about 0.3 % in a steady state (arrests times mean sentence).
    ordinary: OffenceParams = Field(default_factory=_offence(2e-5, 0.5, 0.3, 52, 260, 0.3))
    small_smuggling: OffenceParams = Field(default_factory=_offence(2e-5, 1.5, 0.1, 26, 156, 0.3))
    large_smuggling: OffenceParams = Field(default_factory=_offence(4e-6, 1.5, 0.2, 260, 780, 0.8))
    foreign_contact: OffenceParams = Field(default_factory=_offence(6e-6, 0.5, 0.15, 104, 520, 0.7))
    border_crossing: OffenceParams = Field(default_factory=_offence(2e-6, 1.0, 0.4, 104, 520, 0.9))
    resentment_weight: float = param(
        1.0,
        unit="relative per unit",
        ge=0.0,
        le=10.0,
        provenance="A11, C11 (assumption)",
        description="Relative rise of every offence rate per unit of resentment.",
    )
    doubt_weight: float = param(
        0.5,
        unit="relative per unit",
        ge=0.0,
        le=10.0,
        provenance="C11 (assumption)",
        description="Relative rise of every offence rate per unit of doubt (1 - loyalty).",
    )
    supervised_detect_multiplier: float = param(
        2.0,
        unit="factor",
        ge=0.0,
        le=20.0,
        provenance="A10, A11 (surveillance of releasees)",
        description="Detection of offences by people under supervision, relative to others.",
    )

    def by_category(self) -> list[OffenceParams]:
        """Category parameters in OFFENCES order."""
        return [getattr(self, name) for name in OFFENCES]


class Custody(Section):
    """Inmates' labour and re-education (A7, A8)."""

    initial_inmate_share: float = param(
        0.003,
        unit="fraction",
        ge=0.0,
        le=0.2,
        provenance="a few tenths of a percent: 80,000-120,000 in political camps (KINU 2013, by "
        "satellite imagery) of about 26 million people, plus ordinary prisons and labour "
        "facilities not counted reliably; the camps' inmates are out of scope, so 0.3 % is an "
        "assumption within that order of magnitude",
        description="Share of people in custody at the start.",
    )
    labour_rate: float = param(
        0.1,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Speed at which the labour score follows weekly performance.",
    )
    labour_noise: float = param(
        0.2,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Spread of weekly labour performance.",
    )
    reeducation_rate: float = param(
        0.05,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="A8 (assumption)",
        description="Speed at which re-education participation follows its target.",
    )
    reeducation_base: float = param(
        0.4,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A8 (assumption: participation is compelled)",
        description="Participation target of an inmate with zero loyalty, fear and resentment.",
    )
    initial_self_reported_share: float = param(
        0.1,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="A6 (a few; assumption for size)",
        description="Share of initial inmates in sensitive categories who reported themselves.",
    )
    reeducation_loyalty_weight: float = param(
        0.8,
        unit="score per unit",
        ge=0.0,
        le=2.0,
        provenance="A8 (assumption)",
        description="Rise of the participation target with private loyalty.",
    )
    reeducation_fear_weight: float = param(
        0.5,
        unit="score per unit",
        ge=0.0,
        le=2.0,
        provenance="A8 (assumption)",
        description="Rise of the participation target with fear (compliance under threat).",
    )
    reeducation_resentment_weight: float = param(
        0.5,
        unit="score per unit",
        ge=0.0,
        le=2.0,
        provenance="assumption",
        description="Fall of the participation target with resentment.",
    )


class AmnestyEvent(Section):
    """A dated amnesty on the political calendar (A3)."""

    name: Label = setting("amnesty", provenance="A3", description="Label shown on figures.")
    date: Date = setting(..., unit="date", provenance="A3", description="Week of the review.")
    quota_share: float = param(
        0.12,
        unit="fraction of inmates",
        ge=0.0,
        le=1.0,
        provenance="about 250 of 2,100 inmates released at one camp in 2010 (Daily NK via NK "
        "Econ Watch)",
        description="Largest share of inmates released through quota channels (merit, hero "
        "family, self-report, bribery).",
    )


class Amnesty(Section):
    """Committee review, channels and quota (A1, A2, A5-A9)."""

    enabled: bool = setting(
        True,
        provenance="model design",
        description="Switch the whole subsystem (offences, custody, amnesty, supervision).",
    )
    events: list[AmnestyEvent] = setting(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        provenance="A3",
        description="Dated amnesties (see the preset).",
    )
    weight_labour: float = param(
        0.4, unit="weight", ge=0.0, le=1.0, provenance="A7", description="Weight of labour."
    )
    weight_education: float = param(
        0.4,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="A7",
        description="Weight of ideological education (re-education participation).",
    )
    weight_severity: float = param(
        0.3,
        unit="weight",
        ge=0.0,
        le=1.0,
        provenance="A7",
        description="Weight of crime severity (subtracted).",
    )
    score_cutoff: float = param(
        0.44,
        unit="score",
        ge=-1.0,
        le=1.0,
        provenance="A7 ('stricter than before'); assumption: set so that about a quarter of "
        "the inmates who meet the rules score below it in the default's 2025 amnesty "
        "(calibration target a7_refused_on_score_share)",
        description="Lowest committee score that qualifies.",
    )
    min_served_fraction: float = param(
        0.5,
        unit="fraction of sentence",
        ge=0.0,
        le=1.0,
        provenance="A8 (half the sentence)",
        description="Share of the sentence that must be served to qualify.",
    )
    full_reeducation: float = param(
        0.75,
        unit="participation 0-1",
        ge=0.0,
        le=1.0,
        provenance="A8 (assumption for level)",
        description="Participation counted as having fully joined re-education.",
    )
    excluded: list[Label] = setting(
        default_factory=lambda: list(SENSITIVE),
        max_length=MAX_LIST_ITEMS,
        provenance="A5",
        description="Offence categories excluded unless self-reported (A6).",
    )
    self_report_channel: bool = setting(
        True, provenance="A6", description="Self-reporters in excluded categories may qualify."
    )
    self_report_severity_discount: float = param(
        0.5,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="A6 (remorse shown; assumption for size)",
        description="Share of crime severity the committee waives for self-reporters.",
    )
    soldier_channel: bool = setting(
        True, provenance="A1", description="Special channel for relatives of soldiers abroad."
    )
    soldier_release_prob: float = param(
        0.8,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="A1 (assumption for size)",
        description="Chance that an inmate of a soldier's family is released by the channel.",
    )
    soldier_allows_excluded: bool = setting(
        False,
        provenance="A1, A5 (assumption)",
        description="Whether the soldier channel may release excluded categories.",
    )
    hero_preference: float = param(
        0.5,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="A2 (families 'could be picked'; assumption for size: half of them)",
        description="Chance that an inmate of a war-hero family is picked for preferential "
        "treatment: time served, re-education and score are waived (not the exclusions) and "
        "the picked take quota places before the score ranking (0 = no preference).",
    )
    bribery: bool = setting(True, provenance="A9", description="Whether bribes can buy release.")
    corruption: float = param(
        0.1,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="A9 (assumption for size)",
        description="Chance that the richest household's bribe succeeds.",
    )
    wealth_exponent: float = param(
        2.0,
        unit="1",
        ge=0.0,
        le=10.0,
        provenance="A9 (assumption)",
        description="How steeply the bribe's chance rises with the household's wealth rank.",
    )
    recurring: Literal["none", "tenth", "fifth_and_tenth"] = setting(
        "none",
        provenance="A3 (special pardons on the 5th and 10th anniversaries of four holidays, "
        "Daily NK)",
        description="Amnesty reviews on round anniversaries of the holidays with "
        "`calendar.holidays[].pardons`: on 5th and 10th anniversaries, on 10th only, or "
        "none (the dated `events` only). At most one a year (the biggest anniversary, then "
        "the earliest) and none in a year that holds a dated amnesty.",
    )
    recurring_fifth_quota_share: float = param(
        0.12,
        unit="fraction of inmates",
        ge=0.0,
        le=1.0,
        provenance="about 250 of 2,100 inmates released at one camp in 2010, a 5th-anniversary "
        "round (the party's 65th) (Daily NK via NK Econ Watch)",
        description="Quota share of a recurring review on a 5th (not 10th) anniversary.",
    )
    recurring_tenth_quota_share: float = param(
        0.12,
        unit="fraction of inmates",
        ge=0.0,
        le=1.0,
        provenance="assumption (as the 2025 review; the larger sentence cuts of a "
        "10th-anniversary pardon are not modelled)",
        description="Quota share of a recurring review on a 10th anniversary.",
    )
    recurring_weeks_before: int = param(
        0,
        unit="weeks",
        ge=0,
        le=26,
        provenance="A3 (ahead of the anniversary; assumption for the lead)",
        description="Weeks before the anniversary of a recurring review (0: its own week).",
    )

    @field_validator("excluded")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v not in OFFENCES]
        if bad:
            raise ValueError(f"unknown offence {bad[0]!r}; allowed: {', '.join(OFFENCES)}")
        return value


class SelfReport(Section):
    """Self-reporting of undetected sensitive offences (A6)."""

    base_prob: float = param(
        0.0005,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="A6 ('a few'; assumption for size: self-reporters are under a tenth of "
        "inmates in a steady state)",
        description="Weekly chance that a person with an undetected sensitive offence reports.",
    )
    hidden_fade: float = param(
        0.005,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption (set so that the share of people with an undetected sensitive "
        "offence stays near initial_hidden_share)",
        description="Weekly chance that an undetected offence stops weighing on the offender "
        "(no longer a reason to report it).",
    )
    initial_hidden_share: float = param(
        0.003,
        unit="fraction",
        ge=0.0,
        le=0.5,
        provenance="assumption",
        description="Share of free people who start with an undetected sensitive offence.",
    )
    boost_per_reward: float = param(
        20.0,
        unit="relative",
        ge=0.0,
        le=200.0,
        provenance="A6",
        description="Relative rise of that chance per unit share of self-reporters released.",
    )
    boost_decay: float = param(
        0.02,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Share of the boost that fades each week.",
    )
    leniency: float = param(
        0.5,
        unit="fraction",
        ge=0.0,
        le=1.0,
        provenance="A6 (assumption)",
        description="Sentence of a self-reporter relative to an arrested offender's.",
    )


class Supervision(Section):
    """Supervision after release, its checks and re-arrest (A10)."""

    min_weeks: int = param(
        26, unit="weeks", ge=0, le=520, provenance="A10 (6 months)", description="Shortest term."
    )
    max_weeks: int = param(
        52, unit="weeks", ge=0, le=520, provenance="A10 (12 months)", description="Longest term."
    )
    violation_prob: float = param(
        0.01,
        unit="per week",
        ge=0.0,
        le=1.0,
        provenance="assumption",
        description="Weekly chance of a violation at zero resentment.",
    )
    violation_resentment_weight: float = param(
        1.0,
        unit="relative per unit",
        ge=0.0,
        le=10.0,
        provenance="assumption",
        description="Relative rise of violations per unit of resentment.",
    )
    detect_interview: float = param(
        0.3,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="A10 (assumption for size)",
        description="Chance that a security interview uncovers a violation.",
    )
    detect_life_log: float = param(
        0.2,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="A10 (assumption for size)",
        description="Chance that the life log uncovers a violation.",
    )
    detect_movement: float = param(
        0.2,
        unit="probability",
        ge=0.0,
        le=1.0,
        provenance="A10 (assumption for size)",
        description="Chance that movement restrictions uncover a violation.",
    )
    rearrest_penalty_weeks: int = param(
        26,
        unit="weeks",
        ge=0,
        le=2600,
        provenance="assumption",
        description="Weeks added to the remaining sentence on re-arrest.",
    )

    @model_validator(mode="after")
    def _order(self) -> Supervision:
        if self.max_weeks < self.min_weeks:
            raise ValueError(f"max_weeks {self.max_weeks} is below min_weeks {self.min_weeks}")
        return self


class Perception(Section):
    """How an amnesty changes beliefs (A4, A9)."""

    released_household_loyalty: float = param(
        0.05,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A4 (assumption for size)",
        description="Loyalty gained by members of a released person's household.",
    )
    released_household_resentment: float = param(
        0.05,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A4 (assumption for size)",
        description="Resentment lost by members of a released person's household.",
    )
    denied_resentment: float = param(
        0.2,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A9 (assumption for size)",
        description="Resentment gained by a qualified inmate who is denied.",
    )
    denied_bribery_resentment: float = param(
        0.3,
        unit="score per share",
        ge=0.0,
        le=1.0,
        provenance="A9",
        description="Extra resentment of the denied per share of releases that were bought.",
    )
    denied_household_resentment: float = param(
        0.05,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A9 (assumption)",
        description="Resentment gained by the households of denied inmates.",
    )
    soldier_family_loyalty: float = param(
        0.03,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A1, A4 (assumption for size)",
        description="Loyalty gained by free members of soldiers' families when the soldier "
        "channel releases anyone.",
    )
    gesture_cynicism: float = param(
        0.02,
        unit="score",
        ge=0.0,
        le=1.0,
        provenance="A4 (residents read a political gesture)",
        description="Cynicism gained by every free resident per amnesty, times the share of "
        "releases through loyalty or bribery channels.",
    )

"""The political calendar of the enforced-loyalty model (C12, A3).

Three kinds of entry raise campaign intensity nationwide around their dates: yearly holidays,
whose 5th and 10th anniversaries are bigger (they need the year they commemorate); dated
events (anniversaries, party congresses, anything else), once or repeated every few years;
and the base intensity under all of them. ``loyalsim.scenario.events`` expands the entries
over a run's weeks, ``mechanisms/policy.py`` turns them into intensity.

The schema's defaults hold no holidays and no events, so a file written before holidays
existed (an explicit list of dated events) gives the same calendar as before; the presets
hold the calendar itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import field_validator

from loyalsim.scenario.fields import Date, Name, Section, param, setting
from loyalsim.scenario.limits import MAX_LIST_ITEMS


class CalendarEvent(Section):
    """A dated anniversary, congress or other event that raises intensity around its date (C12).

    With ``every_years`` > 0 it recurs on the same day every that many years after ``date``
    (a party congress every five years); never before ``date``.
    """

    name: Name = setting(..., provenance="C12", description="Event name.")
    kind: Literal["anniversary", "congress", "event"] = setting(
        "event",
        provenance="C12",
        description="What the event is: an anniversary, a party congress, or another event.",
    )
    date: Date = setting(..., unit="date", provenance="C12", description="Date of the event.")
    weight: float = param(
        0.3,
        unit="intensity",
        ge=0.0,
        le=5.0,
        provenance="C12 (assumption for size)",
        description="Peak intensity added nationwide on the date.",
    )
    lead_weeks: int = param(
        6,
        unit="weeks",
        ge=0,
        le=52,
        provenance="C12 (assumption)",
        description="Weeks over which intensity ramps up before the date.",
    )
    lag_weeks: int = param(
        1,
        unit="weeks",
        ge=0,
        le=52,
        provenance="assumption",
        description="Weeks over which intensity falls after the date.",
    )
    every_years: int = param(
        0,
        unit="years",
        ge=0,
        le=100,
        provenance="assumption",
        description="Repeat on the same day every this many years after the date (0: once).",
    )


class Holiday(Section):
    """A political holiday on the same day every year; its round anniversaries are bigger.

    Implements: C12 (intensity), A3 (``pardons``: special pardons are tied to the 5th and 10th
    anniversaries of four holidays, Daily NK).
    """

    name: Name = setting(..., provenance="C12", description="Holiday name.")
    date: Date = setting(
        ...,
        unit="date",
        provenance="C12",
        description="Date of the event the holiday commemorates: the holiday falls on its day "
        "every year from the first anniversary on, and anniversaries count from its year.",
    )
    weight: float = param(
        0.2,
        unit="intensity",
        ge=0.0,
        le=5.0,
        provenance="C12 (assumption for size)",
        description="Peak intensity added nationwide on the day in an ordinary year.",
    )
    lead_weeks: int = param(
        6,
        unit="weeks",
        ge=0,
        le=52,
        provenance="C12 (assumption)",
        description="Weeks of ramp before the day in an ordinary year.",
    )
    lag_weeks: int = param(
        1,
        unit="weeks",
        ge=0,
        le=52,
        provenance="assumption",
        description="Weeks of ramp after the day in an ordinary year.",
    )
    pardons: bool = setting(
        False,
        provenance="A3 (special pardons on the 5th and 10th anniversaries of four holidays, "
        "Daily NK)",
        description="Whether its 5th and 10th anniversaries are occasions for the recurring "
        "amnesty reviews of `amnesty.recurring`.",
    )

    @field_validator("date")
    @classmethod
    def _day_exists_every_year(cls, value: dt.date) -> dt.date:
        if (value.month, value.day) == (2, 29):
            raise ValueError(
                "falls on 29 February, which most years lack; allowed: a day that every year has"
            )
        return value


class Calendar(Section):
    """Baseline intensity and the political calendar (C12)."""

    base_intensity: float = param(
        0.0,
        unit="intensity",
        ge=0.0,
        le=5.0,
        provenance="assumption",
        description="Campaign intensity everywhere, all the time.",
    )
    weight_scale: float = param(
        1.0,
        unit="factor",
        ge=0.0,
        le=5.0,
        provenance="C12 (1: the weights as given; 0: no calendar)",
        description="Multiplier of the weight of every holiday and dated event.",
    )
    holidays: list[Holiday] = setting(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        provenance="C12",
        description="Holidays held every year (see the preset).",
    )
    fifth_factor: float = param(
        2.0,
        unit="factor",
        ge=0.0,
        le=20.0,
        provenance="C12 (round anniversaries are marked more; assumption for size)",
        description="Weight of a holiday on a 5th anniversary (not a 10th), relative to an "
        "ordinary year.",
    )
    tenth_factor: float = param(
        4.0,
        unit="factor",
        ge=0.0,
        le=20.0,
        provenance="C12 (the party's 80th anniversary in 2025 at four times its ordinary "
        "weight; assumption)",
        description="Weight of a holiday on a 10th anniversary, relative to an ordinary year.",
    )
    round_lead_weeks: int = param(
        10,
        unit="weeks",
        ge=0,
        le=52,
        provenance="C12 (assumption)",
        description="Weeks of ramp before a holiday's 5th or 10th anniversary.",
    )
    round_lag_weeks: int = param(
        2,
        unit="weeks",
        ge=0,
        le=52,
        provenance="assumption",
        description="Weeks of ramp after a holiday's 5th or 10th anniversary.",
    )
    events: list[CalendarEvent] = setting(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        provenance="C12",
        description="Dated anniversaries, congresses and other events.",
    )

"""The enforcement policy in force on a date, per (province, age group, organisation) cell.

Implements: C3, C4, C5, C8, C12. The political calendar raises intensity nationwide around
holidays (more on their 5th and 10th anniversaries), congresses and dated events; dated
provincial orders set the regime (``warning`` or ``struggle``), add intensity, sharpen
monitoring of their targets and switch monitors from checking attendance to checking
attentiveness. The policy is what makes a week (``engine.context.Week``): the schedule
computes it first, and every other mechanism reads it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from loyalsim.engine.context import Policy
from loyalsim.scenario.events import calendar_events_near
from loyalsim.scenario.schemas.loyalty import AGE_GROUPS, ORGANISATIONS, REGIMES, Calendar, Scenario

REGIME_NONE, REGIME_WARNING, REGIME_STRUGGLE = range(len(REGIMES))


def bump(weeks: float, lead_weeks: int, lag_weeks: int) -> float:
    """Share of an event's weight felt ``weeks`` after it (negative: before); a tent."""
    if -lead_weeks <= weeks <= 0 and lead_weeks > 0:
        return 1.0 + weeks / lead_weeks
    if weeks <= 0 and lead_weeks == 0 and weeks > -1:
        return 1.0
    if 0 < weeks <= lag_weeks:
        return 1.0 - weeks / (lag_weeks + 1.0)
    return 0.0


def calendar_intensity(calendar: Calendar, date: dt.date) -> float:
    """Nationwide intensity on ``date``: base plus the tent-shaped bump of every holiday,
    round anniversary, congress and dated event near it (C12; ``scenario.events``)."""
    total = calendar.base_intensity
    for event in calendar_events_near(calendar, date):
        weeks = (date - event.date).days / 7.0
        total += event.weight * bump(weeks, event.lead_weeks, event.lag_weeks)
    return total


def policy_at(scn: Scenario, date: dt.date) -> Policy:
    """The policy in force during the week that starts on ``date``."""
    provinces = [p.name for p in scn.population.provinces]
    shape = (len(provinces), len(AGE_GROUPS), len(ORGANISATIONS))
    enf = scn.enforcement
    regime = np.full(shape, REGIMES.index(enf.base_regime), np.uint8)
    base = calendar_intensity(scn.calendar, date)
    intensity = np.full(shape, base, np.float32)
    detect = np.ones(shape, np.float32)
    attentive = np.full(shape, enf.base_checks_attentiveness, bool)
    prov_intensity = np.full(len(provinces), base, np.float32)
    week_end = date + dt.timedelta(days=6)
    for order in enf.orders:
        if order.start > week_end or (order.end is not None and order.end < date):
            continue
        p_sel = _select(order.provinces, provinces)
        a_sel = _select(order.age_groups, list(AGE_GROUPS))
        o_sel = _select(order.organisations, list(ORGANISATIONS))
        mask = p_sel[:, None, None] & a_sel[None, :, None] & o_sel[None, None, :]
        regime[mask] = np.maximum(regime[mask], REGIMES.index(order.regime))
        intensity[mask] += order.intensity
        detect[mask] = np.maximum(detect[mask], order.detection_multiplier)
        attentive[mask] |= order.checks_attentiveness
        # Sessions are held per unit, not per person: an order for every age group raises
        # the province's session intensity, whichever organisations it holds to account.
        if a_sel.all():
            prov_intensity[p_sel] += order.intensity
    return Policy(
        regime=regime.reshape(-1),
        intensity=intensity.reshape(-1),
        detection_multiplier=detect.reshape(-1),
        checks_attentiveness=attentive.reshape(-1),
        province_intensity=prov_intensity,
    )


def _select(chosen: list[str], names: list[str]) -> np.ndarray:
    if "*" in chosen:
        return np.ones(len(names), bool)
    return np.array([name in chosen for name in names], bool)

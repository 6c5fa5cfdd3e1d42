"""Attendance, lapses of attention and their detection by monitors; fatigue from repetition.

Implements: C2, C8, C10, C13. For each session a member attends, a lapse (dozing, chatting,
looking away) happens with probability

    p_lapse = logistic(base + w_f * fatigue - w_b * loyalty + w_c * cynicism - w_m * threat)

where the threat term stands for countermeasures such as coffee before a session (C10). A
lapse is detected with probability

    p_detect = min(1, detect_base * skill[unit] * venue_factor * multiplier[cell]
               * (1 if attentiveness is checked else attendance_only_factor) * (1 - concealment))

(C8: once attentiveness rather than attendance is checked, far more lapses are seen; C13:
concealment hides lapses). Fatigue rises with each session attended (repetitive content,
C9) and recovers weekly. People in custody attend nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import Policy, RunContext, Week
from loyalsim.engine.population import CUSTODY, People, State, Units
from loyalsim.engine.rng import uniform3
from loyalsim.mechanisms.threat import perceived_threat
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    attendance: float
    base_logit: float
    fatigue_weight: float
    belief_weight: float
    cynicism_weight: float
    countermeasure_weight: float
    detect_base: float
    attendance_only_factor: float
    fatigue_recovery: float
    intensity_threat: float
    venue_factor: np.ndarray  # detection factor per venue
    fatigue_keep: np.ndarray  # (1 - fatigue_per_session) ** a for a = 0..255 sessions


@nb.njit(cache=True)
def fatigue_keep_table(gain: float) -> np.ndarray:
    """(1 - gain) ** a for a = 0..255: the share of the distance to 1 kept after a sessions."""
    keep = np.empty(256)
    for a in range(256):
        keep[a] = (1.0 - gain) ** a
    return keep


def params(scn: Scenario) -> Params:
    lp = scn.lapses
    return Params(
        float(scn.sessions.attendance),
        float(lp.base_logit),
        float(lp.fatigue_weight),
        float(lp.belief_weight),
        float(lp.cynicism_weight),
        float(lp.countermeasure_weight),
        float(lp.detect_base),
        float(lp.attendance_only_factor),
        float(lp.fatigue_recovery),
        float(scn.beliefs.intensity_threat),
        np.array(lp.venue_factor, np.float64),
        fatigue_keep_table(float(lp.fatigue_per_session)),
    )


@nb.njit(cache=True)
def unit_detect(p: Params, units: Units, u: int) -> float:
    """The detection probability of a lapse in unit ``u`` before cell and person factors."""
    return p.detect_base * units.monitor_skill[u] * p.venue_factor[units.venue[u]]


@nb.njit(cache=True)
def person(
    p: Params,
    ppl: People,
    i: int,
    n_sessions: int,
    detect_unit: float,
    is_free: bool,
    pol: Policy,
    severity: np.ndarray,
    key: np.uint64,
) -> None:
    """Draw person ``i``'s attendance, lapses and detections this week; update fatigue."""
    c = ppl.cell_idx[i]
    threat = perceived_threat(
        severity[pol.regime[c]], pol.intensity[c], p.intensity_threat, ppl.fear[i]
    )
    logit = (
        p.base_logit
        + p.fatigue_weight * ppl.fatigue[i]
        - p.belief_weight * ppl.loyalty_private[i]
        + p.cynicism_weight * ppl.cynicism[i]
        - p.countermeasure_weight * threat
    )
    p_lapse = 1.0 / (1.0 + np.exp(-logit))
    check = 1.0 if pol.checks_attentiveness[c] else p.attendance_only_factor
    p_detect = min(
        1.0, detect_unit * pol.detection_multiplier[c] * check * (1.0 - ppl.concealment[i])
    )
    attended = 0
    lapses = 0
    detected = 0
    for s in range(n_sessions if is_free else 0):
        # One hash per session; bitwise & rather than `and`, so that these coin flips do not
        # cost a mispredicted branch each.
        u_attend, u_lapse, u_detect = uniform3(key, i, s)
        present = u_attend < p.attendance
        lapsed = present & (u_lapse < p_lapse)
        attended += present
        lapses += lapsed
        detected += lapsed & (u_detect < p_detect)
    ppl.n_sessions_attended[i] = attended
    ppl.n_lapses[i] = lapses
    ppl.n_detected[i] = detected
    # `attended` times f <- f + gain (1 - f), in closed form.
    ppl.fatigue[i] = (
        1.0 - (1.0 - ppl.fatigue[i] * (1.0 - p.fatigue_recovery)) * p.fatigue_keep[attended]
    )


@nb.njit(parallel=True, cache=True)
def apply(
    p: Params,
    ppl: People,
    units: Units,
    status: np.ndarray,
    pol: Policy,
    severity: np.ndarray,
    key: np.uint64,
) -> None:
    for u in nb.prange(units.province_idx.shape[0]):
        detect_u = unit_detect(p, units, u)
        for i in range(units.start[u], units.start[u + 1]):
            person(
                p, ppl, i, units.n_sessions[u], detect_u, status[i] != CUSTODY, pol, severity, key
            )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Draw every person's attendance, lapses and detections this week; update fatigue."""
    key = ctx.streams.key("lapses")
    p = params(ctx.scenario)
    apply(p, state.people, state.units, state.amnesty.status, week.policy, ctx.severity, key)

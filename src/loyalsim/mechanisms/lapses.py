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
C9) and recovers weekly. People in custody attend nothing. Each unit counts the lapses its
monitors caught and those they would have caught but concealment hid, which its monitors
learn from (``adaptation``).
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


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    status: np.ndarray,
    severity: np.ndarray,
    key: np.uint64,
    start: np.ndarray,
    n_sessions: np.ndarray,
    venue: np.ndarray,
    skill: np.ndarray,
    cell_idx: np.ndarray,
    loyalty: np.ndarray,
    cynicism: np.ndarray,
    fear: np.ndarray,
    concealment: np.ndarray,
    fatigue: np.ndarray,
    n_attended: np.ndarray,
    n_lapses: np.ndarray,
    n_detected: np.ndarray,
    unit_n_caught: np.ndarray,
    unit_n_hidden: np.ndarray,
    regime: np.ndarray,
    intensity: np.ndarray,
    detect_mult: np.ndarray,
    attentive: np.ndarray,
) -> None:
    for u in nb.prange(start.shape[0] - 1):
        n_sess = n_sessions[u]
        unit_detect = p.detect_base * skill[u] * p.venue_factor[venue[u]]
        unit_caught = 0
        unit_hidden = 0
        for i in range(start[u], start[u + 1]):
            c = cell_idx[i]
            threat = perceived_threat(
                severity[regime[c]], intensity[c], p.intensity_threat, fear[i]
            )
            logit = (
                p.base_logit
                + p.fatigue_weight * fatigue[i]
                - p.belief_weight * loyalty[i]
                + p.cynicism_weight * cynicism[i]
                - p.countermeasure_weight * threat
            )
            p_lapse = 1.0 / (1.0 + np.exp(-logit))
            check = 1.0 if attentive[c] else p.attendance_only_factor
            p_seen = min(1.0, unit_detect * detect_mult[c] * check)  # were nothing concealed
            p_detect = min(1.0, unit_detect * detect_mult[c] * check * (1.0 - concealment[i]))
            attended = 0
            lapses = 0
            detected = 0
            hidden = 0
            for s in range(n_sess if status[i] != CUSTODY else 0):
                # One hash per session; bitwise & rather than `and`, so that these coin
                # flips do not cost a mispredicted branch each.
                u_attend, u_lapse, u_detect = uniform3(key, i, s)
                present = u_attend < p.attendance
                lapsed = present & (u_lapse < p_lapse)
                attended += present
                lapses += lapsed
                detected += lapsed & (u_detect < p_detect)
                hidden += lapsed & (u_detect < p_seen) & (u_detect >= p_detect)
            unit_caught += detected
            unit_hidden += hidden
            n_attended[i] = attended
            n_lapses[i] = lapses
            n_detected[i] = detected
            # `attended` times f <- f + gain (1 - f), in closed form.
            fatigue[i] = (
                1.0 - (1.0 - fatigue[i] * (1.0 - p.fatigue_recovery)) * p.fatigue_keep[attended]
            )
        unit_n_caught[u] = unit_caught
        unit_n_hidden[u] = unit_hidden


def apply(
    p: Params,
    ppl: People,
    units: Units,
    status: np.ndarray,
    pol: Policy,
    severity: np.ndarray,
    key: np.uint64,
) -> None:
    """Draw everyone's attendance, lapses and detections this week; update fatigue."""
    _apply_kernel(
        p,
        status,
        severity,
        key,
        start=units.start,
        n_sessions=units.n_sessions,
        venue=units.venue,
        skill=units.monitor_skill,
        cell_idx=ppl.cell_idx,
        loyalty=ppl.loyalty_private,
        cynicism=ppl.cynicism,
        fear=ppl.fear,
        concealment=ppl.concealment,
        fatigue=ppl.fatigue,
        n_attended=ppl.n_sessions_attended,
        n_lapses=ppl.n_lapses,
        n_detected=ppl.n_detected,
        unit_n_caught=units.n_caught,
        unit_n_hidden=units.n_hidden,
        regime=pol.regime,
        intensity=pol.intensity,
        detect_mult=pol.detection_multiplier,
        attentive=pol.checks_attentiveness,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Draw every person's attendance, lapses and detections this week; update fatigue."""
    key = ctx.streams.key("lapses")
    p = params(ctx.scenario)
    apply(p, state.people, state.units, state.amnesty.status, week.policy, ctx.severity, key)

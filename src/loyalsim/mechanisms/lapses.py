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
C9) and recovers weekly.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY
from loyalsim.engine.rng import uniform3
from loyalsim.mechanisms.threat import perceived_threat


@nb.njit(parallel=True, cache=True)
def apply(
    unit_start: np.ndarray,
    unit_sessions: np.ndarray,
    unit_venue: np.ndarray,
    monitor_skill: np.ndarray,
    cell_idx: np.ndarray,
    cell_regime: np.ndarray,
    cell_intensity: np.ndarray,
    cell_detect: np.ndarray,
    cell_attentive: np.ndarray,
    severity: np.ndarray,
    venue_factor: np.ndarray,
    loyalty: np.ndarray,
    cynicism: np.ndarray,
    fear: np.ndarray,
    concealment: np.ndarray,
    fatigue: np.ndarray,
    n_attended: np.ndarray,
    n_lapses: np.ndarray,
    n_detected: np.ndarray,
    status: np.ndarray,
    params: np.ndarray,
    key: np.uint64,
) -> None:
    """Draw this week's attendance, lapses and detections; update fatigue.

    ``params``: attendance, base_logit, fatigue_weight, belief_weight, cynicism_weight,
    countermeasure_weight, detect_base, attendance_only_factor, fatigue_per_session,
    fatigue_recovery, intensity_threat.
    """
    attendance, base, w_fat, w_bel, w_cyn, w_cm = (
        params[0],
        params[1],
        params[2],
        params[3],
        params[4],
        params[5],
    )
    detect_base, attendance_only = params[6], params[7]
    fatigue_gain, fatigue_recovery, intensity_threat = params[8], params[9], params[10]
    keep = np.empty(256)  # (1 - gain)^a: the share of the distance to 1 kept after a sessions
    for a in range(256):
        keep[a] = (1.0 - fatigue_gain) ** a
    for u in nb.prange(unit_start.shape[0] - 1):
        n_sess = unit_sessions[u]
        unit_detect = detect_base * monitor_skill[u] * venue_factor[unit_venue[u]]
        for i in range(unit_start[u], unit_start[u + 1]):
            c = cell_idx[i]
            threat = perceived_threat(
                severity[cell_regime[c]], cell_intensity[c], intensity_threat, fear[i]
            )
            logit = (
                base + w_fat * fatigue[i] - w_bel * loyalty[i] + w_cyn * cynicism[i] - w_cm * threat
            )
            p_lapse = 1.0 / (1.0 + np.exp(-logit))
            check = 1.0 if cell_attentive[c] else attendance_only
            p_detect = min(1.0, unit_detect * cell_detect[c] * check * (1.0 - concealment[i]))
            attended = 0
            lapses = 0
            detected = 0
            # People in custody are not at work (amnesty subsystem); they attend nothing.
            for s in range(n_sess if status[i] != CUSTODY else 0):
                # One hash per session; bitwise & rather than `and`, so that these
                # coin flips do not cost a mispredicted branch each.
                u_attend, u_lapse, u_detect = uniform3(key, i, s)
                present = u_attend < attendance
                lapsed = present & (u_lapse < p_lapse)
                attended += present
                lapses += lapsed
                detected += lapsed & (u_detect < p_detect)
            n_attended[i] = attended
            n_lapses[i] = lapses
            n_detected[i] = detected
            # `attended` times f <- f + gain (1 - f), in closed form.
            fatigue[i] = 1.0 - (1.0 - fatigue[i] * (1.0 - fatigue_recovery)) * keep[attended]

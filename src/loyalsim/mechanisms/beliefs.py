"""Private loyalty, public display, resentment and fear under coercion.

Implements: C9, C11. With Y = ``young_multiplier`` for the 16-30 group and 1 otherwise,
threat as in ``threat.perceived_threat`` and this week's events (accused a = 1 or 0,
warnings w, false criticisms voiced f, struggle sessions attended s, sessions attended n):

    F'          = fear (1 - fear_decay)
    fear       <- F' + (1 - F') min(1, Y (fa a + fw w + fs s))
    coercion_L  = Y (e_a a + e_f f + e_s n threat) + e_c cynicism
    loyalty    <- clip(loyalty (1 - min(1, coercion_L)) + recovery (loyalty_0 - loyalty), 0, 1)
    coercion_R  = Y (r_a a + r_f f + r_s n threat)
    R'          = resentment (1 - r_decay)
    resentment <- R' + (1 - R') min(1, coercion_R)
    display    <- display + display_rate (max(loyalty, threat') - display)

where threat' is recomputed with the updated fear. Ritual never raises belief: nothing here
adds loyalty beyond the pull back toward the person's initial value (C11).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.mechanisms.threat import perceived_threat


@nb.njit(parallel=True, cache=True)
def apply(
    cell_idx: np.ndarray,
    cell_regime: np.ndarray,
    cell_intensity: np.ndarray,
    severity: np.ndarray,
    age_group: np.ndarray,
    is_struggled: np.ndarray,
    n_warnings: np.ndarray,
    n_false: np.ndarray,
    n_struggles_attended: np.ndarray,
    n_attended: np.ndarray,
    cynicism: np.ndarray,
    loyalty_initial: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    fear: np.ndarray,
    display: np.ndarray,
    params: np.ndarray,
) -> None:
    """Update fear, loyalty, resentment and display in place (people independent)."""
    young_mult, intensity_threat = params[0], params[1]
    f_struggle, f_accused, f_warning, f_decay = params[2], params[3], params[4], params[5]
    display_rate = params[6]
    e_acc, e_false, e_sess, e_cyn, recovery = (
        params[7],
        params[8],
        params[9],
        params[10],
        params[11],
    )
    r_acc, r_false, r_sess, r_decay = params[12], params[13], params[14], params[15]
    for i in nb.prange(cell_idx.shape[0]):
        y = young_mult if age_group[i] == 0 else 1.0
        c = cell_idx[i]
        sev = severity[cell_regime[c]]
        inten = cell_intensity[c]
        threat = perceived_threat(sev, inten, intensity_threat, fear[i])
        acc = float(is_struggled[i])
        fq = float(n_false[i])
        pressure = n_attended[i] * threat
        gain = min(
            1.0,
            y
            * (f_struggle * n_struggles_attended[i] + f_accused * acc + f_warning * n_warnings[i]),
        )
        fr = fear[i] * (1.0 - f_decay)
        fear[i] = fr + (1.0 - fr) * gain
        loss = min(1.0, y * (e_acc * acc + e_false * fq + e_sess * pressure) + e_cyn * cynicism[i])
        lo = loyalty[i]
        loyalty[i] = min(1.0, max(0.0, lo * (1.0 - loss) + recovery * (loyalty_initial[i] - lo)))
        rise = min(1.0, y * (r_acc * acc + r_false * fq + r_sess * pressure))
        re = resentment[i] * (1.0 - r_decay)
        resentment[i] = re + (1.0 - re) * rise
        target = max(loyalty[i], perceived_threat(sev, inten, intensity_threat, fear[i]))
        display[i] += display_rate * (target - display[i])

"""Private loyalty, public display, resentment and fear: competing theories as separate terms.

Implements: C9, C11. The reports' analysts hold that coercion backfires and ritual cannot
create belief (C11); the literature also holds the opposite. Each view is its own term with
its own weights, so which one wins is a result of stated assumptions, not of the code:

- **fear** that rises with punishment seen or suffered and decays;
- **erosion and reactance**: coercion wears belief down and adds resentment (Brehm 1966;
  the analysts' view);
- **internalisation**: performing the ritual and voicing criticism build the belief they
  express (self-perception, Bem 1967; dissonance, Festinger & Carlsmith 1959; Kelman 1958),
  less so when a strong threat explains the act (insufficient justification);
- **socialisation**: a pull back toward the person's set point;
- social inference from others' display is a separate mechanism (``inference``).

With Y = ``young_multiplier`` for the 16-30 group and 1 otherwise, threat T as in
``threat.perceived_threat`` and this week's events (accused a = 1 or 0, warnings w, false
criticisms voiced f, struggle sessions attended s, sessions attended n):

    F'          = fear (1 - fear_decay)
    fear       <- F' + (1 - F') min(1, Y (fa a + fw w + fs s))
    erosion     = min(1, Y (e_a a + e_f f + e_s n T) + e_c cynicism)
    internal    = min(1, (k_r n + k_v f) max(0, 1 - j T))
    loyalty    <- clip(loyalty (1 - erosion) + internal (1 - loyalty)
                       + recovery (set_point - loyalty), 0, 1)
    coercion_R  = Y (r_a a + r_f f + r_s n T)
    R'          = resentment (1 - r_decay)
    resentment <- R' + (1 - R') min(1, coercion_R)
    display    <- display + display_rate (max(loyalty, T') - display)

where T' is recomputed with the updated fear and the set point is ``loyalty_initial``.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import Policy, RunContext, Week
from loyalsim.engine.population import People, State
from loyalsim.mechanisms.threat import perceived_threat
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    young_multiplier: float
    intensity_threat: float
    fear_per_struggle_attended: float
    fear_per_accusation: float
    fear_per_warning: float
    fear_decay: float
    display_rate: float
    erosion_accused: float
    erosion_false_criticism: float
    erosion_session_pressure: float
    erosion_cynicism: float
    loyalty_recovery: float
    internalise_ritual: float
    internalise_voice: float
    justification_discount: float
    resentment_accused: float
    resentment_false_criticism: float
    resentment_session_pressure: float
    resentment_decay: float


def params(scn: Scenario) -> Params:
    b = scn.beliefs
    return Params(*(float(getattr(b, name)) for name in Params._fields))


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    severity: np.ndarray,
    age_group: np.ndarray,
    cell_idx: np.ndarray,
    is_struggled: np.ndarray,
    n_false: np.ndarray,
    n_warnings: np.ndarray,
    n_struggles: np.ndarray,
    n_attended: np.ndarray,
    cynicism: np.ndarray,
    loyalty_initial: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    fear: np.ndarray,
    display: np.ndarray,
    regime: np.ndarray,
    intensity: np.ndarray,
) -> None:
    for i in nb.prange(cell_idx.shape[0]):
        y = p.young_multiplier if age_group[i] == 0 else 1.0
        c = cell_idx[i]
        sev = severity[regime[c]]
        inten = intensity[c]
        threat = perceived_threat(sev, inten, p.intensity_threat, fear[i])
        acc = float(is_struggled[i])
        fq = float(n_false[i])
        pressure = n_attended[i] * threat
        gain = min(
            1.0,
            y
            * (
                p.fear_per_struggle_attended * n_struggles[i]
                + p.fear_per_accusation * acc
                + p.fear_per_warning * n_warnings[i]
            ),
        )
        fr = fear[i] * (1.0 - p.fear_decay)
        fear[i] = fr + (1.0 - fr) * gain
        erosion = min(
            1.0,
            y
            * (
                p.erosion_accused * acc
                + p.erosion_false_criticism * fq
                + p.erosion_session_pressure * pressure
            )
            + p.erosion_cynicism * cynicism[i],
        )
        justified = max(0.0, 1.0 - p.justification_discount * threat)
        internal = min(
            1.0, (p.internalise_ritual * n_attended[i] + p.internalise_voice * fq) * justified
        )
        lo = loyalty[i]
        moved = lo * (1.0 - erosion) + internal * (1.0 - lo)
        loyalty[i] = min(1.0, max(0.0, moved + p.loyalty_recovery * (loyalty_initial[i] - lo)))
        rise = min(
            1.0,
            y
            * (
                p.resentment_accused * acc
                + p.resentment_false_criticism * fq
                + p.resentment_session_pressure * pressure
            ),
        )
        re = resentment[i] * (1.0 - p.resentment_decay)
        resentment[i] = re + (1.0 - re) * rise
        target = max(loyalty[i], perceived_threat(sev, inten, p.intensity_threat, fear[i]))
        display[i] += p.display_rate * (target - display[i])


def apply(p: Params, ppl: People, pol: Policy, severity: np.ndarray) -> None:
    """Update everyone's fear, loyalty, resentment and display from this week's events."""
    _apply_kernel(
        p,
        severity,
        age_group=ppl.age_group,
        cell_idx=ppl.cell_idx,
        is_struggled=ppl.is_struggled,
        n_false=ppl.n_criticisms_false,
        n_warnings=ppl.n_warnings,
        n_struggles=ppl.n_struggles_attended,
        n_attended=ppl.n_sessions_attended,
        cynicism=ppl.cynicism,
        loyalty_initial=ppl.loyalty_initial,
        loyalty=ppl.loyalty_private,
        resentment=ppl.resentment,
        fear=ppl.fear,
        display=ppl.display_public,
        regime=pol.regime,
        intensity=pol.intensity,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Update every person's fear, loyalty, resentment and display."""
    apply(params(ctx.scenario), state.people, week.policy, ctx.severity)

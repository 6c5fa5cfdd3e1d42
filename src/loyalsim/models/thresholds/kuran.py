"""Private preference and public stance, after Kuran (1989, 1991).

Each person holds a private opposition x in [0, 1] to the regime and shows a public stance.
They oppose openly once the share S of people openly opposing reaches their revolutionary
threshold T = clip(punishment − sensitivity·x, 0, 1): the more they privately oppose, the
less company they need; the harsher the punishment, the more. Zealots oppose whatever S.
Public opposition then follows the threshold map S(t+1) = share{T <= S(t)}, so what can be
seen (S) says little about what cannot (x).
"""

from __future__ import annotations

import numpy as np

from loyalsim.scenario.schemas.thresholds import Kuran


def private_opposition(kuran: Kuran, rng: np.random.Generator) -> np.ndarray:
    """Private opposition x ~ Beta with the configured mean and concentration."""
    a = kuran.private_mean * kuran.private_concentration
    b = (1.0 - kuran.private_mean) * kuran.private_concentration
    return rng.beta(a, b, kuran.size)


def zealots(kuran: Kuran, rng: np.random.Generator) -> np.ndarray:
    """Mask of the round(zealot_share·size) people who oppose openly unconditionally."""
    mask = np.zeros(kuran.size, dtype=np.bool_)
    n_zealots = round(kuran.zealot_share * kuran.size)
    mask[rng.choice(kuran.size, size=n_zealots, replace=False)] = True
    return mask


def punishment_at(kuran: Kuran, step: int) -> float:
    """Punishment in force at ``step`` (shifted from ``shock_step`` on)."""
    shift = kuran.punishment_shift if step >= kuran.shock_step else 0.0
    return max(kuran.punishment + shift, 0.0)


def revolutionary_thresholds(
    opposition: np.ndarray, is_zealot: np.ndarray, punishment: float, sensitivity: float
) -> np.ndarray:
    """Share of open opposers each person needs to see before opposing openly."""
    thresholds = np.clip(punishment - sensitivity * opposition, 0.0, 1.0)
    return np.where(is_zealot, 0.0, thresholds)


def public_stance(thresholds: np.ndarray, public_share: float) -> np.ndarray:
    """Who opposes openly given last step's share of open opposers."""
    return thresholds <= public_share

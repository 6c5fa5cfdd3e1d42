"""Perceived threat: what a person expects enforcement to do to them now.

Implements: C3, C4, C9. Threat rises with the severity of the regime that applies to the
person's cell, with campaign intensity, and with the person's own fear (a memory of
accusations, warnings and struggle sessions witnessed). Shared by the lapse, belief and
dissent rules, which all respond to the same perception.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(inline="always", cache=True)
def perceived_threat(
    severity: float, intensity: float, intensity_threat: float, fear: float
) -> float:
    """Threat in [0, 1]: regime severity scaled up by intensity, plus fear."""
    value = severity * (1.0 + intensity_threat * intensity) + fear
    return min(1.0, max(0.0, value))


def severity_by_regime(severity_warning: float, severity_struggle: float) -> np.ndarray:
    """Severity indexed by regime code (none, warning, struggle)."""
    return np.array([0.0, severity_warning, severity_struggle], np.float64)

"""Hand-built populations for mechanism tests: every column defaulted, any column set by name."""

from __future__ import annotations

from typing import Any

import numpy as np

from loyalsim.engine.context import Policy
from loyalsim.engine.population import AmnestyState, Households, People, Units
from loyalsim.mechanisms.threat import severity_by_regime

SEVERITY = severity_by_regime(0.15, 0.6)

_PEOPLE_DTYPES = {
    "household_idx": np.int32,
    "cell_idx": np.uint16,
    "step_struggle_due": np.int16,
    **dict.fromkeys(
        (
            "loyalty_private",
            "loyalty_initial",
            "display_public",
            "resentment",
            "fatigue",
            "concealment",
            "cynicism",
            "fear",
            "speak_threshold",
            "cynicism_next",
        ),
        np.float32,
    ),
}
_AMNESTY_DTYPES = {
    "offence": np.int8,
    "sentence_weeks": np.int16,
    "served_weeks": np.int16,
    "labour": np.float32,
    "reeducation": np.float32,
    "supervision_left": np.int16,
    "step_released": np.int16,
    "step_denied": np.int16,
    "offence_now": np.int8,
    "remaining_at_release": np.int16,
}


def people(n: int, friends: int = 0, **columns: Any) -> People:
    """People with zero state (loyalty 0.5, no case, own household each), ``columns`` set."""
    out: dict[str, np.ndarray] = {}
    for name in People._fields:
        if name == "friend_idx":
            out[name] = np.zeros((n, friends), np.int32)
            continue
        out[name] = np.zeros(n, _PEOPLE_DTYPES.get(name, np.uint8))
    out["household_idx"] = np.arange(n, dtype=np.int32)
    out["step_struggle_due"] = np.full(n, -1, np.int16)
    for name in ("loyalty_private", "loyalty_initial", "display_public"):
        out[name] = np.full(n, 0.5, np.float32)
    for name, value in columns.items():
        out[name] = np.broadcast_to(np.asarray(value, out[name].dtype), out[name].shape).copy()
    return People(**out)


def units(sizes: list[int], **columns: Any) -> Units:
    """Units of the given sizes (enterprises, research rooms, monitor skill 1)."""
    k = len(sizes)
    start = np.zeros(k + 1, np.int64)
    np.cumsum(sizes, out=start[1:])
    out = {
        "start": start,
        "province_idx": np.zeros(k, np.uint8),
        "city_idx": np.zeros(k, np.int32),
        "kind": np.zeros(k, np.uint8),
        "venue": np.zeros(k, np.uint8),
        "monitor_skill": np.ones(k, np.float32),
        "n_sessions": np.zeros(k, np.uint8),
        "struggle_orgs": np.zeros(k, np.uint8),
        "struggle_several": np.zeros(k, np.uint8),
        "n_caught": np.zeros(k, np.uint32),
        "n_hidden": np.zeros(k, np.uint32),
    }
    for name, value in columns.items():
        out[name] = np.asarray(value, dtype=out[name].dtype)
    return Units(**out)


def amnesty(n: int, **columns: Any) -> AmnestyState:
    """Everyone free with no record, ``columns`` set."""
    out: dict[str, np.ndarray] = {}
    for name in AmnestyState._fields:
        out[name] = np.zeros(n, _AMNESTY_DTYPES.get(name, np.uint8))
    out["offence"][:] = -1
    out["offence_now"][:] = -1
    out["step_released"][:] = -1
    out["step_denied"][:] = -1
    for name, value in columns.items():
        out[name] = np.broadcast_to(np.asarray(value, out[name].dtype), out[name].shape).copy()
    return AmnestyState(**out)


def households(n: int, **columns: Any) -> Households:
    """Households of equal wealth, none with a soldier or a hero, ``columns`` set."""
    out = {
        "wealth": np.ones(n, np.float32),
        "wealth_quintile": np.zeros(n, np.uint8),
        "wealth_rank": np.full(n, 0.5, np.float32),
        "has_soldier_abroad": np.zeros(n, bool),
        "is_hero_family": np.zeros(n, bool),
    }
    for name, value in columns.items():
        out[name] = np.asarray(value, dtype=out[name].dtype)
    return Households(**out)


def policy(
    regime: list[int], intensity: float = 0.0, attentive: bool = True, detect: float = 1.0
) -> Policy:
    """A policy over ``len(regime)`` cells in one province."""
    k = len(regime)
    return Policy(
        regime=np.asarray(regime, np.uint8),
        intensity=np.full(k, intensity, np.float32),
        detection_multiplier=np.full(k, detect, np.float32),
        checks_attentiveness=np.full(k, attentive),
        province_intensity=np.full(1, intensity, np.float32),
    )

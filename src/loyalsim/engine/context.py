"""What a mechanism's step receives besides the state: the run's constants and the week.

``RunContext`` holds what is fixed for a run (the scenario, the named random streams, tables
derived once); ``Week`` what is fixed for one week (its index, its first day, the policy in
force). Both are plain data, so every mechanism has the same entry
``step(state, ctx, week)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from loyalsim.engine.rng import Streams
from loyalsim.scenario.schemas.loyalty import Scenario


class Policy(NamedTuple):
    """Arrays over policy cells (province x age group x organisation) and provinces."""

    regime: np.ndarray  # uint8 per cell
    intensity: np.ndarray  # float32 per cell
    detection_multiplier: np.ndarray  # float32 per cell
    checks_attentiveness: np.ndarray  # bool per cell
    province_intensity: np.ndarray  # float32 per province (drives session frequency)


class Week(NamedTuple):
    """One weekly step: its index (0-based), its first day and the policy in force."""

    step: int
    date: dt.date
    policy: Policy


@dataclass
class RunContext:
    """Constants of a run, derived once from the scenario and the initial state.

    ``severity`` is the perceived severity of each regime code (none, warning, struggle);
    ``hh_factor`` is 1 / (members - 1) per household (0 for one-person households);
    ``hh_sums`` is scratch space for the households' cynicism sums of the week.
    """

    scenario: Scenario
    streams: Streams
    severity: np.ndarray
    hh_factor: np.ndarray
    hh_sums: np.ndarray

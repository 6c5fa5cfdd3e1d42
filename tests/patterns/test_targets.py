"""The default scenario against the shipped target file of reported facts.

Every target of ``loyalsim/calibrate/targets/default.toml`` (a statistic of one metric in one
group over a window, with its accepted range and source) is evaluated on default runs; the
mean over seeds must lie in the accepted range. The same file is
what ``loyalsim calibrate`` fits to, so the defaults and the calibration read one list.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from loyalsim.calibrate.api import shipped_targets
from loyalsim.calibrate.plan import CalibrationPlan, plan_from_text
from loyalsim.calibrate.summary import evaluate
from loyalsim.experiment.single import run_config

SEEDS = (1, 2, 3)
# Larger than the file's calibration size: an amnesty of a few tenths of a percent of 20,000
# people releases a handful, too few for the shares of the amnesty targets to be stable.
POPULATION = 60_000


@cache
def _plan() -> CalibrationPlan:
    return plan_from_text(shipped_targets(), "the shipped target file", population=POPULATION)


@cache
def _values() -> dict[str, list[float]]:
    plan = _plan()
    out: dict[str, list[float]] = {t.key: [] for t in plan.targets}
    for seed in SEEDS:
        table, _ = run_config(plan.config, seed)
        for key, value in evaluate(table, plan.targets).items():
            out[key].append(value)
    return out


@pytest.mark.parametrize("target", [t.key for t in _plan().targets])
def test_default_meets_the_reported_fact(target: str) -> None:
    spec = next(t for t in _plan().targets if t.key == target)
    values = _values()[target]
    mean = float(np.mean(values))
    assert spec.low <= mean <= spec.high, (target, values, spec.low, spec.high, spec.source)

"""The threshold models as loyalsim models: contract, Kuran properties, quick checks."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.models import get_model
from loyalsim.models.thresholds import kuran
from loyalsim.models.thresholds.simulate import run_kuran
from loyalsim.models.thresholds.validation import CHECKS
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.thresholds import ThresholdsConfig

PRESETS = ["granovetter-uniform", "granovetter-perturbed", "granovetter-normal", "kuran"]


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_load_and_run(preset: str) -> None:
    config = load(preset)
    assert isinstance(config, ThresholdsConfig)
    table = get_model("thresholds").simulate(config, 0, "r")
    assert table.num_rows > 0
    assert pc.min(table.column("value")).as_py() >= 0


def test_uniform_preset_ends_with_everyone() -> None:
    table = get_model("thresholds").simulate(load("granovetter-uniform"), 0, "r")
    acting = table.filter(pc.equal(table.column("metric"), "acting")).column("value")
    assert acting.to_pylist()[-1] == 1.0


@pytest.mark.parametrize("kind", ["granovetter", "kuran"])
def test_same_seed_same_table(kind: str) -> None:
    config = ThresholdsConfig.model_validate(
        {
            "run": {"kind": kind, "steps": 20},
            "crowd": {"distribution": "normal"},
            "friendship": {"mean_degree": 3, "weight": 2},
            "kuran": {"size": 300},
        }
    )
    spec = get_model("thresholds")
    assert spec.simulate(config, 9, "a").equals(spec.simulate(config, 9, "a"))


def test_threshold_falls_with_opposition_and_rises_with_punishment() -> None:
    opposition = np.array([0.1, 0.5, 0.9])
    none = np.zeros(3, dtype=np.bool_)
    low = kuran.revolutionary_thresholds(opposition, none, 0.8, 1.0)
    high = kuran.revolutionary_thresholds(opposition, none, 1.0, 1.0)
    assert np.all(np.diff(low) <= 0) and np.all(high >= low)
    assert np.allclose(low, [0.7, 0.3, 0.0])


@settings(max_examples=30, deadline=None)
@given(
    mean=st.floats(0.05, 0.95),
    conc=st.floats(0.5, 50.0),
    punishment=st.floats(0.0, 2.0),
    shift=st.floats(-1.0, 1.0),
    seed=st.integers(0, 2**16),
)
def test_kuran_shares_are_shares(
    mean: float, conc: float, punishment: float, shift: float, seed: int
) -> None:
    config = ThresholdsConfig.model_validate(
        {
            "run": {"kind": "kuran", "steps": 12},
            "kuran": {
                "size": 200,
                "private_mean": mean,
                "private_concentration": conc,
                "punishment": punishment,
                "punishment_shift": shift,
                "shock_step": 6,
            },
        }
    )
    values = run_kuran(config, seed)[:, :, :4]
    finite = values[~np.isnan(values)]
    assert np.all((finite >= 0) & (finite <= 1))


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_quick_validation_check_passes(check: object) -> None:
    result = check.run(True)  # type: ignore[attr-defined]
    assert result.passed, result

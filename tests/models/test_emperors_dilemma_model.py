"""The emperor's dilemma as a loyalsim model: contract, properties, quick checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.models import get_model
from loyalsim.models.emperors_dilemma.simulate import METRICS, run
from loyalsim.models.emperors_dilemma.validation import CHECKS
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.emperors_dilemma import EmperorsDilemmaConfig

PRESETS = ["emperors-dilemma-local", "emperors-dilemma-global", "emperors-dilemma-small-world"]


def _small(**data: object) -> EmperorsDilemmaConfig:
    base: dict[str, object] = {"population": {"side": 10}, "dynamics": {"steps": 30}}
    base.update(data)
    return EmperorsDilemmaConfig.model_validate(base)


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_load_and_run(preset: str) -> None:
    config = load(preset)
    assert isinstance(config, EmperorsDilemmaConfig)
    spec = get_model("emperors_dilemma")
    table = spec.simulate(config.model_copy(update={"population": _small().population}), 1, "r")
    assert set(table.column("group").to_pylist()) == {
        "all",
        "belief:believer",
        "belief:disbeliever",
    }
    assert spec.person_steps(config) == 900 * config.dynamics.steps


def test_same_seed_same_table() -> None:
    spec = get_model("emperors_dilemma")
    config = _small(
        population={"side": 10, "placement": "scattered"},
        network={"kind": "small_world", "rewire_prob": 0.2},
    )
    assert spec.simulate(config, 3, "a").equals(spec.simulate(config, 3, "a"))


def test_start_is_sincere() -> None:
    values, _ = run(_small(), 0)
    start = dict(zip(METRICS, values[0, 0], strict=True))
    assert start["enforcing"] == 0 and start["false_complying"] == 0
    assert start["complying"] == pytest.approx(5 / 100)


@settings(max_examples=25, deadline=None)
@given(
    share=st.floats(0.0, 0.5),
    kind=st.sampled_from(["lattice", "global", "small_world"]),
    placement=st.sampled_from(["clustered", "scattered"]),
    update=st.sampled_from(["asynchronous", "synchronous"]),
    seed=st.integers(0, 2**16),
)
def test_shares_are_shares(share: float, kind: str, placement: str, update: str, seed: int) -> None:
    config = _small(
        population={"side": 6, "believer_share": share, "placement": placement},
        network={"kind": kind, "rewire_prob": 0.3},
        dynamics={"steps": 15, "update": update},
    )
    values, world = run(config, seed)
    shares = values[:, :, :-1]
    finite = shares[~np.isnan(shares)]
    assert np.all((finite >= 0) & (finite <= 1))
    # Believers never comply against their belief or enforce deviance.
    assert np.all(world.compliance[world.belief == 1] == 1)
    assert np.all(world.enforcement[world.belief == 1] >= 0)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_quick_validation_check_passes(check: object) -> None:
    result = check.run(True)  # type: ignore[attr-defined]
    assert result.passed, result

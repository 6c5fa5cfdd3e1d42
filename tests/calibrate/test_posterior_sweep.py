"""The calibration's derived files: the calibrated scenario and the posterior as a sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from loyalsim.calibrate.parallel import SerialMapper
from loyalsim.calibrate.plan import plan_from_file
from loyalsim.calibrate.run import prepare_dir, run_calibration
from loyalsim.experiment.specs import plan_from_file as sweep_plan
from loyalsim.experiment.sweepfile import parse_sweep
from loyalsim.report.calibration import read_calibration, weighted_quantiles
from loyalsim.scenario.io import ScenarioError, load
from tests.calibrate.helpers import write_targets


@pytest.fixture(scope="module")
def calibration(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cal")
    plan = plan_from_file(write_targets(folder, 31, population=30, generations=3))
    prepare_dir(plan, folder / "out")
    run_calibration(plan, folder / "out", SerialMapper())
    return folder / "out"


def test_calibrated_scenario_extends_the_base_with_the_posterior_medians(calibration: Path) -> None:
    data = read_calibration(calibration)
    config = load(calibration / "calibrated.toml")
    weights = data.posterior["weight"].to_numpy()
    for path in ("kuran.private_mean", "kuran.private_concentration"):
        (median,) = weighted_quantiles(data.posterior[path].to_numpy(), weights, [0.5])
        section, name = path.split(".")
        assert getattr(getattr(config, section), name) == median
    assert config.kuran.size == 1000 and config.run.steps == 20  # the [set] overrides
    assert 'extends = "kuran"' in (calibration / "calibrated.toml").read_text("utf-8")


def test_posterior_sweep_runs_posterior_draws_as_design_points(calibration: Path) -> None:
    plan = sweep_plan(calibration / "posterior-sweep.toml")
    data = read_calibration(calibration)
    assert plan.n_points == data.posterior.num_rows and plan.sweep.replicates == 10
    posterior = {
        (a, b)
        for a, b in zip(
            data.posterior["kuran.private_mean"].to_pylist(),
            data.posterior["kuran.private_concentration"].to_pylist(),
            strict=True,
        )
    }
    for point in range(plan.n_points):
        values = plan.point_values(point)
        assert (values["kuran.private_mean"], values["kuran.private_concentration"]) in posterior
    assert np.all(plan.samples[:, 0] == np.arange(plan.n_points))


def test_points_design_needs_lists_of_one_length() -> None:
    base = {"name": "p", "seed": 1, "design": {"kind": "points"}}
    with pytest.raises(ScenarioError, match="needs value lists of one length"):
        parse_sweep({**base, "axes": {"a.b": [1, 2], "c.d": [1]}})
    with pytest.raises(ScenarioError, match="needs value lists of one length"):
        parse_sweep({**base, "axes": {"a.b": {"min": 0, "max": 1}}})

"""ABC-SMC recovers parameters the model itself generated the targets from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from loyalsim.calibrate.parallel import SerialMapper
from loyalsim.calibrate.plan import plan_from_file
from loyalsim.calibrate.run import prepare_dir, run_calibration
from loyalsim.report.calibration import read_calibration, weighted_quantiles
from tests.calibrate.helpers import TRUTH, write_targets

PRIOR_WIDTH = {"kuran.private_mean": 0.6, "kuran.private_concentration": np.log10(40.0)}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_truth_lies_in_the_90_percent_posterior_interval(seed: int, tmp_path: Path) -> None:
    plan = plan_from_file(
        write_targets(tmp_path, seed, population=50, generations=10, final_epsilon=1.0)
    )
    prepare_dir(plan, tmp_path / "out")
    gens = run_calibration(plan, tmp_path / "out", SerialMapper())
    assert gens[-1].epsilon <= 1.0, "the schedule should reach every target's tolerance"
    data = read_calibration(tmp_path / "out")
    weights = data.posterior["weight"].to_numpy()
    for path, truth in TRUTH.items():
        values = data.posterior[path].to_numpy()
        low, high = weighted_quantiles(values, weights, [0.05, 0.95])
        assert low <= truth <= high, f"{path}: {truth} outside [{low:.3g}, {high:.3g}]"
        # Informative: far narrower than the prior (on the prior's own scale).
        width = high - low if path.endswith("mean") else np.log10(high / low)
        assert width < 0.5 * PRIOR_WIDTH[path]
    # Every accepted particle meets every target at the final tolerance.
    assert (data.posterior["distance"].to_numpy() <= gens[-1].epsilon).all()

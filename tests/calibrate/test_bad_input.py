"""Bad target files are refused before anything runs: exit 2, the field named, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from tests.calibrate.helpers import TARGETS

runner = CliRunner()

GOOD = TARGETS.format(
    name="bad",
    seed=1,
    population=10,
    generations=1,
    final_epsilon=1.0,
    predictive=0,
    mean_private=0.5,
    opposed_share=0.5,
    mean_private_opposed=0.75,
)

LOYALTY = """
name = "loyalty-bad"
base = "default"
seed = 1
[set]
"population.n_people" = 2000
[[parameters]]
path = "lapses.detect_base"
prior = "log-uniform"
low = 0.01
high = 0.1
[[targets]]
metric = "accused"
group = "province:South Hamgyong"
window = { start = 2026-02-02 }
statistic = "per_work_unit"
rate = "month"
range = [0.5, 5.0]
source = "C6"
"""


def _calibrate(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "targets.toml"
    path.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["calibrate", str(path), "--out", str(out)])
    assert not out.exists(), "nothing may be written for bad input"
    return result.exit_code, " ".join(result.output.split())


def test_the_good_files_pass_the_checks(tmp_path: Path) -> None:
    from loyalsim.calibrate.plan import plan_from_text

    assert len(plan_from_text(GOOD, "good").targets) == 3
    assert plan_from_text(LOYALTY, "loyalty").targets[0].series.first == 56


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('name = "bad"', 'name = "bad', "not valid TOML"),
        (
            'source = "assumption"\n',
            'source = "assumption"\ncolour = 1\n',
            "targets.0.colour: unknown key",
        ),
        (
            'metric = "privately_opposed"',
            'metric = "privately_oposed"',
            "targets.1.metric = 'privately_oposed': unknown metric 'privately_oposed' (did you "
            "mean 'privately_opposed'",
        ),
        (
            'group = "private:opposed"',
            'group = "province:South Hamgyong"',
            "targets.2.group = 'province:South Hamgyong': unknown group 'province:South Hamgyong'"
            "; allowed: all, private:opposed, private:supporter",
        ),
        (
            "high = 0.8",
            "high = 1.5",
            "parameters.0.high = 1.5: outside the schema's bounds of "
            "kuran.private_mean; allowed: 0.0 < value < 1.0",
        ),
        (
            "low = 0.5\n",
            "low = 0.0\n",
            "parameters.1.low = 0.0: outside the schema's bounds of "
            "kuran.private_concentration; allowed: 0.0 < value <= 10000.0",
        ),
        (
            'path = "kuran.private_mean"',
            'path = "kuran.private_man"',
            "parameters.0.path = 'kuran.private_man': unknown parameter of model 'thresholds'",
        ),
        ('path = "kuran.private_mean"', 'path = "run.kind"', "not a numeric parameter"),
        (
            "tolerance = 0.02",
            "tolerance = 0.0",
            "targets.0.tolerance = 0.0: Input should be greater than 0",
        ),
        ("tolerance = 0.04", "range = [0.6, 0.2]", "range = [0.6, 0.2]: low must be below high"),
        (
            "value = 0.5\ntolerance = 0.04",
            "value = 1.5\ntolerance = 0.1",
            "targets.1: the accepted values [1.4, 1.6] are impossible: statistic 'mean' of "
            "'privately_opposed' (share) lies in [0, 1]",
        ),
        (
            "window = { first = 1, last = 15 }\nvalue = 0.5\ntolerance = 0.04",
            "window = { start = 2026-01-01 }\nvalue = 0.5\ntolerance = 0.04",
            "targets.1.window: model 'thresholds' has no calendar; give steps (first, last)",
        ),
    ],
)
def test_bad_target_files_exit_2_naming_the_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    code, output = _calibrate(tmp_path, GOOD.replace(old, new, 1))
    assert code == 2, output
    assert expected in output


def test_unknown_metrics_list_the_model_s_valid_ones(tmp_path: Path) -> None:
    code, output = _calibrate(tmp_path, GOOD.replace("privately_opposed", "x_y_z", 1))
    assert code == 2
    valid = "acting, n_acting, public_opposition, private_opposition, privately_opposed"
    assert f"allowed: {valid}, falsifying, punishment" in output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'group = "province:South Hamgyong"',
            'group = "age:16-30"',
            "targets.0.group = 'age:16-30': work units are counted for 'all' and the provinces",
        ),
        (
            'metric = "accused"',
            'metric = "fear"',
            "targets.0.statistic = 'per_work_unit': divides counts or levels by the group's size",
        ),
        (
            "window = { start = 2026-02-02 }",
            "window = { start = 2030-01-01 }",
            "covers no step; the scenario runs from 2025-01-06 to 2026-12-28",
        ),
        (
            'group = "province:South Hamgyong"',
            'group = "province:South Hamgyon"',
            "(did you mean 'province:South Hamgyong'",
        ),
        ("low = 0.01", "low = 0.0", "parameters.0.low = 0.0: a log-uniform prior needs low > 0"),
        ("range = [0.5, 5.0]", "range = [-3.0, -1.0]", "are impossible"),
    ],
)
def test_bad_loyalty_targets_exit_2(tmp_path: Path, old: str, new: str, expected: str) -> None:
    code, output = _calibrate(tmp_path, LOYALTY.replace(old, new, 1))
    assert code == 2, output
    assert expected in output


def test_a_sum_over_weeks_needs_an_event_count(tmp_path: Path) -> None:
    text = LOYALTY.replace('metric = "accused"', 'metric = "fear"').replace(
        'statistic = "per_work_unit"\nrate = "month"', 'statistic = "sum"'
    )
    code, output = _calibrate(tmp_path, text)
    assert code == 2
    assert "targets.0.statistic = 'sum': adds weeks, which only event counts allow" in output


def test_a_directory_holding_another_calibration_is_refused(tmp_path: Path) -> None:
    from loyalsim.calibrate.plan import plan_from_text
    from loyalsim.calibrate.run import prepare_dir

    out = tmp_path / "out"
    prepare_dir(plan_from_text(GOOD, "good"), out)
    path = tmp_path / "other.toml"
    path.write_text(GOOD.replace("seed = 1", "seed = 2"), "utf-8")
    result = runner.invoke(app, ["calibrate", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "holds a different calibration ('bad'); use --force" in " ".join(result.output.split())

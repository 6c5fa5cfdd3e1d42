"""Analysis of stored sweeps: summaries, sensitivity indices, sweep comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.experiment.executors import SerialExecutor
from loyalsim.experiment.runner import prepare_dir, run_sweep
from loyalsim.experiment.specs import plan_from_file
from loyalsim.report.sweep_compare import compare_sweeps, is_sweep_dir
from tests.experiment.helpers import TINY, tiny_sweep

runner = CliRunner()


def _run(sweep: Path, out: Path) -> Path:
    plan = plan_from_file(sweep)
    prepare_dir(plan, out)
    run_sweep(plan, out, SerialExecutor())
    return out


@pytest.fixture(scope="module")
def factorial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fact")
    return _run(tiny_sweep(folder, replicates=3), folder / "out")


@pytest.mark.parametrize("kind", ["sobol", "morris"])
def test_sensitivity_prints_indices_and_saves_a_plot(tmp_path: Path, kind: str) -> None:
    text = TINY.format(name=kind, seed=2, replicates=1, levels=2).replace(", levels = 2", "")
    text = text.replace('kind = "full_factorial"', f'kind = "{kind}"\nsamples = 4')
    (tmp_path / "s.toml").write_text(text)
    out = _run(tmp_path / "s.toml", tmp_path / "out")
    result = runner.invoke(app, ["sensitivity", str(out), "--outcome", "display_gap"])
    assert result.exit_code == 0, result.output
    heads = ("S1", "ST") if kind == "sobol" else ("mu*", "sigma")
    assert all(h in result.output for h in heads)
    assert "lapses.base_logit" in result.output
    assert (out / "sensitivity-display_gap-all.png").stat().st_size > 0


def test_sensitivity_refuses_a_factorial_design_and_unknown_metrics(factorial: Path) -> None:
    result = runner.invoke(app, ["sensitivity", str(factorial), "--outcome", "display_gap"])
    assert result.exit_code == 2 and "sobol or morris" in result.output
    result = runner.invoke(app, ["summarize", str(factorial), "--metric", "no_such_metric"])
    assert result.exit_code == 2 and "no_such_metric" in result.output


def test_summarize_gives_mean_and_interval_per_point(factorial: Path) -> None:
    result = runner.invoke(app, ["summarize", str(factorial), "--metric", "display_gap@11"])
    assert result.exit_code == 0, result.output
    assert "95% low" in result.output and result.output.count("│ 3 │") == 4


def test_compare_sweeps_pooled_and_by_point(factorial: Path, tmp_path: Path) -> None:
    other = _run(tiny_sweep(tmp_path, seed=11, replicates=3), tmp_path / "out")
    assert is_sweep_dir(factorial) and not is_sweep_dir(tmp_path)
    pooled = compare_sweeps(factorial, other, ["display_gap", "accused"])
    assert [(r.metric, r.n_a, r.n_b) for r in pooled] == [
        ("display_gap", 12, 12),
        ("accused", 12, 12),
    ]
    for row in pooled:
        assert row.low <= row.diff <= row.high
    same = compare_sweeps(factorial, factorial, ["display_gap"], by_point=True)
    assert len(same) == 4 and all(r.diff == 0.0 for r in same)

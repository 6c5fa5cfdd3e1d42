"""Small stored runs and sweeps shared by the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loyalsim.cli import app

runner = CliRunner()


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "default"
    result = runner.invoke(
        app,
        ["run", "default", "--out", str(out), "--population", "6000", "--set", "time.n_steps=70"],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sweeps")
    sweep = base / "tiny.toml"
    sweep.write_text(
        'name = "tiny"\nbase = "default"\nseed = 3\nreplicates = 2\n'
        '[set]\n"population.n_people" = 1500\n"time.n_steps" = 6\n'
        '[axes]\n"lapses.base_logit" = {min = -3.0, max = -1.0}\n'
        '"enforcement.case_prob" = {min = 0.1, max = 1.0}\n'
        '[design]\nkind = "morris"\nsamples = 2\n'
        '[keep]\nmetrics = ["display_gap", "accused"]\ngroups = ["all"]\n'
    )
    out = base / "tiny"
    result = runner.invoke(app, ["sweep", str(sweep), "--out", str(out), "--executor", "serial"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def factorial_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 x 3 factorial (9 points, 2 replicates) keeping 8 metrics, as examples/sweep-small."""
    base = tmp_path_factory.mktemp("factorial")
    sweep = base / "factorial.toml"
    sweep.write_text(
        'name = "factorial"\nbase = "default"\nseed = 5\nreplicates = 2\n'
        '[set]\n"population.n_people" = 1000\n"time.start" = 2026-01-26\n"time.n_steps" = 4\n'
        '[axes]\n"lapses.base_logit" = { min = -3.0, max = -1.0, levels = 3 }\n'
        '"enforcement.case_prob" = [0.1, 0.3, 0.6]\n'
        '[design]\nkind = "full_factorial"\n'
        '[keep]\nmetrics = ["display_public", "loyalty_private", "display_gap", "accused", '
        '"lapses", "hidden_dissent", "open_dissent", "resentment"]\n'
        'groups = ["all", "province:South Hamgyong"]\n'
    )
    out = base / "factorial"
    result = runner.invoke(app, ["sweep", str(sweep), "--out", str(out), "--executor", "serial"])
    assert result.exit_code == 0, result.output
    return out

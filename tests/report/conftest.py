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

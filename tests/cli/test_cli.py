"""The ``loyalsim`` command as a user meets it: outputs, refusals, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from loyalsim.cli import app

runner = CliRunner()
SMALL = ["--population", "3000", "--set", "time.n_steps=12"]


def _run(args: list[str]):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, catch_exceptions=False)


def test_run_writes_a_complete_directory(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = _run(["run", "default", "--out", str(out), "--seed", "4", *SMALL])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {
        "timeseries.parquet",
        "scenario.toml",
        "manifest.json",
        "summary.png",
    }
    table = pq.read_table(out / "timeseries.parquet")
    assert table.column_names == ["run_id", "step", "date", "metric", "group", "value"]
    assert sorted(set(table["step"].to_pylist())) == list(range(12))
    groups = set(table["group"].to_pylist())
    assert {"all", "province:South Hamgyong", "age:16-30", "org:youth_league"} <= groups
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and len(manifest["scenario_hash"]) == 64
    assert manifest["person_steps"] == 3000 * 12 and manifest["person_steps_per_s"] > 0
    assert "population" in (out / "scenario.toml").read_text()
    assert (out / "summary.png").read_bytes()[:4] == b"\x89PNG"
    assert "display_public" in result.output


def test_same_seed_same_table_different_seed_different(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((a, "1"), (b, "1"), (c, "2")):
        assert _run(["run", "--out", str(out), "--seed", seed, *SMALL]).exit_code == 0
    ta, tb, tc = (pq.read_table(p / "timeseries.parquet") for p in (a, b, c))
    assert ta.equals(tb)
    assert not ta.drop(["run_id"]).equals(tc.drop(["run_id"]))


def test_non_empty_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "r"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    result = _run(["run", "--out", str(out), *SMALL])
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert (out / "precious.txt").read_text() == "keep me"
    assert _run(["run", "--out", str(out), "--force", *SMALL]).exit_code == 0
    assert not (out / "precious.txt").exists()
    assert (out / "manifest.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "lapses.detect_base=2"], "lapses.detect_base = 2"),
        (["--set", "lapses.bogus=1"], "lapses.bogus: unknown key"),
        (["--set", "sessions.attendance=abc"], 'sessions.attendance = "abc"'),
        (["--set", "novalue"], "expected dotted.key=value"),
        (["--population", "5"], "population.n_people = 5"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "r"
    result = _run(["run", "--out", str(out), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_check_accepts_good_and_refuses_bad_files(tmp_path: Path) -> None:
    assert _run(["check", "default"]).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "default"\n[lapses]\ndetect_base = -1\n')
    result = _run(["check", str(bad)])
    assert result.exit_code == 2 and "lapses.detect_base = -1" in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text("[lapses\n")
    assert _run(["check", str(broken)]).exit_code == 2


def test_presets_lists_names_and_descriptions() -> None:
    result = _run(["presets"])
    assert result.exit_code == 0
    assert "default" in result.output and "no-campaign" in result.output
    assert "South Hamgyong" in result.output


def test_compare_prints_and_plots_the_difference(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    args = ["--population", "3000", "--set", "time.n_steps=70"]
    assert _run(["run", "no-campaign", "--out", str(a), *args]).exit_code == 0
    assert _run(["run", "default", "--out", str(b), *args]).exit_code == 0
    plot = tmp_path / "diff.png"
    result = _run(
        ["compare", str(a), str(b), "--group", "province:South Hamgyong", "--plot", str(plot)]
    )
    assert result.exit_code == 0, result.output
    assert "loyalty_private" in result.output and plot.stat().st_size > 1000
    assert _run(["compare", str(a), str(tmp_path / "nope")]).exit_code == 2


def test_installed_script_runs_and_reports_bad_input_with_exit_2(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "loyalsim",
        "run",
        "--out",
        str(tmp_path / "x"),
        "--set",
        "time.n_steps=-3",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "time.n_steps = -3" in proc.stderr

"""Discovery end to end on examples/sweep-backfire.toml (and its baseline) at a small size."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.experiment.executors import SerialExecutor
from loyalsim.experiment.runner import prepare_dir, run_sweep
from loyalsim.experiment.specs import plan_from_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = {
    '"population.n_people" = 20000': '"population.n_people" = 2000',
    "samples = 64": "samples = 8",
    '"time.start" = 2025-11-03': '"time.start" = 2026-01-05',
    '"time.n_steps" = 52': '"time.n_steps" = 20',
}
RUNS = 16
OUTCOME = "loyalty_private[province:South Hamgyong]@last - baseline < 0"
runner = CliRunner()


def _small_sweep(name: str, folder: Path) -> Path:
    text = (EXAMPLES / name).read_text("utf-8")
    for old, new in SMALL.items():
        assert old in text
        text = text.replace(old, new)
    out = folder / name.replace(".toml", "")
    path = folder / name
    path.write_text(text, "utf-8")
    plan = plan_from_file(path)
    prepare_dir(plan, out)
    run_sweep(plan, out, SerialExecutor())
    return out


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("backfire")
    return _small_sweep("sweep-backfire.toml", folder), _small_sweep(
        "sweep-backfire-baseline.toml", folder
    )


def test_the_twin_sweep_files_differ_only_in_name_and_base() -> None:
    main = tomllib.loads((EXAMPLES / "sweep-backfire.toml").read_text("utf-8"))
    base = tomllib.loads((EXAMPLES / "sweep-backfire-baseline.toml").read_text("utf-8"))
    assert (main.pop("base"), base.pop("base")) == ("default", "no-campaign")
    for data in (main, base):
        data.pop("name")
        data.pop("description")
    assert main == base


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["discover", *args])
    return result.exit_code, " ".join(result.output.split())


def test_discovery_runs_end_to_end_on_the_backfire_sweeps(
    sweeps: tuple[Path, Path], tmp_path: Path
) -> None:
    main, base = sweeps
    out = tmp_path / "disc"
    code, output = _invoke(
        str(main), "--baseline", str(base), "--outcome", OUTCOME, "--out", str(out)
    )
    assert code == 0, output
    assert f"of {RUNS} runs" in output
    for name in (
        "discovery.json",
        "cases.parquet",
        "boxes.parquet",
        "trajectory.parquet",
        "tree.txt",
        "tradeoff.png",
        "box.png",
    ):
        assert (out / name).is_file(), name
    cases = pq.read_table(out / "cases.parquet")
    diff = pq.read_table(out / "cases.parquet").to_pandas()
    ref = "loyalty_private[province:South Hamgyong]@last"
    expected = (diff[ref] - diff[f"baseline({ref})"]) < 0
    assert (diff["outcome"] == expected).all()
    assert cases.num_rows == RUNS
    boxes = pq.read_table(out / "boxes.parquet").to_pandas()
    assert len(boxes) >= 1 and 0 < boxes["coverage"].iloc[0] <= 1
    result = runner.invoke(app, ["report", str(out), "--out", str(tmp_path / "d.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "d.html").read_text("utf-8")
    assert "id='tradeoff'" in page and "id='box'" in page
    assert "loyalty_private[province:South Hamgyong]@last - baseline &lt; 0" in page


def test_discovery_from_python_returns_tables(sweeps: tuple[Path, Path]) -> None:
    import loyalsim

    main, base = sweeps
    found = loyalsim.discover(main, OUTCOME, baseline=base)
    assert len(found.cases) == RUNS and found.out is None
    assert set(found.trajectory.columns) >= {"coverage", "density", "res_dim"}
    assert found.tree_leaves["runs"].sum() == RUNS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outcome", "loyalty_private@last <"], "does not parse"),
        (
            ["--outcome", "loyalty_privat@last < 0.5"],
            "unknown metric 'loyalty_privat' (did you mean 'loyalty_private'",
        ),
        (["--outcome", "fear@last < 0.5"], "this sweep stores: accused, display_public"),
        (
            ["--outcome", "accused[age:16-30]@sum > 1"],
            "unknown group 'age:16-30'; this sweep stores accused for: all, "
            "province:South Hamgyong",
        ),
        (["--outcome", OUTCOME], "uses the baseline; give the baseline sweep directory"),
        (["--outcome", "loyalty_private@last > 2"], f"holds in no run of the {RUNS} runs"),
        (["--outcome", "loyalty_private@last > 0", "--threshold", "1.5"], "--threshold 1.5"),
    ],
)
def test_bad_discovery_input_exits_2(
    sweeps: tuple[Path, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "disc"
    code, output = _invoke(str(sweeps[0]), "--out", str(out), *args)
    assert code == 2, output
    assert message in output
    assert not out.exists()


def test_a_baseline_with_another_design_is_refused(
    sweeps: tuple[Path, Path], tmp_path: Path
) -> None:
    main, _ = sweeps
    other = tmp_path / "other.toml"
    text = (EXAMPLES / "sweep-backfire-baseline.toml").read_text("utf-8")
    for old, new in {**SMALL, "samples = 64": "samples = 4"}.items():
        text = text.replace(old, new)
    other.write_text(text, "utf-8")
    plan = plan_from_file(other)
    prepare_dir(plan, tmp_path / "o")
    code, output = _invoke(
        str(main),
        "--baseline",
        str(tmp_path / "o"),
        "--outcome",
        OUTCOME,
        "--out",
        str(tmp_path / "d"),
    )
    assert code == 2
    assert "its sweep differs in" in output and "n_points" in output

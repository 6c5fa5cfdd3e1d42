"""Sweeps in this process (serial executor): storage, failures, retries, refusals, queries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

import loyalsim
from loyalsim.cli import app
from loyalsim.experiment import work
from loyalsim.experiment.executors import SerialExecutor
from loyalsim.experiment.runner import SweepDirError, prepare_dir, run_sweep
from loyalsim.experiment.specs import plan_from_file
from tests.experiment.helpers import attempts, tidy, tiny_sweep

runner = CliRunner()


def _sweep(tmp_path: Path, out: Path, **kwargs: object) -> object:
    plan = plan_from_file(tmp_path / "tiny.toml")
    prepare_dir(plan, out)
    return run_sweep(plan, out, SerialExecutor(), batch_runs=3, **kwargs)  # type: ignore[arg-type]


def test_sweep_stores_every_run_once_in_few_shards(tmp_path: Path) -> None:
    tiny_sweep(tmp_path)
    out = tmp_path / "out"
    progress = _sweep(tmp_path, out)
    assert (progress.ok, progress.failed, progress.total) == (8, 0, 8)  # type: ignore[attr-defined]
    assert len(list((out / "timeseries").glob("part-*.parquet"))) == 3  # batches of 3 runs
    assert [n for _, n in attempts(out)] == [1] * 8
    table = tidy(out)
    assert set(table["metric"].to_pylist()) == {"display_gap", "accused", "lapses"}
    assert set(table["group"].to_pylist()) == {"all", "age:16-30"}
    assert table.num_rows == 8 * 12 * 3 * 2
    with loyalsim.open_results(out) as res:
        runs = res.runs()
        assert list(runs["status"]) == ["ok"] * 8
        assert sorted(set(runs["lapses.base_logit"])) == [-3.0, -1.5]
        assert res.sql("SELECT count(*) FROM design").fetchall() == [(4,)]


def test_a_failing_run_is_recorded_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny_sweep(tmp_path)
    out = tmp_path / "out"
    real = work.simulate_spec

    def flaky(spec: work.RunSpec) -> pa.Table:
        if spec.run_index in (2, 5):
            raise RuntimeError(f"boom in run {spec.run_index}")
        return real(spec)

    monkeypatch.setattr(work, "simulate_spec", flaky)
    progress = _sweep(tmp_path, out)
    assert (progress.ok, progress.failed) == (6, 2)  # type: ignore[attr-defined]
    with loyalsim.open_results(out) as res:
        failed = res.sql("SELECT run_index, error FROM runs WHERE status = 'failed'").fetchall()
    assert sorted(i for i, _ in failed) == [2, 5]
    assert all("RuntimeError: boom in run" in e for _, e in failed)
    # Without --retry-failed a resume leaves them alone; with it they run again.
    assert _sweep(tmp_path, out).ok == 0  # type: ignore[attr-defined]
    monkeypatch.setattr(work, "simulate_spec", real)
    again = _sweep(tmp_path, out, retry_failed=True)
    assert (again.ok, again.failed, again.already_done) == (2, 0, 6)  # type: ignore[attr-defined]
    with loyalsim.open_results(out) as res:
        assert res.sql("SELECT status, count(*) FROM runs GROUP BY 1").fetchall() == [("ok", 8)]
    reference = tmp_path / "ref"
    _sweep(tmp_path, reference)
    assert tidy(out).equals(tidy(reference))


def test_orphan_shard_is_ignored_then_removed_on_resume(tmp_path: Path) -> None:
    tiny_sweep(tmp_path)
    out = tmp_path / "out"
    _sweep(tmp_path, out)
    before = tidy(out)
    # A shard renamed into place whose manifest shard was never written (kill -9 between).
    shard = sorted((out / "timeseries").glob("part-*.parquet"))[0]
    shutil.copy(shard, out / "timeseries" / "part-000099-1.parquet")
    assert tidy(out).equals(before)
    assert _sweep(tmp_path, out).ok == 0  # type: ignore[attr-defined]
    assert not (out / "timeseries" / "part-000099-1.parquet").exists()


def test_another_sweep_into_the_same_dir_is_refused(tmp_path: Path) -> None:
    tiny_sweep(tmp_path)
    out = tmp_path / "out"
    _sweep(tmp_path, out)
    other = tiny_sweep(
        tmp_path / "other" if (tmp_path / "other").mkdir() is None else tmp_path, seed=4
    )
    with pytest.raises(SweepDirError, match="different sweep"):
        prepare_dir(plan_from_file(other), out)
    args = ["sweep", str(other), "--out", str(out), "--executor", "serial"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "--force" in result.output
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    with loyalsim.open_results(out) as res:
        assert res.metadata["seed"] == 4


def test_query_prints_a_table_and_refuses_bad_sql(tmp_path: Path) -> None:
    tiny_sweep(tmp_path)
    out = tmp_path / "out"
    _sweep(tmp_path, out)
    sql = "SELECT status, count(*) AS n FROM runs GROUP BY status"
    result = runner.invoke(app, ["query", str(out), sql])
    assert result.exit_code == 0 and "ok" in result.output and "8" in result.output
    result = runner.invoke(app, ["query", str(out), "SELECT nope FROM runs"])
    assert result.exit_code == 2 and "nope" in result.output
    result = runner.invoke(app, ["query", str(tmp_path), "SELECT 1"])
    assert result.exit_code == 2 and "not a sweep directory" in result.output


def test_a_resume_that_skips_failed_runs_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny_sweep(tmp_path)
    args = ["sweep", str(tmp_path / "tiny.toml"), "--out", str(tmp_path / "out")]
    args += ["--executor", "serial"]
    real = work.simulate_spec

    def flaky(spec: work.RunSpec) -> pa.Table:
        if spec.run_index in (2, 5):
            raise RuntimeError(f"boom in run {spec.run_index}")
        return real(spec)

    monkeypatch.setattr(work, "simulate_spec", flaky)
    first = runner.invoke(app, args)
    assert first.exit_code == 1 and "some runs failed" in first.output
    monkeypatch.setattr(work, "simulate_spec", real)
    again = runner.invoke(app, args)
    text = " ".join(again.output.split())
    assert again.exit_code == 1, text
    assert "2 runs failed in an earlier session and are not run again" in text
    assert "2 runs that failed in an earlier session were not run again" in text
    assert "rerun with --retry-failed" in text
    retried = runner.invoke(app, [*args, "--retry-failed"])
    assert retried.exit_code == 0, retried.output
    assert "2 ok and 0 failed in this session" in " ".join(retried.output.split())

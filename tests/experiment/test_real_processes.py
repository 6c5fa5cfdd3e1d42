"""Sweeps with real processes: worker pools, a real Dask cluster, kills and resumes.

Every cluster process is started here as a subprocess on 127.0.0.1 and killed in a
``finally``; every wait has a timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

from loyalsim.experiment.executors import SerialExecutor
from loyalsim.experiment.runner import prepare_dir, run_sweep
from loyalsim.experiment.specs import plan_from_file
from tests.experiment.helpers import (
    attempts,
    dask_cluster,
    loyalsim_cmd,
    run_cli,
    stop,
    tidy,
    tiny_sweep,
    wait_for,
)

LONG = {"replicates": 8, "levels": 3}  # 3 x 2 points x 8 = 48 runs: a few seconds of work


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sweeps")
    tiny_sweep(folder)
    (folder / "long").mkdir()
    tiny_sweep(folder / "long", name="long", **LONG)
    return folder


def _reference(sweep: Path, out: Path) -> pa.Table:
    plan = plan_from_file(sweep)
    prepare_dir(plan, out)
    run_sweep(plan, out, SerialExecutor())
    return tidy(out)


@pytest.fixture(scope="module")
def reference(sweeps: Path, tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    return _reference(sweeps / "tiny.toml", tmp_path_factory.mktemp("ref") / "out")


@pytest.fixture(scope="module")
def long_reference(sweeps: Path, tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    return _reference(sweeps / "long" / "long.toml", tmp_path_factory.mktemp("lref") / "out")


def test_same_tables_on_serial_processes_and_dask(
    sweeps: Path, reference: pa.Table, tmp_path: Path
) -> None:
    sweep = str(sweeps / "tiny.toml")
    done = run_cli("sweep", sweep, "--out", str(tmp_path / "p"), "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "8/8 runs" in " ".join(done.stderr.split())  # plain progress lines off a terminal
    assert tidy(tmp_path / "p").equals(reference)
    with dask_cluster(tmp_path / "logs") as cluster:
        args = ["--executor", "dask", "--scheduler", cluster.address]
        done = run_cli("sweep", sweep, "--out", str(tmp_path / "d"), *args)
        assert done.returncode == 0, done.stderr
    assert tidy(tmp_path / "d").equals(reference)
    assert reference.num_rows == 8 * 12 * 3 * 2


def _start_sweep(sweep: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    args = loyalsim_cmd("sweep", str(sweep), "--out", str(out), "--batch-runs", "2", *extra)
    return subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _shards(out: Path) -> int:
    return len(list((out / "runs").glob("part-*.parquet")))


def test_killed_dask_worker_does_not_lose_or_repeat_runs(
    sweeps: Path, long_reference: pa.Table, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with dask_cluster(tmp_path / "logs") as cluster:
        proc = _start_sweep(
            sweeps / "long" / "long.toml",
            out,
            "--executor",
            "dask",
            "--scheduler",
            cluster.address,
        )
        try:
            wait_for(lambda: _shards(out) >= 2, 90, "the first finished runs")
            assert proc.poll() is None, "the sweep ended before a worker could be killed"
            os.killpg(cluster.workers[0].pid, signal.SIGKILL)
            assert proc.wait(timeout=120) == 0
        finally:
            stop(proc)
    assert [n for _, n in attempts(out)] == [1] * 48
    assert tidy(out).equals(long_reference)


def test_sweep_killed_with_sigkill_resumes_without_loss_or_duplicates(
    sweeps: Path, long_reference: pa.Table, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    sweep = sweeps / "long" / "long.toml"
    proc = _start_sweep(sweep, out, "--workers", "2")
    try:
        wait_for(lambda: _shards(out) >= 2, 90, "the first finished runs")
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes
        proc.wait(timeout=20)
    finally:
        stop(proc)
    recorded = len(attempts(out))
    assert 0 < recorded < 48, "the kill should land in the middle of the sweep"
    done = run_cli("sweep", str(sweep), "--out", str(out), "--workers", "2", "--batch-runs", "2")
    assert done.returncode == 0, done.stderr
    assert f"{recorded} were already recorded" in " ".join(done.stdout.split())
    assert [n for _, n in attempts(out)] == [1] * 48
    assert tidy(out).equals(long_reference)

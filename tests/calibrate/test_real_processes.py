"""Calibration with real processes: a worker pool, a Dask cluster, and kill -9 then resume.

The reference is an uninterrupted run on two local worker processes; the serial, the Dask
and the resumed runs must give the same posterior, tolerances and predictive draws, since
each candidate particle depends on its seed only.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.calibrate.helpers import write_targets
from tests.experiment.helpers import dask_cluster, loyalsim_cmd, run_cli, stop, wait_for

SETTINGS = {"seed": 21, "population": 40, "generations": 7, "final_epsilon": 0.2}


def _tables(out: Path) -> dict[str, pa.Table]:
    return {
        "posterior": pq.read_table(out / "posterior.parquet"),
        "predictive": pq.read_table(out / "predictive.parquet"),
        "generations": pq.read_table(out / "generations.parquet").drop(["wall_s"]),
    }


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_targets(tmp_path_factory.mktemp("targets"), **SETTINGS)


@pytest.fixture(scope="module")
def reference_dir(targets: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ref") / "out"
    done = run_cli("calibrate", str(targets), "--out", str(out), "--workers", "2", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "generation 0: tolerance unbounded (prior sample)" in done.stderr  # plain progress
    return out


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> dict[str, pa.Table]:
    tables = _tables(reference_dir)
    assert tables["generations"].num_rows == SETTINGS["generations"]
    return tables


def _generations_stored(out: Path) -> int:
    db = out / "history.db"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return int(con.execute("SELECT count(*) FROM populations WHERE t >= 0").fetchone()[0])
    except sqlite3.Error:  # tables not created yet, or locked by a commit in progress
        return 0


def test_calibration_killed_with_sigkill_resumes_to_the_same_posterior(
    targets: Path, reference: dict[str, pa.Table], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = loyalsim_cmd("calibrate", str(targets), "--out", str(out), "--executor", "serial")
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_for(lambda: _generations_stored(out) >= 2, 120, "two finished generations")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
    finally:
        stop(proc)
    stored = _generations_stored(out)
    assert 2 <= stored < SETTINGS["generations"], "the kill should land mid-calibration"
    assert not (out / "posterior.parquet").exists()
    done = run_cli("calibrate", str(targets), "--out", str(out), "--executor", "serial")
    assert done.returncode == 0, done.stderr
    assert "(resuming)" in done.stderr
    assert "generation 0:" not in done.stderr, "finished generations must not run again"
    for name, table in _tables(out).items():
        assert table.equals(reference[name]), name


def test_dask_cluster_with_two_workers_gives_the_same_posterior(
    targets: Path, reference: dict[str, pa.Table], tmp_path: Path
) -> None:
    with dask_cluster(tmp_path / "logs") as cluster:
        args = ["--executor", "dask", "--scheduler", cluster.address]
        done = run_cli("calibrate", str(targets), "--out", str(tmp_path / "d"), *args, timeout=300)
        assert done.returncode == 0, done.stderr
        workers_used = [cluster.log(f"worker{i}") for i in range(2)]
    for name, table in _tables(tmp_path / "d").items():
        assert table.equals(reference[name]), name
    assert all("Registered to" in log for log in workers_used)


def test_report_of_a_calibration_directory(reference_dir: Path, tmp_path: Path) -> None:
    done = run_cli("report", str(reference_dir), "--out", str(tmp_path / "r.html"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r.html").read_text("utf-8")
    for key in ("marginals", "pairs", "tolerance", "predictive"):
        assert f"id='{key}'" in page
    assert "kuran.private_mean" in page and "mean_private_opposed" in page

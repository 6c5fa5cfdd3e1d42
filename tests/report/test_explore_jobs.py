"""Explorer runs go through `loyalsim run`'s path, grow week by week, stop when cancelled and
are forgotten within a bound."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.explore import jobs as jobs_module
from loyalsim.explore.jobs import MAX_KEPT, MAX_RUNNING, Busy, Job, Jobs
from loyalsim.explore.series import DEFAULT_METRICS
from loyalsim.scenario.io import load
from tests.report.explorer_http import explorer, request
from tests.site_build import ROOT


def _wait(job: Job, statuses: tuple[str, ...], seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while job.status not in statuses:
        assert time.monotonic() < deadline, f"job stuck in {job.status}"
        time.sleep(0.02)


def _live_run_objects(before: frozenset[int] = frozenset()) -> list[str]:
    """Names of live simulation states, contexts and recorders (loyalsim classes only),
    leaving out those alive in ``before`` (ids: other tests may keep states cached)."""
    gc.collect()
    names = ("State", "RunContext", "Recorder")
    return [
        type(o).__name__
        for o in gc.get_objects()
        if type(o).__name__ in names
        and str(getattr(type(o), "__module__", "")).startswith("loyalsim.")
        and id(o) not in before
    ]


def _run_object_ids() -> frozenset[int]:
    gc.collect()
    names = ("State", "RunContext", "Recorder")
    return frozenset(id(o) for o in gc.get_objects() if type(o).__name__ in names)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _five_rounds_of_start_and_cancel() -> list[float]:
    """Five runs started and cancelled on one explorer; the RSS after each (MB)."""
    before = _run_object_ids()
    with explorer() as server:
        form = {"preset": "default", "population": "300000", "seed": "1"}
        rss = []
        for _ in range(5):
            answer = request(server, "POST", "/api/run", form)
            assert answer.status == 200, answer.body
            job = server.jobs.get(answer.json()["id"])
            assert job is not None
            deadline = time.monotonic() + 120
            while job.done < 2:  # running, its arrays allocated
                assert time.monotonic() < deadline and job.status in ("starting", "running")
                time.sleep(0.02)
            cancel = request(server, "POST", f"/api/job/{job.job_id}/cancel", {})
            assert cancel.status == 200
            assert job.thread is not None
            job.thread.join(60)
            assert not job.thread.is_alive(), "a cancelled run's thread goes on"
            assert job.status == "cancelled" and job.done < job.total
            assert job.partial is None and job.run_dir is None
            assert _live_run_objects(before) == []  # nothing of the run is reachable any more
            rss.append(_rss_mb())
            snap = request(server, "GET", f"/api/job/{job.job_id}").json()
            assert (snap["status"], snap["series"]) == ("cancelled", {})
        assert server.jobs.running() == 0
        assert not list((server.jobs.folder / "runs").glob("*"))  # nothing half-written
    return rss


def test_five_rounds_of_start_and_cancel_free_every_run() -> None:
    # In a process of its own, as the explorer is: the test process's heap holds whatever
    # the tests before this one allocated, and its fragmentation is not the explorer's.
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from tests.report.test_explore_jobs import "
            "_five_rounds_of_start_and_cancel as f; print(json.dumps(f()))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    rss = json.loads(child.stdout.strip().splitlines()[-1])
    # Memory does not grow round after round (the first round warms up the caches); before
    # the fix each round kept its run, about 260 MB at this size.
    assert max(rss[1:]) - rss[1] < 60, rss


def test_only_the_latest_ended_jobs_are_kept_with_their_directories(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert MAX_KEPT >= 4  # the page compares two settings and may rerun each
    monkeypatch.setattr(jobs_module, "MAX_KEPT", 1)  # the same rule, fewer runs to wait for
    jobs = Jobs()
    try:
        config = load("no-campaign", {"time.n_steps": 1}, population=100)
        started = []
        for seed in range(3):
            job = jobs.start(config, seed)
            _wait(job, ("done", "failed"))
            assert job.status == "done", job.error
            started.append(job)
        kept = {started[-1].job_id}
        assert set(jobs.jobs) == kept
        assert {p.name for p in (jobs.folder / "runs").iterdir()} == kept
        assert all(jobs.get(j.job_id) is None for j in started[:2])
    finally:
        jobs.close()
    assert not jobs.folder.exists()


def test_runs_beyond_the_limits_are_refused_until_one_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jobs = Jobs()
    try:
        long = load("default", population=20_000)
        going = [jobs.start(long, seed) for seed in range(MAX_RUNNING)]
        with pytest.raises(Busy, match=f"{MAX_RUNNING} runs are going already"):
            jobs.start(long, 99)
        for job in going:
            job.cancel.set()
            assert job.thread is not None
            job.thread.join(60)
        monkeypatch.setattr(jobs_module, "MAX_PEOPLE_RUNNING", 30_000)
        first = jobs.start(long, 1)
        with pytest.raises(Busy, match=r"40,000 people .* at most 30,000"):
            jobs.start(long, 2)
        first.cancel.set()
    finally:
        jobs.close()


def test_a_job_writes_what_loyalsim_run_writes(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    args = ["run", "default", "--out", str(out), "--population", "3000", "--seed", "7"]
    result = CliRunner().invoke(app, [*args, "--set", "time.n_steps=12"])
    assert result.exit_code == 0, result.output
    jobs = Jobs()
    try:
        job = jobs.start(load("default", {"time.n_steps": 12}, population=3000), 7)
        _wait(job, ("done", "failed"))
        assert job.status == "done", job.error
        assert job.run_dir is not None
        ours = pq.read_table(job.run_dir / "timeseries.parquet")
        assert ours.equals(pq.read_table(out / "timeseries.parquet"))
        assert (job.run_dir / "scenario.toml").read_text() == (out / "scenario.toml").read_text()
        assert sorted(p.name for p in job.run_dir.iterdir()) == sorted(
            p.name for p in out.iterdir()
        )
    finally:
        jobs.close()


def test_series_shown_while_running_are_the_start_of_the_final_ones() -> None:
    jobs = Jobs()
    try:
        job = jobs.start(load("default", {"time.n_steps": 40}, population=20_000), 3)
        seen = []
        while job.status in ("starting", "running"):
            snap = job.snapshot("province:South Hamgyong", list(DEFAULT_METRICS))
            if snap["series"]:
                seen.append(snap)
            time.sleep(0.01)
        assert job.status == "done", job.error
        final = job.snapshot("province:South Hamgyong", list(DEFAULT_METRICS))
        assert len(final["dates"]) == 40 and final["group"] == "province:South Hamgyong"
        assert len({len(s["dates"]) for s in seen}) > 1, "the figure never grew"
        for snap in seen:
            n = len(snap["dates"])
            assert snap["dates"] == final["dates"][:n]
            for name in DEFAULT_METRICS:
                assert len(snap["series"][name]) == n
                assert snap["series"][name] == final["series"][name][:n]
        # The events of the run's 40 weeks (to 12 October 2025), the big ones only.
        assert final["events"] == [
            {
                "kind": "amnesty",
                "name": "Party 80th anniversary amnesty",
                "date": "2025-10-06",
                "detail": "quota 12% of inmates",
            },
            {
                "kind": "anniversary",
                "name": "Party foundation day (80th anniversary)",
                "date": "2025-10-10",
                "detail": "10th anniversary: campaign weight 1, 10 weeks before, 2 after",
            },
        ]
    finally:
        jobs.close()


def test_closing_cancels_runs_and_removes_the_folder() -> None:
    jobs = Jobs()
    job = jobs.start(load("default", population=100_000), 1)
    _wait(job, ("running",))
    jobs.close()
    assert job.status == "cancelled"
    assert job.thread is not None and not job.thread.is_alive()
    assert not jobs.folder.exists()


def test_folders_of_killed_explorers_are_removed_at_the_next_start() -> None:
    stale = Path(jobs_module.tempfile.gettempdir()) / f"{jobs_module.FOLDER_PREFIX}stale-test"
    stale.mkdir()
    (stale / "runs").mkdir()
    (stale / jobs_module.OWNER_FILE).write_text("999999999")  # no such process
    alive = Path(jobs_module.tempfile.gettempdir()) / f"{jobs_module.FOLDER_PREFIX}alive-test"
    alive.mkdir()
    (alive / jobs_module.OWNER_FILE).write_text(str(os.getppid()))  # a live process
    try:
        jobs = Jobs()
        jobs.close()
        assert not stale.exists()
        assert alive.exists()
    finally:
        for folder in (stale, alive):
            shutil.rmtree(folder, ignore_errors=True)

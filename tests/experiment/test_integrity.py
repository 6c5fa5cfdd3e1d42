"""Damaged sweep directories: checksums on every file, refusals naming the damage, repair.

Each test damages a real sweep directory the way a full disk, a bad copy or a crash would
(truncation, flipped bytes, a lost file) and checks that readers name the file and exit 2,
``--verify`` names it and exits 1, and a resume reruns exactly the affected runs, ending with
the same table as a sweep that was never damaged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.experiment.executors import SerialExecutor
from loyalsim.experiment.runner import Progress, prepare_dir, run_sweep
from loyalsim.experiment.specs import plan_from_file
from loyalsim.store.locks import LockedError, exclusive
from loyalsim.store.results import open_results
from tests.experiment.helpers import attempts, tidy, tiny_sweep

runner = CliRunner()


def _run(sweep: Path, out: Path, notices: list[str] | None = None) -> Progress:
    plan = plan_from_file(sweep)
    prepare_dir(plan, out)
    notice = None if notices is None else notices.append
    return run_sweep(plan, out, SerialExecutor(), batch_runs=3, on_notice=notice)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pa.Table]:
    """A finished tiny sweep (8 runs in 3 shards) and its table, never damaged."""
    folder = tmp_path_factory.mktemp("pristine")
    sweep = tiny_sweep(folder)
    out = folder / "out"
    _run(sweep, out)
    return sweep, out, tidy(out)


@pytest.fixture
def copy(pristine: tuple[Path, Path, pa.Table], tmp_path: Path) -> Path:
    """A private copy of the pristine sweep directory, to damage."""
    out = tmp_path / "out"
    shutil.copytree(pristine[1], out)
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _truncate(path: Path, keep: int = 200) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep])


def _flip(path: Path) -> None:
    """Flip bytes in the middle of a file without changing its size."""
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 4, len(data) // 2, 5):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _shard_holding_ok_runs(out: Path) -> Path:
    return sorted((out / "timeseries").glob("part-*.parquet"))[0]


def _cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_every_shard_and_the_design_carry_a_checksum(
    pristine: tuple[Path, Path, pa.Table],
) -> None:
    _sweep, out, _table = pristine
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["design_sha256"] == _sha(out / "design.parquet")
    manifests = sorted((out / "runs").glob("part-*.parquet"))
    assert len(manifests) == 3
    for manifest in manifests:
        sidecar = manifest.with_name(manifest.name + ".sha256")
        assert sidecar.read_text() == f"{_sha(manifest)}  {manifest.name}\n"
        rows = pq.read_table(manifest).to_pylist()
        shard = out / "timeseries" / manifest.name
        assert {r["shard"] for r in rows} == {manifest.name}
        assert {r["shard_sha256"] for r in rows} == {_sha(shard)}
        assert {r["shard_bytes"] for r in rows} == {shard.stat().st_size}
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_truncated_timeseries_shard_is_named_then_repaired_by_resume(
    pristine: tuple[Path, Path, pa.Table], copy: Path
) -> None:
    sweep, _out, reference = pristine
    shard = _shard_holding_ok_runs(copy)
    held = set(pq.read_table(shard, columns=["run_id"])["run_id"].to_pylist())
    _truncate(shard)
    name = f"timeseries/{shard.name}"
    for args in (
        ("query", copy, "SELECT count(*) FROM timeseries"),
        ("summarize", copy, "--metric", "display_gap"),
        ("report", copy, "--out", copy.parent / "report.html"),
    ):
        result = _cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert name in result.output and "truncated" in result.output
        assert "Traceback" not in result.output
    assert not (copy.parent / "report.html").exists()
    verify = _cli("sweep", copy, "--verify")
    assert verify.exit_code == 1 and name in verify.output

    notices: list[str] = []
    progress = _run(sweep, copy, notices)
    assert (progress.ok, progress.rerun, progress.already_done) == (len(held), len(held), 8 - 3)
    assert any(name in n and "truncated" in n and "run again" in n for n in notices), notices
    assert all(run_id[:12] in " ".join(notices) for run_id in held)
    assert tidy(copy).equals(reference)
    assert (copy / "quarantine" / "timeseries" / shard.name).exists()
    # The affected runs have a second attempt; the others were not run again.
    counts = dict(attempts(copy))
    assert {r for r, n in counts.items() if n == 2} == held
    assert _cli("sweep", copy, "--verify").exit_code == 0


def test_truncated_manifest_shard_is_named_then_its_runs_rerun(
    pristine: tuple[Path, Path, pa.Table], copy: Path
) -> None:
    sweep, _out, reference = pristine
    manifest = sorted((copy / "runs").glob("part-*.parquet"))[1]
    recorded = set(pq.read_table(manifest, columns=["run_id"])["run_id"].to_pylist())
    _truncate(manifest, 300)
    name = f"runs/{manifest.name}"
    for args in (("query", copy, "SELECT count(*) FROM runs"), ("report", copy)):
        result = _cli(*args)
        assert result.exit_code == 2 and name in result.output, result.output
        assert "checksum mismatch" in result.output and "Traceback" not in result.output
    verify = _cli("sweep", copy, "--verify")
    assert verify.exit_code == 1 and name in verify.output

    notices: list[str] = []
    progress = _run(sweep, copy, notices)
    assert progress.ok == len(recorded) == 3 and progress.already_done == 5
    assert any(name in n and "quarantine" in n for n in notices), notices
    assert tidy(copy).equals(reference)
    assert [n for _, n in attempts(copy)] == [1] * 8  # the damaged records are set aside
    assert (copy / "quarantine" / "runs" / manifest.name).exists()


def test_flipped_bytes_pass_the_size_check_but_not_verify_or_resume(
    pristine: tuple[Path, Path, pa.Table], copy: Path
) -> None:
    sweep, _out, reference = pristine
    shard = _shard_holding_ok_runs(copy)
    _flip(shard)
    verify = _cli("sweep", copy, "--verify")
    assert verify.exit_code == 1
    assert f"timeseries/{shard.name}" in verify.output and "checksum mismatch" in verify.output
    for args in (
        ("query", copy, "SELECT sum(value) FROM timeseries"),
        ("summarize", copy, "--metric", "display_gap"),
        ("report", copy, "--out", copy.parent / "report.html"),
    ):
        result = _cli(*args)
        assert result.exit_code == 2, (args, result.output, result.exception)
        assert f"timeseries/{shard.name}: cannot be read" in result.output
    progress = _run(sweep, copy)
    assert progress.rerun == 3
    assert tidy(copy).equals(reference)


def test_missing_shard_and_damaged_design_are_repaired(
    pristine: tuple[Path, Path, pa.Table], copy: Path
) -> None:
    sweep, _out, reference = pristine
    shard = _shard_holding_ok_runs(copy)
    shard.unlink()
    design = pq.read_table(copy / "design.parquet")
    _truncate(copy / "design.parquet", 100)
    result = _cli("query", copy, "SELECT * FROM design")
    assert result.exit_code == 2
    assert "design.parquet: truncated" in result.output
    assert f"timeseries/{shard.name}: missing" in result.output
    notices: list[str] = []
    assert _run(sweep, copy, notices).rerun == 3
    assert any("design.parquet" in n and "written again" in n for n in notices), notices
    assert pq.read_table(copy / "design.parquet").equals(design)
    assert tidy(copy).equals(reference)
    assert _cli("sweep", copy, "--verify").exit_code == 0


def test_damaged_sweep_json_is_named_and_only_force_starts_again(
    pristine: tuple[Path, Path, pa.Table], copy: Path
) -> None:
    sweep, _out, reference = pristine
    (copy / "sweep.json").write_text('{"name": "tiny", "swe')
    result = _cli("query", copy, "SELECT 1")
    assert result.exit_code == 2 and "sweep.json" in result.output and "--force" in result.output
    assert _cli("sweep", copy, "--verify").exit_code == 1
    args = ["sweep", str(sweep), "--out", str(copy), "--executor", "serial"]
    refused = _cli(*args)
    assert refused.exit_code == 2 and "sweep.json" in refused.output and "--force" in refused.output
    assert _cli(*args, "--force").exit_code == 0
    assert tidy(copy).equals(reference)


def test_leftovers_of_a_killed_session_are_removed_at_the_next_start(
    pristine: tuple[Path, Path, pa.Table], copy: Path
) -> None:
    sweep, _out, reference = pristine
    shard = _shard_holding_ok_runs(copy)
    leftovers = [
        copy / "timeseries" / ".part-000009-1.parquet.tmp",  # a batch cut short
        copy / "runs" / ".part-000009-1.parquet.tmp",
        copy / "runs" / ".part-000009-1.parquet.sha256.tmp",
        copy / ".sweep.json.tmp",
        copy / "runs" / "part-000009-1.parquet.sha256",  # sidecar renamed, shard not
        copy / "timeseries" / "part-000009-1.parquet",  # shard renamed, manifest not
    ]
    for path in leftovers[:-1]:
        path.write_bytes(b"half a file")
    shutil.copy(shard, leftovers[-1])
    verify = _cli("sweep", copy, "--verify")
    assert verify.exit_code == 0 and "6 leftover" in verify.output
    notices: list[str] = []
    assert _run(sweep, copy, notices).ok == 0
    assert any("removed 6 temporary or orphaned files" in n for n in notices), notices
    assert not [p for p in leftovers if p.exists()]
    assert tidy(copy).equals(reference)


def test_an_interrupted_start_is_started_again(tmp_path: Path) -> None:
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "out"
    prepare_dir(plan_from_file(sweep), out)
    (out / "sweep.json").unlink()  # killed before the metadata, which marks the directory
    (out / ".sweep.json.tmp").write_text("{")
    result = _cli("sweep", sweep, "--out", out, "--executor", "serial")
    assert result.exit_code == 0, result.output
    assert not (out / ".sweep.json.tmp").exists()


def test_one_writer_at_a_time(pristine: tuple[Path, Path, pa.Table], copy: Path) -> None:
    sweep, _out, _reference = pristine
    with exclusive(copy / ".lock", "test"):
        with pytest.raises(LockedError, match="another process"):
            _run(sweep, copy)
        result = _cli("sweep", sweep, "--out", copy, "--executor", "serial")
        assert result.exit_code == 2 and "being written by another process" in result.output
        # Readers are not blocked.
        with open_results(copy) as res:
            assert res.sql("SELECT count(*) FROM runs").fetchall() == [(8,)]

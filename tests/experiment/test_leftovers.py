"""Hidden directories left by a killed ``loyalsim run`` are cleaned at the next start.

A run writes into ``.OUT.partial-PID@HOST.XXXXXXXX`` beside ``OUT`` and renames it into place
at the end; a kill -9 before the rename leaves it behind. The next run into the same ``OUT``
removes those whose writer is dead, and leaves alone a run still going, another host's
(a shared file system) and other outputs' directories.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.store.rundir import clean_leftovers, write_run, writer_tag

runner = CliRunner()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _leftover(parent: Path, name: str) -> Path:
    path = parent / name
    path.mkdir()
    (path / "timeseries.parquet").write_bytes(b"half a file")
    return path


def test_a_run_removes_what_killed_runs_into_the_same_output_left(tmp_path: Path) -> None:
    dead = writer_tag(_dead_pid())
    stale = _leftover(tmp_path, f".r.partial-{dead}.abcd1234")
    kept = [
        _leftover(tmp_path, f".r.partial-{writer_tag()}.efgh5678"),  # a run still going
        _leftover(tmp_path, f".r.partial-{dead.split('@')[0]}@elsewhere.ijkl9012"),
        _leftover(tmp_path, f".other.partial-{dead}.mnop3456"),  # another output
    ]
    out = tmp_path / "r"
    args = ["run", "--out", str(out), "--population", "3000", "--set", "time.n_steps=4"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert all(path.exists() for path in kept)
    assert (out / "manifest.json").exists()


def test_the_hidden_directory_is_named_after_its_writer(tmp_path: Path) -> None:
    seen: list[Path] = []

    def draw(table: pa.Table, path: Path) -> None:
        seen.append(path.parent)
        path.write_bytes(b"png")

    table = pa.table({"run_id": ["x"]})
    write_run(tmp_path / "r", table, "name = 'x'\n", {"seed": 1}, draw)
    assert seen[0].name.startswith(f".r.partial-{writer_tag()}.")
    assert not seen[0].exists()  # renamed into place
    assert clean_leftovers(tmp_path / "r") == []


def test_an_output_set_aside_by_a_killed_replace_is_put_back(tmp_path: Path) -> None:
    # Killed between moving the old output aside and moving the new one in.
    aside = _leftover(tmp_path, f".r.old-{writer_tag(_dead_pid())}.qrst7890")
    partial = _leftover(tmp_path, f".r.partial-{writer_tag(_dead_pid())}.uvwx1234")
    removed = clean_leftovers(tmp_path / "r")
    assert removed == [partial]
    assert not aside.exists()
    assert (tmp_path / "r" / "timeseries.parquet").read_bytes() == b"half a file"

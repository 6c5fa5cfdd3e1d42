"""A run directory: timeseries.parquet, scenario.toml, manifest.json, summary.png.

Files are written into a hidden sibling directory that is renamed into place only when
everything is written, so an interrupted run never leaves a directory that looks complete.
An existing non-empty directory is replaced only with ``force``. The hidden directory's name
carries the writer's host and process id (``.OUT.partial-PID@HOST.XXXXXXXX``), so the next
run into the same ``OUT`` removes what a killed run left behind (its process is gone) and
never touches the work of a run still going.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TIMESERIES = "timeseries.parquet"
SCENARIO = "scenario.toml"
MANIFEST = "manifest.json"
SUMMARY = "summary.png"


_LEFTOVER = re.compile(r"\.(?:partial|old)-(\d+)@(.+)\.[^.]+$")


class OutputExistsError(FileExistsError):
    """The output directory exists and is not empty."""


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "host"


def writer_tag(pid: int | None = None) -> str:
    """``PID@HOST`` as written into the hidden directories' names."""
    return f"{os.getpid() if pid is None else pid}@{_host()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def clean_leftovers(out: Path) -> list[Path]:
    """Remove hidden ``.OUT.partial-*``/``.OUT.old-*`` siblings of ``out`` whose writer (on
    this host) is dead; returns what was removed. A previous output set aside by a writer
    killed in the middle of replacing it is put back if ``out`` is missing."""
    out = Path(out)
    if not out.parent.is_dir():
        return []
    removed = []
    prefix = glob.escape(f".{out.name}.")
    for path in [*out.parent.glob(f"{prefix}partial-*"), *out.parent.glob(f"{prefix}old-*")]:
        found = _LEFTOVER.search(path.name[len(out.name) + 1 :])
        if not found or found.group(2) != _host() or _alive(int(found.group(1))):
            continue
        if ".old-" in path.name and not out.exists():
            path.rename(out)
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def check_writable(out: Path, force: bool) -> None:
    """Refuse before any work starts if ``out`` holds files and ``force`` is off; remove
    what killed runs into ``out`` left behind."""
    clean_leftovers(out)
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"--out {str(out)!r} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExistsError(
            f"--out {str(out)!r} exists and is not empty; use --force to replace it"
        )


def write_run(
    out: Path,
    table: pa.Table,
    scenario_toml: str,
    manifest: dict[str, Any],
    draw_summary: Callable[[pa.Table, Path], None] | None,
    force: bool = False,
) -> Path:
    """Write a complete run directory atomically; returns its path."""
    out = Path(out)
    check_writable(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tag = writer_tag()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{tag}.", dir=out.parent))
    try:
        pq.write_table(table, tmp / TIMESERIES, compression="zstd")
        (tmp / SCENARIO).write_text(scenario_toml, "utf-8")
        if draw_summary is not None:
            draw_summary(table, tmp / SUMMARY)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), "utf-8")
        if out.exists():
            trash = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{tag}.", dir=out.parent))
            trash.rmdir()  # a free name for the rename
            out.rename(trash)
            tmp.rename(out)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def read_run(path: Path) -> tuple[pa.Table, dict[str, Any]]:
    """The tidy table and manifest of a complete run directory."""
    path = Path(path)
    if not (path / MANIFEST).is_file() or not (path / TIMESERIES).is_file():
        raise FileNotFoundError(
            f"{str(path)!r} is not a complete run directory (needs {TIMESERIES} and {MANIFEST})"
        )
    manifest = json.loads((path / MANIFEST).read_text("utf-8"))
    return pq.read_table(path / TIMESERIES), manifest

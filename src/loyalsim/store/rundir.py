"""A run directory: timeseries.parquet, scenario.toml, manifest.json, summary.png.

Files are written into a hidden sibling directory that is renamed into place only when
everything is written, so an interrupted run never leaves a directory that looks complete.
An existing non-empty directory is replaced only with ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
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


class OutputExistsError(FileExistsError):
    """The output directory exists and is not empty."""


def check_writable(out: Path, force: bool) -> None:
    """Refuse before any work starts if ``out`` holds files and ``force`` is off."""
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
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        pq.write_table(table, tmp / TIMESERIES, compression="zstd")
        (tmp / SCENARIO).write_text(scenario_toml, "utf-8")
        if draw_summary is not None:
            draw_summary(table, tmp / SUMMARY)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), "utf-8")
        if out.exists():
            trash = out.with_name(f".{out.name}.old-{os.getpid()}")
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

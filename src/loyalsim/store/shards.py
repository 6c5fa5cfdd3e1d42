"""A sweep directory: metadata, design, and results in Parquet shards with checksums.

Layout::

    DIR/sweep.toml            the sweep file as given
    DIR/sweep.json            plan metadata: the sweep hash that guards resume, the design's
                              SHA-256
    DIR/design.parquet        one row per design point (point_index, axis values)
    DIR/timeseries/part-*.parquet   tidy rows of finished runs, many runs per shard
    DIR/runs/part-*.parquet         the manifest: one row per finished attempt of a run
    DIR/runs/part-*.parquet.sha256  the manifest shard's SHA-256 (``sha256sum -c`` format)

Every file is written under a hidden temporary name, fsynced, hashed and renamed, so a
kill -9 leaves only whole files (and temporary ones, removed at the next start). A batch's
timeseries shard is renamed before its manifest shard, and the manifest rows record the
timeseries shard's SHA-256 and size: a run counts as done only once its rows are safe and
their checksum is recorded. The manifest shard's own checksum goes to a sidecar written
just before the shard is renamed into place. If the process dies between the renames, the
orphaned timeseries shard is ignored by the views (they join on the shard name recorded in
the manifest) and removed at the next start. ``loyalsim.store.integrity`` checks all this.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from loyalsim.store.files import (
    SIDECAR,
    sidecar_path,
    write_atomic,
    write_manifest_shard,
    write_text_atomic,
)

SWEEP_TOML = "sweep.toml"
SWEEP_JSON = "sweep.json"
DESIGN = "design.parquet"
TIMESERIES_DIR = "timeseries"
RUNS_DIR = "runs"
QUARANTINE_DIR = "quarantine"
LOCK = ".lock"
_PART = re.compile(r"^part-(\d+)-")

RUN_FIELDS = [
    ("run_id", pa.string()),
    ("run_index", pa.int64()),
    ("point_index", pa.int64()),
    ("point_id", pa.string()),
    ("replicate", pa.int32()),
    ("seed", pa.int64()),
    ("status", pa.string()),
    ("error", pa.string()),
    ("started", pa.timestamp("ms")),  # UTC; naive so readers need no tz database
    ("wall_s", pa.float64()),
    ("worker", pa.string()),
    ("shard", pa.string()),
    ("shard_seq", pa.int64()),
    ("shard_sha256", pa.string()),  # of the timeseries shard, as renamed into place
    ("shard_bytes", pa.int64()),
]


class DamagedFileError(ValueError):
    """A plan file of a sweep directory cannot be read (``sweep.json``)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def runs_schema(axes: list[dict[str, Any]]) -> pa.Schema:
    """Manifest schema: fixed columns, then one column per axis named by its dotted path."""
    cols = [pa.field(n, t) for n, t in RUN_FIELDS]
    cols += [pa.field(a["path"], pa.float64() if a["numeric"] else pa.string()) for a in axes]
    return pa.schema(cols)


def read_metadata(out: Path) -> dict[str, Any] | None:
    """The ``sweep.json`` of a sweep directory, or None; DamagedFileError if unreadable."""
    path = Path(out) / SWEEP_JSON
    if not path.is_file():
        return None
    try:
        result = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DamagedFileError(path, f"damaged, cannot be read ({exc})") from exc
    if not isinstance(result, dict) or "sweep_hash" not in result:
        raise DamagedFileError(path, "damaged, not the metadata of a sweep")
    return result


def init_dir(out: Path, metadata: dict[str, Any], text: str, design: pa.Table) -> None:
    """Create the layout and write the plan files (the metadata last: it marks the dir)."""
    out = Path(out)
    (out / TIMESERIES_DIR).mkdir(parents=True, exist_ok=True)
    (out / RUNS_DIR).mkdir(exist_ok=True)
    write_text_atomic(text, out / SWEEP_TOML)
    digest = write_atomic(design, out / DESIGN)
    metadata = {**metadata, "design_sha256": digest.sha256, "design_bytes": digest.size}
    write_text_atomic(json.dumps(metadata, indent=2, default=str), out / SWEEP_JSON)


def rewrite_design(out: Path, design: pa.Table) -> None:
    """Write ``design.parquet`` again and record its new checksum in ``sweep.json``."""
    out = Path(out)
    digest = write_atomic(design, out / DESIGN)
    metadata = read_metadata(out) or {}
    metadata.update(design_sha256=digest.sha256, design_bytes=digest.size)
    write_text_atomic(json.dumps(metadata, indent=2, default=str), out / SWEEP_JSON)


def only_plan_files(out: Path) -> bool:
    """Whether ``out`` holds nothing but what an interrupted ``init_dir`` leaves behind."""
    out = Path(out)
    for entry in out.iterdir():
        name = entry.name
        if name in (LOCK, SWEEP_TOML, DESIGN) or (name.startswith(".") and name.endswith(".tmp")):
            continue
        if name in (TIMESERIES_DIR, RUNS_DIR) and entry.is_dir():
            if any(not p.name.endswith(".tmp") for p in entry.iterdir()):
                return False
            continue
        return False
    return True


def shard_seq(name: str) -> int:
    """The batch number in a shard's file name (-1 if it is not a shard name)."""
    found = _PART.match(name)
    return int(found.group(1)) if found else -1


def manifest_files(out: Path) -> list[Path]:
    """The manifest shards in batch order."""
    files = (Path(out) / RUNS_DIR).glob("part-*.parquet")
    return sorted(files, key=lambda p: (shard_seq(p.name), p.name))


def read_manifest(out: Path, columns: list[str] | None = None) -> pa.Table | None:
    """All manifest rows (every attempt), or None before the first shard."""
    files = manifest_files(out)
    if not files:
        return None
    return pa.concat_tables(
        [pq.read_table(f, columns=columns) for f in files], promote_options="default"
    )


def clean_orphans(out: Path, dry_run: bool = False) -> list[str]:
    """Remove what an interrupted session left: temporary files, timeseries shards and
    sidecars whose manifest shard was never renamed into place. Returns their paths
    (relative to ``out``); with ``dry_run`` only lists them."""
    out = Path(out)
    removed: list[Path] = []
    for sub in (out, out / TIMESERIES_DIR, out / RUNS_DIR):
        removed += sub.glob(".*.tmp")
    manifests = {p.name for p in (out / RUNS_DIR).glob("part-*.parquet")}
    removed += [p for p in (out / TIMESERIES_DIR).glob("part-*") if p.name not in manifests]
    removed += [
        p
        for p in (out / RUNS_DIR).glob(f"part-*{SIDECAR}")
        if p.name.removesuffix(SIDECAR) not in manifests
    ]
    if not dry_run:
        for path in removed:
            path.unlink(missing_ok=True)
    return sorted(str(p.relative_to(out)) for p in removed)


def quarantine(out: Path, path: Path) -> Path:
    """Move a damaged file (and its sidecar) out of the views into ``DIR/quarantine/``."""
    out = Path(out)
    target_dir = out / QUARANTINE_DIR / path.parent.relative_to(out)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    k = 1
    while target.exists():
        target = target_dir / f"{path.name}.{k}"
        k += 1
    if path.exists():
        os.replace(path, target)
    side = sidecar_path(path)
    if side.exists():
        os.replace(side, target.with_name(target.name + SIDECAR))
    return target


class ShardWriter:
    """Buffers finished runs and writes them in batches (timeseries first, then manifest).

    A batch is flushed when it holds ``batch_runs`` runs, ``batch_rows`` timeseries rows,
    or is older than ``max_seconds``: shards stay large for throughput, memory stays bounded,
    and a crash loses at most one batch of work (which resume runs again).
    """

    def __init__(
        self,
        out: Path,
        schema: pa.Schema,
        batch_runs: int = 256,
        batch_rows: int = 1_000_000,
        max_seconds: float = 30.0,
    ) -> None:
        self.out = Path(out)
        self.schema = schema
        self.batch_runs = batch_runs
        self.batch_rows = batch_rows
        self.max_seconds = max_seconds
        # Quarantined shards count too, so a new shard never reuses a damaged one's name.
        dirs = [self.out / d for d in (TIMESERIES_DIR, RUNS_DIR)]
        dirs += [self.out / QUARANTINE_DIR / d for d in (TIMESERIES_DIR, RUNS_DIR)]
        existing = [shard_seq(p.name) for d in dirs for p in d.glob("part-*")]
        self._next_seq = max(existing, default=0) + 1
        self._tables: list[pa.Table] = []
        self._rows: list[dict[str, Any]] = []
        self._n_rows = 0
        self._since = time.monotonic()

    def add(self, row: dict[str, Any], table: pa.Table | None) -> None:
        """Queue one finished run (its manifest row and, if ok, its table)."""
        if not self._rows:
            self._since = time.monotonic()
        self._rows.append(row)
        if table is not None:
            self._tables.append(table)
            self._n_rows += table.num_rows
        if (
            len(self._rows) >= self.batch_runs
            or self._n_rows >= self.batch_rows
            or time.monotonic() - self._since >= self.max_seconds
        ):
            self.flush()

    def flush(self) -> None:
        """Write the queued runs as one timeseries shard and one manifest shard."""
        if not self._rows:
            return
        seq = self._next_seq
        self._next_seq += 1
        name = f"part-{seq:06d}-{os.getpid()}.parquet"
        digest = None
        if self._tables:
            digest = write_atomic(pa.concat_tables(self._tables), self.out / TIMESERIES_DIR / name)
        for row in self._rows:
            ok = row["status"] == "ok" and digest is not None
            row["shard"] = name if ok else None
            row["shard_seq"] = seq
            row["shard_sha256"] = digest.sha256 if ok and digest else None
            row["shard_bytes"] = digest.size if ok and digest else None
        manifest = pa.Table.from_pylist(self._rows, schema=self.schema)
        write_manifest_shard(manifest, self.out / RUNS_DIR / name)
        self._tables, self._rows, self._n_rows = [], [], 0

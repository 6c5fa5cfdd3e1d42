"""A sweep directory: metadata, design, and results in Parquet shards.

Layout::

    DIR/sweep.toml            the sweep file as given
    DIR/sweep.json            plan metadata, with the sweep hash that guards resume
    DIR/design.parquet        one row per design point (point_index, axis values)
    DIR/timeseries/part-*.parquet   tidy rows of finished runs, many runs per shard
    DIR/runs/part-*.parquet         the manifest: one row per finished attempt of a run

Every file is written under a temporary name, flushed to disk and renamed, so a kill -9
leaves only whole files. A batch's timeseries shard is renamed before its manifest shard:
a run counts as done only once its rows are safe. If the process dies between the two, the
orphaned timeseries shard is ignored by the views (they join on the shard name recorded in
the manifest) and removed on resume.
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

SWEEP_TOML = "sweep.toml"
SWEEP_JSON = "sweep.json"
DESIGN = "design.parquet"
TIMESERIES_DIR = "timeseries"
RUNS_DIR = "runs"
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
]


def runs_schema(axes: list[dict[str, Any]]) -> pa.Schema:
    """Manifest schema: fixed columns, then one column per axis named by its dotted path."""
    cols = [pa.field(n, t) for n, t in RUN_FIELDS]
    cols += [pa.field(a["path"], pa.float64() if a["numeric"] else pa.string()) for a in axes]
    return pa.schema(cols)


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name, fsync it, then rename it into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_text_atomic(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def read_metadata(out: Path) -> dict[str, Any] | None:
    """The ``sweep.json`` of a sweep directory, or None."""
    path = Path(out) / SWEEP_JSON
    if not path.is_file():
        return None
    result: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return result


def init_dir(out: Path, metadata: dict[str, Any], text: str, design: pa.Table) -> None:
    """Create the layout and write the plan files (the metadata last: it marks the dir)."""
    out = Path(out)
    (out / TIMESERIES_DIR).mkdir(parents=True, exist_ok=True)
    (out / RUNS_DIR).mkdir(exist_ok=True)
    write_text_atomic(text, out / SWEEP_TOML)
    write_atomic(design, out / DESIGN)
    write_text_atomic(json.dumps(metadata, indent=2, default=str), out / SWEEP_JSON)


def _seq(name: str) -> int:
    found = _PART.match(name)
    return int(found.group(1)) if found else -1


def read_manifest(out: Path, columns: list[str] | None = None) -> pa.Table | None:
    """All manifest rows (every attempt), or None before the first shard."""
    files = sorted((Path(out) / RUNS_DIR).glob("part-*.parquet"))
    if not files:
        return None
    return pa.concat_tables(
        [pq.read_table(f, columns=columns) for f in files], promote_options="default"
    )


def latest_status(out: Path) -> dict[str, str]:
    """run id -> status of its latest attempt."""
    table = read_manifest(out, ["run_id", "status", "shard_seq"])
    if table is None:
        return {}
    latest: dict[str, tuple[int, str]] = {}
    for run_id, status, seq in zip(
        table["run_id"].to_pylist(),
        table["status"].to_pylist(),
        table["shard_seq"].to_pylist(),
        strict=True,
    ):
        if run_id not in latest or seq >= latest[run_id][0]:
            latest[run_id] = (seq, status)
    return {k: v[1] for k, v in latest.items()}


def clean_orphans(out: Path) -> int:
    """Remove temporary files and timeseries shards that no manifest row refers to."""
    out = Path(out)
    removed = 0
    for sub in (TIMESERIES_DIR, RUNS_DIR):
        for tmp in (out / sub).glob(".*.tmp"):
            tmp.unlink()
            removed += 1
    table = read_manifest(out, ["shard"])
    referenced = set(table["shard"].to_pylist()) if table is not None else set()
    for shard in (out / TIMESERIES_DIR).glob("part-*.parquet"):
        if shard.name not in referenced:
            shard.unlink()
            removed += 1
    return removed


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
        existing = [
            _seq(p.name)
            for d in (TIMESERIES_DIR, RUNS_DIR)
            for p in (self.out / d).glob("part-*.parquet")
        ]
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
        shard = None
        if self._tables:
            write_atomic(pa.concat_tables(self._tables), self.out / TIMESERIES_DIR / name)
            shard = name
        for row in self._rows:
            row["shard"] = shard if row["status"] == "ok" else None
            row["shard_seq"] = seq
        manifest = pa.Table.from_pylist(self._rows, schema=self.schema)
        write_atomic(manifest, self.out / RUNS_DIR / name)
        self._tables, self._rows, self._n_rows = [], [], 0

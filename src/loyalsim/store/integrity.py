"""Checking a sweep directory against its checksums, and repairing it before a resume.

What is checked (``scan``):

- ``sweep.json`` parses; ``design.parquet`` matches the SHA-256 recorded in it;
- every manifest shard matches its ``.sha256`` sidecar and its Parquet footer reads, and its
  run indices lie inside the plan;
- for every run whose latest attempt is ok, the timeseries shard that attempt recorded is
  present, has the recorded size and (``deep``) the recorded SHA-256.

A shallow scan (what ``open_results`` does before every query or report) hashes the small
manifest shards but only checks the size and footer of the timeseries shards; a deep scan
(``loyalsim sweep DIR --verify``, and every resume) hashes everything.

``repair`` moves damaged files to ``DIR/quarantine/`` (nothing is deleted that might be
wanted for a post-mortem), rewrites a damaged design, removes what an interrupted session
left, and returns which runs must run again: those recorded only in a damaged manifest shard
and those whose rows were in a damaged or missing timeseries shard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loyalsim.store.files import file_digest, read_sidecar, sidecar_path
from loyalsim.store.shards import (
    DESIGN,
    SWEEP_JSON,
    TIMESERIES_DIR,
    clean_orphans,
    manifest_files,
    quarantine,
    read_metadata,
    rewrite_design,
)

# Per-run status codes of a scan (by run index).
NOT_RECORDED, OK, FAILED, LOST = 0, 1, 2, 3
_SHOWN_IDS = 5


@dataclass(frozen=True)
class Problem:
    """A damaged or missing file, and the runs whose recorded results it held."""

    path: str  # relative to the sweep directory
    reason: str
    run_ids: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: the file, what is wrong, which runs it affects."""
        text = f"{self.path}: {self.reason}"
        if self.run_ids:
            shown = ", ".join(r[:12] for r in self.run_ids[:_SHOWN_IDS])
            more = f" and {len(self.run_ids) - _SHOWN_IDS} more" if len(self.run_ids) > 5 else ""
            text += f" (holds {len(self.run_ids)} runs: {shown}{more})"
        return text


@dataclass
class Scan:
    """What a scan found: problems, and the status of every run of the plan."""

    problems: list[Problem]
    status: np.ndarray  # int8 per run index: NOT_RECORDED, OK, FAILED or LOST
    bad_files: list[Path] = field(default_factory=list)
    design_ok: bool = True
    leftovers: list[str] = field(default_factory=list)

    def count(self, code: int) -> int:
        """Runs with a status code."""
        return int(np.count_nonzero(self.status == code))


class CorruptResultsError(ValueError):
    """A sweep directory holds damaged or missing result files."""

    def __init__(self, out: Path, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p.describe()}" for p in problems)
        if any(p.path == SWEEP_JSON for p in problems):
            hint = (
                "the plan itself is unreadable: restore sweep.json from a copy, or start "
                "the sweep again with --force"
            )
        else:
            hint = (
                "run the same `loyalsim sweep` command again to rerun the affected runs "
                f"(`loyalsim sweep {out} --verify` checks every file without running anything)"
            )
        super().__init__(f"sweep directory {str(out)!r} is damaged:\n{lines}\n{hint}")


def _readable(path: Path) -> str | None:
    try:
        pq.read_metadata(path)
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable ({exc})"
    return None


def _check_manifest(path: Path) -> str | None:
    recorded = read_sidecar(path)
    if recorded is None and sidecar_path(path).exists():
        return f"its checksum file {sidecar_path(path).name} is damaged"
    if recorded is not None:
        found = file_digest(path)
        if found.sha256 != recorded:
            return (
                f"checksum mismatch (recorded {recorded[:12]}, found {found.sha256[:12]} "
                f"in {found.size} bytes)"
            )
    return _readable(path)


def check_file(path: Path, sha256: str | None, size: int | None, deep: bool) -> str | None:
    """What is wrong with a data file against its recorded checksum and size, or None."""
    if not path.is_file():
        return "missing"
    actual = path.stat().st_size
    if size is not None and actual != size:
        kind = "truncated" if actual < size else "changed"
        return f"{kind}: {actual} bytes, {size} recorded"
    if deep and sha256:
        found = file_digest(path).sha256
        if found != sha256:
            return f"checksum mismatch (recorded {sha256[:12]}, found {found[:12]})"
        return None
    if deep:  # no checksum recorded (a sweep written before checksums): decode it all
        try:
            pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            return f"unreadable ({exc})"
        return None
    return _readable(path)


def _manifest_rows(path: Path, n_runs: int) -> tuple[pa.Table | None, str | None]:
    try:
        names = set(pq.read_schema(path).names)
        wanted = ["run_id", "run_index", "status", "shard", "shard_sha256", "shard_bytes"]
        table = pq.read_table(path, columns=[c for c in wanted if c in names])
    except (OSError, pa.ArrowException) as exc:
        return None, f"unreadable ({exc})"
    if not {"run_id", "run_index", "status"} <= set(table.column_names):
        return None, "not a manifest shard (run_id, run_index or status missing)"
    index = table["run_index"].to_numpy(zero_copy_only=False)
    if index.size and (index.min() < 0 or index.max() >= n_runs):
        return None, f"records run indices outside the plan of {n_runs} runs"
    return table, None


def _first(table: pa.Table, column: str) -> Any:
    if column not in table.column_names:
        return None
    values = table[column].drop_null()
    return values[0].as_py() if len(values) else None


def scan(out: Path, deep: bool = True) -> Scan:
    """Check a sweep directory without changing it (DamagedFileError if sweep.json is)."""
    out = Path(out)
    meta = read_metadata(out)
    if meta is None:
        raise FileNotFoundError(f"{str(out)!r} is not a sweep directory (no sweep.json)")
    n_runs = int(meta.get("n_runs", 0))
    problems: list[Problem] = []
    bad: list[Path] = []
    design_ok = True
    design = out / DESIGN
    why = check_file(design, meta.get("design_sha256"), meta.get("design_bytes"), deep)
    if why:
        problems.append(Problem(DESIGN, why))
        design_ok = False

    status = np.zeros(n_runs, np.int8)
    owner = np.full(n_runs, -1, np.int32)  # which manifest shard holds the latest attempt
    good: list[tuple[Path, str, str | None, int | None]] = []  # manifest, shard, sha, size
    for path in manifest_files(out):
        why = _check_manifest(path)
        table = None
        if why is None:
            table, why = _manifest_rows(path, n_runs)
        if why or table is None:
            problems.append(Problem(str(path.relative_to(out)), why or "unreadable"))
            bad.append(path)
            continue
        index = table["run_index"].to_numpy(zero_copy_only=False)
        ok = pc.fill_null(pc.equal(table["status"], "ok"), False).to_numpy(zero_copy_only=False)
        status[index] = np.where(ok, OK, FAILED)
        owner[index] = len(good)
        shard = _first(table, "shard") or path.name
        good.append((path, shard, _first(table, "shard_sha256"), _first(table, "shard_bytes")))

    holds = np.bincount(owner[status == OK], minlength=len(good))  # latest-ok runs per shard
    for k, (path, name, sha, size) in enumerate(good):
        if not holds[k]:
            continue
        shard = out / TIMESERIES_DIR / name
        why = check_file(shard, sha, size, deep)
        if why:
            latest_ok = (owner == k) & (status == OK)
            table = pq.read_table(path, columns=["run_id", "run_index"])
            hit = latest_ok[table["run_index"].to_numpy(zero_copy_only=False)]
            ids = tuple(np.asarray(table["run_id"].to_pylist(), dtype=object)[hit])
            problems.append(Problem(str(shard.relative_to(out)), why, ids))
            status[latest_ok] = LOST
            if shard.exists():
                bad.append(shard)
    return Scan(problems, status, bad, design_ok, clean_orphans(out, dry_run=True))


def repair(out: Path, design: Callable[[], pa.Table] | None = None) -> tuple[Scan, list[str]]:
    """Deep-scan ``out``, quarantine damaged files, rewrite a damaged design (from
    ``design()``) and remove leftovers. Returns the scan (whose status says which runs must
    run again: NOT_RECORDED and LOST) and the leftover paths removed."""
    found = scan(out, deep=True)
    for path in found.bad_files:
        quarantine(out, path)
    if not found.design_ok and design is not None:
        rewrite_design(out, design())
    return found, clean_orphans(out)

"""Honest comparisons of two sets of stored runs (B - A), with 95 % intervals.

Each side is one run directory or several (replicates: the same scenario with other seeds).
Every run contributes one number per metric: its mean over the last quarter of the run.
The difference of the two sides' means gets Welch's 95 % interval when each side has at
least two runs; with one run per side there is no interval, and the table says so.

Counts and levels that grow with the population are compared per 1,000 people by default.
Compared in absolute numbers (``per_capita=False``), runs of different population sizes are
refused: their difference would mostly measure the size. Relative changes are given for
counts only, and only where side A has at least ``MIN_EVENTS`` events per week (a relative
change of a share near zero, or of a handful of events, is noise dressed as a percentage).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from loyalsim import catalogue
from loyalsim.report import tables
from loyalsim.report.runfigs import GAP
from loyalsim.report.sweep_compare import welch
from loyalsim.store.rundir import read_run

MIN_EVENTS = 10.0  # events per week (before scaling) below which no relative change is given
FIGURE_METRICS = (
    "display_public",
    "loyalty_private",
    GAP,
    "resentment",
    "accused",
    "cascade_risk",
)


class CompareError(ValueError):
    """The inputs cannot be compared honestly (the message says why and what to do)."""


@dataclass
class RunSet:
    """One side of a comparison: its label, run directories, tables and population sizes."""

    label: str
    dirs: list[Path]
    tables: list[pa.Table]
    sizes: list[int]


@dataclass(frozen=True)
class Difference:
    """One compared metric: means of A and B, B - A with its 95 % interval, relative change."""

    metric: str
    unit: str
    n_a: int
    mean_a: float
    n_b: int
    mean_b: float
    diff: float
    low: float
    high: float
    relative: float | None  # (B - A) / A for counts well away from zero, else None


def _size(table: pa.Table) -> int:
    _, size = tables.series(table, tables.SIZE_METRIC, "all")
    return int(size[0]) if len(size) else 0


def load_set(dirs: Sequence[Path]) -> RunSet:
    """Read the run directories of one side (FileNotFoundError names a missing one)."""
    loaded, manifests = [], []
    for path in dirs:
        table, manifest = read_run(Path(path))
        loaded.append(table)
        manifests.append(manifest)
    names = {
        str(m.get("scenario_name") or Path(d).name) for m, d in zip(manifests, dirs, strict=True)
    }
    label = names.pop() if len(names) == 1 else Path(dirs[0]).name
    if len(dirs) > 1:
        label += f" ({len(dirs)} runs)"
    return RunSet(label, [Path(d) for d in dirs], loaded, [_size(t) for t in loaded])


def size_note(a: RunSet, b: RunSet, per_capita: bool) -> str:
    """A note on population sizes; CompareError when absolute counts would mislead."""
    sizes = set(a.sizes) | set(b.sizes)
    if len(sizes) <= 1:
        return ""
    listed = ", ".join(f"{s:,}" for s in sorted(sizes))
    if not per_capita:
        raise CompareError(
            f"the runs have different population sizes ({listed} people): absolute counts "
            "would mostly compare the sizes; compare per 1,000 people (leave out --absolute) "
            "or run both sides with the same --population"
        )
    return (
        f"Population sizes differ ({listed} people): counts and levels are compared per "
        "1,000 people of each group; means and shares need no scaling."
    )


def run_value(
    table: pa.Table, metric: str, group: str, per_capita: bool
) -> tuple[float, float, bool]:
    """(tail mean as compared, tail mean of the raw values, scaled) of one run."""
    _, raw = tables.series(table, metric, group)
    _, y, scaled = tables.scaled_series(table, metric, group, per_capita)
    if not len(y):
        return math.nan, math.nan, False
    start = tables.tail_start(len(y))
    return float(np.nanmean(y[start:])), float(np.nanmean(raw[start:])), scaled


def check_names(a: RunSet, b: RunSet, group: str, metrics: Sequence[str] | None) -> list[str]:
    """The metrics to compare; unknown groups and metrics are refused with the valid ones."""
    have = [tables.present(t) for t in a.tables + b.tables]
    groups = set.intersection(*(g for _, g in have))
    if group not in groups:
        raise CompareError(catalogue.unknown_message("group", group, sorted(groups)))
    common = sorted(set.intersection(*(m for m, _ in have)) - {tables.SIZE_METRIC})
    for metric in metrics or []:
        if metric not in common:
            raise CompareError(catalogue.unknown_message("metric", metric, common))
    return list(metrics) if metrics else common


def compare_sets(
    a: RunSet,
    b: RunSet,
    group: str = "all",
    metrics: Sequence[str] | None = None,
    per_capita: bool = True,
) -> list[Difference]:
    """B - A for each metric, with Welch's 95 % interval over the runs of each side."""
    rows = []
    for metric in check_names(a, b, group, metrics):
        va = [run_value(t, metric, group, per_capita) for t in a.tables]
        vb = [run_value(t, metric, group, per_capita) for t in b.tables]
        xa = np.array([v[0] for v in va])
        xb = np.array([v[0] for v in vb])
        if np.all(np.isnan(xa)) or np.all(np.isnan(xb)):
            continue
        diff, low, high = welch(xa, xb)
        raw_a = float(np.nanmean([v[1] for v in va]))
        entry = catalogue.METRICS.get(metric)
        relative = None
        if entry is not None and entry.kind == "count" and abs(raw_a) >= MIN_EVENTS:
            relative = diff / float(np.mean(xa))
        scaled = any(v[2] for v in va + vb)
        rows.append(
            Difference(
                metric,
                tables.unit(metric, scaled),
                len(xa),
                float(np.mean(xa)),
                len(xb),
                float(np.mean(xb)),
                diff,
                low,
                high,
                relative,
            )
        )
    return rows


def default_out(a: RunSet, b: RunSet, fmt: str, folder: Path = Path(".")) -> Path:
    """A new file in ``folder`` named after both sides (never an existing file)."""

    def slug(text: str) -> str:
        kept = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.split(" (")[0])
        return kept.strip("-") or "runs"

    stem = f"compare-{slug(a.label)}-vs-{slug(b.label)}"
    path = folder / f"{stem}.{fmt}"
    k = 2
    while path.exists():
        path = folder / f"{stem}-{k}.{fmt}"
        k += 1
    return path


def check_out(out: Path, inputs: Sequence[Path], force: bool) -> None:
    """Refuse to write into an input run directory, a directory, or over a file without force."""
    target = Path(out).resolve()
    for run in inputs:
        if target.is_relative_to(Path(run).resolve()):
            raise CompareError(
                f"--out {str(out)!r} is inside the input run {str(run)!r}; write elsewhere"
            )
    if target.is_dir():
        raise CompareError(f"--out {str(out)!r} is a directory; give a file name")
    if target.exists() and not force:
        raise CompareError(f"--out {str(out)!r} exists; use --force to replace it")

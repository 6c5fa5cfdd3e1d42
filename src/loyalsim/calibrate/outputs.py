"""What a calibration writes besides pyabc's history: Parquet tables and two TOML files.

Tables are derived from the history database, so they can always be rebuilt from it; every
file is written under a temporary name and renamed (a kill leaves whole files only).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import tomli_w

from loyalsim.calibrate.plan import CalibrationPlan
from loyalsim.calibrate.priors import Prior
from loyalsim.scenario.io import apply_overrides, raw_source
from loyalsim.store.shards import write_atomic, write_text_atomic


def particle_rows(plan: CalibrationPlan, generation: int, population: Any) -> list[dict]:
    """One row per accepted particle: weight, distance, parameter values, statistics."""
    rows = []
    for k, particle in enumerate(population.particles):
        row: dict[str, Any] = {
            "generation": generation,
            "particle": k,
            "weight": float(particle.weight),
            "distance": float(particle.distance),
        }
        for prior in plan.priors:
            row[prior.path] = float(prior.value(particle.parameter[prior.key]))
        for target in plan.targets:
            row[f"stat:{target.key}"] = float(particle.sum_stat[target.key])
        rows.append(row)
    return rows


def rows_table(rows: list[dict[str, Any]], columns: list[str]) -> pa.Table:
    """A table with the given column order (float columns unless integer-valued ids)."""
    ints = {"generation", "particle", "draw", "evaluated", "accepted", "seed"}
    data = {
        c: pa.array([r[c] for r in rows], pa.int64() if c in ints else pa.float64())
        for c in columns
    }
    return pa.table(data)


def particle_columns(plan: CalibrationPlan) -> list[str]:
    return [
        "generation",
        "particle",
        "weight",
        "distance",
        *(p.path for p in plan.priors),
        *(f"stat:{t.key}" for t in plan.targets),
    ]


def write_table(table: pa.Table, path: Path) -> None:
    write_atomic(table, path)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value whose cumulative normalised weight reaches ``q``."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    cum = cum / cum[-1]
    return float(values[order][min(int(np.searchsorted(cum, q)), len(values) - 1)])


def posterior_medians(plan: CalibrationPlan, posterior: pa.Table) -> dict[str, float | int]:
    """Weighted posterior median of every parameter (rounded for integer parameters)."""
    weights = posterior["weight"].to_numpy()
    out: dict[str, float | int] = {}
    for prior in plan.priors:
        median = weighted_quantile(posterior[prior.path].to_numpy(), weights, 0.5)
        out[prior.path] = round(median) if prior.is_int else median
    return out


def _overlay(full: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """The nested tables that set ``paths`` on top of the base; a list is written whole,
    since a scenario that ``extends`` another replaces lists rather than merging them."""
    overlay: dict[str, Any] = {}
    for path in paths:
        parts = path.split(".")
        src: Any = full
        dst = overlay
        for i, part in enumerate(parts):
            value = src[part]
            if isinstance(value, list) or i == len(parts) - 1:
                dst[part] = value
                break
            dst = dst.setdefault(part, {})
            src = value
    return overlay


def _extends(base_source: str) -> str:
    """A preset by name; a scenario file by absolute path (``extends`` reads it from there)."""
    path = Path(base_source)
    if path.suffix == ".toml" or path.exists():
        return str(path.resolve())
    return base_source


def calibrated_toml(plan: CalibrationPlan, medians: dict[str, float | int]) -> str:
    """A scenario that extends the base with the [set] overrides and the posterior medians."""
    overrides = {**plan.overrides, **medians}
    full = apply_overrides(raw_source(plan.base_source), overrides)
    doc = {
        "extends": _extends(plan.base_source),
        "name": f"{plan.spec.name}-calibrated",
        "description": f"{plan.base_source} with the posterior medians of calibration "
        f"{plan.spec.name!r}",
        **_overlay(full, list(overrides)),
    }
    head = (
        f"# Posterior medians of calibration {plan.spec.name!r} (file hash "
        f"{plan.file_hash[:12]}); fitted: {', '.join(p.path for p in plan.priors)}.\n"
    )
    return head + tomli_w.dumps(doc)


def posterior_sweep_toml(
    plan: CalibrationPlan, posterior: pa.Table, points: int, replicates: int = 10
) -> str:
    """The posterior as a sweep: ``points`` particles drawn by weight, each one design point.

    The draw uses its own branch of the calibration's seed, so it is reproducible."""
    weights = posterior["weight"].to_numpy()
    rng = np.random.default_rng(np.random.SeedSequence(entropy=plan.spec.seed, spawn_key=(0,)))
    picks = rng.choice(len(weights), size=points, replace=True, p=weights / weights.sum())
    axes = {
        p.path: [_value(p, posterior[p.path].to_numpy()[i]) for i in picks] for p in plan.priors
    }
    fixed = dict(plan.overrides)
    doc: dict[str, Any] = {
        "name": f"{plan.spec.name}-posterior",
        "description": f"{points} posterior draws of calibration {plan.spec.name!r}, "
        f"{replicates} replicates each",
        "base": _extends(plan.base_source),
        "seed": plan.spec.seed,
        "replicates": replicates,
    }
    if fixed:
        doc["set"] = fixed
    doc["axes"] = axes
    doc["design"] = {"kind": "points"}
    head = (
        "# The posterior sample as a sweep: point i takes the i-th value of every axis\n"
        "# (design kind 'points'), so each point is one posterior draw.\n"
    )
    return head + tomli_w.dumps(doc)


def _value(prior: Prior, x: float) -> float | int:
    return round(x) if prior.is_int else float(x)


def write_text(text: str, path: Path) -> None:
    write_text_atomic(text, path)


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    total = float(weights.sum())
    if total <= 0 or not math.isfinite(total):
        return math.nan
    w = weights / total
    return float(1.0 / np.sum(w * w))

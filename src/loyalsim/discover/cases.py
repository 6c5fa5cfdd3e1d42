"""The cases of a discovery: one row per run with its parameter values and its outcome.

Reads a stored sweep through ``loyalsim.open_results`` (runs whose latest attempt is ok).
With a baseline sweep, runs are paired by design point and replicate; the two sweeps must
share their design (axes, points, replicates and root seed), so each pair differs only in
the base scenario and uses the same seed (common random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loyalsim import catalogue
from loyalsim.discover.expression import MetricRef, Outcome, OutcomeError
from loyalsim.store.results import SweepResults, open_results


@dataclass(frozen=True)
class Cases:
    """Inputs (one column per swept parameter), outcome, and each reference's values."""

    x: pd.DataFrame
    y: np.ndarray
    values: pd.DataFrame  # one column per reference (and its baseline), for the record
    dropped: int  # runs without a defined outcome (or without a baseline partner)
    meta: dict[str, Any]


def _open(folder: Path, what: str) -> SweepResults:
    try:
        return open_results(folder)
    except FileNotFoundError as exc:
        raise OutcomeError(f"{what}: {exc}") from exc


def _check_ref(res: SweepResults, ref: MetricRef) -> None:
    stored = res.con.execute('SELECT DISTINCT metric, "group" FROM timeseries').fetchall()
    metrics = sorted({m for m, _ in stored})
    if ref.metric not in metrics:
        raise OutcomeError(
            f"--outcome {ref.text()!r}: "
            + catalogue.unknown_message("metric", ref.metric, metrics).replace(
                "allowed:", "this sweep stores:"
            )
        )
    groups = sorted({g for m, g in stored if m == ref.metric})
    if ref.group not in groups:
        raise OutcomeError(
            f"--outcome {ref.text()!r}: "
            + catalogue.unknown_message("group", ref.group, groups).replace(
                "allowed:", f"this sweep stores {ref.metric} for:"
            )
        )


def ref_values(res: SweepResults, ref: MetricRef) -> dict[str, float]:
    """The reference's value in every successful run, by run id."""
    _check_ref(res, ref)
    where = 'metric = ? AND "group" = ?'
    params: list[Any] = [ref.metric, ref.group]
    if ref.at == "step":
        where += " AND step = ?"
        params.append(ref.step)
        select = "max(value)"
    elif ref.at in ("first", "last"):
        select = f"arg_{'min' if ref.at == 'first' else 'max'}(value, step)"
    else:
        select = f"{'avg' if ref.at == 'mean' else ref.at}(value)"
        if ref.first is not None:
            where += " AND step BETWEEN ? AND ?"
            params += [ref.first, ref.last]
    rows = res.con.execute(
        f"SELECT run_id, {select} FROM timeseries WHERE {where} GROUP BY run_id", params
    ).fetchall()
    return {str(r): math.nan if v is None else float(v) for r, v in rows}


def _runs(res: SweepResults) -> pd.DataFrame:
    return res.con.sql(
        "SELECT * FROM runs WHERE status = 'ok' ORDER BY point_index, replicate"
    ).df()


def _same_design(main: SweepResults, base: SweepResults) -> None:
    keys = ("axes", "replicates", "seed", "n_points", "design")
    a, b = main.metadata, base.metadata
    differs = [k for k in keys if a.get(k) != b.get(k)]
    if differs:
        raise OutcomeError(
            f"--baseline {str(base.path)!r}: its sweep differs in {', '.join(differs)}; the "
            "baseline sweep must share the design (axes, points, replicates, seed) so that "
            "runs pair one to one"
        )


def build_cases(sweep: Path, outcome: Outcome, baseline: Path | None = None) -> Cases:
    """Evaluate ``outcome`` on every run of ``sweep`` (paired with ``baseline`` if given)."""
    if outcome.uses_baseline and baseline is None:
        raise OutcomeError(
            f"--outcome {outcome.text!r} uses the baseline; give the baseline sweep "
            "directory with --baseline"
        )
    with _open(sweep, "SWEEP_DIR") as res:
        axes = [a for a in res.metadata.get("axes", [])]
        runs = _runs(res)
        values = {ref: ref_values(res, ref) for ref in outcome.refs}
        meta = {k: res.metadata.get(k) for k in ("name", "sweep_hash", "base", "model")}
        if baseline is not None:
            with _open(baseline, "--baseline") as base:
                _same_design(res, base)
                base_runs = _runs(base).set_index(["point_index", "replicate"])["run_id"]
                base_values = {ref: ref_values(base, ref) for ref in outcome.refs}
                meta["baseline"] = base.metadata.get("name")
        else:
            base_runs, base_values = None, {}
    table = pd.DataFrame({"run_id": runs["run_id"], "point_index": runs["point_index"]})
    table["replicate"] = runs["replicate"]
    columns: dict[MetricRef, np.ndarray] = {}
    partner: dict[MetricRef, np.ndarray] = {}
    for ref in outcome.refs:
        columns[ref] = np.array([values[ref].get(r, math.nan) for r in runs["run_id"]], float)
        if base_runs is not None:
            keys = list(zip(runs["point_index"], runs["replicate"], strict=True))
            ids = [base_runs.get(k) for k in keys]
            partner[ref] = np.array(
                [
                    base_values[ref].get(str(i), math.nan) if i is not None else math.nan
                    for i in ids
                ],
                float,
            )
    defined = np.ones(len(runs), dtype=bool)
    for arr in (*columns.values(), *partner.values()):
        defined &= np.isfinite(arr)
    y = outcome.evaluate(columns, partner)
    y = np.broadcast_to(y, defined.shape) & defined
    record = pd.DataFrame({ref.text(): columns[ref] for ref in outcome.refs})
    for ref in partner:
        record[f"baseline({ref.text()})"] = partner[ref]
    x = pd.DataFrame(
        {
            a["path"]: runs[a["path"]].astype(float)
            if a["numeric"]
            else runs[a["path"]].astype("category")
            for a in axes
        }
    )
    keep = defined
    meta.update(n_runs=len(runs), n_cases=int(keep.sum()), n_true=int(y[keep].sum()))
    return Cases(
        x[keep].reset_index(drop=True),
        np.asarray(y[keep], dtype=bool),
        pd.concat([table, record], axis=1)[keep].reset_index(drop=True),
        int((~keep).sum()),
        meta,
    )

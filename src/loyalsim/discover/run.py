"""Scenario discovery on a stored sweep: cases, PRIM boxes, a CART tree, files and figures."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

import loyalsim
from loyalsim.discover.cases import Cases, build_cases
from loyalsim.discover.expression import Outcome, OutcomeError, parse_outcome
from loyalsim.discover.prim import Box, boxes_table, find_boxes
from loyalsim.discover.tree import TreeResult, fit_tree
from loyalsim.store import analysis_dirs as files
from loyalsim.store.shards import SWEEP_TOML, write_atomic, write_text_atomic


class DiscoveryDirError(ValueError):
    """The output directory holds something that is not a discovery."""


@dataclass(frozen=True)
class Discovery:
    """What a discovery found."""

    outcome: Outcome
    cases: Cases
    boxes: list[Box]
    tree: TreeResult


def named_outcomes(sweep: Path) -> dict[str, str]:
    """Outcomes defined by name in the sweep file's ``[outcomes]`` table (if any)."""
    path = Path(sweep) / SWEEP_TOML
    if not path.is_file():
        return {}
    table = tomllib.loads(path.read_text("utf-8")).get("outcomes", {})
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def resolve_outcome(sweep: Path, text: str) -> Outcome:
    """An expression, or the name of one in the sweep file's ``[outcomes]``."""
    named = named_outcomes(sweep)
    return parse_outcome(named.get(text.strip(), text))


def discover(
    sweep: Path,
    outcome_text: str,
    baseline: Path | None = None,
    threshold: float = 0.8,
    max_boxes: int = 3,
    tree_depth: int = 3,
) -> Discovery:
    """Evaluate the outcome on every run, then find PRIM boxes and fit a CART tree."""
    if not 0 < threshold <= 1:
        raise OutcomeError(f"--threshold {threshold}: allowed: above 0 and at most 1")
    outcome = resolve_outcome(sweep, outcome_text)
    cases = build_cases(sweep, outcome, baseline)
    if cases.x.shape[1] == 0:
        raise OutcomeError("the sweep has no axes to explain the outcome with")
    n_true = int(cases.y.sum())
    if n_true == 0 or n_true == len(cases.y):
        which = "no run" if n_true == 0 else "every run"
        raise OutcomeError(
            f"--outcome {outcome.text!r} holds in {which} of the {len(cases.y)} runs: there "
            "is nothing to discover; change the threshold in the expression"
        )
    boxes = find_boxes(cases.x, cases.y, threshold=threshold, max_boxes=max_boxes)
    tree = fit_tree(cases.x, cases.y, max_depth=tree_depth)
    return Discovery(outcome, cases, boxes, tree)


def prepare_dir(out: Path, force: bool) -> None:
    """Refuse a non-empty directory that is not a discovery, unless ``force``."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DiscoveryDirError(f"--out {str(out)!r} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        if not (force or files.is_discovery_dir(out)):
            raise DiscoveryDirError(
                f"--out {str(out)!r} is not empty and is not a discovery directory; "
                "use --force to replace it"
            )
        shutil.rmtree(out)


def _box_meta(box: Box) -> dict[str, Any]:
    return {
        "box": box.number,
        "step": box.step,
        "coverage": box.coverage,
        "density": box.density,
        "mass": box.mass,
        "res_dim": box.res_dim,
        "limits": [lim.__dict__ for lim in box.limits],
    }


def write_discovery(
    found: Discovery, sweep: Path, baseline: Path | None, out: Path, threshold: float
) -> Path:
    """Write the discovery directory (tables, metadata, figures), replacing an older one."""
    from loyalsim.report.discovery import draw_box_png, draw_tradeoff_png

    tmp = Path(out).with_name(f".{Path(out).name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    cases = pd.concat([found.cases.values, found.cases.x], axis=1)
    cases["outcome"] = found.cases.y
    write_atomic(pa.Table.from_pandas(cases, preserve_index=False), tmp / files.CASES)
    trajectories = pd.concat(
        [b.trajectory.assign(box=b.number, step=range(len(b.trajectory))) for b in found.boxes]
    )
    write_atomic(pa.Table.from_pandas(trajectories, preserve_index=False), tmp / files.TRAJECTORY)
    table = boxes_table(found.boxes)
    for column in ("low", "high"):
        if column in table:
            table[column] = table[column].astype(float)
    write_atomic(pa.Table.from_pandas(table, preserve_index=False), tmp / files.BOXES)
    write_text_atomic(found.tree.rules, tmp / files.TREE_TXT)
    meta = {
        "outcome": found.outcome.text,
        "references": [r.text() for r in found.outcome.refs],
        "sweep": str(Path(sweep).resolve()),
        "baseline": str(Path(baseline).resolve()) if baseline else None,
        **{f"sweep_{k}": v for k, v in found.cases.meta.items()},
        "dropped_runs": found.cases.dropped,
        "prim": {"threshold": threshold, "library": "ema-workbench"},
        "boxes": [_box_meta(b) for b in found.boxes],
        "tree": {
            "depth": found.tree.depth,
            "accuracy": found.tree.accuracy,
            "leaves": found.tree.leaves.to_dict("records"),
        },
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loyalsim_version": loyalsim.__version__,
    }
    write_text_atomic(json.dumps(meta, indent=2, default=str), tmp / files.DISCOVERY_JSON)
    draw_tradeoff_png(tmp, tmp / files.TRADEOFF_PNG)
    draw_box_png(tmp, tmp / files.BOX_PNG)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    tmp.replace(out)
    return out

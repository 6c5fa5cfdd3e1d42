"""PRIM scenario discovery with EMA Workbench: peeling trajectories and the boxes chosen.

PRIM (Friedman & Fisher 1999; Bryant & Lempert 2010) peels the parameter space toward the
runs where the outcome holds; each step of the peeling trajectory trades coverage (share of
all such runs inside the box) for density (share of runs inside the box where it holds).
The box kept on each trajectory is the one with the highest coverage among those whose
density reaches ``threshold`` (the densest one if none does). Further boxes are sought
among the runs the earlier boxes leave out, as EMA Workbench does.

EMA Workbench 2.5 under pandas 3 warns at import (optional ipyparallel and altair are
absent) and on a deprecated ``inplace`` argument; those warnings, and only those, are
silenced here. The calls used (``Prim``, ``find_box``, ``peeling_trajectory``, ``box_lims``,
``qp``, ``select``) are checked by the planted-box test.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@contextmanager
def _quiet_ema() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed")
        warnings.filterwarnings("ignore", message="altair based interactive")
        warnings.filterwarnings("ignore", message="The inplace keyword", module="ema_workbench")
        warnings.filterwarnings(
            "ignore", message="The inplace keyword", category=DeprecationWarning
        )
        warnings.filterwarnings("ignore", message=".*inplace.*deprecated")
        yield


@dataclass(frozen=True)
class Limit:
    """One restricted parameter of a box: its bounds (None on a side left as sampled) and
    their quasi-p-values (NaN on such a side)."""

    parameter: str
    low: Any
    high: Any
    qp_low: float  # NaN where that side is not restricted
    qp_high: float


@dataclass(frozen=True)
class Box:
    """A box chosen on a peeling trajectory."""

    number: int  # 1, 2, ... in the order found
    step: int  # index on the trajectory
    coverage: float
    density: float
    mass: float
    res_dim: int
    limits: tuple[Limit, ...]
    trajectory: pd.DataFrame  # coverage, density, mass, res_dim per step


def choose_step(trajectory: pd.DataFrame, threshold: float) -> int:
    """Highest coverage among steps with density >= threshold (else the densest step)."""
    density = trajectory["density"].to_numpy(dtype=float)
    coverage = trajectory["coverage"].to_numpy(dtype=float)
    dense = np.flatnonzero(density >= threshold)
    if dense.size:
        # lexsort: the last key is primary; among equal coverage prefer the denser step
        order = np.lexsort((-density[dense], -coverage[dense]))
        return int(dense[order[0]])
    return int(np.argmax(density))


def _qp(value: float) -> float:
    return math.nan if value is None or value < 0 else float(value)


def _limits(
    box_lims: pd.DataFrame, initial: pd.DataFrame, qp: dict[str, list[float]]
) -> list[Limit]:
    out = []
    for column in box_lims.columns:
        low: Any = box_lims.loc[0, column]
        high: Any = box_lims.loc[1, column]
        start: Any = initial.loc[0, column]
        stop: Any = initial.loc[1, column]
        if isinstance(low, set):  # a categorical parameter: the kept levels
            if low == start:
                continue
            low, high = sorted(low), sorted(low)
        else:
            if low == start and high == stop:
                continue
            low = None if low == start else float(low)
            high = None if high == stop else float(high)
        pair = qp.get(column, [-1.0, -1.0])
        out.append(Limit(str(column), low, high, _qp(pair[0]), _qp(pair[1])))
    return out


def find_boxes(
    x: pd.DataFrame,
    y: np.ndarray,
    threshold: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    max_boxes: int = 3,
) -> list[Box]:
    """Up to ``max_boxes`` PRIM boxes for the cases where ``y`` is true."""
    with _quiet_ema():
        from ema_workbench.analysis import prim as ema_prim

        finder = ema_prim.Prim(
            x,
            np.asarray(y, dtype=bool),
            threshold=threshold,
            peel_alpha=peel_alpha,
            mass_min=mass_min,
        )
        boxes: list[Box] = []
        left = np.asarray(y, dtype=bool).copy()  # cases of interest outside every box so far
        while left.any() and len(boxes) < max_boxes:
            found = finder.find_box()
            if found is None:
                break
            trajectory = found.peeling_trajectory.reset_index(drop=True)
            step = choose_step(trajectory, threshold)
            found.select(step)
            row = trajectory.loc[step]
            limits = _limits(found.box_lims[step], found.box_lims[0], found.qp[step])
            boxes.append(
                Box(
                    len(boxes) + 1,
                    step,
                    float(row["coverage"]),
                    float(row["density"]),
                    float(row["mass"]),
                    int(row["res_dim"]),
                    tuple(limits),
                    trajectory[["coverage", "density", "mass", "res_dim"]].copy(),
                )
            )
            if float(row["density"]) < threshold or not limits:
                break  # nothing denser remains to be found
            left[np.asarray(found.yi, dtype=np.int64)] = False
    return boxes


def boxes_table(boxes: list[Box]) -> pd.DataFrame:
    """One row per box and restricted parameter (boxes without restrictions: one row)."""
    rows: list[dict[str, Any]] = []
    for box in boxes:
        head: dict[str, Any] = {
            "box": box.number,
            "step": box.step,
            "coverage": box.coverage,
            "density": box.density,
            "mass": box.mass,
            "res_dim": box.res_dim,
        }
        if not box.limits:
            rows.append({**head, "parameter": None})
        for lim in box.limits:
            rows.append(
                {
                    **head,
                    "parameter": lim.parameter,
                    "low": lim.low if not isinstance(lim.low, list) else None,
                    "high": lim.high if not isinstance(lim.high, list) else None,
                    "levels": ", ".join(map(str, lim.low)) if isinstance(lim.low, list) else None,
                    "qp_low": lim.qp_low,
                    "qp_high": lim.qp_high,
                }
            )
    return pd.DataFrame(rows)

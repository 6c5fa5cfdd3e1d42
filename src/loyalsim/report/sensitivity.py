"""Sensitivity indices of a stored sweep through SALib, and their plot.

The analysis matches the sweep's design: Sobol indices (S1, ST with 95 % confidence
intervals) for a ``sobol`` design, elementary effects (mu*, sigma, with the interval of
mu*) for ``morris``. The model output of a design point is the mean of the outcome over its
replicates, so replicates reduce the noise seen by the estimator instead of posing as points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from loyalsim.report.figspec import Figure, Trace
from loyalsim.report.sweep_stats import Outcome, run_outcomes
from loyalsim.store.results import SweepResults


@dataclass(frozen=True)
class Index:
    """One parameter's indices (Sobol: s1, st; Morris: mu_star, sigma)."""

    name: str
    first: float
    first_conf: float
    second: float
    second_conf: float


def point_means(res: SweepResults, outcome: Outcome) -> np.ndarray:
    """Outcome per design point (mean over replicates); every point must have a run."""
    n_points = int(res.metadata["n_points"])
    sums = np.zeros(n_points)
    counts = np.zeros(n_points)
    for _, point, _, value in run_outcomes(res, outcome):
        sums[point] += value
        counts[point] += 1
    missing = int((counts == 0).sum())
    if missing:
        raise ValueError(
            f"{missing} of {n_points} design points have no successful run; finish the sweep "
            "(run it again, with --retry-failed for failed runs) before computing indices"
        )
    return np.asarray(sums / counts)


def analyze(res: SweepResults, outcome: Outcome, seed: int = 0) -> tuple[str, list[Index]]:
    """The design kind and one ``Index`` per axis."""
    design: dict[str, Any] = res.metadata["design"]
    problem = res.metadata["problem"]
    y = point_means(res, outcome)
    if float(np.std(y)) == 0.0:
        raise ValueError(f"{outcome.label()} is the same at every design point: no sensitivity")
    if design["kind"] == "sobol":
        from SALib.analyze import sobol

        out = sobol.analyze(
            problem,
            y,
            calc_second_order=design["second_order"],
            conf_level=0.95,
            print_to_console=False,
            seed=seed,
        )
        keys = ("S1", "S1_conf", "ST", "ST_conf")
    elif design["kind"] == "morris":
        from SALib.analyze import morris

        names = [f"sample:{n}" for n in problem["names"]]
        cols = ", ".join(f'"{n}"' for n in names)
        x = np.asarray(res.sql(f"SELECT {cols} FROM design ORDER BY point_index").fetchall())
        out = morris.analyze(
            problem,
            x,
            y,
            conf_level=0.95,
            num_levels=design["levels"],
            print_to_console=False,
            seed=seed,
        )
        keys = ("mu_star", "mu_star_conf", "sigma", "sigma")
    else:
        raise ValueError(
            f"the sweep's design is {design['kind']!r}; sensitivity indices need a sobol or "
            "morris design (use `loyalsim summarize` for other designs)"
        )
    indices = []
    for i, name in enumerate(problem["names"]):
        a, a_conf, b, b_conf = (float(np.asarray(out[k])[i]) for k in keys)
        indices.append(Index(name, a, a_conf, b, 0.0 if keys[3] == "sigma" else b_conf))
    return str(design["kind"]), indices


def indices_figure(kind: str, indices: list[Index], key: str, title: str, unit: str = "") -> Figure:
    """Horizontal bars of the indices with their 95 % confidence intervals, as a figure spec."""
    names = [ix.name for ix in indices]
    first, second = ("S1", "ST") if kind == "sobol" else ("mu*", "sigma")
    return Figure(
        key,
        title,
        "bars",
        [
            Trace(
                first,
                names,
                [ix.first for ix in indices],
                colour_key="first",
                error=[ix.first_conf for ix in indices],
            ),
            Trace(
                second,
                names,
                [ix.second for ix in indices],
                colour_key="second",
                error=[ix.second_conf for ix in indices] if kind == "sobol" else None,
            ),
        ],
        ylabel="index (unitless)" if kind == "sobol" else f"index ({unit or 'outcome units'})",
        note="Error bars: 95 % confidence intervals (bootstrap).",
        horizontal=True,
    )


def plot_indices(kind: str, indices: list[Index], title: str, path: Path) -> Path:
    """Save the indices figure (PNG, SVG or PDF after the path's suffix; 7 in wide)."""
    from loyalsim.report.render_mpl import save, to_matplotlib

    return save(to_matplotlib(indices_figure(kind, indices, "sensitivity", title)), path)

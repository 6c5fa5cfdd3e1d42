"""Difference of the observables between two stored runs."""

from __future__ import annotations

from pathlib import Path

from loyalsim.report.figures import draw_difference
from loyalsim.report.summaries import tail_means
from loyalsim.store.rundir import read_run

KEY_METRICS = (
    "display_public",
    "loyalty_private",
    "display_gap",
    "resentment",
    "cynicism",
    "accused",
    "cascade_risk",
)


def compare_runs(
    dir_a: Path, dir_b: Path, group: str = "all", plot: Path | None = None
) -> tuple[list[tuple[str, float, float]], Path]:
    """Rows (metric, mean A, mean B) over the last quarter, and the path of the figure."""
    table_a, man_a = read_run(dir_a)
    table_b, man_b = read_run(dir_b)
    means_a = tail_means(table_a, group)
    means_b = tail_means(table_b, group)
    common = [m for m in means_a if m in means_b]
    rows = [(m, means_a[m], means_b[m]) for m in common]
    label_a = str(man_a.get("scenario_name") or Path(dir_a).name)
    label_b = str(man_b.get("scenario_name") or Path(dir_b).name)
    plotted = [m for m in KEY_METRICS if m in common] or common[:6]
    if plot is None:
        plot = Path(dir_b) / f"compare-{Path(dir_a).name}.png"
    draw_difference(table_a, table_b, plotted, plot, label_a, label_b, group)
    return rows, plot

"""Multi-panel figures for files: a run's summary figure and the comparison figure.

Both compose figure specs (``figspec``) drawn by ``render_mpl``, the renderer of PNG, SVG
and PDF files, so they carry the same labels, units, palette and event markers as the
report. The page is 7 in wide (two journal columns), one panel per column.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from matplotlib.figure import Figure as MplFigure

from loyalsim.report import render_mpl, style
from loyalsim.report.figspec import Figure
from loyalsim.report.runfigs import panel_figures
from loyalsim.scenario.events import Event, major_events

PANEL_HEIGHT_IN = 2.3


def draw_panels(
    figures: Sequence[Figure],
    title: str = "",
    note: str = "",
    columns: int = 2,
    width: float = style.PAGE_WIDTH_IN,
) -> Any:
    """Several figure specs on one page, an event track above each column, one event key."""
    columns = max(1, min(columns, len(figures)))
    rows = math.ceil(len(figures) / columns)
    column_width = width / columns
    placed = [render_mpl.placed_markers(f, column_width * 0.8) for f in figures]
    track_rows = max((m.row + 1 for p in placed for m in p), default=0)
    track_h = track_rows * render_mpl.TRACK_ROW_IN
    heights = ([track_h] if track_rows else []) + [PANEL_HEIGHT_IN] * rows
    mfig = MplFigure(figsize=(width, sum(heights) + 0.6), layout="constrained")
    grid = mfig.add_gridspec(len(heights), columns, height_ratios=heights)
    offset = 1 if track_rows else 0
    first_marked = next((k for k, p in enumerate(placed) if p), -1)
    panels: list[Any] = []
    for k, fig in enumerate(figures):
        row, col = divmod(k, columns)
        ax = mfig.add_subplot(grid[row + offset, col], sharex=panels[col] if row else None)
        panels.append(ax)
        track = None
        if track_rows and row == 0 and placed[k]:
            track = mfig.add_subplot(grid[0, col], sharex=ax)
        # The kinds of events are named once, in the first legend that can show them.
        render_mpl.draw(fig, ax, track, placed[k], event_legend=k == first_marked)
        if track is not None:
            track.set_ylim(track_rows - 0.5, -0.5)
    if title:
        mfig.suptitle(title, fontsize=render_mpl.FONT + 2)
    longest = max(placed, key=len, default=[])
    caption = "\n".join(
        p for p in (note, render_mpl.caption_text(Figure("", "", "lines"), longest, 150)) if p
    )
    if caption:
        mfig.supxlabel(caption, fontsize=render_mpl.FONT - 1.5, ha="left", x=0.01)
    return mfig


def draw_summary(
    table: pa.Table,
    path: Path,
    events: Sequence[Event] = (),
    focus_group: str | None = None,
    title: str = "",
    fmt: str | None = None,
    per_capita: bool = True,
) -> Path:
    """The main observables over time (group ``all``; dashed: ``focus_group``), events marked."""
    figures = panel_figures(table, events, focus_group, per_capita)
    if not figures:  # another model: its first metrics, one panel each
        from loyalsim.report.runfigs import other_model_figures

        figures = other_model_figures(table, events, per_capita)[:8]
    note = f"Solid: everyone; dashed: {focus_group.split(':', 1)[-1]}." if focus_group else ""
    mfig = draw_panels(figures, title, note)
    return render_mpl.save(mfig, path, fmt)


def draw_run_summary(
    table: pa.Table, config: Any, manifest: dict[str, Any], path: Path, fmt: str = "png"
) -> None:
    """``draw_summary`` for a run directory: the scenario's events marked, its target dashed.

    ``fmt`` (png, svg or pdf) replaces the suffix of ``path``."""
    title = f"{manifest['scenario_name']} (seed {manifest['seed']})"
    draw_summary(table, path, major_events(config), focus_group(config), title, fmt)


def focus_group(config: Any) -> str | None:
    """The province the first order targets, for dashed lines on the summary figure."""
    orders = getattr(getattr(config, "enforcement", None), "orders", None) or []
    for order in orders:
        named = [p for p in order.provinces if p != "*"]
        if named:
            return f"province:{named[0]}"
    return None


def summary_drawer(fmt: str = "png") -> Any:
    """``draw_run_summary`` writing ``fmt`` (png, svg or pdf); ValueError names the allowed."""
    if fmt not in style.FORMATS:
        raise ValueError(f"--format {fmt!r}: allowed: {', '.join(style.FORMATS)}")
    return functools.partial(draw_run_summary, fmt=fmt)

"""Draw figure specs with matplotlib: PNG, SVG and PDF files, and notebook figures.

Figures are sized for a journal: one column (3.5 in) or the full page (7 in), with 7-8 pt
text. Dated events are vertical lines styled by kind (named in the legend), numbered in a
track above the plot and listed in a key below it (``markers.place``), so no two labels
overlap. Log axes are plain log scales (never symlog), so no negative ticks appear.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D

from loyalsim.report import markers as mk
from loyalsim.report import style
from loyalsim.report.figspec import Figure

FONT = 7.0
TRACK_ROW_IN = 0.12


def _dates(values: list[Any]) -> Any:
    return (
        np.array(values, dtype="datetime64[D]") if values and isinstance(values[0], str) else values
    )


def date_range(fig: Figure) -> tuple[dt.date, dt.date] | None:
    """First and last date of the figure's traces (None for undated figures)."""
    days = [d for t in fig.traces for d in t.x if isinstance(d, str)]
    if fig.kind != "lines" or not days:
        return None
    return dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))


def placed_markers(fig: Figure, width_in: float) -> list[mk.Marker]:
    """The figure's events numbered and packed into track rows for an axis ``width_in`` wide."""
    span = date_range(fig)
    if span is None or not fig.markers:
        return []
    label_in = 0.16  # two digits at 6 pt and a margin
    return mk.place(list(fig.markers), span[0], span[1], label_in / max(width_in, 0.5))


def draw(
    fig: Figure,
    ax: Any,
    track: Any | None = None,
    placed: list[mk.Marker] | None = None,
    event_legend: bool = True,
) -> None:
    """Draw one figure spec into a matplotlib axis (and its event track, if given).

    ``event_legend`` adds the kinds of events to the axis legend (a multi-panel figure
    names them once, in a figure legend, instead)."""
    if fig.kind == "flow" and fig.flow is not None:
        labels = [f"{fig.flow.labels[s]} -> {fig.flow.labels[d]}" for s, d, _ in fig.flow.links]
        ax.barh(labels, [v for _, _, v in fig.flow.links], color=style.colour(0))
        ax.invert_yaxis()
        ax.set_xlabel(fig.ylabel)
    elif fig.kind == "map":
        from loyalsim.report.maps import draw_map_mpl

        draw_map_mpl(fig, ax)
    keys = list(dict.fromkeys(t.colour_key or t.name for t in fig.traces))
    for t in fig.traces:
        k = keys.index(t.colour_key or t.name)
        colour = style.colour(k)
        if fig.kind == "bars":
            _bars(ax, fig, t, colour)
            continue
        if fig.kind == "points":
            ax.errorbar(
                t.y, t.x, xerr=t.error, fmt="o", color=colour, label=t.name, ms=3, capsize=2
            )
            continue
        x = _dates(t.x)
        dash = t.dash or style.dashed(k)
        # On log axes zero weeks are gaps, so a lone week with events would draw nothing
        # without a marker (an amnesty's releases, for instance).
        ax.plot(
            x,
            t.y,
            label=t.name,
            linestyle="--" if dash else "-",
            color=colour,
            linewidth=1.0,
            marker="o" if fig.log_y else None,
            markersize=1.5,
        )
        if t.lower is not None and t.upper is not None:
            ax.fill_between(x, t.lower, t.upper, alpha=0.2, color=colour, linewidth=0)
    if fig.kind == "points":
        ax.axvline(0, color="#999999", linewidth=0.6)
        ax.invert_yaxis()
    _events(fig, ax, track, placed or [])
    if fig.log_y and has_positive(fig):
        ax.set_yscale("log", nonpositive="mask")
    ax.set_title(fig.title, fontsize=FONT + 1)
    if fig.horizontal or fig.kind == "points":
        ax.set_xlabel(fig.ylabel, fontsize=FONT)
    elif fig.kind != "flow":
        ax.set_ylabel(textwrap.fill(fig.ylabel, 40), fontsize=FONT)
        ax.set_xlabel(fig.xlabel, fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    dated = fig.kind == "lines" and fig.traces and isinstance(fig.traces[0].x[0], str)
    # A run of one week has one date: matplotlib's date locator cannot place ticks on it.
    if dated and len({x for t in fig.traces for x in t.x}) > 1:
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if fig.traces or fig.markers:
        handles, labels = ax.get_legend_handles_labels()
        if event_legend:
            handles += event_handles(placed or [])
            labels += [h.get_label() for h in event_handles(placed or [])]
        if handles:
            ax.legend(handles, labels, fontsize=FONT - 1.5, frameon=False, loc="best")


def has_positive(fig: Figure) -> bool:
    """Whether a log axis has anything to show (all zeros stay on a linear axis)."""
    return any(v > 0 for t in fig.traces for v in t.y if v == v)


def event_handles(events: Any) -> list[Any]:
    """Legend entries for the kinds of events (campaign order, amnesty, ...)."""
    kinds = list(dict.fromkeys(e.kind for e in events))
    out: list[Any] = []
    for kind in kinds:
        s = style.event_style(kind)
        dashes: Any = style.MPL_DASHES[s.dash]
        out.append(
            Line2D(
                [],
                [],
                color=s.colour,
                linestyle=dashes,
                linewidth=1,
                label=s.label,
            )
        )
    return out


def _events(fig: Figure, ax: Any, track: Any | None, placed: list[mk.Marker]) -> None:
    for m in placed:
        s = style.event_style(m.kind)
        when = np.datetime64(m.date, "D")
        ax.axvline(
            when, color=s.colour, linestyle=style.MPL_DASHES[s.dash], linewidth=0.8, alpha=0.8
        )
        if track is not None:
            track.axvline(when, color=s.colour, linestyle=style.MPL_DASHES[s.dash], linewidth=0.6)
            track.text(
                when,
                m.row,
                str(m.number),
                ha="center",
                va="center",
                fontsize=FONT - 1,
                color=s.colour,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
    if track is not None:
        rows = max((m.row for m in placed), default=0) + 1
        track.set_ylim(rows - 0.5, -0.5)
        track.set_yticks([])
        track.tick_params(labelbottom=False, length=0)
        for side in ("left", "right", "top"):
            track.spines[side].set_visible(False)


def _bars(ax: Any, fig: Figure, t: Any, colour: str) -> None:
    """One bar trace; several horizontal traces stack their groups one after another."""
    labels = [str(v) for v in t.x]
    if fig.horizontal:
        if len({tuple(tr.x) for tr in fig.traces}) == 1 and len(fig.traces) > 1:
            k = fig.traces.index(t)
            n = len(fig.traces)
            pos = np.arange(len(labels)) + (k - (n - 1) / 2) * 0.8 / n
            ax.barh(pos, t.y, height=0.8 / n, label=t.name, color=colour, xerr=t.error)
            ax.set_yticks(np.arange(len(labels)), labels)
        else:
            ax.barh(labels, t.y, label=t.name, color=colour, xerr=t.error)
    else:
        ax.bar(labels, t.y, label=t.name, color=colour, yerr=t.error)
        ax.tick_params(axis="x", rotation=75)


def _height(fig: Figure, width_in: float) -> float:
    """Inches: a row per label for bars and points, square maps, 2:3 line plots."""
    if fig.horizontal or fig.kind == "points":
        rows = max((len(t.x) for t in fig.traces), default=1)
        if fig.horizontal:
            rows = sum(len(t.x) for t in fig.traces)
        return max(2.4, 0.9 + 0.13 * rows)
    if fig.kind == "map":
        return width_in * 1.05
    return max(2.4, width_in * 0.68)


def to_matplotlib(fig: Figure, ax: Any | None = None, width: str | float = "page") -> Any:
    """A static matplotlib figure of one spec (returns the matplotlib Figure).

    ``width`` is ``"column"`` (3.5 in), ``"page"`` (7 in) or inches."""
    if ax is not None:
        draw(fig, ax, None, placed_markers(fig, 3.0))
        return ax.figure
    width_in = style.WIDTHS.get(width, 0.0) if isinstance(width, str) else float(width)
    if not width_in:
        raise ValueError(f"width = {width!r}: allowed: column, page or a number of inches")
    placed = placed_markers(fig, width_in * 0.8)
    rows = max((m.row for m in placed), default=-1) + 1
    # The object-oriented API: no global backend, so notebooks display the figure
    # they get back and scripts never open windows.
    mfig = MplFigure(
        figsize=(width_in, _height(fig, width_in) + rows * TRACK_ROW_IN), layout="constrained"
    )
    if rows:
        track, ax = mfig.subplots(
            2, 1, sharex=True, height_ratios=[rows * TRACK_ROW_IN, _height(fig, width_in)]
        )
    else:
        track, ax = None, mfig.add_subplot()
    draw(fig, ax, track, placed)
    caption = caption_text(fig, placed)
    if caption:
        mfig.supxlabel(caption, fontsize=FONT - 1.5, ha="left", x=0.01, wrap=True)
    return mfig


def caption_text(fig: Figure, placed: list[mk.Marker], chars: int = 110) -> str:
    """The figure's note and its key of numbered events, wrapped."""
    parts = [fig.note] if fig.note else []
    if placed:
        parts.append("Events: " + mk.key_text(placed) + ".")
    return "\n".join(textwrap.fill(p, chars) for p in parts)


def save(mfig: Any, path: Path, fmt: str | None = None) -> Path:
    """Save a matplotlib figure as PNG (300 dpi), SVG or PDF; the format from ``fmt`` or the
    path's suffix. Written to a temporary name, then renamed."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in style.FORMATS:
        raise ValueError(f"format {fmt!r}: allowed: {', '.join(style.FORMATS)}")
    if path.suffix.lstrip(".").lower() != fmt:
        path = (
            path.with_name(path.name + "." + fmt)
            if path.suffix == ""
            else path.with_suffix("." + fmt)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        mfig.savefig(tmp, format=fmt, dpi=style.PNG_DPI, metadata=_metadata(fmt))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _metadata(fmt: str) -> dict[str, Any]:
    # Reproducible files: no creation date in SVG and PDF.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


def save_figure(fig: Figure, folder: Path, fmt: str = "png", width: str | float = "page") -> Path:
    """Save one figure spec as ``folder/<key>.<fmt>``."""
    return save(to_matplotlib(fig, width=width), Path(folder) / f"{fig.key}.{fmt}", fmt)

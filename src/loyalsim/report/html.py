"""``loyalsim report``: one self-contained, offline HTML file for a run or a sweep directory.

plotly.js is inlined once, so the file opens without a network; every figure is interactive
(zoom, hover, toggle traces). The resolved scenario, the manifest (seed, version, hash) and
the provenance of the model are embedded. The file is written under a temporary name and
renamed into place, so an interrupted report never leaves a partial file at ``out``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly.io as pio

from loyalsim.report import maps, tables
from loyalsim.report.figspec import Figure
from loyalsim.report.markers import events_of_run, key_text
from loyalsim.report.render_mpl import save_figure
from loyalsim.report.render_plotly import placed_markers, to_plotly
from loyalsim.report.runfigs import GAP, run_figures
from loyalsim.store.rundir import MANIFEST, SCENARIO, read_run

# Called as figures are drawn: (done, total, what).
ReportProgress = Callable[[int, int, str], None]

PROVENANCE = (
    "loyalsim simulates a synthetic population; nobody in it exists, and it reports aggregates "
    "only. Its mechanisms follow claims of informant-based news reports (February 2026 and "
    "December 2025), whose figures are anecdotes rather than statistics, and published models "
    "(Epstein 2002; Centola, Willer & Macy 2005; Granovetter 1978; Kuran 1991). Defaults "
    "marked 'assumption' in the model documentation are meant to be varied."
)
MARKER_NOTE = (
    "Vertical lines mark dated events (legend: campaign orders, anniversaries and congresses, "
    "amnesties); their numbers, above each plot, are named under it."
)


class ReportInputError(ValueError):
    """The source is not a run or sweep directory, or ``out`` cannot be written."""


def _focus(scenario: dict[str, Any]) -> str | None:
    for order in scenario.get("enforcement", {}).get("orders", []):
        named = [p for p in order.get("provinces", []) if p != "*"]
        if named:
            return f"province:{named[0]}"
    return None


FACTS = ("model", "run_id", "seed", "loyalsim_version", "scenario_hash", "sweep_hash", "created")


def facts(meta: dict[str, Any]) -> str:
    """The identifying facts of a run or sweep, as one line at the top of the report."""
    shown = [(k, str(meta[k])) for k in FACTS if meta.get(k) not in (None, "")]
    return " · ".join(
        f"<b>{html.escape(k)}</b> {html.escape(v[:16] if k.endswith('hash') else v)}"
        for k, v in shown
    )


def is_run_dir(path: Path) -> bool:
    return (path / MANIFEST).is_file() and (path / SCENARIO).is_file()


def map_figure(table: Any, target: str | None, per_capita: bool = True) -> Figure | None:
    """The province map: the display-belief gap first, every other metric in a menu."""
    have_m, have_g = tables.present(table)
    if not any(g.startswith("province:") for g in have_g):
        return None
    layers = {}
    for metric in sorted(have_m - {tables.SIZE_METRIC}):
        values = maps.metric_by_province(table, metric, per_capita)
        if values:
            scaled = per_capita and tables.scales(metric)
            layers[metric] = (
                f"{tables.metric_name(metric)} ({tables.unit(metric, scaled)})",
                values,
            )
    if not layers:
        return None
    first = GAP if GAP in layers else next(iter(layers))
    label, values = layers.pop(first)
    layers = {first: (label, values), **layers}
    province = target.split(":", 1)[1] if target else None
    fig = maps.province_map(
        values, label, province, f"By province, last quarter of the run: {label}", layers
    )
    fig.note += " Choose the metric in the menu."
    return fig


def run_report(
    path: Path, per_capita: bool = True
) -> tuple[str, list[Figure], dict[str, Any], str]:
    """Title, figures, metadata and scenario text of a run directory."""
    table, manifest = read_run(path)
    text = (path / SCENARIO).read_text("utf-8")
    focus = _focus(tomllib.loads(text))
    figures = run_figures(table, events_of_run(path), focus, per_capita)
    province_map = map_figure(table, focus, per_capita)
    if province_map is not None:
        figures.append(province_map)
    title = f"loyalsim run: {manifest.get('scenario_name', path.name)} (seed {manifest['seed']})"
    return title, figures, manifest, text


def sweep_report(
    path: Path, progress: ReportProgress | None = None, per_capita: bool = True
) -> tuple[str, list[Figure], dict[str, Any], str, str]:
    """Title, figures, metadata, sweep file text and the table of design points."""
    from loyalsim.report.sweepfigs import sweep_figures

    figures, meta, points = sweep_figures(path, progress, per_capita)
    text = (path / "sweep.toml").read_text("utf-8") if (path / "sweep.toml").exists() else ""
    return f"loyalsim sweep: {meta.get('name', path.name)}", figures, meta, text, points


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def check_out(out: Path) -> Path:
    """Refuse a directory as the output file."""
    out = Path(out)
    if out.is_dir():
        raise ReportInputError(f"--out {str(out)!r} is a directory; give a file name (report.html)")
    return out


def build_report(
    source: Path,
    out: Path,
    figure_dir: Path | None = None,
    fmt: str = "png",
    per_capita: bool = True,
    progress: ReportProgress | None = None,
) -> Path:
    """Write the HTML report of a run or sweep directory (temporary file, then renamed).

    ``figure_dir`` also receives each figure as ``<key>.<fmt>`` (png, svg or pdf)."""
    source, out = Path(source), check_out(out)
    points = ""
    if (source / "calibration.json").is_file() or (source / "discovery.json").is_file():
        from loyalsim.report.analysis_page import build_analysis_report

        return build_analysis_report(source, out)
    if is_run_dir(source):
        title, figures, meta, text = run_report(source, per_capita)
    elif (source / "sweep.json").is_file():
        title, figures, meta, text, points = sweep_report(source, progress, per_capita)
    else:
        raise ReportInputError(
            f"{str(source)!r} is neither a run directory (manifest.json, scenario.toml) "
            "nor a sweep directory (sweep.json)"
        )
    parts = [_section(fig) for fig in figures]
    contents = "".join(f"<li><a href='#{f.key}'>{html.escape(f.title)}</a></li>" for f in figures)
    page = TEMPLATE.format(
        title=html.escape(title),
        plotly=_plotly_js(),
        figures="\n".join(parts),
        points=points,
        contents=contents,
        facts=facts(meta),
        markers=MARKER_NOTE if any(f.markers for f in figures) else "",
        provenance=html.escape(PROVENANCE),
        meta=html.escape(json.dumps(meta, indent=2, default=str)),
        scenario=html.escape(text),
        n=len(figures),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    write_atomic(out, page)
    if figure_dir is not None:
        for fig in figures:
            save_figure(fig, Path(figure_dir), fmt)
    return out


def _section(fig: Figure) -> str:
    body = pio.to_html(
        to_plotly(fig),
        full_html=False,
        include_plotlyjs=False,
        div_id=f"fig-{fig.key}",
        config={"displaylogo": False},
    )
    notes = [fig.note] if fig.note else []
    placed = placed_markers(fig)
    if placed:
        notes.append("Events: " + key_text(placed) + ".")
    note = "".join(f"<p class='note'>{html.escape(n)}</p>" for n in notes)
    return f"<section class='figure' id='{fig.key}' data-key='{fig.key}'>{body}{note}</section>"


def write_atomic(out: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``out`` and rename it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>{plotly}</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
section.figure {{ margin: 1.5em 0; border-top: 1px solid #ddd; padding-top: 0.5em; }}
.note {{ color: #555; font-size: 0.9em; }}
.facts {{ font-size: 0.9em; }}
table.points {{ border-collapse: collapse; font-size: 0.85em; }}
table.points td, table.points th {{ border-bottom: 1px solid #eee; padding: 2px 8px;
  text-align: right; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.8em; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="facts">{facts} (full manifest and scenario <a href="#manifest">below</a>)</p>
<p class="note">{provenance}</p>
<p class="note">{n} figures. Generated {created}. Drag to zoom, double-click to reset, click a
legend entry to hide it. {markers}</p>
<nav><ol>{contents}</ol></nav>
{figures}
{points}
<h2>Metadata (manifest)</h2>
<pre id="manifest">{meta}</pre>
<details><summary>Resolved scenario</summary><pre id="scenario">{scenario}</pre></details>
</body></html>
"""

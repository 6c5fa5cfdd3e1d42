"""``loyalsim report``: one self-contained, offline HTML file for a run or a sweep directory.

plotly.js is inlined once, so the file opens without a network; every figure is interactive
(zoom, hover, toggle traces). The resolved scenario, the manifest (seed, version, hash) and
the provenance of the model are embedded.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import tomllib
from pathlib import Path
from typing import Any

import plotly.io as pio

from loyalsim.report.figspec import Figure, run_figures
from loyalsim.report.render import MARKER_NOTE, save_png, to_plotly
from loyalsim.store.rundir import MANIFEST, SCENARIO, read_run

PROVENANCE = (
    "loyalsim simulates a synthetic population; nobody in it exists, and it reports aggregates "
    "only. Its mechanisms follow claims of informant-based news reports (February 2026 and "
    "December 2025), whose figures are anecdotes rather than statistics, and published models "
    "(Epstein 2002; Centola, Willer & Macy 2005; Granovetter 1978; Kuran 1991). Defaults "
    "marked 'assumption' in the model documentation are meant to be varied."
)


def markers_from_scenario(scenario: dict[str, Any]) -> list[tuple[str, dt.date, str]]:
    """Orders, calendar events and amnesties of a resolved scenario, for vertical lines."""
    marks: list[tuple[str, dt.date, str]] = []
    for order in scenario.get("enforcement", {}).get("orders", []):
        marks.append((order.get("name", "order"), order["start"], "order"))
    for event in scenario.get("calendar", {}).get("events", []):
        if event.get("weight", 0) >= 0.5:  # the big ones only; small holidays clutter
            marks.append((event["name"], event["date"], "calendar"))
    amnesty = scenario.get("amnesty", {})
    if amnesty.get("enabled"):
        for event in amnesty.get("events", []):
            marks.append((event.get("name", "amnesty"), event["date"], "amnesty"))
    return marks


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


def run_report(path: Path) -> tuple[str, list[Figure], dict[str, Any], str]:
    """Title, figures, metadata and scenario text of a run directory."""
    table, manifest = read_run(path)
    text = (path / SCENARIO).read_text("utf-8")
    scenario = tomllib.loads(text)
    figures = run_figures(table, markers_from_scenario(scenario), _focus(scenario))
    title = f"loyalsim run: {manifest.get('scenario_name', path.name)} (seed {manifest['seed']})"
    return title, figures, manifest, text


def sweep_report(path: Path, max_points: int = 8) -> tuple[str, list[Figure], dict[str, Any], str]:
    """Title, figures, metadata and sweep file text of a sweep directory."""
    from loyalsim.report.sweepfigs import sweep_figures

    figures, meta = sweep_figures(path, max_points)
    text = (path / "sweep.toml").read_text("utf-8") if (path / "sweep.toml").exists() else ""
    return f"loyalsim sweep: {meta.get('name', path.name)}", figures, meta, text


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def build_report(source: Path, out: Path, png_dir: Path | None = None) -> Path:
    """Write the HTML report of a run or sweep directory (written, then renamed)."""
    source = Path(source)
    if (source / "calibration.json").is_file() or (source / "discovery.json").is_file():
        from loyalsim.report.analysis_page import build_analysis_report  # issue 12

        return build_analysis_report(source, out)
    if is_run_dir(source):
        title, figures, meta, text = run_report(source)
    elif (source / "sweep.json").is_file():
        title, figures, meta, text = sweep_report(source)
    else:
        raise FileNotFoundError(
            f"{str(source)!r} is neither a run directory (manifest.json, scenario.toml) "
            "nor a sweep directory (sweep.json)"
        )
    parts = []
    for fig in figures:
        body = pio.to_html(
            to_plotly(fig),
            full_html=False,
            include_plotlyjs=False,
            div_id=f"fig-{fig.key}",
            config={"displaylogo": False},
        )
        note = f"<p class='note'>{html.escape(fig.note)}</p>" if fig.note else ""
        parts.append(
            f"<section class='figure' id='{fig.key}' data-key='{fig.key}'>{body}{note}</section>"
        )
    contents = "".join(f"<li><a href='#{f.key}'>{html.escape(f.title)}</a></li>" for f in figures)
    page = TEMPLATE.format(
        title=html.escape(title),
        plotly=_plotly_js(),
        figures="\n".join(parts),
        contents=contents,
        facts=facts(meta),
        markers=MARKER_NOTE if any(f.markers for f in figures) else "",
        provenance=html.escape(PROVENANCE),
        meta=html.escape(json.dumps(meta, indent=2, default=str)),
        scenario=html.escape(text),
        n=len(figures),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    tmp.write_text(page, "utf-8")
    tmp.replace(out)
    if png_dir is not None:
        for fig in figures:
            save_png(fig, Path(png_dir))
    return out


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>{plotly}</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
section.figure {{ margin: 1.5em 0; border-top: 1px solid #ddd; padding-top: 0.5em; }}
.note {{ color: #555; font-size: 0.9em; }}
.facts {{ font-size: 0.9em; }}
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
<h2>Metadata (manifest)</h2>
<pre id="manifest">{meta}</pre>
<details><summary>Resolved scenario</summary><pre id="scenario">{scenario}</pre></details>
</body></html>
"""

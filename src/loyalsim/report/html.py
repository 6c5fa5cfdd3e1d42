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
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim.report.figspec import Figure, Trace, band_figure, run_figures
from loyalsim.report.render import save_png, to_plotly
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
    from loyalsim.report.sensitivity import analyze
    from loyalsim.report.sweep_stats import Outcome
    from loyalsim.store.results import open_results

    with open_results(path) as res:
        meta = res.metadata
        keep = meta.get("keep", {}).get("metrics") or ["display_gap"]
        points = list(range(min(int(meta.get("n_points", 1)), max_points)))
        figures: list[Figure] = []
        for metric in keep[:6]:
            rows = res.table(
                'SELECT t.step, t.value, t.metric, t."group", r.point_index FROM timeseries t '
                f"JOIN runs r USING (run_id) WHERE t.metric = '{metric}' AND t.\"group\" = 'all' "
                f"AND r.point_index < {len(points)}"
            )
            fig = band_figure(
                rows,
                metric,
                "all",
                "point_index",
                f"{metric}: replicates by design point (group all)",
            )
            if fig is not None:
                figures.append(fig)
        if meta.get("design", {}).get("kind") in ("sobol", "morris"):
            for metric in keep[:3]:
                try:
                    kind, indices = analyze(res, Outcome(metric))
                except ValueError:
                    continue
                names = [i.name for i in indices]
                figures.append(
                    Figure(
                        f"sensitivity_{metric}",
                        f"{kind} indices of {metric} at the last step",
                        "bars",
                        [
                            Trace(
                                "first order" if kind == "sobol" else "mu*",
                                names,
                                [i.first for i in indices],
                            ),
                            Trace(
                                "total" if kind == "sobol" else "sigma",
                                names,
                                [i.second for i in indices],
                            ),
                        ],
                    )
                )
    text = (path / "sweep.toml").read_text("utf-8") if (path / "sweep.toml").exists() else ""
    return f"loyalsim sweep: {meta.get('name', path.name)}", figures, meta, text


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def build_report(source: Path, out: Path, png_dir: Path | None = None) -> Path:
    """Write the HTML report of a run or sweep directory (written, then renamed)."""
    source = Path(source)
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
        parts.append(f"<section class='figure' data-key='{fig.key}'>{body}{note}</section>")
    page = TEMPLATE.format(
        title=html.escape(title),
        plotly=_plotly_js(),
        figures="\n".join(parts),
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


def report_table(path: Path) -> pa.Table:
    """The tidy table behind a run report (for tests and notebooks)."""
    table, _ = read_run(path)
    return table.filter(pc.is_valid(table["value"]))


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>{plotly}</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
section.figure {{ margin: 1.5em 0; border-top: 1px solid #ddd; padding-top: 0.5em; }}
.note {{ color: #555; font-size: 0.9em; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.8em; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="note">{provenance}</p>
<p class="note">{n} figures. Generated {created}. Drag to zoom, double-click to reset, click a
legend entry to hide it.</p>
{figures}
<h2>Run metadata</h2>
<pre id="manifest">{meta}</pre>
<details><summary>Resolved scenario</summary><pre id="scenario">{scenario}</pre></details>
</body></html>
"""

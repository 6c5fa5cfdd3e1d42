"""``loyalsim report`` for a calibration or a discovery directory: one offline HTML file.

Same conventions as run and sweep reports: plotly inlined once, the input file and the
metadata embedded, provenance stated; tables first, then the interactive figures.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

import plotly.io as pio

from loyalsim.store import analysis_dirs as files

PROVENANCE = (
    "loyalsim simulates a synthetic population; nobody in it exists, and it reports aggregates "
    "only. Reported facts used as calibration targets come from informant-based news reports "
    "whose figures are anecdotes rather than statistics: a posterior says which parameter "
    "values reproduce them at the stated tolerances, not that the facts are established, and "
    "a discovery describes the model's behaviour over the ranges a sweep assumed."
)


def table_html(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """An HTML table of ``rows`` with (key, heading) columns; numbers shown to 4 digits."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.4g}"
        return html.escape("" if value is None else str(value))

    head = "".join(f"<th>{html.escape(h)}</th>" for _, h in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(r.get(k))}</td>" for k, _ in columns) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure_html(key: str, title: str, figure: Any, note: str) -> str:
    figure.update_layout(title=title, template="plotly_white")
    body = pio.to_html(
        figure,
        full_html=False,
        include_plotlyjs=False,
        div_id=f"fig-{key}",
        config={"displaylogo": False},
    )
    return (
        f"<section class='figure' id='{key}' data-key='{key}'>{body}"
        f"<p class='note'>{html.escape(note)}</p></section>"
    )


def build_analysis_report(source: Path, out: Path) -> Path:
    """Write the HTML report of a calibration or discovery directory (written, renamed)."""
    from plotly.offline import get_plotlyjs

    source = Path(source)
    if files.is_calibration_dir(source):
        from loyalsim.report.calibration_page import calibration_sections

        title, tables, figures, meta, text = calibration_sections(source)
    elif files.is_discovery_dir(source):
        from loyalsim.report.discovery import discovery_sections

        title, tables, figures, meta, text = discovery_sections(source)
    else:
        raise FileNotFoundError(
            f"{str(source)!r} is neither a calibration nor a discovery directory"
        )
    parts = [_figure_html(*f) for f in figures]
    contents = "".join(f"<li><a href='#{f[0]}'>{html.escape(f[1])}</a></li>" for f in figures)
    page = TEMPLATE.format(
        title=html.escape(title),
        plotly=get_plotlyjs(),
        tables=tables,
        figures="\n".join(parts),
        contents=contents,
        provenance=html.escape(PROVENANCE),
        meta=html.escape(json.dumps(meta, indent=2, default=str)),
        text=html.escape(text),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    tmp.write_text(page, "utf-8")
    tmp.replace(out)
    return out


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>{plotly}</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
section.figure {{ margin: 1.5em 0; border-top: 1px solid #ddd; padding-top: 0.5em; }}
.note {{ color: #555; font-size: 0.9em; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.5em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.8em; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="note">{provenance}</p>
<p class="note">Generated {created}. Drag to zoom, double-click to reset.</p>
{tables}
<nav><ol>{contents}</ol></nav>
{figures}
<h2>Metadata</h2>
<pre id="manifest">{meta}</pre>
<details><summary>Input file</summary><pre id="input">{text}</pre></details>
</body></html>
"""

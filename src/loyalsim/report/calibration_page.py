"""The calibration report's tables and figures, assembled for ``analysis_page``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loyalsim.report.analysis_page import table_html
from loyalsim.report.calibration import (
    calibration_figures,
    parameter_summary,
    predictive_summary,
    read_calibration,
)
from loyalsim.store import analysis_dirs as files


def calibration_sections(
    folder: Path,
) -> tuple[str, str, list[tuple[str, str, Any, str]], dict[str, Any], str]:
    """Title, tables (HTML), figures, metadata and target file text of a calibration."""
    data = read_calibration(folder)
    gens = data.generations.to_pylist()
    last = gens[-1]
    params = table_html(
        parameter_summary(data),
        [
            ("path", "parameter"),
            ("prior", "prior"),
            ("low", "prior low"),
            ("high", "prior high"),
            ("median", "posterior median"),
            ("q05", "5 %"),
            ("q95", "95 %"),
        ],
    )
    checks = table_html(
        predictive_summary(data),
        [
            ("key", "target"),
            ("observed", "observed"),
            ("low", "accepted from"),
            ("high", "to"),
            ("median", "predicted median"),
            ("q05", "5 %"),
            ("q95", "95 %"),
            ("inside", "share of draws inside"),
            ("source", "source"),
        ],
    )
    tables = (
        f"<p>{len(gens)} generations; the last accepted {last['accepted']} of "
        f"{last['evaluated']} candidates at tolerance {last['epsilon']:.4g} (1 = every target "
        "within its tolerance).</p><h2>Posterior</h2>" + params + "<h2>Posterior predictive "
        "checks</h2>" + checks
    )
    text = (Path(folder) / files.TARGETS_TOML).read_text("utf-8")
    title = f"loyalsim calibration: {data.meta.get('name', Path(folder).name)}"
    return title, tables, calibration_figures(data), data.meta, text

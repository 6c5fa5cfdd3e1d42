"""Regenerate the figures of the documentation's gallery (docs/images/gallery/*.png).

Runs the default scenario and its counterfactual at a small population, and a small sweep,
in a temporary folder, then draws each figure with `loyalsim.plot`:

    python scripts/gallery.py            # about a minute on 2 cores

Each figure's caption is in docs/images/gallery/captions.toml; the site build fails when a
captioned image is missing or an image has no caption.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import loyalsim.plot as lp
from loyalsim.experiment.single import write_config_run
from loyalsim.scenario.io import load

GALLERY = Path(__file__).resolve().parents[1] / "docs" / "images" / "gallery"
POPULATION = 30_000
SEED = 1
SH = "province:South Hamgyong"

SWEEP = """
name = "gallery"
base = "default"
seed = 20260202
replicates = 4
[set]
"population.n_people" = 5000
"time.start" = 2025-11-03
"time.n_steps" = 26
[axes]
"enforcement.case_prob" = [0.1, 0.3, 1.0]
[design]
kind = "full_factorial"
[keep]
metrics = ["display_gap"]
groups = ["all", "province:South Hamgyong"]
"""


def figures(work: Path) -> dict[str, Callable[[], Any]]:
    """File name -> a function drawing that figure from runs written under ``work``."""
    default = write_config_run(load("default", population=POPULATION), work / "default", SEED)[0]
    none = write_config_run(load("no-campaign", population=POPULATION), work / "none", SEED)[0]
    sweep_file = work / "sweep.toml"
    sweep_file.write_text(SWEEP, "utf-8")
    subprocess.run(
        [sys.executable, "-m", "loyalsim", "sweep", str(sweep_file), "--out", str(work / "sweep")],
        check=True,
        capture_output=True,
    )
    return {
        "display-and-loyalty.png": lambda: lp.timeseries(
            default, ["display_public", "loyalty_private"], ["all", SH]
        ),
        "campaign-vs-counterfactual.png": lambda: lp.compare(
            none,
            default,
            ["display_public", "loyalty_private"],
            group=SH,
            labels=("no-campaign", "default"),
        ),
        "gap-by-age.png": lambda: lp.gap_over_time(default, by="age"),
        "gap-by-province.png": lambda: lp.gap_over_time(default, by="province"),
        "gap-by-group.png": lambda: lp.gap_by_group(default),
        "enforcement.png": lambda: lp.enforcement(default),
        "amnesty.png": lambda: lp.amnesty(default),
        "sweep-bands.png": lambda: lp.bands(work / "sweep", "display_gap", group=SH),
    }


def main() -> None:
    """Draw every figure into the gallery folder."""
    GALLERY.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="loyalsim-gallery-") as tmp:
        for name, draw in figures(Path(tmp)).items():
            draw().savefig(GALLERY / name, dpi=110, bbox_inches="tight")
            print(GALLERY / name)


if __name__ == "__main__":
    main()

"""Calibration and discovery directories: their file names and metadata.

A calibration directory (``loyalsim calibrate``)::

    DIR/targets.toml          the target file as given
    DIR/calibration.json      metadata: name, hash of the target file, parameters, targets
    DIR/history.db            the ABC-SMC history (SQLite, written by pyabc): resume point
    DIR/generations.parquet   one row per generation: tolerance, acceptance rate, ...
    DIR/particles.parquet     every generation's accepted particles (weights, values)
    DIR/posterior.parquet     the last generation's particles: the posterior sample
    DIR/predictive.parquet    posterior predictive draws: each target's statistic
    DIR/calibrated.toml       a scenario extending the base with the posterior medians
    DIR/posterior-sweep.toml  the posterior sample as a sweep design (replicate runs)

A discovery directory (``loyalsim discover``)::

    DIR/discovery.json        the outcome, the sweep it came from, the chosen box, the tree
    DIR/cases.parquet         one row per run: its parameter values and the outcome
    DIR/trajectory.parquet    PRIM's peeling trajectory
    DIR/boxes.parquet         the boxes found, one row per box and restricted parameter
    DIR/tree.txt              the classification tree's rules
    DIR/tradeoff.png, box.png figures

This module only names files and reads metadata, so reports read these directories
without importing the code that writes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TARGETS_TOML = "targets.toml"
CALIBRATION_JSON = "calibration.json"
HISTORY_DB = "history.db"
GENERATIONS = "generations.parquet"
PARTICLES = "particles.parquet"
POSTERIOR = "posterior.parquet"
PREDICTIVE = "predictive.parquet"
CALIBRATED_TOML = "calibrated.toml"
POSTERIOR_SWEEP = "posterior-sweep.toml"

DISCOVERY_JSON = "discovery.json"
CASES = "cases.parquet"
TRAJECTORY = "trajectory.parquet"
BOXES = "boxes.parquet"
TREE_TXT = "tree.txt"
TRADEOFF_PNG = "tradeoff.png"
BOX_PNG = "box.png"


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return data if isinstance(data, dict) else None


def read_calibration_meta(folder: Path) -> dict[str, Any] | None:
    """The ``calibration.json`` of a calibration directory, or None."""
    return _read_json(Path(folder) / CALIBRATION_JSON)


def read_discovery_meta(folder: Path) -> dict[str, Any] | None:
    """The ``discovery.json`` of a discovery directory, or None."""
    return _read_json(Path(folder) / DISCOVERY_JSON)


def is_calibration_dir(folder: Path) -> bool:
    return (Path(folder) / CALIBRATION_JSON).is_file()


def is_discovery_dir(folder: Path) -> bool:
    return (Path(folder) / DISCOVERY_JSON).is_file()

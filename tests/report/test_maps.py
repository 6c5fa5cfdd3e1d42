"""Province maps: tiles at their places, any metric, the target outlined, other names handled."""

from __future__ import annotations

import json
import math
from pathlib import Path

from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

import loyalsim.plot as lp
from loyalsim.report import maps
from loyalsim.scenario.io import load
from loyalsim.store.rundir import read_run

DEFAULT = [p.name for p in load("default").population.provinces]


def test_the_default_provinces_have_distinct_tiles_in_rough_geography() -> None:
    tiles = maps.tile_layout(DEFAULT)
    assert set(tiles) == set(DEFAULT) and len(set(tiles.values())) == len(DEFAULT)
    row = {p: tiles[p][1] for p in DEFAULT}
    col = {p: tiles[p][0] for p in DEFAULT}
    assert row["North Hamgyong"] < row["South Hamgyong"] < row["Kangwon"]
    assert row["Pyongyang"] < row["South Hwanghae"]
    assert col["North Pyongan"] < col["South Hamgyong"] < col["North Hamgyong"] < col["Rason"]


def test_other_province_names_are_laid_out_in_order() -> None:
    names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
    tiles = maps.tile_layout(names)
    assert list(tiles) == names
    assert [tiles[n] for n in names] == [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)]
    fig = lp.province_map({n: k for k, n in enumerate(names)}, target="Gamma")
    assert fig.axes


def test_map_figure_from_values_outlines_the_target() -> None:
    values = {p: float(k) for k, p in enumerate(DEFAULT)}
    fig = lp.province_map(values, "accused", target="South Hamgyong")
    ax = fig.axes[0]
    patches = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(patches) == len(DEFAULT)
    outlined = [p for p in patches if to_hex(p.get_edgecolor()) == "#d55e00"]
    assert len(outlined) == 1
    texts = {t.get_text().split("\n")[0] for t in ax.texts}
    assert "S. Hamgyong" in texts and "Rason" in texts


def test_explorer_entry_point_gives_plotly_json() -> None:
    values = {p: float(k) for k, p in enumerate(DEFAULT)}
    spec = json.loads(maps.province_map_json(values, "Display-belief gap", "South Hamgyong"))
    tiles = [t for t in spec["data"] if t.get("fill") == "toself"]
    assert len(tiles) == len(DEFAULT)
    target = [t for t in tiles if "(target)" in t["text"]]
    assert len(target) == 1 and target[0]["text"].startswith("South Hamgyong")
    colours = {t["fillcolor"] for t in tiles}
    assert len(colours) > 5  # the values are told apart


def test_metric_by_province_is_the_tail_mean_per_1000(run_dir: Path) -> None:
    table, _ = read_run(run_dir)
    values = maps.metric_by_province(table, "accused")
    assert set(values) == set(DEFAULT)
    assert values["South Hamgyong"] > 0 and values["Pyongyang"] == 0
    raw = maps.metric_by_province(table, "accused", per_capita=False)
    sizes = maps.metric_by_province(table, "n_people", per_capita=False)
    expected = raw["South Hamgyong"] / sizes["South Hamgyong"] * 1000
    assert math.isclose(values["South Hamgyong"], expected, rel_tol=1e-9)

"""Exact expectations for the civil-violence rules: arrest probability, vision, jail terms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from loyalsim.models.civil_violence.kernels import (
    EMPTY,
    FIND_EMPTY,
    JAIL_CONTINUOUS,
    JAIL_INT_EXCLUSIVE,
    JAIL_INT_INCLUSIVE,
    QUIET,
    RULE_EXACT,
    RULE_FLOOR,
    RULE_ROUND,
    arrest_probability,
    build_packed,
    count_vision_basic,
    find_nth,
    jail_term,
)
from loyalsim.scenario.schemas.civil_violence import (
    CivilViolenceConfig,
    load_preset,
    neighbourhood_halfwidths,
)

K = 2.3


@pytest.mark.parametrize(
    ("cops", "actives", "rounded"),
    [(1, 2, 0), (3, 2, 2), (5, 2, 2), (7, 2, 4), (1, 3, 0), (2, 3, 1), (0, 1, 0), (4, 1, 4)],
)
def test_round_rule_is_half_to_even_like_python(cops, actives, rounded):
    assert rounded == round(cops / actives)
    expected = 1 - math.exp(-K * rounded)
    assert arrest_probability(K, cops, actives, RULE_ROUND) == pytest.approx(expected)


@pytest.mark.parametrize(("cops", "actives"), [(1, 2), (3, 2), (5, 3), (0, 4), (9, 4)])
def test_floor_and_exact_rules(cops, actives):
    floor_p = arrest_probability(K, cops, actives, RULE_FLOOR)
    exact_p = arrest_probability(K, cops, actives, RULE_EXACT)
    assert floor_p == pytest.approx(1 - math.exp(-K * (cops // actives)))
    assert exact_p == pytest.approx(1 - math.exp(-K * cops / actives))


def test_one_cop_one_active_gives_about_ninety_percent():
    assert arrest_probability(K, 1, 1, RULE_EXACT) == pytest.approx(0.9, abs=0.001)


def _vision_size(shape: str, radius: float) -> int:
    half = neighbourhood_halfwidths(shape, radius)
    return sum(2 * w + 1 for w in half) - 1  # the own cell is not part of the vision


@pytest.mark.parametrize(
    ("shape", "radius", "cells"),
    [
        ("von_neumann", 7, 112),
        ("von_neumann", 1, 4),
        ("moore", 1, 8),
        ("moore", 7, 224),
        ("euclidean", 1.7, 8),
        ("euclidean", 1.0, 4),
        ("euclidean", 7.0, 148),
    ],
)
def test_neighbourhood_sizes(shape, radius, cells):
    assert _vision_size(shape, radius) == cells


@pytest.mark.parametrize("cell", [0, 19, 20 * 7 + 3, 20 * 20 - 1, 20 * 19])
def test_scan_counts_every_cell_of_the_wrapped_diamond_once(cell):
    width = height = 20
    half = np.array(neighbourhood_halfwidths("von_neumann", 7), np.int64)
    grid = np.full(width * height, EMPTY, np.int8)
    grid[cell] = QUIET  # the scanning agent itself
    packed = build_packed(grid, width, height, 7)
    rowsum = np.zeros(half.shape[0], np.int64)
    _, _, n_empty = count_vision_basic(packed, width, height, cell, half, rowsum)
    assert n_empty == 112
    found = {find_nth(grid, packed, width, height, cell, half, FIND_EMPTY, i) for i in range(112)}
    assert len(found) == 112 and cell not in found and -1 not in found
    y0, x0 = divmod(cell, width)
    for c in found:
        y, x = divmod(c, width)
        dy = min(abs(y - y0), height - abs(y - y0))
        dx = min(abs(x - x0), width - abs(x - x0))
        assert dx + dy <= 7


@pytest.mark.parametrize("u", [0.0, 0.3, 0.999999])
def test_jail_terms_within_bounds(u):
    assert 0 <= jail_term(u, 30.0, JAIL_CONTINUOUS) < 30
    integer_excl = jail_term(u, 30.0, JAIL_INT_EXCLUSIVE)
    assert integer_excl == int(integer_excl) and 0 <= integer_excl <= 29
    integer_incl = jail_term(u, 1000.0, JAIL_INT_INCLUSIVE)
    assert integer_incl == int(integer_incl) and 0 <= integer_incl <= 1000
    assert jail_term(u, math.inf, JAIL_CONTINUOUS) == math.inf


def test_inclusive_draw_reaches_jmax():
    assert jail_term(0.9999999, 1000.0, JAIL_INT_INCLUSIVE) == 1000


def test_mesa_preset_matches_mesa_defaults():
    config = load_preset("civil-violence-mesa")
    assert (config.grid.citizen_density, config.grid.cop_density) == (0.7, 0.074)
    assert config.citizens.legitimacy == 0.8
    assert config.cops.max_jail_term == 1000
    assert config.citizens.arrest_rule == "round"
    assert config.schedule.neighbourhood == "von_neumann"
    assert config.cops.jail_placement == "stay"
    assert config.grid.placement == "independent"


@pytest.mark.parametrize("run", [*range(1, 9), "mesa"])
def test_presets_validate(run):
    name = f"civil-violence-run{run}" if run != "mesa" else "civil-violence-mesa"
    config = load_preset(name)
    assert config.model == "civil_violence" and config.name == name and config.description


def test_unknown_keys_and_impossible_settings_are_refused():
    with pytest.raises(ValueError):
        CivilViolenceConfig.model_validate({"grid": {"colour": "red"}})
    with pytest.raises(ValueError):
        CivilViolenceConfig.model_validate({"grid": {"citizen_density": 0.9, "cop_density": 0.2}})
    with pytest.raises(ValueError):
        CivilViolenceConfig.model_validate({"grid": {"width": 10}, "citizens": {"vision": 7}})
    with pytest.raises(ValueError):
        CivilViolenceConfig.model_validate(
            {"cops": {"moves_to_arrestee": True, "jail_placement": "stay"}}
        )

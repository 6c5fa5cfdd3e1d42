"""Sweep files are checked before anything runs: exit 2 and a message naming the field."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from loyalsim import catalogue
from loyalsim.cli import app
from loyalsim.experiment.specs import plan_from_file, plan_from_text, spawn_seed
from loyalsim.scenario.io import ScenarioError
from tests.experiment.helpers import TINY, tiny_sweep

runner = CliRunner()

BAD = [
    # (replace this, with that, a piece the message must contain)
    ('"lapses.base_logit" = {', '"lapses.no_such_knob" = {', "axes.lapses.no_such_knob"),
    ("min = -3.0", "min = -30.0", "axes.lapses.base_logit.min = -30.0"),
    ('kind = "full_factorial"', 'kind = "grid"', "design.kind"),
    ("seed = 3", "seed = -1", "seed = -1"),
    ("replicates = 2", "replicates = 0", "replicates = 0"),
    ('"time.n_steps" = 12', '"time.n_steps" = 0', "time.n_steps = 0"),
    ('"time.n_steps" = 12', '"time.n_weeks" = 12', "time.n_weeks"),
    ("[0.2, 0.8]", "[0.2, 1.8]", "axes.enforcement.case_prob[1] = 1.8"),
    ("[0.2, 0.8]", "{ min = 0.2, max = 0.8 }", "axes.enforcement.case_prob.levels"),
    ('"lapses.base_logit" = {', '"time.start" = {', "axes.time.start"),
    ("[keep]", 'colour = "red"\n[keep]', "colour: unknown key"),
    # [keep] names only what runs record, listing what is allowed
    ('"display_gap", "accused"', '"display_gap", "no_such_metric"', "keep.metrics[1]: unknown"),
    ('"display_gap", "accused"', '"display_gap", "no_such_metric"', "allowed: display_public"),
    ('"all", "age:16-30"', '"all", "province:Atlantis"', "keep.groups[1]: unknown group"),
    ('"all", "age:16-30"', '"all", "province:Atlantis"', "province:South Hamgyong"),
    # strict types and finite numbers
    ("seed = 3", 'seed = "3"', 'seed = "3": Input should be a valid integer'),
    ("replicates = 2", "replicates = true", "replicates = true"),
    ("levels = 2 }", "levels = 2.0 }", "axes.lapses.base_logit.levels = 2.0"),
    ("min = -3.0", "min = nan", "axes.lapses.base_logit.min = nan: not a finite number"),
    ("[0.2, 0.8]", "[0.2, -inf]", "axes.enforcement.case_prob[1] = -inf: not a finite"),
    ('"population.n_people" = 2000', '"population.n_people" = inf', "set.population.n_people"),
    ('name = "tiny"', f'name = "{"x" * 300}"', "name = "),
    # sizes beyond the documented bounds, refused before any design is drawn
    ("replicates = 2", "replicates = 100001", "replicates = 100001"),
    (
        'kind = "full_factorial"',
        'kind = "latin_hypercube"\nsamples = 10000000',
        "20,000,000 runs; at most 10,000,000 runs per sweep",
    ),
    (
        'kind = "full_factorial"',
        'kind = "sobol"\nsamples = 4194304',
        "design.samples: a sobol design of 4194304 samples has 16,777,216 points",
    ),
    ("[0.2, 0.8]", str([0.5] * 10_001), "axes.enforcement.case_prob: 10001 values; at most"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD, ids=[b[2][:40] for b in BAD])
def test_bad_sweep_file_exits_2_naming_the_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = tiny_sweep(tmp_path)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    out = tmp_path / "out"
    result = runner.invoke(app, ["sweep", str(path), "--out", str(out), "--executor", "serial"])
    assert result.exit_code == 2, result.output
    assert expected in " ".join(result.output.split())
    assert not out.exists(), "nothing is written for a bad sweep file"


def test_sobol_needs_a_power_of_two() -> None:
    text = TINY.format(name="s", seed=1, replicates=1, levels=2).replace(
        'kind = "full_factorial"', 'kind = "sobol"\nsamples = 12'
    )
    with pytest.raises(ScenarioError, match=r"design.samples = 12: .*power of two"):
        plan_from_text(text, "test")


def test_run_seeds_are_spawned_children_of_the_root() -> None:
    children = np.random.SeedSequence(99).spawn(5)
    for index, child in enumerate(children):
        expected = int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
        assert spawn_seed(99, index) == expected


def test_run_ids_are_unique_stable_and_in_design_order(tmp_path: Path) -> None:
    plan = plan_from_file(tiny_sweep(tmp_path, replicates=3, levels=3))
    specs = list(plan.specs())
    assert [s.run_index for s in specs] == list(range(plan.n_runs)) == list(range(18))
    assert len({s.run_id for s in specs}) == len(specs)
    assert len({s.seed for s in specs}) == len(specs)
    assert [s.run_id for s in plan_from_file(tmp_path / "tiny.toml").specs()] == [
        s.run_id for s in specs
    ]
    first = specs[:3]
    assert {s.point_index for s in first} == {0} and [s.replicate for s in first] == [0, 1, 2]
    assert dict(first[0].values) == {"lapses.base_logit": -3.0, "enforcement.case_prob": 0.2}


@pytest.mark.parametrize("kind", ["latin_hypercube", "sobol", "morris"])
def test_sampled_designs_stay_within_the_ranges(kind: str) -> None:
    text = TINY.format(name="s", seed=1, replicates=1, levels=2)
    text = text.replace('kind = "full_factorial"', f'kind = "{kind}"\nsamples = 8')
    text = text.replace(", levels = 2", "")
    plan = plan_from_text(text, "test")
    n_axes = 2
    expected = {"latin_hypercube": 8, "sobol": 8 * (n_axes + 2), "morris": 8 * (n_axes + 1)}
    assert plan.n_points == expected[kind]
    for point in range(plan.n_points):
        values = plan.point_values(point)
        assert -3.0 <= values["lapses.base_logit"] <= -1.5
        assert values["enforcement.case_prob"] in (0.2, 0.8)


@pytest.mark.parametrize("name", ["sweep-small", "sweep-sobol"])
def test_shipped_sweep_examples_are_valid(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / f"{name}.toml"
    plan = plan_from_file(path)
    assert plan.n_runs == {"sweep-small": 36, "sweep-sobol": 3584}[name]


def _factorial(axes: dict[str, int]) -> str:
    lines = [f'"{path}" = {{ min = 0.1, max = 0.2, levels = {n} }}' for path, n in axes.items()]
    return "seed = 1\n[axes]\n" + "\n".join(lines) + '\n[design]\nkind = "full_factorial"\n'


def test_huge_full_factorials_are_refused_from_the_counts_alone() -> None:
    paths = [f"p{i}.x" for i in range(6)]  # never resolved: the size is refused first
    with pytest.raises(ScenarioError, match=r"^axes: 6 axes of 1000 x .* make 1,000,000,000,"):
        plan_from_text(_factorial(dict.fromkeys(paths, 1000)), "test")
    text = _factorial({"lapses.base_logit": 1000, "lapses.detect_base": 1000, "sessions.x": 11})
    with pytest.raises(ScenarioError, match="11,000,000 points; at most 10,000,000"):
        plan_from_text(text, "test")


def test_design_entries_are_bounded_too() -> None:
    text = _factorial(dict.fromkeys([f"p{i}.x" for i in range(4)], 1)).replace(", levels = 1", "")
    text = text.replace('kind = "full_factorial"', 'kind = "morris"\nsamples = 2000000')
    with pytest.raises(ScenarioError, match=r"= 40,000,000 design entries; at most 10,000,000"):
        plan_from_text(text, "test")


def test_full_factorial_points_come_in_product_order() -> None:
    text = TINY.format(name="s", seed=1, replicates=1, levels=3)
    plan = plan_from_text(text, "test")
    assert plan.samples.tolist() == [[a, b] for a in (-3.0, -2.25, -1.5) for b in (0.0, 1.0)]


AMNESTY_OFF = '"time.n_steps" = 12\n"amnesty.enabled" = false'


@pytest.mark.parametrize(
    ("keep", "expected"),
    [
        ('metrics = ["inmates"]', "keep.metrics[0]: unknown metric 'inmates'"),
        ('groups = ["hh:soldier_family"]', "keep.groups[0]: unknown group 'hh:soldier_family'"),
    ],
)
def test_amnesty_observables_need_the_amnesty(keep: str, expected: str) -> None:
    text = TINY.format(name="s", seed=1, replicates=1, levels=2)
    text = text.replace('"time.n_steps" = 12', AMNESTY_OFF)
    text = text.split("[keep]")[0] + f"[keep]\n{keep}\n"
    with pytest.raises(ScenarioError, match=re.escape(expected)) as refused:
        plan_from_text(text, "test")
    assert "recorded only with amnesty.enabled = true" in str(refused.value)
    with_amnesty = text.replace(AMNESTY_OFF, '"time.n_steps" = 12')
    assert plan_from_text(with_amnesty, "test").n_runs == 4
    switched_by_an_axis = text.replace("[design]", '"amnesty.enabled" = [false, true]\n[design]')
    assert plan_from_text(switched_by_an_axis, "test").n_runs == 8


def test_keep_checks_other_models_against_their_own_catalogue() -> None:
    text = """
seed = 1
base = "granovetter-normal"
[axes]
"crowd.spread" = [10.0, 12.5]
[design]
kind = "full_factorial"
[keep]
metrics = ["display_gap"]
groups = ["all", "private:opposed"]
"""
    with pytest.raises(ScenarioError, match=r"keep.metrics\[0\]: unknown metric 'display_gap'"):
        plan_from_text(text, "test")
    fine = text.replace('"display_gap"', '"' + catalogue.names("thresholds")[0] + '"')
    assert plan_from_text(fine, "test").n_runs == 2
    with pytest.raises(ScenarioError, match=r"keep.groups\[0\]: unknown group 'age:16-30'"):
        plan_from_text(fine.replace('"all", "private:opposed"', '"age:16-30"'), "test")


@pytest.mark.parametrize("depth", [20, 1500])
def test_deeply_nested_values_exit_2(tmp_path: Path, depth: int) -> None:
    path = tiny_sweep(tmp_path)
    nested = "[" * depth + "1" + "]" * depth
    path.write_text(path.read_text().replace("= 2000", f"= {nested}", 1))
    out = tmp_path / "out"
    result = runner.invoke(app, ["sweep", str(path), "--out", str(out), "--executor", "serial"])
    assert result.exit_code == 2, result.output
    assert "nested" in result.output and "16 levels" in result.output
    if depth == 20:
        assert "set.population.n_people" in result.output
    assert not out.exists()

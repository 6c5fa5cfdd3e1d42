"""Sweep files are checked before anything runs: exit 2 and a message naming the field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

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
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD)
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
    assert expected in result.output.replace("\n", " ") or expected in result.output
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

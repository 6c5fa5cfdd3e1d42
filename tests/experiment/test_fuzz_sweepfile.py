"""Fuzzed sweep files: every bad field is refused with exit 2, named, and nothing is written.

Hypothesis starts from a valid tiny sweep and breaks one field at a time: a wrong type, a
number that is not finite, a size beyond its bound, an unknown key, a name nothing
records, nesting deeper than allowed. The command runs in this process (typer's runner);
any exception other than the exit would show up as a non-2 exit code.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from loyalsim import catalogue
from loyalsim.cli import app
from loyalsim.scenario.io import load

runner = CliRunner()

VALID: dict[str, Any] = {
    "name": "fuzz",
    "base": "default",
    "seed": 3,
    "replicates": 1,
    "set": {"population.n_people": 2000, "time.n_steps": 4},
    "axes": {
        "lapses.base_logit": {"min": -3.0, "max": -1.5, "levels": 2},
        "enforcement.case_prob": [0.2, 0.8],
    },
    "design": {"kind": "full_factorial"},
    "keep": {"metrics": ["display_gap"], "groups": ["all"]},
}

VALID_GROUPS = set(
    catalogue.loyalty_groups([p.name for p in load("default").population.provinces], True)
)
non_finite = st.sampled_from([math.nan, math.inf, -math.inf])
text = st.text(max_size=30)
nested = st.integers(17, 60).map(lambda depth: _nest(depth))


def _nest(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _not_a_kind(value: str) -> bool:
    return value not in ("full_factorial", "latin_hypercube", "sobol", "morris")


def _unknown_metric(value: str) -> bool:
    return value not in catalogue.METRICS


def _unknown_group(value: str) -> bool:
    return value not in VALID_GROUPS


def _not_int() -> st.SearchStrategy[Any]:
    return st.one_of(text, st.booleans(), st.floats(), st.lists(st.integers(), max_size=3))


# (dotted path as it must appear in the message, where to put the value, strategy)
FIELDS: list[tuple[str, tuple[str | int, ...], st.SearchStrategy[Any]]] = [
    ("seed", ("seed",), st.one_of(_not_int(), st.integers(max_value=-1), st.integers(2**63))),
    ("replicates", ("replicates",), st.one_of(_not_int(), st.integers(max_value=0))),
    ("replicates", ("replicates",), st.integers(100_001, 10**30)),
    ("name", ("name",), st.one_of(st.integers(), st.booleans(), st.just(""), st.just("n" * 201))),
    ("description", ("description",), st.one_of(st.integers(), st.floats(), st.booleans())),
    ("base", ("base",), st.one_of(st.integers(), st.floats(), st.booleans(), st.just(""))),
    ("design.kind", ("design", "kind"), st.one_of(st.integers(), text.filter(_not_a_kind))),
    ("design.samples", ("design", "samples"), st.one_of(_not_int(), st.integers(10**7 + 1))),
    ("design.second_order", ("design", "second_order"), st.one_of(st.integers(), text)),
    (
        "axes.lapses.base_logit.min",
        ("axes", "lapses.base_logit", "min"),
        st.one_of(text, st.booleans(), non_finite),
    ),
    (
        "axes.lapses.base_logit.levels",
        ("axes", "lapses.base_logit", "levels"),
        st.one_of(_not_int(), st.integers(max_value=1), st.integers(1001, 10**12)),
    ),
    ("axes.enforcement.case_prob[1]", ("axes", "enforcement.case_prob", 1), non_finite),
    ("set.population.n_people", ("set", "population.n_people"), st.one_of(non_finite, nested)),
    ("keep.metrics", ("keep", "metrics"), st.one_of(st.integers(), text, st.just([]))),
    ("keep.metrics[0]", ("keep", "metrics", 0), st.one_of(st.integers(), st.floats())),
    ("keep.groups[0]", ("keep", "groups", 0), text.filter(_unknown_group)),
]


def _put(data: dict[str, Any], where: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value


@st.composite
def broken_sweeps(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid sweep with one field broken, and the dotted field the message must name."""
    data = copy.deepcopy(VALID)
    kind = draw(st.sampled_from(["field", "unknown_key", "unknown_metric"]))
    if kind == "field":
        field, where, values = draw(st.sampled_from(FIELDS))
        _put(data, where, draw(values))
        return data, field
    if kind == "unknown_metric":
        name = draw(text.filter(_unknown_metric))
        data["keep"]["metrics"] = ["display_gap", name]
        return data, "keep.metrics[1]"
    table = draw(st.sampled_from([(), ("design",), ("keep",), ("axes", "lapses.base_logit")]))
    key = draw(st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True).filter(_unknown_key(table)))
    node: Any = data
    for part in table:
        node = node[part]
    node[key] = 1
    return data, ".".join([*table, key])


def _unknown_key(table: tuple[str, ...]) -> Any:
    known = {
        (): set(VALID) | {"description"},
        ("design",): {"kind", "samples", "levels", "second_order"},
        ("keep",): {"metrics", "groups"},
        ("axes", "lapses.base_logit"): {"min", "max", "levels"},
    }[table]
    return lambda key: key not in known


def test_the_unbroken_sweep_is_valid(tmp_path: Path) -> None:
    """The starting point passes, so every refusal below is the broken field's doing."""
    from loyalsim.experiment.specs import plan_from_text

    assert plan_from_text(tomli_w.dumps(VALID), "valid").n_runs == 4


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=broken_sweeps())
def test_broken_sweep_files_exit_2_naming_the_field(
    tmp_path: Path, case: tuple[dict[str, Any], str]
) -> None:
    data, field = case
    path = tmp_path / "fuzz.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["sweep", str(path), "--out", str(out), "--executor", "serial"])
    output = result.output
    assert result.exit_code == 2, (field, output, result.exception)
    assert field in output, (field, output)
    assert "Traceback" not in output
    assert not out.exists(), "nothing is written for a bad sweep file"

"""Fuzzed scenario files and ``--set`` values: exit 2, the dotted field named, nothing written.

Each example writes one scenario file (valid TOML that is wrong for the schema) into a fresh
folder, runs ``loyalsim check`` on it (``run`` for a few), and asserts: exit code 2, the
offending dotted path in the message, no traceback, no new file in that folder or in the
temporary directory.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tomli_w
import typer
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loyalsim.cli import app
from loyalsim.scenario.fields import param_info
from loyalsim.scenario.io import known_paths, load
from loyalsim.scenario.limits import DATE_MAX, DATE_MIN, MAX_NESTING
from loyalsim.scenario.paths import field_at, keys_of
from loyalsim.scenario.schemas.loyalty import Scenario

runner = CliRunner()
COMMAND = typer.main.get_command(app)  # built once: typer's runner rebuilds it every call
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _leaf_paths() -> dict[str, tuple[type, dict[str, Any]]]:
    """Parameters reachable by TOML keys (no list index): path -> (type, bounds)."""
    out = {}
    for path in sorted(known_paths(load("default"))):
        parts = path.split(".")
        if any(p.isdigit() for p in parts):
            continue
        found = field_at(Scenario, parts)
        assert found is not None
        owner, name = found
        out[path] = (owner.model_fields[name].annotation, param_info(owner, name))
    return out


LEAVES = _leaf_paths()
NUMERIC = sorted(p for p, (ann, _) in LEAVES.items() if ann in (int, float))
BOUNDED = sorted(p for p in NUMERIC if "le" in LEAVES[p][1])
TABLES = sorted({p.rsplit(".", 1)[0] for p in LEAVES if "." in p})


def _nest(path: str, value: Any) -> dict[str, Any]:
    out: Any = value
    for part in reversed(path.split(".")):
        out = {part: out}
    return dict(out)


@contextmanager
def _sandbox() -> Iterator[Path]:
    """A fresh folder, and the temporary directory pointed at an empty folder of its own."""
    with tempfile.TemporaryDirectory() as outer:
        folder, tmp = Path(outer) / "work", Path(outer) / "tmp"
        folder.mkdir()
        tmp.mkdir()
        saved = tempfile.tempdir
        tempfile.tempdir = str(tmp)
        try:
            yield folder
        finally:
            tempfile.tempdir = saved
        assert list(tmp.iterdir()) == [], "something was written to the temporary directory"


def _refused(text: str, field: str, command: str = "check", extra: list[str] | None = None) -> str:
    with _sandbox() as folder:
        path = folder / "s.toml"
        path.write_text(text, "utf-8")
        args = [command, str(path), *(extra or [])]
        if command == "run":
            args += ["--out", str(folder / "out")]
        result = runner.invoke(COMMAND, args, catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert field in result.output, (field, result.output)
        assert "Traceback" not in result.output
        assert [p.name for p in folder.iterdir()] == ["s.toml"]
        return result.output


def _file(path: str, value: Any, extends: str = "default") -> str:
    return f'extends = "{extends}"\n' + tomli_w.dumps(_nest(path, value))


wrong_for_number = st.one_of(
    st.booleans(),
    st.text(alphabet="0123456789.-e", min_size=1, max_size=6),  # numbers written as text
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3),
    st.dates(),
)


@FUZZ
@given(path=st.sampled_from(NUMERIC), value=wrong_for_number)
def test_wrong_types_and_non_finite_numbers(path: str, value: Any) -> None:
    _refused(_file(path, value), path)


@FUZZ
@given(path=st.sampled_from(BOUNDED), data=st.data())
def test_sizes_above_the_bound(path: str, data: st.DataObject) -> None:
    ann, info = LEAVES[path]
    low = math.floor(info["le"]) + 1
    value = data.draw(
        st.integers(low, 2**63 - 1)
        if ann is int
        else st.floats(low, 1e300, allow_nan=False, allow_infinity=False)
    )
    _refused(_file(path, value), path)


@FUZZ
@given(path=st.sampled_from(NUMERIC), depth=st.integers(MAX_NESTING, 3000))
def test_deep_nesting(path: str, depth: int) -> None:
    key = path.rsplit(".", 1)
    text = f'extends = "default"\n[{key[0]}]\n{key[1]} = ' + "[" * depth + "]" * depth + "\n"
    _refused(text, path)


identifier = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


@FUZZ
@given(table=st.sampled_from(["", *TABLES]), key=identifier, value=st.integers())
def test_unknown_keys(table: str, key: str, value: int) -> None:
    assume(key not in keys_of(Scenario, table.split(".") if table else []) and key != "extends")
    path = f"{table}.{key}" if table else key
    output = _refused(_file(path, value), path)
    assert "valid keys:" in output


date_paths = ["time.start", "economy.points", "enforcement.orders"]


@FUZZ
@given(
    date=st.dates().filter(lambda d: not DATE_MIN <= d <= DATE_MAX),
    where=st.sampled_from(date_paths),
)
def test_dates_out_of_range(date: dt.date, where: str) -> None:
    if where == "time.start":
        text, field = _file("time.start", date), "time.start"
    elif where == "economy.points":
        text = _file("economy.points", [{"date": date, "pressure": 0.5}])
        field = "economy.points.0.date"
    else:
        text = _file("enforcement.orders.append", [{"start": date}])
        field = "enforcement.orders.3.start"
    _refused(text, field)


bad_extends = st.one_of(
    st.builds(lambda p: "/" + p, identifier),
    st.builds(lambda p: f"/{p}.toml", identifier),
    st.builds(lambda p: f"../{p}.toml", identifier),
    st.builds(lambda p: f"a/../../{p}.toml", identifier),
    st.builds(lambda p: f"{p}.txt", identifier),
    st.builds(lambda p: f"sub/{p}.ini", identifier),
    identifier.filter(lambda n: n not in {"default", "kuran", "no-campaign"}),
)


@FUZZ
@given(extends=bad_extends)
def test_bad_extends(extends: str) -> None:
    _refused(f'extends = "{extends}"\n', "extends")


control_text = st.builds(
    lambda a, c, b: f"{a}{c}{b}",
    st.text(alphabet="0123456789.abc", max_size=5),
    st.sampled_from(["\n", "\r", "\t", "\x00", "\x1b", "\x7f"]),
    st.text(alphabet="0123456789. =abc", max_size=12),
)


@FUZZ
@given(path=st.sampled_from(NUMERIC), value=control_text)
def test_set_values_with_control_characters(path: str, value: str) -> None:
    _refused('extends = "default"\n', path, extra=["--set", f"{path}={value}"])


@FUZZ
@given(path=st.sampled_from(NUMERIC), value=wrong_for_number)
def test_set_values_of_the_wrong_type(path: str, value: Any) -> None:
    text = tomli_w.dumps({"v": value}).split("=", 1)[1].strip()
    _refused('extends = "default"\n', path, extra=["--set", f"{path}={text}"])


@settings(max_examples=2, deadline=None)
@given(path=st.sampled_from(NUMERIC), value=st.sampled_from([math.nan, True, "0.05"]))
def test_run_refuses_before_writing(path: str, value: Any) -> None:
    _refused(_file(path, value), path, command="run")

"""The parameter tables of the model document show the defaults the schemas really give."""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from typing import Any

import pytest
from pydantic import BaseModel

from loyalsim.scenario.doc_tables import all_tables
from loyalsim.scenario.schemas import ROOTS, root_schema
from loyalsim.scenario.schemas.loyalty import Scenario

ROW = re.compile(r"^\| `(?P<path>[^`]+)` \| (?P<default>.*?) \| ")


def _actual(model: str, path: str) -> tuple[bool, Any]:
    """(required, default) of a dotted table path, read from an instance of the root schema
    (for items of lists of sections: from the item class, what an item gets by omission)."""
    node: Any = root_schema(model)()
    section: type[BaseModel] = type(node)
    parts = path.split(".")
    for k, part in enumerate(parts):
        name = part.removesuffix("[]")
        field = section.model_fields[name]
        last = k == len(parts) - 1
        if node is None:  # inside a list item: the declared default
            if last:
                if field.is_required():
                    return True, None
                return False, field.get_default(call_default_factory=True)
            section = _section_class(field.annotation)
            continue
        value = getattr(node, name)
        if last:
            return False, value
        section = _section_class(field.annotation)
        node = None if part.endswith("[]") else value
    raise AssertionError(path)


def _section_class(annotation: Any) -> type[BaseModel]:
    args = getattr(annotation, "__args__", None) or (annotation,)
    return next(a for a in args if isinstance(a, type) and issubclass(a, BaseModel))


def _plain(value: Any) -> Any:
    """A default as TOML reads it back: sections as dicts without unset (None) values."""
    if isinstance(value, BaseModel):
        return {k: _plain(v) for k, v in value if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _same(cell: Any, actual: Any) -> bool:
    if isinstance(actual, float) and math.isinf(actual):
        return cell == actual
    if isinstance(actual, bool) or isinstance(cell, bool):
        return cell is actual
    if isinstance(actual, dict):
        return cell.keys() == actual.keys() and all(_same(cell[k], actual[k]) for k in actual)
    if isinstance(actual, list):
        return len(cell) == len(actual) and all(map(_same, cell, actual))
    if isinstance(actual, int | float):
        return isinstance(cell, int | float) and cell == actual  # exact, not approximate
    if isinstance(actual, dt.date):
        return cell == actual
    return cell == actual and type(cell) is type(actual)


@pytest.mark.parametrize("model", list(ROOTS))
def test_every_table_default_is_the_schemas_own(model: str) -> None:
    rows = _model_rows(model)
    assert len(rows) > 5
    for path, cell in rows.items():
        required, actual = _actual(model, path)
        if required:
            assert cell == "required", path
        elif actual is None:
            assert cell == "-", path
        else:
            try:
                value = tomllib.loads(f"v = {cell}")["v"]
            except tomllib.TOMLDecodeError:
                pytest.fail(f"{path}: the default {cell!r} is not a TOML value")
            assert _same(value, _plain(actual)), f"{path}: table {cell}, schema {actual!r}"


def _model_rows(model: str) -> dict[str, str]:
    """The rows of one model's tables (the tables are in the order of ROOTS)."""
    text = all_tables()
    starts = sorted(text.index(f"### Model `{m}`") for m in ROOTS)
    start = text.index(f"### Model `{model}`")
    end = next((s for s in starts if s > start), len(text))
    rows = {}
    for line in text[start:end].splitlines():
        match = ROW.match(line)
        if match:
            rows[match["path"]] = match["default"]
    return rows


def test_defaults_made_by_factories_are_shown_per_instance() -> None:
    """The faults the tables used to have: every offence category showed the class default
    (base rate 1e-05, severity 0.3) and lists showed "required"."""
    rows = _model_rows("loyalty")
    schema_default = Scenario().offences.ordinary.base_rate
    assert rows["offences.ordinary.base_rate"] == f"{schema_default:g}" != "1e-05"
    assert rows["offences.border_crossing.severity"] == "0.9"
    assert rows["population.venue_shares"] == "[0.7, 0.2, 0.1]"
    assert rows["amnesty.excluded"] == '["large_smuggling", "foreign_contact", "border_crossing"]'
    assert rows["enforcement.orders[].provinces"] == '["*"]'
    assert rows["population.provinces"].startswith('[{name = "Pyongyang", share = 0.1383}, ')
    assert rows["calendar.holidays"] == "[]" and rows["calendar.holidays[].date"] == "required"

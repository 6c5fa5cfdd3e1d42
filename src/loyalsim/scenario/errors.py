"""Error messages for scenarios: the dotted field, the value given and what is allowed.

One line per problem. Unknown keys get the nearest valid key ("did you mean") and the list of
valid keys of that table; type errors state the field's bounds.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from loyalsim.scenario.fields import param_info
from loyalsim.scenario.paths import Part, field_at, keys_of


class ScenarioError(ValueError):
    """A scenario, preset, override or sweep file that cannot be accepted."""


# pydantic's wording for type errors, said in terms of the TOML a user writes.
_TYPE_MESSAGES = {
    "int_type": "must be a whole number (no quotes, no decimal point)",
    "float_type": "must be a number (no quotes; true and false are not numbers)",
    "finite_number": "must be a finite number; NaN and infinity are not allowed",
    "bool_type": "must be true or false (no quotes)",
    "string_type": "must be text in quotes",
    "list_type": "must be a list [...]",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "date_type": "must be a date YYYY-MM-DD",
}
MAX_SHOWN = 80


def show_value(value: Any) -> str:
    """A value as it appears in a message: JSON-like, long values cut."""
    if isinstance(value, dict):
        return "{...}"
    text = json.dumps(value, default=str, ensure_ascii=False)
    if len(text) > MAX_SHOWN:
        return f"{text[: MAX_SHOWN - 10]}… ({len(text)} characters)"
    return text


def dotted(parts: Iterable[Part]) -> str:
    """``('orders', 0, 'start')`` as ``orders.0.start``."""
    return ".".join(str(p) for p in parts)


def suggest(word: str, valid: Sequence[str]) -> str:
    """ "did you mean 'x'? " for the nearest valid word, or nothing."""
    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=0.7)
    return f"did you mean {close[0]!r}? " if close else ""


def unknown_key(parts: Sequence[Part], valid: Sequence[str]) -> str:
    """The message for a key that its table does not declare."""
    key, parent = str(parts[-1]), dotted(parts[:-1])
    where = f"[{parent}]" if parent else "the top level"
    listed = ", ".join(sorted(valid)) if valid else "none"
    hint = suggest(key, valid)
    return f"{dotted(parts)}: unknown key {key!r} in {where}; {hint}valid keys: {listed}"


def bounds_text(info: dict[str, Any]) -> str:
    """``1 <= value <= 5200`` from a field's bounds, or an empty string."""
    low = f"{info['ge']} <= " if "ge" in info else f"{info['gt']} < " if "gt" in info else ""
    high = f" <= {info['le']}" if "le" in info else f" < {info['lt']}" if "lt" in info else ""
    return f"{low}value{high}" if low or high else ""


def _message(err: Any, schema: type[BaseModel] | None) -> str:
    kind = err["type"]
    msg = _TYPE_MESSAGES.get(kind, err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind in _TYPE_MESSAGES and schema is not None:
        found = field_at(schema, err["loc"])
        if found is not None:
            allowed = bounds_text(param_info(*found))
            if allowed:
                msg = f"{msg}; allowed: {allowed}"
    return msg


def format_validation_error(
    exc: ValidationError, data: dict[str, Any], schema: type[BaseModel] | None = None
) -> str:
    """One line per problem: dotted path, the value given, and what is allowed.

    With ``schema``, unknown keys get suggestions and type errors state the bounds.
    """
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            valid = keys_of(schema, loc[:-1]) if schema is not None else []
            if valid:
                lines.append(unknown_key(loc, valid))
            else:
                parent = dotted(loc[:-1])
                lines.append(f"{dotted(loc)}: unknown key{f' in {parent}' if parent else ''}")
            continue
        msg = _message(err, schema)
        value = err.get("input")
        if not loc:
            lines.append(msg)  # a check across fields: its message names them
        elif isinstance(value, dict):
            lines.append(f"{dotted(loc)}: {msg}")
        else:
            lines.append(f"{dotted(loc)} = {show_value(value)}: {msg}")
    return "\n".join(lines)

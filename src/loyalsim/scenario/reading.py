"""Reading scenario text safely: size and nesting bounded before the TOML parser runs."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from loyalsim.scenario.errors import ScenarioError, dotted
from loyalsim.scenario.limits import MAX_FILE_BYTES, MAX_NESTING


def check_nesting(value: Any, path: tuple[str | int, ...] = (), depth: int = 0) -> None:
    """Refuse values nested more than ``MAX_NESTING`` tables or lists deep."""
    if not isinstance(value, dict | list):
        return
    if depth >= MAX_NESTING:
        where = dotted(path) or "the file"
        raise ScenarioError(
            f"{where}: nested more than {MAX_NESTING} tables or lists deep; "
            "no scenario field needs that"
        )
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        check_nesting(item, (*path, key), depth + 1)


def _skip_string(text: str, i: int) -> int:
    """The index just after the TOML string that starts at ``i``."""
    for quote in ('"""', "'''", '"', "'"):
        if text.startswith(quote, i):
            break
    j = i + len(quote)
    while j < len(text):
        if quote[0] == '"' and text[j] == "\\":
            j += 2
            continue
        if text.startswith(quote, j):
            return j + len(quote)
        if len(quote) == 1 and text[j] == "\n":
            return j  # an unterminated string: the parser will say so
        j += 1
    return j


def too_deep(text: str) -> str | None:
    """Where ``text`` nests arrays or inline tables deeper than ``MAX_NESTING``, if anywhere.

    A light scan before parsing: the parser recurses once per level, so a document of
    thousands of ``[`` would exhaust the interpreter's stack. Returns the dotted key whose
    value is too deep (table header plus key), or None.
    """
    depth, i, table, key, line_start = 0, 0, "", "", True
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            line_start = False
            continue
        if c == "#":
            i = text.find("\n", i)
            i = len(text) if i < 0 else i
            continue
        if c == "\n":
            line_start = depth == 0
        elif depth == 0 and line_start and c == "[":  # a table header
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            table = text[i:end].split("#")[0].strip().strip("[]").strip()
            i = end
            continue
        elif depth == 0 and c == "=":
            key = text[text.rfind("\n", 0, i) + 1 : i].strip()
        elif c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return ".".join(p for p in (table, key) if p) or "the file"
        elif c in "]}":
            depth = max(depth - 1, 0)
        if not c.isspace() and c != "\n":
            line_start = False
        i += 1
    return None


def parse_toml(text: str, origin: str) -> dict[str, Any]:
    """Parse scenario TOML, refusing oversized or too deeply nested documents."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{origin}: {len(text)} characters; allowed: at most {MAX_FILE_BYTES} in a scenario"
        )
    where = too_deep(text)
    if where is not None:
        raise ScenarioError(
            f"{where}: nested more than {MAX_NESTING} tables or lists deep "
            f"(in {origin}); no scenario field needs that"
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from exc
    except RecursionError:  # the parser recurses once per nested array or inline table
        raise ScenarioError(
            f"{origin}: not valid TOML for loyalsim: nested more than {MAX_NESTING} deep"
        ) from None
    check_nesting(data)
    return data


def read_file(path: Path) -> str:
    """The text of a scenario file; ScenarioError if it is missing, huge or unreadable."""
    if not path.is_file():
        raise ScenarioError(f"scenario file {str(path)!r} does not exist")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                f"scenario file {str(path)!r}: larger than {MAX_FILE_BYTES} bytes; "
                "a scenario file is at most 1 MiB"
            )
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read scenario file {str(path)!r}: {exc}") from exc

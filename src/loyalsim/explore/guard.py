"""What every request to the explorer must pass before it is answered.

The explorer runs simulations on the user's machine, so other web pages open in the same
browser must not be able to drive it, and no request may make it read files or hold
unbounded memory:

- ``Host`` must name the address the server is bound to, with its port (this defeats DNS
  rebinding: a foreign name that resolves to 127.0.0.1 is refused);
- ``Origin``, when the browser sends one, must be the page's own origin;
- the API and the page need the per-session token printed in the address that
  ``loyalsim explore`` shows (a header, ``X-Loyalsim-Token``, or ``?token=``);
- a POST must declare ``Content-Type: application/json`` and a ``Content-Length`` of at
  most ``MAX_BODY`` bytes (no chunked bodies); its body must be UTF-8 JSON nested at most
  ``MAX_DEPTH`` deep, without NaN or infinities.

A failed check raises ``Refused`` with a 4xx status and a message; the server answers it as
``{"error": message}``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import math
import re
import secrets
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

MAX_BODY = 1 << 16
MAX_DEPTH = 8
TOKEN_HEADER = "X-Loyalsim-Token"
TOKEN_QUERY = "token"
JSON_TYPE = "application/json"
STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")
DIGITS = re.compile(r"\d+")


class Refused(Exception):
    """A request the explorer will not serve: a 4xx status and a message naming why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def new_token() -> str:
    """A random per-session token (192 bits)."""
    return secrets.token_urlsafe(24)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


@dataclass(frozen=True)
class Address:
    """Where the server listens: the names a ``Host`` header may use, and the port."""

    names: frozenset[str]
    port: int
    any_ip: bool = False  # bound to every interface: any address literal is this server

    @classmethod
    def bound(cls, asked: str, bound: str, port: int) -> Address:
        """The address of a server started with ``--host asked`` and bound to ``bound``."""
        names = {asked.lower().strip("[]"), bound.lower()}
        if any(_is_loopback(n) for n in names):
            names |= {"localhost", "127.0.0.1", "::1"}
        return cls(frozenset(names), port, any(_is_wildcard(n) for n in names))

    def url_host(self, host: str) -> str:
        return f"[{host}]" if ":" in host else host


def split_host(value: str) -> tuple[str, int]:
    """Name and port of a ``Host`` header (port 80 when omitted); ``Refused`` if malformed."""
    text = value.strip().lower()
    match = re.fullmatch(r"\[([0-9a-f:.]+)\](?::(\d{1,5}))?|([a-z0-9.\-]+)(?::(\d{1,5}))?", text)
    if match is None:
        raise Refused(400, f"Host {value[:80]!r} is not a host name with a port")
    name = match.group(1) or match.group(3)
    port = match.group(2) or match.group(4)
    return name, int(port) if port else 80


def check_host(value: str | None, address: Address) -> str:
    """The ``Host`` header, if it names this server; ``Refused`` otherwise."""
    if not value:
        raise Refused(400, "the request has no Host header")
    name, port = split_host(value)
    literal = True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        literal = False
    known = name in address.names or (address.any_ip and literal)
    if not known or port != address.port:
        allowed = ", ".join(f"{address.url_host(n)}:{address.port}" for n in sorted(address.names))
        raise Refused(403, f"Host {value[:80]!r} is not this server; allowed: {allowed}")
    return value.strip().lower()


def check_origin(origin: str | None, host: str) -> None:
    """Refuse a request sent from any page but the explorer's own (when an Origin is given)."""
    if origin is None:
        return
    own = split_host(host)
    try:
        parts = urlsplit(origin.strip().lower())
        given = (parts.hostname or "", parts.port or 80)
        same = parts.scheme == "http" and given == own and parts.path in ("", "/")
    except ValueError:
        same = False
    if not same:
        raise Refused(
            403, f"Origin {origin[:80]!r} is not this page's; requests from other sites are refused"
        )


def check_token(given: str | None, expected: str) -> None:
    """Refuse a request without the session's token."""
    if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Refused(
            403,
            "missing or wrong token: open the address printed by `loyalsim explore` "
            "(it ends in ?token=...)",
        )


def body_length(headers: Message) -> int:
    """The declared body length, if it is one non-negative number within ``MAX_BODY``."""
    if headers.get("Transfer-Encoding") is not None:
        raise Refused(411, "chunked bodies are not accepted: send a Content-Length")
    values = headers.get_all("Content-Length") or []
    if not values:
        return 0
    if len(values) > 1:
        raise Refused(400, "more than one Content-Length header")
    text = values[0].strip()
    if not DIGITS.fullmatch(text):
        raise Refused(400, f"Content-Length {values[0][:40]!r} is not a non-negative whole number")
    if len(text) > 9 or int(text) > MAX_BODY:  # too large to be worth converting in full
        raise Refused(413, f"Content-Length {text[:20]}: allowed: at most {MAX_BODY} bytes")
    return int(text)


def check_json_type(content_type: str | None) -> None:
    """Refuse a POST whose body is not declared as JSON (forms and text/plain included)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media != JSON_TYPE:
        raise Refused(415, f"Content-Type {(content_type or '')[:80]!r}: must be {JSON_TYPE}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed (numbers must be finite)")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is not allowed (numbers must be finite)")
    return value


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON text (brackets inside strings ignored)."""
    depth = deepest = 0
    for bracket in BRACKETS.findall(STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(body: bytes) -> Any:
    """The JSON value of a body (``{}`` when empty); ``Refused`` (400) when it is not one."""
    if not body.strip():
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"the body is not UTF-8 (byte {exc.start})") from None
    if nesting_depth(text) > MAX_DEPTH:
        raise Refused(400, f"the body nests arrays or objects deeper than {MAX_DEPTH}")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise Refused(
            400, f"the body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise Refused(400, f"the body is not acceptable JSON: {exc}") from None

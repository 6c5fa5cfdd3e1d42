"""The page's files, shipped in ``static/``: the HTML (with the session token), script, style."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from importlib import resources

# The page runs only its own scripts and talks only to its own server; it may not be framed.
# plotly sets inline styles, so inline styles (not scripts) are allowed.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    ),
    "X-Frame-Options": "DENY",
}


@cache
def _file(name: str) -> bytes:
    return (resources.files("loyalsim.explore") / "static" / name).read_bytes()


@cache
def _plotly() -> bytes:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode()


def page(token: str) -> bytes:
    """The page, carrying the session token for its API calls."""
    text = _file("index.html").decode("utf-8")
    return text.replace("{{TOKEN}}", html.escape(token, quote=True)).encode("utf-8")


STATIC: dict[str, tuple[str, Callable[[], bytes]]] = {
    "/plotly.js": ("text/javascript; charset=utf-8", _plotly),
    "/static/app.js": ("text/javascript; charset=utf-8", lambda: _file("app.js")),
    "/static/plots.js": ("text/javascript; charset=utf-8", lambda: _file("plots.js")),
    "/static/orders.js": ("text/javascript; charset=utf-8", lambda: _file("orders.js")),
    "/static/style.css": ("text/css; charset=utf-8", lambda: _file("style.css")),
}

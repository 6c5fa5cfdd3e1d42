"""Talking to a test explorer byte for byte, so tests control every header and the body."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from loyalsim.explore.server import ExplorerServer, serve_in_thread


@dataclass
class Answer:
    """A complete HTTP response as read off the socket."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@contextmanager
def explorer() -> Iterator[ExplorerServer]:
    """A server on a free local port, shut down and cleaned up afterwards."""
    server, _ = serve_in_thread()
    try:
        yield server
    finally:
        server.shutdown()
        server.close()


def host_of(server: ExplorerServer) -> str:
    return f"127.0.0.1:{server.address.port}"


def exchange(
    server: ExplorerServer, data: bytes, timeout: float = 30.0, is_head: bool = False
) -> Answer:
    """Send raw request bytes, close our side, and read the whole answer until the server closes.

    Raises ``AssertionError`` if the connection ends without a complete answer.
    """
    with socket.create_connection(("127.0.0.1", server.address.port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading everything: the answer is still there
        chunks = []
        while True:
            chunk = sock.recv(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, sep, body = raw.partition(b"\r\n\r\n")
    assert sep, f"no complete answer (connection dropped): {raw[:200]!r}"
    status_line, *lines = head.decode("iso-8859-1").split("\r\n")
    version, code, *_ = status_line.split(" ")
    assert version.startswith("HTTP/1."), status_line
    headers = {}
    for line in lines:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    if is_head:  # a HEAD answer announces the body's length but carries none
        assert body == b"", "a HEAD answer with a body"
    else:
        assert int(headers["content-length"]) == len(body), "answer cut short"
    return Answer(int(code), headers, body)


def request(
    server: ExplorerServer,
    method: str,
    path: str,
    body: bytes | Any = None,
    headers: dict[str, str] | None = None,
    token: bool = True,
) -> Answer:
    """A well-formed request: right Host and token unless ``headers``/``token`` say otherwise."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    sent = {"Host": host_of(server)}
    if token:
        sent["X-Loyalsim-Token"] = server.token
    if data is not None:
        sent["Content-Type"] = "application/json"
        sent["Content-Length"] = str(len(data))
    sent.update(headers or {})
    lines = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
    raw = lines.encode("iso-8859-1") + b"\r\n" + (data or b"")
    return exchange(server, raw, is_head=method == "HEAD")

"""The explorer's web server: the standard library's threaded HTTP server, held to the checks
of ``guard`` on every request, answering every refusal as JSON.

``docs/design.md`` says why this is not a web framework: the server owns every byte it
answers, from a malformed request line to a body it will not read. The routes are in
``routes``.
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import signal
import socket
import sys
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loyalsim.explore.guard import (
    MAX_BODY,
    TOKEN_HEADER,
    TOKEN_QUERY,
    Address,
    Refused,
    body_length,
    check_host,
    check_json_type,
    check_origin,
    check_token,
    new_token,
    parse_json,
)
from loyalsim.explore.jobs import Jobs
from loyalsim.explore.routes import API, Request, Response, json_response, static

log = logging.getLogger("loyalsim.explore")

MAX_HEAD = 16 * 1024  # request line and headers together
MAX_CONNECTIONS = 64  # open at once; further ones wait in the listen queue
SOCKET_TIMEOUT = 15.0  # seconds a client may stay silent mid-request
# After answering, the server reads and drops whatever the client still sends (a body it
# refused or did not need) for a while before closing: closing with unread data would reset
# the connection and the client could lose the answer.
DRAIN_SECONDS = 2.0
DRAIN_BYTES = 64 << 20
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
COMMON_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class HeadReader:
    """The request stream, refusing a request line and headers longer than ``MAX_HEAD``."""

    def __init__(self, raw: BufferedIOBase) -> None:
        self.raw = raw
        self.head_left = MAX_HEAD

    def readline(self, size: int = -1) -> bytes:
        limit = self.head_left + 1 if size < 0 else min(size, self.head_left + 1)
        line = self.raw.readline(limit)
        self.head_left -= len(line)
        if self.head_left < 0:
            raise http.client.LineTooLong(f"request line and headers over {MAX_HEAD} bytes")
        return line

    def read(self, size: int = -1) -> bytes:
        return self.raw.read(size)

    def close(self) -> None:
        self.raw.close()


class Handler(BaseHTTPRequestHandler):
    """One connection: one request, checked, routed, answered, then closed (HTTP/1.0)."""

    server: ExplorerServer
    timeout = SOCKET_TIMEOUT
    server_version = "loyalsim-explorer"
    sys_version = ""
    # A request line without a version is read as HTTP/1.0 (never answered HTTP/0.9-style,
    # without a status line); these hold until the request line is parsed.
    default_request_version = "HTTP/1.0"
    request_version = "HTTP/1.0"
    command = ""
    path = ""

    def setup(self) -> None:
        super().setup()
        self.rfile = HeadReader(self.rfile)  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows only the address."""

    def _send(self, response: Response) -> None:
        reason = self.responses.get(response.status, ("",))[0]
        self.send_response_only(response.status, reason)
        self.send_header("Connection", "close")
        size = response.file.stat().st_size if response.file else len(response.body)
        headers = {**COMMON_HEADERS, **response.headers, "Content-Type": response.kind}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "HEAD":
            return
        if response.file is not None:
            try:
                with response.file.open("rb") as stream:
                    shutil.copyfileobj(stream, self.wfile)
            finally:
                response.file.unlink(missing_ok=True)
        else:
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found while parsing the request line and headers, answered as JSON."""
        self.close_connection = True
        text = explain or message or self.responses.get(code, ("",))[0]
        if code == 505:  # an HTTP version we do not speak is the client's mistake
            code, text = 400, f"{self.request_version or 'this HTTP version'} is not supported"
        self._send(json_response(code if 400 <= code < 500 else 400, {"error": text}))

    def parse_request(self) -> bool:
        if not self.raw_requestline.strip():
            self.send_error(400, explain="empty request line")
            return False
        return super().parse_request()

    def handle_one_request(self) -> None:
        """Read one request and answer it; no path through here leaves the client unanswered."""
        try:
            self.raw_requestline = self.rfile.readline(MAX_HEAD + 1)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():  # answered by send_error
                return
            self.close_connection = True
            try:
                response = self._respond()
            except Refused as refused:
                response = json_response(refused.status, {"error": refused.message})
                response.headers.update(refused.headers)
            except (TimeoutError, ConnectionError):
                raise
            except Exception:  # a fault of ours, not of the request: logged once, answered
                self.server.internal_errors += 1
                log.exception("explorer: internal error on %s %s", self.command, self.path[:80])
                response = json_response(500, {"error": "internal error (logged)"})
            self._send(response)
            self.wfile.flush()
        except http.client.LineTooLong as exc:
            self.send_error(431, explain=str(exc))
        except (TimeoutError, ConnectionError):  # the client went silent or away
            self.close_connection = True

    def _respond(self) -> Response:
        if self.command not in ("GET", "POST"):
            raise Refused(
                405,
                f"method {self.command[:20]!r} is not allowed; allowed: GET, POST",
                {"Allow": "GET, POST"},
            )
        host = check_host(self.headers.get("Host"), self.server.address)
        check_origin(self.headers.get("Origin"), host)
        try:
            url = urlsplit(self.path)
            fields = parse_qs(url.query, keep_blank_values=True, max_num_fields=20)
        except ValueError as exc:
            raise Refused(400, f"the address cannot be read: {exc}") from None
        query = {key: values[0] for key, values in fields.items()}
        path = url.path
        if self.command == "GET" and path == "/":  # the page carries the token: it needs it
            check_token(query.get(TOKEN_QUERY), self.server.token)
        if self.command == "GET" and (found := static(path, self.server.token)) is not None:
            return found
        if not path.startswith("/api/"):
            raise Refused(404, f"no such address: {path[:80]}")
        token = self.headers.get(TOKEN_HEADER) or query.get(TOKEN_QUERY)
        check_token(token, self.server.token)
        body = self._read_json() if self.command == "POST" else None
        return API[self.command](self.server.jobs, Request(self.command, path, query, body))

    def _read_json(self) -> Any:
        check_json_type(self.headers.get("Content-Type"))
        length = body_length(self.headers)
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError:
            raise Refused(408, f"the body did not arrive within {self.timeout:g} s") from None
        if len(body) < length:
            raise Refused(400, f"the body ended after {len(body)} of {length} bytes")
        return parse_json(body)

    def finish(self) -> None:
        """Flush the answer, then drain what the client still sends, so the answer arrives."""
        try:
            super().finish()
            drain(self.connection)
        except OSError:
            pass


def drain(connection: socket.socket) -> None:
    """Stop writing, then read and drop what the client still sends (bounded in time and size)."""
    try:
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(DRAIN_SECONDS)
        dropped = 0
        while dropped < DRAIN_BYTES:
            chunk = connection.recv(MAX_BODY)
            if not chunk:
                break
            dropped += len(chunk)
    except OSError:
        pass


class ExplorerServer(ThreadingHTTPServer):
    """The explorer's server: its address, session token, jobs and connection slots."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token: str | None = None):
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)
        bound_host, bound_port = self.server_address[:2]
        self.address = Address.bound(host, str(bound_host), int(bound_port))
        self.token = token or new_token()
        self.jobs = Jobs()
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.internal_errors = 0

    @property
    def url(self) -> str:
        """The page's address with the session token, as printed for the user."""
        host = str(self.server_address[0])
        host = "127.0.0.1" if host in ("0.0.0.0", "::") else self.address.url_host(host)
        return f"http://{host}:{self.address.port}/?{TOKEN_QUERY}={self.token}"

    def process_request(self, request: Any, client_address: Any) -> None:
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.internal_errors += 1
        log.exception("explorer: connection from %s failed", client_address)

    def close(self) -> None:
        """Stop listening, cancel every run and remove the temporary folder."""
        try:
            self.server_close()
        finally:
            self.jobs.close()


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> tuple[ExplorerServer, str]:
    """Start a server in a background thread (for notebooks and tests); returns it and its URL."""
    server = ExplorerServer(host, port)
    threading.Thread(target=server.serve_forever, daemon=True, name="loyalsim-explorer").start()
    return server, server.url


def _graphical() -> bool:
    """Whether a browser would open a window (not take over the terminal with a text browser)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


class CannotListen(RuntimeError):
    """The address or port cannot be served on (taken, or not this machine's)."""


def serve(host: str, port: int, open_browser: bool = True) -> None:
    """Serve until Ctrl-C, SIGTERM or SIGHUP; then cancel runs and remove temporary files."""
    try:
        server = ExplorerServer(host, port)
    except OSError as exc:
        raise CannotListen(f"--host {host} --port {port}: {exc.strerror or exc}") from None
    try:
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _stop)
        print(f"loyalsim explorer on {server.url}", flush=True)
        print("(open that address, token included; Ctrl-C stops the explorer)", flush=True)
        if host not in LOCAL_HOSTS:
            # The token is the only lock: anyone on the network with the address can run.
            print(f"warning: serving on {host}, not only on this machine", flush=True)
        if open_browser and _graphical():
            webbrowser.open(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        print("explorer stopped; its temporary files are removed", flush=True)

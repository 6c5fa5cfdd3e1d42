"""The explorer's web server: standard-library HTTP on 127.0.0.1 with a small JSON API.

GET  /                        the page
GET  /plotly.js               plotly, served locally (no network needed)
GET  /api/presets             presets of the enforced-loyalty model
GET  /api/params?preset=P     main parameters with unit, bounds, description, provenance
POST /api/check               the same form as /api/run: {ok: true} or 400 with the CLI's message
POST /api/run                 {preset, population, seed, params: {path: text}} -> {id} or 400
GET  /api/job/ID              status, progress and the observables recorded so far
POST /api/job/ID/cancel       stop a run
GET  /api/job/ID/download     the run directory as a zip
"""

from __future__ import annotations

import json
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from loyalsim.explore.jobs import Jobs
from loyalsim.explore.page import PAGE
from loyalsim.explore.params import describe, population_row
from loyalsim.scenario.io import ScenarioError, load, parse_value, preset_names, raw_source
from loyalsim.scenario.schemas.loyalty import Scenario

MAX_BODY = 1 << 16
# Each run uses every core; more at once only slows them all (and a forgotten tab's runs
# would pile up), so further runs are refused until one finishes or is cancelled.
MAX_RUNNING = 4
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def loyalty_presets() -> list[dict[str, str]]:
    out = []
    for name in preset_names():
        data = raw_source(name)
        if data.get("model", "loyalty") == "loyalty":
            out.append({"name": name, "description": str(data.get("description", ""))})
    return out


def scenario_from_form(form: dict[str, Any]) -> tuple[Scenario, int]:
    """Validate a run request exactly as the CLI validates --set options."""
    preset = str(form.get("preset", "default"))
    if not isinstance(form.get("params") or {}, dict):
        raise ScenarioError("params must map parameter paths to values")
    overrides = {str(k): parse_value(str(v)) for k, v in (form.get("params") or {}).items()}
    try:
        population = int(str(form.get("population", "")).strip())
    except ValueError:
        raise ScenarioError(
            f"population.n_people = {json.dumps(form.get('population'))}: must be an integer"
        ) from None
    try:
        seed = int(str(form.get("seed", "1")).strip())
    except ValueError:
        raise ScenarioError(f"seed = {json.dumps(form.get('seed'))}: must be an integer") from None
    if seed < 0:
        raise ScenarioError(f"seed = {seed}: must be a non-negative integer")
    config = load(preset, overrides, population)
    assert isinstance(config, Scenario)
    return config, seed


class Handler(BaseHTTPRequestHandler):
    jobs: Jobs

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows only the address."""

    def _send(self, code: int, body: bytes, kind: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, code: int, data: Any) -> None:
        self._send(code, json.dumps(data, default=str).encode(), "application/json")

    def do_GET(self) -> None:
        url = urlparse(str(self.path))
        parts: list[str] = str(url.path).strip("/").split("/")
        if url.path == "/":
            self._send(200, PAGE.encode(), "text/html; charset=utf-8")
        elif url.path == "/plotly.js":
            from plotly.offline import get_plotlyjs

            self._send(200, get_plotlyjs().encode(), "application/javascript")
        elif url.path == "/api/presets":
            self._json(200, loyalty_presets())
        elif url.path == "/api/params":
            preset = parse_qs(url.query).get("preset", ["default"])[0]
            try:
                self._json(200, {"params": describe(preset), "population": population_row()})
            except ScenarioError as exc:
                self._json(400, {"error": str(exc)})
        elif parts[:2] == ["api", "job"] and len(parts) >= 3:
            job = self.jobs.get(parts[2])
            if job is None:
                self._json(404, {"error": f"no job {parts[2]!r}"})
            elif len(parts) == 4 and parts[3] == "download":
                if job.run_dir is None:
                    self._json(409, {"error": "the run has not finished"})
                    return
                data = self.jobs.archive(job).read_bytes()
                name = f"loyalsim-{job.config.name}-seed{job.seed}.zip"
                self._send(
                    200,
                    data,
                    "application/zip",
                    {"Content-Disposition": f'attachment; filename="{name}"'},
                )
            else:
                group = parse_qs(url.query).get("group", ["all"])[0]
                self._json(200, job.snapshot(group))
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        url = urlparse(str(self.path))
        parts: list[str] = str(url.path).strip("/").split("/")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(413, {"error": "request too large"})
            return
        body = self.rfile.read(length) if length else b"{}"
        if url.path in ("/api/run", "/api/check"):
            try:
                form = json.loads(body or b"{}")
                if not isinstance(form, dict):
                    raise ScenarioError("the request must be a JSON object")
                config, seed = scenario_from_form(form)
            except (ScenarioError, json.JSONDecodeError) as exc:
                self._json(400, {"error": str(exc)})
                return
            if url.path == "/api/check":
                self._json(200, {"ok": True})
                return
            if self.jobs.running() >= MAX_RUNNING:
                self._json(
                    429, {"error": f"{MAX_RUNNING} runs are going already: cancel one or wait"}
                )
                return
            started = self.jobs.start(config, seed)
            self._json(200, {"id": started.job_id, "total": started.total})
        elif parts[:2] == ["api", "job"] and len(parts) == 4 and parts[3] == "cancel":
            found = self.jobs.get(parts[2])
            if found is None:
                self._json(404, {"error": f"no job {parts[2]!r}"})
                return
            found.cancel.set()
            self._json(200, {"id": found.job_id})
        else:
            self._json(404, {"error": "not found"})


def make_server(host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server (not yet serving) with its own job table; port 0 picks a free port."""
    jobs = Jobs()
    handler = type("BoundHandler", (Handler,), {"jobs": jobs})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.jobs = jobs  # type: ignore[attr-defined]
    return server


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start a server in a background thread (for notebooks and tests); returns it and its URL."""
    server = make_server(host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host_, port_ = server.server_address[:2]
    return server, f"http://{host_!s}:{port_}/"


def serve(host: str, port: int, open_browser: bool = False) -> None:
    """Serve until interrupted."""
    server = make_server(host, port)
    host_, port_ = server.server_address[:2]
    url = f"http://{host_!s}:{port_}/"
    print(f"loyalsim explorer on {url} (Ctrl-C stops it)", flush=True)
    if host not in LOCAL_HOSTS:
        # There is no login: anyone who can reach the address can start runs.
        print(f"warning: serving on {host}, not only on this machine; no login", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.jobs.close()  # type: ignore[attr-defined]

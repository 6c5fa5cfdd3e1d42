"""The explorer's pages and JSON API, as functions from a checked request to a response.

GET  /?token=T                  the page (carries the token for its API calls)
GET  /static/NAME, /plotly.js   the page's script and style, plotly (served locally)
GET  /api/presets               presets of the enforced-loyalty model
GET  /api/params?preset=P       main parameters and campaign orders with labels and units
POST /api/check                 the same form as /api/run: {ok: true} or 400 with the CLI's message
POST /api/run                   a form (see ``forms``) -> {id, total}, 400, or 429 when busy
GET  /api/job/ID?group=G&metrics=M1,M2   status, progress, events and the series so far
POST /api/job/ID/cancel         stop a run
GET  /api/job/ID/download       the run directory as a zip

Every API route and the page need the session token; every refusal is a JSON 4xx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loyalsim.explore import assets
from loyalsim.explore.forms import loyalty_presets, scenario_from_form
from loyalsim.explore.guard import Refused
from loyalsim.explore.jobs import Busy, Job, Jobs
from loyalsim.explore.params import describe
from loyalsim.scenario.io import ScenarioError

JSON = "application/json"
JOB_ID = re.compile(r"[0-9a-f]{16}")
MAX_QUERY_TEXT = 100
MAX_METRICS = 30


@dataclass
class Response:
    """What to send back: a status, a body (or a file to stream and delete) and headers."""

    status: int
    body: bytes = b""
    kind: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    file: Path | None = None


def json_response(status: int, data: Any) -> Response:
    return Response(status, json.dumps(data, default=str).encode())


@dataclass(frozen=True)
class Request:
    """A request that passed the host and origin checks."""

    method: str
    path: str
    query: dict[str, str]
    body: Any  # parsed JSON of a POST, None for a GET


def _text(query: dict[str, str], key: str, default: str) -> str:
    value = query.get(key, default)
    if len(value) > MAX_QUERY_TEXT:
        raise Refused(400, f"{key}: at most {MAX_QUERY_TEXT} characters")
    return value


def _job(jobs: Jobs, job_id: str) -> Job:
    job = jobs.get(job_id) if JOB_ID.fullmatch(job_id) else None
    if job is None:
        raise Refused(404, f"no job {job_id[:40]!r} (ended jobs are kept: the latest few only)")
    return job


def _form(body: Any) -> tuple[Any, int]:
    try:
        return scenario_from_form(body)
    except ScenarioError as exc:
        raise Refused(400, str(exc)) from None


def static(path: str, token: str) -> Response | None:
    """The page and its files (the page only with the token; ``None`` when not one of them)."""
    if path == "/":
        return Response(200, assets.page(token), "text/html; charset=utf-8", assets.PAGE_HEADERS)
    found = assets.STATIC.get(path)
    if found is None:
        return None
    kind, read = found
    return Response(200, read(), kind, {"Cache-Control": "max-age=3600"})


def api_get(jobs: Jobs, request: Request) -> Response:
    parts = request.path.strip("/").split("/")
    if request.path == "/api/presets":
        return json_response(200, loyalty_presets())
    if request.path == "/api/params":
        try:
            return json_response(200, describe(request.query.get("preset", "default")))
        except ScenarioError as exc:
            raise Refused(400, str(exc)) from None
    if parts[:2] == ["api", "job"] and len(parts) == 3:
        job = _job(jobs, parts[2])
        group = _text(request.query, "group", "all")
        metrics = [m for m in _text(request.query, "metrics", "").split(",") if m]
        return json_response(200, job.snapshot(group, metrics[:MAX_METRICS]))
    if parts[:2] == ["api", "job"] and len(parts) == 4 and parts[3] == "download":
        job = _job(jobs, parts[2])
        if job.status != "done":
            raise Refused(409, f"the run is {job.status}, not done: nothing to download")
        try:
            archive = jobs.archive(job)
        except FileNotFoundError:
            raise Refused(410, "the run's directory is gone (the explorer is closing)") from None
        name = f"loyalsim-{re.sub(r'[^A-Za-z0-9._-]', '_', job.name)[:60]}-seed{job.seed}.zip"
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(200, kind="application/zip", headers=disposition, file=archive)
    raise Refused(404, f"no such address: {request.path[:80]}")


def api_post(jobs: Jobs, request: Request) -> Response:
    parts = request.path.strip("/").split("/")
    if request.path == "/api/check":
        _form(request.body)
        return json_response(200, {"ok": True})
    if request.path == "/api/run":
        config, seed = _form(request.body)
        try:
            started = jobs.start(config, seed)
        except Busy as exc:
            raise Refused(429, str(exc)) from None
        return json_response(200, {"id": started.job_id, "total": started.total})
    if parts[:2] == ["api", "job"] and len(parts) == 4 and parts[3] == "cancel":
        job = _job(jobs, parts[2])
        job.cancel.set()
        return json_response(200, {"id": job.job_id, "status": job.status})
    raise Refused(404, f"no such address: {request.path[:80]}")


API: dict[str, Callable[[Jobs, Request], Response]] = {"GET": api_get, "POST": api_post}

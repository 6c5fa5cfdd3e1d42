"""Random requests to the explorer: every one gets a complete answer, a JSON 4xx when refused,
never a 5xx, a dropped connection or an error in the server's log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from loyalsim.explore.server import ExplorerServer
from tests.report.explorer_http import Answer, exchange, explorer, host_of

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOKEN = object()  # stands for the server's real token in generated requests
HOST = object()  # stands for the server's real host:port


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    with explorer() as running:
        yield running
        assert running.internal_errors == 0


header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40
)


def mostly(usual: list[Any], others: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually one of the ``usual`` values (so requests get past the first checks), else any."""
    return st.one_of(st.sampled_from(usual), st.sampled_from(usual), st.sampled_from(usual), others)


methods = mostly(
    ["GET", "POST"],
    st.sampled_from(["PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"])
    | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ_-", min_size=1, max_size=8),
)
known_paths = st.sampled_from(
    [
        "/",
        "/?token=",
        "/api/presets",
        "/api/params",
        "/api/params?preset=default",
        "/api/params?preset=/etc/passwd",
        "/api/params?preset=default&preset=x",
        "/api/check",
        "/api/run",
        "/api/job/0123456789abcdef",
        "/api/job/0123456789abcdef/cancel",
        "/api/job/0123456789abcdef/download",
        "/api/job/zz/../../etc/passwd",
        "/static/app.js",
        "/static/../../../etc/passwd",
        "/plotly.js?x=%ff%fe",
    ]
)
random_paths = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60).map(
    lambda text: "/" + text
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
forms = st.fixed_dictionaries(
    {
        "preset": mostly(["default", "no-campaign"], st.sampled_from(["nope", "/etc/passwd"])),
        "population": mostly(
            [100, "150"], st.sampled_from(["5", "lots", -3, True, None, 1e9, "１００"])
        ),
    },
    optional={
        "seed": st.integers(-2, 2**64) | st.text(max_size=5),
        "params": st.dictionaries(
            st.sampled_from(["time.n_steps", "lapses.detect_base", "model", "x.y", "../a"]),
            st.sampled_from(["1", "2", "0.5", "-1", "nan", "[1,2]", "\n", 3, 1e308]),
            max_size=3,
        ),
        "orders": st.lists(
            st.dictionaries(
                st.sampled_from(["start", "provinces", "regime", "name", "nope"]),
                json_values,
                max_size=4,
            ),
            max_size=3,
        ),
    },
)
bodies = (
    st.none()
    | st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | forms.map(lambda f: json.dumps(f).encode())
)
lengths = st.sampled_from(["-1", "abc", "0", "5", "99999999999", "1e3", " 12"]) | st.integers(
    0, 400
).map(str)


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    body = draw(bodies)
    headers: dict[str, Any] = {
        "Host": draw(
            mostly(
                [HOST, "localhost:{port}"],
                st.sampled_from(["evil.example:{port}", "127.0.0.1:1", None]) | header_text,
            )
        ),
        "Origin": draw(
            mostly(
                [None, "http://{host}"],
                st.sampled_from(["http://evil.example", "null"]) | header_text,
            )
        ),
        "X-Loyalsim-Token": draw(mostly([TOKEN], st.sampled_from([None, "wrong"]) | header_text)),
        "Content-Type": draw(
            mostly(
                ["application/json", "application/json; charset=utf-8"],
                st.sampled_from(["text/plain", None, "application/x-www-form-urlencoded"])
                | header_text,
            )
        ),
        "Content-Length": draw(mostly(["exact"], st.sampled_from([None]) | lengths)),
    }
    if draw(st.booleans()):  # the page's own request: the rest decides the answer
        headers |= {"Host": HOST, "X-Loyalsim-Token": TOKEN}
        headers["Origin"] = draw(st.sampled_from([None, "http://{host}"]))
    extra = draw(
        st.dictionaries(
            st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12), header_text, max_size=3
        )
    )
    return {
        "method": draw(methods),
        "path": draw(st.one_of(known_paths, known_paths, random_paths)),
        "headers": headers,
        "extra": extra,
        "body": body,
    }


def _raw(server: ExplorerServer, spec: dict[str, Any]) -> bytes:
    host = host_of(server)
    body: bytes = spec["body"] or b""
    lines = [f"{spec['method']} {spec['path'].replace(' ', '%20')} HTTP/1.1"]
    for key, value in spec["headers"].items():
        if value is None:
            continue
        if value is HOST:
            value = host
        elif value is TOKEN:
            value = server.token
        elif value == "exact":
            value = str(len(body))
        value = str(value).replace("{port}", str(server.address.port)).replace("{host}", host)
        lines.append(f"{key}: {value}")
    lines += [f"x-{key}: {value}" for key, value in spec["extra"].items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1") + body


def _check(spec: dict[str, Any], answer: Answer) -> None:
    assert 200 <= answer.status < 500, (answer.status, answer.body[:300])
    if spec["method"] == "HEAD":
        return
    if answer.status >= 400:
        assert answer.headers["content-type"] == "application/json"
        error = answer.json()["error"]
        assert isinstance(error, str) and error
    elif answer.headers["content-type"] == "application/json":
        json.loads(answer.body)


@settings(FUZZ, max_examples=1000)
@given(spec=requests())
def test_any_request_gets_a_complete_answer_never_a_5xx(
    server: ExplorerServer, spec: dict[str, Any]
) -> None:
    answer = exchange(server, _raw(server, spec), is_head=spec["method"] == "HEAD")
    _check(spec, answer)
    event(f"{answer.status}")
    for job in list(server.jobs.jobs.values()):  # a valid form may start a run: stop it
        job.cancel.set()
    assert server.internal_errors == 0


@settings(FUZZ, max_examples=200)
@given(form=forms)
def test_any_form_is_accepted_or_refused_with_a_message(
    server: ExplorerServer, form: dict[str, Any]
) -> None:
    data = json.dumps(form).encode()
    head = (
        f"POST /api/check HTTP/1.1\r\nHost: {host_of(server)}\r\n"
        f"X-Loyalsim-Token: {server.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    answer = exchange(server, head.encode() + data)
    assert answer.status in (200, 400), answer.body[:300]
    event(f"{answer.status}")
    if answer.status == 400:
        assert answer.json()["error"]
    else:
        assert answer.json() == {"ok": True}

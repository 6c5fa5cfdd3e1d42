"""The explorer refuses other sites, reads no file a request names and stays in bounds.

Each test is one attack of issue 14 (items 1-3); every refusal is a complete JSON 4xx and
nothing starts.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from loyalsim.explore import forms, jobs
from loyalsim.explore import server as server_module
from loyalsim.explore.guard import (
    MAX_BODY,
    MAX_DEPTH,
    Address,
    Refused,
    check_host,
    check_origin,
)
from loyalsim.explore.server import MAX_HEAD, ExplorerServer, Handler
from tests.report.explorer_http import Answer, exchange, explorer, host_of, request

FORM = {"preset": "default", "population": "2000", "seed": "1", "params": {}}
ROOT = Path(__file__).resolve().parents[2]
NUMBERS = {4: "four", 8: "eight"}


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    with explorer() as running:
        yield running


def refused(answer: Answer, status: int, words: str) -> None:
    assert answer.status == status, (answer.status, answer.body[:300])
    assert answer.headers["content-type"] == "application/json"
    assert words in answer.json()["error"], answer.json()


def no_jobs(server: ExplorerServer) -> None:
    assert server.jobs.jobs == {}


def test_a_run_from_another_site_with_text_plain_is_refused(server: ExplorerServer) -> None:
    # The probe of issue 14: a foreign page (or a DNS-rebinding name) posting a form.
    evil = {"Origin": "http://evil.example", "Host": "attacker.example:8765"}
    plain = {"Content-Type": "text/plain"}
    answer = request(server, "POST", "/api/run", json.dumps(FORM).encode(), evil | plain)
    refused(answer, 403, "is not this server")
    # The right Host but a foreign Origin: refused even with the token.
    answer = request(server, "POST", "/api/run", FORM, {"Origin": "http://evil.example"})
    refused(answer, 403, "is not this page's")
    answer = request(server, "POST", "/api/run", FORM, {"Origin": "null"})
    refused(answer, 403, "is not this page's")
    # A rebinding name that resolves to this machine, with the right port.
    port = server.address.port
    answer = request(server, "GET", "/api/presets", headers={"Host": f"rebind.example:{port}"})
    refused(answer, 403, "is not this server")
    answer = request(server, "GET", "/api/presets", headers={"Host": "127.0.0.1:1"})
    refused(answer, 403, "is not this server")
    # Same origin, token, but text/plain: a form post is not JSON.
    answer = request(server, "POST", "/api/run", json.dumps(FORM).encode(), plain)
    refused(answer, 415, "must be application/json")
    no_jobs(server)


def test_the_api_and_the_page_need_the_session_token(server: ExplorerServer) -> None:
    refused(request(server, "POST", "/api/run", FORM, token=False), 403, "missing or wrong token")
    wrong = {"X-Loyalsim-Token": server.token[:-1] + "x"}
    refused(request(server, "POST", "/api/run", FORM, wrong, token=False), 403, "wrong token")
    refused(request(server, "GET", "/api/presets", token=False), 403, "token")
    refused(request(server, "GET", "/", token=False), 403, "?token=")
    no_jobs(server)
    page = request(server, "GET", f"/?token={server.token}", token=False)
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert f'content="{server.token}"'.encode() in page.body
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    # The page's own requests: same Host and Origin, token in a header.
    own = {"Origin": f"http://{host_of(server)}"}
    assert request(server, "GET", "/api/presets", headers=own).status == 200
    localhost = {"Host": f"localhost:{server.address.port}"}
    assert request(server, "GET", "/api/presets", headers=localhost).status == 200
    # Scripts and styles carry no secret and need no token.
    assert request(server, "GET", "/static/app.js", token=False).status == 200


def test_presets_are_names_from_the_shipped_list_never_paths(
    server: ExplorerServer, tmp_path: Path
) -> None:
    secret = tmp_path / "private.toml"
    secret.write_text('api_key = "hunter2"\n[lapses]\ndetect_base = 0.9\n')
    for preset in ("/etc/passwd", "/etc/shadow", str(secret), "../presets/default", "default.toml"):
        answer = request(server, "GET", f"/api/params?preset={preset}")
        refused(answer, 400, "unknown preset; allowed: amnesty-merit-only")
        assert b"root:" not in answer.body and b"api_key" not in answer.body
        assert b"hunter2" not in answer.body and b"line" not in answer.body
        answer = request(server, "POST", "/api/check", FORM | {"preset": preset})
        refused(answer, 400, "unknown preset")
        assert b"api_key" not in answer.body
    no_jobs(server)


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "+5", " 9 9", "99999999999999999999"])
def test_a_content_length_that_is_not_a_size_is_refused(
    server: ExplorerServer, length: str
) -> None:
    body = json.dumps(FORM).encode() + b" " * 2048
    answer = request(server, "POST", "/api/check", body, {"Content-Length": length})
    refused(answer, 400 if len(length) < 12 else 413, "Content-Length")


def test_a_body_over_the_limit_is_refused_unread(server: ExplorerServer) -> None:
    big = b"[" + b"0," * (2 << 20) + b"0]"  # about 4 MB, declared honestly
    answer = request(server, "POST", "/api/run", big)
    refused(answer, 413, f"allowed: at most {MAX_BODY} bytes")
    # Declared as 400 MB but never sent: refused from the header alone.
    answer = request(server, "POST", "/api/run", b"{}", {"Content-Length": str(400 << 20)})
    refused(answer, 413, f"allowed: at most {MAX_BODY} bytes")
    answer = request(server, "POST", "/api/run", b"{}", {"Transfer-Encoding": "chunked"})
    refused(answer, 411, "send a Content-Length")
    double = {"Content-Length": "2\r\nContent-Length: 2"}
    refused(request(server, "POST", "/api/check", b"{}", double), 400, "more than one")
    # A body shorter than declared: the client stops sending, the answer still comes.
    answer = request(server, "POST", "/api/check", b'{"preset"', {"Content-Length": "500"})
    refused(answer, 400, "the body ended after 9 of 500 bytes")
    no_jobs(server)


def test_bodies_that_are_not_json_get_json_errors(server: ExplorerServer) -> None:
    cases = [
        (b"\xff\xfe{\x00}", 400, "not UTF-8 (byte 0)"),
        (b'{"preset": "caf\xe9"}', 400, "not UTF-8"),
        (b"[" * 30_000 + b"]" * 30_000, 400, f"deeper than {MAX_DEPTH}"),
        (b"[" * 60_000, 400, f"deeper than {MAX_DEPTH}"),
        (b"[" * 50_000 + b"]" * 50_000, 413, f"allowed: at most {MAX_BODY}"),
        (b'{"preset": "default",', 400, "not JSON"),
        (b'{"population": NaN}', 400, "NaN is not allowed"),
        (b'{"population": 1e999}', 400, "numbers must be finite"),
        (b'{"population": ' + b"9" * 5000 + b"}", 400, "not acceptable JSON"),
        (b"\xef\xbb\xbf{}", 400, "not JSON"),
    ]
    for body, status, words in cases:
        refused(request(server, "POST", "/api/check", body), status, words)
    # Strings may hold brackets without counting as nesting.
    answer = request(
        server, "POST", "/api/check", FORM | {"params": {"lapses.detect_base": "[[[["}}
    )
    refused(answer, 400, "lapses.detect_base")
    no_jobs(server)


def test_malformed_requests_get_json_errors_not_dropped_connections(
    server: ExplorerServer,
) -> None:
    host = host_of(server).encode()
    cases = {
        b"\r\n\r\n": 400,
        b"GARBAGE\r\n\r\n": 400,
        b"GET / HTTP/2.0\r\nHost: " + host + b"\r\n\r\n": 400,
        b"GET / HTTP/1.x\r\n\r\n": 400,
        b"GET /" + b"a" * (MAX_HEAD + 10) + b" HTTP/1.1\r\n\r\n": 431,
        b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nX: " + b"y" * MAX_HEAD + b"\r\n\r\n": 431,
        b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n": 431,
        b"DELETE /api/presets HTTP/1.1\r\nHost: " + host + b"\r\n\r\n": 405,
        b"BREW /api/presets HTTP/1.1\r\nHost: " + host + b"\r\n\r\n": 405,
        b"GET /api/presets HTTP/1.1\r\n\r\n": 400,  # no Host
        b"GET /api/presets HTTP/1.1\r\nHost: [::1\r\n\r\n": 400,
    }
    for data, status in cases.items():
        answer = exchange(server, data)
        assert answer.status == status, (data[:60], answer.status, answer.body[:200])
        assert "error" in answer.json()
    assert server.internal_errors == 0


def test_head_and_other_methods_answer_405_with_allow(server: ExplorerServer) -> None:
    for method in ("PUT", "OPTIONS", "PATCH", "HEAD"):
        answer = request(server, method, "/api/presets")
        assert answer.status == 405 and answer.headers["allow"] == "GET, POST"
        assert answer.headers["content-type"] == "application/json"
        if method != "HEAD":
            assert "not allowed" in answer.json()["error"]


def test_a_client_that_stops_sending_gets_408(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Handler, "timeout", 0.5)
    with explorer() as server:
        head = (
            f"POST /api/check HTTP/1.1\r\nHost: {host_of(server)}\r\n"
            f"X-Loyalsim-Token: {server.token}\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n"
        )
        with socket.create_connection(("127.0.0.1", server.address.port), timeout=10) as sock:
            sock.sendall(head.encode() + b'{"preset": ')  # then silence, the socket open
            answer = b""
            while chunk := sock.recv(4096):  # the server closes after answering
                answer += chunk
        assert answer.startswith(b"HTTP/1.0 408 ")
        assert b'"error": "the body did not arrive within 0.5 s"' in answer
        assert server.internal_errors == 0


def test_the_documented_limits_are_the_enforced_ones() -> None:
    text = " ".join((ROOT / "docs" / "reporting.md").read_text("utf-8").split())
    promised = [
        f"at most {MAX_BODY // 1024} KiB",
        f"nested at most {MAX_DEPTH} deep",
        f"at most {forms.MAX_PARAMS} parameters and {forms.MAX_ORDERS} orders",
        f"one line of at most {forms.MAX_TEXT} characters",
        f"at most {NUMBERS[jobs.MAX_RUNNING]} runs go at once",
        f"at most {jobs.MAX_PEOPLE_RUNNING // 1_000_000} million people",
        f"the {NUMBERS[jobs.MAX_KEPT]} most recent ended runs are kept",
        f"at most {server_module.MAX_HEAD // 1024} KiB",
        f"dropped after {server_module.SOCKET_TIMEOUT:g} seconds",
        f"at most {server_module.MAX_CONNECTIONS} connections",
    ]
    for phrase in promised:
        assert phrase in text, phrase


def test_host_and_origin_rules_for_each_kind_of_address() -> None:
    local = Address.bound("127.0.0.1", "127.0.0.1", 8765)
    for host in ("127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"):
        assert check_host(host, local) == host.lower()
    for host in ("127.0.0.1", "127.0.0.1:80", "evil.example:8765", "127.0.0.2:8765", "x:y"):
        with pytest.raises(Refused):
            check_host(host, local)
    every = Address.bound("0.0.0.0", "0.0.0.0", 8765)  # any address literal, never a name
    assert check_host("192.168.1.5:8765", every) == "192.168.1.5:8765"
    with pytest.raises(Refused, match="is not this server"):
        check_host("evil.example:8765", every)
    named = Address.bound("lab-box", "10.0.0.7", 9000)
    assert check_host("lab-box:9000", named) and check_host("10.0.0.7:9000", named)
    with pytest.raises(Refused):
        check_host("localhost:9000", named)
    check_origin(None, "localhost:8765")
    check_origin("http://localhost:8765", "localhost:8765")
    check_origin("http://[::1]:8765", "[::1]:8765")
    for origin in (
        "https://localhost:8765",
        "http://localhost:8766",
        "http://127.0.0.1:8765",  # the page was loaded as localhost: another origin
        "http://localhost:8765/page",
        "http://localhost:99999",
        "null",
        "",
    ):
        with pytest.raises(Refused, match="is not this page's"):
            check_origin(origin, "localhost:8765")

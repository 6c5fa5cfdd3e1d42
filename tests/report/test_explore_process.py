"""`loyalsim explore` as a real process: its address, its flags, and a clean stop on signals."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)")


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str, str]:
    """Start the explorer with its temporary folder under ``tmp_path``; its port and token."""
    env = os.environ | {"TMPDIR": str(tmp_path), "DISPLAY": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "loyalsim", "explore", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = URL.search(line)
    if found is None:
        process.kill()
        raise AssertionError(f"no address printed: {line!r} {process.communicate()}")
    return process, found.group(1), found.group(2)


def _post(port: str, token: str, path: str, body: object) -> dict[str, object]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        json.dumps(body).encode(),
        {"Content-Type": "application/json", "X-Loyalsim-Token": token},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data: dict[str, object] = json.loads(response.read())
        return data


def _folders(tmp_path: Path) -> list[Path]:
    return list(tmp_path.glob("loyalsim-explore-*"))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_runs_and_removes_the_temporary_folder(
    tmp_path: Path, stop: signal.Signals
) -> None:
    process, port, token = _start(tmp_path, "--no-browser")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=30) as page:
            assert page.status == 200 and token in page.read().decode()
        job = _post(port, token, "/api/run", {"preset": "default", "population": "300000"})
        (folder,) = _folders(tmp_path)
        deadline = time.monotonic() + 120
        while not (folder / "runs").exists() and not _running(port, token, str(job["id"])):
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.1)
        process.send_signal(stop)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "explorer stopped; its temporary files are removed" in out
    assert "Traceback" not in err
    assert _folders(tmp_path) == []
    with pytest.raises(OSError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()


def _running(port: str, token: str, job_id: str) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/job/{job_id}", headers={"X-Loyalsim-Token": token}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return bool(json.loads(response.read())["done"] > 0)


def test_the_documented_flags_are_accepted(tmp_path: Path) -> None:
    for flag in ("--no-browser", "--no-open-browser"):
        process, _, _ = _start(tmp_path, flag)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
        assert process.returncode == 0
    assert _folders(tmp_path) == []


def test_a_port_in_use_is_bad_input_with_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "loyalsim", "explore", "--port", port, "--no-browser"],
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ | {"TMPDIR": str(tmp_path)},
        )
    assert result.returncode == 2
    assert f"--port {port}" in result.stderr and "Traceback" not in result.stderr
    assert _folders(tmp_path) == []

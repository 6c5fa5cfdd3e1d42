"""Replace one ``## heading`` section of benchmarks/results.md, keeping the others."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"


def machine() -> str:
    """A one-line description of this machine."""
    cpu = platform.processor() or "unknown CPU"
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", text)
        if found:
            cpu = found.group(1).strip()
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def write_section(heading: str, body: str) -> None:
    """Write ``## heading`` with ``body`` (dated, with the machine), replacing an old one."""
    stamp = f"_Measured {dt.date.today().isoformat()} on {machine()}._\n\n"
    section = f"## {heading}\n\n{stamp}{body.strip()}\n"
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n", "utf-8")

"""Build the documentation site once per test session (it executes the tutorial notebook).

`mkdocs build --strict` runs in a subprocess with its own empty temporary folder (`TMPDIR`),
so the tests can check what the build, and the notebook it executes, leave behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_S = 600


@dataclass(frozen=True)
class SiteBuild:
    """The outcome of one `mkdocs build --strict`."""

    site: Path  # the built site
    tmp: Path  # the TMPDIR the build and the notebook's kernel ran with
    returncode: int
    log: str  # stdout and stderr

    def page(self, url: str) -> str:
        """The HTML of a page, by its URL below the site root (e.g. ``tutorial/``)."""
        return (self.site / url / "index.html").read_text("utf-8")


_BUILDS: dict[Path, SiteBuild] = {}


def build_site(base: Path) -> SiteBuild:
    """Build the site under ``base`` (a session's temporary folder), once per ``base``."""
    if base not in _BUILDS:
        site, tmp = base / "docs-site", base / "docs-site-tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "TMPDIR": str(tmp),
            "LOYALSIM_DOCS_EXECUTE": "true",
            "NO_MKDOCS_2_WARNING": "1",
        }
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
        )
        _BUILDS[base] = SiteBuild(site, tmp, done.returncode, done.stdout + done.stderr)
    return _BUILDS[base]

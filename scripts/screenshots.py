"""Regenerate docs/images/explorer.png and docs/images/report.png in headless Chromium.

Needs Debian's chromium and the test dependencies (Playwright for Python):
    python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loyalsim.experiment.single import write_config_run  # noqa: E402
from loyalsim.explore.server import serve_in_thread  # noqa: E402
from loyalsim.report.html import build_report  # noqa: E402
from loyalsim.scenario.io import load  # noqa: E402
from tests.report import browser  # noqa: E402

IMAGES = ROOT / "docs" / "images"


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run = write_config_run(load("default", population=30_000), Path(tmp) / "run", seed=1)[0]
        report = build_report(run, Path(tmp) / "report.html")
        with browser.page(1200, 1500) as page:
            page.goto(report.as_uri())
            page.wait_for_function("document.querySelectorAll('.main-svg').length > 10")
            page.screenshot(path=str(IMAGES / "report.png"))
    server, url = serve_in_thread()
    try:
        with browser.page(1400, 1250) as page:
            page.goto(url)
            page.wait_for_selector("body[data-ready=yes]")
            for slot in ("A", "B"):
                page.fill(f"#population-{slot}", "20000")
                page.click(f"#run-{slot}")
                page.wait_for_selector(f"#panel-{slot}[data-status=done]", timeout=300_000)
            for slot in ("A", "B"):  # the province of the order, where the two settings differ
                page.select_option(f"#group-{slot}", "province:South Hamgyong")
                shown = f"document.getElementById('plot-{slot}').layout.title.text"
                while not page.evaluate(f"{shown}.includes('South Hamgyong')"):
                    page.wait_for_timeout(100)  # the page's CSP rules out wait_for_function
            page.screenshot(path=str(IMAGES / "explorer.png"))
    finally:
        server.shutdown()
        server.close()  # cancels runs and removes the explorer's temporary folder
    print(f"wrote {IMAGES / 'report.png'} and {IMAGES / 'explorer.png'}")


if __name__ == "__main__":
    main()

"""Regenerate the images in docs/images from fresh runs.

    .venv/bin/python scripts/screenshots.py            # everything (needs Debian's chromium)
    .venv/bin/python scripts/screenshots.py --no-browser   # only the matplotlib figures

report.png and explorer.png are screenshots taken in headless Chromium (Playwright for
Python, a test dependency); summary.png, compare.png and province-map.png are the figures
`loyalsim run`, `loyalsim compare` and `loyalsim.plot.province_map` write. Runs of 30,000
people are made in a temporary directory; the whole takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loyalsim.experiment.single import write_config_run  # noqa: E402
from loyalsim.report.compare import load_set  # noqa: E402
from loyalsim.report.compare_figs import draw_comparison  # noqa: E402
from loyalsim.report.figures import draw_run_summary  # noqa: E402
from loyalsim.report.html import build_report  # noqa: E402
from loyalsim.report.markers import events_of_run  # noqa: E402
from loyalsim.scenario.io import load  # noqa: E402

IMAGES = ROOT / "docs" / "images"
PEOPLE = 30_000


def figures(tmp: Path) -> Path:
    """summary.png, compare.png and province-map.png; returns the default run's directory."""
    import loyalsim.plot as lp

    runs = {}
    for preset in ("no-campaign", "default"):
        for seed in (1, 2):
            config = load(preset, population=PEOPLE)
            summary = draw_run_summary if seed == 1 else None
            runs[preset, seed] = write_config_run(
                config, tmp / f"{preset}-{seed}", seed=seed, summary=summary
            )[0]
    run = runs["default", 1]
    shutil.copyfile(run / "summary.png", IMAGES / "summary.png")
    a = load_set([runs["no-campaign", 1], runs["no-campaign", 2]])
    b = load_set([runs["default", 1], runs["default", 2]])
    events = list(dict.fromkeys(events_of_run(run)))
    draw_comparison(
        a,
        b,
        IMAGES / "compare.png",
        "province:South Hamgyong",
        ["display_gap", "accused", "hidden_dissent"],
        events=events,
    )
    lp.save(lp.province_map(run, "display_gap"), IMAGES / "province-map.png")
    return run


def browser_shots(run: Path, tmp: Path) -> None:
    """report.png and explorer.png in headless Chromium."""
    from loyalsim.explore.server import serve_in_thread
    from tests.report import browser

    report = build_report(run, tmp / "report.html")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium shots")
    args = parser.parse_args()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        run = figures(tmp)
        if not args.no_browser:
            browser_shots(run, tmp)
    print(f"wrote the images in {IMAGES}")


if __name__ == "__main__":
    main()

"""The explorer and the report in a real (headless) browser."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from loyalsim.explore.server import serve_in_thread
from loyalsim.report.html import build_report
from tests.report import browser

pytestmark = pytest.mark.skipif(
    not browser.available(), reason="Debian's chromium is not installed (.ci/run installs it)"
)

SMALL_RUN = {"population-A": "4000"}


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    server, url = serve_in_thread()
    yield url
    server.shutdown()
    server.server_close()
    server.jobs.close()  # type: ignore[attr-defined]


def _series(page, slot: str) -> list[float]:  # type: ignore[no-untyped-def]
    data = page.evaluate(
        f"document.getElementById('plot-{slot}').data.find(t => t.name === 'display_gap').y"
    )
    return list(data)


def test_explorer_runs_a_preset_and_a_parameter_change_changes_the_plot(explorer: str) -> None:
    with browser.page() as page:
        page.goto(explorer)
        page.wait_for_selector("body[data-ready=yes]")
        unit = page.inner_text("#params-A tr:has(input[data-path='lapses.detect_base']) td.unit")
        assert unit == "probability [0, 1]"
        title = page.get_attribute(
            "#params-A tr:has(input[data-path='lapses.detect_base'])", "title"
        )
        assert "monitor" in title and "source:" in title
        page.fill("#population-A", "4000")
        page.fill("#params-A input[data-path='time.n_steps']", "66")
        page.click("#run-A")
        page.wait_for_selector("#panel-A[data-status=done]", timeout=120_000)
        assert page.inner_text("#status-A") == "done: week 66 of 66"
        assert page.locator("#plot-A .main-svg").count() > 0
        before = _series(page, "A")
        assert len(before) == 66
        page.fill("#params-A input[data-path='beliefs.young_multiplier']", "5")
        page.fill("#params-A input[data-path='lapses.detect_base']", "0.2")
        page.click("#run-A")
        page.wait_for_selector("#panel-A[data-status=done]", timeout=120_000)
        after = _series(page, "A")
        assert len(after) == 66 and after != before
        assert max(after) > max(before)  # harsher detection, stronger youth response
        page.select_option("#group-A", "province:South Hamgyong")
        page.wait_for_function(
            "document.getElementById('plot-A').layout.title.text.includes('South Hamgyong')"
        )
        assert max(_series(page, "A")) > max(after)  # the order's province shows more
        href = page.get_attribute("#download-A", "href")
        assert href and href.endswith("/download")
        response = page.request.get(explorer.rstrip("/") + href)
        assert response.status == 200 and response.body()[:2] == b"PK"


def test_explorer_refuses_an_out_of_range_value_with_the_cli_message(explorer: str) -> None:
    with browser.page() as page:
        page.goto(explorer)
        page.wait_for_selector("body[data-ready=yes]")
        message = "enforcement.case_prob = 1.5: Input should be less than or equal to 1"
        page.fill("#params-B input[data-path='enforcement.case_prob']", "1.5")
        page.press("#params-B input[data-path='enforcement.case_prob']", "Tab")
        # Refused as soon as it is entered, before any run is asked for.
        page.wait_for_selector("#params-B input[data-path='enforcement.case_prob'].invalid")
        assert page.inner_text("#error-B") == message
        page.click("#run-B")
        page.wait_for_selector("#panel-B[data-status=refused]")
        assert page.inner_text("#error-B") == message
        page.fill("#params-B input[data-path='enforcement.case_prob']", "1")
        page.fill("#population-B", "lots")
        page.click("#run-B")
        page.wait_for_selector("#panel-B[data-status=refused]")
        assert "population.n_people" in page.inner_text("#error-B")


def test_a_run_can_be_cancelled(explorer: str) -> None:
    with browser.page() as page:
        page.goto(explorer)
        page.wait_for_selector("body[data-ready=yes]")
        page.fill("#population-A", "300000")
        page.click("#run-A")
        page.wait_for_function("document.getElementById('progress-A').value >= 1", timeout=120_000)
        page.click("#cancel-A")
        page.wait_for_selector("#panel-A[data-status=cancelled]", timeout=60_000)
        done = json.loads(
            page.evaluate("JSON.stringify(document.getElementById('progress-A').value)")
        )
        assert done < 104


def test_report_opens_offline_with_every_figure_rendered(run_dir: Path, tmp_path: Path) -> None:
    out = build_report(run_dir, tmp_path / "report.html")
    requests: list[str] = []
    with browser.page() as page:
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.wait_for_load_state("load")
        n_sections = page.locator("section.figure").count()
        assert n_sections == len(re.findall(r"<section class='figure'", out.read_text("utf-8")))
        assert n_sections >= 9
        page.wait_for_function(
            f"document.querySelectorAll('section.figure .main-svg').length >= {n_sections}"
        )
        for k in range(n_sections):
            assert page.locator("section.figure").nth(k).locator(".main-svg").count() > 0
    assert requests and all(url.startswith("file://") for url in requests)

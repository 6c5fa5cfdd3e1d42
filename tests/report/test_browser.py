"""The explorer and the report in a real (headless) browser."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loyalsim.explore.server import serve_in_thread
from loyalsim.report.html import build_report
from tests.report import browser

pytestmark = pytest.mark.skipif(
    not browser.available(), reason="Debian's chromium is not installed (.ci/run installs it)"
)

DETECT = "#params-A tr:has(input[data-path='lapses.detect_base'])"


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    server, url = serve_in_thread()
    yield url
    server.shutdown()
    server.close()


def _series(page: Any, slot: str, metric: str = "display_gap") -> list[float]:
    data = page.evaluate(
        f"document.getElementById('plot-{slot}').data.find(t => t.meta === '{metric}').y"
    )
    return list(data)


def _layout(page: Any, slot: str) -> dict[str, Any]:
    layout: dict[str, Any] = page.evaluate(
        f"JSON.parse(JSON.stringify(document.getElementById('plot-{slot}').layout))"
    )
    return layout


def _wait_for(page: Any, expression: str, timeout: float = 120.0) -> None:
    """Poll a JavaScript expression until it is true (the page's CSP forbids Playwright's
    eval-based ``wait_for_function``, which is the point of having one)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=yes]")


def test_explorer_runs_a_preset_and_a_parameter_change_changes_the_plot(explorer: str) -> None:
    with browser.page() as page:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _open(page, explorer)
        assert page.inner_text(f"{DETECT} td.unit") == "probability [0, 1]"
        title = page.get_attribute(DETECT, "title")
        assert title is not None and title.startswith("lapses.detect_base: ")
        assert "monitor" in title and "source:" in title
        assert page.inner_text(f"{DETECT} td.label").startswith("Chance a monitor")
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
        # Changed values are highlighted; the others are not.
        changed = page.eval_on_selector_all(
            "#params-A tr.changed input", "rows => rows.map(i => i.dataset.path)"
        )
        assert sorted(changed) == ["beliefs.young_multiplier", "lapses.detect_base", "time.n_steps"]
        page.click("#run-A")
        page.wait_for_selector("#panel-A[data-status=done]", timeout=120_000)
        after = _series(page, "A")
        assert len(after) == 66 and after != before
        assert max(after) > max(before)  # harsher detection, stronger youth response
        page.select_option("#group-A", "province:South Hamgyong")
        _wait_for(
            page, "document.getElementById('plot-A').layout.title.text.includes('South Hamgyong')"
        )
        assert max(_series(page, "A")) > max(after)  # the order's province shows more
        href = page.get_attribute("#download-A", "href")
        assert href and "/download?token=" in href
        response = page.request.get(explorer.split("?")[0].rstrip("/") + href)
        assert response.status == 200 and response.body()[:2] == b"PK"
    assert errors == []


def test_figures_have_labelled_axes_and_distinguished_event_markers(explorer: str) -> None:
    with browser.page() as page:
        _open(page, explorer)
        page.fill("#population-A", "4000")
        page.click("#run-A")  # the default preset: two years, every kind of event
        page.wait_for_selector("#panel-A[data-status=done]", timeout=120_000)
        layout = _layout(page, "A")
        assert layout["xaxis"]["title"]["text"] == "Date (one step per week)"
        assert layout["yaxis"]["title"]["text"]
        events = page.eval_on_selector_all(
            "#events-A li", "items => items.map(i => [i.dataset.kind, i.textContent])"
        )
        kinds = [kind for kind, _ in events]
        assert set(kinds) == {"order", "anniversary", "congress", "amnesty"}
        assert any("2026-02-02: South Hamgyong party committee order" in t for _, t in events)
        assert any(k == "congress" and "9th Party Congress" in t for k, t in events)
        # One line and one numbered tag per event, styled by kind; tags never overlap.
        shapes, notes = layout["shapes"], layout["annotations"]
        assert len(shapes) == len(notes) == len(events)
        styles = {(s["line"]["color"], s["line"]["dash"]) for s in shapes}
        assert len(styles) == 4
        assert [n["text"] for n in notes] == [str(k + 1) for k in range(len(events))]
        assert all(n["hovertext"] for n in notes)
        spots = [(n["x"], n["y"]) for n in notes]
        assert len(set(spots)) == len(spots)
        legend = page.evaluate(
            "document.getElementById('plot-A').data.filter(t => t.legendgroup === 'events')"
            ".map(t => t.name)"
        )
        assert legend == ["Campaign order", "Anniversary", "Party congress", "Amnesty"]
        names = page.evaluate(
            "document.getElementById('plot-A').data.filter(t => t.meta).map(t => t.name)"
        )
        assert names and all("_" not in n for n in names)  # labels, not raw metric names
        compare = page.evaluate(
            "JSON.parse(JSON.stringify(document.getElementById('compare').layout))"
        )
        assert compare["xaxis"]["title"]["text"] == "Date (one step per week)"
        assert len(compare["shapes"]) == len(events)


def test_campaign_orders_can_be_edited_and_are_highlighted(explorer: str) -> None:
    order = "#orders-A fieldset.order[data-index='1']"
    with browser.page() as page:
        _open(page, explorer)
        page.click("#orders-box-A summary")
        assert page.locator("#orders-A fieldset.order").count() == 3
        assert page.locator("#orders-A .changed").count() == 0
        page.select_option(f"{order} select[data-key=provinces]", ["North Hamgyong"])
        page.select_option(f"{order} select[data-key=age_groups]", ["16-30", "31-45"])
        page.fill(f"{order} input[data-key=start]", "2025-11-03")
        page.select_option(f"{order} select[data-key=regime]", "warning")
        changed = page.eval_on_selector_all(
            f"{order} label.changed", "labels => labels.map(l => l.dataset.field)"
        )
        assert sorted(changed) == ["age_groups", "provinces", "regime", "start"]
        hover = page.get_attribute(f"{order} label[data-field=provinces]", "title")
        assert hover is not None and hover.startswith("enforcement.orders.1.provinces: ")
        page.click("#add-order-A")
        assert page.locator("#orders-A fieldset.order").count() == 4
        page.click("#orders-A fieldset.order[data-index='0'] .remove-order")
        assert page.locator("#orders-A fieldset.order").count() == 3
        page.fill("#population-A", "3000")
        page.fill("#params-A input[data-path='time.n_steps']", "60")
        page.click("#run-A")
        page.wait_for_selector("#panel-A[data-status=done]", timeout=120_000)
        events = page.eval_on_selector_all("#events-A li", "items => items.map(i => i.textContent)")
        edited = [t for t in events if "2025-11-03" in t]
        assert len(edited) == 1 and "North Hamgyong" in edited[0] and "16-30, 31-45" in edited[0]
        assert "warning regime" in edited[0]
        assert not any("South Hamgyong documentary sessions" in t for t in events)  # removed
        assert any("New order" in t and "2025-01-06" in t for t in events)  # added
        # An order with no province is refused, naming the field.
        page.select_option(f"{order} select[data-key=provinces]", [])
        page.dispatch_event(f"{order} select[data-key=provinces]", "change")
        page.wait_for_selector(f"{order} select[data-key=provinces].invalid")
        assert page.inner_text("#error-A").startswith("enforcement.orders.1.provinces = []")


def test_explorer_refuses_an_out_of_range_value_with_the_cli_message(explorer: str) -> None:
    with browser.page() as page:
        _open(page, explorer)
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
        # The panel is still marked refused from the first attempt: wait for the new message
        # itself (a timeout fails the test), then check the status.
        from playwright.sync_api import expect  # imported here like the browser itself

        expect(page.locator("#error-B")).to_contain_text("population.n_people")
        assert page.get_attribute("#panel-B", "data-status") == "refused"


def test_a_run_can_be_cancelled(explorer: str) -> None:
    with browser.page() as page:
        _open(page, explorer)
        page.fill("#population-A", "300000")
        page.click("#run-A")
        _wait_for(page, "document.getElementById('progress-A').value >= 1")
        page.click("#cancel-A")
        page.wait_for_selector("#panel-A[data-status=cancelled]", timeout=60_000)
        done = json.loads(
            page.evaluate("JSON.stringify(document.getElementById('progress-A').value)")
        )
        assert done < 104


def test_the_page_without_its_token_is_refused(explorer: str) -> None:
    with browser.page() as page:
        response = page.goto(explorer.split("?")[0])
        assert response is not None and response.status == 403
        assert "?token=" in json.loads(response.text())["error"]


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

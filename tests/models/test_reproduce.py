"""The reproduction runner and its command: collection, running, printing, exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.models import reproduce
from loyalsim.models.checks import Check, CheckResult


def _check(passed: bool) -> Check:
    def run(quick: bool) -> CheckResult:
        return CheckResult("toy", f"quick={quick}", "nowhere", "x", "y", "exact", passed)

    return Check("toy", "toy", "nowhere", run)


def test_collect_finds_checks_of_each_model() -> None:
    for model in ("civil_violence", "emperors_dilemma", "thresholds"):
        checks = reproduce.collect(model)
        assert checks and all(c.model == model for c in checks)


def test_collect_unknown_model_names_allowed() -> None:
    with pytest.raises(KeyError, match="allowed"):
        reproduce.collect("nope")


def test_run_checks_passes_quick_flag_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    results = reproduce.run_checks(
        [_check(True), _check(True)], quick=True, progress=lambda d, t, c: seen.append((d, t))
    )
    assert results[0].check == "quick=True"
    assert seen == [(0, 2), (1, 2)]


@pytest.mark.parametrize(
    ("command", "passed", "code"),
    [
        ("reproduce", True, 0),
        ("reproduce", False, 1),
        ("validate", True, 0),
    ],
)
def test_command_exit_code_and_old_name(
    monkeypatch: pytest.MonkeyPatch, command: str, passed: bool, code: int
) -> None:
    monkeypatch.setattr(reproduce, "collect", lambda model=None: [_check(passed)])
    result = CliRunner().invoke(app, [command, "--quick"])
    assert result.exit_code == code
    assert "toy" in result.stdout and ("pass" if passed else "FAIL") in result.stdout
    assert ("now `loyalsim reproduce`" in result.stderr) == (command == "validate")


def test_unknown_model_is_bad_input() -> None:
    result = CliRunner().invoke(app, ["reproduce", "--model", "nope"])
    assert result.exit_code == 2
    assert "allowed" in result.stderr

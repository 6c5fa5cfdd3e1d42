"""The ``validate`` runner: collection, running, printing and the exit code."""

from __future__ import annotations

import pytest

from loyalsim import validation
from loyalsim.models.checks import Check, CheckResult


def _check(passed: bool) -> Check:
    def run(quick: bool) -> CheckResult:
        return CheckResult("toy", f"quick={quick}", "nowhere", "x", "y", "exact", passed)

    return Check("toy", "toy", "nowhere", run)


def test_collect_finds_checks_of_each_model() -> None:
    for model in ("emperors_dilemma", "thresholds"):
        checks = validation.collect(model)
        assert checks and all(c.model == model for c in checks)


def test_collect_all_includes_both_classic_models() -> None:
    models = {c.model for c in validation.collect(None)}
    assert {"emperors_dilemma", "thresholds"} <= models


def test_collect_unknown_model_names_allowed() -> None:
    with pytest.raises(KeyError, match="allowed"):
        validation.collect("nope")


def test_missing_model_package_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    modules = {"ghost": "loyalsim.models.ghost.validation"}
    monkeypatch.setattr(validation, "VALIDATION_MODULES", modules)
    assert validation.collect(None) == []


def test_run_checks_passes_quick_flag() -> None:
    results = validation.run_checks([_check(True)], quick=True)
    assert results[0].check == "quick=True"


@pytest.mark.parametrize(("passed", "code"), [(True, 0), (False, 1)])
def test_main_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], passed: bool, code: int
) -> None:
    monkeypatch.setattr(validation, "collect", lambda model, console=None: [_check(passed)])
    assert validation.main(quick=True) == code
    out = capsys.readouterr().out
    assert "toy" in out and ("pass" if passed else "FAIL") in out

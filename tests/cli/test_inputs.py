"""Bad input to ``run`` and ``check`` exits 2 naming the field, before anything is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loyalsim.cli import app

runner = CliRunner()
SMALL = ["--population", "3000", "--set", "time.n_steps=3"]


def _invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, catch_exceptions=False)


def _files(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to simulate fails the test: refusals must come before the run."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the simulation started")

    monkeypatch.setattr("loyalsim.experiment.single.write_config_run", refuse)


# (scenario file text, expected fragment of the error); each passed `check` or crashed `run`
# before (issue 14 items 4, 7, 8 and 10).
BAD_FILES = [
    ('extends = "default"\n[time]\nn_steps = true\n', "time.n_steps = true: must be a whole"),
    ('extends = "default"\n[lapses]\ndetect_base = "0.05"\n', 'lapses.detect_base = "0.05"'),
    ('extends = "default"\n[population]\nvenue_shares = [nan, 0.5, 0.5]\n', "venue_shares.0 = NaN"),
    ('extends = "default"\n[time]\nstart = 9999-06-01\n', "time.start = "),
    ('extends = "default"\n[time]\nstart = 0001-01-01\n', "allowed: 1900-01-01 to 2200-12-31"),
    (
        'extends = "civil-violence-mesa"\n[grid]\nwidth = 1000000000\n',
        "grid.width = 1000000000: Input should be less than or equal to 10000",
    ),
    ('extends = "default"\n[lapses]\nvenue_factor = ' + "[" * 3000 + "]" * 3000, "lapses.venue"),
    ('extends = "/etc/passwd"\n', 'extends = "/etc/passwd": absolute paths are not allowed'),
    ('extends = "default"\nname = "' + "x" * 1_000_000 + '"\n', "at most 200 characters"),
    (
        'extends = "default"\n[[enforcement.orders.append]]\nstart = 2026-01-05\n'
        'provinces = ["Atlantis"]\n',
        "enforcement.orders.3.provinces = ['Atlantis']: unknown province 'Atlantis'",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_bad_files_are_refused_by_check_and_run_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_simulation: None, text: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.toml").write_text(text, "utf-8")
    before = _files(tmp_path)
    for args in (["check", "bad.toml"], ["run", "bad.toml"], ["run", "bad.toml", "-o", "r"]):
        result = _invoke(args)
        assert result.exit_code == 2, result.output
        assert expected in result.output
        assert "Traceback" not in result.output
        assert _files(tmp_path) == before


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        (["lapses.venue_factor=[nan,nan,nan]"], "lapses.venue_factor.0 = NaN"),
        (["lapses.detect_base=true"], "lapses.detect_base = true: must be a number"),
        (["lapses.detect_base=0.05\nlapses.base_logit=3"], "control character '\\n'"),
        (["time.start=9999-06-01"], "time.start = "),
        (["lapses.detect_bse=0.1"], "did you mean 'detect_base'?"),
    ],
)
def test_bad_set_values_are_refused_before_the_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_simulation: None,
    sets: list[str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [arg for s in sets for arg in ("--set", s)]
    for command in (["check", "default"], ["run", "default"]):
        result = _invoke([*command, *args])
        assert result.exit_code == 2, result.output
        assert expected in result.output and "Traceback" not in result.output
    assert _files(tmp_path) == set()


def test_check_accepts_a_list_index_in_set() -> None:
    result = _invoke(["check", "default", "--set", "population.provinces.0.share=0.2"])
    assert result.exit_code == 0, result.output
    assert "population.provinces.0.share: 0.1383 -> 0.2" in result.output  # Pyongyang


def test_check_takes_the_population_option_as_run_does() -> None:
    result = _invoke(["check", "default", "--population", "5"])
    assert result.exit_code == 2 and "population.n_people = 5" in result.output
    assert "allowed" in result.output or "greater than or equal to 100" in result.output


def test_a_long_extends_chain_exits_2(tmp_path: Path) -> None:
    (tmp_path / "f0.toml").write_text('extends = "default"\n')
    for i in range(1, 1500):
        (tmp_path / f"f{i}.toml").write_text(f'extends = "f{i - 1}.toml"\n')
    result = _invoke(["check", str(tmp_path / "f1499.toml")])
    assert result.exit_code == 2 and "extends: a chain of more than 16 files" in result.output


@pytest.mark.parametrize("out", ["/proc/x", "/proc/x/y", "FILE/sub"])
def test_unwritable_out_is_refused_before_the_run(
    tmp_path: Path, no_simulation: None, out: str
) -> None:
    # issue 14 item 7: --out /proc/x failed only after the whole run
    (tmp_path / "FILE").write_text("a file, not a folder")
    out = out.replace("FILE", str(tmp_path / "FILE"))
    result = _invoke(["run", "default", "--out", out, *SMALL])
    assert result.exit_code == 2, result.output
    assert f"--out {out!r}: cannot write there" in result.output
    assert (tmp_path / "FILE").read_text() == "a file, not a folder"


def test_the_writability_probe_leaves_nothing_behind(tmp_path: Path) -> None:
    from loyalsim.cli.common import check_output_dir

    check_output_dir(tmp_path / "a" / "b" / "run", force=False)
    assert list(tmp_path.iterdir()) == []


def test_runs_without_out_get_new_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 13 item 6: a second run without --out failed on runs/latest
    monkeypatch.chdir(tmp_path)
    first = _invoke(["run", "default", *SMALL])
    second = _invoke(["run", "default", *SMALL])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    made = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(made) == 2
    for name in made:
        assert re.fullmatch(r"default-\d{8}-\d{6}-[0-9a-f]{6}", name), name
        assert (tmp_path / "runs" / name / "manifest.json").is_file()
    assert f"runs/{made[0]}" in first.output + second.output
    assert f"runs/{made[1]}" in first.output + second.output


def test_check_prints_the_changes_against_the_base(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'extends = "default"\nname = "mine"\n[lapses]\nbase_logit = -3.0\n'
        '[[enforcement.orders.append]]\nname = "[bold]x[/]"\nstart = 2026-03-02\n'
    )
    result = _invoke(["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "changes relative to preset default (extends = 'default'):" in result.output
    assert "  lapses.base_logit: -2.2 -> -3.0" in result.output
    assert "  enforcement.orders: 1 item appended (3 -> 4)" in result.output
    assert 'name = "[bold]x[/]"' in result.output  # printed literally, not as markup

"""The architecture holds: layered imports, light scenario loading, one schedule order."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from loyalsim.models.loyalty import schedule

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_loading_and_checking_a_scenario_imports_no_simulation_code() -> None:
    code = (
        "import sys\n"
        "from loyalsim.scenario.io import load\n"
        "load('default'); load('civil-violence-run1'); load('kuran')\n"
        "heavy = ('numba', 'pyarrow', 'loyalsim.engine', 'loyalsim.mechanisms',\n"
        "         'loyalsim.observe', 'loyalsim.models', 'loyalsim.store')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _numbered(text: str) -> list[tuple[int, str]]:
    """(number, name) of lines like ``3. lapses`` or `` 3. **lapses**:``."""
    return [
        (int(n), name)
        for n, name in re.findall(r"^\s*(\d+)\.\s+\**([a-z_]+)\**", text, flags=re.MULTILINE)
    ]


def test_schedule_docstring_phases_and_model_doc_give_the_same_order() -> None:
    in_code = [(1, "policy")] + [(p.number, p.name) for p in schedule.PHASES]
    assert _numbered(schedule.__doc__ or "") == in_code
    doc = (ROOT / "docs" / "MODEL.md").read_text("utf-8")
    section = doc.split("### 1.3 Process overview and scheduling", 1)[1].split("###", 1)[0]
    assert _numbered(section) == in_code
    assert [p.number for p in schedule.PHASES] == list(range(2, 2 + len(schedule.PHASES)))

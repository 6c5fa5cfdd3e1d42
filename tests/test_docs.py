"""The documentation keeps up with the code."""

from __future__ import annotations

import re
from pathlib import Path

from loyalsim.observe import amnesty_metrics, metrics
from loyalsim.scenario.doc_tables import END, START, all_tables, replace_block

ROOT = Path(__file__).resolve().parents[1]


def test_model_parameter_tables_match_the_schemas() -> None:
    text = (ROOT / "docs" / "MODEL.md").read_text("utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert replace_block(text, all_tables()) == text, (
        "docs/MODEL.md is out of date: run scripts/gen_param_docs.py"
    )


def test_every_metric_is_defined_in_the_model_document() -> None:
    text = (ROOT / "docs" / "MODEL.md").read_text("utf-8")
    for name in (*metrics.METRICS, *amnesty_metrics.METRICS):
        assert f"`{name}`" in text, name


def test_every_claim_is_traced_in_claims_md() -> None:
    text = (ROOT / "docs" / "claims.md").read_text("utf-8")
    for claim in [f"C{i}" for i in range(1, 15)] + [f"A{i}" for i in range(1, 12)]:
        assert re.search(rf"^\| {claim} \|", text, re.M), claim

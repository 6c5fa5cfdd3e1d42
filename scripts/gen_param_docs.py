"""Rewrite the generated parameter tables in docs/MODEL.md from the schemas."""

from __future__ import annotations

from pathlib import Path

from loyalsim.scenario.doc_tables import all_tables, replace_block

DOC = Path(__file__).resolve().parents[1] / "docs" / "MODEL.md"

if __name__ == "__main__":
    DOC.write_text(replace_block(DOC.read_text("utf-8"), all_tables()), "utf-8")
    print(f"updated {DOC.name}")

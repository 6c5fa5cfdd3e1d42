"""Are the results of two revisions of loyalsim bit-identical? Every preset, a few seeds.

Checks the baseline revision out into a temporary git worktree, runs every shipped preset
(the enforced-loyalty presets at a reduced population) for a few seeds in both trees, each
tree in a fresh process with its own sources first on the path, and compares the tidy tables
value for value (exact equality of every column, including the run ids, which hash the
resolved scenario). Prints one line per (preset, seed) and exits 1 on any difference, with
the largest absolute difference per metric where the values differ. Usage:

    python benchmarks/compare_tables.py BASELINE_REV [--seeds 1 2 3] [--people 20000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child with only the tree's `src` on the path; uses the public API that both
# revisions share (load, run_config).
CHILD = """
import sys
sys.path.insert(0, {src!r})
import pyarrow.parquet as pq
from loyalsim.experiment.single import run_config
from loyalsim.scenario.io import load, preset_names

for name in preset_names():
    config = load(name)
    if getattr(config, "model", "loyalty") == "loyalty":
        config = load(name, population={people})
    for seed in {seeds!r}:
        table, _ = run_config(config, seed)
        pq.write_table(table, f"{out}/{{name}}@{{seed}}.parquet")
"""


def run_tree(src: Path, out: Path, seeds: list[int], people: int) -> None:
    code = CHILD.format(src=str(src), out=str(out), seeds=seeds, people=people)
    subprocess.run([sys.executable, "-c", code], check=True)


def differences(a: pa.Table, b: pa.Table) -> list[str]:
    """Human-readable differences between two tidy tables (empty when bit-identical)."""
    if a.equals(b):
        return []
    notes = []
    if a.num_rows != b.num_rows:
        notes.append(f"rows {a.num_rows} vs {b.num_rows}")
    for column in ("run_id", "step", "date", "metric", "group"):
        if a.num_rows == b.num_rows and not a[column].equals(b[column]):
            notes.append(f"column {column} differs")
    if not notes:
        va, vb = a["value"].to_numpy(), b["value"].to_numpy()
        metrics = np.array(a["metric"].to_pylist())
        for m in sorted(set(metrics[va != vb])):
            sel = metrics == m
            notes.append(f"{m}: max |diff| {np.max(np.abs(va[sel] - vb[sel])):.3g}")
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("baseline", help="git revision to compare against (e.g. a commit)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="loyalsim-tables-") as tmp:
        base_tree, base_out, work_out = Path(tmp) / "tree", Path(tmp) / "a", Path(tmp) / "b"
        base_out.mkdir()
        work_out.mkdir()
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base_tree), args.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            run_tree(base_tree / "src", base_out, args.seeds, args.people)
            run_tree(ROOT / "src", work_out, args.seeds, args.people)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base_tree)], cwd=ROOT, check=False
            )
        failed = 0
        for path in sorted(base_out.glob("*.parquet")):
            other = work_out / path.name
            notes = ["missing in the working tree"] if not other.exists() else []
            if not notes:
                notes = differences(pq.read_table(path), pq.read_table(other))
            failed += bool(notes)
            print(f"{path.stem:40s} {'identical' if not notes else '; '.join(notes)}")
        extra = {p.name for p in work_out.glob("*.parquet")} - {
            p.name for p in base_out.glob("*.parquet")
        }
        for name in sorted(extra):
            print(f"{name[:-8]:40s} new in the working tree")
        print(f"{failed} of {len(list(base_out.glob('*.parquet')))} tables differ")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

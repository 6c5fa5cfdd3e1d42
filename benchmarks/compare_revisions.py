"""Throughput of the weekly step at two revisions of loyalsim, measured side by side.

Checks the baseline revision out into a temporary git worktree and times the full model
(all mechanisms and observation, `default` preset, 104 weekly steps) for the baseline and the
working tree in alternation, each in a fresh process with the tree's own sources first on the
path, so that machine noise hits both alike. Each process warms the kernels on a tiny run of
every step first. Figures are written to benchmarks/results.md. Usage:

    python benchmarks/compare_revisions.py BASELINE_REV [--people 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from results_file import write_section

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child with only the tree's `src` on the path; works with older Recorder
# signatures too (the recorder once took the number of people).
CHILD = """
import json, sys, time
sys.path.insert(0, {src!r})
from loyalsim.scenario.io import load

try:  # one schedule and recorder per run (from the architecture refactor on)
    from loyalsim.models.loyalty.schedule import init, iterate
    from loyalsim.observe.recorder import Recorder

    def run(scn, seed):
        state, ctx = init(scn, seed)
        rec = Recorder(ctx, state)
        t = time.perf_counter()
        for _ in iterate(state, ctx, rec):
            pass
        return time.perf_counter() - t
except ImportError:  # the earlier engine.schedule + Recorder(ctx) API
    from loyalsim.engine.schedule import step
    from loyalsim.engine.simulation import init
    from loyalsim.observe.recorder import Recorder

    def run(scn, seed):
        state, ctx = init(scn, seed)
        rec = Recorder(ctx)
        t = time.perf_counter()
        for date in scn.step_dates():
            step(state, ctx, date)
            rec.observe(state, ctx)
        return time.perf_counter() - t

over = {{"amnesty.enabled": {amnesty!r}}}
run(load("default", overrides=over, population=2000), 0)  # warm-up: every kernel loaded
scn = load("default", overrides=over, population={n})
elapsed = run(scn, 1)
print(json.dumps({{"person_steps_per_s": {n} * len(scn.step_dates()) / elapsed}}))
"""


def run_child(src: Path, n: int, amnesty: bool) -> float:
    code = CHILD.format(src=str(src), n=n, amnesty=amnesty)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["person_steps_per_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("baseline", help="git revision to compare against (e.g. a commit)")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rev = subprocess.run(
        ["git", "rev-parse", "--short", args.baseline],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), rev],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        try:
            trees = {f"baseline ({rev})": tree / "src", "working tree": ROOT / "src"}
            figures: dict[tuple[str, bool], list[float]] = {}
            for r in range(args.rounds):
                for amnesty in (False, True):
                    for label, src in trees.items():
                        value = run_child(src, args.people, amnesty)
                        figures.setdefault((label, amnesty), []).append(value)
                        print(f"round {r + 1} {label} amnesty={amnesty}: {value / 1e6:.1f} M")
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
            )
    lines = [
        f"Full model, `default` preset, {args.people:,} people, 104 weekly steps; each figure the "
        f"median of {args.rounds} fresh processes, the two revisions alternating "
        "(`benchmarks/compare_revisions.py`).",
        "",
        "| amnesty subsystem | baseline | working tree | ratio |",
        "|---|---|---|---|",
    ]
    for amnesty in (False, True):
        base = statistics.median(figures[(f"baseline ({rev})", amnesty)])
        new = statistics.median(figures[("working tree", amnesty)])
        lines.append(
            f"| {'on' if amnesty else 'off'} | {base / 1e6:.1f} M | {new / 1e6:.1f} M "
            f"| {new / base:.2f}x |"
        )
    lines.append("")
    lines.append(f"Baseline: commit {rev}. Person-steps per second.")
    print("\n".join(lines))
    if not args.no_write:
        write_section("Core step: before and after", "\n".join(lines))


if __name__ == "__main__":
    main()

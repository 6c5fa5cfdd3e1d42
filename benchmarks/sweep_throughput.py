"""Sweep throughput with 1 and 2 local workers, and peak memory as the number of runs grows.

Throughput: a small core sweep (20,000 people x 52 weeks, 48 runs) on the ``processes``
executor with 1 and then 2 workers; the pool is warmed first (imports, numba cache) so the
figure is the steady rate. Parallel efficiency = rate(2) / (2 x rate(1)).

Memory: sweeps of a trivial scenario (Granovetter's crowd of 100) with 1,000, 3,000 and
10,000 runs on the serial executor, each in a fresh process; the peak resident memory of
that process must stay flat as runs grow (specs are streamed, shards flushed in batches).
Figures go to the ``## Sweeps`` section of benchmarks/results.md. Usage:

    python benchmarks/sweep_throughput.py [--runs 1000 3000 10000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results_file import write_section

CORE = """
name = "bench-core"
base = "default"
seed = 1
replicates = {reps}
[set]
"population.n_people" = 20000
"time.start" = 2025-07-07
"time.n_steps" = 52
[axes]
"lapses.base_logit" = {{ min = -3.0, max = -1.0, levels = 4 }}
"enforcement.case_prob" = [0.2, 0.6]
[design]
kind = "full_factorial"
[keep]
metrics = ["display_gap", "accused"]
groups = ["all"]
"""

TRIVIAL = """
name = "bench-trivial"
base = "granovetter-uniform"
seed = 1
replicates = 10
[set]
"run.steps" = 20
[axes]
"crowd.size" = {{ min = 50, max = 150 }}
[design]
kind = "latin_hypercube"
samples = {points}
"""


def _sweep(text: str, folder: Path, executor: object, name: str) -> tuple[int, float]:
    from loyalsim.experiment.runner import prepare_dir, run_sweep
    from loyalsim.experiment.specs import plan_from_text

    plan = plan_from_text(text, name)
    out = folder / name
    prepare_dir(plan, out)
    t0 = time.perf_counter()
    progress = run_sweep(plan, out, executor)  # type: ignore[arg-type]
    return progress.ok, time.perf_counter() - t0


def throughput(workers: int, folder: Path) -> float:
    """Runs per second of the core sweep on ``workers`` warmed worker processes."""
    from loyalsim.experiment.executors import ProcessExecutor

    executor = ProcessExecutor(workers)
    try:
        _sweep(CORE.format(reps=workers * 2), folder, executor, f"warm{workers}")
        n, wall = _sweep(CORE.format(reps=6), folder, executor, f"core{workers}")
    finally:
        executor.close()
    return n / wall


def memory(n_runs: int) -> dict[str, float]:
    """Run in this process: peak RSS of a trivial sweep of ``n_runs`` runs."""
    from loyalsim.experiment.executors import SerialExecutor

    with tempfile.TemporaryDirectory() as tmp:
        text = TRIVIAL.format(points=n_runs // 10)
        n, wall = _sweep(text, Path(tmp), SerialExecutor(), "trivial")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"runs": n, "wall_s": wall, "peak_mb": peak / 2**20}


def in_child(n_runs: int) -> dict[str, float]:
    code = (
        "import json, sys; sys.path.insert(0, 'benchmarks');"
        f"from sweep_throughput import memory; print(json.dumps(memory({n_runs})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, nargs="+", default=[1000, 3000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rate1 = throughput(1, Path(tmp))
        rate2 = throughput(2, Path(tmp))
    efficiency = rate2 / (2 * rate1)
    print(f"1 worker {rate1:.2f} runs/s, 2 workers {rate2:.2f} runs/s, eff {efficiency:.0%}")
    mem = [in_child(n) for n in args.runs]
    for m in mem:
        print(m)
    lines = [
        "Throughput: core sweep, 48 runs of 20,000 people x 52 weeks (2 metrics, group all),",
        "`processes` executor after a warm-up.",
        "",
        "| workers | runs/s | parallel efficiency |",
        "|---:|---:|---:|",
        f"| 1 | {rate1:.2f} | - |",
        f"| 2 | {rate2:.2f} | {efficiency:.0%} |",
        "",
        "Peak memory: Granovetter crowd of 100 x 20 steps, LHS x 10 replicates, serial",
        "executor, one fresh process per size (peak resident set of the whole process).",
        "",
        "| runs | wall s | runs/s | peak RSS MB |",
        "|---:|---:|---:|---:|",
        *(
            f"| {m['runs']:,} | {m['wall_s']:.1f} | {m['runs'] / m['wall_s']:.0f} | "
            f"{m['peak_mb']:.0f} |"
            for m in mem
        ),
    ]
    write_section("Sweeps", "\n".join(lines))


if __name__ == "__main__":
    main()

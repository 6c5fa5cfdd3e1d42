"""Mesa 3.3.1's Epstein civil violence example against loyalsim's ``civil-violence-mesa``.

Two questions, answered in one process so that the machine's drift hits both alike:

1. Do the two implementations produce the same distributions? For every seed, the shares
   of active, jailed and quiet citizens are averaged over the ticks after a burn-in; the
   per-seed averages of the two models are compared with two-sample Kolmogorov–Smirnov and
   Mann–Whitney U tests (scipy), at 40×40.
2. How fast is each? Agent-steps per second (agents × ticks / stepping time), median of
   several repeats; model construction and numba compilation are excluded and numba's cold
   compile time is measured apart in a subprocess with an empty cache.

Needs the ``bench`` extra (mesa 3.3.1; its examples package also imports networkx).
Run: ``python benchmarks/mesa_civil_violence.py [--seeds 12] [--record]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

from loyalsim.models.civil_violence.simulate import run_counts
from loyalsim.scenario.schemas.civil_violence import CivilViolenceConfig, load_preset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import write_section

HEADING = "Civil violence vs Mesa 3.3.1"


def mesa_model(size: int, seed: int):
    """Mesa's example model with its own defaults at ``size``×``size``."""
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    return EpsteinCivilViolence(width=size, height=size, seed=seed)


def mesa_shares(seed: int, steps: int, burn_in: int) -> np.ndarray:
    """Mean (active, jailed, quiet) shares of one Mesa run after the burn-in."""
    model = mesa_model(40, seed)
    rows = []
    for tick in range(1, steps + 1):
        model.step()
        if tick > burn_in:
            rows.append((model.ACTIVE, model.ARRESTED, model.QUIET))
    counts = np.array(rows, dtype=float)
    return (counts / counts.sum(axis=1, keepdims=True)).mean(axis=0)


def ours_config(size: int, steps: int) -> CivilViolenceConfig:
    config = load_preset("civil-violence-mesa")
    config.grid.width = config.grid.height = size
    config.schedule.steps = steps
    return config


def ours_shares(seed: int, steps: int, burn_in: int) -> np.ndarray:
    """Mean (active, jailed, quiet) shares of one loyalsim run after the burn-in."""
    counts = run_counts(ours_config(40, steps), seed)[0][burn_in + 1 :, 0, :3].astype(float)
    shares = counts / counts.sum(axis=1, keepdims=True)
    return shares[:, [1, 2, 0]].mean(axis=0)


def compare_distributions(seeds: int, steps: int, burn_in: int) -> list[str]:
    mesa = np.array([mesa_shares(s, steps, burn_in) for s in range(seeds)])
    ours = np.array([ours_shares(s, steps, burn_in) for s in range(seeds)])
    lines = [
        f"Per-seed mean shares over ticks {burn_in + 1}–{steps}, 40×40, {seeds} seeds each:",
        "",
        "| share | Mesa mean (sd) | loyalsim mean (sd) | KS p | Mann–Whitney p |",
        "|---|---|---|---|---|",
    ]
    for j, name in enumerate(("active", "jailed", "quiet")):
        ks = stats.ks_2samp(mesa[:, j], ours[:, j]).pvalue
        mw = stats.mannwhitneyu(mesa[:, j], ours[:, j], alternative="two-sided").pvalue
        lines.append(
            f"| {name} | {mesa[:, j].mean():.4f} ({mesa[:, j].std(ddof=1):.4f}) | "
            f"{ours[:, j].mean():.4f} ({ours[:, j].std(ddof=1):.4f}) | {ks:.3f} | {mw:.3f} |"
        )
    return lines


def time_mesa(size: int, steps: int, repeats: int) -> tuple[float, int]:
    rates = []
    n_agents = 0
    for rep in range(repeats):
        model = mesa_model(size, 100 + rep)
        n_agents = len(model.agents)
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        rates.append(n_agents * steps / (time.perf_counter() - start))
    return statistics.median(rates), n_agents


def time_ours(size: int, steps: int, repeats: int) -> tuple[float, int]:
    config = ours_config(size, steps)
    counts = run_counts(config, 0)[0]  # warm-up: loads or compiles the kernels
    n_agents = int(counts[0, 0, :].sum())
    rates = []
    for rep in range(repeats):
        start = time.perf_counter()
        run_counts(config, 100 + rep)
        rates.append(n_agents * steps / (time.perf_counter() - start))
    return statistics.median(rates), n_agents


def cold_compile_seconds() -> float:
    """First run in a fresh interpreter with an empty numba cache, minus a warm run."""
    code = (
        "import time;t=time.perf_counter();"
        "from loyalsim.scenario.schemas.civil_violence import load_preset;"
        "from loyalsim.models.civil_violence.simulate import run_counts;"
        "c=load_preset('civil-violence-mesa');c.schedule.steps=1;run_counts(c,0);"
        "t1=time.perf_counter();run_counts(c,1);t2=time.perf_counter();"
        "print((t1-t)-(t2-t1))"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return float(out.stdout.strip())


# size -> (Mesa ticks, loyalsim ticks, Mesa repeats)
PLAN = {40: (50, 2000, 5), 100: (10, 500, 3), 200: (3, 200, 3), 1000: (1, 10, 1)}


def speed_table(repeats: int, with_mesa_1000: bool) -> list[str]:
    lines = [
        "| grid | agents (Mesa / loyalsim) | Mesa agent-steps/s | loyalsim agent-steps/s | ratio |",
        "|---|---|---|---|---|",
    ]
    for size, (mesa_steps, our_steps, mesa_reps) in PLAN.items():
        ours, n_ours = time_ours(size, our_steps, repeats)
        if size == 1000 and not with_mesa_1000:
            lines.append(f"| {size}×{size} | – / {n_ours} | not run | {ours:,.0f} | – |")
            continue
        mesa, n_mesa = time_mesa(size, mesa_steps, mesa_reps)
        lines.append(
            f"| {size}×{size} | {n_mesa} / {n_ours} | {mesa:,.0f} | {ours:,.0f} | "
            f"{ours / mesa:,.0f}× |"
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--burn-in", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mesa-1000", action="store_true", help="also time Mesa at 1000×1000")
    parser.add_argument("--record", action="store_true", help="write the section of results.md")
    args = parser.parse_args()
    section = compare_distributions(args.seeds, args.steps, args.burn_in)
    print("\n".join(section), flush=True)
    section += ["", "Speed (median of repeats; construction and compilation excluded):", ""]
    section += speed_table(args.repeats, args.mesa_1000)
    section += ["", f"numba cold compile (empty cache, apart): {cold_compile_seconds():.1f} s"]
    print("\n".join(section))
    if args.record:
        write_section(HEADING, "\n".join(section))


if __name__ == "__main__":
    main()

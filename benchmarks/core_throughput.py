"""Speed and memory of the enforced-loyalty model at 10^5, 10^6 and 10^7 people.

One person-step is one weekly step of the full model (all mechanisms plus observation) for
one person. Each size runs in a fresh process so that peak memory is its own; numba's
compilation is excluded (cached kernels are warmed on a tiny run first) and reported apart.
Figures are written to benchmarks/results.md. Usage:

    python benchmarks/core_throughput.py [--sizes 100000 1000000 10000000] [--repeats 3]
    python benchmarks/core_throughput.py --sizes 26000000 --steps 260 \\
        --section "Whole country"            # the whole country, five years
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

from results_file import write_section


def measure(n: int, steps: int, amnesty: bool | None) -> dict[str, float]:
    """Run in this process: build, warm-up, then time ``steps`` full steps."""
    from loyalsim.models.loyalty.schedule import init, iterate
    from loyalsim.observe.recorder import Recorder
    from loyalsim.scenario.io import load

    overrides: dict[str, object] = {"time.n_steps": steps}
    if amnesty is not None:
        overrides["amnesty.enabled"] = amnesty
    t0 = time.perf_counter()
    # The warm-up covers every step, so that kernels first used late (the amnesty's review,
    # releases) are loaded or compiled here and not inside the timed run.
    tiny = load("default", overrides=overrides, population=2000)
    state, ctx = init(tiny, 0)
    for _ in iterate(state, ctx, Recorder(ctx, state)):
        pass
    compile_s = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    scn = load("default", overrides=overrides, population=n)
    t1 = time.perf_counter()
    state, ctx = init(scn, 1)
    rec = Recorder(ctx, state)
    t2 = time.perf_counter()
    for _ in iterate(state, ctx, rec):
        pass
    t3 = time.perf_counter()
    rec.table("bench")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    state_bytes = (
        state.people.nbytes()
        + state.units.nbytes()
        + state.amnesty.nbytes()
        + state.households.nbytes()
    )
    return {
        "n": n,
        "steps": steps,
        "compile_s": compile_s,
        "build_s": t2 - t1,
        "step_s": t3 - t2,
        "person_steps_per_s": n * steps / (t3 - t2),
        "state_bytes_per_person": state_bytes / n,
        "peak_bytes_per_person": (peak - rss_before) / n,
        "total_s": t3 - t1,
    }


def in_child(n: int, steps: int, amnesty: bool | None) -> dict[str, float]:
    code = (
        "import json, sys; sys.path.insert(0, 'benchmarks');"
        "from core_throughput import measure;"
        f"print(json.dumps(measure({n}, {steps}, {amnesty!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def targets(rows: list[dict[str, float | str]]) -> list[str]:
    """Each speed and memory target (issue 10), read off the rows measured (only for the
    sizes that were run)."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    out = ["Against the targets (issue 10; 2 cores):", ""]
    goal = {"amnesty off": 45e6, "amnesty on": 35e6, "default": 35e6}
    for r in rows:
        n, variant = int(r["n"]), str(r["variant"])
        if n == 1_000_000:
            rate = float(r["person_steps_per_s"])
            out.append(
                f"- {variant}, 10^6 people: {rate / 1e6:.1f} M person-steps/s "
                f"(target >= {goal[variant] / 1e6:.0f} M: {verdict(rate >= goal[variant])})"
            )
        if n == 10_000_000:
            peak = float(r["peak_bytes_per_person"])
            out.append(
                f"- {variant}, 10^7 people: peak {peak:.0f} B/person "
                f"(target <= 150: {verdict(peak <= 150)})"
            )
        if n >= 26_000_000:
            total = float(r["total_s"])
            out.append(
                f"- {variant}, the whole country ({n:,} people, {int(r['steps'])} weeks): "
                f"{total:.0f} s including the build and spin-up "
                f"(target < 240 s: {verdict(total < 240)})"
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--steps", type=int, default=104)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--compare-amnesty",
        action="store_true",
        help="also run with the amnesty subsystem off and on",
    )
    parser.add_argument(
        "--section",
        default="Core model throughput and memory",
        help="heading of the results.md section to write (e.g. for the whole-country run)",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    variants: list[bool | None] = [False, True] if args.compare_amnesty else [None]
    rows = []
    for n in args.sizes:
        repeats = args.repeats if n <= 1_000_000 else 1
        for variant in variants:
            runs = [in_child(n, args.steps, variant) for _ in range(repeats)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            med["variant"] = {None: "default", False: "amnesty off", True: "amnesty on"}[variant]
            med["repeats"] = repeats
            rows.append(med)
            print(json.dumps(med), flush=True)
    lines = [
        "Full model (all mechanisms and observation), `default` preset, "
        f"{args.steps} weekly steps after the spin-up (`time.spin_up_weeks`, part of the "
        "build); medians of the repeats shown; compilation excluded.",
        "",
        "| people | variant | repeats | build + spin-up s | steps s | person-steps/s "
        "| state B/person | peak RSS B/person | total s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['n']):,} | {r['variant']} | {r['repeats']} | {r['build_s']:.2f} | "
            f"{r['step_s']:.2f} | {r['person_steps_per_s'] / 1e6:.1f} M | "
            f"{r['state_bytes_per_person']:.0f} | {r['peak_bytes_per_person']:.0f} | "
            f"{r['total_s']:.1f} |"
        )
    lines.append("")
    lines.append(
        f"Compile time of the kernels (first run, cache cold or warm): "
        f"{rows[0]['compile_s']:.1f} s."
    )
    lines += ["", *targets(rows)]
    if not args.no_write:
        write_section(args.section, "\n".join(lines))


if __name__ == "__main__":
    main()

"""Regenerate examples/tutorial.ipynb (run: python scripts/make_tutorial.py)."""

import nbformat as nbf

nb = nbf.v4.new_notebook()
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
nb.cells = [
    md("""# loyalsim tutorial

Run the February 2026 scenario, compare it with its counterfactual, run a small sweep and draw
the figures. Everything here works on a synthetic population and stored aggregate tables;
population sizes are kept small so that the notebook runs in a minute."""),
    code("""%matplotlib inline
import tempfile
from pathlib import Path

import loyalsim
import loyalsim.plot as lp
from loyalsim.experiment.single import write_config_run
from loyalsim.scenario.io import load

work = Path(tempfile.mkdtemp(prefix="loyalsim-tutorial-"))
print(loyalsim.__version__, work)"""),
    md("""## 1. Run a preset

`load` resolves a preset (or a TOML file) with dotted overrides; `write_config_run` writes a run
directory: `timeseries.parquet`, `scenario.toml`, `manifest.json`, `summary.png`. To keep the
notebook quick, the window is shortened to August 2025 - October 2026: it still holds the
autumn-2025 amnesty and the February 2026 order."""),
    code("""import datetime as dt

window = {"time.start": dt.date(2025, 8, 4), "time.n_steps": 64}
default = load("default", window, population=20_000)
run_dir, table, manifest = write_config_run(default, work / "default", seed=1)
print(manifest["scenario_name"], manifest["person_steps_per_s"], "person-steps/s")
table.to_pandas().query("metric == 'display_gap' and group == 'age:16-30'").tail()"""),
    md("## 2. Compare with the counterfactual without a campaign"),
    code("""none = load("no-campaign", window, population=20_000)
none_dir, _, _ = write_config_run(none, work / "none", seed=1)
lp.compare(none_dir, run_dir, ["display_public", "loyalty_private"],
           group="province:South Hamgyong", labels=("no-campaign", "default"))"""),
    md("## 3. Figures from the stored table"),
    code("""lp.timeseries(run_dir, ["display_gap"], ["age:16-30", "age:46-60"])"""),
    code("""lp.gap_over_time(run_dir, by="province")"""),
    code("""lp.gap_by_group(run_dir)"""),
    code("""lp.enforcement(run_dir)"""),
    code("""lp.amnesty(run_dir)"""),
    md("""## 4. A small sweep

A sweep file names a base preset, axes and a design; `loyalsim sweep` runs it (here on the serial
executor) and `loyalsim.open_results` reads the results with DuckDB."""),
    code("""sweep_file = work / "sweep.toml"
sweep_file.write_text('''
name = "tutorial"
base = "default"
seed = 7
replicates = 2
[set]
"population.n_people" = 3000
"time.start" = 2026-01-05
"time.n_steps" = 12
[axes]
"enforcement.case_prob" = [0.2, 1.0]
[design]
kind = "full_factorial"
[keep]
metrics = ["display_gap", "accused"]
groups = ["all"]
''')
import subprocess, sys
subprocess.run([sys.executable, "-m", "loyalsim", "sweep", str(sweep_file), "--out",
                str(work / "sweep"), "--executor", "serial"], check=True)
with loyalsim.open_results(work / "sweep") as res:
    print(res.sql('''
        select r."enforcement.case_prob" as case_prob, avg(t.value) as accused_per_week
        from timeseries t join runs r using (run_id)
        where t.metric = 'accused' group by 1 order by 1''').df())"""),
    md("""Each design point's replicates as a mean and a 5-95 % band (`lp.sensitivity` draws
Sobol or Morris indices for sweeps with those designs):"""),
    code("""lp.bands(work / "sweep", "accused")"""),
    md("""## 5. A report to send

`loyalsim report DIR --out report.html` writes one self-contained HTML file with the same
figures, interactive, that opens offline."""),
    code("""from loyalsim.report.html import build_report
print(build_report(run_dir, work / "report.html"))"""),
    md("""## 6. Calibrate to a reported fact

A target file names a base scenario, the parameters to fit with their priors, and the facts
to reproduce, each with a tolerance or a range and its source. ABC-SMC (pyabc) keeps the
parameter values whose runs meet every target (`examples/calibrate-default.toml` runs the
shipped file of reported facts). Here, one parameter against one fact (C6: "a few" accused
per work unit per month), at a tiny size so that it takes seconds."""),
    code("""targets = work / "targets.toml"
targets.write_text('''
name = "tutorial-c6"
base = "default"
seed = 3
[set]
"population.n_people" = 3000
"time.start" = 2026-01-05
"time.n_steps" = 12
[abc]
population = 20
generations = 3
predictive = 10
[[parameters]]
path = "lapses.detect_base"
prior = "log-uniform"
low = 0.005
high = 0.2
[[targets]]
metric = "accused"
group = "province:South Hamgyong"
window = { start = 2026-02-02 }
statistic = "per_work_unit"
rate = "month"
range = [0.5, 5.0]
source = "C6 (a few accused per enterprise per month)"
''')
fit = loyalsim.calibrate(targets, work / "calibration", executor="serial")
print(fit.generations[["generation", "epsilon", "acceptance_rate"]])
fit.parameters[["path", "median", "q05", "q95"]]"""),
    md("""`fit.checks` compares fresh runs at posterior draws with each target (posterior
predictive checks); `work / "calibration" / "calibrated.toml"` is a scenario with the
posterior medians, and `loyalsim report` draws the posterior, the tolerance schedule and
the checks."""),
    code("""fit.checks[["key", "low", "high", "median", "q05", "q95", "inside"]]"""),
    md("""## 7. Discover what drives an outcome

Scenario discovery asks where in a sweep's parameter space an outcome holds. The outcome
is a condition over summarised metrics, e.g. `accused@sum > 40`; PRIM finds boxes of
parameter values where it holds (coverage: share of such runs inside; density: share of
runs inside where it holds) and a classification tree splits the space into rules.
`examples/sweep-backfire.toml` asks when the campaign lowers private loyalty against
`no-campaign` (`docs/analysis.md`)."""),
    code("""lhs_file = work / "lhs.toml"
lhs_file.write_text('''
name = "tutorial-lhs"
base = "default"
seed = 5
[set]
"population.n_people" = 3000
"time.start" = 2026-01-05
"time.n_steps" = 12
[axes]
"lapses.detect_base" = { min = 0.01, max = 0.1 }
"enforcement.case_prob" = { min = 0.1, max = 1.0 }
[design]
kind = "latin_hypercube"
samples = 16
[keep]
metrics = ["accused"]
groups = ["all"]
''')
subprocess.run([sys.executable, "-m", "loyalsim", "sweep", str(lhs_file), "--out",
                str(work / "lhs"), "--executor", "serial"], check=True)
with loyalsim.open_results(work / "lhs") as res:
    median = res.con.execute('''select median(total) from (select run_id, sum(value) as total
                        from timeseries where metric = 'accused' group by 1)''').fetchone()[0]
found = loyalsim.discover(work / "lhs", f"accused@sum > {median}", work / "discovery")
found.boxes[["box", "coverage", "density", "parameter", "low", "high", "qp_low", "qp_high"]]"""),
    code("""print(found.tree_rules)"""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(
    nb,
    str(__import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "tutorial.ipynb"),
)

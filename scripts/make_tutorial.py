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
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(
    nb,
    str(__import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "tutorial.ipynb"),
)

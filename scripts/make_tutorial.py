"""Regenerate examples/tutorial.ipynb (run: python scripts/make_tutorial.py).

The notebook is stored without outputs; the documentation site and the test suite execute it.
Its prose interprets the results but never states a number: every number is printed by a cell.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "tutorial.ipynb"

code = nbf.v4.new_code_cell


def md(text: str) -> nbf.NotebookNode:
    """A markdown cell; the text may start on the line after the opening quotes."""
    cell: nbf.NotebookNode = nbf.v4.new_markdown_cell(text.strip("\n"))
    return cell


INTRO = md(
    """
# Tutorial: a campaign, its counterfactual, and what the numbers mean

This notebook runs the February 2026 scenario, compares it with a society that never received
the provincial order, runs a small sweep with replicates, and draws the figures. Along the way
it says how to read each result if you study coercion, and what a result of this model can
and cannot tell you.

Three cautions first.

- **The population is synthetic.** Every person is generated from a few published proportions
  and stated assumptions; nobody in it exists, and every output is an aggregate over a group.
- **The sources are anecdotes.** The mechanisms follow two informant-based news reports. Such
  reports rest on a few anonymous sources inside the country and cannot be checked
  independently; the model turns their account into rules, it does not confirm it.
- **The magnitudes are assumptions.** Most effect sizes (how much a struggle session erodes
  belief, how strongly the young react) are parameters that no data pins down. Read results as
  directions and comparisons between scenarios, and sweep any assumption a conclusion rests on.

Populations and time windows are kept small so that the notebook runs in about a minute."""
)

SETUP = code("""%matplotlib inline
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import loyalsim
import loyalsim.plot as lp
from loyalsim.experiment.single import write_config_run
from loyalsim.scenario.io import load

# Everything this notebook writes goes into one temporary folder,
# removed in the last cell.
workdir = tempfile.TemporaryDirectory(prefix="loyalsim-tutorial-")
work = Path(workdir.name)
print("loyalsim", loyalsim.__version__)""")

RUN_MD = md(
    """
## 1. One run of the February 2026 scenario

`load` resolves a preset (or a TOML file) with dotted overrides; `write_config_run` runs it
and writes a run directory (`timeseries.parquet`, `scenario.toml`, `manifest.json`,
`summary.png`). The window is shortened to August 2025 – October 2026: it still holds the
autumn 2025 amnesty, the January 2026 documentary sessions and the February 2026 order that
turns a detected lapse in South Hamgyong into a case for a struggle session."""
)

RUN = code("""window = {"time.start": dt.date(2025, 8, 4), "time.n_steps": 64}
population = 20_000
default = load("default", window, population=population)
run_dir, table, manifest = write_config_run(default, work / "default", seed=1)
df = table.to_pandas()
print(f"scenario {manifest['scenario_name']!r}, seed {manifest['seed']}, "
      f"{population:,} people")
first, last = df["date"].min(), df["date"].max()
print(f"{df['step'].nunique()} weeks from {first:%d %B %Y} to {last:%d %B %Y}")
print(f"{len(df):,} rows of (step, date, metric, group, value);",
      "no row describes a person")""")

GAP_MD = md(
    """
### The display–belief gap

Each synthetic person has a **public display** of loyalty (what they show at sessions, at work,
to monitors) and a **private loyalty** (what they hold), both between 0 and 1. The metric
`display_gap` is the mean of display minus private loyalty over a group. A positive gap means
people show more loyalty than they hold: the preference falsification that Kuran (1991)
describes. In a real society private loyalty cannot be observed, so no survey could measure
this gap; here it is a state of the model, and it is as good as the mechanisms that move it.

The table below averages the last twelve weeks for each age group of the whole population;
the last line compares South Hamgyong, the province of the order, with the whole population.
(A group is one province, one age group or one organisation, never a combination, so the age
table is for the whole population.)"""
)

GAP = code("""SH = "province:South Hamgyong"
AGES = ["age:16-30", "age:31-45", "age:46-60", "age:61+"]


def late_mean(frame, metric, group, weeks=12):
    \"\"\"Mean of a metric in a group over the last `weeks` weeks of a run.\"\"\"
    rows = frame[(frame.metric == metric) & (frame.group == group)]
    return rows[rows.step > rows.step.max() - weeks].value.mean()


print("mean of the last 12 weeks, whole population, by age group")
print(f"{'age':>6} {'display':>8} {'loyalty':>8} {'gap':>8}")
gaps = {}
for age in AGES:
    shown, held, gaps[age] = (
        late_mean(df, metric, age)
        for metric in ("display_public", "loyalty_private", "display_gap"))
    label = age.removeprefix("age:")
    print(f"{label:>6} {shown:8.3f} {held:8.3f} {gaps[age]:8.3f}")
print(f"widest gap: ages {max(gaps, key=gaps.get).removeprefix('age:')}")
print(f"gap in South Hamgyong (all ages) "
      f"{late_mean(df, 'display_gap', SH):.3f}, in the whole population "
      f"{late_mean(df, 'display_gap', 'all'):.3f}")""")

GAP_READ = md(
    """
How to read this: if the youngest group shows the widest gap, it agrees with the report
that the campaign singles out young workers and that they go through the motions least
sincerely (claims C5 and C9). But the model makes the young react more strongly by assumption
(`beliefs.young_multiplier`) and targets them by the order's own terms, so the age profile is
partly built in: the run tells you how large the difference is *under these assumptions*, not
that the young really hide more. To learn how much a conclusion depends on such a parameter,
sweep it (section 4)."""
)

CF_MD = md(
    """
## 2. The counterfactual: the same society without the order

`no-campaign` is the same scenario without any provincial order: lapses only ever draw a
lecturer's warning. Each mechanism draws its random numbers from its own named stream, so with
the same seed the two runs are the same society, draw for draw, until the first order (5
January 2026). The first line below checks that."""
)

CF = code("""none = load("no-campaign", window, population=population)
none_dir, none_table, _ = write_config_run(none, work / "none", seed=1)
base = none_table.to_pandas()

key = ["step", "metric", "group"]
paired = df.merge(base, on=key + ["date"], suffixes=("_campaign", "_none"))
before = paired[paired.date < dt.date(2026, 1, 5)]
largest = (before.value_campaign - before.value_none).abs().max()
print(f"before 5 January 2026: {len(before):,} paired values,",
      f"largest difference {largest:.3g}")

print()
print("campaign minus no campaign, mean of the last 12 weeks")
print(f"{'metric':>16} {'S. Hamgyong':>12} {'whole pop.':>11}")
for metric in ["display_public", "loyalty_private", "display_gap",
               "resentment", "hidden_dissent", "cascade_risk", "open_dissent"]:
    diffs = [late_mean(df, metric, group) - late_mean(base, metric, group)
             for group in (SH, "all")]
    print(f"{metric:>16} {diffs[0]:+12.3f} {diffs[1]:+11.3f}")""")

CF_READ = md(
    """
**What the comparison shows.** Because both runs share every draw up to the order, every
difference after it is caused by the order *within the model*: this is the clean
counterfactual that no real society offers. Read the signs first. A campaign that raises
display while lowering private loyalty widens the gap from both sides; rising resentment and
hidden dissent with open dissent unchanged is the pattern Kuran and Granovetter describe, a
public picture of compliance over private opposition that enforcement keeps hidden.
`cascade_risk` is the share that would end up dissenting openly if enforcement stopped; it is
a risk the model computes, not an uprising it simulates. The whole-population column is
smaller than the provincial one because the order reaches one province of eleven.

**What it does not show.** It does not show that the real campaign had these effects: the
sizes follow from assumed parameters (the severities of the regimes, and the weights of the
competing belief mechanisms: erosion under coercion against internalisation of the ritual
and inference from others' display), and the mechanisms themselves come from anecdotal
reports. Even the sign of the change in private loyalty is an assumption's: run the presets
`analysts-view` and `ritual-builds-belief` to see the same campaign lower it under one theory
and raise it under the other (the beliefs section of `docs/MODEL.md`). After
the order the two runs' random paths diverge, so part of any single difference is chance: one
seed against one seed has no interval (section 4 adds replicates). And the population here is
small; the campaign province holds only a share of it."""
)

FIG_MD = md(
    """
## 3. Figures from the stored table

Every figure is drawn from the stored aggregate table, the same data as the HTML report.
Vertical lines mark dated events of the scenario (orders, anniversaries, the amnesty).
First the two runs side by side in South Hamgyong:"""
)

FIG_COMPARE = code("""lp.compare(none_dir, run_dir, ["display_public", "loyalty_private"],
           group=SH, labels=("no-campaign", "default"))""")

FIG_AGE_MD = md(
    """
The gap over time, one line per age group: watch whether the lines part at the orders
or were already apart, and whether they keep moving after the order or settle."""
)

FIG_AGE = code("""lp.gap_over_time(run_dir, by="age")""")

FIG_GROUPS_MD = md(
    """
The gap averaged over the last quarter of the run, for every group (provinces, ages,
organisations): a quick way to see where the gap is concentrated."""
)

FIG_GROUPS = code("""lp.gap_by_group(run_dir)""")

ENF_MD = md(
    """
### Enforcement and false criticism

Enforcement counts are weekly events, drawn on a log scale because lapses outnumber cases by
orders of magnitude. At a struggle session every team-mate present must criticise the accused.
In the model a criticism is *sincere* when the speaker's private loyalty is above a threshold
(`struggle.sincere_loyalty_threshold`) and *false* otherwise: false criticism is the "false
enforcement" of Centola, Willer and Macy (2005), people enforcing a norm they do not hold."""
)

ENF = code("""display(lp.enforcement(run_dir))

after = df[(df.group == SH) & (df.date >= dt.date(2026, 2, 2))]
totals = after.groupby("metric").value.sum()
weeks = after.step.nunique()
criticisms = totals["criticisms_false"] + totals["criticisms_sincere"]
print(f"South Hamgyong, {weeks} weeks from the order of 2 February 2026:")
print(f"  {totals['accused'] / weeks:.1f} people accused a week, "
      f"{totals['struggle_sessions'] / weeks:.1f} struggle sessions a week")
false_share = totals["criticisms_false"] / criticisms
print(f"  {criticisms:,.0f} criticisms voiced, {false_share:.0%} false")""")

ENF_READ = md(
    """
If most criticism is false, the struggle sessions mostly stage a consensus that the people
voicing it do not share, the situation the report describes (claim C7). In the model that
share follows directly from the distribution of private loyalty and the threshold, which is an
assumption; what the run adds is how the share moves as the campaign erodes belief. The counts
scale with the synthetic population: compare them per 1,000 people, or between scenarios, not
with any real tally."""
)

AMN_MD = md(
    """
### The amnesty

The same run carries the amnesty subsystem: in the week before the party's 80th anniversary a
committee reviews every inmate; people are released through merit, family channels,
self-report or bribery, then supervised, and some are re-arrested."""
)

AMN = code("""display(lp.amnesty(run_dir))

amnesty = df[df.group == "all"].groupby("metric").value.sum()
bought = df[(df.metric == "share_releases_bought") & (df.group == "all")].value
print(f"reviews {amnesty['reviews']:,.0f},",
      f"releases {amnesty['releases']:,.0f},",
      f"qualified but denied {amnesty['qualified_denied']:,.0f}")
if len(bought):
    print(f"share of releases bought: {bought.iloc[-1]:.0%}")""")

AMN_READ = md(
    """
The channels and the bribery rules come from a single informant-based report about one
amnesty: a picture of how such a review can work, not of how often each channel is used. The
share of releases bought depends directly on the assumed `amnesty.bribery` and
`amnesty.corruption` parameters; the presets `amnesty-no-bribery` and `amnesty-merit-only` are
the counterfactuals to compare against (for example with `lp.compare`)."""
)

SWEEP_MD = md(
    """
## 4. Replicates and intervals: a small sweep

A single run is one draw of a stochastic process. With a few thousand synthetic people, chance
alone can move a result by as much as a policy does, so a claim that one setting differs from
another needs replicates: the same setting run with different seeds, summarised by a mean and
an interval. The sweep below varies `enforcement.case_prob`, the chance that a detected lapse
opens a case under the struggle regime, at two values, with three replicates each."""
)

SWEEP = code("""sweep_file = work / "sweep.toml"
sweep_file.write_text('''
name = "tutorial"
base = "default"
seed = 7
replicates = 3
[set]
"population.n_people" = 5000
"time.start" = 2026-01-05
"time.n_steps" = 16
[axes]
"enforcement.case_prob" = [0.2, 1.0]
[design]
kind = "full_factorial"
[keep]
metrics = ["display_gap", "accused"]
groups = ["all", "province:South Hamgyong"]
''')
loyalsim_cli = [sys.executable, "-m", "loyalsim"]
subprocess.run([*loyalsim_cli, "sweep", str(sweep_file),
                "--out", str(work / "sweep"), "--executor", "serial"],
               check=True, capture_output=True)

with loyalsim.open_results(work / "sweep") as res:
    per_run = res.sql('''
        select r."enforcement.case_prob" as case_prob, r.replicate,
               sum(t.value) filter (where t.metric = 'accused')
                   as accused_16_weeks,
               arg_max(t.value, t.step) filter (where t.metric = 'display_gap')
                   as gap_last_week
        from timeseries t join runs r using (run_id)
        where t."group" = 'province:South Hamgyong'
        group by all order by 1, 2''').df()
print(per_run.to_string(index=False))""")

SWEEP_NOTE = md(
    """
One line per run, in South Hamgyong: compare the spread between replicates of one setting
with the difference between the settings. `loyalsim summarize` turns the replicates of each
design point into a mean and a 95 % interval (a Student-t interval over replicates), here for
the gap averaged over the last four weeks:"""
)

SUMMARY = code("""plain = {**os.environ, "TERM": "dumb"}  # a table without terminal colours
summary = subprocess.run(
    [*loyalsim_cli, "summarize", str(work / "sweep"), "--metric",
     "display_gap", "--group", "province:South Hamgyong", "--window", "4"],
    check=True, capture_output=True, text=True, env=plain)
print(summary.stdout)""")

SWEEP_READ = md(
    """
How to read this: compare the distance between the two design points with the width of
their intervals. If the intervals overlap widely, this sweep cannot tell the two settings apart
at this population size and number of replicates, however different the two means look; more
replicates or a larger population narrow the intervals. If they are clearly apart, the model
responds to the parameter more than to chance. Either way the interval measures only the
model's own randomness: it says nothing about whether the parameter values, the mechanisms or
the reports they come from are right. A mean and 5–95 % band per design point over time:"""
)

BANDS = code("""lp.bands(work / "sweep", "display_gap", group="province:South Hamgyong")""")

REPORT_MD = md(
    """
## 5. A report to send

`loyalsim report DIR --out report.html` writes one self-contained HTML file with the same
figures, interactive, that opens offline and records the scenario, seed and version."""
)

REPORT = code("""from loyalsim.report.html import build_report

report = build_report(run_dir, work / "report.html")
print(f"{report.name}: {report.stat().st_size / 1e6:.1f} MB")""")

CLEANUP_MD = md(
    """
## 8. Clean up

The run directories above were only for this notebook: remove them. To keep results, pass
your own directory to `write_config_run` instead (or use `loyalsim run NAME --out DIR`)."""
)

# Calibration and scenario discovery (issue 12): fitting parameters to reported facts, and
# finding which assumptions drive an outcome across a sweep.
ANALYSIS = [
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

CLEANUP = code("""workdir.cleanup()
print("temporary folder removed:", not work.exists())""")


def build() -> nbf.NotebookNode:
    """The tutorial notebook, without outputs."""
    nb = nbf.v4.new_notebook()
    nb.cells = [
        INTRO,
        SETUP,
        RUN_MD,
        RUN,
        GAP_MD,
        GAP,
        GAP_READ,
        CF_MD,
        CF,
        CF_READ,
        FIG_MD,
        FIG_COMPARE,
        FIG_AGE_MD,
        FIG_AGE,
        FIG_GROUPS_MD,
        FIG_GROUPS,
        ENF_MD,
        ENF,
        ENF_READ,
        AMN_MD,
        AMN,
        AMN_READ,
        SWEEP_MD,
        SWEEP,
        SWEEP_NOTE,
        SUMMARY,
        SWEEP_READ,
        BANDS,
        REPORT_MD,
        REPORT,
        *ANALYSIS,
        CLEANUP_MD,
        CLEANUP,
    ]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids: regenerating gives the same file
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    nbf.write(build(), str(NOTEBOOK))

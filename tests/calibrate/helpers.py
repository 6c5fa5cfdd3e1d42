"""Target files for the calibration tests: Kuran's model, which runs in milliseconds."""

from __future__ import annotations

from pathlib import Path

from loyalsim.experiment.single import run_config
from loyalsim.scenario.io import load

FIXED = {"kuran.size": 1000, "run.steps": 20, "kuran.shock_step": 19}
TRUTH = {"kuran.private_mean": 0.42, "kuran.private_concentration": 3.0}

TARGETS = """
name = "{name}"
base = "kuran"
seed = {seed}

[set]
"kuran.size" = 1000
"run.steps" = 20
"kuran.shock_step" = 19

[abc]
population = {population}
generations = {generations}
final_epsilon = {final_epsilon}
predictive = {predictive}

[[parameters]]
path = "kuran.private_mean"
low = 0.2
high = 0.8

[[parameters]]
path = "kuran.private_concentration"
prior = "log-uniform"
low = 0.5
high = 20.0

[[targets]]
name = "mean_private"
metric = "private_opposition"
window = {{ first = 1, last = 15 }}
value = {mean_private}
tolerance = 0.02
source = "assumption"

[[targets]]
name = "opposed_share"
metric = "privately_opposed"
window = {{ first = 1, last = 15 }}
value = {opposed_share}
tolerance = 0.04
source = "assumption"

[[targets]]
name = "mean_private_opposed"
metric = "private_opposition"
group = "private:opposed"
value = {mean_private_opposed}
tolerance = 0.03
source = "assumption"
"""


def observed_at_truth(seed: int) -> dict[str, float]:
    """The three statistics of one run of the model at the true parameter values."""
    from loyalsim.calibrate.plan import plan_from_text
    from loyalsim.calibrate.summary import evaluate

    config = load("kuran", overrides={**FIXED, **TRUTH})
    table, _ = run_config(config, seed)
    text = TARGETS.format(
        name="probe",
        seed=1,
        population=10,
        generations=1,
        final_epsilon=1.0,
        predictive=0,
        mean_private=0.5,
        opposed_share=0.5,
        mean_private_opposed=0.75,
    )
    return evaluate(table, plan_from_text(text, "probe").targets)


def write_targets(
    folder: Path,
    seed: int = 1,
    observed: dict[str, float] | None = None,
    population: int = 60,
    generations: int = 5,
    final_epsilon: float = 0.5,
    predictive: int = 8,
    name: str = "kuran-fit",
) -> Path:
    """A Kuran target file; the observed values default to a run at the truth."""
    values = observed or observed_at_truth(seed)
    path = folder / f"{name}.toml"
    path.write_text(
        TARGETS.format(
            name=name,
            seed=seed,
            population=population,
            generations=generations,
            final_epsilon=final_epsilon,
            predictive=predictive,
            **values,
        ),
        "utf-8",
    )
    return path

"""The recorder: after each week, one (group x metric) matrix; at the end, the tidy table.

``observe`` runs the week's observation pass (``observe.sums``), finds each province's C14
fixed points and counts who would act per cell (``observe.dissent``), folds cells into
groups and stores the week's row. Nothing
here writes to the state.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import State
from loyalsim.mechanisms.policy import REGIME_STRUGGLE
from loyalsim.observe import amnesty_metrics, dissent, metrics
from loyalsim.observe.metrics import Col
from loyalsim.observe.sums import WeekSums, week_sums
from loyalsim.store.tidy import to_table


class Recorder:
    """Collects one (group x metric) matrix per step."""

    def __init__(self, ctx: RunContext, state: State) -> None:
        scn = ctx.scenario
        self.province_names = [p.name for p in scn.population.provinces]
        self.groups = metrics.group_names(self.province_names)
        self.n_core_groups = len(self.groups)
        self.metrics = list(metrics.METRICS)
        self.amnesty = scn.amnesty.enabled
        if self.amnesty:  # the amnesty subsystem adds groups and metrics of its own
            self.groups += list(amnesty_metrics.EXTRA_GROUPS)
            self.metrics += [m for m in amnesty_metrics.METRICS if m not in self.metrics]
            self._amnesty_cols = [self.metrics.index(m) for m in amnesty_metrics.METRICS]
        self.dates = scn.step_dates()
        self.values = np.full((len(self.dates), len(self.groups), len(self.metrics)), np.nan)
        self.dissent = dissent.params(scn)
        n_prov = len(self.province_names)
        self.n_cells = n_prov * metrics.CELLS_PER_PROVINCE
        units = state.units  # units and where people live never change during a run
        self._work_units = metrics.work_units_by_group(units.kind, units.province_idx, n_prov)
        self._province_chunks = dissent.province_chunks(
            state.people.province_idx, n_prov, dissent.N_CHUNKS
        )

    def observe(self, state: State, ctx: RunContext, week: Week) -> None:
        """Record the aggregates of the week just finished (reads the state only)."""
        ppl, units, pol = state.people, state.units, week.policy
        sums = week_sums(
            ppl, state.amnesty, state.households, self.n_cells, self.amnesty, week.step
        )
        by_cell = sums.core
        n_prov = len(self.province_names)
        acting, _ = dissent.province_cascades(
            self.dissent, ppl, pol, ctx.severity, self._province_chunks, n_prov, self.n_cells
        )
        by_cell[:, Col.hidden_dissent] = acting[:, dissent.ALONE]
        by_cell[:, Col.cascade_risk] = acting[:, dissent.CASCADE]
        by_cell[:, Col.open_dissent] = acting[:, dissent.OPEN]
        metrics.finish_cells(by_cell, pol, REGIME_STRUGGLE)
        group_rows = metrics.group_sums(by_cell, n_prov)
        struggles = metrics.unit_struggle_counts(units.struggle_orgs, units.province_idx, n_prov)
        several = metrics.unit_struggle_counts(units.struggle_several, units.province_idx, n_prov)
        skill = metrics.skill_by_group(units.monitor_skill, units.province_idx, n_prov)
        row = self.values[week.step]
        row[: self.n_core_groups, : len(metrics.METRICS)] = metrics.finish(
            group_rows, struggles, several, skill, self._work_units
        )
        if self.amnesty:
            self._observe_amnesty(sums, n_prov, row)

    def _observe_amnesty(self, sums: WeekSums, n_prov: int, row: np.ndarray) -> None:
        n_core, cols = self.n_core_groups, self._amnesty_cols
        core = amnesty_metrics.finish(metrics.group_sums(sums.am_cell, n_prov), False)
        n_hh, n_off = len(amnesty_metrics.HH_GROUPS), len(amnesty_metrics.OFFENCE_GROUPS)
        k = len(amnesty_metrics.COUNT_METRICS) + len(amnesty_metrics.RATIO_METRICS)
        row[:n_core, cols[:k]] = core[:, :k]
        row[n_core : n_core + n_hh, cols] = amnesty_metrics.finish(sums.am_hh, True)
        start = n_core + n_hh
        row[start : start + n_off, cols[:k]] = amnesty_metrics.finish(sums.am_off, False)[:, :k]
        # Channel groups hold releases only: other counts would mislead there.
        keep = [amnesty_metrics.METRICS.index(m) for m in amnesty_metrics.CHANNEL_METRICS]
        by_channel = amnesty_metrics.finish(sums.am_ch, False)
        row[start + n_off :, [cols[j] for j in keep]] = by_channel[:, keep]

    def table(self, run_id: str, n_steps: int | None = None) -> pa.Table:
        """The tidy table of the first ``n_steps`` steps (default: every step)."""
        n = len(self.dates) if n_steps is None else n_steps
        values = self.values[:n]
        return to_table(run_id, np.arange(n), self.dates[:n], self.metrics, self.groups, values)

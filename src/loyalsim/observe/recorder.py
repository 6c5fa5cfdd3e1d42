"""The recorder: calls the read-only reducers after each step and builds the tidy table."""

from __future__ import annotations

import numba as nb
import numpy as np
import pyarrow as pa

from loyalsim.engine.population import State
from loyalsim.engine.schedule import Context
from loyalsim.mechanisms import dissent
from loyalsim.mechanisms.policy import REGIME_STRUGGLE
from loyalsim.observe import amnesty_metrics, metrics
from loyalsim.observe.tidy import to_table


class Recorder:
    """Collects one (group x metric) matrix per step."""

    def __init__(self, ctx: Context) -> None:
        scn = ctx.scenario
        self.province_names = [p.name for p in scn.population.provinces]
        self.groups = metrics.group_names(self.province_names)
        self.metrics = list(metrics.METRICS)
        self.amnesty = scn.amnesty.enabled
        if self.amnesty:  # the amnesty subsystem adds groups and metrics of its own
            self.groups += list(amnesty_metrics.EXTRA_GROUPS)
            self.metrics += [m for m in amnesty_metrics.METRICS if m not in self.metrics]
            self._amnesty_cols = [self.metrics.index(m) for m in amnesty_metrics.METRICS]
        self.dates = scn.step_dates()
        self.values = np.full((len(self.dates), len(self.groups), len(self.metrics)), np.nan)
        self._dissent_params = dissent.pack_params(scn)
        self._work_units: np.ndarray | None = None

    def observe(self, state: State, ctx: Context) -> None:
        """Record the aggregates of the step just finished (reads the state only)."""
        scn, ppl, units, pol = ctx.scenario, state.people, state.units, ctx.policy
        assert pol is not None, "observe() is called after a step"
        resolution = scn.dissent.resolution
        counts = dissent.threshold_counts(
            ppl.cell_idx,
            pol.regime,
            pol.intensity,
            ctx.severity,
            ppl.fear,
            ppl.resentment,
            ppl.loyalty_private,
            ppl.speak_threshold,
            self._dissent_params,
            resolution,
            nb.get_num_threads(),
        )
        bin_free, bin_enforced = dissent.cascade_bins(counts, resolution)
        n_prov = len(self.province_names)
        by_cell = metrics.cell_sums(
            ppl.cell_idx,
            len(pol.regime),
            pol.regime,
            pol.intensity,
            ppl.display_public,
            ppl.loyalty_private,
            ppl.resentment,
            ppl.cynicism,
            ppl.fatigue,
            ppl.concealment,
            ppl.fear,
            ppl.speak_threshold,
            ctx.severity,
            self._dissent_params,
            resolution,
            bin_free,
            bin_enforced,
            ppl.n_sessions_attended,
            ppl.n_lapses,
            ppl.n_detected,
            ppl.n_warnings,
            ppl.is_accused_new,
            ppl.is_struggled,
            ppl.n_struggles_attended,
            ppl.n_criticisms_sincere,
            ppl.n_criticisms_false,
            REGIME_STRUGGLE,
        )
        sums = metrics.group_sums(by_cell, n_prov)
        struggles = metrics.unit_struggle_counts(units.struggle_orgs, units.province_idx, n_prov)
        skill = metrics.skill_by_group(units.monitor_skill, units.province_idx, n_prov)
        if self._work_units is None:  # units never change during a run
            self._work_units = metrics.work_units_by_group(units.kind, units.province_idx, n_prov)
        row = self.values[state.step - 1]
        n_core = len(metrics.group_names(self.province_names))
        row[:n_core, : len(metrics.METRICS)] = metrics.finish(
            sums, struggles, skill, self._work_units
        )
        if self.amnesty:
            self._observe_amnesty(state, len(pol.regime), n_prov, n_core, row)

    def _observe_amnesty(
        self, state: State, n_cells: int, n_prov: int, n_core: int, row: np.ndarray
    ) -> None:
        ppl, jus, hh = state.people, state.justice, state.households
        by_cell, by_hh, by_off, by_ch = amnesty_metrics.sums(
            ppl.cell_idx,
            n_cells,
            ppl.household_idx,
            hh.has_soldier_abroad,
            hh.is_hero_family,
            hh.wealth_quintile,
            jus.status,
            jus.offence,
            jus.offence_now,
            jus.is_arrested,
            jus.is_self_report,
            jus.release_channel,
            jus.is_reviewed,
            jus.is_qualified_denied,
            jus.is_violation,
            jus.remaining_at_release,
            jus.step_released,
            jus.is_rearrested_12m,
            ppl.loyalty_private,
            ppl.resentment,
            state.step - 1,
        )
        cols = self._amnesty_cols
        core = amnesty_metrics.finish(metrics.group_sums(by_cell, n_prov), household_rows=False)
        n_hh, n_off = len(amnesty_metrics.HH_GROUPS), len(amnesty_metrics.OFFENCE_GROUPS)
        k = len(amnesty_metrics.COUNT_METRICS) + len(amnesty_metrics.RATIO_METRICS)
        row[:n_core, cols[:k]] = core[:, :k]
        row[n_core : n_core + n_hh, cols] = amnesty_metrics.finish(by_hh, household_rows=True)
        start = n_core + n_hh
        row[start : start + n_off, cols[:k]] = amnesty_metrics.finish(by_off, False)[:, :k]
        # Channel groups hold releases only: other counts would mislead there.
        keep = [amnesty_metrics.METRICS.index(m) for m in amnesty_metrics.CHANNEL_METRICS]
        by_channel = amnesty_metrics.finish(by_ch, False)
        row[start + n_off :, [cols[j] for j in keep]] = by_channel[:, keep]

    def table(self, run_id: str, n_steps: int | None = None) -> pa.Table:
        """The tidy table of the first ``n_steps`` steps (default: every step)."""
        n = len(self.dates) if n_steps is None else n_steps
        values = self.values[:n]
        return to_table(run_id, np.arange(n), self.dates[:n], self.metrics, self.groups, values)

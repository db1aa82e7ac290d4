//! The step loop: one `run` of a [`Network`], step by step in Brian2's schedule (see
//! [`super::network`] for the order of the slots), with the pathways, `PoissonInput`s, monitors
//! and the NaN/infinity check of each step.

use super::clock::{Clock, Clocks};
use super::group::NeuronGroup;
use super::kernels::{self, Bound, ScalarEnv};
use super::network::{CompiledGroup, CompiledSynapses, Network, RunError};
use super::synapses::{PathwaySide, Synapses};
use crate::backend::Stores;
use crate::monitor::{Monitor, Source, SpikeMonitor, StateMonitor};
use ndarray::Array1;
use std::sync::atomic::Ordering;

impl Network {
    /// The scalars of a kernel over `n` elements whose variables belong to clock `c`: its
    /// current time, step and step counter (`t` and `dt` of a group are its clock's, as are a
    /// synapse's, whichever clock runs the kernel, as in Brian2).
    fn env(&self, c: &Clock, n: usize) -> ScalarEnv {
        ScalarEnv {
            t: c.t(),
            dt: c.dt,
            n: n as f64,
            step: c.step,
            ..ScalarEnv::default()
        }
    }

    fn syn_env(&self, s: &Synapses, c: &Clock) -> ScalarEnv {
        ScalarEnv {
            n_pre: s.source.len() as f64,
            n_post: s.target.len() as f64,
            pre_offset: s.source.start as f64,
            post_offset: s.target.start as f64,
            ..self.env(c, s.len())
        }
    }

    /// The clocks of a run from `self.time` to `end` and the clock of each object.
    fn schedule(&self, end: f64) -> (Clocks, ObjectClocks) {
        let mut dts = vec![self.dt];
        let mut clock_of = |dt: f64| match dts.iter().position(|&d| d == dt) {
            Some(k) => k,
            None => {
                dts.push(dt);
                dts.len() - 1
            }
        };
        let groups: Vec<usize> = (0..self.groups.len())
            .map(|g| clock_of(self.group_dt(g)))
            .collect();
        let synapses = (0..self.synapses.len())
            .map(|s| clock_of(self.synapses_dt(s)))
            .collect();
        let monitors = self
            .monitors
            .iter()
            .map(|m| clock_of(self.monitor_dt(m)))
            .collect();
        let clocks = dts
            .iter()
            .map(|&dt| Clock::for_run(dt, self.time, end))
            .collect();
        let objects = ObjectClocks {
            groups,
            synapses,
            monitors,
        };
        (Clocks::new(clocks), objects)
    }

    /// Runs from `self.time` to `end` (s).
    pub(super) fn simulate(
        &mut self,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
        end: f64,
    ) -> Result<(), RunError> {
        let mut scratch = Vec::new();
        // Only columns that some kernel writes can become non-finite during the loop; the
        // others are checked once, before the first step.
        let written = kernels::written_columns(
            groups
                .iter()
                .flat_map(|c| std::iter::once(&c.step).chain(&c.reset))
                .chain(synapses.iter().flat_map(|s| {
                    s.update
                        .iter()
                        .chain(&s.pathways)
                        .chain(s.summed.iter().map(|x| &x.0))
                })),
            self.columns.len(),
        );
        // Brian2 runs the objects of a slot with the same `order` sorted by name: the state
        // updaters `<name>_stateupdater` of groups and synapses (so 'neurongroup_1' before
        // 'neurongroup', and neuron groups before 'synapses'). It matters where one object
        // reads what another writes in the same slot (a linked variable, a clock-driven
        // synapse reading `v_post`).
        let mut updaters: Vec<(String, Updater)> = self
            .groups
            .iter()
            .enumerate()
            .map(|(k, g)| (format!("{}_stateupdater", g.name), Updater::Group(k)))
            .chain(
                self.synapses
                    .iter()
                    .enumerate()
                    .map(|(k, s)| (format!("{}_stateupdater", s.name), Updater::Synapses(k))),
            )
            .collect();
        updaters.sort_by(|a, b| a.0.cmp(&b.0));
        let updaters: Vec<Updater> = updaters.into_iter().map(|(_, u)| u).collect();
        let (mut clocks, on) = self.schedule(end);
        let default = clocks.clocks[0];
        self.step = default.step;
        let steps = default.end - default.step;
        let mut first = true;
        while let Some(t) = clocks.next_tick() {
            let stored = self.tick(groups, synapses, &updaters, &clocks, &on, &mut scratch);
            if first || stored == Stores::MaybeNonFinite {
                self.check_finite(t, (!first).then_some(&written[..]))?;
            }
            first = false;
            let ticked_default = clocks.active[0];
            clocks.advance();
            self.step = clocks.clocks[0].step;
            if ticked_default {
                if let Some(p) = self.progress.as_mut() {
                    p(self.step - default.step, steps);
                }
            }
            if self
                .interrupt
                .as_ref()
                .is_some_and(|f| f.load(Ordering::Relaxed))
            {
                let time = clocks
                    .clocks
                    .iter()
                    .map(Clock::t)
                    .fold(f64::INFINITY, f64::min);
                return Err(RunError::Interrupted { time });
            }
        }
        Ok(())
    }

    /// One tick: the objects of the active clocks, slot by slot in Brian2's order; reports
    /// whether some kernel (or input) may have stored NaN or infinity.
    fn tick(
        &mut self,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
        updaters: &[Updater],
        clocks: &Clocks,
        on: &ObjectClocks,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let active = |c: usize| clocks.active[c];
        let clock = |c: usize| &clocks.clocks[c];
        let mut stored = Stores::Finite;
        // before_start: table values (for the objects on the default clock, which read a
        // table's current row) and stored subexpressions for this step.
        if active(0) {
            let (t, dt) = (clock(0).t(), clock(0).dt);
            for (k, table) in self.tables.iter().enumerate() {
                // The row column and, right after it, the values (`Network::add_table`).
                let c = self.table_columns[k];
                let (rows, rest) = self.columns.split_at_mut(c + 1);
                if let (Some(row), Some(values)) = (rows[c].as_slice_mut(), rest[0].as_slice()) {
                    table.row_at(values, t, dt, row);
                }
            }
        }
        for (k, c) in groups.iter().enumerate() {
            if let (true, Some(b)) = (active(on.groups[k]), &c.subexpressions) {
                stored = stored.join(self.run_over_group(b, k, clock(on.groups[k]), scratch));
            }
        }
        // start: run_regularly operations (their default names `neurongroup_run_regularly*`
        // sort before `statemonitor*` in Brian2's schedule), then StateMonitors record the
        // state at time t.
        for (k, c) in groups.iter().enumerate() {
            let gc = on.groups[k];
            if !active(gc) {
                continue;
            }
            let mut ran = false;
            for (b, period) in &c.regular {
                if clock(gc).step.is_multiple_of(*period) {
                    stored = stored.join(self.run_over_group(b, k, clock(gc), scratch));
                    ran = true;
                }
            }
            // Recorded subexpressions see the effect of run_regularly in this step.
            if let (true, Some(b)) = (ran, &c.subexpressions) {
                stored = stored.join(self.run_over_group(b, k, clock(gc), scratch));
            }
        }
        for (m, &mc) in self.monitors.iter_mut().zip(&on.monitors) {
            if let (Monitor::State(sm), true) = (m, active(mc)) {
                let col_of = |v: &str| match sm.source {
                    Source::Group(g) => self.groups[g].column(v).map(Recorded::Column),
                    Source::Synapses(s) => {
                        let syn = &self.synapses[s];
                        // A synapse's `N_incoming` is its target's count, `N_outgoing` its
                        // source's: per-neuron columns read through `post`/`pre`.
                        let [incoming, outgoing] = syn.degree_columns;
                        match v {
                            "N_incoming" => Some(Recorded::Through(incoming, &syn.post)),
                            "N_outgoing" => Some(Recorded::Through(outgoing, &syn.pre)),
                            _ => syn.column(v).map(Recorded::Column),
                        }
                    }
                };
                let cols: Vec<Option<Recorded>> = sm.variables.iter().map(|v| col_of(v)).collect();
                record_state(sm, &cols, &self.columns, clock(mc).t());
            }
        }
        // groups: summed variables first (Brian2 orders them before the target's update, on
        // the target's clock), then the state updaters of neuron groups (fused with their
        // thresholds) and of clock-driven synapses, in Brian2's order (see `updaters`).
        for (k, cs) in synapses.iter().enumerate() {
            if !active(on.groups[self.synapses[k].target.group]) {
                continue;
            }
            for (b, col, (a, z)) in &cs.summed {
                self.columns[*col].slice_mut(ndarray::s![*a..*z]).fill(0.0);
                stored = stored.join(self.run_over_synapses(b, k, clock(on.synapses[k]), scratch));
            }
        }
        for &updater in updaters {
            let k = match updater {
                Updater::Synapses(k) => {
                    if let (true, Some(b)) = (active(on.synapses[k]), &synapses[k].update) {
                        stored = stored.join(self.run_over_synapses(
                            b,
                            k,
                            clock(on.synapses[k]),
                            scratch,
                        ));
                    }
                    continue;
                }
                Updater::Group(k) => k,
            };
            let gc = clock(on.groups[k]);
            if !active(on.groups[k]) {
                continue;
            }
            let c = &groups[k];
            let env = self.env(gc, self.groups[k].n);
            let mut spikes = std::mem::take(&mut self.groups[k].spikes);
            spikes.clear();
            let n = self.groups[k].n;
            stored = stored.join(super::parallel::run_range(
                &mut self.workers,
                self.threads,
                &c.step,
                &mut self.columns,
                &env,
                self.seed,
                n,
                &mut spikes,
            ));
            if let Some(gen) = self.groups[k].generator.as_mut() {
                let period = (gen.period / gc.dt).round() as u64;
                gen.emit(gc.step, gc.dt, period, &mut spikes);
            }
            self.groups[k].spikes = spikes;
        }
        // thresholds: SpikeMonitors, with the recorded subexpressions of the spiking neurons
        // evaluated first.
        for (k, c) in groups.iter().enumerate() {
            if let (true, Some(b)) = (active(on.groups[k]), &c.spike_subexpressions) {
                stored = stored.join(self.run_over_spikes(b, k, clock(on.groups[k]), scratch));
            }
        }
        for (m, &mc) in self.monitors.iter_mut().zip(&on.monitors) {
            if let (Monitor::Spike(sm), true) = (m, active(mc)) {
                record_spikes(sm, &self.groups[sm.source], &self.columns, clock(mc).t());
            }
        }
        // synapses: `pre` pathways (order -1), PoissonInputs (0), `post` pathways (+1); each
        // pathway pushes its source's spikes, then runs what is due.
        stored = stored.join(self.run_pathways(synapses, PathwaySide::Pre, clocks, on, scratch));
        stored = stored.join(self.apply_poisson_inputs(groups, clocks, on, scratch));
        stored = stored.join(self.run_pathways(synapses, PathwaySide::Post, clocks, on, scratch));
        // resets: over each group's spikes.
        for (k, c) in groups.iter().enumerate() {
            if let (true, Some(reset)) = (active(on.groups[k]), &c.reset) {
                stored = stored.join(self.run_over_spikes(reset, k, clock(on.groups[k]), scratch));
            }
        }
        // end: population rates.
        for (m, &mc) in self.monitors.iter_mut().zip(&on.monitors) {
            if let (Monitor::Rate(rm), true) = (m, active(mc)) {
                let spikes = &self.groups[rm.source].spikes;
                let lo = spikes.partition_point(|&x| (x as usize) < rm.start);
                let hi = spikes.partition_point(|&x| (x as usize) < rm.stop);
                rm.times.push(clock(mc).t());
                rm.rate
                    .push((hi - lo) as f64 / (rm.stop - rm.start) as f64 / clock(mc).dt);
            }
        }
        stored
    }

    /// Adds every `PoissonInput`'s events of this step to its target variable, after storing
    /// the per-neuron weights of those with a string weight; reports whether a target value
    /// became NaN or infinite (the scratch weights are no state and are not reported).
    fn apply_poisson_inputs(
        &mut self,
        groups: &[CompiledGroup],
        clocks: &Clocks,
        on: &ObjectClocks,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let mut stored = Stores::Finite;
        for (j, inp) in self.poisson_inputs.iter().enumerate() {
            // A PoissonInput runs on its target group's clock.
            let gc = on.groups[inp.group];
            if !clocks.active[gc] {
                continue;
            }
            let clock = &clocks.clocks[gc];
            let weights = match &inp.weight {
                super::poisson::PoissonWeight::Value(_) => None,
                super::poisson::PoissonWeight::Expr { column, .. } => {
                    let kernel = groups
                        .get(inp.group)
                        .and_then(|c| c.poisson_weights.iter().find(|(n, _)| *n == j));
                    if let Some((_, b)) = kernel {
                        let env = self.env(clock, self.groups[inp.group].n);
                        let range = (inp.start, inp.stop);
                        // The weights go to a scratch column, not to state: what they store is
                        // not the NaN check's business (the target's new values are).
                        let _ = kernels::run_bound(
                            b,
                            &mut self.columns,
                            &env,
                            self.seed,
                            &[],
                            range,
                            scratch,
                        );
                    }
                    Some(*column)
                }
            };
            let Some(col) = self.groups[inp.group].column(&inp.var) else {
                continue;
            };
            for nrn in inp.start..inp.stop {
                let b = inp.draw(self.seed, nrn as u64, clock.step, clock.dt);
                let w = match (&inp.weight, weights) {
                    (super::poisson::PoissonWeight::Value(w), _) => *w,
                    (_, Some(wc)) => self.columns[wc].get(nrn).copied().unwrap_or(f64::NAN),
                    _ => f64::NAN,
                };
                if let Some(x) = self.columns[col].get_mut(nrn) {
                    *x += b * w;
                    if !x.is_finite() {
                        stored = Stores::MaybeNonFinite;
                    }
                }
            }
        }
        stored
    }

    /// Runs a kernel of group `k` over all its neurons on its clock `c`.
    fn run_over_group(&mut self, b: &Bound, k: usize, c: &Clock, scratch: &mut Vec<u32>) -> Stores {
        let env = self.env(c, self.groups[k].n);
        let n = self.groups[k].n;
        kernels::run_bound(b, &mut self.columns, &env, self.seed, &[], (0, n), scratch)
    }

    /// Runs a `List` kernel of group `k` over this step's spikes (reset, spike-time
    /// subexpressions); nothing when none spiked.
    fn run_over_spikes(
        &mut self,
        b: &Bound,
        k: usize,
        c: &Clock,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let spikes = std::mem::take(&mut self.groups[k].spikes);
        let mut stored = Stores::Finite;
        if !spikes.is_empty() {
            let env = self.env(c, self.groups[k].n);
            let range = (0, spikes.len());
            stored = kernels::run_bound(
                b,
                &mut self.columns,
                &env,
                self.seed,
                &spikes,
                range,
                scratch,
            );
        }
        self.groups[k].spikes = spikes;
        stored
    }

    /// Runs a kernel of `Synapses` object `k` over all its synapses (`c`: its own clock).
    fn run_over_synapses(
        &mut self,
        b: &Bound,
        k: usize,
        c: &Clock,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let env = self.syn_env(&self.synapses[k], c);
        let s = &self.synapses[k];
        let (pre_post, range) = ((&s.pre[..], &s.post[..]), (0, s.len()));
        kernels::run_bound_syn(
            b,
            &mut self.columns,
            &env,
            self.seed,
            pre_post,
            &[],
            range,
            scratch,
        )
    }

    /// Reserves the StateMonitors' and rate monitors' storage for a run of `duration` at once
    /// (the estimate checked by `ensure_run_memory`), so that growing vectors never overshoot.
    pub(super) fn reserve_monitors(&mut self, duration: f64) {
        let steps: Vec<usize> = self
            .monitors
            .iter()
            .map(|m| {
                let n = self.steps_on(self.monitor_dt(m), duration);
                usize::try_from(n).unwrap_or(usize::MAX)
            })
            .collect();
        for (m, steps) in self.monitors.iter_mut().zip(steps) {
            match m {
                Monitor::State(sm) => {
                    let _ = sm.times.try_reserve_exact(steps);
                    let per = steps.saturating_mul(sm.indices.len());
                    for v in sm.values.iter_mut() {
                        let _ = v.try_reserve_exact(per);
                    }
                }
                Monitor::Rate(rm) => {
                    let _ = rm.times.try_reserve_exact(steps);
                    let _ = rm.rate.try_reserve_exact(steps);
                }
                Monitor::Spike(_) => {}
            }
        }
    }

    /// Runs the pathways of one side whose source's clock is active: each pushes its
    /// source's spikes of this step, then runs the synapses due.
    fn run_pathways(
        &mut self,
        synapses: &[CompiledSynapses],
        side: PathwaySide,
        clocks: &Clocks,
        on: &ObjectClocks,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let mut stored = Stores::Finite;
        for (k, cs) in synapses.iter().enumerate() {
            for (p, kernel) in cs.pathways.iter().enumerate() {
                let s = &self.synapses[k];
                if s.pathways[p].side != side {
                    continue;
                }
                let (range, rows) = match s.pathways[p].side {
                    PathwaySide::Pre => (s.source, &cs.by_pre),
                    PathwaySide::Post => (s.target, &cs.by_post),
                };
                // A pathway runs on the clock of the group whose spikes it propagates.
                if !clocks.active[on.groups[range.group]] {
                    continue;
                }
                let delays = &cs.delays[p];
                let spikes = &self.groups[range.group].spikes;
                let lo = spikes.partition_point(|&x| (x as usize) < range.start);
                let hi = spikes.partition_point(|&x| (x as usize) < range.stop);
                let mut due = Vec::new();
                let direct = delays.is_empty();
                {
                    let pw = &mut self.synapses[k].pathways[p];
                    for &nrn in &spikes[lo..hi] {
                        for syn in rows.of(nrn as usize) {
                            if direct {
                                due.push(syn);
                            } else {
                                pw.push(syn, delays[syn as usize]);
                            }
                        }
                    }
                    if !direct {
                        due = pw.pop();
                    }
                }
                if !due.is_empty() {
                    let env = self.syn_env(&self.synapses[k], &clocks.clocks[on.synapses[k]]);
                    let s = &self.synapses[k];
                    stored = stored.join(kernels::run_bound_syn(
                        kernel,
                        &mut self.columns,
                        &env,
                        self.seed,
                        (&s.pre, &s.post),
                        &due,
                        (0, due.len()),
                        scratch,
                    ));
                }
            }
        }
        stored
    }

    /// Stops the run when a state variable is NaN or infinite.
    /// `only`: check just the columns marked true (all when `None`).
    fn check_finite(&self, t: f64, only: Option<&[bool]>) -> Result<(), RunError> {
        let objects = self
            .groups
            .iter()
            .map(|g| (&g.name, &g.variables, &g.columns))
            .chain(
                self.synapses
                    .iter()
                    .map(|s| (&s.name, &s.variables, &s.columns)),
            );
        for (name, vars, cols) in objects {
            for (v, col) in vars.iter().zip(cols) {
                let Some(col) = col else { continue };
                if only.is_some_and(|w| !w[*col]) {
                    continue;
                }
                let values = &self.columns[*col];
                if let Some((neuron, value)) = values
                    .as_slice()
                    .and_then(kernels::first_non_finite)
                    .map(|k| (k, values[k]))
                {
                    return Err(RunError::NonFinite {
                        group: name.clone(),
                        variable: v.name.clone(),
                        neuron,
                        time: t,
                        value,
                    });
                }
            }
        }
        Ok(())
    }
}

/// The clock (a number in [`Clocks`]) of each object of a run: a group's own, a synapse
/// object's own (its clock-driven update; its variables' `t`), a monitor's.
struct ObjectClocks {
    groups: Vec<usize>,
    synapses: Vec<usize>,
    monitors: Vec<usize>,
}

/// Records this step's spikes of the monitored neurons (with the recorded variables' values,
/// looked up by name once per step) at time `t`.
fn record_spikes(sm: &mut SpikeMonitor, g: &NeuronGroup, columns: &[Array1<f64>], t: f64) {
    let spikes = &g.spikes;
    let lo = spikes.partition_point(|&x| (x as usize) < sm.start);
    let hi = spikes.partition_point(|&x| (x as usize) < sm.stop);
    let cols: Vec<Option<&Array1<f64>>> = if sm.record && lo < hi {
        sm.variables
            .iter()
            .map(|v| g.column(v).map(|c| &columns[c]))
            .collect()
    } else {
        Vec::new()
    };
    for &i in &spikes[lo..hi] {
        let rel = i as usize - sm.start;
        sm.count[rel] += 1;
        if sm.record {
            sm.i.push(rel as u32);
            sm.t.push(t);
            for (col, out) in cols.iter().zip(sm.values.iter_mut()) {
                let x = col.map_or(f64::NAN, |col| {
                    if col.len() == 1 {
                        col[0]
                    } else {
                        col[i as usize]
                    }
                });
                out.push(x);
            }
        }
    }
}

/// A state updater in the `groups` slot.
#[derive(Clone, Copy)]
enum Updater {
    /// A neuron group's fused step kernel (update and threshold).
    Group(usize),
    /// A `Synapses` object's clock-driven update.
    Synapses(usize),
}

/// Where a recorded variable's value for element `i` is.
#[derive(Clone, Copy)]
enum Recorded<'a> {
    /// `column[i]` (or `column[0]` for a shared variable).
    Column(usize),
    /// `column[index[i]]`: a per-neuron value seen by each synapse.
    Through(usize, &'a [u32]),
}

fn record_state(sm: &mut StateMonitor, cols: &[Option<Recorded>], columns: &[Array1<f64>], t: f64) {
    sm.times.push(t);
    for (k, rec) in cols.iter().enumerate() {
        for &i in &sm.indices {
            let x = match rec {
                Some(Recorded::Column(c)) => {
                    let c = &columns[*c];
                    if c.len() == 1 {
                        c.get(0)
                    } else {
                        c.get(i)
                    }
                }
                Some(Recorded::Through(c, index)) => {
                    index.get(i).and_then(|&j| columns[*c].get(j as usize))
                }
                None => None,
            };
            sm.values[k].push(x.copied().unwrap_or(f64::NAN));
        }
    }
}

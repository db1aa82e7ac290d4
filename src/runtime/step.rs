//! The step loop: one `run` of a [`Network`], tick by tick over its clocks
//! ([`super::clock`]), each tick running its objects in Brian2's schedule
//! ([`super::schedule`]: slot, order, name), with the NaN/infinity check of each tick.

use super::clock::{Clock, Clocks};
use super::compiled::{CompiledGroup, CompiledSynapses, Regular};
use super::group::NeuronGroup;
use super::kernels::{self, Bound, ScalarEnv};
use super::network::{Network, RunError};
use super::plan::{Action, ObjectClocks};
use super::synapses::{PathwaySide, Synapses};
use crate::backend::Stores;
use crate::monitor::{Monitor, Source, SpikeMonitor, StateMonitor};
use ndarray::Array1;
use std::sync::atomic::Ordering;

/// What the step loop keeps from one tick to the next.
#[derive(Default)]
struct TickState {
    /// Element indices handed to kernels (spike lists, subgroup ranges).
    scratch: Vec<u32>,
    /// The synapses due in the pathway being run.
    due: Vec<u32>,
    /// Every group runs its whole step kernel, not the lean one (the run is stopping).
    whole: bool,
}

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

    /// Runs from `self.time` to `end` (s).
    pub(super) fn simulate(
        &mut self,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
        end: f64,
    ) -> Result<(), RunError> {
        let mut state = TickState::default();
        // Only columns that some kernel writes can become non-finite during the loop; the
        // others are checked once, before the first step.
        let written = kernels::written_columns(
            groups
                .iter()
                .flat_map(|c| {
                    std::iter::once(&c.step)
                        .chain(&c.reset)
                        .chain(c.regular.iter().flat_map(Regular::kernels))
                        .chain(c.events.iter().flat_map(|e| &e.1))
                })
                .chain(synapses.iter().flat_map(CompiledSynapses::kernels)),
            self.columns.len(),
        );
        // PoissonInputs add to their target variable outside any kernel.
        let mut written = written;
        for inp in &self.poisson_inputs {
            if let Some(w) = self.groups[inp.group]
                .column(&inp.var)
                .and_then(|c| written.get_mut(c))
            {
                *w = true;
            }
        }
        for g in self.groups.iter_mut() {
            g.event_lists.resize(g.events.len(), Vec::new());
        }
        let (mut clocks, on) = self.schedule(end);
        let actions = self.actions(groups, synapses, &on)?;
        let default = clocks.clocks[0];
        self.step = default.step;
        let steps = default.end - default.step;
        let mut first = true;
        // After an interrupt, the clocks of groups that ran lean step kernels, each owing a
        // whole step before the run may return (`runtime::lean`).
        let mut owed: Option<Vec<usize>> = None;
        while let Some(t) = clocks.next_tick() {
            let stored = self.tick(groups, synapses, &actions, &clocks, &on, &mut state);
            if first || stored == Stores::MaybeNonFinite {
                self.check_finite(t, (!first).then_some(&written[..]))?;
            }
            first = false;
            let ticked_default = clocks.active[0];
            if let Some(owed) = owed.as_mut() {
                owed.retain(|&c| !clocks.active[c]);
            }
            clocks.advance();
            self.step = clocks.clocks[0].step;
            if ticked_default {
                if let Some(p) = self.progress.as_mut() {
                    p(self.step - default.step, steps);
                }
            }
            if owed.is_none()
                && self
                    .interrupt
                    .as_ref()
                    .is_some_and(|f| f.load(Ordering::Relaxed))
            {
                let lean = groups
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.lean_step.is_some());
                owed = Some(lean.map(|(g, _)| on.groups[g]).collect());
                state.whole = true;
            }
            if owed.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        // An interrupt in the run's last steps still ends the script (its whole steps may
        // have run out first).
        if owed.is_some() {
            let time = clocks
                .clocks
                .iter()
                .map(Clock::t)
                .fold(f64::INFINITY, f64::min);
            return Err(RunError::Interrupted { time });
        }
        Ok(())
    }

    /// One tick: the actions of the active clocks in schedule order (table rows first);
    /// reports whether some kernel (or input) may have stored NaN or infinity.
    fn tick(
        &mut self,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
        actions: &[(usize, Action)],
        clocks: &Clocks,
        on: &ObjectClocks,
        state: &mut TickState,
    ) -> Stores {
        let TickState {
            scratch,
            due,
            whole,
        } = state;
        let mut stored = Stores::Finite;
        // Table rows for the objects on the default clock, which read a table's current row.
        if clocks.active[0] {
            let (t, dt) = (clocks.clocks[0].t(), clocks.clocks[0].dt);
            for (k, table) in self.tables.iter().enumerate() {
                // The row column and, right after it, the values (`Network::add_table`).
                let c = self.table_columns[k];
                let (rows, rest) = self.columns.split_at_mut(c + 1);
                if let (Some(row), Some(values)) = (rows[c].as_slice_mut(), rest[0].as_slice()) {
                    table.row_at(values, t, dt, row);
                }
            }
        }
        for &(runner, action) in actions {
            if !clocks.active[runner] {
                continue;
            }
            let now = &clocks.clocks[runner];
            let effect = match action {
                Action::ConstantSubexpressions(k) => match &groups[k].subexpressions {
                    Some(b) => self.run_over_group(b, k, now, None, scratch),
                    None => Stores::Finite,
                },
                Action::Regular { group, op } => {
                    let owner = &clocks.clocks[on.groups[group]];
                    groups[group].regular[op]
                        .parts()
                        .fold(Stores::Finite, |e, (b, at_most)| {
                            e.join(self.run_over_group(b, group, owner, at_most, scratch))
                        })
                }
                Action::SynConstantSubexpressions(k) => match &synapses[k].subexpressions {
                    Some(b) => self.run_over_synapses(b, k, now, None, scratch),
                    None => Stores::Finite,
                },
                Action::SynRegular { syn, op } => {
                    let owner = &clocks.clocks[on.synapses[syn]];
                    synapses[syn].regular[op]
                        .parts()
                        .fold(Stores::Finite, |e, (b, at_most)| {
                            e.join(self.run_over_synapses(b, syn, owner, at_most, scratch))
                        })
                }
                Action::Record(m) => self.record(groups, m, clocks, on, scratch),
                Action::Summed { syn, k } => {
                    let sm = &synapses[syn].summed[k];
                    let (b, col, (a, z)) = (&sm.kernel, &sm.column, &sm.range);
                    self.columns[*col].slice_mut(ndarray::s![*a..*z]).fill(0.0);
                    self.run_over_synapses(b, syn, &clocks.clocks[on.synapses[syn]], None, scratch)
                }
                Action::UpdateSynapses(k) => match &synapses[k].update {
                    Some(b) => self.run_over_synapses(b, k, now, None, scratch),
                    None => Stores::Finite,
                },
                // The fused step kernel (refractoriness, update, threshold).
                Action::UpdateGroup(k) => {
                    // The group's last step of the run stores everything (`runtime::lean`).
                    let b = match &groups[k].lean_step {
                        Some(lean) if !*whole && now.step + 1 < now.end => lean,
                        _ => &groups[k].step,
                    };
                    self.fill_list(b, k, None, now)
                }
                Action::Spikes(m) => {
                    let Monitor::Spike(sm) = &self.monitors[m] else {
                        continue;
                    };
                    let g = sm.source;
                    // The recorded subexpressions of the spiking neurons, evaluated first.
                    let effect = match &groups[g].spike_subexpressions {
                        Some(b) => {
                            self.run_over_spikes(b, g, &clocks.clocks[on.groups[g]], scratch)
                        }
                        None => Stores::Finite,
                    };
                    if let Monitor::Spike(sm) = &mut self.monitors[m] {
                        record_spikes(sm, &self.groups[g], &self.columns, now.t());
                    }
                    effect
                }
                Action::Pathway { syn, p } => {
                    self.run_pathway(synapses, (syn, p), clocks, on, scratch, due)
                }
                Action::Poisson(j) => self.apply_poisson_input(groups, j, now, scratch),
                Action::Reset(k) => match &groups[k].reset {
                    Some(b) => self.run_over_spikes(b, k, now, scratch),
                    None => Stores::Finite,
                },
                Action::Event { group, e } => {
                    self.fill_list(&groups[group].events[e].0, group, Some(e), now)
                }
                Action::OnEvent { group, e, a } => {
                    let b = &groups[group].events[e].1[a];
                    self.run_over_event(b, group, Some(e), now, scratch)
                }
                Action::Rate(m) => {
                    if let Monitor::Rate(rm) = &mut self.monitors[m] {
                        let spikes = &self.groups[rm.source].spikes;
                        let n = spikes_in(spikes, rm.start, rm.stop).len();
                        rm.times.push(now.t());
                        rm.rate
                            .push(n as f64 / (rm.stop - rm.start) as f64 / now.dt);
                    }
                    Stores::Finite
                }
            };
            stored = stored.join(effect);
        }
        stored
    }

    /// Runs `b` over all neurons of group `k`, collecting the neurons it emits into the list
    /// of custom event `event` (`None`: the spikes, plus a `SpikeGeneratorGroup`'s pattern).
    fn fill_list(&mut self, b: &Bound, k: usize, event: Option<usize>, now: &Clock) -> Stores {
        let env = self.env(now, self.groups[k].n);
        let mut list = std::mem::take(self.groups[k].list_mut(event));
        list.clear();
        let n = self.groups[k].n;
        let stored = super::parallel::run_range(
            &mut self.workers,
            self.threads,
            b,
            &mut self.columns,
            &env,
            self.seed,
            n,
            &mut list,
        );
        if let (None, Some(gen)) = (event, self.groups[k].generator.as_mut()) {
            let period = (gen.period / now.dt).round() as u64;
            gen.emit(now.step, now.dt, period, &mut list);
        }
        *self.groups[k].list_mut(event) = list;
        stored
    }

    /// A StateMonitor records at its clock's time; a group's recorded subexpressions (other
    /// than `constant over dt` ones) are evaluated first, at the group's own time.
    fn record(
        &mut self,
        groups: &[CompiledGroup],
        m: usize,
        clocks: &Clocks,
        on: &ObjectClocks,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let Monitor::State(sm) = &self.monitors[m] else {
            return Stores::Finite;
        };
        let mut stored = Stores::Finite;
        if let Source::Group(g) = sm.source {
            let vars = &self.groups[g].variables;
            let evaluated = sm.variables.iter().any(|v| {
                vars.iter().any(|x| {
                    x.name == *v
                        && x.kind == crate::check::hir::VarKind::Subexpression
                        && !x.flags.constant_over_dt
                })
            });
            if let (true, Some(b)) = (evaluated, &groups[g].recorded_subexpressions) {
                stored = self.run_over_group(b, g, &clocks.clocks[on.groups[g]], None, scratch);
            }
        }
        let t = clocks.clocks[on.monitors[m]].t();
        let Monitor::State(sm) = &mut self.monitors[m] else {
            return stored;
        };
        let col_of = |v: &str| match sm.source {
            Source::Group(g) if self.groups[g].link_index_of(v).is_some() => {
                Some(Recorded::Group(&self.groups[g], v.to_string()))
            }
            Source::Group(g) => self.groups[g].column(v).map(Recorded::Column),
            Source::Synapses(s) => {
                let syn = &self.synapses[s];
                // A synapse's `N_incoming` is its target's count, `N_outgoing` its source's:
                // per-neuron columns read through `post`/`pre`.
                let [incoming, outgoing] = syn.degree_columns;
                // `x_post`/`x_pre`: the neuron's variable, through `post`/`pre` as well.
                let neuron = |suffix: &str, range: super::synapses::GroupRange, index| {
                    v.strip_suffix(suffix)
                        .and_then(|x| self.groups[range.group].column(x))
                        .map(|c| Recorded::Through(c, index))
                };
                match v {
                    "N_incoming" => Some(Recorded::Through(incoming, &syn.post)),
                    "N_outgoing" => Some(Recorded::Through(outgoing, syn.pre())),
                    _ => syn
                        .column(v)
                        .map(Recorded::Column)
                        .or_else(|| neuron("_post", syn.target, &syn.post))
                        .or_else(|| neuron("_pre", syn.source, syn.pre())),
                }
            }
        };
        let cols: Vec<Option<Recorded>> = sm.variables.iter().map(|v| col_of(v)).collect();
        record_state(sm, &cols, &self.columns, t);
        stored
    }

    /// Adds `PoissonInput` `j`'s events of this step to its target variable (on its target's
    /// clock `clock`), after storing the per-neuron weights when its weight is a string;
    /// reports whether a target value became NaN or infinite (the scratch weights are no
    /// state and are not reported).
    fn apply_poisson_input(
        &mut self,
        groups: &[CompiledGroup],
        j: usize,
        clock: &Clock,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let mut stored = Stores::Finite;
        let inp = &self.poisson_inputs[j];
        let weights = match &inp.weight {
            super::poisson::PoissonWeight::Value(_) => None,
            super::poisson::PoissonWeight::Expr { column, .. } => {
                let kernel = groups
                    .get(inp.group)
                    .and_then(|c| c.poisson_weights.iter().find(|(n, _)| *n == j));
                if let Some((_, b)) = kernel {
                    let env = self.env(clock, self.groups[inp.group].n);
                    let range = (inp.start, inp.stop);
                    // The weights go to a scratch column, not to state: what they store is not
                    // the NaN check's business (the target's new values are).
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
            return stored;
        };
        // An `(unless refractory)` target is left alone while refractory (Brian2 runs the input
        // as code with conditional writes).
        let guard = match super::kernels::unless_refractory(&self.groups[inp.group], &inp.var) {
            true => self.groups[inp.group].column("not_refractory"),
            false => None,
        };
        for nrn in inp.start..inp.stop {
            if let Some(nr) = guard {
                if self.columns[nr].get(nrn).is_some_and(|&x| x == 0.0) {
                    continue;
                }
            }
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
        stored
    }

    /// Runs a kernel of group `k` over all its neurons on its clock `c`, or over the first
    /// `at_most` (a `run_regularly`'s shared part runs once, as element 0: nothing for an
    /// empty group, which has no cells).
    fn run_over_group(
        &mut self,
        b: &Bound,
        k: usize,
        c: &Clock,
        at_most: Option<usize>,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let env = self.env(c, self.groups[k].n);
        let n = at_most.map_or(self.groups[k].n, |m| self.groups[k].n.min(m));
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
        self.run_over_event(b, k, None, c, scratch)
    }

    /// Runs a `List` kernel of group `k` over the neurons of custom event `event` in this
    /// step (`None`: the spikes); nothing when the list is empty.
    fn run_over_event(
        &mut self,
        b: &Bound,
        k: usize,
        event: Option<usize>,
        c: &Clock,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let list = std::mem::take(self.groups[k].list_mut(event));
        let mut stored = Stores::Finite;
        if !list.is_empty() {
            let env = self.env(c, self.groups[k].n);
            let range = (0, list.len());
            stored =
                kernels::run_bound(b, &mut self.columns, &env, self.seed, &list, range, scratch);
        }
        *self.groups[k].list_mut(event) = list;
        stored
    }

    /// Runs a kernel of `Synapses` object `k` over all its synapses (`c`: its own clock).
    /// Runs a kernel of synapses `k` over all of them, or over the first `at_most` (a
    /// `run_regularly`'s shared part runs once, as element 0).
    fn run_over_synapses(
        &mut self,
        b: &Bound,
        k: usize,
        c: &Clock,
        at_most: Option<usize>,
        scratch: &mut Vec<u32>,
    ) -> Stores {
        let env = self.syn_env(&self.synapses[k], c);
        let s = &self.synapses[k];
        let n = at_most.map_or(s.len(), |m| s.len().min(m));
        let (pre_post, range) = ((s.pre_if(b.uses_pre), &s.post[..]), (0, n));
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

    /// Pathway `p` of `Synapses` object `k` (run on its source group's clock): pushes the
    /// source's spikes of this step, then runs the synapses due.
    fn run_pathway(
        &mut self,
        synapses: &[CompiledSynapses],
        (k, p): (usize, usize),
        clocks: &Clocks,
        on: &ObjectClocks,
        scratch: &mut Vec<u32>,
        due: &mut Vec<u32>,
    ) -> Stores {
        let cs = &synapses[k];
        let kernel = &cs.pathways[p];
        let s = &self.synapses[k];
        let (range, rows) = match s.pathways[p].side {
            PathwaySide::Pre => (s.source, &cs.by_pre),
            PathwaySide::Post => (s.target, &cs.by_post),
        };
        let delays = &cs.delays[p];
        let spikes = self.groups[range.group].event_list(&s.pathways[p].event);
        let spikes = spikes_in(spikes, range.start, range.stop);
        due.clear();
        if delays.is_empty() {
            for &nrn in spikes.iter() {
                rows.of(nrn as usize).append_to(due);
            }
        } else {
            let pw = &mut self.synapses[k].pathways[p];
            for &nrn in spikes.iter() {
                for syn in rows.of(nrn as usize) {
                    pw.push(syn, delays[syn as usize]);
                }
            }
            pw.pop_into(due);
        }
        if due.is_empty() {
            return Stores::Finite;
        }
        let env = self.syn_env(&self.synapses[k], &clocks.clocks[on.synapses[k]]);
        let s = &self.synapses[k];
        kernels::run_bound_syn(
            kernel,
            &mut self.columns,
            &env,
            self.seed,
            (s.pre_if(kernel.uses_pre), &s.post),
            due,
            (0, due.len()),
            scratch,
        )
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
                // A linked variable is another group's column, checked (and named) there.
                let Some(col) = col.filter(|_| !v.flags.linked) else {
                    continue;
                };
                if only.is_some_and(|w| !w[col]) {
                    continue;
                }
                let values = &self.columns[col];
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

/// The spikes of a step's list that lie in `start..stop`, in the list's order. Thresholds and
/// events list neurons in ascending order, where a binary search finds the range; a
/// SpikeGeneratorGroup lists a step's spikes in Brian2's order (time, then neuron), which the
/// filter keeps.
fn spikes_in(spikes: &[u32], start: usize, stop: usize) -> std::borrow::Cow<'_, [u32]> {
    let inside = |x: u32| (start..stop).contains(&(x as usize));
    if spikes.is_sorted() {
        let lo = spikes.partition_point(|&x| (x as usize) < start);
        let hi = spikes.partition_point(|&x| (x as usize) < stop);
        std::borrow::Cow::Borrowed(&spikes[lo..hi])
    } else {
        std::borrow::Cow::Owned(spikes.iter().copied().filter(|&x| inside(x)).collect())
    }
}

/// Records this step's spikes of the monitored neurons (with the recorded variables' values,
/// looked up by name once per step) at time `t`.
fn record_spikes(sm: &mut SpikeMonitor, g: &NeuronGroup, columns: &[Array1<f64>], t: f64) {
    let spikes = spikes_in(&g.spikes, sm.start, sm.stop);
    // Columns looked up once; a variable linked with `index=` is read through its index.
    let cols: Vec<Option<&Array1<f64>>> = if sm.record && !spikes.is_empty() {
        sm.variables
            .iter()
            .map(|v| {
                g.column(v)
                    .filter(|_| g.link_index_of(v).is_none())
                    .map(|c| &columns[c])
            })
            .collect()
    } else {
        Vec::new()
    };
    for &i in spikes.iter() {
        let rel = i as usize - sm.start;
        sm.count[rel] += 1;
        if sm.record {
            sm.i.push(rel as u32);
            sm.t.push(t);
            for ((col, out), name) in cols.iter().zip(sm.values.iter_mut()).zip(&sm.variables) {
                let x = col.map_or_else(
                    || g.value_at(name, i as usize, columns),
                    |col| {
                        if col.len() == 1 {
                            col[0]
                        } else {
                            col[i as usize]
                        }
                    },
                );
                out.push(x);
            }
        }
    }
}

/// Where a recorded variable's value for element `i` is.
#[derive(Clone)]
enum Recorded<'a> {
    /// `column[i]` (or `column[0]` for a shared variable).
    Column(usize),
    /// `column[index[i]]`: a per-neuron value seen by each synapse.
    Through(usize, &'a [u32]),
    /// A group's variable read element by element as kernels read it (a variable linked with
    /// `index=`).
    Group(&'a NeuronGroup, String),
}

fn record_state(sm: &mut StateMonitor, cols: &[Option<Recorded>], columns: &[Array1<f64>], t: f64) {
    sm.times.push(t);
    for (k, rec) in cols.iter().enumerate() {
        for &i in &sm.indices {
            let x = match rec {
                Some(Recorded::Column(c)) => {
                    let c = &columns[*c];
                    if c.len() == 1 {
                        c.get(0).copied()
                    } else {
                        c.get(i).copied()
                    }
                }
                Some(Recorded::Through(c, index)) => index
                    .get(i)
                    .and_then(|&j| columns[*c].get(j as usize))
                    .copied(),
                Some(Recorded::Group(g, name)) => Some(g.value_at(name, i, columns)),
                None => None,
            };
            sm.values[k].push(x.unwrap_or(f64::NAN));
        }
    }
}

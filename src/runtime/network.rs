//! The network: all objects of a simulation, their clocks, and runs.
//!
//! Order within a step, as in Brian2 by default: `start` (StateMonitors record), `groups`
//! (summed variables, refractoriness and integration of neuron groups and clock-driven
//! synapses), `thresholds` (spikes; SpikeMonitors record), `synapses` (pathways `pre` before
//! `post`), `resets`, `end` (PopulationRateMonitors); see [`super::schedule`] and
//! `plan::actions` for `when=`/`order=` and names. Each neuron group's integration and
//! threshold are one fused kernel. Several `run` calls continue the same simulation.

use super::group::{declare_variables, initial_value, NeuronGroup, Refractory};
use super::schedule::{Place, When};
use super::synapses::{delay_steps, PathwaySide, Synapses};
use crate::backend::{make_backend, Backend, BackendKind};
use crate::check::Namespace;
use crate::diagnostics::Diagnostic;
use crate::integrate::Method;
use crate::monitor::{Monitor, PopulationRateMonitor, Source, SpikeMonitor, StateMonitor};
use crate::source::Span;
use crate::syntax::ast;
use ndarray::Array1;
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a run stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// The model is wrong (unit errors, unknown names, a method that cannot integrate it).
    Model(Vec<Diagnostic>),
    /// A state variable became NaN or infinite.
    NonFinite {
        /// Group name.
        group: String,
        /// Variable name.
        variable: String,
        /// Neuron (or synapse) index.
        neuron: usize,
        /// Simulation time (s) of the step that produced it.
        time: f64,
        /// The value.
        value: f64,
    },
    /// The run was interrupted (SIGINT) after a complete step.
    Interrupted {
        /// Simulation time (s) reached: every step before it is complete.
        time: f64,
    },
    /// A bug in snnc (never the user's fault).
    Internal(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Model(d) => {
                for x in d {
                    writeln!(f, "{}", x.message)?;
                }
                Ok(())
            }
            RunError::NonFinite {
                group,
                variable,
                neuron,
                time,
                value,
            } => write!(
                f,
                "state variable '{variable}' of '{group}' became {value} for element {neuron} at t = {time} s"
            ),
            RunError::Interrupted { time } => {
                write!(f, "interrupted at t = {time} s; the data recorded until then is kept")
            }
            RunError::Internal(m) => write!(f, "internal error: {m} (please report this)"),
        }
    }
}

impl std::error::Error for RunError {}

/// Time spent per phase, for the run summary.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    /// Checking, integrating, lowering and compiling.
    pub compile: Duration,
    /// The step loop.
    pub simulate: Duration,
}

/// A simulation.
pub struct Network {
    pub(crate) columns: Vec<Array1<f64>>,
    /// Neuron groups in creation order.
    pub groups: Vec<NeuronGroup>,
    /// Synapses in creation order.
    pub synapses: Vec<Synapses>,
    /// Monitors in creation order.
    pub monitors: Vec<Monitor>,
    /// The default clock's step (s).
    pub dt: f64,
    /// The default clock's current step: steps simulated so far on it.
    pub step: u64,
    /// The network's time (s): where the next `run` starts (Brian2's `Network.t`, the end of
    /// the last run). Every clock starts a run at its step at this time.
    pub time: f64,
    /// The seed of all random numbers.
    pub seed: u64,
    pub(crate) backend: Box<dyn Backend>,
    /// A notice about the backend (fallback to the interpreter).
    pub backend_notice: Option<String>,
    /// Notes produced while compiling (method chosen, warnings).
    pub notes: Vec<Diagnostic>,
    /// Accumulated timings.
    pub timings: Timings,
    pub(crate) init_counter: u64,
    /// `PoissonInput`s, applied in the `synapses` slot between `pre` and `post` pathways.
    pub poisson_inputs: Vec<super::poisson::PoissonInput>,
    /// `TimedArray`s defined by the script.
    pub tables: Vec<super::tables::TimedArray>,
    /// The shared column holding each table's current value (`None` until first used).
    pub(crate) table_columns: Vec<usize>,
    /// Worker threads for large groups (1: run on the calling thread).
    pub threads: usize,
    /// Per-element `exp`, `expm1` and `exprel` use the inline polynomial of
    /// [`crate::backend::fastmath`] instead of libm (`--fast-math`; off by default). Takes
    /// effect for kernels compiled afterwards.
    pub fast_math: bool,
    /// Refuse to allocate state, synapses or monitors beyond this many bytes (`None`: the
    /// machine's available memory).
    pub max_memory: Option<u64>,
    /// Called after every step of a run with (steps done in this run, steps in this run).
    pub progress: Option<Box<dyn FnMut(u64, u64) + Send>>,
    /// Set (by a signal handler) to stop the run after the current step: `run` then returns
    /// [`RunError::Interrupted`] with everything recorded so far kept.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// The groups that stepped with a lean kernel in some run, leaving out stores nothing
    /// read (see `runtime::lean`; shown by `snnc run -v`).
    pub lean_groups: Vec<String>,
    /// The worker threads that run large groups' step kernels (created on first use).
    pub(crate) workers: super::parallel::Workers,
}

impl Network {
    /// An empty network with Brian2's default `dt` of 0.1 ms.
    pub fn new(backend: BackendKind, seed: u64) -> Network {
        let (backend, notice) = make_backend(backend);
        Network {
            columns: Vec::new(),
            groups: Vec::new(),
            synapses: Vec::new(),
            monitors: Vec::new(),
            dt: 1e-4,
            step: 0,
            time: 0.0,
            seed,
            backend,
            backend_notice: notice,
            notes: Vec::new(),
            timings: Timings::default(),
            init_counter: 0,
            poisson_inputs: Vec::new(),
            tables: Vec::new(),
            table_columns: Vec::new(),
            threads: 1,
            fast_math: false,
            max_memory: None,
            progress: None,
            interrupt: None,
            lean_groups: Vec::new(),
            workers: super::parallel::Workers::new(),
        }
    }

    /// Which backend runs the kernels.
    pub fn backend_kind(&self) -> BackendKind {
        self.backend.kind()
    }

    /// Current time (s).
    pub fn t(&self) -> f64 {
        self.step as f64 * self.dt
    }

    /// Creates a neuron group and its state columns; returns its index.
    pub fn add_neuron_group(
        &mut self,
        name: &str,
        n: usize,
        model: ast::Model,
        threshold: Option<ast::Expr>,
        reset: Option<ast::Code>,
        refractory: Refractory,
        method: Option<Method>,
        span: Span,
    ) -> Result<usize, Vec<Diagnostic>> {
        let has_ref = !matches!(refractory, Refractory::None);
        let variables = declare_variables(&model, has_ref)?;
        let per_neuron = variables.iter().filter(|v| !v.flags.shared).count();
        self.ensure_group_memory(n, per_neuron, span)
            .map_err(|d| vec![d])?;
        let mut columns = Vec::new();
        for v in &variables {
            // A linked variable has no column of its own: `G.v = linked_var(H, 'w')` makes it
            // H's column (see `link_variable`).
            if v.flags.linked {
                columns.push(None);
                continue;
            }
            // Subexpressions get a column too: it holds their value when a monitor records
            // them or when they are `constant over dt`.
            let len = if v.flags.shared { 1 } else { n };
            self.columns.push(Array1::from_elem(len, initial_value(v)));
            columns.push(Some(self.columns.len() - 1));
        }
        let link_index = vec![None; variables.len()];
        self.groups.push(NeuronGroup {
            name: name.to_string(),
            n,
            model,
            variables,
            columns,
            link_index,
            threshold,
            reset,
            refractory,
            method,
            span,
            spikes: Vec::new(),
            generator: None,
            regular: Vec::new(),
            table_columns: self.table_columns.clone(),
            table_rows: true,
            dt: None,
            order: 0,
            events: Vec::new(),
            event_lists: Vec::new(),
        });
        Ok(self.groups.len() - 1)
    }

    /// The values of a variable of a group or synapses (a copy).
    pub fn values(&self, source: Source, var: &str) -> Option<Array1<f64>> {
        let col = self.column_of(source, var)?;
        Some(self.columns[col].clone())
    }

    /// The global column of a variable.
    pub(crate) fn column_of(&self, source: Source, var: &str) -> Option<usize> {
        match source {
            Source::Group(g) => self.groups.get(g)?.column(var),
            Source::Synapses(s) => self.synapses.get(s)?.column(var),
        }
    }

    /// Mutable access to a variable's column.
    pub fn values_mut(&mut self, source: Source, var: &str) -> Option<&mut Array1<f64>> {
        let col = self.column_of(source, var)?;
        self.note_write(source, var);
        self.columns.get_mut(col)
    }

    /// Records that `var` of `source` may have been assigned (see
    /// [`Synapses::delay_written`]).
    pub(crate) fn note_write(&mut self, source: Source, var: &str) {
        if let (Source::Synapses(s), "delay") = (source, var) {
            if let Some(s) = self.synapses.get_mut(s) {
                s.delay_written = true;
            }
        }
    }

    /// The source of a link: variable `source_var` of group `source`, checked against the
    /// linking variable `tv` (it exists, has `tv`'s unit and has values). Returns whether it
    /// is shared, the source group's size and its column.
    fn link_source(
        &self,
        source: usize,
        source_var: &str,
        tv: &crate::check::hir::Variable,
    ) -> Result<(bool, usize, usize), String> {
        let src = &self.groups[source];
        let Some(k) = src.var_index(source_var) else {
            return Err(format!("the source group has no variable '{source_var}'"));
        };
        let sv = &src.variables[k];
        if sv.dim != tv.dim {
            return Err(format!(
                "the unit of variable '{}' ({}) does not match its link target '{source_var}' ({})",
                tv.name,
                tv.dim.unit_name(),
                sv.dim.unit_name()
            ));
        }
        let column =
            src.columns[k].ok_or_else(|| format!("'{source_var}' has no values to link to"))?;
        Ok((sv.flags.shared, src.n, column))
    }

    /// Makes the linked variable `var` of group `g` read and write variable `source_var` of
    /// group `source` (Brian2's `G.var = linked_var(source, 'source_var')`): the same column
    /// when both groups have the same size, its single value (as a shared variable) when the
    /// source has one value and the target more. Errors (as messages) for a unit or size
    /// mismatch; both names must exist and `var` must be linked (the caller checks).
    pub fn link_variable(
        &mut self,
        g: usize,
        var: usize,
        source: usize,
        source_var: &str,
    ) -> Result<(), String> {
        let target = &self.groups[g];
        let tv = &target.variables[var];
        let (source_shared, src_n, column) = self.link_source(source, source_var, tv)?;
        let shared = source_shared || (src_n == 1 && target.n != 1);
        if !shared && src_n != target.n {
            return Err(format!(
                "cannot link variable '{}' to '{source_var}', the size of the target group does not match ({} != {})",
                tv.name, target.n, src_n
            ));
        }
        let target = &mut self.groups[g];
        target.columns[var] = Some(column);
        target.variables[var].flags.shared = shared;
        Ok(())
    }

    /// Makes the linked variable `var` of group `g` read variable `source_var` of group `source`
    /// at an index per neuron (Brian2's `linked_var(source, 'v', index=...)`): the name of an
    /// integer parameter of `g` (read at each access) or an array of `g`'s size with values in
    /// `0..source.n`. The variable can then only be read. Errors as messages.
    pub fn link_variable_indexed(
        &mut self,
        g: usize,
        var: usize,
        source: usize,
        source_var: &str,
        index: &super::group::LinkIndex,
    ) -> Result<(), String> {
        if g == source {
            return Err(
                "linking a variable to its own group with index= is not supported yet".into(),
            );
        }
        let target = &self.groups[g];
        let tv = &target.variables[var];
        let (source_shared, src_n, column) = self.link_source(source, source_var, tv)?;
        if source_shared {
            return Err(format!(
                "'{source_var}' is shared: link to it without index="
            ));
        }
        let index_column = match index {
            super::group::LinkIndex::Variable(name) => {
                let Some(k) = target.var_index(name) else {
                    return Err(format!("index variable '{name}' not found"));
                };
                let v = &target.variables[k];
                if v.ty != crate::check::hir::VarType::Integer
                    || v.kind != crate::check::hir::VarKind::Parameter
                    || v.flags.shared
                {
                    return Err(format!(
                        "index variable '{name}' should be an integer parameter ('{name} : integer')"
                    ));
                }
                target.columns[k].ok_or_else(|| format!("index variable '{name}' has no values"))?
            }
            super::group::LinkIndex::Array(values) => {
                if values.len() != target.n {
                    return Err(format!(
                        "index array for linked variable '{}' has to be a one-dimensional array of length {}, but has length {}",
                        tv.name,
                        target.n,
                        values.len()
                    ));
                }
                if values.iter().any(|&x| x < 0.0 || x >= src_n as f64) {
                    return Err(format!(
                        "index array for linked variable {} contains values outside of the valid range [0, {src_n}[",
                        tv.name
                    ));
                }
                self.columns.push(ndarray::Array1::from(values.clone()));
                self.columns.len() - 1
            }
        };
        let target = &mut self.groups[g];
        target.columns[var] = Some(column);
        target.link_index[var] = Some(index_column);
        Ok(())
    }

    /// Makes the linked variable `var` of `Synapses` object `k` read and write variable
    /// `source_var` of group `source`, which must have one value for all synapses (a group
    /// of one neuron or a shared variable; Brian2 needs `index=` otherwise). Errors as in
    /// [`Network::link_variable`].
    pub fn link_synapse_variable(
        &mut self,
        k: usize,
        var: usize,
        source: usize,
        source_var: &str,
    ) -> Result<(), String> {
        let tv = &self.synapses[k].variables[var];
        let (source_shared, src_n, column) = self.link_source(source, source_var, tv)?;
        if !(source_shared || src_n == 1) {
            return Err(format!(
                "cannot link the synaptic variable '{}' to '{source_var}' of a group of {} neurons: only a group of one neuron or a shared variable gives one value for every synapse (linked_var's index= is not supported)",
                tv.name, src_n
            ));
        }
        let s = &mut self.synapses[k];
        s.columns[var] = Some(column);
        s.variables[var].flags.shared = true;
        Ok(())
    }

    /// Number of synapses and the bytes they occupy: per-synapse state columns, the `pre`/`post`
    /// index arrays and the row structures built for propagation (4 bytes per synapse for each
    /// side that some pathway propagates from, unless that side's indices are in ascending
    /// order, see [`super::synapses::Rows`]).
    pub fn synapse_memory(&self) -> (usize, usize) {
        let mut count = 0;
        let mut bytes = 0;
        for s in &self.synapses {
            let n = s.len();
            count += n;
            let columns = s
                .columns
                .iter()
                .flatten()
                .map(|&c| self.columns[c].len() * 8)
                .sum::<usize>();
            // Rows list synapses for the sides some pathway propagates from, unless in order.
            let propagates = |side| s.pathways.iter().any(|p| p.side == side);
            let listed = usize::from(propagates(PathwaySide::Pre) && !s.pre_in_order())
                + usize::from(propagates(PathwaySide::Post) && !s.post.is_sorted());
            bytes += columns + s.index_bytes() + n * 4 * listed;
        }
        (count, bytes)
    }

    /// Number of elements (neurons or synapses) of an object.
    pub fn size_of(&self, source: Source) -> usize {
        match source {
            Source::Group(g) => self.groups[g].n,
            Source::Synapses(s) => self.synapses[s].len(),
        }
    }

    /// Adds a `StateMonitor`.
    pub fn add_state_monitor(
        &mut self,
        name: &str,
        source: Source,
        variables: Vec<String>,
        indices: Vec<usize>,
    ) -> usize {
        let nvars = variables.len();
        self.monitors.push(Monitor::State(StateMonitor {
            name: name.to_string(),
            source,
            variables,
            indices,
            first: 0,
            times: Vec::new(),
            values: vec![Vec::new(); nvars],
            dt: None,
            place: Place::new(When::START, 0, name),
        }));
        self.monitors.len() - 1
    }

    /// Adds a `SpikeMonitor` of neurons `range` of `group` recording `variables` (names of
    /// the group's variables; sorted here) at each spike, or only counts if not `record`.
    pub fn add_spike_monitor(
        &mut self,
        name: &str,
        group: usize,
        range: (usize, usize),
        mut variables: Vec<String>,
        record: bool,
    ) -> usize {
        variables.sort();
        variables.dedup();
        self.monitors.push(Monitor::Spike(SpikeMonitor {
            name: name.to_string(),
            source: group,
            start: range.0,
            stop: range.1,
            record,
            values: vec![Vec::new(); variables.len()],
            variables,
            i: Vec::new(),
            t: Vec::new(),
            count: vec![0; range.1 - range.0],
            place: Place::new(When::THRESHOLDS, 1, name),
        }));
        self.monitors.len() - 1
    }

    /// Adds a `PopulationRateMonitor` of neurons `range` of `group`.
    pub fn add_rate_monitor(&mut self, name: &str, group: usize, range: (usize, usize)) -> usize {
        self.monitors.push(Monitor::Rate(PopulationRateMonitor {
            name: name.to_string(),
            source: group,
            start: range.0,
            stop: range.1,
            times: Vec::new(),
            rate: Vec::new(),
            place: Place::new(When::END, 0, name),
        }));
        self.monitors.len() - 1
    }

    /// Number of steps `run(duration)` performs from now on the default clock (Brian2's
    /// rounding: a time is on the grid if within 1e-4 steps of it, else rounded up).
    pub fn steps_for(&self, duration: f64) -> u64 {
        self.steps_on(self.dt, duration)
    }

    /// Number of steps `run(duration)` performs from now on a clock with step `dt`.
    pub fn steps_on(&self, dt: f64, duration: f64) -> u64 {
        let c = super::clock::Clock::for_run(dt, self.time, self.time + duration);
        c.end - c.step
    }

    /// The clock with step `dt` between runs: at its step at the network's time (where the
    /// next run starts it), for code run outside the step loop (`G.v = '...'`, `connect`).
    pub(crate) fn clock_now(&self, dt: f64) -> super::clock::Clock {
        super::clock::Clock::for_run(dt, self.time, self.time)
    }

    /// The step of neuron group `g`'s clock: its own `dt` or the default clock's.
    pub fn group_dt(&self, g: usize) -> f64 {
        self.groups[g].dt.unwrap_or(self.dt)
    }

    /// The step of `Synapses` object `s`'s own clock (its clock-driven update; its pathways run
    /// on their source group's clock, its summed variables on their target group's).
    pub fn synapses_dt(&self, s: usize) -> f64 {
        self.synapses[s].dt.unwrap_or(self.dt)
    }

    /// The step of the clock a monitor records on: its own `dt`, else its source's clock
    /// (as Brian2's monitors run on their source's clock).
    pub fn monitor_dt(&self, m: &Monitor) -> f64 {
        match m {
            Monitor::State(sm) => sm.dt.unwrap_or_else(|| self.source_dt(sm.source)),
            Monitor::Spike(sm) => self.group_dt(sm.source),
            Monitor::Rate(rm) => self.group_dt(rm.source),
        }
    }

    /// The step of a group's or synapses' own clock.
    pub fn source_dt(&self, source: Source) -> f64 {
        match source {
            Source::Group(g) => self.group_dt(g),
            Source::Synapses(s) => self.synapses_dt(s),
        }
    }

    /// Adds a column of `n` zeros that belongs to no variable (the per-neuron weights of a
    /// `PoissonInput` with a string weight); returns its id.
    pub fn add_scratch_column(&mut self, n: usize) -> usize {
        self.columns.push(Array1::zeros(n));
        self.columns.len() - 1
    }

    /// Adds a `TimedArray`; returns its number (as used in `check::ConstValue::TimedArray`).
    /// Two columns: the current row, which the step loop fills (kernels read it for `ta(t)`),
    /// and right after it all the values, row after row (for `ta(expr)` at other times, and
    /// what the row is read from; one NaN for an empty table, since a gathered column must not
    /// be empty). The values move there: the table keeps its shape only.
    pub fn add_table(&mut self, mut table: super::tables::TimedArray) -> usize {
        self.columns.push(Array1::zeros(table.row_len()));
        let values = std::mem::take(&mut table.values);
        let values = if values.is_empty() {
            vec![f64::NAN]
        } else {
            values
        };
        self.columns.push(Array1::from(values));
        self.tables.push(table);
        self.table_columns.push(self.columns.len() - 2);
        for g in self.groups.iter_mut() {
            g.table_columns = self.table_columns.clone();
        }
        for s in self.synapses.iter_mut() {
            s.table_columns = self.table_columns.clone();
        }
        self.tables.len() - 1
    }

    /// Brian2's `start_scope()`: later runs include only objects created from now on, and their
    /// time starts at 0. Returns the network so far (its objects and monitors, which no later
    /// run touches; kept for their output) and leaves `self` without objects, at time 0, with
    /// the same settings, `dt`, seed, backend, notes and TimedArrays (which belong to no scope).
    pub fn next_scope(&mut self) -> Network {
        let mut closed = Network::new(BackendKind::Interp, self.seed);
        closed.columns = std::mem::take(&mut self.columns);
        closed.groups = std::mem::take(&mut self.groups);
        closed.synapses = std::mem::take(&mut self.synapses);
        closed.monitors = std::mem::take(&mut self.monitors);
        closed.poisson_inputs = std::mem::take(&mut self.poisson_inputs);
        closed.dt = self.dt;
        closed.step = self.step;
        closed.time = self.time;
        closed.tables = std::mem::take(&mut self.tables);
        closed.table_columns = std::mem::take(&mut self.table_columns);
        self.time = 0.0;
        self.step = 0;
        // The tables again, with their values, in the same order (so their ids stay).
        for (k, table) in closed.tables.iter().enumerate() {
            let mut t = table.clone();
            t.values = closed.columns[closed.table_columns[k] + 1].to_vec();
            self.add_table(t);
        }
        closed
    }

    /// Whether the network has any object of its own (groups, synapses, monitors, inputs).
    pub fn has_objects(&self) -> bool {
        !(self.groups.is_empty()
            && self.synapses.is_empty()
            && self.monitors.is_empty()
            && self.poisson_inputs.is_empty())
    }

    /// Checks, integrates, lowers and compiles every object without simulating (`snnc check`).
    pub fn check_compile(&mut self, ns: &Namespace) -> Result<(), Vec<Diagnostic>> {
        self.compile_all(ns).map(|_| ())
    }

    /// Simulates `duration` seconds, resolving external names in `ns`.
    pub fn run(&mut self, duration: f64, ns: &Namespace) -> Result<(), RunError> {
        let t0 = Instant::now();
        let (mut groups, synapses) = self.compile_all(ns).map_err(RunError::Model)?;
        self.add_lean_steps(&mut groups, &synapses)
            .map_err(RunError::Model)?;
        self.timings.compile += t0.elapsed();
        let t1 = Instant::now();
        self.reserve_monitors(duration);
        // When some group's step kernel will be split across threads, the whole loop runs on
        // one of the pool's workers (see `parallel::Workers::pool`).
        let splits = self.threads > 1
            && groups.iter().zip(&self.groups).any(|(c, g)| {
                super::parallel::chunks(g.n, self.threads, c.step.min_per_thread).len() > 1
            });
        let pool = if splits {
            self.workers.pool(self.threads)
        } else {
            None
        };
        let end = self.time + duration;
        let result = match pool {
            Some(pool) => pool.install(|| self.simulate(&groups, &synapses, end)),
            None => self.simulate(&groups, &synapses, end),
        };
        self.time = match result {
            Err(RunError::Interrupted { time }) => time,
            _ => end,
        };
        self.timings.simulate += t1.elapsed();
        result
    }

    /// Delay of each synapse in steps for pathway `p` (empty when all are zero).
    /// Delays count steps of the pathway's clock: its source group's (the target's for `on_post`).
    pub(crate) fn delays_of(&self, k: usize, p: usize) -> Vec<usize> {
        let s = &self.synapses[k];
        let dt = match s.pathways[p].side {
            PathwaySide::Pre => self.group_dt(s.source.group),
            PathwaySide::Post => self.group_dt(s.target.group),
        };
        match s.pathways[p].delay {
            Some(d) if delay_steps(d, dt) > 0 => vec![delay_steps(d, dt); s.len()],
            // The per-synapse `delay` variable belongs to the pathway named `pre`; other
            // pathways without a homogeneous delay have none (Brian2's `S.<name>.delay`,
            // which scripts cannot set here, starts at zero).
            None if s.pathways[p].name == "pre" && s.delay_written => match s.column("delay") {
                // Checked before collecting: most networks have no delays at all, and the
                // list would be 8 bytes per synapse.
                // (`delay_steps(d, dt) > 0` is `floor(d/dt + 0.5) >= 1`, i.e. `d/dt + 0.5 >= 1`,
                // false for NaN as well and for zero, which needs no division.)
                Some(c)
                    if self.columns[c]
                        .iter()
                        .any(|&d| d != 0.0 && d / dt + 0.5 >= 1.0) =>
                {
                    self.columns[c]
                        .iter()
                        .map(|&d| delay_steps(d, dt))
                        .collect()
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

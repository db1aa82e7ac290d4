//! The network: all objects of a simulation, the clock, and Brian2's schedule within a step.
//!
//! Order within step `n` (t = n·dt), as in Brian2: `start` (StateMonitors record), `groups`
//! (refractoriness and integration), `thresholds` (spikes; SpikeMonitors record), `resets`,
//! `end` (PopulationRateMonitors). Each group's integration and threshold are one fused kernel;
//! nothing runs between the two slots that could observe the difference for neuron-only
//! networks. Several `run` calls continue the same simulation.

use super::group::{declare_variables, initial_value, NeuronGroup, Refractory};
use super::kernels::{self, Bound, RefractoryCode, ScalarEnv};
use crate::backend::{make_backend, Backend, BackendKind};
use crate::check::hir::{CheckedModel, HExpr, VarType};
use crate::check::{self, Expect, Namespace, Owner, Scope};
use crate::diagnostics::Diagnostic;
use crate::integrate::{self, Method};
use crate::lower::ir::{self, Domain};
use crate::monitor::{Monitor, PopulationRateMonitor, SpikeMonitor, StateMonitor};
use crate::runtime::rng;
use crate::source::Span;
use crate::syntax::ast;
use crate::units::Dimension;
use ndarray::Array1;
use std::fmt;
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
        /// Neuron index.
        neuron: usize,
        /// Simulation time (s) of the step that produced it.
        time: f64,
        /// The value.
        value: f64,
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
                "state variable '{variable}' of group '{group}' became {value} for neuron {neuron} at t = {time} s"
            ),
            RunError::Internal(m) => write!(f, "internal error: {m} (please report this)"),
        }
    }
}

impl std::error::Error for RunError {}

struct CompiledGroup {
    step: Bound,
    reset: Option<Bound>,
}

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
    columns: Vec<Array1<f64>>,
    /// Neuron groups in creation order.
    pub groups: Vec<NeuronGroup>,
    /// Monitors in creation order.
    pub monitors: Vec<Monitor>,
    /// The default clock's step (s).
    pub dt: f64,
    /// Steps simulated so far.
    pub step: u64,
    /// The seed of all random numbers.
    pub seed: u64,
    backend: Box<dyn Backend>,
    /// A notice about the backend (fallback to the interpreter).
    pub backend_notice: Option<String>,
    /// Notes produced while compiling (method chosen, warnings).
    pub notes: Vec<Diagnostic>,
    /// Accumulated timings.
    pub timings: Timings,
    init_counter: u64,
}

impl Network {
    /// An empty network with Brian2's default `dt` of 0.1 ms.
    pub fn new(backend: BackendKind, seed: u64) -> Network {
        let (backend, notice) = make_backend(backend);
        Network {
            columns: Vec::new(),
            groups: Vec::new(),
            monitors: Vec::new(),
            dt: 1e-4,
            step: 0,
            seed,
            backend,
            backend_notice: notice,
            notes: Vec::new(),
            timings: Timings::default(),
            init_counter: 0,
        }
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
        let mut columns = Vec::new();
        for v in &variables {
            if v.kind == crate::check::hir::VarKind::Subexpression {
                columns.push(None);
                continue;
            }
            let len = if v.flags.shared { 1 } else { n };
            self.columns.push(Array1::from_elem(len, initial_value(v)));
            columns.push(Some(self.columns.len() - 1));
        }
        self.groups.push(NeuronGroup {
            name: name.to_string(),
            n,
            model,
            variables,
            columns,
            threshold,
            reset,
            refractory,
            method,
            span,
            spikes: Vec::new(),
        });
        Ok(self.groups.len() - 1)
    }

    /// The values of a group's variable (a copy).
    pub fn values(&self, group: usize, var: &str) -> Option<Array1<f64>> {
        let col = self.groups.get(group)?.column(var)?;
        Some(self.columns[col].clone())
    }

    /// Mutable access to a group's variable column.
    pub fn values_mut(&mut self, group: usize, var: &str) -> Option<&mut Array1<f64>> {
        let col = self.groups.get(group)?.column(var)?;
        self.columns.get_mut(col)
    }

    /// Evaluates `expr` per neuron into `var` (`G.v = 'expr'`), optionally only where `cond`
    /// holds, and only for `indices` if given. `ns` holds the script's constants now.
    pub fn set_from_expr(
        &mut self,
        group: usize,
        var: &str,
        expr: &ast::Expr,
        cond: Option<&ast::Expr>,
        indices: Option<&[u32]>,
        ns: &Namespace,
    ) -> Result<(), Vec<Diagnostic>> {
        let g = &self.groups[group];
        let k = g.var_index(var).ok_or_else(|| {
            vec![Diagnostic::error(
                format!("could not find a state variable with name '{var}'"),
                expr.span,
            )]
        })?;
        let dim = g.variables[k].dim;
        let model = CheckedModel::default();
        let scope = Scope {
            own: &g.variables,
            subexpressions: &model.subexpressions,
            owner: Owner::NeuronGroup,
            ns,
        };
        let expect = match g.variables[k].ty {
            VarType::Boolean => Expect::Boolean,
            _ => Expect::Dim(dim),
        };
        let (value, mut diags) =
            check::check_expr(expr, &scope, expect, &format!("initialisation of {var}"));
        let cond_h = match cond {
            Some(c) => {
                let (h, d) = check::check_expr(c, &scope, Expect::Boolean, "condition");
                diags.extend(d);
                h.map(|x| x.0)
            }
            None => None,
        };
        let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
        let Some((value, _, _)) = value else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        self.init_counter += 1;
        let object = rng::name_hash(&format!("{}.init.{}", g.name, self.init_counter));
        let domain = if indices.is_some() {
            Domain::List
        } else {
            Domain::Range
        };
        let (kernel, cols) =
            kernels::init_kernel(g, var, &value, cond_h.as_ref(), domain, object)
                .map_err(|e| vec![Diagnostic::error_nospan(e.0)])?;
        let compiled = self
            .backend
            .compile(&kernel)
            .map_err(|e| vec![Diagnostic::error_nospan(format!("internal error: {e}"))])?;
        let n = g.n;
        let bound = Bound {
            kernel: compiled,
            columns: cols,
            scalars: kernel.scalars.clone(),
            ir: kernel,
        };
        let env = ScalarEnv {
            t: self.t(),
            dt: self.dt,
            n: n as f64,
            step: self.step,
        };
        let list = indices.unwrap_or(&[]);
        let range = (0, if indices.is_some() { list.len() } else { n });
        let mut spikes = Vec::new();
        kernels::run_bound(
            &bound,
            &mut self.columns,
            &env,
            self.seed,
            list,
            range,
            &mut spikes,
        );
        Ok(())
    }

    /// Adds a `StateMonitor`.
    pub fn add_state_monitor(
        &mut self,
        name: &str,
        group: usize,
        variables: Vec<String>,
        indices: Vec<usize>,
    ) -> usize {
        let nvars = variables.len();
        self.monitors.push(Monitor::State(StateMonitor {
            name: name.to_string(),
            source: group,
            variables,
            indices,
            times: Vec::new(),
            values: vec![Vec::new(); nvars],
        }));
        self.monitors.len() - 1
    }

    /// Adds a `SpikeMonitor`.
    pub fn add_spike_monitor(&mut self, name: &str, group: usize) -> usize {
        let n = self.groups[group].n;
        self.monitors.push(Monitor::Spike(SpikeMonitor {
            name: name.to_string(),
            source: group,
            i: Vec::new(),
            t: Vec::new(),
            count: vec![0; n],
        }));
        self.monitors.len() - 1
    }

    /// Adds a `PopulationRateMonitor`.
    pub fn add_rate_monitor(&mut self, name: &str, group: usize) -> usize {
        self.monitors.push(Monitor::Rate(PopulationRateMonitor {
            name: name.to_string(),
            source: group,
            times: Vec::new(),
            rate: Vec::new(),
        }));
        self.monitors.len() - 1
    }

    /// Number of steps `run(duration)` performs from now (Brian2's rounding: the end step is
    /// rounded if within 1e-4 steps of an integer, else rounded up).
    pub fn steps_for(&self, duration: f64) -> u64 {
        let end = (self.t() + duration) / self.dt;
        let r = end.round();
        let end_step = if (end - r).abs() < 1e-4 { r } else { end.ceil() };
        (end_step.max(self.step as f64) as u64).saturating_sub(self.step)
    }

    fn compile_group(&mut self, k: usize, ns: &Namespace) -> Result<CompiledGroup, Vec<Diagnostic>> {
        let g = &self.groups[k];
        let has_ref = !matches!(g.refractory, Refractory::None);
        let (model, mut diags) = check::check_model(&g.model, &Owner::NeuronGroup, ns, has_ref);
        let Some(model) = model else {
            return Err(diags.into_iter().filter(|d| d.is_error()).collect());
        };
        let scope = Scope {
            own: &model.variables,
            subexpressions: &model.subexpressions,
            owner: Owner::NeuronGroup,
            ns,
        };
        let mut errors: Vec<Diagnostic> = Vec::new();
        let threshold = match &g.threshold {
            Some(th) => {
                let (h, d) = check::check_expr(th, &scope, Expect::Boolean, "threshold condition");
                diags.extend(d);
                h.map(|x| x.0)
            }
            None => None,
        };
        let refractory = match &g.refractory {
            Refractory::None => RefractoryCode::None,
            Refractory::Time(p) => RefractoryCode::Period(HExpr::Const(*p)),
            Refractory::Expr(e) => {
                let (h, d) = check::check_expr(e, &scope, Expect::Any, "refractory expression");
                diags.extend(d);
                match h {
                    Some((h, _, VarType::Boolean)) => RefractoryCode::Condition(h),
                    Some((h, dim, _)) if dim == Dimension::base(crate::units::BaseDim::Time) => {
                        RefractoryCode::Period(h)
                    }
                    Some(_) => {
                        errors.push(Diagnostic::error(
                            "refractory expression is neither a time span nor a boolean value",
                            e.span,
                        ).with_label("expected a unit of second or a boolean condition"));
                        RefractoryCode::None
                    }
                    None => RefractoryCode::None,
                }
            }
        };
        let reset = match &g.reset {
            Some(code) => {
                let (h, d) = check::check_code(code, &scope, "reset");
                diags.extend(d);
                h
            }
            None => None,
        };
        errors.extend(diags.iter().filter(|d| d.is_error()).cloned());
        if !errors.is_empty() {
            return Err(errors);
        }
        self.notes.extend(diags.into_iter().filter(|d| !d.is_error()));
        let (method, update) = match g.method {
            Some(m) => (
                m,
                integrate::integrate(&model, m, self.dt, has_ref)
                    .map_err(|e| vec![Diagnostic::error(e.to_string(), g.span)])?,
            ),
            None => {
                let (m, u) = integrate::integrate_default(&model, self.dt, has_ref)
                    .map_err(|e| vec![Diagnostic::error(e.to_string(), g.span)])?;
                if !model.diff_eqs.is_empty() {
                    self.notes.push(Diagnostic::note(
                        format!(
                            "no numerical integration method specified for group '{}', using method '{}'",
                            g.name,
                            m.name()
                        ),
                        Some(g.span),
                    ));
                }
                (m, u)
            }
        };
        let _ = method;
        let object = rng::name_hash(&g.name);
        let internal = |e: crate::lower::build::LowerError| vec![Diagnostic::error(e.0, g.span)];
        let (step_ir, step_cols) =
            kernels::state_and_threshold(g, &update, &refractory, threshold.as_ref(), object)
                .map_err(internal)?;
        let reset_ir = match &reset {
            Some(code) if g.threshold.is_some() => Some(
                kernels::code_kernel(
                    g,
                    &format!("{}.reset", g.name),
                    code,
                    Domain::List,
                    object ^ 0x5eed,
                )
                .map_err(internal)?,
            ),
            _ => None,
        };
        let step = self.bind(step_ir, step_cols)?;
        let reset = match reset_ir {
            Some((k, c)) => Some(self.bind(k, c)?),
            None => None,
        };
        Ok(CompiledGroup { step, reset })
    }

    fn bind(&mut self, kernel: ir::Kernel, columns: Vec<usize>) -> Result<Bound, Vec<Diagnostic>> {
        let compiled = self.backend.compile(&kernel).map_err(|e| {
            vec![Diagnostic::error_nospan(format!(
                "internal error while compiling kernel '{}': {e} (please report this)",
                kernel.name
            ))]
        })?;
        Ok(Bound {
            kernel: compiled,
            columns,
            scalars: kernel.scalars.clone(),
            ir: kernel,
        })
    }

    /// Checks, integrates, lowers and compiles every object without simulating (`snnc check`).
    pub fn check_compile(&mut self, ns: &Namespace) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        for k in 0..self.groups.len() {
            if let Err(d) = self.compile_group(k, ns) {
                errors.extend(d);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Simulates `duration` seconds, resolving external names in `ns`.
    pub fn run(&mut self, duration: f64, ns: &Namespace) -> Result<(), RunError> {
        let t0 = Instant::now();
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for k in 0..self.groups.len() {
            match self.compile_group(k, ns) {
                Ok(c) => compiled.push(c),
                Err(d) => errors.extend(d),
            }
        }
        if !errors.is_empty() {
            return Err(RunError::Model(errors));
        }
        self.timings.compile += t0.elapsed();
        let t1 = Instant::now();
        let steps = self.steps_for(duration);
        let result = self.simulate(&compiled, steps);
        self.timings.simulate += t1.elapsed();
        result
    }

    fn simulate(&mut self, compiled: &[CompiledGroup], steps: u64) -> Result<(), RunError> {
        for _ in 0..steps {
            let t = self.t();
            // start: StateMonitors record the state at time t.
            for m in self.monitors.iter_mut() {
                if let Monitor::State(sm) = m {
                    record_state(sm, &self.groups[sm.source], &self.columns, t);
                }
            }
            // groups + thresholds: the fused kernels.
            for (k, c) in compiled.iter().enumerate() {
                let env = ScalarEnv {
                    t,
                    dt: self.dt,
                    n: self.groups[k].n as f64,
                    step: self.step,
                };
                let mut spikes = std::mem::take(&mut self.groups[k].spikes);
                spikes.clear();
                let n = self.groups[k].n;
                kernels::run_bound(&c.step, &mut self.columns, &env, self.seed, &[], (0, n), &mut spikes);
                self.groups[k].spikes = spikes;
            }
            for m in self.monitors.iter_mut() {
                if let Monitor::Spike(sm) = m {
                    for &i in &self.groups[sm.source].spikes {
                        sm.i.push(i);
                        sm.t.push(t);
                        if let Some(c) = sm.count.get_mut(i as usize) {
                            *c += 1;
                        }
                    }
                }
            }
            // resets: over each group's spikes.
            for (k, c) in compiled.iter().enumerate() {
                if let Some(reset) = &c.reset {
                    let spikes = std::mem::take(&mut self.groups[k].spikes);
                    if !spikes.is_empty() {
                        let env = ScalarEnv {
                            t,
                            dt: self.dt,
                            n: self.groups[k].n as f64,
                            step: self.step,
                        };
                        let mut none = Vec::new();
                        kernels::run_bound(reset, &mut self.columns, &env, self.seed, &spikes, (0, spikes.len()), &mut none);
                    }
                    self.groups[k].spikes = spikes;
                }
            }
            // end: population rates.
            for m in self.monitors.iter_mut() {
                if let Monitor::Rate(rm) = m {
                    let g = &self.groups[rm.source];
                    rm.times.push(t);
                    rm.rate.push(g.spikes.len() as f64 / g.n as f64 / self.dt);
                }
            }
            self.check_finite(t)?;
            self.step += 1;
        }
        Ok(())
    }

    /// Stops the run when a state variable is NaN or infinite.
    fn check_finite(&self, t: f64) -> Result<(), RunError> {
        for g in &self.groups {
            for (v, col) in g.variables.iter().zip(&g.columns) {
                let Some(col) = col else { continue };
                if let Some((neuron, &value)) =
                    self.columns[*col].iter().enumerate().find(|(_, x)| !x.is_finite())
                {
                    return Err(RunError::NonFinite {
                        group: g.name.clone(),
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

fn record_state(sm: &mut StateMonitor, g: &NeuronGroup, cols: &[Array1<f64>], t: f64) {
    sm.times.push(t);
    for (k, var) in sm.variables.iter().enumerate() {
        let col = g.column(var).map(|c| &cols[c]);
        for &i in &sm.indices {
            let x = col
                .and_then(|c| if c.len() == 1 { c.get(0) } else { c.get(i) })
                .copied()
                .unwrap_or(f64::NAN);
            sm.values[k].push(x);
        }
    }
}

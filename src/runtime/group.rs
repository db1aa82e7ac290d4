//! `NeuronGroup`: declared variables, state columns and the kernels that advance them.
//!
//! A group is created from its model string without resolving external names (Brian2 resolves
//! them when `run` is called); [`declare_variables`] reads only the unit specifications and
//! flags, so variables can be set before the first run.

use crate::check::hir::{VarFlags, VarKind, VarType, Variable};
use crate::check::unit_spec;
use crate::diagnostics::Diagnostic;
use crate::integrate::Method;
use crate::syntax::ast::{self, EquationKind};
use crate::units::Dimension;

/// How a group leaves refractoriness.
#[derive(Clone, Debug, PartialEq)]
pub enum Refractory {
    /// No `refractory` argument.
    None,
    /// A duration in seconds.
    Time(f64),
    /// A string: a time expression or a boolean condition (checked at run time).
    Expr(ast::Expr),
}

/// A `NeuronGroup`.
#[derive(Clone, Debug)]
pub struct NeuronGroup {
    /// Its name (`neurongroup`, `neurongroup_1`, or `name=`).
    pub name: String,
    /// Number of neurons.
    pub n: usize,
    /// The model string's AST.
    pub model: ast::Model,
    /// Declared and internal variables.
    pub variables: Vec<Variable>,
    /// Global column id of each entry of `variables` (`None` for subexpressions).
    pub columns: Vec<Option<usize>>,
    /// For a variable linked with `index=`, the column holding each element's source index
    /// (the variable then reads `columns[k][index[e]]`); `None` for all others.
    pub link_index: Vec<Option<usize>>,
    /// Threshold condition.
    pub threshold: Option<ast::Expr>,
    /// Reset code.
    pub reset: Option<ast::Code>,
    /// Refractoriness.
    pub refractory: Refractory,
    /// Integration method (`None`: Brian2's default choice).
    pub method: Option<Method>,
    /// Where the group was created (for error messages).
    pub span: crate::source::Span,
    /// Indices of the neurons that spiked in the current step (ascending).
    pub spikes: Vec<u32>,
    /// For a `SpikeGeneratorGroup`: the spike pattern that replaces the threshold.
    pub generator: Option<SpikeGenerator>,
    /// `run_regularly` operations, in the order they were added.
    pub regular: Vec<RegularOp>,
    /// Columns of the network's TimedArrays (copied in before compiling).
    pub table_columns: Vec<usize>,
    /// Whether its kernels may read a table's current row (the column the step loop fills on
    /// the default clock), else `ta(t)` is looked up at the group's own time.
    pub table_rows: bool,
    /// Its own time step (`NeuronGroup(..., dt=...)`); `None`: the default clock's.
    pub dt: Option<f64>,
    /// Its order within each slot (`order=`): of its state updater, threshold and reset.
    pub order: i64,
    /// Custom events, in the order of the `events` dictionary.
    pub events: Vec<CustomEvent>,
    /// The neurons of each custom event in the current step (ascending).
    pub event_lists: Vec<Vec<u32>>,
}

/// The spike pattern of a `SpikeGeneratorGroup` (BRIAN2-SEMANTICS §7).
#[derive(Clone, Debug, PartialEq)]
pub struct SpikeGenerator {
    /// Neuron of each spike, sorted by (time bin, neuron).
    pub indices: Vec<u32>,
    /// Time of each spike (s), in the same order.
    pub times: Vec<f64>,
    /// Repetition period (s); 0 for none.
    pub period: f64,
    /// Next spike to emit.
    pub next: usize,
    /// The period cycle the next spike belongs to.
    pub cycle: u64,
}

impl SpikeGenerator {
    /// The step a spike time falls in: `int((τ + 1e-3·dt)/dt)` (Brian2 shifts by a thousandth
    /// of a step so that times on the grid are not rounded down).
    pub fn bin(time: f64, dt: f64) -> u64 {
        ((time + 1e-3 * dt) / dt).floor().max(0.0) as u64
    }

    /// Spikes due at `step` (all not yet emitted spikes whose bin is at most `step`), in the
    /// stored order (time, then neuron: Brian2's, which need not be ascending by neuron).
    /// `period_steps` is 0 without a period.
    pub fn emit(&mut self, step: u64, dt: f64, period_steps: u64, out: &mut Vec<u32>) {
        loop {
            if self.next >= self.times.len() {
                if period_steps == 0 || self.times.is_empty() {
                    break;
                }
                self.next = 0;
                self.cycle += 1;
            }
            let bin = Self::bin(self.times[self.next], dt) + self.cycle * period_steps;
            if bin > step {
                break;
            }
            // Spikes before the start of this run (bin < step) are skipped, as Brian2 skips
            // spikes that lie in the past when a run starts.
            if bin == step {
                out.push(self.indices[self.next]);
            }
            self.next += 1;
        }
    }
}

/// A custom event (`NeuronGroup(..., events={'name': 'condition'})`): its condition is tested
/// for every neuron at its place in the schedule (by default `after_thresholds`), without
/// refractoriness, and the neurons where it holds trigger its actions
/// (`G.run_on_event(name, code)`) and the pathways that listen to it (`on_event=`).
#[derive(Clone, Debug, PartialEq)]
pub struct CustomEvent {
    /// Its name.
    pub name: String,
    /// The condition.
    pub condition: ast::Expr,
    /// Where it is tested (`G.set_event_schedule(name, when=, order=)`).
    pub when: crate::runtime::schedule::When,
    /// Its order (`None`: the group's).
    pub order: Option<i64>,
    /// Code run over the neurons of the event: (code, slot, order), from `run_on_event`.
    pub actions: Vec<(ast::Code, crate::runtime::schedule::When, Option<i64>)>,
}

/// `linked_var(..., index=...)`: which source element each element of the linking group reads.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkIndex {
    /// An integer parameter of the linking group, read at each access.
    Variable(String),
    /// A fixed array with one source index per element.
    Array(Vec<f64>),
}

/// Code run on its own clock (`G.run_regularly(code, dt=...)`), by default in the `start`
/// slot.
#[derive(Clone, Debug, PartialEq)]
pub struct RegularOp {
    /// The code.
    pub code: ast::Code,
    /// Its period in seconds (`None`: every step).
    pub dt: Option<f64>,
    /// Its slot (`when=`).
    pub when: crate::runtime::schedule::When,
    /// Its order in the slot (`order=`).
    pub order: i64,
}

impl NeuronGroup {
    /// The number of the custom event `name`.
    pub fn event_index(&self, name: &str) -> Option<usize> {
        self.events.iter().position(|e| e.name == name)
    }

    /// The neurons of event `event` in the current step (`spike`: the spikes).
    pub fn event_list(&self, event: &str) -> &[u32] {
        match self.event_index(event) {
            Some(k) if event != "spike" => &self.event_lists[k],
            _ => &self.spikes,
        }
    }

    /// The list of custom event `event` (`None`: the spikes), to fill or to run code over.
    pub fn list_mut(&mut self, event: Option<usize>) -> &mut Vec<u32> {
        match event {
            Some(e) => &mut self.event_lists[e],
            None => &mut self.spikes,
        }
    }

    /// Index of a variable by name.
    pub fn var_index(&self, name: &str) -> Option<usize> {
        self.variables.iter().position(|v| v.name == name)
    }

    /// Global column of a variable.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.var_index(name).and_then(|k| self.columns[k])
    }

    /// The column of source positions of a variable linked with `index=` (see `link_index`).
    pub fn link_index_of(&self, name: &str) -> Option<usize> {
        self.var_index(name).and_then(|k| self.link_index[k])
    }

    /// Element `i` of variable `name` as the kernels read it (through `index=` for a linked
    /// variable, `column[0]` for a shared one); NaN for a position outside the source.
    pub fn value_at(&self, name: &str, i: usize, columns: &[ndarray::Array1<f64>]) -> f64 {
        let Some(c) = self.column(name) else {
            return f64::NAN;
        };
        let col = &columns[c];
        let at = match self.link_index_of(name) {
            Some(ix) => match columns[ix].get(i) {
                Some(&p) if p >= 0.0 && (p as usize) < col.len() => p as usize,
                _ => return f64::NAN,
            },
            None if col.len() == 1 => 0,
            None => i,
        };
        col.get(at).copied().unwrap_or(f64::NAN)
    }
}

/// Reads the variables a model declares (names, dimensions, types, flags) without checking
/// expressions; adds `lastspike` and `not_refractory` when the group is refractory.
pub fn declare_variables(
    model: &ast::Model,
    refractory: bool,
) -> Result<Vec<Variable>, Vec<Diagnostic>> {
    let mut vars = Vec::new();
    let mut errors = Vec::new();
    for eq in &model.equations {
        if vars.iter().any(|v: &Variable| v.name == eq.var.name) {
            errors.push(Diagnostic::error(
                format!("duplicate definition of variable '{}'", eq.var.name),
                eq.var.span,
            ));
            continue;
        }
        let (dim, ty) = match unit_spec(&eq.unit) {
            Ok(x) => x,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let mut flags = VarFlags::default();
        for f in &eq.flags {
            match f.name.as_str() {
                "unless refractory" => flags.unless_refractory = true,
                "constant" => flags.constant = true,
                "shared" => flags.shared = true,
                "linked" => flags.linked = true,
                "constant over dt" => flags.constant_over_dt = true,
                "summed" => flags.summed = true,
                "event-driven" => flags.event_driven = true,
                "clock-driven" => flags.clock_driven = true,
                _ => {}
            }
        }
        let kind = match eq.kind {
            EquationKind::Differential => VarKind::Differential,
            EquationKind::Subexpression => VarKind::Subexpression,
            EquationKind::Parameter => VarKind::Parameter,
        };
        vars.push(Variable {
            name: eq.var.name.clone(),
            dim,
            ty,
            kind,
            flags,
            span: Some(eq.var.span),
        });
    }
    if refractory {
        vars.push(Variable {
            name: "lastspike".into(),
            dim: Dimension::base(crate::units::BaseDim::Time),
            ty: VarType::Float,
            kind: VarKind::Internal,
            flags: VarFlags::default(),
            span: None,
        });
        vars.push(Variable {
            name: "not_refractory".into(),
            dim: Dimension::DIMENSIONLESS,
            ty: VarType::Boolean,
            kind: VarKind::Internal,
            flags: VarFlags::default(),
            span: None,
        });
    }
    if errors.is_empty() {
        Ok(vars)
    } else {
        Err(errors)
    }
}

/// Initial value of a variable: 0, except `lastspike` (−10000 s, so that a neuron is never
/// refractory at the start) and `not_refractory` (true), as in Brian2.
pub fn initial_value(var: &Variable) -> f64 {
    match (var.kind, var.name.as_str()) {
        (VarKind::Internal, "lastspike") => -1e4,
        (VarKind::Internal, "not_refractory") => 1.0,
        _ => 0.0,
    }
}

//! Evaluating `.eq` scripts: the declarative subset of Brian2 Python in CONTRACT §2 becomes a
//! [`Network`] that is built and run statement by statement, exactly in script order.
//!
//! The evaluator is explicit where Brian2 is magic: objects are collected from the script's
//! own assignments, never from a caller's frame. Anything outside the subset is rejected with
//! a diagnostic naming the construct and its line; nothing is silently ignored.

mod attrs;
mod calls;
mod equations;
mod groups;
pub mod hooks;
mod inputs;
mod monitors;
mod synapses;
pub mod value;

use crate::backend::BackendKind;
use crate::check::{ConstValue, Namespace};
use crate::diagnostics::Diagnostic;
use crate::runtime::network::{Network, RunError};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{PyExpr, PyExprKind, PyStmtKind, PyTarget, UnaryOp};
pub use hooks::{RunHooks, RunProgress};
use std::collections::HashMap;
use value::Value;

/// How to run a script.
#[derive(Clone, Debug, Default)]
pub struct ScriptOptions {
    /// `--seed N`: acts as `seed(N)` at the top of the script.
    pub seed: Option<u64>,
    /// `--set NAME=EXPR`: replaces the value assigned to the constant `NAME`.
    pub overrides: Vec<(String, String)>,
    /// The backend.
    pub backend: BackendKind,
    /// Build the network but do not simulate (`snnc check`).
    pub dry_run: bool,
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// Memory limit in bytes for state, synapses and monitors (`None`: available memory).
    pub max_memory: Option<u64>,
    /// Set by a signal handler to stop a run after the current step; the script then ends
    /// early and [`Outcome::interrupted`] says when.
    pub interrupt: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// `--fast-math`: per-element `exp`, `expm1` and `exprel` use the inline polynomial of
    /// `backend::fastmath` (within 3 units in the last place of libm; divisions by constants
    /// become multiplications by reciprocals) instead of libm.
    pub fast_math: bool,
}

/// A script that ran (or, with `dry_run`, was built).
pub struct Outcome {
    /// The network with its monitors: the objects of the last scope.
    pub network: Network,
    /// The networks of the scopes `start_scope()` closed, in order, kept for their monitors.
    pub closed: Vec<Network>,
    /// The seed used (printed when the script gave none).
    pub seed: u64,
    /// True if the seed came from the system.
    pub seed_was_random: bool,
    /// Notes and warnings.
    pub notes: Vec<Diagnostic>,
    /// Lines the script asked to print with `report='text'`.
    pub report: Vec<String>,
    /// `Some(t)`: the run was interrupted at simulation time `t` (s); the monitors hold every
    /// complete step until then and the rest of the script was not evaluated.
    pub interrupted: Option<f64>,
}

impl Outcome {
    /// Every network of the script, in order: the closed scopes', then the last.
    pub fn networks(&self) -> Vec<&Network> {
        self.closed.iter().chain([&self.network]).collect()
    }
}

/// A script that failed.
#[derive(Debug)]
pub struct ScriptError {
    /// What went wrong, with locations in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// For faults during simulation: the runtime's error.
    pub runtime: Option<RunError>,
}

impl From<Vec<Diagnostic>> for ScriptError {
    fn from(d: Vec<Diagnostic>) -> ScriptError {
        ScriptError {
            diagnostics: d,
            runtime: None,
        }
    }
}

impl From<Diagnostic> for ScriptError {
    fn from(d: Diagnostic) -> ScriptError {
        ScriptError {
            diagnostics: vec![d],
            runtime: None,
        }
    }
}

/// Parses, builds and runs a script.
pub fn run_script(file: &SourceFile, opts: &ScriptOptions) -> Result<Outcome, ScriptError> {
    run_script_with(file, opts, &RunHooks::default())
}

/// [`run_script`] with a progress callback and/or a shared compile cache.
pub fn run_script_with(
    file: &SourceFile,
    opts: &ScriptOptions,
    hooks: &RunHooks,
) -> Result<Outcome, ScriptError> {
    // Python accepts a UTF-8 byte-order mark at the start of a file; three blank lines in its
    // place keep every byte offset (and so every span, rendered against the file) unchanged.
    let script = match file.text.strip_prefix('\u{feff}') {
        Some(rest) => crate::syntax::parse_script(&format!("\n\n\n{rest}"))?,
        None => crate::syntax::parse_script(&file.text)?,
    };
    let seed_was_random = opts.seed.is_none();
    let seed = opts.seed.unwrap_or_else(crate::runtime::rng::fresh_seed);
    let mut net = Network::new(opts.backend, seed);
    net.threads = if opts.threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        opts.threads
    };
    net.max_memory = opts.max_memory;
    net.fast_math = opts.fast_math;
    if let Some(cache) = &hooks.cache {
        let inner = std::mem::replace(
            &mut net.backend,
            Box::new(crate::backend::interp::Interpreter::new()),
        );
        net.backend = crate::backend::cache::with_cache(inner, cache.clone());
    }
    let mut ev = Evaluator {
        net,
        closed: Vec::new(),
        env: HashMap::new(),
        closed_names: std::collections::HashSet::new(),
        opts: opts.clone(),
        overrides_used: vec![false; opts.overrides.len()],
        counters: HashMap::new(),
        report: Vec::new(),
        seeded_by_script: false,
        hooks: hooks.clone(),
    };
    let mut interrupted = None;
    for stmt in &script.stmts {
        match ev.stmt(&stmt.kind, stmt.span) {
            Ok(()) => {}
            Err(ScriptError {
                runtime: Some(RunError::Interrupted { time }),
                ..
            }) => {
                interrupted = Some(time);
                break;
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(k) = ev
        .overrides_used
        .iter()
        .position(|u| !u)
        .filter(|_| interrupted.is_none())
    {
        return Err(Diagnostic::error_nospan(format!(
            "--set {}: the script never assigns a constant named '{}'",
            opts.overrides[k].0, opts.overrides[k].0
        ))
        .into());
    }
    let mut notes = std::mem::take(&mut ev.net.notes);
    if let Some(n) = ev.net.backend_notice.take() {
        notes.push(Diagnostic::note(n, None));
    }
    Ok(Outcome {
        seed: ev.net.seed,
        seed_was_random: seed_was_random && !ev.seeded_by_script,
        network: ev.net,
        closed: ev.closed,
        notes,
        report: ev.report,
        interrupted,
    })
}

pub(crate) struct Evaluator {
    pub(crate) net: Network,
    /// The networks of scopes closed by `start_scope()`.
    pub(crate) closed: Vec<Network>,
    pub(crate) env: HashMap<String, Value>,
    /// Names that held objects of a scope `start_scope()` closed.
    pub(crate) closed_names: std::collections::HashSet<String>,
    pub(crate) opts: ScriptOptions,
    overrides_used: Vec<bool>,
    pub(crate) counters: HashMap<&'static str, usize>,
    pub(crate) report: Vec<String>,
    pub(crate) seeded_by_script: bool,
    pub(crate) hooks: RunHooks,
}

/// Unit names offered as suggestions for unknown script names (`mss` → `ms`); every other unit
/// is still understood, just not suggested.
const COMMON_UNITS: &[&str] = &[
    "second", "ms", "us", "ns", "msecond", "volt", "mV", "uV", "amp", "nA", "pA", "uA", "siemens",
    "nS", "uS", "mS", "farad", "pF", "nF", "uF", "ohm", "Mohm", "kohm", "Hz", "kHz", "metre",
    "meter", "mm", "um", "cm", "molar", "mM", "katal", "kelvin", "coulomb", "joule", "watt",
];

pub(crate) fn err(msg: impl Into<String>, span: Span) -> ScriptError {
    Diagnostic::error(msg, span).into()
}

impl Evaluator {
    fn stmt(&mut self, kind: &PyStmtKind, span: Span) -> Result<(), ScriptError> {
        match kind {
            PyStmtKind::Import { module, .. } => {
                if module == "brian2" || module.starts_with("brian2.") {
                    Ok(())
                } else {
                    Err(err(
                        format!("importing '{module}' is not supported in .eq files"),
                        span,
                    )
                    .with_note("only `from brian2 import *` is understood"))
                }
            }
            PyStmtKind::Unsupported { construct } => Err(err(
                format!("'{construct}' statements are not supported in .eq files"),
                span,
            )
            .with_note("a .eq file is a declarative subset of Brian2 scripts: constants, objects, assignments and run()")),
            PyStmtKind::Expr(e) => {
                self.expr(e)?;
                Ok(())
            }
            PyStmtKind::Assign { targets, value } => {
                let mut v = None;
                // `--set NAME=EXPR` replaces the value of a plain constant assignment.
                for t in targets {
                    if let PyTarget::Name(id) = t {
                        if let Some(k) = self.opts.overrides.iter().position(|(n, _)| *n == id.name) {
                            let text = self.opts.overrides[k].1.clone();
                            v = Some(self.eval_override(&id.name, &text)?);
                            self.overrides_used[k] = true;
                        }
                    }
                }
                let v = match v {
                    Some(v) => v,
                    None => self.expr(value)?,
                };
                for t in targets {
                    self.assign(t, v.clone(), value.span)?;
                }
                Ok(())
            }
            PyStmtKind::AugAssign { target, op, value } => {
                let rhs = self.expr(value)?;
                let PyTarget::Name(id) = target else {
                    return Err(err(
                        "augmented assignment is only supported on constants in .eq files",
                        span,
                    ));
                };
                let old = self.lookup(&id.name, id.span)?;
                let bop = op.binop().ok_or_else(|| err("invalid operator", span))?;
                let nv = value::binary(bop, &old, &rhs).map_err(|m| err(m, span))?;
                self.env.insert(id.name.clone(), nv);
                Ok(())
            }
        }
    }

    /// `start_scope()`: later runs include only objects created from now on, starting at time
    /// 0 (BRIAN2-SEMANTICS §9). The objects so far keep their monitors for the output; names
    /// bound to them can no longer be used. `defaultclock.dt`, the seed, constants and
    /// TimedArrays carry over.
    pub(crate) fn start_scope(&mut self) {
        if !self.net.has_objects() {
            self.net.time = 0.0;
            self.net.step = 0;
            return;
        }
        let closed = self.net.next_scope();
        self.closed.push(closed);
        let names: Vec<String> = self
            .env
            .iter()
            .filter(|(_, v)| v.is_object())
            .map(|(n, _)| n.clone())
            .collect();
        for n in names {
            self.env.remove(&n);
            self.closed_names.insert(n);
        }
    }

    fn eval_override(&mut self, name: &str, text: &str) -> Result<Value, ScriptError> {
        let parsed = crate::syntax::parse_script(&format!("{name} = {text}\n")).map_err(|_| {
            Diagnostic::error_nospan(format!("--set {name}={text}: not a valid expression"))
        })?;
        match parsed.stmts.first().map(|s| &s.kind) {
            Some(PyStmtKind::Assign { value, .. }) => self.expr(&value.clone()).map_err(|e| {
                Diagnostic::error_nospan(format!(
                    "--set {name}={text}: {}",
                    e.diagnostics
                        .first()
                        .map(|d| d.message.as_str())
                        .unwrap_or("invalid value")
                ))
                .into()
            }),
            _ => Err(Diagnostic::error_nospan(format!(
                "--set {name}={text}: not a valid expression"
            ))
            .into()),
        }
    }

    fn assign(&mut self, target: &PyTarget, v: Value, span: Span) -> Result<(), ScriptError> {
        match target {
            PyTarget::Name(id) => {
                if let Value::Monitor(k) = v {
                    // Monitors are named after the script variable that holds them.
                    self.net.monitors[k].set_name(&id.name);
                }
                self.closed_names.remove(&id.name);
                self.env.insert(id.name.clone(), v);
                Ok(())
            }
            PyTarget::Attr { object, attr } => {
                if let Some(obj) = self.pathway_delay(object, &attr.name)? {
                    return self.set_attr(&obj, "delay", None, v, span, attr.span);
                }
                let obj = self.expr(object)?;
                self.set_attr(&obj, &attr.name, None, v, span, attr.span)
            }
            PyTarget::Index { object, index } => {
                if let PyExprKind::Attr {
                    object: inner,
                    attr,
                } = &object.kind
                {
                    if let Some(obj) = self.pathway_delay(inner, &attr.name)? {
                        return self.set_attr(&obj, "delay", Some(index), v, span, attr.span);
                    }
                }
                let PyExprKind::Attr {
                    object: inner,
                    attr,
                } = &object.kind
                else {
                    return Err(err(
                        "only 'G.var[...] = value' indexing is supported",
                        object.span,
                    ));
                };
                let obj = self.expr(inner)?;
                self.set_attr(&obj, &attr.name, Some(index), v, span, attr.span)
            }
        }
    }

    /// `S.pre.delay`: Brian2's delay of the pathway `pre`, which is `S.delay`; returns the
    /// synapses to set `delay` of. Other pathways' per-synapse delays are not supported yet.
    fn pathway_delay(&mut self, object: &PyExpr, attr: &str) -> Result<Option<Value>, ScriptError> {
        let PyExprKind::Attr {
            object: syn,
            attr: pathway,
        } = &object.kind
        else {
            return Ok(None);
        };
        if attr != "delay" {
            return Ok(None);
        }
        let Value::Synapses(k) = self.expr(syn)? else {
            return Ok(None);
        };
        let s = &self.net.synapses[k];
        match s.pathways.iter().find(|p| p.name == pathway.name) {
            Some(p) if p.name == "pre" => Ok(Some(Value::Synapses(k))),
            Some(_) => Err(err(
                format!(
                    "not supported yet: setting the delay of pathway '{}' (only 'pre' has per-synapse delays; give others a delay=...)",
                    pathway.name
                ),
                pathway.span,
            )),
            None => Err(err(
                format!("the synapses have no pathway named '{}'", pathway.name),
                pathway.span,
            )),
        }
    }

    pub(crate) fn lookup(&self, name: &str, span: Span) -> Result<Value, ScriptError> {
        if let Some(v) = self.env.get(name) {
            return Ok(v.clone());
        }
        if self.closed_names.contains(name) {
            return Err(Diagnostic::error(
                format!("'{name}' belongs to a scope that start_scope() closed"),
                span,
            )
            .with_label("created before start_scope()")
            .with_note(
                "objects created before start_scope() are not part of later runs; create a new one",
            )
            .into());
        }
        if let Some(b) = calls::builtin(name) {
            return Ok(Value::Builtin(b));
        }
        if name == "defaultclock" {
            return Ok(Value::DefaultClock);
        }
        if let Some(q) = crate::units::lookup_unit(name) {
            return Ok(Value::Num {
                v: q.value,
                dim: q.dim,
                int: false,
            });
        }
        if let Some(c) = crate::units::lookup_constant(name) {
            return Ok(Value::float(c));
        }
        // Candidates: the script's names, the built-ins and the common units.
        let candidates: Vec<&str> = self
            .env
            .keys()
            .map(|s| s.as_str())
            .chain(calls::BUILTINS.iter().copied())
            .chain(COMMON_UNITS.iter().copied())
            .chain(["defaultclock"])
            .collect();
        let mut e = Diagnostic::error(format!("name '{name}' is not defined"), span);
        if matches!(
            name,
            "rand" | "randn" | "randint" | "uniform" | "normal" | "poisson"
        ) {
            // numpy's random functions at script level.
            e = e.with_note(
                "random arrays are not made in .eq files (snnc's random numbers are its own, keyed \
                 by seed): draw them in code strings, e.g. G.v = 'rand()*mV' or S.w = 'randn()'",
            );
        } else if let Some(s) = crate::check::suggest(name, candidates) {
            e = e.with_note(format!("help: did you mean '{s}'?"));
        }
        Err(e.into())
    }

    pub(crate) fn expr(&mut self, e: &PyExpr) -> Result<Value, ScriptError> {
        Ok(match &e.kind {
            PyExprKind::Int(i) => Value::int(*i),
            PyExprKind::Float(x) => Value::float(*x),
            PyExprKind::Bool(b) => Value::Bool(*b),
            PyExprKind::None => Value::None,
            PyExprKind::Str(s) => Value::Str(s.clone()),
            PyExprKind::Name(n) => self.lookup(n, e.span)?,
            PyExprKind::Dict(entries) => {
                let mut out: Vec<(String, Value)> = Vec::new();
                for (k, v) in entries {
                    let key = match self.expr(k)? {
                        Value::Str(s) => s.value,
                        other => {
                            return Err(err(
                                format!("dictionary keys must be strings, found {}", other.kind()),
                                k.span,
                            ))
                        }
                    };
                    let value = self.expr(v)?;
                    // As in Python, a repeated key keeps its first place and its last value.
                    match out.iter_mut().find(|(n, _)| *n == key) {
                        Some(entry) => entry.1 = value,
                        None => out.push((key, value)),
                    }
                }
                Value::Dict(out)
            }
            PyExprKind::List(items) | PyExprKind::Tuple(items) => {
                let vals = items
                    .iter()
                    .map(|x| self.expr(x))
                    .collect::<Result<Vec<_>, _>>()?;
                calls::list_value(vals, e.span)?
            }
            PyExprKind::Unary { op, operand } => {
                let v = self.expr(operand)?;
                match (op, v) {
                    (UnaryOp::Neg, Value::Num { v, dim, int }) => Value::Num { v: -v, dim, int },
                    (UnaryOp::Neg, Value::Array { v, dim, int }) => Value::Array {
                        v: v.into_iter().map(|x| -x).collect(),
                        dim,
                        int,
                    },
                    (UnaryOp::Neg, Value::Matrix { v, cols, dim, int }) => Value::Matrix {
                        v: v.into_iter().map(|x| -x).collect(),
                        cols,
                        dim,
                        int,
                    },
                    (
                        UnaryOp::Pos,
                        v @ (Value::Num { .. } | Value::Array { .. } | Value::Matrix { .. }),
                    ) => v,
                    (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                    (_, v) => {
                        return Err(err(
                            format!("bad operand type for unary operator: {}", v.kind()),
                            e.span,
                        ))
                    }
                }
            }
            PyExprKind::Binary { op, lhs, rhs } => {
                let a = self.expr(lhs)?;
                let b = self.expr(rhs)?;
                match (op, &a, &b) {
                    (crate::syntax::ast::BinOp::And, Value::Bool(x), Value::Bool(y)) => {
                        Value::Bool(*x && *y)
                    }
                    (crate::syntax::ast::BinOp::Or, Value::Bool(x), Value::Bool(y)) => {
                        Value::Bool(*x || *y)
                    }
                    _ => value::binary(*op, &a, &b).map_err(|m| err(m, e.span))?,
                }
            }
            PyExprKind::Attr { object, attr } => {
                let obj = self.expr(object)?;
                self.get_attr(&obj, &attr.name, attr.span)?
            }
            PyExprKind::Index { object, index } => {
                let obj = self.expr(object)?;
                self.index(&obj, index, e.span)?
            }
            PyExprKind::Slice { .. } => {
                return Err(err("a slice is only allowed inside [...]", e.span))
            }
            PyExprKind::Call { func, args, kwargs } => {
                let f = self.expr(func)?;
                self.call(&f, func, args, kwargs, e.span)?
            }
        })
    }

    /// The script's constants as seen by model strings at this moment.
    pub(crate) fn namespace(&self) -> Namespace {
        let mut ns = Namespace::default();
        for (k, v) in &self.env {
            match v {
                Value::Num { v, dim, int } => {
                    ns.values.insert(
                        k.clone(),
                        ConstValue::Number {
                            value: *v,
                            dim: *dim,
                            integer: *int,
                        },
                    );
                }
                Value::Bool(b) => {
                    ns.values.insert(k.clone(), ConstValue::Bool(*b));
                }
                Value::TimedArray(t) => {
                    let table = &self.net.tables[*t];
                    ns.values.insert(
                        k.clone(),
                        ConstValue::TimedArray {
                            table: *t as u32,
                            dim: table.dim,
                            dt: table.dt,
                            columns: table.columns,
                            rows: table.rows(),
                        },
                    );
                }
                _ => {}
            }
        }
        ns
    }
}

trait WithNote {
    fn with_note(self, note: &str) -> Self;
}

impl WithNote for ScriptError {
    fn with_note(mut self, note: &str) -> ScriptError {
        if let Some(d) = self.diagnostics.last_mut() {
            d.notes.push(note.to_string());
        }
        self
    }
}

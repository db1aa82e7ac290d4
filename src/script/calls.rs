//! Built-in functions and classes of the `.eq` language, attribute access and assignment.

use super::value::Value;
use super::{err, Evaluator, ScriptError, WithNote};
use crate::source::Span;
use crate::syntax::ast::{Ident, PyExpr, StrLit};
use crate::units::Dimension;

/// The names of the built-in functions and classes.
pub(super) const BUILTINS: &[&str] = &[
    "NeuronGroup",
    "StateMonitor",
    "SpikeMonitor",
    "PopulationRateMonitor",
    "Equations",
    "run",
    "seed",
    "start_scope",
    "int",
    "float",
    "array",
    "linspace",
    "arange",
    "range",
    "zeros",
    "ones",
    "abs",
    "sqrt",
    "exp",
    "log",
    "Synapses",
    "PoissonGroup",
    "PoissonInput",
    "SpikeGeneratorGroup",
    "TimedArray",
    "linked_var",
    "Network",
    "EventMonitor",
    "print",
];

/// The built-in named `name`.
pub(super) fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS.iter().copied().find(|b| *b == name)
}

/// A Python list literal: numbers become an array, anything else a list.
pub(super) fn list_value(vals: Vec<Value>, span: Span) -> Result<Value, ScriptError> {
    if vals
        .iter()
        .all(|v| matches!(v, Value::Num { .. } | Value::Bool(_)))
        && !vals.is_empty()
    {
        let mut out = Vec::new();
        let mut dim = None;
        let mut all_int = true;
        for v in &vals {
            let (x, d, i) = match v {
                Value::Num { v, dim, int } => (*v, *dim, *int),
                Value::Bool(b) => (f64::from(u8::from(*b)), Dimension::DIMENSIONLESS, true),
                _ => unreachable_value(),
            };
            if let Some(d0) = dim {
                if d0 != d {
                    return Err(err("all elements of a list must have the same units", span));
                }
            }
            dim = Some(d);
            all_int &= i;
            out.push(x);
        }
        return Ok(Value::Array {
            v: out,
            dim: dim.unwrap_or(Dimension::DIMENSIONLESS),
            int: all_int,
        });
    }
    if vals.iter().any(|v| matches!(v, Value::Matrix { .. })) {
        return Err(err(
            "arrays with more than two dimensions are not supported",
            span,
        ));
    }
    // A list of numeric lists is a two-dimensional array (as numpy reads it).
    if !vals.is_empty() && vals.iter().all(|v| matches!(v, Value::Array { .. })) {
        return super::value::matrix_from_rows(&vals).map_err(|m| err(m, span));
    }
    Ok(Value::List(vals))
}

fn unreachable_value() -> (f64, Dimension, bool) {
    (f64::NAN, Dimension::DIMENSIONLESS, false)
}

pub(super) struct Args<'a> {
    pub(super) pos: Vec<(Value, &'a PyExpr)>,
    pub(super) kw: Vec<(&'a Ident, Value, &'a PyExpr)>,
    pub(super) span: Span,
    pub(super) name: &'static str,
}

impl<'a> Args<'a> {
    pub(super) fn get(&self, k: usize, key: &str) -> Option<(&Value, Span)> {
        if let Some((_, v, e)) = self.kw.iter().find(|(n, _, _)| n.name == key) {
            return Some((v, e.span));
        }
        self.pos.get(k).map(|(v, e)| (v, e.span))
    }

    /// Refuses arguments that Brian2 knows and snnc does not implement (they would change the
    /// model's meaning, so they are never ignored), unless given as `None`.
    pub(super) fn refuse(&self, names: &[&str]) -> Result<(), ScriptError> {
        for (n, v, e) in &self.kw {
            if names.contains(&n.name.as_str()) && !matches!(v, Value::None) {
                return Err(err(
                    format!(
                        "{}(): the argument '{}' is not supported",
                        self.name, n.name
                    ),
                    e.span,
                ));
            }
        }
        Ok(())
    }

    /// The object's own time step (`dt=`, at position `k`), positive and finite; `None` when
    /// not given. `clock=` may only name the default clock (the same as no `dt`), and not
    /// together with `dt`, as in Brian2.
    pub(super) fn own_dt(&self, k: usize) -> Result<Option<f64>, ScriptError> {
        let dt = match self.get(k, "dt") {
            None | Some((Value::None, _)) => None,
            Some((v, s)) => {
                let d = time(v, s, "dt")?;
                if !(d > 0.0 && d.is_finite()) {
                    return Err(err("dt must be a positive, finite time", s));
                }
                Some(d)
            }
        };
        match self.kw.iter().find(|(n, _, _)| n.name == "clock") {
            None | Some((_, Value::None, _)) => {}
            Some((_, Value::DefaultClock, e)) if dt.is_some() => {
                return Err(err(
                    "can only specify either a dt or a clock, not both",
                    e.span,
                ))
            }
            Some((_, Value::DefaultClock, _)) => {}
            Some((_, _, e)) => {
                return Err(err(
                    "clock must be defaultclock (give other time steps as dt=...)",
                    e.span,
                ))
            }
        }
        Ok(dt)
    }

    /// `when=` and `order=` (keywords only): a slot of Brian2's schedule and an integer; the
    /// defaults when not given.
    pub(super) fn place(
        &self,
        when: crate::runtime::schedule::When,
        order: i64,
    ) -> Result<(crate::runtime::schedule::When, i64), ScriptError> {
        use crate::runtime::schedule::When;
        let mut out = (when, order);
        for (n, v, e) in &self.kw {
            match (n.name.as_str(), v) {
                (_, Value::None) => {}
                ("when", Value::Str(w)) => {
                    out.0 = When::parse(&w.value).ok_or_else(|| {
                        err(
                            format!(
                                "'{}' is not a slot of the schedule; one of: {}",
                                w.value,
                                When::names().join(", ")
                            ),
                            e.span,
                        )
                    })?;
                }
                ("order", Value::Num { v, int: true, .. }) if v.abs() < 1e15 => out.1 = *v as i64,
                ("when", _) => {
                    return Err(err(
                        "when must be the name of a slot ('start', 'after_thresholds', ...)",
                        e.span,
                    ))
                }
                ("order", _) => return Err(err("order must be an integer", e.span)),
                _ => {}
            }
        }
        Ok(out)
    }

    /// `order=` and `when=`: only the defaults (order 0, the object's own slot `when`), since
    /// snnc's schedule is Brian2's default one.
    pub(super) fn default_schedule(&self, when: Option<&str>) -> Result<(), ScriptError> {
        for (n, v, e) in &self.kw {
            match (n.name.as_str(), v) {
                ("order", Value::Num { v: 0.0, .. }) | (_, Value::None) => {}
                ("order", _) => {
                    return Err(err(
                        format!("{}(): only the default order=0 is supported", self.name),
                        e.span,
                    ))
                }
                ("when", Value::Str(w)) if Some(w.value.as_str()) == when => {}
                ("when", _) => {
                    return Err(err(
                        format!(
                            "{}(): only the default when='{}' is supported",
                            self.name,
                            when.unwrap_or("")
                        ),
                        e.span,
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn require(&self, k: usize, key: &str) -> Result<(&Value, Span), ScriptError> {
        self.get(k, key).ok_or_else(|| {
            err(
                format!("{}() missing required argument '{key}'", self.name),
                self.span,
            )
        })
    }

    pub(super) fn check_known(&self, allowed: &[&str]) -> Result<(), ScriptError> {
        for (n, _, _) in &self.kw {
            if !allowed.contains(&n.name.as_str()) {
                return Err(err(
                    format!(
                        "{}() got an unexpected keyword argument '{}'",
                        self.name, n.name
                    ),
                    n.span,
                )
                .with_allowed(allowed));
            }
        }
        if self.pos.len() > allowed.len() {
            return Err(err(
                format!(
                    "{}() takes at most {} positional arguments",
                    self.name,
                    allowed.len()
                ),
                self.span,
            ));
        }
        Ok(())
    }
}

trait Allowed {
    fn with_allowed(self, allowed: &[&str]) -> Self;
}

impl Allowed for ScriptError {
    fn with_allowed(mut self, allowed: &[&str]) -> ScriptError {
        if let Some(d) = self.diagnostics.last_mut() {
            d.notes.push(format!(
                "the supported arguments are: {}",
                allowed.join(", ")
            ));
        }
        self
    }
}

/// A large count as Python would print it when exact (`3000000000`), else in `1e+30` form.
pub(super) fn big_count(v: f64) -> String {
    if v.abs() < 1e16 {
        format!("{v:.0}")
    } else {
        format!("{v:e}")
    }
}

pub(super) fn num(
    v: &Value,
    span: Span,
    what: &str,
) -> Result<(f64, Dimension, bool), ScriptError> {
    match v {
        Value::Num { v, dim, int } => Ok((*v, *dim, *int)),
        Value::Bool(b) => Ok((f64::from(u8::from(*b)), Dimension::DIMENSIONLESS, true)),
        other => Err(err(
            format!("{what} must be a number, found {}", other.kind()),
            span,
        )),
    }
}

pub(super) fn time(v: &Value, span: Span, what: &str) -> Result<f64, ScriptError> {
    let (x, d, _) = num(v, span, what)?;
    if d != Dimension::second() && !(x == 0.0 && d.is_dimensionless()) {
        return Err(err(
            format!(
                "{what} has to be specified in units of seconds but got {}",
                crate::units::Quantity::new(x, d).display()
            ),
            span,
        ));
    }
    Ok(x)
}

pub(super) fn string(v: &Value, span: Span, what: &str) -> Result<StrLit, ScriptError> {
    match v {
        Value::Str(s) | Value::Equations(s) => Ok(s.clone()),
        other => Err(err(
            format!("{what} must be a string, found {}", other.kind()),
            span,
        )),
    }
}

impl Evaluator {
    pub(super) fn next_name(&mut self, base: &'static str) -> String {
        let c = self.counters.entry(base).or_insert(0);
        let name = if *c == 0 {
            base.to_string()
        } else {
            format!("{base}_{c}")
        };
        *c += 1;
        name
    }

    /// Evaluates a call's positional and keyword arguments, in source order, for callee `name`.
    fn eval_args<'a>(
        &mut self,
        args: &'a [PyExpr],
        kwargs: &'a [(Ident, PyExpr)],
        span: Span,
        name: &'static str,
    ) -> Result<Args<'a>, ScriptError> {
        let mut a = Args {
            pos: Vec::with_capacity(args.len()),
            kw: Vec::with_capacity(kwargs.len()),
            span,
            name,
        };
        for x in args {
            a.pos.push((self.expr(x)?, x));
        }
        for (k, x) in kwargs {
            a.kw.push((k, self.expr(x)?, x));
        }
        Ok(a)
    }

    pub(super) fn call(
        &mut self,
        f: &Value,
        func: &PyExpr,
        args: &[PyExpr],
        kwargs: &[(Ident, PyExpr)],
        span: Span,
    ) -> Result<Value, ScriptError> {
        if let Value::Method(obj, m @ ("run_regularly" | "run_on_event" | "set_event_schedule")) = f
        {
            return match **obj {
                Value::Group(g) => {
                    let a = self.eval_args(args, kwargs, span, m)?;
                    self.group_method(g, m, &a)
                }
                Value::Synapses(k) if *m == "run_regularly" => {
                    let a = self.eval_args(args, kwargs, span, m)?;
                    let op = self.regular_op(&a)?;
                    self.net.synapses[k].regular.push(op);
                    Ok(Value::None)
                }
                _ => Err(err(format!("{m}() needs a NeuronGroup"), func.span)),
            };
        }
        if let Value::Method(obj, "connect") = f {
            let Value::Synapses(k) = **obj else {
                return Err(err("connect() needs a Synapses object", func.span));
            };
            let a = self.eval_args(args, kwargs, span, "connect")?;
            return self.connect(k, &a);
        }
        let Value::Builtin(name) = f else {
            return Err(err(format!("{} is not callable", f.kind()), func.span));
        };
        let a = self.eval_args(args, kwargs, span, name)?;
        match *name {
            "NeuronGroup" => self.neuron_group(&a),
            "Synapses" => self.synapses(&a),
            "StateMonitor" => self.state_monitor(&a, span),
            "SpikeMonitor" | "PopulationRateMonitor" => self.spike_or_rate_monitor(name, &a),
            "Equations" => super::equations::equations(&a),
            "run" => {
                a.check_known(&[
                    "duration",
                    "report",
                    "report_period",
                    "namespace",
                    "profile",
                ])?;
                a.refuse(&["namespace"])?;
                let (d, ds) = a.require(0, "duration")?;
                let duration = time(d, ds, "the duration of a run")?;
                if duration < 0.0 || !duration.is_finite() {
                    return Err(err(
                        "the duration of a run must be a non-negative, finite time",
                        ds,
                    ));
                }
                let report = matches!(a.get(1, "report"), Some((Value::Str(s), _)) if s.value == "text" || s.value == "stdout" || s.value == "stderr");
                if report {
                    self.report.push(format!(
                        "Starting simulation at t={} s for a duration of {} s",
                        self.net.t(),
                        duration
                    ));
                }
                // Refuse before anything is allocated (also in `snnc check`).
                self.net.ensure_run_memory(duration, span)?;
                if !self.opts.dry_run {
                    let ns = self.namespace();
                    self.net.interrupt.clone_from(&self.opts.interrupt);
                    if let Some(p) = self.hooks.progress.clone() {
                        let mut at = super::RunProgress {
                            start: self.net.t(),
                            duration,
                            report,
                            done: 0,
                            steps: self.net.steps_for(duration),
                        };
                        p(&at);
                        self.net.progress = Some(Box::new(move |done, steps| {
                            at.done = done;
                            at.steps = steps;
                            p(&at);
                        }));
                    }
                    let two_d = self.net.tables.iter().any(|t| t.columns.is_some());
                    self.net.run(duration, &ns).map_err(|e| match e {
                        crate::runtime::network::RunError::Model(d) => ScriptError {
                            diagnostics: d,
                            runtime: None,
                        },
                        other @ crate::runtime::network::RunError::NonFinite { .. } => {
                            let mut d =
                                crate::diagnostics::Diagnostic::error(other.to_string(), span)
                                    .with_note(
                                        "help: the model diverges: check its parameters, or try \
                                         a smaller dt or another integration method",
                                    );
                            if two_d {
                                d = d.with_note(
                                    "note: a two-dimensional TimedArray gives NaN for a column \
                                     index outside its table, as in Brian2: check that each \
                                     index stays below the table's number of columns",
                                );
                            }
                            ScriptError {
                                diagnostics: vec![d],
                                runtime: Some(other),
                            }
                        }
                        other => ScriptError {
                            diagnostics: vec![crate::diagnostics::Diagnostic::error(
                                other.to_string(),
                                span,
                            )],
                            runtime: Some(other),
                        },
                    })?;
                } else {
                    self.net
                        .check_compile(&self.namespace())
                        .map_err(|d| ScriptError {
                            diagnostics: d,
                            runtime: None,
                        })?;
                }
                if report {
                    self.report.push(format!("{} s (100%) simulated", duration));
                }
                Ok(Value::None)
            }
            "seed" => {
                let (v, s) = a.require(0, "seed")?;
                let (x, _, int) = num(v, s, "the seed")?;
                if !int || x < 0.0 {
                    return Err(err("seed() needs a non-negative integer", s));
                }
                if self.opts.seed.is_none() {
                    self.net.seed = x as u64;
                    self.seeded_by_script = true;
                }
                Ok(Value::None)
            }
            "start_scope" => {
                self.start_scope();
                Ok(Value::None)
            }
            "int" | "float" | "abs" | "sqrt" | "exp" | "log" => {
                if a.pos.len() + a.kw.len() > 1 {
                    return Err(err(
                        format!(
                            "{name}() takes exactly one argument ({} given)",
                            a.pos.len() + a.kw.len()
                        ),
                        span,
                    ));
                }
                let (v, s) = a.require(0, "x")?;
                let (x, d, _) = num(v, s, name)?;
                let need_dimless = matches!(*name, "int" | "float" | "exp" | "log");
                if need_dimless && !d.is_dimensionless() {
                    return Err(err(
                        format!(
                            "{name}() expects a dimensionless argument but got {}",
                            crate::units::Quantity::new(x, d).display()
                        ),
                        s,
                    ));
                }
                Ok(match *name {
                    "int" => Value::int(x.trunc() as i64),
                    "float" => Value::float(x),
                    "abs" => Value::Num {
                        v: x.abs(),
                        dim: d,
                        int: false,
                    },
                    "sqrt" => Value::Num {
                        v: x.sqrt(),
                        dim: d.sqrt(),
                        int: false,
                    },
                    "exp" => Value::float(x.exp()),
                    _ => Value::float(x.ln()),
                })
            }
            "array" => {
                let (v, _) = a.require(0, "object")?;
                Ok(v.clone())
            }
            "linspace" | "arange" | "range" | "zeros" | "ones" => self.array_ctor(name, &a),
            "linked_var" => {
                a.check_known(&["group_or_variable", "name", "index"])?;
                let (src, s_span) = a.require(0, "group_or_variable")?;
                let (group, start, stop) = self.group_of(src, s_span)?;
                let subgroup = start != 0 || stop != self.net.groups[group].n;
                // `index=`: the name of an integer parameter of the linking group, or an
                // integer array with one source index per element (checked when linking).
                let index = match a.get(2, "index") {
                    // A subgroup `G[a:b]` is its group read at `a..b` (Brian2 links to the
                    // subgroup's view of the variable).
                    None | Some((Value::None, _)) if subgroup => {
                        Some(crate::runtime::group::LinkIndex::Array(
                            (start..stop).map(|x| x as f64).collect(),
                        ))
                    }
                    None | Some((Value::None, _)) => None,
                    Some((_, s)) if subgroup => {
                        return Err(err(
                            "linking to a subgroup with index= is not supported yet; give the index into the whole group",
                            s,
                        ))
                    }
                    Some((Value::Str(s), _)) => Some(crate::runtime::group::LinkIndex::Variable(
                        s.value.clone(),
                    )),
                    Some((Value::Array { v, int: true, .. }, _)) => {
                        Some(crate::runtime::group::LinkIndex::Array(v.clone()))
                    }
                    Some((o, s)) => {
                        return Err(err(
                            format!(
                                "the index of a linked variable must be a variable name or an integer array, found {}",
                                o.kind()
                            ),
                            s,
                        ))
                    }
                };
                let (name, n_span) = match a.get(1, "name") {
                    Some(x) => x,
                    None => {
                        return Err(err(
                            "linked_var() needs the variable's name: linked_var(G, 'v')",
                            span,
                        ))
                    }
                };
                let var = string(name, n_span, "the linked variable's name")?.value;
                let g = &self.net.groups[group];
                let Some(v) = g.variables.iter().find(|v| v.name == var) else {
                    let names: Vec<&str> = g.variables.iter().map(|v| v.name.as_str()).collect();
                    let mut e = err(format!("the group has no variable '{var}'"), n_span);
                    if let Some(s) = crate::check::suggest(&var, names) {
                        e = e.with_note(&format!("help: did you mean '{s}'?"));
                    }
                    return Err(e);
                };
                if v.kind == crate::check::hir::VarKind::Subexpression || v.flags.linked {
                    return Err(err(
                        format!("linking to '{var}' is not supported yet: snnc links to state variables and parameters, not to subexpressions or linked variables"),
                        n_span,
                    ));
                }
                Ok(Value::Linked { group, var, index })
            }
            "TimedArray" => {
                a.check_known(&["values", "dt", "name"])?;
                let (v, vs) = a.require(0, "values")?;
                let (values, columns, dim) = match v {
                    Value::Array { v, dim, .. } => (v.clone(), None, *dim),
                    Value::Matrix { v, cols, dim, .. } => (v.clone(), Some(*cols), *dim),
                    o => {
                        let found = o.kind();
                        let msg = format!(
                            "TimedArray values must be a one- or two-dimensional array, found {found}"
                        );
                        return Err(err(msg, vs));
                    }
                };
                let (d, ds) = a.require(1, "dt")?;
                let dt = time(d, ds, "the TimedArray's dt")?;
                if dt <= 0.0 || !dt.is_finite() {
                    return Err(err(
                        "the TimedArray's dt must be a positive, finite time",
                        ds,
                    ));
                }
                let k = self.net.add_table(crate::runtime::tables::TimedArray::new(
                    values, columns, dim, dt,
                ));
                Ok(Value::TimedArray(k))
            }
            "SpikeGeneratorGroup" => self.spike_generator(&a),
            "PoissonGroup" => self.poisson_group(&a),
            "PoissonInput" => self.poisson_input(&a),
            other => Err(err(
                format!("'{other}' is not supported yet by snnc"),
                func.span,
            )),
        }
    }

    /// `zeros((rows, cols))` or `ones((rows, cols))`.
    fn filled_matrix(&self, name: &str, shape: &[f64], s: Span) -> Result<Value, ScriptError> {
        let ok = |x: f64| x >= 1.0 && x.fract() == 0.0;
        let [rows, cols] = shape else {
            return Err(err(
                format!("{name}() supports one- and two-dimensional shapes only"),
                s,
            ));
        };
        if !ok(*rows) || !ok(*cols) || rows * cols > 1e8 {
            return Err(err(
                format!("{name}() needs a shape of two positive integers, at most 10^8 values"),
                s,
            ));
        }
        Ok(Value::Matrix {
            v: vec![if name == "ones" { 1.0 } else { 0.0 }; (*rows * *cols) as usize],
            cols: *cols as usize,
            dim: Dimension::DIMENSIONLESS,
            int: false,
        })
    }

    fn array_ctor(&self, name: &str, a: &Args) -> Result<Value, ScriptError> {
        let n_of = |v: &Value, s: Span| -> Result<usize, ScriptError> {
            match v {
                Value::Num { v, int: true, .. } if *v > 1e8 => Err(err(
                    format!("{name}() would create more than 10^8 values"),
                    s,
                )),
                Value::Num { v, int: true, .. } if *v >= 0.0 => Ok(*v as usize),
                o => Err(err(
                    format!(
                        "{name}() needs a non-negative integer size, found {}",
                        o.kind()
                    ),
                    s,
                )),
            }
        };
        match name {
            "zeros" | "ones" => {
                let (v, s) = a.require(0, "shape")?;
                if let Value::Array { v: shape, .. } = v {
                    return self.filled_matrix(name, shape, s);
                }
                let n = n_of(v, s)?;
                Ok(Value::Array {
                    v: vec![if name == "ones" { 1.0 } else { 0.0 }; n],
                    dim: Dimension::DIMENSIONLESS,
                    int: false,
                })
            }
            "linspace" => {
                let (lo, ls) = a.require(0, "start")?;
                let (hi, hs) = a.require(1, "stop")?;
                let n = match a.get(2, "num") {
                    Some((v, s)) => n_of(v, s)?,
                    None => 50,
                };
                let (lo, d1, _) = num(lo, ls, "start")?;
                let (hi, d2, _) = num(hi, hs, "stop")?;
                if d1 != d2 {
                    return Err(err(
                        "start and stop of linspace() must have the same units",
                        a.span,
                    ));
                }
                let step = if n > 1 {
                    (hi - lo) / (n - 1) as f64
                } else {
                    0.0
                };
                Ok(Value::Array {
                    v: (0..n)
                        .map(|k| {
                            if k + 1 == n && n > 1 {
                                hi
                            } else {
                                lo + k as f64 * step
                            }
                        })
                        .collect(),
                    dim: d1,
                    int: false,
                })
            }
            _ => {
                let vals: Vec<(f64, Dimension, bool)> = a
                    .pos
                    .iter()
                    .map(|(v, e)| num(v, e.span, "arange() argument"))
                    .collect::<Result<_, _>>()?;
                let (start, stop, step) = match vals.as_slice() {
                    [s] => ((0.0, s.1, true), *s, (1.0, Dimension::DIMENSIONLESS, true)),
                    [a1, b1] => (*a1, *b1, (1.0, Dimension::DIMENSIONLESS, true)),
                    [a1, b1, c1] => (*a1, *b1, *c1),
                    _ => return Err(err("arange() takes 1 to 3 arguments", a.span)),
                };
                if step.0 == 0.0 {
                    return Err(err("arange() step must not be zero", a.span));
                }
                let n = ((stop.0 - start.0) / step.0).ceil().max(0.0) as usize;
                if n > 100_000_000 {
                    return Err(err("arange() would create more than 10^8 values", a.span));
                }
                let int = start.2 && stop.2 && step.2;
                // Python's `range` (e.g. `record=range(0, 2000, 100)`) takes integers only.
                if name == "range" && (!int || vals.iter().any(|v| !v.1.is_dimensionless())) {
                    return Err(err(
                        "range() takes integers (arange() also takes floats and quantities)",
                        a.span,
                    ));
                }
                Ok(Value::Array {
                    v: (0..n).map(|k| start.0 + k as f64 * step.0).collect(),
                    dim: stop.1,
                    int,
                })
            }
        }
    }
}

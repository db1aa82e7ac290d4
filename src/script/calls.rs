//! Built-in functions and classes of the `.eq` language, attribute access and assignment.

use super::value::Value;
use super::{err, Evaluator, ScriptError, WithNote};
use crate::integrate::Method;
use crate::runtime::group::Refractory;
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
        if let Value::Method(obj, "run_regularly") = f {
            let Value::Group(g) = **obj else {
                return Err(err("run_regularly() needs a NeuronGroup", func.span));
            };
            let a = self.eval_args(args, kwargs, span, "run_regularly")?;
            a.check_known(&[
                "code",
                "dt",
                "clock",
                "when",
                "order",
                "name",
                "codeobj_class",
            ])?;
            let (when, order) = a.place(crate::runtime::schedule::When::START, 0)?;
            let (c, cs) = a.require(0, "code")?;
            let lit = string(c, cs, "run_regularly code")?;
            let code = crate::syntax::parse_code(&lit.value, &lit.map)?;
            a.refuse(&["clock"])?;
            let dt = a.own_dt(1)?;
            // Its own clock when given (Brian2 makes one), else its group's.
            self.net.groups[g]
                .regular
                .push(crate::runtime::group::RegularOp {
                    code,
                    dt,
                    when,
                    order,
                });
            return Ok(Value::None);
        }
        if let Value::Method(obj, m @ ("run_on_event" | "set_event_schedule")) = f {
            let Value::Group(g) = **obj else {
                return Err(err(format!("{m}() needs a NeuronGroup"), func.span));
            };
            let a = self.eval_args(args, kwargs, span, m)?;
            let on_event = *m == "run_on_event";
            if on_event {
                a.check_known(&["event", "code", "when", "order"])?;
            } else {
                a.check_known(&["event", "when", "order"])?;
            }
            let (ev, es) = a.require(0, "event")?;
            let ev = string(ev, es, "the event name")?.value;
            let Some(e) = self.net.groups[g].event_index(&ev) else {
                let msg = if ev == "spike" {
                    "the spike event's code is the group's reset= (its schedule is fixed)"
                        .to_string()
                } else {
                    format!("the group does not define an event '{ev}'")
                };
                return Err(err(msg, es));
            };
            let default = if on_event {
                "after_resets"
            } else {
                "after_thresholds"
            };
            let (when, order) = a.place(
                crate::runtime::schedule::When::parse(default)
                    .unwrap_or(crate::runtime::schedule::When::RESETS),
                0,
            )?;
            let order =
                a.kw.iter()
                    .any(|(n, v, _)| n.name == "order" && !matches!(v, Value::None))
                    .then_some(order);
            let event = &mut self.net.groups[g].events[e];
            if on_event {
                let (c, cs) = a.require(1, "code")?;
                let lit = string(c, cs, "the event code")?;
                let code = crate::syntax::parse_code(&lit.value, &lit.map)?;
                event.actions.push((code, when, order));
            } else {
                event.when = when;
                event.order = order;
            }
            return Ok(Value::None);
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
            "start_scope" => Ok(Value::None),
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
            "linspace" | "arange" | "zeros" | "ones" => self.array_ctor(name, &a),
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
                Ok(Value::Array {
                    v: (0..n).map(|k| start.0 + k as f64 * step.0).collect(),
                    dim: stop.1,
                    int,
                })
            }
        }
    }

    /// `events={'name': 'condition', ...}` of a NeuronGroup (tested `after_thresholds`).
    fn custom_events(
        &self,
        a: &Args,
    ) -> Result<Vec<crate::runtime::group::CustomEvent>, ScriptError> {
        let Some((v, s)) = a.get(6, "events") else {
            return Ok(Vec::new());
        };
        let entries = match v {
            Value::None => return Ok(Vec::new()),
            Value::Dict(entries) => entries,
            o => {
                return Err(err(
                    format!(
                        "events must be a dictionary of event names and conditions, found {}",
                        o.kind()
                    ),
                    s,
                ))
            }
        };
        let mut out = Vec::new();
        for (name, cond) in entries {
            let valid = name
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid || name == "spike" {
                return Err(err(
                    format!("the name '{name}' cannot be used as an event name (the spike event is the threshold)"),
                    s,
                ));
            }
            let lit = string(cond, s, "an event condition")?;
            out.push(crate::runtime::group::CustomEvent {
                name: name.clone(),
                condition: crate::syntax::parse_expr(&lit.value, &lit.map)?,
                when: crate::runtime::schedule::When::parse("after_thresholds")
                    .unwrap_or(crate::runtime::schedule::When::THRESHOLDS),
                order: None,
                actions: Vec::new(),
            });
        }
        Ok(out)
    }

    fn neuron_group(&mut self, a: &Args) -> Result<Value, ScriptError> {
        a.check_known(&[
            "N",
            "model",
            "method",
            "threshold",
            "reset",
            "refractory",
            "events",
            "namespace",
            "dtype",
            "dt",
            "clock",
            "order",
            "name",
        ])?;
        let (n, ns) = a.require(0, "N")?;
        // Python integers do not overflow: a size too large for any machine is refused as such,
        // whether it was computed exactly (`10**30`) or written as a long literal.
        if let Value::Num { v, .. } = n {
            if v.fract() == 0.0 && *v > (1u64 << 31) as f64 {
                return Err(err(
                    format!(
                        "NeuronGroup size {} is too large (at most 2^31 neurons)",
                        big_count(*v)
                    ),
                    ns,
                ));
            }
        }
        let n = match n {
            Value::Num { v, int: true, .. } if *v >= 1.0 => *v as usize,
            Value::Num { v, int: true, .. } => {
                return Err(err(
                    format!("NeuronGroup size should be at least 1, was {v}"),
                    ns,
                ))
            }
            Value::Str(_) => {
                return Err(err(
                    "first NeuronGroup argument should be size, not equations",
                    ns,
                ))
            }
            o => {
                return Err(err(
                    format!("NeuronGroup size must be an integer, found {}", o.kind()),
                    ns,
                ))
            }
        };
        if n > 1 << 31 {
            return Err(err(
                format!("NeuronGroup size {n} is too large (at most 2^31 neurons)"),
                ns,
            ));
        }
        let (model, ms) = a.require(1, "model")?;
        let model = string(model, ms, "the model")?;
        let model = crate::syntax::parse_model(&model.value, &model.map)?;
        let threshold = match a.get(3, "threshold") {
            Some((Value::None, _)) | None => None,
            Some((v, s)) => {
                let lit = string(v, s, "threshold condition")?;
                Some(crate::syntax::parse_expr(&lit.value, &lit.map)?)
            }
        };
        let reset = match a.get(4, "reset") {
            Some((Value::None, _)) | None => None,
            Some((v, s)) => {
                let lit = string(v, s, "reset")?;
                Some(crate::syntax::parse_code(&lit.value, &lit.map)?)
            }
        };
        let refractory = match a.get(5, "refractory") {
            None | Some((Value::Bool(false), _)) => Refractory::None,
            Some((Value::Str(lit), _)) => {
                Refractory::Expr(crate::syntax::parse_expr(&lit.value, &lit.map)?)
            }
            Some((v, s)) => Refractory::Time(time(v, s, "refractory period")?),
        };
        let method = match a.get(2, "method") {
            None => None,
            Some((Value::Str(s), sp)) => Some(Method::from_name(&s.value).ok_or_else(|| {
                err(
                    format!("no state updater with the name '{}' is known", s.value),
                    sp,
                )
            })?),
            Some((o, sp)) => {
                return Err(err(
                    format!("method must be a string, found {}", o.kind()),
                    sp,
                ))
            }
        };
        let dt = a.own_dt(9)?;
        a.refuse(&["namespace", "dtype"])?;
        let events = self.custom_events(a)?;
        // The order of its state updater, threshold and reset (a group has no `when`).
        let (_, order) = a.place(crate::runtime::schedule::When::GROUPS, 0)?;
        let name = match a.get(12, "name") {
            Some((Value::Str(s), sp)) => {
                let taken = self.net.groups.iter().map(|g| &g.name);
                if taken
                    .chain(self.net.synapses.iter().map(|x| &x.name))
                    .any(|n| *n == s.value)
                {
                    return Err(err(
                        format!(
                            "the name '{}' is already used by another object; all objects in a network need unique names",
                            s.value
                        ),
                        sp,
                    ));
                }
                s.value.clone()
            }
            _ => self.next_name("neurongroup"),
        };
        let k = self.net.add_neuron_group(
            &name, n, model, threshold, reset, refractory, method, a.span,
        )?;
        self.net.groups[k].dt = dt;
        self.net.groups[k].order = order;
        self.net.groups[k].event_lists = vec![Vec::new(); events.len()];
        self.net.groups[k].events = events;
        Ok(Value::Group(k))
    }
}

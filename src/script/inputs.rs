//! Input objects in scripts: `SpikeGeneratorGroup`, `PoissonGroup`, `PoissonInput`.

use super::calls::{time, Args};
use super::value::Value;
use super::{err, Evaluator, ScriptError};
use crate::runtime::group::{Refractory, SpikeGenerator};
use crate::runtime::poisson::PoissonWeight;
use crate::source::OffsetMap;
use crate::syntax::ast::{self, Equation, EquationKind, Expr, ExprKind, Ident};
use crate::units::Dimension;

impl Evaluator {
    pub(super) fn spike_generator(&mut self, a: &Args) -> Result<Value, ScriptError> {
        a.check_known(&[
            "N",
            "indices",
            "times",
            "dt",
            "clock",
            "period",
            "order",
            "sorted",
            "name",
            "codeobj_class",
        ])?;
        let n = group_size(a, "SpikeGeneratorGroup")?;
        // Spike times are binned with the group's own step (its `dt`, else the default).
        let own_dt = a.own_dt(3)?;
        a.default_schedule(None)?;
        let group_dt = own_dt.unwrap_or(self.net.dt);
        let (iv, is) = a.require(1, "indices")?;
        let indices: Vec<f64> = match iv {
            Value::Array { v, int: true, .. } => v.clone(),
            Value::Num { v, int: true, .. } => vec![*v],
            o => {
                return Err(err(
                    format!("spike indices must be integers, found {}", o.kind()),
                    is,
                ))
            }
        };
        let (tv, ts) = a.require(2, "times")?;
        let times: Vec<f64> = match tv {
            Value::Array { v, dim, .. } if *dim == Dimension::second() => v.clone(),
            Value::Num { v, dim, .. } if *dim == Dimension::second() => vec![*v],
            Value::Array { v, dim, .. }
                if dim.is_dimensionless() && v.iter().all(|x| *x == 0.0) =>
            {
                v.clone()
            }
            o => {
                return Err(err(
                    format!(
                        "spike times must be times (e.g. [1, 2]*ms), found {}",
                        o.kind()
                    ),
                    ts,
                ))
            }
        };
        if indices.len() != times.len() {
            return Err(err(
                format!(
                    "length of the indices ({}) and the times ({}) arrays must match",
                    indices.len(),
                    times.len()
                ),
                a.span,
            ));
        }
        if let Some(&bad) = indices.iter().find(|&&i| i < 0.0 || i >= n as f64) {
            return Err(err(
                format!("indices have to lie in the interval [0, {n}[, found {bad}"),
                is,
            ));
        }
        if times.iter().any(|t| *t < 0.0 || !t.is_finite()) {
            return Err(err("spike times cannot be negative", ts));
        }
        let period = match a.get(4, "period") {
            None => 0.0,
            Some((v, s)) => {
                let p = time(v, s, "the period")?;
                let dt = group_dt;
                if p != 0.0 {
                    if p < dt {
                        return Err(err("the period has to be at least dt", s));
                    }
                    if ((p / dt) - (p / dt).round()).abs() > 1e-6 {
                        return Err(err("the period has to be an integer multiple of dt", s));
                    }
                    if times.iter().any(|&t| t >= p) {
                        return Err(err(
                            "the period has to be greater than the maximum of the spike times",
                            s,
                        ));
                    }
                }
                p
            }
        };
        // Refuse a neuron spiking twice in one bin (sorted by bin and neuron to find them).
        let dt = group_dt;
        let mut order: Vec<usize> = (0..times.len()).collect();
        order.sort_by(|&x, &y| {
            (SpikeGenerator::bin(times[x], dt), indices[x] as u64)
                .cmp(&(SpikeGenerator::bin(times[y], dt), indices[y] as u64))
        });
        for w in order.windows(2) {
            let (x, y) = (w[0], w[1]);
            if SpikeGenerator::bin(times[x], dt) == SpikeGenerator::bin(times[y], dt)
                && indices[x] == indices[y]
            {
                return Err(err(
                    format!(
                        "neuron {} spikes more than once during a time step ({} s and {} s)",
                        indices[x], times[x], times[y]
                    ),
                    a.span,
                ));
            }
        }
        // Stored as Brian2 stores them: by time, then neuron, so a step's spikes come out in
        // the order of their exact times (a synapse's `v_post = w` keeps the last one's).
        order.sort_by(|&x, &y| {
            (SpikeGenerator::bin(times[x], dt), times[x], indices[x])
                .partial_cmp(&(SpikeGenerator::bin(times[y], dt), times[y], indices[y]))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let generator = SpikeGenerator {
            indices: order.iter().map(|&k| indices[k] as u32).collect(),
            times: order.iter().map(|&k| times[k]).collect(),
            period,
            next: 0,
            cycle: 0,
        };
        let name = match a.get(8, "name") {
            Some((Value::Str(s), _)) => s.value.clone(),
            _ => self.next_name("spikegeneratorgroup"),
        };
        let g = self.net.add_neuron_group(
            &name,
            n,
            ast::Model::default(),
            None,
            None,
            Refractory::None,
            None,
            a.span,
        )?;
        self.net.groups[g].generator = Some(generator);
        self.net.groups[g].dt = own_dt;
        Ok(Value::Group(g))
    }

    pub(super) fn poisson_group(&mut self, a: &Args) -> Result<Value, ScriptError> {
        a.check_known(&[
            "N",
            "rates",
            "dt",
            "clock",
            "name",
            "namespace",
            "codeobj_class",
        ])?;
        let n = group_size(a, "PoissonGroup")?;
        let own_dt = a.own_dt(2)?;
        a.refuse(&["namespace"])?;
        let (rates, rs) = a.require(1, "rates")?;
        let span = a.span;
        let here = |kind: ExprKind| Expr { kind, span };
        let ident = |s: &str| Ident {
            name: s.to_string(),
            span,
        };
        // Brian2's PoissonGroup is a group with `rates` and the threshold `rand() < rates*dt`.
        let (eq_kind, expr) = match rates {
            Value::Str(lit) => (
                EquationKind::Subexpression,
                Some(crate::syntax::parse_expr(&lit.value, &lit.map)?),
            ),
            Value::Num { dim, .. } | Value::Array { dim, .. } if *dim == Dimension::hertz() => {
                (EquationKind::Parameter, None)
            }
            Value::Num { v, .. } if *v == 0.0 => (EquationKind::Parameter, None),
            o => {
                return Err(err(
                    format!(
                        "rates must be given in Hz (a quantity, an array or a string), found {}",
                        o.kind()
                    ),
                    rs,
                ))
            }
        };
        let model = ast::Model {
            equations: vec![Equation {
                kind: eq_kind,
                var: ident("rates"),
                expr,
                unit: here(ExprKind::Name("hertz".into())),
                flags: Vec::new(),
                span,
            }],
        };
        let threshold = crate::syntax::parse_expr(
            "rand() < rates*dt",
            &OffsetMap::shifted(span.start as usize),
        )?;
        let name = match a.get(4, "name") {
            Some((Value::Str(s), _)) => s.value.clone(),
            _ => self.next_name("poissongroup"),
        };
        let g = self.net.add_neuron_group(
            &name,
            n,
            model,
            Some(threshold),
            None,
            Refractory::None,
            None,
            span,
        )?;
        if eq_kind == EquationKind::Parameter {
            let (vals, _) = match rates {
                Value::Num { v, dim, .. } => (vec![*v], *dim),
                Value::Array { v, dim, .. } => (v.clone(), *dim),
                _ => (Vec::new(), Dimension::DIMENSIONLESS),
            };
            if vals.len() != 1 && vals.len() != n {
                return Err(err(
                    format!("rates has {} values for {n} neurons", vals.len()),
                    rs,
                ));
            }
            if let Some(col) = self
                .net
                .values_mut(crate::monitor::Source::Group(g), "rates")
            {
                for (k, x) in col.iter_mut().enumerate() {
                    *x = if vals.len() == 1 { vals[0] } else { vals[k] };
                }
            }
        }
        self.net.groups[g].dt = own_dt;
        Ok(Value::Group(g))
    }

    pub(super) fn poisson_input(&mut self, a: &Args) -> Result<Value, ScriptError> {
        a.check_known(&[
            "target",
            "target_var",
            "N",
            "rate",
            "weight",
            "when",
            "order",
        ])?;
        let (when, order) = a.place(crate::runtime::schedule::When::SYNAPSES, 0)?;
        let (tv, ts) = a.require(0, "target")?;
        let (group, start, stop) = self.group_of(tv, ts)?;
        let (var, vs) = a.require(1, "target_var")?;
        let Value::Str(var) = var else {
            return Err(err("target_var must be the name of a variable", vs));
        };
        let Some(k) = self.net.groups[group].var_index(&var.value) else {
            return Err(err(
                format!("the target group has no variable '{}'", var.value),
                vs,
            ));
        };
        let vdim = self.net.groups[group].variables[k].dim;
        let (nv, ns) = a.require(2, "N")?;
        let n = match nv {
            Value::Num { v, int: true, .. } if *v >= 0.0 => *v as u64,
            o => {
                return Err(err(
                    format!("N must be a non-negative integer, found {}", o.kind()),
                    ns,
                ))
            }
        };
        let (rv, rs) = a.require(3, "rate")?;
        let rate = match rv {
            Value::Num { v, dim, .. } if *dim == Dimension::hertz() => *v,
            o => {
                return Err(err(
                    format!("rate must be a frequency (e.g. 10*Hz), found {}", o.kind()),
                    rs,
                ))
            }
        };
        let (wv, ws) = a.require(4, "weight")?;
        let weight = match wv {
            Value::Str(lit) => {
                let n_group = self.net.groups[group].n;
                let expr = crate::syntax::parse_expr(&lit.value, &lit.map)?;
                let column = self.net.add_scratch_column(n_group);
                PoissonWeight::Expr { expr, column }
            }
            Value::Num { v, dim, .. } if *dim == vdim => PoissonWeight::Value(*v),
            Value::Num { v, dim, .. } if dim.is_dimensionless() && *v == 0.0 => {
                PoissonWeight::Value(0.0)
            }
            Value::Num { .. } => {
                return Err(err(
                    format!(
                    "the provided weight does not have the same unit as the target variable '{}'",
                    var.value
                ),
                    ws,
                ))
            }
            o => {
                return Err(err(
                    format!(
                        "weight must be a quantity or a string expression, found {}",
                        o.kind()
                    ),
                    ws,
                ))
            }
        };
        let name = self.next_name("poissoninput");
        self.net
            .poisson_inputs
            .push(crate::runtime::poisson::PoissonInput {
                name,
                group,
                start,
                stop,
                var: var.value.clone(),
                n,
                rate,
                weight,
                when,
                order,
            });
        Ok(Value::None)
    }
}

/// The size argument `N` of an input group `class`: a positive integer below 2^31.
fn group_size(a: &Args, class: &str) -> Result<usize, ScriptError> {
    let (n, ns) = a.require(0, "N")?;
    match n {
        Value::Num { v, int: true, .. } if *v >= 1.0 && *v < 2f64.powi(31) => Ok(*v as usize),
        o => Err(err(
            format!(
                "{class} size must be a positive integer, found {}",
                o.kind()
            ),
            ns,
        )),
    }
}

//! Attributes of script objects: reading (`G.N`, `defaultclock.dt`), setting state variables
//! (`G.v = ...`, `G.v[0:10] = ...`, `S.w['i>j'] = '...'`) with Brian2's unit rules, subgroups
//! (`G[:Ne]`) and array indexing.

use super::calls::time;
use super::value::Value;
use super::{err, Evaluator, ScriptError, WithNote};
use crate::monitor::Source;
use crate::source::Span;
use crate::syntax::ast::{PyExpr, PyExprKind};
use crate::units::Dimension;

impl Evaluator {
    /// The object a value refers to, with the element range it covers.
    pub(super) fn object_of(
        &self,
        v: &Value,
        span: Span,
    ) -> Result<(Source, usize, usize), ScriptError> {
        match v {
            Value::Synapses(s) => Ok((Source::Synapses(*s), 0, self.net.synapses[*s].len())),
            other => {
                let (g, a, b) = self.group_of(other, span)?;
                Ok((Source::Group(g), a, b))
            }
        }
    }

    /// (group, start, stop) of a group or subgroup value.
    pub(super) fn group_of(
        &self,
        v: &Value,
        span: Span,
    ) -> Result<(usize, usize, usize), ScriptError> {
        match v {
            Value::Group(g) => Ok((*g, 0, self.net.groups[*g].n)),
            Value::Subgroup { group, start, stop } => Ok((*group, *start, *stop)),
            o => Err(err(
                format!("expected a NeuronGroup, found {}", o.kind()),
                span,
            )),
        }
    }

    pub(super) fn get_attr(
        &self,
        obj: &Value,
        attr: &str,
        span: Span,
    ) -> Result<Value, ScriptError> {
        match (obj, attr) {
            (Value::DefaultClock, "dt") => Ok(Value::Num { v: self.net.dt, dim: Dimension::second(), int: false }),
            (Value::DefaultClock, "t") => Ok(Value::Num { v: self.net.t(), dim: Dimension::second(), int: false }),
            (Value::Group(g), "N") => Ok(Value::int(self.net.groups[*g].n as i64)),
            (Value::Group(_), "run_regularly") => Ok(Value::Method(Box::new(obj.clone()), "run_regularly")),
            (Value::Group(_), "run_on_event") => Ok(Value::Method(Box::new(obj.clone()), "run_on_event")),
            (Value::Group(_), "set_event_schedule") => Ok(Value::Method(Box::new(obj.clone()), "set_event_schedule")),
            (Value::Synapses(_), "connect") => Ok(Value::Method(Box::new(obj.clone()), "connect")),
            (Value::Synapses(_), "run_regularly") => Ok(Value::Method(Box::new(obj.clone()), "run_regularly")),
            (Value::Matrix { v, cols, dim, int }, "T") => Ok(Value::Matrix {
                v: super::value::transpose(v, *cols),
                cols: v.len() / (*cols).max(1),
                dim: *dim,
                int: *int,
            }),
            (Value::Synapses(s), "N") => Ok(Value::int(self.net.synapses[*s].len() as i64)),
            (Value::Group(_) | Value::Subgroup { .. }, _) => Err(err(
                format!("reading state variables ('{attr}') in a .eq script is not supported; use a monitor"),
                span,
            )),
            (Value::Synapses(s), _)
                if is_degree_name(attr) || self.net.synapses[*s].var_index(attr).is_some() =>
            {
                let mut e = err(
                    format!("reading state variables ('{attr}') in a .eq script is not supported; use a monitor"),
                    span,
                );
                if is_degree_name(attr) {
                    let name = attr.trim_end_matches("_post").trim_end_matches("_pre");
                    e = e.with_note(&format!("'{name}' can be used inside code strings, e.g. S.w = '1.0/{name}'"));
                }
                Err(e)
            }
            _ => Err(err(format!("{} has no attribute '{attr}'", obj.kind()), span)),
        }
    }

    pub(super) fn set_attr(
        &mut self,
        obj: &Value,
        attr: &str,
        index: Option<&PyExpr>,
        v: Value,
        span: Span,
        attr_span: Span,
    ) -> Result<(), ScriptError> {
        if let (Value::DefaultClock, "dt", None) = (obj, attr, index) {
            let dt = time(&v, span, "dt")?;
            if dt <= 0.0 || !dt.is_finite() {
                return Err(err("dt must be a positive, finite time", span));
            }
            // Brian2's `check_dt`: the network's time must be on the new grid.
            let t = self.net.time;
            let steps = t / dt;
            if (steps - steps.round()).abs() > 1e-4 {
                return Err(err(
                    format!("cannot set dt to {dt} s, the time {t} s is not a multiple of it"),
                    span,
                ));
            }
            self.net.step = crate::runtime::clock::timestep_at(t, dt);
            self.net.dt = dt;
            return Ok(());
        }
        if let (Value::Synapses(k), "delay") = (obj, attr) {
            if let Some(p) = self.net.synapses[*k]
                .pathways
                .iter()
                .position(|p| p.name == "pre" && p.delay.is_some())
            {
                // `delay=` gave one value for all synapses: Brian2 keeps it as a shared
                // variable, set again with a time.
                if index.is_some() {
                    return Err(err(
                        "the delay was given to Synapses(delay=...) as one value for all synapses: set it without an index",
                        attr_span,
                    ));
                }
                let d = match &v {
                    Value::Num { .. } => time(&v, span, "delay")?,
                    _ => {
                        return Err(err(
                            format!("the delay was given to Synapses(delay=...) as one value for all synapses: set it with a time (S.delay = 2*ms), not {}", v.kind()),
                            span,
                        ))
                    }
                };
                self.net.synapses[*k].pathways[p].delay = Some(d);
                return Ok(());
            }
        }
        if let Some(v) = self.unitless_view(obj, attr, &v, span)? {
            let base = &attr[..attr.len() - 1];
            return self.set_attr(obj, base, index, v, span, attr_span);
        }
        if matches!(obj, Value::Synapses(_)) && is_degree_name(attr) {
            return Err(err(
                format!("variable '{attr}' is read-only: Brian2 counts the synapses after each connect call"),
                attr_span,
            ));
        }
        let (source, start, stop) = self.object_of(obj, attr_span)?;
        let variables = match source {
            Source::Group(g) => &self.net.groups[g].variables,
            Source::Synapses(k) => {
                // Linking is allowed before connect (the link does not depend on the synapses).
                // (`connect` may have made no synapse: setting then does nothing, as in Brian2.)
                if self.net.synapses[k].connect_calls == 0 && !matches!(v, Value::Linked { .. }) {
                    return Err(err(
                        format!("cannot write to synaptic variable '{attr}', you need to call connect(...) first"),
                        attr_span,
                    ));
                }
                &self.net.synapses[k].variables
            }
        };
        let Some(k) = variables.iter().position(|v| v.name == attr) else {
            let names: Vec<&str> = variables.iter().map(|v| v.name.as_str()).collect();
            let mut e = crate::diagnostics::Diagnostic::error(
                format!("could not find a state variable with name '{attr}'"),
                attr_span,
            );
            if let Some(s) = crate::check::suggest(attr, names) {
                e = e.with_note(format!("help: did you mean '{s}'?"));
            }
            return Err(e.into());
        };
        let var = variables[k].clone();
        let total = self.net.size_of(source);
        // Linked variables: only `G.v = linked_var(H, 'w')`, and only those.
        match (&v, var.flags.linked) {
            (Value::Linked { .. }, false) => {
                return Err(err(
                    format!("cannot link variable '{attr}': it has to be marked as a linked variable with '(linked)' in the model equations"),
                    span,
                ))
            }
            (
                Value::Linked {
                    group,
                    var: sv,
                    index: link_index,
                },
                true,
            ) => {
                if index.is_some() || start != 0 || stop != total {
                    return Err(err(
                        "a linked variable is linked for the whole group, without an index",
                        attr_span,
                    ));
                }
                let linked = match (source, link_index) {
                    (Source::Group(g), None) => self.net.link_variable(g, k, *group, sv),
                    (Source::Group(g), Some(ix)) => {
                        self.net.link_variable_indexed(g, k, *group, sv, ix)
                    }
                    (Source::Synapses(s), None) => {
                        self.net.link_synapse_variable(s, k, *group, sv)
                    }
                    (Source::Synapses(_), Some(_)) => Err(
                        "linking a synaptic variable with index= is not supported yet".to_string(),
                    ),
                };
                return linked.map_err(|m| err(m, span));
            }
            (_, true) => {
                return Err(err(
                    format!("cannot set the linked variable '{attr}' directly, link it to another variable with linked_var"),
                    span,
                )
                .with_note(&format!("e.g. {attr} = linked_var(G, 'v')")))
            }
            _ => {}
        }
        if var.kind == crate::check::hir::VarKind::Subexpression {
            return Err(err(format!("cannot set subexpression '{attr}'"), attr_span));
        }
        // Which neurons: a subgroup range, narrowed by an index.
        let mut cond = None;
        let indices: Vec<u32> = match index {
            None => (start..stop).map(|x| x as u32).collect(),
            Some(ix) => match &ix.kind {
                PyExprKind::Slice { .. } => self
                    .slice_positions(ix, stop - start)?
                    .into_iter()
                    .map(|x| (x + start) as u32)
                    .collect(),
                // `S.w[i, j]`: the synapses from the neurons `i` to the neurons `j`.
                PyExprKind::Tuple(items) => match source {
                    Source::Synapses(k) => self.synapses_between(k, items, ix.span)?,
                    Source::Group(_) => {
                        return Err(err(
                            format!(
                                "a group is indexed by one index, not {} (Brian2: \"Can only interpret 1-d indices\")",
                                items.len()
                            ),
                            ix.span,
                        ))
                    }
                },
                _ => match self.expr(ix)? {
                    Value::Num {
                        v: x, int: true, ..
                    } => vec![(index_in(x, stop - start, ix.span)? + start) as u32],
                    Value::Array {
                        v: xs, int: true, ..
                    } => xs
                        .iter()
                        .map(|x| index_in(*x, stop - start, ix.span).map(|k| (k + start) as u32))
                        .collect::<Result<_, _>>()?,
                    Value::Str(lit) => {
                        cond = Some(crate::syntax::parse_expr(&lit.value, &lit.map)?);
                        (start..stop).map(|x| x as u32).collect()
                    }
                    o => {
                        return Err(err(
                            format!("cannot index a variable with {}", o.kind()),
                            ix.span,
                        ))
                    }
                },
            },
        };
        let whole = index.is_none() && start == 0 && stop == total;
        // A subgroup's own numbering for `i` and `N` in code strings.
        let subgroup = (start != 0 || stop != total).then_some((start, stop));
        // A single value under a string condition is set as the code of that value, as
        // Brian2 sets `G.v['i > 2'] = 5*mV` (units are checked against the variable); the
        // code points at the assigned value for errors.
        let code = match &v {
            Value::Num { v, dim, int } if cond.is_some() && v.is_finite() => {
                Some(super::value::quantity_code(*v, dim, *int))
            }
            Value::Bool(b) if cond.is_some() => Some(if *b { "True" } else { "False" }.into()),
            _ => None,
        };
        if let Some(text) = code {
            let map = crate::source::OffsetMap::from_segments(
                (0..text.len()).map(|k| (k as u32, span.start)).collect(),
            );
            let expr = crate::syntax::parse_expr(&text, &map)?;
            let ns = self.namespace();
            self.net.set_from_expr(
                source,
                attr,
                (&expr, cond.as_ref()),
                Some(&indices),
                subgroup,
                &ns,
            )?;
            return Ok(());
        }
        match v {
            Value::Str(lit) => {
                let expr = crate::syntax::parse_expr(&lit.value, &lit.map)?;
                let ns = self.namespace();
                let idx = if whole {
                    None
                } else {
                    Some(indices.as_slice())
                };
                self.net
                    .set_from_expr(source, attr, (&expr, cond.as_ref()), idx, subgroup, &ns)?;
                Ok(())
            }
            Value::Num { .. } | Value::Bool(_) | Value::Array { .. } => {
                if cond.is_some() {
                    return Err(err("setting an array under a string condition is not possible; give one value or a string (e.g. G.v['i>2'] = '1*mV')", span));
                }
                let (vals, dim) = match &v {
                    Value::Num { v, dim, .. } => (vec![*v], *dim),
                    Value::Bool(b) => (vec![f64::from(u8::from(*b))], Dimension::DIMENSIONLESS),
                    Value::Array { v, dim, .. } => (v.clone(), *dim),
                    _ => (Vec::new(), Dimension::DIMENSIONLESS),
                };
                let zero = dim.is_dimensionless() && vals.iter().all(|x| *x == 0.0);
                if dim != var.dim && !zero {
                    let q = crate::units::Quantity::new(vals.first().copied().unwrap_or(0.0), dim);
                    return Err(crate::diagnostics::Diagnostic::error(
                        if var.dim.is_dimensionless() {
                            format!("{attr} should be set with a dimensionless value, but got {} (unit is {})", q.display(), dim.brian_display())
                        } else {
                            format!("{attr} should be set with a value with units {}, but got {} (unit is {})", var.dim.brian_repr(), q.display(), dim.brian_display())
                        },
                        span,
                    )
                    .with_label(format!("expected {}, found {}", var.dim.unit_name(), dim.unit_name()))
                    .into());
                }
                if vals.len() != 1 && vals.len() != indices.len() {
                    return Err(err(
                        format!(
                            "could not broadcast input array from shape ({},) into shape ({},)",
                            vals.len(),
                            indices.len()
                        ),
                        span,
                    ));
                }
                let ty = var.ty;
                let col = self
                    .net
                    .values_mut(source, attr)
                    .ok_or_else(|| err(format!("variable '{attr}' cannot be set"), attr_span))?;
                let shared = col.len() == 1;
                for (k, &i) in indices.iter().enumerate() {
                    let x = if vals.len() == 1 { vals[0] } else { vals[k] };
                    let x = match ty {
                        crate::check::hir::VarType::Integer => x.trunc(),
                        crate::check::hir::VarType::Boolean => f64::from(u8::from(x != 0.0)),
                        crate::check::hir::VarType::Float => x,
                    };
                    let slot = if shared { 0 } else { i as usize };
                    if let Some(c) = col.get_mut(slot) {
                        *c = x;
                    }
                }
                Ok(())
            }
            other => Err(err(
                format!("cannot set a state variable to {}", other.kind()),
                span,
            )),
        }
    }

    pub(super) fn index(
        &mut self,
        obj: &Value,
        index: &PyExpr,
        span: Span,
    ) -> Result<Value, ScriptError> {
        match (obj, &index.kind) {
            // Brian2: "'SpikeGeneratorGroup' object is not subscriptable".
            (Value::Group(g), _) if self.net.groups[*g].generator.is_some() => Err(err(
                "a SpikeGeneratorGroup has no subgroups (Brian2: 'SpikeGeneratorGroup' object is not subscriptable)",
                index.span,
            )),
            (Value::Group(g), PyExprKind::Slice { lo, hi, step }) => {
                if step.is_some() {
                    return Err(err(
                        "subgroups must be contiguous (no slice step)",
                        index.span,
                    ));
                }
                let n = self.net.groups[*g].n as i64;
                let mut bound = |e: &Option<Box<PyExpr>>, d: i64| -> Result<usize, ScriptError> {
                    let x = match e {
                        None => d,
                        Some(e) => match self.expr(e)? {
                            Value::Num { v, int: true, .. } => v as i64,
                            o => {
                                return Err(err(
                                    format!("subgroup bounds must be integers, found {}", o.kind()),
                                    e.span,
                                ))
                            }
                        },
                    };
                    Ok(if x < 0 { (x + n).max(0) } else { x.min(n) } as usize)
                };
                let start = bound(lo, 0)?;
                let stop = bound(hi, n)?;
                if stop <= start {
                    return Err(err("empty subgroup", span));
                }
                Ok(Value::Subgroup {
                    group: *g,
                    start,
                    stop,
                })
            }
            (Value::Array { v, dim, int }, _) => match self.expr(index)? {
                Value::Num {
                    v: x, int: true, ..
                } => {
                    let k = index_in(x, v.len(), index.span)?;
                    Ok(Value::Num {
                        v: v[k],
                        dim: *dim,
                        int: *int,
                    })
                }
                o => Err(err(
                    format!("cannot index an array with {}", o.kind()),
                    index.span,
                )),
            },
            _ => Err(err(format!("{} cannot be indexed here", obj.kind()), span)),
        }
    }
}

impl Evaluator {
    /// Brian2's unitless view `G.v_ = 0.001`: for a name ending in `_` that is not a variable
    /// but names one without the `_`, the value (a number or array without units) in that
    /// variable's SI unit. `None` when `attr` is not such a view.
    fn unitless_view(
        &self,
        obj: &Value,
        attr: &str,
        v: &Value,
        span: Span,
    ) -> Result<Option<Value>, ScriptError> {
        let Some(base) = attr.strip_suffix('_') else {
            return Ok(None);
        };
        let Ok((source, _, _)) = self.object_of(obj, span) else {
            return Ok(None);
        };
        let vars = match source {
            Source::Group(g) => &self.net.groups[g].variables,
            Source::Synapses(k) => &self.net.synapses[k].variables,
        };
        if vars.iter().any(|x| x.name == attr) {
            return Ok(None);
        }
        let Some(var) = vars.iter().find(|x| x.name == base) else {
            return Ok(None);
        };
        let dim = var.dim;
        match v {
            Value::Num { v, dim: d, int } if d.is_dimensionless() => Ok(Some(Value::Num {
                v: *v,
                dim,
                int: *int,
            })),
            Value::Array { v, dim: d, int } if d.is_dimensionless() => Ok(Some(Value::Array {
                v: v.clone(),
                dim,
                int: *int,
            })),
            Value::Bool(b) => Ok(Some(Value::Bool(*b))),
            other => Err(err(
                format!(
                    "the unitless view '{attr}' takes a number or an array without units (the value of '{base}' in {}), found {}",
                    dim.unit_name(),
                    other.kind()
                ),
                span,
            )),
        }
    }

    /// The positions `0..n` a slice `[lo:hi:step]` selects (Python's rules for negative and
    /// out-of-range bounds; positive steps only).
    fn slice_positions(&mut self, ix: &PyExpr, n: usize) -> Result<Vec<usize>, ScriptError> {
        let PyExprKind::Slice { lo, hi, step } = &ix.kind else {
            return Err(err("expected a slice", ix.span));
        };
        let n = n as i64;
        let get = |this: &mut Self, e: &Option<Box<PyExpr>>, d: i64| -> Result<i64, ScriptError> {
            match e {
                None => Ok(d),
                Some(e) => match this.expr(e)? {
                    Value::Num { v, int: true, .. } => Ok(v as i64),
                    o => Err(err(
                        format!("slice indices must be integers, found {}", o.kind()),
                        e.span,
                    )),
                },
            }
        };
        let step = get(self, step, 1)?;
        if step <= 0 {
            return Err(err("only positive slice steps are supported", ix.span));
        }
        let clamp = |x: i64| if x < 0 { (x + n).max(0) } else { x.min(n) };
        let lo = clamp(get(self, lo, 0)?);
        let hi = clamp(get(self, hi, n)?);
        Ok((lo..hi)
            .step_by(step as usize)
            .map(|x| x as usize)
            .collect())
    }

    /// Which of `n` neurons an index of `S.w[i, j]` selects: an integer, an integer array or a
    /// slice. As in Brian2 (`Indexing.__call__`), integers index a whole group literally (a
    /// negative or too large one matches no neuron) and a subgroup like a numpy array (negative
    /// ones count from its end; one out of range makes the whole index match nothing).
    fn neuron_mask(
        &mut self,
        ix: &PyExpr,
        n: usize,
        subgroup: bool,
    ) -> Result<Vec<bool>, ScriptError> {
        let mut mask = vec![false; n];
        let position = |x: f64| -> Option<usize> {
            let k = if subgroup && x < 0.0 { x + n as f64 } else { x };
            (k >= 0.0 && k < n as f64).then_some(k as usize)
        };
        let integers = |xs: &[f64]| -> Vec<usize> {
            let found: Vec<Option<usize>> = xs.iter().map(|&x| position(x)).collect();
            if subgroup && found.iter().any(Option::is_none) {
                return Vec::new();
            }
            found.into_iter().flatten().collect()
        };
        let chosen = match &ix.kind {
            PyExprKind::Slice { .. } => self.slice_positions(ix, n)?,
            _ => match self.expr(ix)? {
                Value::Num { v, int: true, .. } => integers(&[v]),
                Value::Array { v, int: true, .. } => integers(&v),
                o => {
                    return Err(err(
                        format!("a neuron index of synapses must be an integer, an array of integers or a slice, found {}", o.kind()),
                        ix.span,
                    ))
                }
            },
        };
        for k in chosen {
            mask[k] = true;
        }
        Ok(mask)
    }

    /// `S.w[i, j]`: the synapses (in synapse order) whose presynaptic neuron is one of `i` and
    /// whose postsynaptic neuron is one of `j`, each an integer, an array or a slice over the
    /// source and target (sub)group, as Brian2's `SynapticIndexing` selects them.
    fn synapses_between(
        &mut self,
        k: usize,
        items: &[PyExpr],
        span: Span,
    ) -> Result<Vec<u32>, ScriptError> {
        if items.len() != 2 {
            return Err(err(
                format!("synapses are indexed by [i, j], not by {} indices (a third index, the number of a synapse between the same pair, is not supported yet)", items.len()),
                span,
            ));
        }
        let (src, tgt) = (self.net.synapses[k].source, self.net.synapses[k].target);
        let whole = |r: crate::runtime::synapses::GroupRange,
                     net: &crate::runtime::network::Network| {
            r.start == 0 && r.stop == net.groups[r.group].n
        };
        let (src_sub, tgt_sub) = (!whole(src, &self.net), !whole(tgt, &self.net));
        let pre_ok = self.neuron_mask(&items[0], src.len(), src_sub)?;
        let post_ok = self.neuron_mask(&items[1], tgt.len(), tgt_sub)?;
        let s = &self.net.synapses[k];
        let (pre, post) = (s.pre(), s.post());
        Ok((0..s.len())
            .filter(|&e| {
                pre_ok[pre[e] as usize - src.start] && post_ok[post[e] as usize - tgt.start]
            })
            .map(|e| e as u32)
            .collect())
    }
}

pub(super) fn index_in(x: f64, n: usize, span: Span) -> Result<usize, ScriptError> {
    let k = if x < 0.0 { x + n as f64 } else { x };
    if k < 0.0 || k >= n as f64 {
        return Err(err(
            format!("index {x} is out of bounds for size {n}"),
            span,
        ));
    }
    Ok(k as usize)
}

/// Brian2's synapse-count names: `N_incoming`/`N_outgoing` (per synapse, usable in code
/// strings) and the attributes `N_incoming_post`/`N_outgoing_pre` (per neuron).
fn is_degree_name(attr: &str) -> bool {
    matches!(
        attr,
        "N_incoming" | "N_outgoing" | "N_incoming_post" | "N_outgoing_pre"
    )
}

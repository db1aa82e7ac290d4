//! `Synapses(...)` and `S.connect(...)` in scripts, with Brian2's argument rules and messages.

use super::calls::{string, time, Args};
use super::value::Value;
use super::{err, Evaluator, ScriptError, WithNote};
use crate::integrate::Method;
use crate::runtime::connect::{ConnectSpec, Prob};
use crate::runtime::synapses::{GroupRange, PathwaySide};
use crate::source::Span;

impl Evaluator {
    fn range_of(&self, v: &Value, span: crate::source::Span) -> Result<GroupRange, ScriptError> {
        let (group, start, stop) = self.group_of(v, span)?;
        Ok(GroupRange { group, start, stop })
    }

    pub(super) fn synapses(&mut self, a: &Args) -> Result<Value, ScriptError> {
        a.check_known(&[
            "source",
            "target",
            "model",
            "on_pre",
            "on_post",
            "delay",
            "on_event",
            "multisynaptic_index",
            "namespace",
            "dtype",
            "codeobj_class",
            "dt",
            "clock",
            "order",
            "method",
            "method_options",
            "name",
        ])?;
        let (src, ss) = a.require(0, "source")?;
        let source = self.range_of(src, ss)?;
        let target = match a.get(1, "target") {
            Some((Value::None, _)) | None => source,
            Some((v, s)) => self.range_of(v, s)?,
        };
        let model = match a.get(2, "model") {
            None | Some((Value::None, _)) => crate::syntax::ast::Model::default(),
            Some((v, s)) => {
                let lit = string(v, s, "the synapse model")?;
                crate::syntax::parse_model(&lit.value, &lit.map)?
            }
        };
        // `on_pre`/`on_post`: a code string (the pathway `pre`/`post`) or a dictionary of
        // named pathways, as in Brian2.
        let pathways_of = |k: usize,
                           key: &str,
                           side: PathwaySide|
         -> Result<
            Vec<(String, PathwaySide, crate::syntax::ast::Code)>,
            ScriptError,
        > {
            let default = key.trim_start_matches("on_");
            let parse = |v: &Value, s: Span| -> Result<crate::syntax::ast::Code, ScriptError> {
                let lit = string(v, s, key)?;
                Ok(crate::syntax::parse_code(&lit.value, &lit.map)?)
            };
            match a.get(k, key) {
                None | Some((Value::None, _)) => Ok(Vec::new()),
                Some((Value::Dict(entries), s)) => entries
                    .iter()
                    .map(|(name, v)| Ok((name.clone(), side, parse(v, s)?)))
                    .collect(),
                Some((v, s)) => Ok(vec![(default.to_string(), side, parse(v, s)?)]),
            }
        };
        let mut specs = pathways_of(3, "on_pre", PathwaySide::Pre)?;
        specs.extend(pathways_of(4, "on_post", PathwaySide::Post)?);
        for (k, (name, _, _)) in specs.iter().enumerate() {
            if specs[..k].iter().any(|(n, _, _)| n == name) {
                return Err(err(
                    format!("cannot add a second pathway with the name '{name}'"),
                    a.span,
                ));
            }
        }
        // `on_event=`: the event of the source group that triggers each pathway (one name for
        // all, or a dictionary by pathway name; `spike` by default).
        let mut events: Vec<(String, String)> = Vec::new();
        match a.get(6, "on_event") {
            None | Some((Value::None, _)) => {}
            Some((Value::Str(e), _)) => {
                events = specs
                    .iter()
                    .map(|(n, _, _)| (n.clone(), e.value.clone()))
                    .collect();
            }
            Some((Value::Dict(entries), s)) => {
                for (name, v) in entries {
                    if !specs.iter().any(|(n, _, _)| n == name) {
                        return Err(err(
                            format!("on_event names an unknown pathway '{name}'"),
                            s,
                        ));
                    }
                    events.push((name.clone(), string(v, s, "an event name")?.value));
                }
            }
            Some((o, s)) => {
                return Err(err(
                    format!(
                        "on_event must be an event name or a dictionary, found {}",
                        o.kind()
                    ),
                    s,
                ))
            }
        }
        let event_of = |name: &str| {
            events
                .iter()
                .find(|(n, _)| n == name)
                .map_or("spike".to_string(), |e| e.1.clone())
        };
        for (name, side, _) in &specs {
            let (side_name, group) = match side {
                PathwaySide::Pre => ("source", source.group),
                PathwaySide::Post => ("target", target.group),
            };
            let g = &self.net.groups[group];
            let event = event_of(name);
            let defined = if event == "spike" {
                g.threshold.is_some() || g.generator.is_some()
            } else {
                g.event_index(&event).is_some()
            };
            if !defined {
                let hint = if event == "spike" {
                    " Did you forget to set a 'threshold'?"
                } else {
                    ""
                };
                return Err(err(
                    format!(
                        "{side_name} group '{}' does not define an event '{event}'.{hint}",
                        g.name
                    ),
                    a.span,
                ));
            }
        }
        // `delay=`: a time for the pathway `pre`, or a dictionary of times by pathway name.
        let delay_value = |v: &Value, s: Span| -> Result<f64, ScriptError> {
            let d = time(v, s, "the delay")?;
            if d < 0.0 || !d.is_finite() {
                return Err(err("delays must be non-negative and finite", s));
            }
            Ok(d)
        };
        let mut delays: Vec<(String, f64)> = Vec::new();
        match a.get(5, "delay") {
            None | Some((Value::None, _)) => {}
            Some((Value::Dict(entries), s)) => {
                for (name, v) in entries {
                    if !specs.iter().any(|(n, _, _)| n == name) {
                        return Err(err(
                            format!("cannot set the delay for pathway '{name}': unknown pathway"),
                            s,
                        ));
                    }
                    delays.push((name.clone(), delay_value(v, s)?));
                }
            }
            Some((v, s)) => delays.push(("pre".to_string(), delay_value(v, s)?)),
        }
        let pathways: Vec<crate::runtime::synapses::Pathway> = specs
            .into_iter()
            .map(|(name, side, code)| {
                let delay = delays.iter().find(|(n, _)| *n == name).map(|d| d.1);
                let mut p = crate::runtime::synapses::Pathway::named(&name, side, code, delay);
                p.event = event_of(&name);
                p
            })
            .collect();
        let method = match a.get(14, "method") {
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
        let name = match a.get(16, "name") {
            Some((Value::Str(s), _)) => s.value.clone(),
            _ => self.next_name("synapses"),
        };
        let dt = a.own_dt(11)?;
        a.refuse(&["multisynaptic_index", "namespace", "method_options"])?;
        let (_, order) = a.place(crate::runtime::schedule::When::GROUPS, 0)?;
        let k = self
            .net
            .add_synapses_with(&name, source, target, model, pathways, method, a.span)?;
        self.net.synapses[k].dt = dt;
        self.net.synapses[k].order = order;
        Ok(Value::Synapses(k))
    }

    pub(super) fn connect(&mut self, k: usize, a: &Args) -> Result<Value, ScriptError> {
        a.check_known(&[
            "condition",
            "i",
            "j",
            "p",
            "n",
            "skip_if_invalid",
            "namespace",
            "level",
        ])?;
        a.refuse(&["namespace"])?;
        let cond = a.get(0, "condition");
        let i = a.get(1, "i");
        let j = a.get(2, "j");
        // Brian2 (Cython target) creates no synapses for a negative n, without an error.
        let mut n_expr = None;
        let n = match a.get(4, "n") {
            None => 1,
            Some((Value::Num { v, int: true, .. }, _)) => v.max(0.0) as usize,
            Some((Value::Str(lit), _)) => {
                n_expr = Some(crate::syntax::parse_expr(&lit.value, &lit.map)?);
                1
            }
            Some((_, s)) => return Err(err("n must be an integer or a string", s)),
        };
        let p_arg = a.get(3, "p");
        let explicit = i.is_some() || j.is_some();
        let p = match p_arg {
            None => None,
            // As in Brian2, a probability above 1 keeps every candidate, and with explicit
            // indices one below 0 keeps none; with a condition Brian2's sampling fails on a
            // negative p, so snnc refuses it.
            Some((Value::Num { v, dim, .. }, s)) => {
                if !dim.is_dimensionless() || v.is_nan() || (*v < 0.0 && !explicit) {
                    return Err(err("p must be a dimensionless probability (at least 0)", s));
                }
                Some(Prob::Value(*v))
            }
            Some((Value::Str(lit), _)) => {
                Some(Prob::Expr(crate::syntax::parse_expr(&lit.value, &lit.map)?))
            }
            Some((o, s)) => {
                return Err(err(
                    format!("p must be a number or a string, found {}", o.kind()),
                    s,
                ))
            }
        };
        let skip = matches!(a.get(5, "skip_if_invalid"), Some((Value::Bool(true), _)));
        // Any string for i or j is generator syntax; one without `for` (`j='i'`) yields one
        // index per neuron.
        let is_generator = |v: &Value| matches!(v, Value::Str(_));
        let spec = match (cond, i, j) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(err(
                    "cannot combine condition with i or j arguments",
                    a.span,
                ))
            }
            (Some((Value::Str(lit), _)), None, None) => {
                if lit.value.contains(" for ") {
                    return Err(err(format!("the condition '{}' looks like a generator expression; use connect(j='{}') instead", lit.value, lit.value), a.span));
                }
                let e = crate::syntax::parse_expr(&lit.value, &lit.map)?;
                ConnectSpec::Condition {
                    condition: Some(e),
                    p: p.unwrap_or(Prob::Value(1.0)),
                    n,
                    n_expr: n_expr.clone(),
                }
            }
            (Some((Value::Bool(b), _)), None, None) => {
                if !*b {
                    return Ok(Value::None);
                }
                ConnectSpec::Condition {
                    condition: None,
                    p: p.unwrap_or(Prob::Value(1.0)),
                    n,
                    n_expr: n_expr.clone(),
                }
            }
            (Some((o, s)), None, None) => {
                return Err(err(
                    format!(
                        "the condition must be a string or a boolean, found {}",
                        o.kind()
                    ),
                    s,
                ))
            }
            (None, None, None) => ConnectSpec::Condition {
                condition: None,
                p: p.unwrap_or(Prob::Value(1.0)),
                n,
                n_expr: n_expr.clone(),
            },
            (None, ii, jj)
                if ii.is_some_and(|x| is_generator(x.0))
                    || jj.is_some_and(|x| is_generator(x.0)) =>
            {
                // Brian2 accepts p only when it is the number 1 here.
                if let (Some(pv), Some((_, ps))) = (&p, p_arg) {
                    if !matches!(pv, Prob::Value(x) if *x == 1.0) {
                        return Err(err(
                            "generator syntax cannot be combined with p argument",
                            ps,
                        )
                        .with_note("draw inside the generator instead: j='k for k in sample(N_post, p=0.1)'"));
                    }
                }
                let (over_j, (v, _)) = match (ii, jj) {
                    (Some(_), Some(x)) if is_generator(x.0) => {
                        return Err(err(
                            "generator syntax for j cannot be combined with i argument",
                            a.span,
                        ))
                    }
                    (Some(x), Some(_)) if is_generator(x.0) => {
                        return Err(err(
                            "generator syntax for i cannot be combined with j argument",
                            a.span,
                        ))
                    }
                    (_, Some(x)) => (true, x),
                    (Some(x), _) => (false, x),
                    _ => return Err(err("invalid generator", a.span)),
                };
                let Value::Str(lit) = v else {
                    return Err(err("invalid generator", a.span));
                };
                let generator = if lit.value.contains(" for ") {
                    crate::syntax::parse_generator(&lit.value, &lit.map)?
                } else {
                    single_index_generator(lit, if over_j { "i" } else { "j" })?
                };
                ConnectSpec::Generator {
                    generator,
                    over_j,
                    skip_if_invalid: skip,
                    n,
                    n_expr: n_expr.clone(),
                }
            }
            (None, Some(_), None) | (None, None, Some(_)) => {
                return Err(err(
                    "must specify at least one of condition, i or j arguments",
                    a.span,
                ))
            }
            (None, Some((iv, is)), Some((jv, js))) => {
                if skip {
                    let (_, ss) = a.get(5, "skip_if_invalid").unwrap_or((iv, a.span));
                    return Err(err("can only use skip_if_invalid with string syntax", ss)
                        .with_note(
                            "explicit i/j indices are always checked; remove skip_if_invalid=True",
                        ));
                }
                if let Some(e) = &n_expr {
                    return Err(err(
                        "indices cannot be combined with a string expression for n",
                        e.span,
                    )
                    .with_note("use an integer n, or a string expression for the connections (j='i', n='...')"));
                }
                let p = match &p {
                    None => 1.0,
                    Some(Prob::Value(v)) => *v,
                    Some(Prob::Expr(e)) => {
                        return Err(err(
                            "p must be a number when i and j are given as indices",
                            e.span,
                        )
                        .with_note("each listed pair is kept with probability p; for a probability per pair use connect('condition', p='...')"))
                    }
                };
                let ints = |v: &Value, s, which: &str| -> Result<Vec<i64>, ScriptError> {
                    match v {
                        Value::Num { v, int: true, .. } => Ok(vec![*v as i64]),
                        Value::Array { v, int: true, .. } => {
                            Ok(v.iter().map(|x| *x as i64).collect())
                        }
                        _ => Err(err(
                            format!("{which} indices have to be given as integers"),
                            s,
                        )),
                    }
                };
                ConnectSpec::Explicit {
                    i: ints(iv, is, "presynaptic")?,
                    j: ints(jv, js, "postsynaptic")?,
                    n,
                    p,
                }
            }
        };
        let ns = self.namespace();
        self.net.connect(k, &spec, &ns, a.span)?;
        Ok(Value::None)
    }
}

/// The generator of `j='EXPR'` or `j='EXPR if COND'` (no `for`): one index per outer neuron,
/// kept where `COND` holds. Brian2 rewrites it to `EXPR for _ in range(1) if COND` after
/// splitting the text at `" if "`; `outer` names the other index for the error message.
fn single_index_generator(
    lit: &crate::syntax::ast::StrLit,
    outer: &str,
) -> Result<crate::syntax::ast::Generator, ScriptError> {
    use crate::syntax::ast::{Expr, ExprKind, Generator, GeneratorIter, Ident};
    let parts: Vec<(usize, &str)> = lit.value.match_indices(" if ").collect();
    // Each part is parsed from the whole text with the other parts blanked out (one space per
    // byte), so that its offsets, and hence its file spans through the literal's map, stay put.
    let blank = |keep: std::ops::Range<usize>| -> String {
        let mut out = String::with_capacity(lit.value.len());
        for (k, c) in lit.value.char_indices() {
            if keep.contains(&k) {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        out
    };
    let (element, condition) = match parts.as_slice() {
        [] => (crate::syntax::parse_expr(&lit.value, &lit.map)?, None),
        [(at, _)] => {
            let element = crate::syntax::parse_expr(&blank(0..*at), &lit.map)?;
            let cond_text = blank(at + 4..lit.value.len());
            (
                element,
                Some(crate::syntax::parse_expr(&cond_text, &lit.map)?),
            )
        }
        _ => {
            let span = lit.map.span(0, lit.value.len());
            return Err(err(
                format!("error parsing expression '{}': expression must have generator syntax, for example 'k for k in range({outer}-10, {outer}+10)'", lit.value),
                span,
            )
            .with_note("a generator without 'for' may have one 'if' condition"));
        }
    };
    let span = element.span;
    Ok(Generator {
        element,
        var: Ident {
            name: "_k".into(),
            span,
        },
        iter: GeneratorIter::Range(vec![Expr {
            kind: ExprKind::Int(1),
            span,
        }]),
        condition,
        span: lit.map.span(0, lit.value.len()),
    })
}

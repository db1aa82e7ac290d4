//! Neuron groups in scripts: `NeuronGroup(...)` with its custom events, and the group
//! methods `run_regularly`, `run_on_event` and `set_event_schedule`.

use super::calls::{big_count, string, time, Args};
use super::value::Value;
use super::{err, Evaluator, ScriptError};
use crate::integrate::Method;
use crate::runtime::group::Refractory;

impl Evaluator {
    /// The arguments of `G.run_regularly(...)` or `S.run_regularly(...)`: the code, on its own
    /// clock when `dt=` is given (Brian2 makes one), else its object's, in its slot.
    pub(super) fn regular_op(
        &mut self,
        a: &Args,
    ) -> Result<crate::runtime::group::RegularOp, ScriptError> {
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
        Ok(crate::runtime::group::RegularOp {
            code,
            dt,
            when,
            order,
        })
    }

    /// `G.run_regularly(...)`, `G.run_on_event(...)` or `G.set_event_schedule(...)` on group
    /// `g` (method `m`).
    pub(super) fn group_method(
        &mut self,
        g: usize,
        m: &str,
        a: &Args,
    ) -> Result<Value, ScriptError> {
        if m == "run_regularly" {
            let op = self.regular_op(a)?;
            self.net.groups[g].regular.push(op);
            return Ok(Value::None);
        }
        let on_event = m == "run_on_event";
        if on_event {
            a.check_known(&["event", "code", "when", "order"])?;
        } else {
            a.check_known(&["event", "when", "order"])?;
        }
        let (ev, es) = a.require(0, "event")?;
        let ev = string(ev, es, "the event name")?.value;
        let Some(e) = self.net.groups[g].event_index(&ev) else {
            let msg = if ev == "spike" {
                "the spike event's code is the group's reset= (its schedule is fixed)".to_string()
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
        Ok(Value::None)
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

    pub(super) fn neuron_group(&mut self, a: &Args) -> Result<Value, ScriptError> {
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

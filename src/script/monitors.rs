//! The monitor constructors of the `.eq` language: `StateMonitor`, `SpikeMonitor` (with
//! recorded variables, on groups and subgroups) and `PopulationRateMonitor`.

use super::attrs::index_in;
use super::calls::Args;
use super::value::Value;
use super::{err, Evaluator, ScriptError, WithNote};
use crate::monitor::Source;
use crate::source::Span;

impl Evaluator {
    /// `StateMonitor(source, variables, record=...)`.
    pub(super) fn state_monitor(&mut self, a: &Args, span: Span) -> Result<Value, ScriptError> {
        a.check_known(&[
            "source",
            "variables",
            "record",
            "dt",
            "when",
            "order",
            "name",
        ])?;
        let (src, s_span) = a.require(0, "source")?;
        let (source, first, last) = self.object_of(src, s_span)?;
        let (vars, v_span) = a.require(1, "variables")?;
        let variables = match vars {
            // Brian2's `variables=True`: every name of the object's equations: for a group
            // with `lastspike`/`not_refractory` when refractory (Brian2 adds them); for
            // synapses only the clock-driven ones, parameters and subexpressions (Brian2's
            // `Synapses.equations` leaves out event-driven equations, `lastupdate` and summed
            // variables; `delay` is no equation).
            Value::Bool(true) => {
                let vars = match source {
                    Source::Group(g) => &self.net.groups[g].variables,
                    Source::Synapses(k) => &self.net.synapses[k].variables,
                };
                let synapses = matches!(source, Source::Synapses(_));
                let mut names: Vec<String> = vars
                    .iter()
                    .filter(|v| {
                        let internal =
                            synapses && matches!(v.name.as_str(), "delay" | "lastupdate");
                        !(v.flags.summed || v.flags.event_driven || internal)
                    })
                    .map(|v| v.name.clone())
                    .collect();
                names.sort();
                names
            }
            _ => variable_names(vars, v_span)?,
        };
        for v in &variables {
            // A synapse's N_incoming/N_outgoing is recorded from its neuron's count.
            if matches!(source, Source::Synapses(_))
                && matches!(v.as_str(), "N_incoming" | "N_outgoing")
            {
                continue;
            }
            let what = format!("{} has no recordable variable '{v}'", src.kind());
            self.check_recordable(source, v, v_span, what)?;
        }
        let n = last - first;
        let indices: Vec<usize> = match a.get(2, "record") {
            None => return Err(err(
                "StateMonitor() needs a 'record' argument (True, an index or a list of indices)",
                span,
            )),
            Some((Value::Bool(true), _)) => (0..n).collect(),
            Some((Value::Bool(false), _)) => Vec::new(),
            Some((Value::Num { v, int: true, .. }, s)) => vec![index_in(*v, n, s)?],
            Some((Value::Array { v, int: true, .. }, s)) => v
                .iter()
                .map(|x| index_in(*x, n, s))
                .collect::<Result<_, _>>()?,
            Some((o, s)) => {
                return Err(err(
                    format!(
                        "record must be True, an index or a list of indices, found {}",
                        o.kind()
                    ),
                    s,
                ))
            }
        };
        let indices = indices.into_iter().map(|k| k + first).collect();
        // Its own clock (`dt=`), else its source's; its place in the schedule.
        let dt = a.own_dt(3)?;
        let (when, order) = a.place(crate::runtime::schedule::When::START, 0)?;
        let name = self.next_name("statemonitor");
        let m = self
            .net
            .add_state_monitor(&name, source, variables, indices);
        if let crate::monitor::Monitor::State(sm) = &mut self.net.monitors[m] {
            sm.dt = dt;
            sm.first = first;
            sm.place.when = when;
            sm.place.order = order;
        }
        Ok(Value::Monitor(m))
    }

    /// `SpikeMonitor(source, variables=None, record=True)` or `PopulationRateMonitor(source)`,
    /// of a group or a contiguous subgroup (`G[10:20]`: indices relative to the subgroup, as
    /// in Brian2).
    pub(super) fn spike_or_rate_monitor(
        &mut self,
        name: &str,
        a: &Args,
    ) -> Result<Value, ScriptError> {
        let spikes = name == "SpikeMonitor";
        if spikes {
            a.check_known(&["source", "variables", "record", "when", "order", "name"])?;
        } else {
            a.check_known(&["source", "name", "codeobj_class", "dtype"])?;
        }
        let (src, s_span) = a.require(0, "source")?;
        let (group, start, stop) = self.group_of(src, s_span)?;
        if !spikes {
            let n = self.next_name("ratemonitor");
            return Ok(Value::Monitor(self.net.add_rate_monitor(
                &n,
                group,
                (start, stop),
            )));
        }
        let variables = match a.get(1, "variables") {
            None | Some((Value::None, _)) => Vec::new(),
            Some((v, v_span)) => {
                let names = variable_names(v, v_span)?;
                for v in &names {
                    // The monitor's own `count` and `N` (Brian2: 'The name "count" is already
                    // present in the variables dictionary').
                    if v == "count" || v == "N" {
                        return Err(err(
                            format!("a SpikeMonitor cannot record a variable named '{v}': the monitor has its own '{v}'"),
                            v_span,
                        ));
                    }
                    let what = format!("the group has no variable '{v}'");
                    self.check_recordable(Source::Group(group), v, v_span, what)?;
                }
                names
            }
        };
        let record = match a.get(2, "record") {
            None => true,
            Some((Value::Bool(b), _)) => *b,
            Some((o, s)) => {
                return Err(err(
                    format!("record must be True or False, found {}", o.kind()),
                    s,
                ))
            }
        };
        let (when, order) = a.place(crate::runtime::schedule::When::THRESHOLDS, 1)?;
        let n = self.next_name("spikemonitor");
        let m = self
            .net
            .add_spike_monitor(&n, group, (start, stop), variables, record);
        if let crate::monitor::Monitor::Spike(sm) = &mut self.net.monitors[m] {
            sm.place.when = when;
            sm.place.order = order;
        }
        Ok(Value::Monitor(m))
    }

    /// An error `what` (with a suggestion) unless `var` is a variable of `source` with a
    /// column.
    fn check_recordable(
        &self,
        source: Source,
        var: &str,
        span: Span,
        what: String,
    ) -> Result<(), ScriptError> {
        if self.net.column_of(source, var).is_some() {
            return Ok(());
        }
        // A synapse's view of its neurons' state variables (`v_post`, `x_pre`).
        if let Source::Synapses(k) = source {
            let s = &self.net.synapses[k];
            let neuron = |suffix: &str, group: usize| {
                var.strip_suffix(suffix)
                    .is_some_and(|x| self.net.groups[group].column(x).is_some())
            };
            if neuron("_post", s.target.group) || neuron("_pre", s.source.group) {
                return Ok(());
            }
        }
        // As in Brian2, a linked variable exists only once it is linked.
        if let Source::Group(g) = source {
            let vars = &self.net.groups[g].variables;
            if vars.iter().any(|v| v.name == var && v.flags.linked) {
                return Err(err(
                    format!("the linked variable '{var}' is not linked yet"),
                    span,
                )
                .with_note("link it (G.v = linked_var(H, 'w')) before making the monitor"));
            }
        }
        let vars = match source {
            Source::Group(g) => &self.net.groups[g].variables,
            Source::Synapses(k) => &self.net.synapses[k].variables,
        };
        let known: Vec<&str> = vars.iter().map(|x| x.name.as_str()).collect();
        let mut e = err(what, span);
        if let Some(s) = crate::check::suggest(var, known) {
            e = e.with_note(&format!("help: did you mean '{s}'?"));
        }
        Err(e)
    }
}

/// The variable names of a monitor: one string or a list of strings.
fn variable_names(v: &Value, span: Span) -> Result<Vec<String>, ScriptError> {
    match v {
        Value::Str(s) => Ok(vec![s.value.clone()]),
        Value::List(items) => items
            .iter()
            .map(|x| match x {
                Value::Str(s) => Ok(s.value.clone()),
                o => Err(err(
                    format!("variable names must be strings, found {}", o.kind()),
                    span,
                )),
            })
            .collect(),
        o => Err(err(
            format!(
                "variables must be a string, a list of strings or True, found {}",
                o.kind()
            ),
            span,
        )),
    }
}

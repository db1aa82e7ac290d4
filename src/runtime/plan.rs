//! The plan of a run: which clock each object runs on ([`super::clock`]) and every object's
//! action of a step sorted into Brian2's schedule ([`super::schedule`]: slot, order, name),
//! with the places snnc refuses. `step` carries the plan out.

use super::clock::{Clock, Clocks};
use super::compiled::{CompiledGroup, CompiledSynapses};
use super::group::NeuronGroup;
use super::network::{Network, RunError};
use super::schedule::{run_regularly_name, Place, When};
use super::synapses::PathwaySide;
use crate::monitor::{Monitor, Source};

impl Network {
    /// The clocks of a run from `self.time` to `end` and the clock of each object.
    pub(super) fn schedule(&self, end: f64) -> (Clocks, ObjectClocks) {
        let mut dts = vec![self.dt];
        let mut clock_of = |dt: f64| match dts.iter().position(|&d| d == dt) {
            Some(k) => k,
            None => {
                dts.push(dt);
                dts.len() - 1
            }
        };
        let groups: Vec<usize> = (0..self.groups.len())
            .map(|g| clock_of(self.group_dt(g)))
            .collect();
        let synapses = (0..self.synapses.len())
            .map(|s| clock_of(self.synapses_dt(s)))
            .collect();
        let monitors = self
            .monitors
            .iter()
            .map(|m| clock_of(self.monitor_dt(m)))
            .collect();
        // A `run_regularly` with its own dt has its own clock (its code sees its object's).
        let mut op_clocks = |ops: &[super::group::RegularOp], own: f64| -> Vec<usize> {
            ops.iter()
                .map(|op| clock_of(op.dt.unwrap_or(own)))
                .collect()
        };
        let regular = (0..self.groups.len())
            .map(|g| op_clocks(&self.groups[g].regular, self.group_dt(g)))
            .collect();
        let syn_regular = (0..self.synapses.len())
            .map(|k| op_clocks(&self.synapses[k].regular, self.synapses_dt(k)))
            .collect();
        let clocks = dts
            .iter()
            .map(|&dt| Clock::for_run(dt, self.time, end))
            .collect();
        let objects = ObjectClocks {
            groups,
            synapses,
            monitors,
            regular,
            syn_regular,
        };
        (Clocks::new(clocks), objects)
    }

    /// Every object's action of a step, in Brian2's order (slot, order, name), each with the
    /// clock that runs it. Refuses the places snnc cannot honour: each group's update and
    /// threshold are one kernel, so nothing may run between them that would see or change the
    /// difference.
    pub(super) fn actions(
        &self,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
        on: &ObjectClocks,
    ) -> Result<Vec<(usize, Action)>, RunError> {
        let mut items: Vec<(Place, usize, Action)> = Vec::new();
        for (k, g) in self.groups.iter().enumerate() {
            let gc = on.groups[k];
            if groups[k].subexpressions.is_some() {
                let place = Place::new(
                    When::BEFORE_START,
                    g.order,
                    format!("{}_subexpression_update", g.name),
                );
                items.push((place, gc, Action::ConstantSubexpressions(k)));
            }
            for (op, r) in g.regular.iter().enumerate() {
                let place = Place::new(r.when, r.order, run_regularly_name(&g.name, op));
                let clock = on.regular[k][op];
                items.push((place, clock, Action::Regular { group: k, op }));
            }
            let place = Place::new(When::GROUPS, g.order, format!("{}_stateupdater", g.name));
            items.push((place, gc, Action::UpdateGroup(k)));
            if groups[k].reset.is_some() {
                let place = Place::new(When::RESETS, g.order, format!("{}_spike_resetter", g.name));
                items.push((place, gc, Action::Reset(k)));
            }
            for (e, ev) in g.events.iter().enumerate() {
                let order = ev.order.unwrap_or(g.order);
                let name = format!("{}_{}_thresholder", g.name, ev.name);
                items.push((
                    Place::new(ev.when, order, name),
                    gc,
                    Action::Event { group: k, e },
                ));
                for (a, (_, when, order)) in ev.actions.iter().enumerate() {
                    let order = order.unwrap_or(g.order);
                    let name = format!("{}_{}_resetter", g.name, ev.name);
                    let action = Action::OnEvent { group: k, e, a };
                    items.push((Place::new(*when, order, name), gc, action));
                }
            }
        }
        for (k, s) in self.synapses.iter().enumerate() {
            for (j, sm) in synapses[k].summed.iter().enumerate() {
                // Brian2: `<synapses>_summed_variable_<var>` on the clock of its target, order
                // of the target minus one, where a subgroup's order is its group's plus one
                // (`Subgroup.__init__`): into a subgroup it runs at the group's own order,
                // after the group's state updater when the names sort that way.
                let g = &self.groups[sm.group];
                let subgroup = sm.range != (0, g.n);
                let order = if subgroup { g.order } else { g.order - 1 };
                let place = Place::new(
                    When::GROUPS,
                    order,
                    format!("{}_summed_variable_{}", s.name, sm.name),
                );
                items.push((place, on.groups[sm.group], Action::Summed { syn: k, k: j }));
            }
            if synapses[k].subexpressions.is_some() {
                let place = Place::new(
                    When::BEFORE_START,
                    s.order,
                    format!("{}_subexpression_update", s.name),
                );
                items.push((place, on.synapses[k], Action::SynConstantSubexpressions(k)));
            }
            for (op, r) in s.regular.iter().enumerate() {
                let place = Place::new(r.when, r.order, run_regularly_name(&s.name, op));
                let clock = on.syn_regular[k][op];
                items.push((place, clock, Action::SynRegular { syn: k, op }));
            }
            if synapses[k].update.is_some() {
                let place = Place::new(When::GROUPS, s.order, format!("{}_stateupdater", s.name));
                items.push((place, on.synapses[k], Action::UpdateSynapses(k)));
            }
            for (p, pw) in s.pathways.iter().enumerate() {
                let (order, group) = match pw.side {
                    PathwaySide::Pre => (-1, s.source.group),
                    PathwaySide::Post => (1, s.target.group),
                };
                let place = Place::new(When::SYNAPSES, order, format!("{}_{}", s.name, pw.name));
                items.push((place, on.groups[group], Action::Pathway { syn: k, p }));
            }
        }
        for (j, inp) in self.poisson_inputs.iter().enumerate() {
            let place = Place::new(inp.when, inp.order, inp.name.clone());
            items.push((place, on.groups[inp.group], Action::Poisson(j)));
        }
        for (m, mon) in self.monitors.iter().enumerate() {
            let (place, action) = match mon {
                Monitor::State(sm) => (sm.place.clone(), Action::Record(m)),
                Monitor::Spike(sm) => (sm.place.clone(), Action::Spikes(m)),
                Monitor::Rate(rm) => (rm.place.clone(), Action::Rate(m)),
            };
            items.push((place, on.monitors[m], action));
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        // The window between a thresholded group's update and its threshold (fused here).
        let window = |g: &NeuronGroup, place: &Place| {
            let update = Place::new(When::GROUPS, g.order, format!("{}_stateupdater", g.name));
            let threshold = Place::new(
                When::THRESHOLDS,
                g.order,
                format!("{}_spike_thresholder", g.name),
            );
            (g.threshold.is_some() || g.generator.is_some())
                && update < *place
                && *place < threshold
        };
        let refuse = |what: String, place: &Place, g: &NeuronGroup| {
            Err(RunError::Model(vec![crate::diagnostics::Diagnostic::error(
                format!(
                    "{what} at when='{}', order={} runs between the state update and the threshold of group '{}', which snnc runs as one step; give it a slot before 'groups' or after 'thresholds'",
                    place.when, place.order, g.name
                ),
                g.span,
            )]))
        };
        for (place, _, action) in &items {
            match *action {
                Action::Regular { group, .. } if window(&self.groups[group], place) => {
                    return refuse("run_regularly".into(), place, &self.groups[group]);
                }
                Action::Poisson(j) => {
                    let g = &self.groups[self.poisson_inputs[j].group];
                    if window(g, place) {
                        return refuse(
                            format!("PoissonInput '{}'", self.poisson_inputs[j].name),
                            place,
                            g,
                        );
                    }
                }
                Action::Spikes(m) | Action::Rate(m) => {
                    let source = match &self.monitors[m] {
                        Monitor::Spike(sm) => sm.source,
                        Monitor::Rate(rm) => rm.source,
                        Monitor::State(_) => continue,
                    };
                    let g = &self.groups[source];
                    let threshold = Place::new(
                        When::THRESHOLDS,
                        g.order,
                        format!("{}_spike_thresholder", g.name),
                    );
                    if *place < threshold {
                        return refuse(format!("monitor '{}'", self.monitors[m].name()), place, g);
                    }
                }
                Action::Record(m) => {
                    let Monitor::State(sm) = &self.monitors[m] else {
                        continue;
                    };
                    if let Source::Group(k) = sm.source {
                        let g = &self.groups[k];
                        let spike_state = sm
                            .variables
                            .iter()
                            .any(|v| v == "lastspike" || v == "not_refractory");
                        if spike_state && window(g, place) {
                            return refuse(
                                format!(
                                    "StateMonitor '{}' of lastspike or not_refractory",
                                    sm.name
                                ),
                                place,
                                g,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(items.into_iter().map(|(_, c, a)| (c, a)).collect())
    }
}

/// The clock (a number in [`Clocks`]) of each object of a run: a group's own, a synapse
/// object's own (its clock-driven update; its variables' `t`), a monitor's.
pub(super) struct ObjectClocks {
    pub(super) groups: Vec<usize>,
    pub(super) synapses: Vec<usize>,
    pub(super) monitors: Vec<usize>,
    /// Per group, the clock of each `run_regularly` operation.
    pub(super) regular: Vec<Vec<usize>>,
    /// Per `Synapses`, the clock of each `run_regularly` operation.
    pub(super) syn_regular: Vec<Vec<usize>>,
}

/// What one object does in a step (see `Network::actions`).
#[derive(Clone, Copy, Debug)]
pub(super) enum Action {
    /// A group's `constant over dt` subexpressions (`before_start`).
    ConstantSubexpressions(usize),
    /// The `constant over dt` subexpressions of a `Synapses` object.
    SynConstantSubexpressions(usize),
    /// A `run_regularly` operation of a group.
    Regular { group: usize, op: usize },
    /// A `run_regularly` operation of a `Synapses` object.
    SynRegular { syn: usize, op: usize },
    /// A StateMonitor records.
    Record(usize),
    /// A summed variable of a `Synapses` object.
    Summed { syn: usize, k: usize },
    /// A neuron group's fused step kernel (update and threshold).
    UpdateGroup(usize),
    /// A `Synapses` object's clock-driven update.
    UpdateSynapses(usize),
    /// A SpikeMonitor records.
    Spikes(usize),
    /// A synaptic pathway.
    Pathway { syn: usize, p: usize },
    /// A `PoissonInput`.
    Poisson(usize),
    /// A group's reset.
    Reset(usize),
    /// Testing custom event `e` of a group.
    Event { group: usize, e: usize },
    /// Action `a` of custom event `e` of a group, over its neurons.
    OnEvent { group: usize, e: usize, a: usize },
    /// A PopulationRateMonitor records.
    Rate(usize),
}

//! Brian2's schedule within a time step: every object runs in a slot (`when`), and objects of
//! one slot are sorted by `order`, then by name (`brian2/core/network.py`,
//! `Network._sort_objects`; the slots are `Network.schedule` with their `before_`/`after_`
//! variants, `brian2/core/base.py`).
//!
//! Default places: `run_regularly` and `StateMonitor` in `start` (order 0); summed variables in
//! `groups` with their target's order − 1, state updaters in `groups`; thresholds in
//! `thresholds`, `SpikeMonitor` there with order 1; synaptic pathways in `synapses` (`pre`
//! order −1, `post` +1) with `PoissonInput` (0); resets in `resets`; `PopulationRateMonitor`
//! in `end`.

use std::fmt;

/// Brian2's slots, in order.
const SLOTS: [&str; 18] = [
    "before_start",
    "start",
    "after_start",
    "before_groups",
    "groups",
    "after_groups",
    "before_thresholds",
    "thresholds",
    "after_thresholds",
    "before_synapses",
    "synapses",
    "after_synapses",
    "before_resets",
    "resets",
    "after_resets",
    "before_end",
    "end",
    "after_end",
];

/// A slot of the schedule (`when=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct When(u8);

impl When {
    /// `before_start`: `constant over dt` subexpressions.
    pub const BEFORE_START: When = When(0);
    /// `start`: `run_regularly`, `StateMonitor`.
    pub const START: When = When(1);
    /// `groups`: summed variables, state updaters.
    pub const GROUPS: When = When(4);
    /// `thresholds`: thresholds, `SpikeMonitor`.
    pub const THRESHOLDS: When = When(7);
    /// `synapses`: pathways, `PoissonInput`.
    pub const SYNAPSES: When = When(10);
    /// `resets`: resets.
    pub const RESETS: When = When(13);
    /// `end`: `PopulationRateMonitor`.
    pub const END: When = When(16);

    /// The slot named `name` (`'start'`, `'after_thresholds'`, ...).
    pub fn parse(name: &str) -> Option<When> {
        SLOTS.iter().position(|s| *s == name).map(|k| When(k as u8))
    }

    /// The names Brian2 accepts.
    pub fn names() -> &'static [&'static str] {
        &SLOTS
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SLOTS[self.0 as usize])
    }
}

/// Where an object runs within a step: Brian2 sorts by slot, then order, then name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The slot.
    pub when: When,
    /// The order within the slot.
    pub order: i64,
    /// The object's Brian2 name (`neurongroup_stateupdater`, `statemonitor_1`, ...).
    pub name: String,
}

impl Place {
    /// A place.
    pub fn new(when: When, order: i64, name: impl Into<String>) -> Place {
        Place {
            when,
            order,
            name: name.into(),
        }
    }
}

/// The name Brian2 gives the `k`-th `run_regularly` operation of group `group`
/// (`neurongroup_run_regularly`, `neurongroup_run_regularly_1`, ...).
pub fn run_regularly_name(group: &str, k: usize) -> String {
    if k == 0 {
        format!("{group}_run_regularly")
    } else {
        format!("{group}_run_regularly_{k}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_sort_in_brian2s_order_then_order_then_name() {
        let mut p = [
            Place::new(When::RESETS, 0, "neurongroup_resetter"),
            Place::new(
                When::parse("after_thresholds").expect("slot"),
                0,
                "statemonitor",
            ),
            Place::new(When::THRESHOLDS, 1, "spikemonitor"),
            Place::new(When::THRESHOLDS, 0, "zz_thresholder"),
            Place::new(When::START, 0, "statemonitor"),
            Place::new(When::START, 0, "neurongroup_run_regularly"),
            Place::new(When::GROUPS, -1, "synapses_summed_variable_I"),
        ];
        p.sort();
        let names: Vec<String> = p.iter().map(|x| format!("{} {}", x.when, x.name)).collect();
        assert_eq!(
            names,
            [
                "start neurongroup_run_regularly",
                "start statemonitor",
                "groups synapses_summed_variable_I",
                "thresholds zz_thresholder",
                "thresholds spikemonitor",
                "after_thresholds statemonitor",
                "resets neurongroup_resetter",
            ]
        );
        assert_eq!(
            When::parse("before_end").map(|w| w.to_string()),
            Some("before_end".into())
        );
        assert_eq!(When::parse("middle"), None);
    }
}

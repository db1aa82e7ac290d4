//! Stage 6: recording. Monitors only store what the runtime hands them, at their places in
//! Brian2's schedule (by default: `StateMonitor` at the start of a step, before the update,
//! `SpikeMonitor` right after the thresholds, `PopulationRateMonitor` at the end of a step).

use crate::runtime::schedule::Place;
use ndarray::Array2;

/// What a monitor records from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A neuron group (index in the network).
    Group(usize),
    /// A `Synapses` object (index in the network).
    Synapses(usize),
}

/// Records state variables of some elements of a group at every step.
#[derive(Clone, Debug)]
pub struct StateMonitor {
    /// Script name (file prefix).
    pub name: String,
    /// The recorded group or synapses.
    pub source: Source,
    /// Recorded variables, in the order given.
    pub variables: Vec<String>,
    /// Recorded element indices (of the whole group or synapses).
    pub indices: Vec<usize>,
    /// The first neuron of the recorded subgroup (0 for a whole group): the indices a user
    /// sees, and the files' headers, count from it, as Brian2's `record` does.
    pub first: usize,
    /// Sample times (s).
    pub times: Vec<f64>,
    /// One flat row-major buffer per variable: `times.len()` rows of `indices.len()` values.
    pub values: Vec<Vec<f64>>,
    /// Its own time step (`StateMonitor(..., dt=...)`); `None`: its source's clock.
    pub dt: Option<f64>,
    /// Where it records within a step (by default `start`, order 0, under the name Brian2
    /// gives it: `statemonitor`, `statemonitor_1`, ...).
    pub place: Place,
}

impl StateMonitor {
    /// The recorded indices as the script numbers them (within a subgroup, from its start).
    pub fn labels(&self) -> impl Iterator<Item = usize> + '_ {
        self.indices.iter().map(move |i| i - self.first)
    }

    /// The samples of variable `k` as an array of shape `(times, indices)`.
    pub fn array(&self, k: usize) -> Array2<f64> {
        let rows = self.times.len();
        let cols = self.indices.len();
        Array2::from_shape_vec((rows, cols), self.values[k].clone())
            .unwrap_or_else(|_| Array2::zeros((0, cols)))
    }
}

/// Records the spikes of a group, or of a subgroup (neurons `start..stop` of the group).
#[derive(Clone, Debug)]
pub struct SpikeMonitor {
    /// Script name.
    pub name: String,
    /// Index of the recorded group.
    pub source: usize,
    /// The recorded neurons of the group, `start..stop`; indices are relative to `start`.
    pub start: usize,
    /// See `start`.
    pub stop: usize,
    /// Whether spikes are recorded (`record=False` keeps only the counts).
    pub record: bool,
    /// Variables recorded at each spike, sorted by name (Brian2 writes them in that order).
    pub variables: Vec<String>,
    /// Neuron index of each spike (relative to `start`).
    pub i: Vec<u32>,
    /// Time of each spike (s).
    pub t: Vec<f64>,
    /// Per variable, its value at each spike (after the state update, before the reset).
    pub values: Vec<Vec<f64>>,
    /// Spikes per recorded neuron.
    pub count: Vec<u64>,
    /// Where it records within a step (by default `thresholds`, order 1).
    pub place: Place,
}

/// Records the population rate of a group, or of neurons `start..stop` of it.
#[derive(Clone, Debug)]
pub struct PopulationRateMonitor {
    /// Script name.
    pub name: String,
    /// Index of the recorded group.
    pub source: usize,
    /// The recorded neurons of the group.
    pub start: usize,
    /// See `start`.
    pub stop: usize,
    /// Sample times (s).
    pub times: Vec<f64>,
    /// Rate (Hz) = spikes in the step / N / dt.
    pub rate: Vec<f64>,
    /// Where it records within a step (`end`, order 0).
    pub place: Place,
}

/// Any monitor, in creation order.
#[derive(Clone, Debug)]
pub enum Monitor {
    /// A `StateMonitor`.
    State(StateMonitor),
    /// A `SpikeMonitor`.
    Spike(SpikeMonitor),
    /// A `PopulationRateMonitor`.
    Rate(PopulationRateMonitor),
}

impl Monitor {
    /// The script name.
    pub fn name(&self) -> &str {
        match self {
            Monitor::State(m) => &m.name,
            Monitor::Spike(m) => &m.name,
            Monitor::Rate(m) => &m.name,
        }
    }

    /// Renames (the script variable holding the monitor decides its file names).
    pub fn set_name(&mut self, name: &str) {
        match self {
            Monitor::State(m) => m.name = name.to_string(),
            Monitor::Spike(m) => m.name = name.to_string(),
            Monitor::Rate(m) => m.name = name.to_string(),
        }
    }
}

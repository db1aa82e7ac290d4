//! The kernels of one run, per object, as `compile` binds them and `step` runs them (they
//! are made again for every run, since constants may change between runs).

use super::kernels::Bound;
use super::synapses::Rows;

/// The compiled kernels of one neuron group.
pub(crate) struct CompiledGroup {
    pub(crate) step: Bound,
    /// `step` without the stores nothing reads during this run (see `runtime::lean`), run at
    /// every step but the group's last of the run.
    pub(crate) lean_step: Option<Bound>,
    pub(crate) reset: Option<Bound>,
    /// Stores the `constant over dt` subexpressions, at the start of a step.
    pub(crate) subexpressions: Option<Bound>,
    /// Stores the other subexpressions StateMonitors record, run right before one records.
    pub(crate) recorded_subexpressions: Option<Bound>,
    /// Stores the subexpressions a `SpikeMonitor` records, over the spike list after the
    /// threshold (a `List` kernel).
    pub(crate) spike_subexpressions: Option<Bound>,
    /// `run_regularly` kernels (each runs on its own clock, see `step`).
    pub(crate) regular: Vec<Regular>,
    /// For each `PoissonInput` with a string weight that targets the group: its number and
    /// the kernel that stores the weight of each neuron in the input's scratch column.
    pub(crate) poisson_weights: Vec<(usize, Bound)>,
    /// Per custom event: the kernel that lists its neurons, and its actions (`List` kernels).
    pub(crate) events: Vec<(Bound, Vec<Bound>)>,
}

impl CompiledGroup {
    /// Every kernel of the group but `lean_step` (a copy of `step` with fewer stores).
    pub(crate) fn kernels(&self) -> impl Iterator<Item = &Bound> {
        std::iter::once(&self.step)
            .chain(&self.reset)
            .chain(&self.subexpressions)
            .chain(&self.recorded_subexpressions)
            .chain(&self.spike_subexpressions)
            .chain(self.regular.iter().flat_map(Regular::kernels))
            .chain(self.poisson_weights.iter().map(|(_, b)| b))
            .chain(
                self.events
                    .iter()
                    .flat_map(|(list, actions)| std::iter::once(list).chain(actions)),
            )
    }
}

/// The kernels of one `run_regularly` operation: its shared statements, run once per call
/// (over element 0, reading and writing only shared cells), then the per-neuron ones
/// (`kernels::split_shared`).
pub(crate) struct Regular {
    pub(crate) shared: Option<Bound>,
    pub(crate) each: Option<Bound>,
}

impl Regular {
    /// Its kernels, in the order they run.
    pub(crate) fn kernels(&self) -> impl Iterator<Item = &Bound> {
        self.parts().map(|(b, _)| b)
    }

    /// Its kernels in the order they run, each with how many elements it runs over at most:
    /// the shared part one (element 0), the per-element part all.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (&Bound, Option<usize>)> {
        let shared = self.shared.iter().map(|b| (b, Some(1)));
        shared.chain(self.each.iter().map(|b| (b, None)))
    }
}

/// The updater of one summed variable (`y_post = ... : 1 (summed)`).
pub(crate) struct Summed {
    /// Adds each synapse's value into the target column (zeroed over `range` before).
    pub(crate) kernel: Bound,
    /// The target variable's column.
    pub(crate) column: usize,
    /// The target neurons (a subgroup's, or the whole group's).
    pub(crate) range: (usize, usize),
    /// The target group (the synapses' source for `_pre`, target for `_post`).
    pub(crate) group: usize,
    /// The summed variable's name in the synapses (`y_post`).
    pub(crate) name: String,
}

/// The compiled kernels of one `Synapses` object.
pub(crate) struct CompiledSynapses {
    pub(crate) update: Option<Bound>,
    /// One kernel per pathway, in the order of `Synapses::pathways`.
    pub(crate) pathways: Vec<Bound>,
    /// Per pathway: delay in steps of each synapse (empty: all zero).
    pub(crate) delays: Vec<Vec<usize>>,
    /// Synapses by presynaptic neuron, and by postsynaptic neuron (each empty when no pathway
    /// propagates from that side).
    pub(crate) by_pre: Rows,
    pub(crate) by_post: Rows,
    /// Summed-variable updaters.
    pub(crate) summed: Vec<Summed>,
    /// `S.run_regularly` operations.
    pub(crate) regular: Vec<Regular>,
    /// Stores the `constant over dt` subexpressions, at the start of a step.
    pub(crate) subexpressions: Option<Bound>,
}

impl CompiledSynapses {
    /// Every kernel of the synapses.
    pub(crate) fn kernels(&self) -> impl Iterator<Item = &Bound> {
        self.update
            .iter()
            .chain(&self.pathways)
            .chain(self.summed.iter().map(|s| &s.kernel))
            .chain(self.regular.iter().flat_map(Regular::kernels))
            .chain(&self.subexpressions)
    }
}

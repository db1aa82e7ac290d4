//! Lean step kernels: a group's fused step kernel without the stores that nothing reads
//! during the run.
//!
//! The step kernel of a group with refractoriness stores `not_refractory` for every neuron at
//! every step (Brian2's state updater does too), but it computes the value from `lastspike`
//! and never reads the column back. When no other kernel, monitor or link of the run uses the
//! column either, those stores are dead until the run ends: CUBA at N = 32,000 spends a quarter
//! of its step kernel's time on them. The lean kernel leaves them out and runs at every step
//! but the group's last one of the run, which uses the whole kernel, so the state is complete
//! whenever a run returns (an interrupted run first gives each such group one more whole step,
//! see `Network::simulate`).

use super::kernels::Bound;
use super::network::{CompiledGroup, CompiledSynapses, Network};
use crate::diagnostics::Diagnostic;
use crate::lower::ir::Stmt;
use crate::monitor::Monitor;

/// The variable whose stores a lean kernel may leave out.
const CANDIDATE: &str = "not_refractory";

impl Network {
    /// Compiles a lean step kernel for every group whose step kernel stores a column that
    /// nothing else in this run reads.
    pub(crate) fn add_lean_steps(
        &mut self,
        groups: &mut [CompiledGroup],
        synapses: &[CompiledSynapses],
    ) -> Result<(), Vec<Diagnostic>> {
        for k in 0..groups.len() {
            let dead = self.dead_stores(k, groups, synapses);
            if dead.is_empty() {
                continue;
            }
            let step = &groups[k].step;
            let mut ir = step.ir.clone();
            ir.name = format!("{}.lean", ir.name);
            ir.body
                .retain(|s| !matches!(s, Stmt::Store { col, .. } if dead.contains(col)));
            for &c in &dead {
                ir.columns[c as usize].written = false;
            }
            let columns = step.columns.clone();
            groups[k].lean_step = Some(self.bind(ir, columns)?);
            let name = &self.groups[k].name;
            if !self.lean_groups.contains(name) {
                self.lean_groups.push(name.clone());
            }
        }
        Ok(())
    }

    /// The step kernel's columns (its own numbering) that group `k`'s lean kernel need not
    /// store: `not_refractory` when the step kernel never loads it and nothing else touches it.
    fn dead_stores(
        &self,
        k: usize,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
    ) -> Vec<u32> {
        let g = &self.groups[k];
        let Some(global) = g.column(CANDIDATE) else {
            return Vec::new();
        };
        let step = &groups[k].step;
        let Some(local) = step.columns.iter().position(|&c| c == global) else {
            return Vec::new();
        };
        let local = local as u32;
        let stored = step.ir.columns[local as usize].written;
        let loaded = step
            .ir
            .prologue
            .iter()
            .chain(&step.ir.body)
            .any(|s| s.value().reads_column(local));
        if !stored || loaded || self.used_elsewhere(global, k, groups, synapses) {
            return Vec::new();
        }
        vec![local]
    }

    /// Whether anything but group `k`'s step kernel uses column `global` in this run: another
    /// kernel (reading or writing it), another variable linked to it, a monitor that records
    /// a variable of that name (of any object, to stay on the safe side), or a
    /// `PoissonInput`.
    fn used_elsewhere(
        &self,
        global: usize,
        k: usize,
        groups: &[CompiledGroup],
        synapses: &[CompiledSynapses],
    ) -> bool {
        let mut kernels: Vec<&Bound> = Vec::new();
        for (j, c) in groups.iter().enumerate() {
            if j != k {
                kernels.push(&c.step);
            }
            kernels.extend(c.reset.iter());
            kernels.extend(c.subexpressions.iter());
            kernels.extend(c.recorded_subexpressions.iter());
            kernels.extend(c.spike_subexpressions.iter());
            kernels.extend(c.regular.iter());
            kernels.extend(c.poisson_weights.iter().map(|(_, b)| b));
            for (list, actions) in &c.events {
                kernels.push(list);
                kernels.extend(actions.iter());
            }
        }
        for s in synapses {
            kernels.extend(s.update.iter());
            kernels.extend(s.pathways.iter());
            kernels.extend(s.summed.iter().map(|(b, _, _)| b));
        }
        let in_kernel = kernels.iter().any(|b| b.columns.contains(&global));
        let summed = synapses
            .iter()
            .flat_map(|s| &s.summed)
            .any(|(_, col, _)| *col == global);
        let own = |j: usize, name: &str| j == k && name == CANDIDATE;
        let linked = self.groups.iter().enumerate().any(|(j, g)| {
            g.variables
                .iter()
                .zip(&g.columns)
                .any(|(v, c)| *c == Some(global) && !own(j, &v.name))
        }) || self
            .synapses
            .iter()
            .any(|s| s.columns.contains(&Some(global)));
        let monitored = self.monitors.iter().any(|m| match m {
            Monitor::State(sm) => sm.variables.iter().any(|v| v.contains(CANDIDATE)),
            Monitor::Spike(sm) => sm.variables.iter().any(|v| v.contains(CANDIDATE)),
            Monitor::Rate(_) => false,
        });
        let poisson = self
            .poisson_inputs
            .iter()
            .any(|p| p.var.contains(CANDIDATE));
        in_kernel || summed || linked || monitored || poisson
    }
}

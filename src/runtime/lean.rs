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

use super::compiled::{CompiledGroup, CompiledSynapses};
use super::kernels::Bound;
use super::network::Network;
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
        // A monitor recording a variable of that name (of any object, to stay on the safe
        // side) or a PoissonInput targeting one keeps every step kernel whole.
        let named = |v: &String| v.contains(CANDIDATE);
        let monitored = self.monitors.iter().any(|m| match m {
            Monitor::State(sm) => sm.variables.iter().any(named),
            Monitor::Spike(sm) => sm.variables.iter().any(named),
            Monitor::Rate(_) => false,
        });
        if monitored || self.poisson_inputs.iter().any(|p| named(&p.var)) {
            return Ok(());
        }
        let listed = kernels_listing(groups, synapses, self.columns.len());
        for k in 0..groups.len() {
            let Some(dead) = self.dead_store(k, &groups[k].step, &listed, synapses) else {
                continue;
            };
            let step = &groups[k].step;
            let mut ir = step.ir.clone();
            ir.name = format!("{}.lean", ir.name);
            ir.body
                .retain(|s| !matches!(s, Stmt::Store { col, .. } if *col == dead));
            ir.columns[dead as usize].written = false;
            let columns = step.columns.clone();
            groups[k].lean_step = Some(self.bind(ir, columns)?);
            let name = &self.groups[k].name;
            if !self.lean_groups.contains(name) {
                self.lean_groups.push(name.clone());
            }
        }
        Ok(())
    }

    /// The column (in the step kernel's numbering) that group `k`'s lean kernel need not
    /// store: `not_refractory`, when `step` stores but never loads it and nothing else uses
    /// it: no other kernel lists it (`listed`), it is no summed variable's target, no other
    /// variable is linked to it, and no PoissonInput writes a variable it guards.
    fn dead_store(
        &self,
        k: usize,
        step: &Bound,
        listed: &[usize],
        synapses: &[CompiledSynapses],
    ) -> Option<u32> {
        let global = self.groups[k].column(CANDIDATE)?;
        let local = step.columns.iter().position(|&c| c == global)? as u32;
        let stored = step.ir.columns[local as usize].written;
        let loaded = step
            .ir
            .prologue
            .iter()
            .chain(&step.ir.body)
            .any(|s| s.value().reads_column(local));
        // `step` itself is one of the kernels listing it.
        let in_other_kernel = listed.get(global).is_none_or(|&n| n > 1);
        let summed = synapses
            .iter()
            .flat_map(|s| &s.summed)
            .any(|sm| sm.column == global);
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
        // A PoissonInput into an `(unless refractory)` variable reads `not_refractory`.
        let input = self
            .poisson_inputs
            .iter()
            .any(|p| p.group == k && super::kernels::unless_refractory(&self.groups[k], &p.var));
        (stored && !loaded && !in_other_kernel && !summed && !linked && !input).then_some(local)
    }
}

/// For each global column, how many of the run's kernels list it (read or written).
fn kernels_listing(
    groups: &[CompiledGroup],
    synapses: &[CompiledSynapses],
    n_columns: usize,
) -> Vec<usize> {
    let kernels = groups
        .iter()
        .flat_map(CompiledGroup::kernels)
        .chain(synapses.iter().flat_map(CompiledSynapses::kernels));
    let mut listed = vec![0; n_columns];
    for b in kernels {
        for &c in &b.columns {
            if let Some(n) = listed.get_mut(c) {
                *n += 1;
            }
        }
    }
    listed
}

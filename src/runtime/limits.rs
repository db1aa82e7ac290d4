//! Memory limits: estimate what a group, a `connect()` or a run's monitors will allocate and
//! refuse, with the estimate, BEFORE allocating when it would not fit.
//!
//! The limit is `Network::max_memory` (`--max-memory`) or, when that is `None`, the memory the
//! system can give (`MemAvailable` of `/proc/meminfo`, lowered to a cgroup's remaining memory
//! where one is set) less a safety margin. Estimates are deliberately simple products (8 bytes per
//! `f64` element, plus indices) that bound what the runtime allocates; they are compared with the
//! limit minus what the network holds already, so a run is refused rather than killed by the OS.

use super::connect::{ConnectSpec, Prob};
use super::network::Network;
use super::synapses::Synapses;
use crate::check::hir::VarKind;
use crate::diagnostics::Diagnostic;
use crate::monitor::Monitor;
use crate::source::Span;

/// Bytes per synapse besides its variables: `pre`/`post` indices (8), the pairs built by
/// `connect()` before they are stored (8), and the by-pre/by-post rows built for the run (8).
const SYNAPSE_OVERHEAD: f64 = 24.0;

/// Memory held back from the available memory for the program, the kernels and the OS.
const SAFETY_MARGIN: u64 = 256 << 20;

/// Where a limit comes from (it decides the wording of the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitSource {
    /// `--max-memory` (or `Network::max_memory` set by a library user).
    Flag,
    /// The system's available memory.
    Available,
}

/// The memory available to this process in bytes, less a safety margin; `None` where the system
/// does not say (not Linux).
pub fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    let mut avail = kb.saturating_mul(1024);
    // A cgroup (v2) limit, as in containers, can be far below the machine's memory.
    let read = |p: &str| std::fs::read_to_string(p).ok()?.trim().parse::<u64>().ok();
    if let (Some(max), Some(cur)) = (
        read("/sys/fs/cgroup/memory.max"),
        read("/sys/fs/cgroup/memory.current"),
    ) {
        avail = avail.min(max.saturating_sub(cur));
    }
    let margin = SAFETY_MARGIN.max(avail / 10);
    Some(avail.saturating_sub(margin))
}

/// `bytes` for people: `8.0 TB`, `22.1 GB`, `512 B` (powers of 1000, as disk and RAM vendors).
pub fn format_bytes(bytes: f64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut x = bytes.max(0.0);
    let mut u = 0;
    while x >= 1000.0 && u + 1 < UNITS.len() {
        x /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{x:.0} B")
    } else {
        format!("{x:.1} {}", UNITS[u])
    }
}

/// A count for messages: exact when small, `10^13` or `2.5·10^12` when large.
pub fn format_count(n: f64) -> String {
    if n < 1e7 {
        return format!("{n:.0}");
    }
    let e = n.log10().floor();
    let m = n / 10f64.powf(e);
    if (m - m.round()).abs() < 0.05 && m.round() == 1.0 {
        format!("10^{e:.0}")
    } else {
        format!("{m:.1}·10^{e:.0}")
    }
}

/// Non-shared state variables of a `Synapses` object (one `f64` per synapse each).
fn synapse_columns(s: &Synapses) -> usize {
    s.variables
        .iter()
        .zip(&s.columns)
        .filter(|(v, c)| c.is_some() && !v.flags.shared && v.kind != VarKind::Subexpression)
        .count()
}

/// Bytes one synapse of `s` costs.
pub(crate) fn bytes_per_synapse(s: &Synapses) -> f64 {
    8.0 * synapse_columns(s) as f64 + SYNAPSE_OVERHEAD + 8.0 * s.pathways.len() as f64
}

impl Network {
    /// The limit in bytes and where it comes from; `None`: no limit known.
    pub fn memory_limit(&self) -> Option<(u64, LimitSource)> {
        match self.max_memory {
            Some(b) => Some((b, LimitSource::Flag)),
            None => available_memory().map(|b| (b, LimitSource::Available)),
        }
    }

    /// Bytes the network holds now: state columns, synapse indices and recorded data.
    pub fn memory_in_use(&self) -> f64 {
        let columns: usize = self.columns.iter().map(|c| c.len() * 8).sum();
        let synapses: usize = self.synapses.iter().map(|s| s.len() * 8).sum();
        let monitors: usize = self
            .monitors
            .iter()
            .map(|m| match m {
                Monitor::State(s) => {
                    8 * (s.times.len() + s.values.iter().map(Vec::len).sum::<usize>())
                }
                Monitor::Spike(s) => (12 + 8 * s.variables.len()) * s.i.len() + 8 * s.count.len(),
                Monitor::Rate(r) => 16 * r.times.len(),
            })
            .sum();
        (columns + synapses + monitors) as f64
    }

    /// Refuses `extra` more bytes (for `what`, e.g. `10^13 synapses`) when the network's memory
    /// would then exceed the limit. The error points at `span` (the call that asks for it).
    pub fn ensure_memory(&self, extra: f64, what: &str, span: Span) -> Result<(), Diagnostic> {
        let Some((limit, source)) = self.memory_limit() else {
            return Ok(());
        };
        let need = self.memory_in_use() + extra;
        if need <= limit as f64 {
            return Ok(());
        }
        let limit_text = match source {
            LimitSource::Flag => {
                format!("the --max-memory limit of {}", format_bytes(limit as f64))
            }
            LimitSource::Available => format!("the {} available", format_bytes(limit as f64)),
        };
        Err(Diagnostic::error(
            format!(
                "not enough memory: this would need about {} for {what}, more than {limit_text}",
                format_bytes(need)
            ),
            span,
        )
        .with_note(match source {
            LimitSource::Flag => "help: raise --max-memory, or make the model smaller",
            LimitSource::Available => {
                "help: use --max-memory to change the limit, or make the model smaller"
            }
        }))
    }

    /// Checks that a group of `n` neurons with `columns` non-shared variables fits.
    pub(crate) fn ensure_group_memory(
        &self,
        n: usize,
        columns: usize,
        span: Span,
    ) -> Result<(), Diagnostic> {
        self.ensure_memory(
            8.0 * n as f64 * columns as f64,
            &format!("a NeuronGroup of {} neurons", format_count(n as f64)),
            span,
        )
    }

    /// Checks that `count` more synapses (an estimate) for `Synapses` object `k` fit.
    pub fn ensure_synapse_memory(
        &self,
        k: usize,
        count: f64,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let s = &self.synapses[k];
        // Growing the columns copies them: old and new exist together for a moment.
        let existing = s.len() as f64 * 8.0 * synapse_columns(s) as f64;
        self.ensure_memory(
            count * bytes_per_synapse(s) + existing,
            &format!("{} synapses", format_count(count + s.len() as f64)),
            span,
        )
    }

    /// Checks, before `connect()` builds anything, that the synapses it will create fit: for
    /// explicit indices their number; for `p` without a condition the expected number
    /// `N_pre·N_post·p·n`. A condition string or a generator can select any fraction of the
    /// pairs, so it is not refused up front (that would refuse `'i == j'` on large groups);
    /// its synapses are checked once generated, before the columns grow.
    pub fn ensure_connect_memory(
        &self,
        k: usize,
        spec: &ConnectSpec,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let s = &self.synapses[k];
        let count = match spec {
            ConnectSpec::Explicit { i, j, n, .. } => (i.len().max(j.len()) * n) as f64,
            ConnectSpec::Condition {
                condition: None,
                p: Prob::Value(p),
                n,
                n_expr: None,
            } => s.source.len() as f64 * s.target.len() as f64 * p.clamp(0.0, 1.0) * *n as f64,
            _ => return Ok(()),
        };
        self.ensure_synapse_memory(k, count, span)
    }

    /// Checks that the monitors fit for a run of `duration` (called when `run` is, before the
    /// simulation allocates anything; each monitor records on its own clock). Spike monitors
    /// are not estimated: their size depends on the activity.
    pub fn ensure_run_memory(&self, duration: f64, span: Span) -> Result<(), Diagnostic> {
        let mut extra = 0.0;
        let mut recorded = 0.0;
        for m in &self.monitors {
            let steps = self.steps_on(self.monitor_dt(m), duration) as f64;
            match m {
                Monitor::State(s) => {
                    let per_step = (s.variables.len() * s.indices.len()) as f64;
                    recorded += per_step * steps;
                    extra += steps * 8.0 * (per_step + 1.0);
                }
                Monitor::Rate(_) => extra += steps * 16.0,
                Monitor::Spike(_) => {}
            }
        }
        let steps = self.steps_for(duration);
        self.ensure_memory(
            extra,
            &format!(
                "the monitors of a run of {} steps ({} recorded values)",
                format_count(steps as f64),
                format_count(recorded)
            ),
            span,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;

    #[test]
    fn bytes_and_counts_read_well() {
        assert_eq!(format_bytes(512.0), "512 B");
        assert_eq!(format_bytes(8.0e12), "8.0 TB");
        assert_eq!(format_bytes(22.1e9), "22.1 GB");
        assert_eq!(format_count(1e13), "10^13");
        assert_eq!(format_count(2.5e12), "2.5·10^12");
        assert_eq!(format_count(12345.0), "12345");
    }

    #[test]
    fn the_flag_limit_refuses_with_the_estimate() {
        let mut net = Network::new(BackendKind::Interp, 0);
        net.max_memory = Some(1 << 20);
        assert!(net.ensure_memory(1000.0, "x", Span::new(0, 1)).is_ok());
        let e = net
            .ensure_group_memory(1_000_000, 2, Span::new(0, 1))
            .unwrap_err();
        assert!(e.message.contains("about 16.0 MB"), "{}", e.message);
        assert!(
            e.message.contains("--max-memory limit of 1.0 MB"),
            "{}",
            e.message
        );
    }

    #[test]
    fn available_memory_is_known_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(available_memory().is_some_and(|b| b > 0));
        }
    }
}

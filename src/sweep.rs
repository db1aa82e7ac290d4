//! Parameter sweeps: run one script over the grid of values of several constants, in parallel
//! across cores, compiling each distinct kernel once through a shared [`CompileCache`].
//!
//! ```
//! use snnc::script::ScriptOptions;
//! use snnc::source::SourceFile;
//! use snnc::sweep::{run_sweep, SweepParam};
//!
//! let file = SourceFile::new(
//!     "lif.eq",
//!     "tau = 10*ms\nG = NeuronGroup(1, 'dv/dt = (1.2-v)/tau : 1', threshold='v>1', reset='v=0', method='exact')\nM = SpikeMonitor(G)\nrun(50*ms)\n",
//! );
//! let params = vec![SweepParam::parse("tau=5*ms,10*ms,20*ms").unwrap()];
//! let opts = ScriptOptions { seed: Some(1), ..ScriptOptions::default() };
//! let sweep = run_sweep(&file, &opts, &params, |_, _| Ok(())).unwrap();
//! assert_eq!(sweep.runs.len(), 3);
//! // A shorter time constant fires more often.
//! let spikes: Vec<u64> = sweep.runs.iter().map(|r| r.spikes[0].spikes).collect();
//! assert!(spikes[0] > spikes[1] && spikes[1] > spikes[2]);
//! ```
//!
//! This module never prints; the caller decides what to do with each run's [`Outcome`].

use crate::backend::cache::CompileCache;
use crate::monitor::Monitor;
use crate::output::fmt_f64;
use crate::script::{run_script_with, Outcome, RunHooks, ScriptError, ScriptOptions};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::fmt::Write as _;

/// One swept constant and its values (script expressions such as `10*ms`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepParam {
    /// The constant's name.
    pub name: String,
    /// Its values, as expressions.
    pub values: Vec<String>,
}

impl SweepParam {
    /// Parses `NAME=v1,v2,...`.
    pub fn parse(arg: &str) -> Result<SweepParam, String> {
        let (name, values) = arg
            .split_once('=')
            .ok_or_else(|| format!("--sweep expects NAME=v1,v2,..., got '{arg}'"))?;
        let name = name.trim();
        let values: Vec<String> = values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if name.is_empty() || values.is_empty() {
            return Err(format!("--sweep expects NAME=v1,v2,..., got '{arg}'"));
        }
        Ok(SweepParam {
            name: name.to_string(),
            values,
        })
    }
}

/// Spikes recorded by one `SpikeMonitor` in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct SpikeSummary {
    /// The monitor's name.
    pub monitor: String,
    /// Number of spikes.
    pub spikes: u64,
    /// Neurons in the recorded group.
    pub neurons: usize,
    /// Mean rate (Hz): spikes / neurons / simulated time.
    pub rate: f64,
}

/// One combination of the grid and what it gave.
#[derive(Clone, Debug)]
pub struct SweepRun {
    /// `(name, value)` for each swept constant, in the order given.
    pub params: Vec<(String, String)>,
    /// Folder name for this combination: `NAME=v1,OTHER=w1`.
    pub dir_name: String,
    /// One entry per `SpikeMonitor`, in creation order.
    pub spikes: Vec<SpikeSummary>,
    /// Simulated time (s).
    pub duration: f64,
}

/// The result of a sweep.
#[derive(Debug)]
pub struct Sweep {
    /// Every combination, in grid order (the first parameter varies slowest).
    pub runs: Vec<SweepRun>,
    /// Kernels compiled and compilations saved, over the whole sweep.
    pub compiled: usize,
    /// Compilations saved by reusing a kernel compiled for another combination.
    pub reused: usize,
}

/// Why a sweep stopped: the first combination (in grid order) that failed.
#[derive(Debug)]
pub struct SweepError {
    /// The combination's parameters.
    pub params: Vec<(String, String)>,
    /// What the script reported.
    pub error: SweepFailure,
}

/// What went wrong in one combination.
#[derive(Debug)]
pub enum SweepFailure {
    /// The script failed.
    Script(ScriptError),
    /// The caller's handler failed (for example writing output).
    Handler(String),
}

/// The grid of all combinations, the first parameter varying slowest.
pub fn grid(params: &[SweepParam]) -> Vec<Vec<(String, String)>> {
    let mut combos = vec![Vec::new()];
    for p in params {
        combos = combos
            .into_iter()
            .flat_map(|c: Vec<(String, String)>| {
                p.values.iter().map(move |v| {
                    let mut c = c.clone();
                    c.push((p.name.clone(), v.clone()));
                    c
                })
            })
            .collect();
    }
    combos
}

/// The folder name of a combination: `NAME=v1,OTHER=w1` (`/` replaced by `_`).
pub fn dir_name(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(n, v)| format!("{n}={}", v.replace(['/', '\\'], "_").replace(' ', "")))
        .collect::<Vec<_>>()
        .join(",")
}

/// Runs `file` once per combination of `params` (each combination's values are applied as
/// `--set` overrides on top of `base.overrides`), in parallel when there are several, and calls
/// `each` with every finished run while its network is alive (to write its output).
pub fn run_sweep<F>(
    file: &SourceFile,
    base: &ScriptOptions,
    params: &[SweepParam],
    each: F,
) -> Result<Sweep, SweepError>
where
    F: Fn(&SweepRun, &Outcome) -> Result<(), String> + Sync,
{
    let cache = CompileCache::new();
    let hooks = RunHooks {
        progress: None,
        cache: Some(cache.clone()),
    };
    let combos = grid(params);
    let parallel = combos.len() > 1;
    let one = |combo: &Vec<(String, String)>| -> Result<SweepRun, SweepError> {
        let mut opts = base.clone();
        opts.overrides
            .retain(|(n, _)| !combo.iter().any(|(m, _)| m == n));
        opts.overrides.extend(combo.iter().cloned());
        if parallel && opts.threads == 0 {
            // The combinations already use every core.
            opts.threads = 1;
        }
        let fail = |error| SweepError {
            params: combo.clone(),
            error,
        };
        let outcome =
            run_script_with(file, &opts, &hooks).map_err(|e| fail(SweepFailure::Script(e)))?;
        let run = summarise(combo, &outcome);
        each(&run, &outcome).map_err(|e| fail(SweepFailure::Handler(e)))?;
        Ok(run)
    };
    let results: Vec<Result<SweepRun, SweepError>> = if parallel {
        combos.par_iter().map(one).collect()
    } else {
        combos.iter().map(one).collect()
    };
    let runs = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let (compiled, reused) = cache.counts();
    Ok(Sweep {
        runs,
        compiled,
        reused,
    })
}

fn summarise(combo: &[(String, String)], outcome: &Outcome) -> SweepRun {
    let net = &outcome.network;
    let duration = net.t();
    let spikes = net
        .monitors
        .iter()
        .filter_map(|m| match m {
            Monitor::Spike(s) => {
                let neurons = net.groups.get(s.source).map(|g| g.n).unwrap_or(0);
                let count = s.i.len() as u64;
                let rate = if neurons > 0 && duration > 0.0 {
                    count as f64 / neurons as f64 / duration
                } else {
                    0.0
                };
                Some(SpikeSummary {
                    monitor: s.name.clone(),
                    spikes: count,
                    neurons,
                    rate,
                })
            }
            _ => None,
        })
        .collect();
    SweepRun {
        params: combo.to_vec(),
        dir_name: dir_name(combo),
        spikes,
        duration,
    }
}

/// `summary.csv`: one row per combination with its parameters, then for each `SpikeMonitor`
/// `NAME.spikes` and `NAME.rate` (Hz).
pub fn summary_csv(sweep: &Sweep) -> String {
    let mut s = String::new();
    let Some(first) = sweep.runs.first() else {
        return s;
    };
    let mut head: Vec<String> = first.params.iter().map(|(n, _)| n.clone()).collect();
    for m in &first.spikes {
        head.push(format!("{}.spikes", m.monitor));
        head.push(format!("{}.rate", m.monitor));
    }
    s.push_str(&head.join(","));
    s.push('\n');
    for r in &sweep.runs {
        let mut row: Vec<String> = r.params.iter().map(|(_, v)| csv_field(v)).collect();
        for m in &r.spikes {
            row.push(m.spikes.to_string());
            row.push(fmt_f64(m.rate));
        }
        let _ = writeln!(s, "{}", row.join(","));
    }
    s
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_varies_the_first_parameter_slowest() {
        let a = SweepParam::parse("a=1,2").unwrap();
        let b = SweepParam::parse("b = 10*ms, 20*ms").unwrap();
        let g = grid(&[a, b]);
        assert_eq!(g.len(), 4);
        assert_eq!(dir_name(&g[1]), "a=1,b=20*ms");
        assert_eq!(dir_name(&g[2]), "a=2,b=10*ms");
        assert!(SweepParam::parse("a=").is_err());
        assert!(SweepParam::parse("nothing").is_err());
    }
}

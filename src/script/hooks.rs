//! Observers that a caller may attach to a script run without changing what it computes: a
//! progress callback (the CLI's progress bar and `report='text'` lines) and a compile cache
//! shared between the runs of a parameter sweep.

use crate::backend::cache::CompileCache;
use std::sync::Arc;

/// Where a `run()` call of a script stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunProgress {
    /// Simulation time (s) at which this `run()` started.
    pub start: f64,
    /// The duration (s) this `run()` simulates.
    pub duration: f64,
    /// True when the script asked for `report='text'` (or `'stdout'`/`'stderr'`).
    pub report: bool,
    /// Steps done so far in this `run()` (0 at its start).
    pub done: u64,
    /// Steps of this `run()`.
    pub steps: u64,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&RunProgress) + Send + Sync>;

/// Hooks for [`super::run_script_with`].
#[derive(Clone, Default)]
pub struct RunHooks {
    /// Called at the start of every `run()` (with `done == 0`) and after each of its steps.
    pub progress: Option<ProgressFn>,
    /// Compile kernels through this cache (shared with other runs).
    pub cache: Option<CompileCache>,
}

impl std::fmt::Debug for RunHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunHooks")
            .field("progress", &self.progress.is_some())
            .field("cache", &self.cache)
            .finish()
    }
}

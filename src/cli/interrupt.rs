//! Ctrl-C for `snnc run`: the first SIGINT sets a flag that the simulation checks once per step
//! (it then stops after the current step, the monitors keep what they recorded, and the CLI
//! writes the files and exits 130); a second SIGINT ends the process at once with code 130.
//!
//! Uses `signal-hook`'s flag API, whose handlers only store to atomics (async-signal-safe).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The exit code of a run stopped by SIGINT (128 + 2, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Installs the SIGINT handlers; returns the flag to pass as `ScriptOptions::interrupt`, or
/// `None` where handlers cannot be installed (then Ctrl-C ends the process as usual).
pub fn install() -> Option<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    // Registered first, so on the second signal it sees the flag the first one set and exits.
    signal_hook::flag::register_conditional_shutdown(
        signal_hook::consts::SIGINT,
        EXIT_INTERRUPTED,
        Arc::clone(&flag),
    )
    .ok()?;
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&flag)).ok()?;
    Some(flag)
}

//! snnc: a spiking-neural-network simulator that speaks Brian2's model language.
//!
//! Models are written as in Brian2 — `NeuronGroup`, `Synapses`, `StateMonitor`, `SpikeMonitor`,
//! `PopulationRateMonitor`, model strings with units — either in a `.eq` file (a declarative
//! subset of a Brian2 script) or from Rust. snnc checks units and names with messages that
//! point at the offending text, integrates with Brian2's state updaters, lowers every model to
//! a small kernel IR and runs it with a Cranelift JIT (or the reference interpreter).
//!
//! # Pipeline
//!
//! [`syntax`] (parse) → [`script`] (evaluate a `.eq` file into a network) → [`check`] (names,
//! units, flags) → [`integrate`] (state updaters) → [`lower`] (kernel IR) → [`backend`]
//! (interpreter or JIT) → [`runtime`] (Brian2's schedule) → [`monitor`] → [`output`] (CSV,
//! NumPy, figures). [`sweep`] runs a script over a grid of constants; [`api`] is the embedding
//! API.
//!
//! # Build a network in Rust
//!
//! ```
//! use snnc::api::Simulation;
//!
//! let mut sim = Simulation::new();
//! sim.constant("tau", 10.0, "ms").unwrap();
//! let g = sim
//!     .neuron_group(1, "dv/dt = (1-v)/tau : 1 (unless refractory)")
//!     .threshold("v > 0.8")
//!     .reset("v = 0")
//!     .refractory(5e-3)
//!     .method("exact")
//!     .build()
//!     .unwrap();
//! let spikes = sim.spike_monitor(g);
//! let trace = sim.state_monitor(g, &["v"], &[0]);
//! sim.run(0.05).unwrap();
//! let (i, t) = sim.spikes(spikes).unwrap();
//! assert_eq!(i.len(), 2); // at 16 ms and 37 ms, as in Brian2's tutorial
//! assert!((t[0] - 0.016).abs() < 1e-9);
//! let (times, v) = sim.trace(trace, "v").unwrap(); // ndarray: (500,), (500, 1)
//! assert_eq!(v.shape(), &[times.len(), 1]);
//! ```
//!
//! # Run a `.eq` script from a string, overriding a constant
//!
//! ```
//! use snnc::api::run_eq;
//! use snnc::monitor::Monitor;
//! use snnc::script::ScriptOptions;
//!
//! let text = "tau = 10*ms\nG = NeuronGroup(1, 'dv/dt = (1-v)/tau : 1', threshold='v>0.8', reset='v = 0', method='exact')\nspikes = SpikeMonitor(G)\nrun(100*ms)\n";
//! let opts = ScriptOptions {
//!     seed: Some(1),
//!     overrides: vec![("tau".into(), "5*ms".into())],
//!     ..ScriptOptions::default()
//! };
//! let outcome = run_eq("lif.eq", text, &opts).unwrap();
//! let Monitor::Spike(m) = &outcome.network.monitors[0] else { unreachable!() };
//! assert_eq!(m.name, "spikes");
//! assert!(m.i.len() > 10);
//! ```
//!
//! Errors are typed ([`api::Error`]); a model error carries its diagnostics rendered against
//! the source, rustc-style. The library never prints; only the `snnc` binary ([`cli`]) does.

pub mod api;
pub mod backend;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod functions;
pub mod integrate;
pub mod lower;
pub mod monitor;
pub mod output;
pub mod runtime;
pub mod script;
pub mod source;
pub mod sweep;
pub mod syntax;
pub mod units;

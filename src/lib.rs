//! snnc: a spiking-neural-network simulator that speaks Brian2's model language.

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

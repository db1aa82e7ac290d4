//! snnc: a spiking-neural-network simulator that speaks Brian2's model language.

pub mod backend;
pub mod check;
pub mod diagnostics;
pub mod functions;
pub mod lower;
pub mod runtime;
pub mod source;
pub mod syntax;
pub mod units;

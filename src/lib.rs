//! snnc: a spiking-neural-network simulator that speaks Brian2's model language.
pub mod units;

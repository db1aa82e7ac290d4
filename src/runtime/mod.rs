//! Stage 5: the simulation (network schedule, groups, synapses, inputs, clocks, random numbers).
pub mod group;
pub mod kernels;
pub mod network;
pub mod rng;

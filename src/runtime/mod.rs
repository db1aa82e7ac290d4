//! Stage 5: the simulation (network schedule, groups, synapses, inputs, clocks, random numbers).
pub mod rng;

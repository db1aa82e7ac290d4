//! Stage 5: the simulation (network schedule, groups, synapses, clocks, random numbers).
//!
//! The runtime talks to kernels only through the backend trait; it never knows which backend
//! runs them.

pub mod clock;
mod compile;
mod compile_synapses;
mod compiled;
pub mod connect;
mod connect_gen;
mod connect_rows;
pub mod group;
pub mod kernels;
mod lean;
pub mod limits;
pub mod network;
pub mod parallel;
mod plan;
pub mod poisson;
pub mod rng;
pub mod schedule;
mod setvalues;
mod step;
pub mod syn_kernels;
pub mod synapses;
pub mod tables;

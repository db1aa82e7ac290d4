//! Embed a neuron model in a Rust program with the `Simulation` builder: Brian2's
//! "Neurons" tutorial (a leaky integrate-and-fire neuron with refractoriness), 10 neurons
//! driven by different inputs, read back as `ndarray`s.
//!
//! Run with `cargo run --release --example embed_lif`.

use snnc::api::Simulation;

fn main() -> Result<(), snnc::api::Error> {
    let mut sim = Simulation::new();
    sim.constant("tau", 10.0, "ms")?;
    let g = sim
        .neuron_group(10, "dv/dt = (I-v)/tau : 1 (unless refractory)\nI : 1")
        .threshold("v > 1")
        .reset("v = 0")
        .refractory(5e-3)
        .method("exact")
        .build()?;
    // Input grows with the neuron index: neurons 0-5 (I <= 1) never reach threshold.
    sim.set(g, "I", "0.5 + i*0.1")?;
    let spikes = sim.spike_monitor(g);
    let trace = sim.state_monitor(g, &["v"], &[9]);
    sim.run(0.1)?;

    let (i, t) = sim.spikes(spikes)?;
    let mut counts = [0usize; 10];
    for &n in i.iter() {
        counts[n as usize] += 1;
    }
    println!("spikes per neuron in 100 ms: {counts:?}");
    println!(
        "first spike of neuron 9 at {:.1} ms",
        t.iter()
            .zip(i.iter())
            .find(|(_, &n)| n == 9)
            .map(|(t, _)| t * 1e3)
            .unwrap_or(f64::NAN)
    );
    let (times, v) = sim.trace(trace, "v")?;
    println!(
        "recorded {} samples of v; max {:.3}",
        times.len(),
        v.iter().cloned().fold(f64::MIN, f64::max)
    );
    Ok(())
}

//! The CUBA benchmark network (Brette et al. 2007) built in Rust with the library API, without a
//! `.eq` file: 4000 LIF neurons, 80% excitatory, 2% random connectivity, exact integration.
//!
//! Run with `cargo run --release --example cuba`.

use snnc::api::Simulation;

fn main() -> Result<(), snnc::api::Error> {
    let n = 4000;
    let ne = 3200;
    let mut sim = Simulation::new();
    sim.constant("taum", 20.0, "ms")?;
    sim.constant("taue", 5.0, "ms")?;
    sim.constant("taui", 10.0, "ms")?;
    sim.constant("Vt", -50.0, "mV")?;
    sim.constant("Vr", -60.0, "mV")?;
    sim.constant("El", -49.0, "mV")?;
    sim.constant("we", 60.0 * 0.27 / 10.0, "mV")?;
    sim.constant("wi", -20.0 * 4.5 / 10.0, "mV")?;
    sim.constant("Ne", ne as f64, "1")?;
    let p = sim
        .neuron_group(
            n,
            "dv/dt = (ge+gi-(v-El))/taum : volt (unless refractory)
             dge/dt = -ge/taue : volt
             dgi/dt = -gi/taui : volt",
        )
        .threshold("v > Vt")
        .reset("v = Vr")
        .refractory(5e-3)
        .method("exact")
        .build()?;
    sim.set(p, "v", "Vr + rand() * (Vt - Vr)")?;
    let ce = sim.synapses(p, p, "", "ge += we")?;
    let ci = sim.synapses(p, p, "", "gi += wi")?;
    sim.connect(ce, Some("i < Ne"), 0.02)?;
    sim.connect(ci, Some("i >= Ne"), 0.02)?;
    let spikes = sim.spike_monitor(p);
    sim.run(1.0)?;
    let (i, _t) = sim.spikes(spikes)?;
    println!(
        "CUBA: {} excitatory + {} inhibitory synapses, {} spikes in 1 s ({:.2} Hz per neuron)",
        sim.synapse_count(ce),
        sim.synapse_count(ci),
        i.len(),
        i.len() as f64 / n as f64
    );
    Ok(())
}

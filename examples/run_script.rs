//! Run a `.eq` script held in a string and read its monitors as `ndarray`s: the classic CUBA
//! network (Brette et al. 2007, as in Brian2's examples), scaled down, with a constant
//! overridden as `--set` would.
//!
//! Run with `cargo run --release --example run_script`.

use ndarray::Array1;
use snnc::api::run_eq;
use snnc::monitor::Monitor;
use snnc::script::ScriptOptions;

const CUBA: &str = "\
N = 1000
taum = 20*ms
taue = 5*ms
taui = 10*ms
Vt = -50*mV
Vr = -60*mV
El = -49*mV
eqs = '''
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
'''
P = NeuronGroup(N, eqs, threshold='v>Vt', reset='v = Vr', refractory=5*ms, method='exact')
P.v = 'Vr + rand() * (Vt - Vr)'
P.ge = 0*mV
P.gi = 0*mV
we = (60*0.27/10)*mV
wi = (-20*4.5/10)*mV
Ce = Synapses(P, P, on_pre='ge += we')
Ci = Synapses(P, P, on_pre='gi += wi')
Ce.connect('i<800', p=0.02)
Ci.connect('i>=800', p=0.02)
s_mon = SpikeMonitor(P)
v_mon = StateMonitor(P, 'v', record=[0, 1, 2])
run(100*ms)
";

fn main() {
    let opts = ScriptOptions {
        seed: Some(7),
        overrides: vec![("N".into(), "2000".into())],
        ..ScriptOptions::default()
    };
    let outcome = match run_eq("cuba.eq", CUBA, &opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    for m in &outcome.network.monitors {
        match m {
            Monitor::Spike(s) => {
                let t = Array1::from(s.t.clone());
                println!(
                    "{}: {} spikes, mean rate {:.2} Hz, last at {:.1} ms",
                    s.name,
                    t.len(),
                    t.len() as f64 / s.count.len() as f64 / outcome.network.t(),
                    t.last().copied().unwrap_or(0.0) * 1e3
                );
            }
            Monitor::State(sm) => {
                let v = sm.array(0); // (times, recorded neurons), in volts
                println!(
                    "{}: v of neurons {:?}, shape {:?}, mean {:.2} mV",
                    sm.name,
                    sm.indices,
                    v.shape(),
                    v.mean().unwrap_or(f64::NAN) * 1e3
                );
            }
            Monitor::Rate(_) => {}
        }
    }
}

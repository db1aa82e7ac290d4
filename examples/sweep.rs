//! A parameter sweep through the library: the firing rate of a LIF neuron as a function of
//! its time constant and input, run in parallel with each distinct kernel compiled once.
//! `snnc run FILE --sweep tau=... --sweep I=...` does the same from the command line.
//!
//! Run with `cargo run --release --example sweep`.

use snnc::script::ScriptOptions;
use snnc::source::SourceFile;
use snnc::sweep::{run_sweep, summary_csv, SweepParam};

const MODEL: &str = "\
tau = 10*ms
I = 1.5
G = NeuronGroup(100, 'dv/dt = (I-v)/tau : 1 (unless refractory)', threshold='v>1', reset='v=0', refractory=2*ms, method='exact')
G.v = 'rand()'
spikes = SpikeMonitor(G)
run(200*ms)
";

fn main() {
    let file = SourceFile::new("lif.eq", MODEL);
    let params = [
        SweepParam::parse("tau=5*ms,10*ms,20*ms").expect("valid"),
        SweepParam::parse("I=1.2,1.5,2,3").expect("valid"),
    ];
    let opts = ScriptOptions {
        seed: Some(1),
        ..ScriptOptions::default()
    };
    // The closure sees every finished run (its whole network), e.g. to write its monitors.
    match run_sweep(&file, &opts, &params, |_, _| Ok(())) {
        Ok(sweep) => {
            print!("{}", summary_csv(&sweep));
            println!(
                "{} runs; {} kernels compiled, {} reused",
                sweep.runs.len(),
                sweep.compiled,
                sweep.reused
            );
        }
        Err(e) => eprintln!("the run with {:?} failed: {:?}", e.params, e.error),
    }
}

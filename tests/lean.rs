//! Lean step kernels (`runtime::lean`): a group whose `not_refractory` nothing reads steps
//! without storing it, except at its last step of a run, so every run still ends with the
//! state a whole kernel leaves. Checked on both backends against the same script with a
//! monitor of `not_refractory`, which keeps every step whole.

#[macro_use]
mod support;

use snnc::backend::BackendKind;
use snnc::monitor::{Monitor, Source};
use snnc::script::{run_script, Outcome, ScriptOptions};
use snnc::source::SourceFile;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A refractory LIF group driven above threshold, so that at any time some neurons are
/// refractory and some are not.
const GROUP: &str = "
N = 200
G = NeuronGroup(N, 'dv/dt = (1.5 - v)/(10*ms) : 1 (unless refractory)', threshold='v > 1',
                reset='v = 0', refractory=3*ms, method='exact')
G.v = 'rand()*1.2'
";

/// A monitor of `not_refractory`: the group's step kernel stays whole.
const WHOLE: &str = "W = StateMonitor(G, 'not_refractory', record=[0])";

fn run(text: &str, backend: BackendKind, interrupt: bool) -> Outcome {
    let file = SourceFile::new("lean.eq".to_string(), text.to_string());
    let opts = ScriptOptions {
        seed: Some(11),
        overrides: Vec::new(),
        backend,
        dry_run: false,
        threads: 1,
        max_memory: None,
        interrupt: interrupt.then(|| Arc::new(AtomicBool::new(true))),
        fast_math: false,
    };
    run_script(&file, &opts)
        .unwrap_or_else(|e| panic!("{}", snnc::diagnostics::render_all(&e.diagnostics, &file)))
}

/// The group, `pre`, a run of 7.35 ms, `mid`, a run of 2 ms.
fn script(pre: &str, mid: &str) -> String {
    format!("{GROUP}{pre}\nrun(7.35*ms)\n{mid}\nrun(2*ms)\n")
}

/// The recorded times and values of monitor `name`.
fn recorded(out: &Outcome, name: &str) -> (Vec<f64>, Vec<Vec<f64>>) {
    out.network
        .monitors
        .iter()
        .find_map(|m| match m {
            Monitor::State(s) if s.name == name => Some((s.times.clone(), s.values.clone())),
            _ => None,
        })
        .expect("the monitor exists")
}

fn state(out: &Outcome, var: &str) -> Vec<f64> {
    let g = out
        .network
        .groups
        .iter()
        .position(|g| g.name == "neurongroup")
        .expect("one group");
    out.network
        .values(Source::Group(g), var)
        .expect("the variable exists")
        .to_vec()
}

fn lean_runs_end_with_the_whole_state(backend: BackendKind) {
    // The monitor added between the runs records, at the second run's first step, the
    // state the first (lean) run left.
    let mid = "M = StateMonitor(G, ['v', 'not_refractory'], record=True)";
    let lean = run(&script("", mid), backend, false);
    let whole = run(&script(WHOLE, mid), backend, false);
    assert_eq!(lean.network.lean_groups, ["neurongroup"]);
    assert!(whole.network.lean_groups.is_empty());
    let (t_lean, lean_m) = recorded(&lean, "M");
    let (t_whole, whole_m) = recorded(&whole, "M");
    assert_eq!(t_lean, t_whole);
    // Bit for bit: the lean kernel computes the same values and only stores fewer.
    assert_eq!(lean_m, whole_m);
    // Not vacuous: right after the first run some neurons are refractory, some are not.
    let n = 200;
    let nr_first = &whole_m[1][..n];
    assert!(
        nr_first.contains(&0.0) && nr_first.contains(&1.0),
        "{nr_first:?}"
    );
    // A lean last run leaves the whole state too.
    let lean = run(&script("", ""), backend, false);
    let whole = run(&script(WHOLE, ""), backend, false);
    assert_eq!(lean.network.lean_groups, ["neurongroup"]);
    for var in ["v", "not_refractory", "lastspike"] {
        assert_eq!(state(&lean, var), state(&whole, var), "{var}");
    }
}

/// An interrupted run gives a lean group one more, whole, step: interrupted from the start,
/// the lean script stops after two steps with the state of a two-step run.
fn interrupted_lean_runs_end_with_the_whole_state(backend: BackendKind) {
    let lean = run(&script("", ""), backend, true);
    assert_eq!(lean.network.lean_groups, ["neurongroup"]);
    let stopped = lean.interrupted.expect("interrupted");
    assert!((stopped - 0.2e-3).abs() < 1e-12, "{stopped}");
    let whole = run(&format!("{GROUP}{WHOLE}\nrun(0.2*ms)\n"), backend, false);
    let nr = state(&whole, "not_refractory");
    assert!(nr.contains(&0.0) && nr.contains(&1.0), "{nr:?}");
    for var in ["v", "not_refractory", "lastspike"] {
        assert_eq!(state(&lean, var), state(&whole, var), "{var}");
    }
}

/// An interrupt that comes during a run's last step (here the only one) still ends the
/// script, although the group owes no more whole steps when the run runs out.
fn an_interrupt_in_the_last_step_ends_the_script(backend: BackendKind) {
    let text = format!("{GROUP}run(0.1*ms)\nM = StateMonitor(G, 'v', record=[0])\nrun(1*ms)\n");
    let out = run(&text, backend, true);
    let stopped = out.interrupted.expect("interrupted");
    assert!((stopped - 0.1e-3).abs() < 1e-12, "{stopped}");
    assert!(
        out.network.monitors.is_empty(),
        "the rest of the script ran"
    );
}

per_backend!(
    lean_runs_end_with_the_whole_state,
    interrupted_lean_runs_end_with_the_whole_state,
    an_interrupt_in_the_last_step_ends_the_script,
);

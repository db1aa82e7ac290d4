//! The embedding API reproduces a seed model without a script: syn1_pair built with
//! `Simulation` must give Brian2's reference trace (tests/data/reference/syn1_pair/M.v.csv) to
//! `1e-12 + 1e-9*|b|`, on both backends.

mod support;

use snnc::api::Simulation;
use snnc::backend::BackendKind;

fn syn1_pair(b: BackendKind) {
    let mut sim = Simulation::with_backend(b, 1);
    let g = sim
        .neuron_group(2, "dv/dt = (I-v)/tau : 1\nI : 1\ntau : second")
        .threshold("v>1")
        .reset("v = 0")
        .method("exact")
        .build()
        .expect("group");
    sim.set_values(g, "I", &[2.0, 0.0]).expect("I");
    sim.set_values(g, "tau", &[10e-3, 100e-3]).expect("tau");
    let s = sim.synapses(g, g, "", "v_post += 0.2").expect("synapses");
    sim.connect(s, Some("i == 0 and j == 1"), 1.0)
        .expect("connect");
    assert_eq!(sim.synapse_count(s), 1);
    let m = sim.state_monitor(g, &["v"], &[0, 1]);
    sim.run(0.1).expect("run");
    let (t, v) = sim.trace(m, "v").expect("trace");
    let reference = support::reference("syn1_pair", "M.v.csv");
    assert_eq!(t.len(), reference.rows.len());
    for (r, row) in reference.rows.iter().enumerate() {
        assert!((t[r] - row[0]).abs() <= 1e-12);
        for c in 0..2 {
            let (x, y) = (v[[r, c]], row[c + 1]);
            assert!(
                (x - y).abs() <= 1e-12 + 1e-9 * y.abs(),
                "row {r} col {c}: {x} vs {y}"
            );
        }
    }
}

#[test]
fn syn1_pair_interp() {
    syn1_pair(BackendKind::Interp);
}

#[test]
fn syn1_pair_jit() {
    syn1_pair(BackendKind::Jit);
}

/// Huge finite values (whose sum would overflow): no false NaN stop, the run goes on; the
/// values are the exact solution `v0 * exp(-t/tau)` with `tau = 1e9 s`.
fn huge_finite_values_do_not_stop_the_run(b: BackendKind) {
    let mut sim = Simulation::with_backend(b, 1);
    let g = sim
        .neuron_group(4, "dv/dt = -v/(1e9*second) : 1")
        .method("exact")
        .build()
        .expect("group");
    sim.set_values(g, "v", &[1e308, 1.5e308, -1e308, 1.7e308])
        .expect("v");
    sim.run(0.001).expect("a run over finite values completes");
    let v = sim.values(g, "v").expect("v");
    // 10 steps of the factor exp(-1e-4/1e9): a relative change of 1e-12.
    for (x, x0) in v.iter().zip([1e308, 1.5e308, -1e308, 1.7e308]) {
        assert!(
            x.is_finite() && ((x - x0) / x0).abs() < 2e-12,
            "{x} vs {x0}"
        );
    }
}

#[test]
fn huge_finite_values_do_not_stop_the_run_interp() {
    huge_finite_values_do_not_stop_the_run(BackendKind::Interp);
}

#[test]
fn huge_finite_values_do_not_stop_the_run_jit() {
    huge_finite_values_do_not_stop_the_run(BackendKind::Jit);
}

/// A time step must be positive and finite (the refractoriness test relies on it, and Brian2
/// refuses any other); a bad one is an error, not a panic or a silent NaN.
#[test]
fn set_dt_refuses_steps_that_are_not_positive_and_finite() {
    let mut sim = Simulation::new();
    for bad in [0.0, -1e-4, f64::NAN, f64::INFINITY] {
        let err = sim.set_dt(bad).expect_err("bad dt accepted");
        assert!(
            err.to_string()
                .contains("dt must be a positive, finite time"),
            "{err}"
        );
    }
    sim.set_dt(1e-5).expect("a good dt");
}

/// `set_fast_math(true)`: a per-neuron `exp` is the fast one. A StateMonitor records the
/// subexpression `x = exp(v)` over 1000 values of `v`: libm's `exp` without fast math,
/// `backend::fastmath::exp` with it, bit for bit, on both backends (and the two differ for
/// some `v`, so the test can tell them apart).
#[test]
fn set_fast_math_uses_the_fast_exp() {
    let v0: Vec<f64> = (0..1000).map(|k| -5.0 + 0.0123 * k as f64).collect();
    let record = |fast: bool, b: BackendKind| {
        let mut sim = Simulation::with_backend(b, 1);
        sim.set_fast_math(fast);
        let g = sim
            .neuron_group(v0.len(), "x = exp(v) : 1\nv : 1")
            .build()
            .expect("group");
        sim.set_values(g, "v", &v0).expect("v");
        let all: Vec<usize> = (0..v0.len()).collect();
        let m = sim.state_monitor(g, &["x"], &all);
        sim.run(1e-4).expect("run");
        let (_, x) = sim.trace(m, "x").expect("trace");
        x.row(0).to_vec()
    };
    let libm: Vec<f64> = v0.iter().map(|v| v.exp()).collect();
    let fast: Vec<f64> = v0
        .iter()
        .map(|&v| snnc::backend::fastmath::exp(v))
        .collect();
    assert_ne!(libm, fast);
    for b in [BackendKind::Interp, BackendKind::Jit] {
        assert_eq!(record(false, b), libm, "{b:?} without fast math");
        assert_eq!(record(true, b), fast, "{b:?} with fast math");
    }
}

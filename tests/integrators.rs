//! Integration methods: order of convergence on equations with known solutions, and the exact
//! update formulas Brian2 generates (BRIAN2-SEMANTICS §4.3), on both backends.

#[macro_use]
mod support;

use snnc::api::Simulation;
use snnc::backend::BackendKind;

/// Integrates `model` (one variable `v`, v(0) = 0.5) for 10 ms at step `dt` with `method`, and
/// returns v(10 ms).
fn final_v(b: BackendKind, model: &str, method: &str, dt: f64) -> f64 {
    let mut sim = Simulation::with_backend(b, 1);
    sim.set_dt(dt).expect("dt");
    sim.constant("tau", 5e-3, "second").expect("constant");
    let g = sim
        .neuron_group(1, model)
        .method(method)
        .build()
        .expect("group");
    sim.set_values(g, "v", &[0.5]).expect("set");
    sim.run(10e-3).expect("run");
    sim.values(g, "v").expect("v")[0]
}

/// Logistic growth dv/dt = v(1-v)/tau has v(t) = 1/(1 + (1/v0 - 1) e^{-t/tau}); it is
/// nonlinear, so every explicit method shows its own order. Halving dt must divide the error by
/// about 2^order; we require the observed order (log2 of the error ratio, averaged over two
/// halvings) to be within 0.25 of the theoretical one.
fn order_of(b: BackendKind, method: &str) -> f64 {
    let model = "dv/dt = v*(1-v)/tau : 1";
    let exact = 1.0 / (1.0 + (1.0 / 0.5 - 1.0) * (-10e-3f64 / 5e-3).exp());
    let errs: Vec<f64> = [1e-4, 5e-5, 2.5e-5]
        .iter()
        .map(|&dt| (final_v(b, model, method, dt) - exact).abs())
        .collect();
    ((errs[0] / errs[1]).log2() + (errs[1] / errs[2]).log2()) / 2.0
}

fn orders(b: BackendKind) {
    for (method, order) in [
        ("euler", 1.0),
        ("rk2", 2.0),
        ("rk4", 4.0),
        // Brian2's stochastic Heun uses a plain Euler step for the drift (explicit.py:
        // `x_new = x + dt*f(x,t) + .5*dW*(g(x,t)+g_support)`), so it is first order on a
        // deterministic equation.
        ("heun", 1.0),
        ("milstein", 1.0),
    ] {
        let got = order_of(b, method);
        assert!(
            (got - order).abs() < 0.25,
            "{method}: observed order {got}, expected {order}"
        );
    }
}

/// The exact method is exact for linear equations: dv/dt = (2 - v)/tau from 0.5 gives
/// 2 - 1.5 e^{-t/tau}, to rounding (1e-13 relative over 100 steps).
fn exact_is_exact(b: BackendKind) {
    let got = final_v(b, "dv/dt = (2-v)/tau : 1", "exact", 1e-4);
    let want = 2.0 - 1.5 * (-10e-3f64 / 5e-3).exp();
    assert!((got - want).abs() <= 1e-13 * want.abs(), "{got} vs {want}");
}

/// exponential_euler is exact when the equation is linear in its own variable with constant
/// coefficients, and first order otherwise (here: a coefficient depending on t).
fn exponential_euler(b: BackendKind) {
    let got = final_v(b, "dv/dt = (2-v)/tau : 1", "exponential_euler", 1e-4);
    let want = 2.0 - 1.5 * (-10e-3f64 / 5e-3).exp();
    assert!((got - want).abs() <= 1e-13 * want.abs(), "{got} vs {want}");
}

/// One step of each method on dv/dt = (I - v)/tau with v = 0.5, I = 2, tau = 5 ms, dt = 0.1 ms,
/// compared with Brian2's update formulas written out by hand (BRIAN2-SEMANTICS §4.3):
/// euler `v + dt*(I-v)/tau`; rk2 `v + dt*f(v + dt*f(v)/2)`; rk4 the classical weights; heun
/// without noise equals euler; exact `I + (v - I)*exp(-dt/tau)`.
fn brian2_formulas(b: BackendKind) {
    let (v, i, tau, dt) = (0.5f64, 2.0f64, 5e-3f64, 1e-4f64);
    let f = |x: f64| (i - x) / tau;
    let k1 = dt * f(v);
    let k2 = dt * f(v + k1 / 2.0);
    let k3 = dt * f(v + k2 / 2.0);
    let k4 = dt * f(v + k3);
    let expected = [
        ("euler", v + dt * f(v)),
        ("rk2", v + dt * f(v + dt * f(v) / 2.0)),
        ("rk4", v + k1 / 6.0 + k2 / 3.0 + k3 / 3.0 + k4 / 6.0),
        ("heun", v + dt * f(v)),
        ("exact", i + (v - i) * (-dt / tau).exp()),
    ];
    for (method, want) in expected {
        let mut sim = Simulation::with_backend(b, 1);
        sim.constant("tau", tau, "second").expect("constant");
        sim.constant("I", i, "1").expect("constant");
        let g = sim
            .neuron_group(1, "dv/dt = (I-v)/tau : 1")
            .method(method)
            .build()
            .expect("group");
        sim.set_values(g, "v", &[v]).expect("set");
        sim.run(dt).expect("run");
        let got = sim.values(g, "v").expect("v")[0];
        // Same formula, possibly associated differently: a few ulp.
        assert!(
            (got - want).abs() <= 1e-14 * want.abs(),
            "{method}: {got} vs {want}"
        );
    }
}

/// Multiplicative noise is refused by euler, as by Brian2, and accepted by heun and milstein.
fn noise_rules(b: BackendKind) {
    let model = "dv/dt = -v/tau + v*xi*tau**-0.5 : 1";
    let mut sim = Simulation::with_backend(b, 1);
    sim.constant("tau", 5e-3, "second").expect("constant");
    sim.neuron_group(1, model)
        .method("euler")
        .build()
        .expect("group");
    let err = sim
        .run(1e-3)
        .expect_err("euler cannot integrate multiplicative noise");
    assert!(err.to_string().contains("multiplicative"), "{err}");
    for m in ["heun", "milstein"] {
        let mut sim = Simulation::with_backend(b, 1);
        sim.constant("tau", 5e-3, "second").expect("constant");
        sim.neuron_group(1, model).method(m).build().expect("group");
        sim.run(1e-3).expect(m);
    }
}

/// Without `method`, Brian2 picks exact for linear equations, euler for additive noise or
/// nonlinear ones, heun for multiplicative noise, and says so.
fn default_choice(b: BackendKind) {
    for (model, method) in [
        ("dv/dt = -v/tau : 1", "exact"),
        ("dv/dt = -v**2/tau : 1", "euler"),
        ("dv/dt = -v/tau + xi*tau**-0.5 : 1", "euler"),
        ("dv/dt = -v/tau + v*xi*tau**-0.5 : 1", "heun"),
    ] {
        let mut sim = Simulation::with_backend(b, 1);
        sim.constant("tau", 5e-3, "second").expect("constant");
        sim.neuron_group(1, model).build().expect("group");
        sim.run(1e-4).expect("run");
        assert_chose(&sim, model, method);
    }
}

/// Asserts that the run's notes say the group was integrated with `method`.
fn assert_chose(sim: &Simulation, model: &str, method: &str) {
    let notes: Vec<String> = sim
        .network()
        .notes
        .iter()
        .map(|n| n.message.clone())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains(&format!("using method '{method}'"))),
        "{model}: {notes:?}"
    );
}

/// A coupled linear system with a per-neuron time constant, without `method`: Brian2 2.9.0
/// picks exact for a current feeding the membrane (sympy's `exp(M dt)`) and euler for the
/// cycle `v <-> w` below (checked with its numpy target); snnc makes the same choices.
fn default_choice_per_neuron_coupled(b: BackendKind) {
    for (model, method) in [
        (
            "dv/dt = (I - v)/tau : 1\ndI/dt = -I/tau_s : 1\ntau_s : second",
            "exact",
        ),
        (
            "dv/dt = (w - v)/tau : 1\ndw/dt = (v - w)/tau_s : 1\ntau_s : second",
            "euler",
        ),
    ] {
        let mut sim = Simulation::with_backend(b, 1);
        sim.constant("tau", 5e-3, "second").expect("constant");
        let g = sim.neuron_group(2, model).build().expect("group");
        sim.set_values(g, "tau_s", &[2e-3, 3e-3]).expect("set");
        sim.run(1e-4).expect("run");
        assert_chose(&sim, model, method);
    }
}

per_backend!(
    orders,
    exact_is_exact,
    exponential_euler,
    brian2_formulas,
    noise_rules,
    default_choice,
    default_choice_per_neuron_coupled
);

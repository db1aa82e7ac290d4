//! Hand-built kernels shared by the benchmarks: the shapes lowering produces for a LIF neuron
//! (exact), a noisy LIF neuron (Euler–Maruyama) and the COBAHH Hodgkin–Huxley neuron
//! (exponential Euler, no synapses), with their column layouts and scalar values. Sums with a
//! product are fused into multiply-adds as lowering fuses them (`lower::build::contract`).
#![allow(dead_code)]

use snnc::lower::ir::{BinOp, ColumnDecl, Domain, Expr, Func, Index, Kernel, Stmt, UnOp};

/// `a op b`.
pub fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op,
        lhs: Box::new(a),
        rhs: Box::new(b),
    }
}

fn add(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Add, a, b)
}
fn sub(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Sub, a, b)
}
fn mul(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Mul, a, b)
}
fn div(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Div, a, b)
}
fn c(x: f64) -> Expr {
    Expr::Const(x)
}
fn call(func: Func, arg: Expr) -> Expr {
    Expr::Call {
        func,
        args: vec![arg],
    }
}
fn neg(a: Expr) -> Expr {
    Expr::Unary {
        op: UnOp::Neg,
        arg: Box::new(a),
    }
}
fn col(k: u32) -> Expr {
    Expr::Load {
        col: k,
        index: Index::Elem,
    }
}
fn decl(name: &str) -> ColumnDecl {
    ColumnDecl {
        name: name.into(),
        written: true,
    }
}

/// `k` with every statement's sums of products fused, as lowering writes model code.
fn fused(mut k: Kernel) -> Kernel {
    let f = |e: &mut Expr| *e = snnc::lower::build::contract(e.clone());
    for s in k.prologue.iter_mut().chain(k.body.iter_mut()) {
        match s {
            Stmt::Let { value, .. } | Stmt::Store { value, .. } => f(value),
            Stmt::EmitSpike { cond } => f(cond),
        }
    }
    k
}

/// A benchmark kernel and the state it runs on.
pub struct Model {
    /// The IR.
    pub kernel: Kernel,
    /// Initial values of each column for neuron `i`.
    pub init: fn(usize, usize) -> f64,
}

/// LIF, exact or noisy (`tau` 10 ms, `El` -70 mV, threshold -50 mV, `sigma` 2 mV). Scalars:
/// s0 `dt`; the constants are literals, as after constant folding.
pub fn lif(noisy: bool) -> Model {
    let (dt, tau, el, vt, sigma) = (Expr::Scalar(0), c(0.01), c(-0.07), c(-0.05), c(0.002));
    let (prologue, update) = if noisy {
        // %0 = dt / tau, %1 = sigma * sqrt(2 / tau) * sqrt(dt);
        // v += (El - v) * %0 + %1 * randn
        (
            vec![
                Stmt::Let {
                    temp: 0,
                    value: div(dt.clone(), tau.clone()),
                },
                Stmt::Let {
                    temp: 1,
                    value: mul(
                        mul(sigma, call(Func::Sqrt, div(c(2.0), tau))),
                        call(Func::Sqrt, dt),
                    ),
                },
            ],
            add(
                add(col(0), mul(sub(el, col(0)), Expr::Temp(0))),
                mul(Expr::Temp(1), Expr::Randn { site: 0 }),
            ),
        )
    } else {
        // %0 = exp(-dt / tau); v = El + (v - El) * %0
        (
            vec![Stmt::Let {
                temp: 0,
                value: call(Func::Exp, div(neg(dt), tau)),
            }],
            add(el.clone(), mul(sub(col(0), el), Expr::Temp(0))),
        )
    };
    Model {
        kernel: fused(Kernel {
            name: if noisy { "noisy_lif" } else { "lif_exact" }.into(),
            columns: vec![decl("g.v")],
            scalars: vec!["dt".into()],
            domain: Domain::Range,
            n_temps: prologue.len() as u32,
            prologue,
            body: vec![
                Stmt::Store {
                    col: 0,
                    index: Index::Elem,
                    value: update,
                },
                Stmt::EmitSpike {
                    cond: bin(BinOp::Gt, col(0), vt),
                },
            ],
            rng_object: 1,
        }),
        // Spread over -75..-50 mV so that a few neurons cross the threshold.
        init: |_, i| -0.075 + 0.025 * (i % 97) as f64 / 96.0,
    }
}

/// The COBAHH neuron (Brette et al. 2007, benchmark 3) integrated with exponential Euler, as
/// Brian2 (and snnc's lowering) writes it: each gating variable `x` relaxes to
/// `alpha/(alpha+beta)` with factor `exp(-dt*(alpha+beta))`, `v` to `-B/A` with factor
/// `exp(A*dt)`, conductances decay with prologue factors; threshold `v > -20 mV`.
///
/// Columns: c0 v, c1 m, c2 n, c3 h, c4 ge, c5 gi. Scalars: s0 dt. Values in SI units.
pub fn cobahh() -> Model {
    let (v, m, n, h, ge, gi) = (col(0), col(1), col(2), col(3), col(4), col(5));
    let area = 20000e-12;
    let cm = 1e-2 * area;
    let gl = 5e-5 * 1e4 * area;
    let (el, ek, ena) = (-60e-3, -90e-3, 50e-3);
    let g_na = 100e-3 * 1e4 * area;
    let g_kd = 30e-3 * 1e4 * area;
    let vt = -63e-3;
    let (ee, ei) = (0.0, -80e-3);
    let (taue, taui) = (5e-3, 10e-3);
    let dt = Expr::Scalar(0);
    let t = Expr::Temp;
    // Prologue: %0 = exp(-dt/taue), %1 = exp(-dt/taui).
    let prologue = vec![
        Stmt::Let {
            temp: 0,
            value: call(Func::Exp, div(neg(dt.clone()), c(taue))),
        },
        Stmt::Let {
            temp: 1,
            value: call(Func::Exp, div(neg(dt.clone()), c(taui))),
        },
    ];
    // Rates (1/s), as functions of v.
    let alpha_m = div(
        c(0.32e3 * 4.0),
        call(
            Func::Exprel,
            div(add(sub(c(13e-3), v.clone()), c(vt)), c(4e-3)),
        ),
    );
    let beta_m = div(
        c(0.28e3 * 5.0),
        call(
            Func::Exprel,
            div(sub(sub(v.clone(), c(vt)), c(40e-3)), c(5e-3)),
        ),
    );
    let alpha_h = mul(
        c(128.0),
        call(
            Func::Exp,
            div(add(sub(c(17e-3), v.clone()), c(vt)), c(18e-3)),
        ),
    );
    let beta_h = div(
        c(4e3),
        add(
            c(1.0),
            call(
                Func::Exp,
                div(add(sub(c(40e-3), v.clone()), c(vt)), c(5e-3)),
            ),
        ),
    );
    let alpha_n = div(
        c(0.032e3 * 5.0),
        call(
            Func::Exprel,
            div(add(sub(c(15e-3), v.clone()), c(vt)), c(5e-3)),
        ),
    );
    let beta_n = mul(
        c(500.0),
        call(
            Func::Exp,
            div(add(sub(c(10e-3), v.clone()), c(vt)), c(40e-3)),
        ),
    );
    let mut body = Vec::new();
    let mut temp = 2;
    let mut let_ = |body: &mut Vec<Stmt>, value: Expr| {
        body.push(Stmt::Let { temp, value });
        temp += 1;
        temp - 1
    };
    // Gating variables: x' = x_inf + (x - x_inf) * exp(-dt * (a + b)).
    let mut gate = |body: &mut Vec<Stmt>, x: Expr, a: Expr, b: Expr| {
        let ta = let_(body, a);
        let tb = let_(body, b);
        let s = let_(body, add(t(ta), t(tb)));
        let inf = div(t(ta), t(s));
        let f = call(Func::Exp, mul(neg(dt.clone()), t(s)));
        let_(body, add(inf.clone(), mul(sub(x, inf), f)))
    };
    let m_new = gate(&mut body, m.clone(), alpha_m, beta_m);
    let n_new = gate(&mut body, n.clone(), alpha_n, beta_n);
    let h_new = gate(&mut body, h.clone(), alpha_h, beta_h);
    // v: A = -(gl + ge + gi + g_na m^3 h + g_kd n^4)/Cm, B = (...)/Cm; v' = -B/A + (v + B/A) e^{A dt}.
    let gna = mul(mul(mul(mul(c(g_na), m.clone()), m.clone()), m), h);
    let gkd = mul(mul(mul(mul(c(g_kd), n.clone()), n.clone()), n.clone()), n);
    let tna = let_(&mut body, gna);
    let tkd = let_(&mut body, gkd);
    let a = let_(
        &mut body,
        div(
            neg(add(
                add(add(add(c(gl), ge.clone()), gi.clone()), t(tna)),
                t(tkd),
            )),
            c(cm),
        ),
    );
    let b = let_(
        &mut body,
        div(
            add(
                add(
                    add(
                        add(c(gl * el), mul(ge.clone(), c(ee))),
                        mul(gi.clone(), c(ei)),
                    ),
                    mul(t(tna), c(ena)),
                ),
                mul(t(tkd), c(ek)),
            ),
            c(cm),
        ),
    );
    let ba = let_(&mut body, div(t(b), t(a)));
    let v_new = add(
        neg(t(ba)),
        mul(add(v, t(ba)), call(Func::Exp, mul(t(a), dt))),
    );
    body.push(Stmt::Store {
        col: 0,
        index: Index::Elem,
        value: v_new,
    });
    for (k, x) in [(1, m_new), (2, n_new), (3, h_new)] {
        body.push(Stmt::Store {
            col: k,
            index: Index::Elem,
            value: t(x),
        });
    }
    body.push(Stmt::Store {
        col: 4,
        index: Index::Elem,
        value: mul(ge, t(0)),
    });
    body.push(Stmt::Store {
        col: 5,
        index: Index::Elem,
        value: mul(gi, t(1)),
    });
    body.push(Stmt::EmitSpike {
        cond: bin(BinOp::Gt, col(0), c(-20e-3)),
    });
    Model {
        kernel: fused(Kernel {
            name: "cobahh".into(),
            columns: ["v", "m", "n", "h", "ge", "gi"]
                .iter()
                .map(|s| decl(&format!("P.{s}")))
                .collect(),
            scalars: vec!["dt".into()],
            domain: Domain::Range,
            prologue,
            body,
            n_temps: temp,
            rng_object: 2,
        }),
        init: |c, i| match c {
            0 => -0.065 + 0.01 * (i % 17) as f64 / 16.0,
            1 => 0.05,
            2 => 0.3,
            3 => 0.6,
            4 => 40e-9,
            _ => 200e-9,
        },
    }
}

/// [`cobahh`] with fast math (`--fast-math`): the same kernel after
/// `backend::fastmath::fast_kernel`, as `Network::bind` compiles it with the option on.
pub fn cobahh_fast_math() -> Model {
    let mut m = cobahh();
    snnc::backend::fastmath::fast_kernel(&mut m.kernel);
    m.kernel.name = "cobahh_fast_math".into();
    m
}

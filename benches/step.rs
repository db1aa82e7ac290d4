//! Per-step throughput: one kernel call over N neurons, interpreter vs JIT, with a memory-
//! bandwidth floor.
//!
//! Kernels are built by hand (the same shapes lowering produces): a LIF neuron with the exact
//! update and a threshold (`v = El + (v - El) * exp(-dt/tau)` with the factor in the prologue,
//! `spike if v > vt`), and a noisy LIF integrated with Euler–Maruyama using `randn`. The floor
//! is a plain Rust read-modify-write pass over the same `v` column, i.e. the fastest any kernel
//! touching those bytes could be. Throughput is reported per element, so criterion's
//! "elements/s" inverts to ns per neuron-step. Run with `cargo bench --bench step -- --quick`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use snnc::backend::interp::Interpreter;
use snnc::backend::jit::JitBackend;
use snnc::backend::{Backend, CompiledKernel, KernelData};
use snnc::lower::ir::{BinOp, ColumnDecl, Domain, Expr, Func, Index, Kernel, Stmt, UnOp};
use std::hint::black_box;

const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op,
        lhs: Box::new(a),
        rhs: Box::new(b),
    }
}

fn v() -> Expr {
    Expr::Load {
        col: 0,
        index: Index::Elem,
    }
}

/// Scalars: s0 dt, s1 tau, s2 El, s3 vt, s4 sigma.
fn lif_kernel(noisy: bool) -> Kernel {
    let (dt, tau, el, vt, sigma) = (
        Expr::Scalar(0),
        Expr::Scalar(1),
        Expr::Scalar(2),
        Expr::Scalar(3),
        Expr::Scalar(4),
    );
    let (prologue, update) = if noisy {
        // %0 = dt / tau, %1 = sigma * sqrt(2 / tau) * sqrt(dt);
        // v += (El - v) * %0 + %1 * randn
        (
            vec![
                Stmt::Let {
                    temp: 0,
                    value: bin(BinOp::Div, dt.clone(), tau.clone()),
                },
                Stmt::Let {
                    temp: 1,
                    value: bin(
                        BinOp::Mul,
                        bin(
                            BinOp::Mul,
                            sigma,
                            Expr::Call {
                                func: Func::Sqrt,
                                args: vec![bin(BinOp::Div, Expr::Const(2.0), tau)],
                            },
                        ),
                        Expr::Call {
                            func: Func::Sqrt,
                            args: vec![dt],
                        },
                    ),
                },
            ],
            bin(
                BinOp::Add,
                bin(
                    BinOp::Add,
                    v(),
                    bin(BinOp::Mul, bin(BinOp::Sub, el, v()), Expr::Temp(0)),
                ),
                bin(BinOp::Mul, Expr::Temp(1), Expr::Randn { site: 0 }),
            ),
        )
    } else {
        // %0 = exp(-dt / tau); v = El + (v - El) * %0
        (
            vec![Stmt::Let {
                temp: 0,
                value: Expr::Call {
                    func: Func::Exp,
                    args: vec![bin(
                        BinOp::Div,
                        Expr::Unary {
                            op: UnOp::Neg,
                            arg: Box::new(dt),
                        },
                        tau,
                    )],
                },
            }],
            bin(
                BinOp::Add,
                el.clone(),
                bin(BinOp::Mul, bin(BinOp::Sub, v(), el), Expr::Temp(0)),
            ),
        )
    };
    Kernel {
        name: if noisy { "noisy_lif" } else { "lif_exact" }.into(),
        columns: vec![ColumnDecl {
            name: "g.v".into(),
            written: true,
        }],
        scalars: ["dt", "tau", "El", "vt", "sigma"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
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
                cond: bin(BinOp::Gt, v(), vt),
            },
        ],
        rng_object: 1,
    }
}

/// One kernel call over all of `v`.
fn step(kernel: &dyn CompiledKernel, v: &mut [f64], spikes: &mut Vec<u32>, step: u64) {
    spikes.clear();
    let n = v.len();
    let scalars = [1e-4, 0.01, -0.07, -0.05, 0.002];
    let mut data = KernelData {
        columns: vec![v],
        scalars: &scalars,
        pre: &[],
        post: &[],
        list: &[],
        start: 0,
        end: n,
        base: 0,
        step,
        seed: 1,
        spikes,
    };
    kernel.run(&mut data);
}

fn bench_kernel(c: &mut Criterion, noisy: bool) {
    let kernel = lif_kernel(noisy);
    let mut group = c.benchmark_group(kernel.name.clone());
    for n in SIZES {
        group.throughput(Throughput::Elements(n as u64));
        // Fewer samples for the big sizes keep `--quick` runs short.
        group.sample_size(if n >= 1_000_000 { 10 } else { 30 });
        let backends: [(&str, Box<dyn Backend>); 2] = [
            ("interp", Box::new(Interpreter::new())),
            ("jit", Box::new(JitBackend::new().expect("host supported"))),
        ];
        for (name, mut backend) in backends {
            let compiled = backend.compile(&kernel).expect("kernel compiles");
            // Spread over -75..-50 mV so that a few neurons cross the threshold.
            let mut v: Vec<f64> = (0..n)
                .map(|i| -0.075 + 0.025 * (i % 97) as f64 / 96.0)
                .collect();
            let mut spikes = Vec::with_capacity(n);
            let mut t = 0;
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter(|| {
                    t += 1;
                    step(compiled.as_ref(), &mut v, &mut spikes, t);
                    black_box(spikes.len())
                })
            });
        }
        let mut v = vec![-0.06; n];
        group.bench_with_input(BenchmarkId::new("bandwidth_floor", n), &n, |b, _| {
            b.iter(|| {
                let (a, k) = black_box((0.99, -0.0007));
                for x in v.iter_mut() {
                    *x = *x * a + k;
                }
                black_box(v[0])
            })
        });
    }
    group.finish();
}

fn lif_exact(c: &mut Criterion) {
    bench_kernel(c, false);
}

fn noisy_lif(c: &mut Criterion) {
    bench_kernel(c, true);
}

// The macro generates an undocumented public function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, lif_exact, noisy_lif);
}
use group::benches;
criterion_main!(benches);

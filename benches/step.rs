//! Per-step throughput: one step-kernel call over N neurons, interpreter vs JIT (1 and 2
//! threads), with a memory-bandwidth floor measured in the same run.
//!
//! Kernels are built by hand in `common` (the shapes lowering produces): LIF with the exact
//! update, noisy LIF with Euler–Maruyama and `randn`, and the COBAHH Hodgkin–Huxley neuron with
//! exponential Euler. JIT runs go through `runtime::parallel::run_range`, the function the
//! network's step loop calls, with 1 or 2 threads (groups too small for their kernel's cost
//! are not split, so both numbers are the single-thread time there); with 2 threads the calls
//! are made from one of the pool's threads, as the network's step loop makes them. The floor is a plain Rust
//! read-modify-write pass over the same columns, i.e. the fastest any kernel touching those
//! bytes could be. Throughput is per element, so criterion's "elements/s" inverts to ns per
//! neuron-step. Run with `cargo bench --bench step`; `tools/bench/step_table.py` turns the
//! results into the table in BENCHMARKS.md.

mod common;

use common::Model;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndarray::Array1;
use snnc::backend::interp::Interpreter;
use snnc::backend::jit::JitBackend;
use snnc::backend::Backend;
use snnc::runtime::kernels::{Bound, ScalarEnv};
use snnc::runtime::parallel::{run_range, Workers};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

/// The kernel bound to columns `0..k` (its only scalar is `dt`).
fn bind(model: &Model, backend: &mut dyn Backend) -> Bound {
    let ir = model.kernel.clone();
    let kernel = backend.compile(&ir).expect("kernel compiles");
    Bound::new(kernel, (0..ir.columns.len()).collect(), ir)
}

fn columns(model: &Model, n: usize) -> Vec<Array1<f64>> {
    (0..model.kernel.columns.len())
        .map(|c| Array1::from_iter((0..n).map(|i| (model.init)(c, i))))
        .collect()
}

fn bench_model(c: &mut Criterion, model: Model) {
    let mut group = c.benchmark_group(model.kernel.name.clone());
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in SIZES {
        group.throughput(Throughput::Elements(n as u64));
        let runs: [(&str, Box<dyn Backend>, usize); 3] = [
            ("interp", Box::new(Interpreter::new()), 1),
            (
                "jit",
                Box::new(JitBackend::new().expect("host supported")),
                1,
            ),
            (
                "jit_2threads",
                Box::new(JitBackend::new().expect("host supported")),
                2,
            ),
        ];
        for (name, mut backend, threads) in runs {
            let bound = bind(&model, backend.as_mut());
            let mut cols = columns(&model, n);
            let mut spikes = Vec::with_capacity(n);
            let mut workers = Workers::new();
            let mut step = 0;
            // As in `Network::run`, a split kernel is called from one of the pool's threads.
            let pool = (threads > 1).then(|| workers.pool(threads)).flatten();
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                let mut measure = || {
                    b.iter(|| {
                        step += 1;
                        spikes.clear();
                        let env = ScalarEnv {
                            dt: 1e-4,
                            n: n as f64,
                            step,
                            ..ScalarEnv::default()
                        };
                        run_range(
                            &mut workers,
                            threads,
                            &bound,
                            &mut cols,
                            &env,
                            1,
                            n,
                            &mut spikes,
                        );
                        black_box(spikes.len())
                    })
                };
                match &pool {
                    Some(pool) => pool.install(measure),
                    None => measure(),
                }
            });
        }
        let mut cols: Vec<Vec<f64>> = columns(&model, n).into_iter().map(|c| c.to_vec()).collect();
        group.bench_with_input(BenchmarkId::new("bandwidth_floor", n), &n, |b, _| {
            b.iter(|| {
                let (a, k) = black_box((0.99, -0.0007));
                for col in cols.iter_mut() {
                    for x in col.iter_mut() {
                        *x = *x * a + k;
                    }
                }
                black_box(cols[0][0])
            })
        });
    }
    group.finish();
}

fn lif_exact(c: &mut Criterion) {
    bench_model(c, common::lif(false));
}

fn noisy_lif(c: &mut Criterion) {
    bench_model(c, common::lif(true));
}

fn cobahh(c: &mut Criterion) {
    bench_model(c, common::cobahh());
}

fn cobahh_fast_math(c: &mut Criterion) {
    bench_model(c, common::cobahh_fast_math());
}

// The macro generates an undocumented public function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, lif_exact, noisy_lif, cobahh, cobahh_fast_math);
}
use group::benches;
criterion_main!(benches);

//! Compile time: the front end (parse, check, integrate, lower) per model file, the same with
//! the JIT compiling every kernel, and the JIT alone on single group kernels.
//!
//! `frontend/interp/<model>` runs the script with `dry_run` on the interpreter backend (whose
//! "compile" only validates the IR): parsing, network construction, checking, integration and
//! lowering of every object, plus initialisation code. `frontend/jit/<model>` is the same with
//! the JIT, so the difference is Cranelift's time for all of the model's kernels. Networks are
//! scaled down (`N = 100`) so that building synapses does not dominate. `jit_kernel/<kernel>`
//! compiles one neuron group's fused step kernel (the hand-built kernels of `common`, shaped as
//! lowering produces them) with a reused `JitBackend`: the compile time per group.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use snnc::backend::interp::Interpreter;
use snnc::backend::jit::JitBackend;
use snnc::backend::{Backend, BackendKind};
use snnc::script::{run_script, ScriptOptions};
use snnc::source::SourceFile;
use std::hint::black_box;
use std::time::Duration;

const MODELS: [&str; 8] = [
    "seed1_decay",
    "seed2_threshold",
    "seed3_refractory",
    "seed4_random_init",
    "seed5_noise",
    "seed6_adaptive",
    "cuba",
    "cobahh",
];

fn source(stem: &str) -> SourceFile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{stem}.eq"));
    let text = std::fs::read_to_string(&path).expect("example exists");
    SourceFile::new(path.display().to_string(), text)
}

fn frontend(c: &mut Criterion) {
    let mut group = c.benchmark_group("frontend");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for stem in MODELS {
        let file = source(stem);
        let scaled = file.text.lines().any(|l| l.starts_with("N = "));
        for backend in [BackendKind::Interp, BackendKind::Jit] {
            let opts = ScriptOptions {
                seed: Some(1),
                overrides: if scaled {
                    vec![("N".into(), "100".into())]
                } else {
                    Vec::new()
                },
                backend,
                dry_run: true,
                threads: 1,
                max_memory: None,
                interrupt: None,
                fast_math: false,
            };
            group.bench_with_input(BenchmarkId::new(backend.name(), stem), &opts, |b, o| {
                b.iter(|| black_box(run_script(&file, o).ok().map(|x| x.network.step)))
            });
        }
    }
    group.finish();
}

fn jit_kernel(c: &mut Criterion) {
    let mut group = c.benchmark_group("jit_kernel");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    let mut jit = JitBackend::new().expect("host supported");
    let mut interp = Interpreter::new();
    for model in [common::lif(false), common::lif(true), common::cobahh()] {
        let k = &model.kernel;
        group.bench_with_input(BenchmarkId::new("jit", &k.name), k, |b, k| {
            b.iter(|| black_box(jit.compile(k).is_ok()))
        });
        group.bench_with_input(BenchmarkId::new("interp_validate", &k.name), k, |b, k| {
            b.iter(|| black_box(interp.compile(k).is_ok()))
        });
    }
    group.finish();
}

// The macro generates an undocumented public function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, frontend, jit_kernel);
}
use group::benches;
criterion_main!(benches);

//! Threads: splitting a group's step kernel by neuron range gives bit-identical results, spike
//! order included, for any thread count and on both backends.
//!
//! Two levels: whole example scripts large enough to be split (monitor files must be
//! byte-identical), and hand-built kernels run through `parallel::run_range_with` with tiny
//! chunks (columns and spike lists must be identical), plus the rules that decide whether a
//! kernel may be split at all.

use snnc::backend::interp::Interpreter;
use snnc::backend::jit::JitBackend;
use snnc::backend::{Backend, BackendKind};
use snnc::lower::ir::{BinOp, ColumnDecl, Domain, Expr, Func, Index, Kernel, Stmt};
use snnc::output::monitor_files;
use snnc::runtime::kernels::{Bound, ScalarEnv};
use snnc::runtime::parallel::{
    chunks, pieces, run_range_with, splittable, Workers, MIN_PER_THREAD,
};
use snnc::script::{run_script, ScriptOptions};
use snnc::source::SourceFile;
use std::path::PathBuf;

/// Runs `examples/<stem>.eq` and returns (file name, contents) of every monitor file.
fn run(
    stem: &str,
    backend: BackendKind,
    threads: usize,
    set: &[(&str, &str)],
) -> Vec<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{stem}.eq"));
    let file = SourceFile::new(
        path.display().to_string(),
        std::fs::read_to_string(&path).expect("example exists"),
    );
    let opts = ScriptOptions {
        seed: Some(7),
        overrides: set
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        backend,
        dry_run: false,
        threads,
        max_memory: None,
        interrupt: None,
        fast_math: false,
    };
    let out = run_script(&file, &opts).unwrap_or_else(|e| {
        panic!(
            "{stem} failed:\n{}",
            snnc::diagnostics::render_all(&e.diagnostics, &file)
        )
    });
    monitor_files(&out.network.monitors)
        .into_iter()
        .map(|f| (f.name, f.contents))
        .collect()
}

/// Every (backend, threads) combination gives the same files as JIT with one thread.
fn assert_identical_across_threads(stem: &str, set: &[(&str, &str)], min_spikes: usize) {
    let reference = run(stem, BackendKind::Jit, 1, set);
    let spikes: usize = reference
        .iter()
        .filter(|(name, _)| name.ends_with("spikes.csv"))
        .map(|(_, c)| c.lines().count().saturating_sub(1))
        .sum();
    assert!(
        spikes >= min_spikes,
        "{stem}: only {spikes} spikes, the comparison would be weak"
    );
    for backend in [BackendKind::Jit, BackendKind::Interp] {
        for threads in [1, 2, 3] {
            if backend == BackendKind::Jit && threads == 1 {
                continue;
            }
            let got = run(stem, backend, threads, set);
            assert_eq!(got.len(), reference.len(), "{stem}: number of files");
            for ((n1, c1), (n2, c2)) in reference.iter().zip(&got) {
                assert_eq!(n1, n2, "{stem}: file names");
                assert!(
                    c1 == c2,
                    "{stem}: {n1} differs with {} and {threads} thread(s)",
                    backend.name()
                );
            }
        }
    }
}

#[test]
fn noisy_lif_is_identical_for_any_thread_count() {
    // 50000 neurons: 3 chunks of at least MIN_PER_THREAD each with 3 threads, 2 with 2.
    const { assert!(50_000 / MIN_PER_THREAD >= 3) };
    assert_identical_across_threads(
        "seed5_noise",
        &[("N", "50000"), ("duration", "20*ms")],
        1000,
    );
}

#[test]
fn hodgkin_huxley_network_is_identical_for_any_thread_count() {
    // Refractoriness, exponential Euler, synaptic input written by other kernels, and a
    // StateMonitor whose recorded neuron lies in the last chunk.
    assert_identical_across_threads(
        "cobahh",
        &[("N", "33000"), ("p", "0.0001"), ("duration", "5*ms")],
        1,
    );
}

#[test]
fn chunks_cover_the_range_in_order() {
    assert_eq!(chunks(100, 4, MIN_PER_THREAD), vec![(0, 100)]);
    assert_eq!(chunks(100, 1, 1), vec![(0, 100)]);
    for (n, threads, min) in [
        (1000, 3, 10),
        (1001, 4, 1),
        (17, 8, 2),
        (50_000, 3, MIN_PER_THREAD),
    ] {
        let c = chunks(n, threads, min);
        assert!(c.len() <= threads && !c.is_empty());
        assert_partition(&c, n);
    }
    assert_eq!(chunks(50_000, 3, MIN_PER_THREAD).len(), 3);
}

/// `ranges` cover `0..n` in order, contiguous, with inner boundaries on cache lines.
fn assert_partition(ranges: &[(usize, usize)], n: usize) {
    assert_eq!(ranges[0].0, 0, "{ranges:?}");
    assert_eq!(ranges.last().map(|x| x.1), Some(n), "{ranges:?}");
    for w in ranges.windows(2) {
        assert_eq!(w[0].1, w[1].0, "contiguous: {ranges:?}");
        assert_eq!(w[0].1 % 8, 0, "boundaries on cache lines: {ranges:?}");
    }
}

#[test]
fn pieces_cut_split_chunks_finer_and_leave_the_rest_whole() {
    // Not split by `chunks`: one piece, however many threads.
    assert_eq!(pieces(100, 4, MIN_PER_THREAD), vec![(0, 100)]);
    assert_eq!(pieces(1000, 1, 10), vec![(0, 1000)]);
    for (n, threads, min) in [
        (32_000, 2, 6553),
        (1000, 3, 10),
        (50_000, 3, MIN_PER_THREAD),
    ] {
        let c = chunks(n, threads, min);
        let p = pieces(n, threads, min);
        assert!(c.len() > 1);
        // Finer than the chunks, at most four per thread, none below a quarter of `min`.
        assert!(p.len() >= c.len() && p.len() <= 4 * threads, "{p:?}");
        assert!(p.iter().all(|(a, z)| z - a >= min / 4 || *z == n), "{p:?}");
        assert_partition(&p, n);
    }
    assert_eq!(pieces(32_000, 2, 6553).len(), 8);
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op,
        lhs: Box::new(a),
        rhs: Box::new(b),
    }
}

fn load(col: u32, index: Index) -> Expr {
    Expr::Load { col, index }
}

/// c0 `v` (Elem, written), c1 `gain` (Shared, read only), c2 `w` (Elem, read only), c3 unused.
/// `v = v * gain + w * randn + 1e-3 * i`; spike when `v > 0.5`, then `v = 0`.
fn test_kernel() -> Kernel {
    let col = |name: &str, written| ColumnDecl {
        name: name.into(),
        written,
    };
    Kernel {
        name: "g.step".into(),
        columns: vec![
            col("g.v", true),
            col("g.gain", false),
            col("g.w", false),
            col("g.unused", false),
        ],
        scalars: vec!["dt".into()],
        domain: Domain::Range,
        prologue: vec![],
        body: vec![
            Stmt::Store {
                col: 0,
                index: Index::Elem,
                value: bin(
                    BinOp::Add,
                    bin(
                        BinOp::Add,
                        bin(BinOp::Mul, load(0, Index::Elem), load(1, Index::Shared)),
                        bin(BinOp::Mul, load(2, Index::Elem), Expr::Randn { site: 0 }),
                    ),
                    bin(
                        BinOp::Mul,
                        Expr::Const(1e-3),
                        Expr::Call {
                            func: Func::Sin,
                            args: vec![Expr::ElemIndex(Index::Elem)],
                        },
                    ),
                ),
            },
            Stmt::Let {
                temp: 0,
                value: bin(BinOp::Gt, load(0, Index::Elem), Expr::Const(0.5)),
            },
            Stmt::EmitSpike {
                cond: Expr::Temp(0),
            },
            Stmt::Store {
                col: 0,
                index: Index::Elem,
                value: Expr::Select {
                    cond: Box::new(Expr::Temp(0)),
                    then: Box::new(Expr::Const(0.0)),
                    otherwise: Box::new(load(0, Index::Elem)),
                },
            },
        ],
        n_temps: 1,
        rng_object: 3,
    }
}

/// Runs `steps` steps of `kernel` over `n` elements; returns the final `v` and all spikes.
fn simulate(
    backend: &mut dyn Backend,
    threads: usize,
    min: usize,
    n: usize,
) -> (Vec<f64>, Vec<Vec<u32>>) {
    let ir = test_kernel();
    let kernel = backend.compile(&ir).expect("compiles");
    let bound = Bound::new(kernel, vec![0, 1, 2, 3], ir);
    let mut cols = vec![
        ndarray::Array1::from_iter((0..n).map(|i| (i % 13) as f64 * 0.03)),
        ndarray::Array1::from_elem(1, 0.97),
        ndarray::Array1::from_iter((0..n).map(|i| 0.05 + (i % 7) as f64 * 0.01)),
        ndarray::Array1::from_elem(1, 0.0),
    ];
    let mut workers = Workers::new();
    let mut all = Vec::new();
    for step in 0..20 {
        let env = ScalarEnv {
            dt: 1e-4,
            n: n as f64,
            step,
            ..ScalarEnv::default()
        };
        let mut spikes = Vec::new();
        run_range_with(
            &mut workers,
            threads,
            min,
            &bound,
            &mut cols,
            &env,
            11,
            n,
            &mut spikes,
        );
        all.push(spikes);
    }
    (cols[0].to_vec(), all)
}

#[test]
fn split_kernel_matches_single_call_on_both_backends() {
    let n = 1003;
    let (v1, s1) = simulate(&mut Interpreter::new(), 1, 1, n);
    assert!(
        s1.iter().map(Vec::len).sum::<usize>() > 50,
        "too few spikes"
    );
    for s in &s1 {
        assert!(s.windows(2).all(|w| w[0] < w[1]), "spikes ascending");
    }
    for threads in [1, 2, 3, 5] {
        for min in [1, 16, 400] {
            let backends: [Box<dyn Backend>; 2] = [
                Box::new(Interpreter::new()),
                Box::new(JitBackend::new().expect("host supported")),
            ];
            for mut b in backends {
                let (v, s) = simulate(b.as_mut(), threads, min, n);
                let same = v.iter().zip(&v1).all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(
                    same,
                    "{:?}, {threads} threads, min {min}: state differs",
                    b.kind()
                );
                assert_eq!(
                    s,
                    s1,
                    "{:?}, {threads} threads, min {min}: spikes differ",
                    b.kind()
                );
            }
        }
    }
}

#[test]
fn kernels_that_couple_elements_are_not_split() {
    assert!(splittable(&test_kernel()));
    // Writing a shared cell: every element writes the same cell.
    let mut k = test_kernel();
    k.body.push(Stmt::Store {
        col: 1,
        index: Index::Shared,
        value: Expr::Const(1.0),
    });
    k.columns[1].written = true;
    assert!(!splittable(&k));
    // Reading through `Shared` a column that is written through `Elem`.
    let mut k = test_kernel();
    k.body.push(Stmt::Let {
        temp: 0,
        value: load(0, Index::Shared),
    });
    assert!(!splittable(&k));
    // Pre/post indexing (synapses).
    let mut k = test_kernel();
    k.body.push(Stmt::Let {
        temp: 0,
        value: Expr::ElemIndex(Index::Post),
    });
    assert!(!splittable(&k));
    // Element lists.
    let mut k = test_kernel();
    k.domain = Domain::List;
    assert!(!splittable(&k));
}

/// `connect('i<Ne', p=p)` with enough expected pairs (3200 x 4000 x 0.05 = 640,000) to be
/// filled by the worker threads in row ranges: the synapse lists are identical, in the same
/// order, for 1, 2 and 3 threads (and so are the degree counts that follow from them).
#[test]
fn parallel_connect_makes_the_same_synapses() {
    let synapses = |threads: usize| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/cuba.eq");
        let file = SourceFile::new(
            path.display().to_string(),
            std::fs::read_to_string(&path).expect("example exists"),
        );
        let opts = ScriptOptions {
            seed: Some(11),
            overrides: vec![
                ("p".into(), "0.05".into()),
                ("duration".into(), "0*ms".into()),
            ],
            backend: BackendKind::Jit,
            dry_run: false,
            threads,
            max_memory: None,
            interrupt: None,
            fast_math: false,
        };
        let out = run_script(&file, &opts).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
        out.network
            .synapses
            .iter()
            .map(|s| (s.pre().to_vec(), s.post().to_vec()))
            .collect::<Vec<_>>()
    };
    let one = synapses(1);
    // About 640,000 excitatory and 160,000 inhibitory synapses.
    assert!(one[0].0.len() > 600_000 && one[1].0.len() > 140_000);
    for threads in [2, 3] {
        assert!(synapses(threads) == one, "{threads} threads");
    }
}

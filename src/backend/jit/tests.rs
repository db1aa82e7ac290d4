//! Unit tests of the JIT's own concerns: compiled code is freed with its kernel, bad data is
//! rejected like the interpreter rejects it, and the vector loop's edges (odd lengths, spike
//! order) behave. Interpreter-equality of kernels is tested in `tests/differential.rs`.

use super::*;
use crate::backend::interp::Interpreter;
use crate::lower::ir::{BinOp, ColumnDecl, Domain, Expr, Index, Stmt};

fn col(name: &str, written: bool) -> ColumnDecl {
    ColumnDecl {
        name: name.into(),
        written,
    }
}

fn load(col: u32, index: Index) -> Expr {
    Expr::Load { col, index }
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op,
        lhs: Box::new(a),
        rhs: Box::new(b),
    }
}

/// `v = v * 0.5 + e; spike if v > 3; spike if v > 5` over a range.
fn two_spike_kernel() -> Kernel {
    Kernel {
        name: "g.update".into(),
        columns: vec![col("g.v", true)],
        scalars: vec![],
        domain: Domain::Range,
        prologue: vec![],
        body: vec![
            Stmt::Store {
                col: 0,
                index: Index::Elem,
                value: bin(
                    BinOp::Add,
                    bin(BinOp::Mul, load(0, Index::Elem), Expr::Const(0.5)),
                    Expr::ElemIndex(Index::Elem),
                ),
            },
            Stmt::EmitSpike {
                cond: bin(BinOp::Gt, load(0, Index::Elem), Expr::Const(3.0)),
            },
            Stmt::EmitSpike {
                cond: bin(BinOp::Gt, load(0, Index::Elem), Expr::Const(5.0)),
            },
        ],
        n_temps: 0,
        rng_object: 1,
    }
}

/// Serialises the tests whose memory use would disturb the resident-memory measurement (a
/// panic with `RUST_BACKTRACE` set loads debug info, tens of MB, once per process).
static MEMORY_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Resident set size in bytes, from `/proc/self/statm` (pages; 4 KiB on the hosts we test).
fn resident_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = text.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn run_range(k: &dyn CompiledKernel, v: &mut [f64], start: usize, end: usize) -> Vec<u32> {
    let mut spikes = vec![99];
    let mut data = KernelData {
        columns: vec![v],
        scalars: &[],
        pre: &[],
        post: &[],
        list: &[],
        start,
        end,
        base: 0,
        step: 0,
        seed: 0,
        spikes: &mut spikes,
    };
    k.run(&mut data);
    spikes
}

#[test]
fn vector_loop_keeps_sequential_spike_order_and_odd_tails() {
    // Element e ends with v = 0.5 * 2 + e = 1 + e (v starts at 2), so it spikes once for
    // e > 2 and twice for e > 4; appended after the pre-existing 99.
    let mut jit = JitBackend::new().expect("host supported");
    let compiled = jit.compile(&two_spike_kernel()).expect("compiles");
    // 0..=19 covers the unrolled loop (2 * UNROLL = 6 elements), the pair loop and the
    // scalar tail in every combination.
    for n in 0..=19 {
        let mut v = vec![2.0; n];
        let spikes = run_range(compiled.as_ref(), &mut v, 0, n);
        let mut want = vec![99];
        for e in 0..n as u32 {
            let x = 1.0 + f64::from(e);
            if x > 3.0 {
                want.push(e);
            }
            if x > 5.0 {
                want.push(e);
            }
        }
        assert_eq!(spikes, want, "n = {n}");
        let expect: Vec<f64> = (0..n).map(|e| 1.0 + e as f64).collect();
        assert_eq!(v, expect);
    }
    // Sub-ranges starting at an odd element (one shorter, one longer than an unrolled
    // iteration), and a reversed (empty) one.
    assert_eq!(
        super::translate::UNROLL,
        3,
        "the sub-ranges below are cut for 6 elements"
    );
    for start in [3, 1] {
        let mut v = vec![2.0; 9];
        assert_eq!(
            run_range(compiled.as_ref(), &mut v, start, 8),
            [99, 3, 4, 5, 5, 6, 6, 7, 7]
        );
    }
    let mut v = vec![2.0; 14];
    assert_eq!(
        run_range(compiled.as_ref(), &mut v, 1, 13),
        [99, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12]
    );
    assert_eq!(run_range(compiled.as_ref(), &mut v, 5, 2), [99]);
}

/// Runs `k` on a 2-cell column `v` with `post = [0, 7]` over `list`, on every backend; returns
/// `Some(v)` or `None` if the run panicked.
fn run_guarded(k: &Kernel, list: &[u32]) -> Vec<Option<[f64; 2]>> {
    let backends: Vec<Box<dyn Backend>> = vec![
        Box::new(Interpreter::new()),
        Box::new(JitBackend::new().unwrap()),
    ];
    backends
        .into_iter()
        .map(|mut b| {
            let compiled = b.compile(k).unwrap();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut v = [0.0; 2];
                let mut spikes = Vec::new();
                let mut data = KernelData {
                    columns: vec![&mut v],
                    scalars: &[],
                    pre: &[],
                    post: &[0, 7],
                    list,
                    start: 0,
                    end: list.len(),
                    base: 0,
                    step: 0,
                    seed: 0,
                    spikes: &mut spikes,
                };
                compiled.run(&mut data);
                v
            }))
            .ok()
        })
        .collect()
}

#[test]
fn out_of_bounds_indices_panic_like_the_interpreter() {
    let _lock = MEMORY_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let list_kernel = |index: Index, value: Expr| Kernel {
        name: "k".into(),
        columns: vec![col("g.v", true)],
        scalars: vec![],
        domain: Domain::List,
        prologue: vec![],
        body: vec![Stmt::Store {
            col: 0,
            index,
            value,
        }],
        n_temps: 0,
        rng_object: 0,
    };
    // v[post[e]] += 1: post[1] = 7 is past the 2 cells, and element 2 is past `post`.
    let synapses = list_kernel(
        Index::Post,
        bin(BinOp::Add, load(0, Index::Post), Expr::Const(1.0)),
    );
    let ok = Some([1.0, 0.0]);
    assert_eq!(run_guarded(&synapses, &[0]), [ok, ok]);
    assert_eq!(run_guarded(&synapses, &[0, 1]), [None, None]);
    assert_eq!(run_guarded(&synapses, &[2]), [None, None]);
    // v[e] = 1 over listed elements: element 5 is past the column.
    let reset = list_kernel(Index::Elem, Expr::Const(1.0));
    let ok = Some([0.0, 1.0]);
    assert_eq!(run_guarded(&reset, &[1]), [ok, ok]);
    assert_eq!(run_guarded(&reset, &[1, 5]), [None, None]);
}

#[test]
fn compiled_code_is_freed_with_its_kernel() {
    let _lock = MEMORY_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let Some(_) = resident_bytes() else {
        return; // Not Linux: nothing to measure.
    };
    let mut jit = JitBackend::new().expect("host supported");
    let kernel = two_spike_kernel();
    let mut cycle = |n: usize| {
        for _ in 0..n {
            let compiled = jit.compile(&kernel).expect("compiles");
            let mut v = [1.0; 3];
            run_range(compiled.as_ref(), &mut v, 0, 3);
        }
    };
    // Warm-up fills allocator caches and Cranelift's reusable contexts.
    cycle(100);
    let before = resident_bytes().unwrap_or(0);
    cycle(1000);
    let after = resident_bytes().unwrap_or(0);
    // Leaking the modules (measured by replacing `free_memory` with `mem::forget`) grows by
    // about 16 KB per kernel, 16 MB here; freeing them grows by a few pages at most. 2 MB (2 KB
    // per kernel) separates the two with a wide margin either way.
    let growth = after.saturating_sub(before);
    assert!(growth < 2 << 20, "resident memory grew by {growth} bytes");
}

#[test]
fn only_stores_that_can_create_non_finite_values_are_probed() {
    use super::analysis::Usage;
    // c0 v (written), c1 w (read only); %0 = v > 1 (0/1)
    let mut k = two_spike_kernel();
    k.columns.push(col("g.w", false));
    k.n_temps = 1;
    let v = || load(0, Index::Elem);
    let store = |value: Expr| Stmt::Store {
        col: 0,
        index: Index::Elem,
        value,
    };
    k.body = vec![
        Stmt::Let {
            temp: 0,
            value: bin(BinOp::Gt, v(), Expr::Const(1.0)),
        },
        // select(%0, v, t): a state value or a runtime scalar: finite.
        store(Expr::Select {
            cond: Box::new(Expr::Temp(0)),
            then: Box::new(v()),
            otherwise: Box::new(Expr::Scalar(0)),
        }),
        // %0 and a comparison: 0 or 1.
        store(Expr::Temp(0)),
        // Arithmetic may overflow; a read-only column may be a table holding NaN; a prologue
        // temporary is arithmetic.
        store(bin(BinOp::Mul, v(), Expr::Const(2.0))),
        store(load(1, Index::Elem)),
        store(Expr::Const(f64::INFINITY)),
    ];
    let u = Usage::of(&k);
    assert_eq!(u.check_store, [false, false, false, true, true, true]);
}

/// `lastspike`-style stores are recognised only in the form whose skipped elements would
/// write back the value already in the cell.
#[test]
fn spike_only_stores_are_recognised_exactly() {
    use super::analysis::spike_only_stores;
    // c0 v, c1 lastspike; %0 = v > 1, %1 = lastspike.
    let mut k = two_spike_kernel();
    k.columns.push(col("g.lastspike", true));
    k.scalars = vec!["t".into()];
    k.n_temps = 2;
    let spiked = Stmt::Let {
        temp: 0,
        value: bin(BinOp::Gt, load(0, Index::Elem), Expr::Const(1.0)),
    };
    let emit = Stmt::EmitSpike {
        cond: Expr::Temp(0),
    };
    let read = Stmt::Let {
        temp: 1,
        value: load(1, Index::Elem),
    };
    let update = |old: Expr| Stmt::Store {
        col: 1,
        index: Index::Elem,
        value: Expr::Select {
            cond: Box::new(Expr::Temp(0)),
            then: Box::new(Expr::Scalar(0)),
            otherwise: Box::new(old),
        },
    };
    let mut check = |body: Vec<Stmt>| {
        k.body = body;
        spike_only_stores(&k)
    };
    let ls = || load(1, Index::Elem);
    // Through a temporary and directly.
    let yes = [false, false, false, true];
    assert_eq!(
        check(vec![
            read.clone(),
            spiked.clone(),
            emit.clone(),
            update(Expr::Temp(1))
        ]),
        yes
    );
    assert_eq!(
        check(vec![
            read.clone(),
            spiked.clone(),
            emit.clone(),
            update(ls())
        ]),
        yes
    );
    // Not after a spike statement on that temporary.
    assert_eq!(
        check(vec![
            read.clone(),
            spiked.clone(),
            update(Expr::Temp(1)),
            emit.clone()
        ]),
        [false; 4]
    );
    // The temporary was reassigned after the spike statement.
    assert_eq!(
        check(vec![
            read.clone(),
            spiked.clone(),
            emit.clone(),
            spiked.clone(),
            update(ls())
        ]),
        [false; 5]
    );
    // The column was stored between the read and the update: the temporary is stale.
    let overwrite = Stmt::Store {
        col: 1,
        index: Index::Elem,
        value: Expr::Const(0.0),
    };
    assert_eq!(
        check(vec![
            read.clone(),
            overwrite.clone(),
            spiked.clone(),
            emit.clone(),
            update(Expr::Temp(1))
        ]),
        [false; 5]
    );
    // The column is read, or stored, after the update.
    let reread = Stmt::Store {
        col: 0,
        index: Index::Elem,
        value: ls(),
    };
    assert_eq!(
        check(vec![spiked.clone(), emit.clone(), update(ls()), reread]),
        [false; 4]
    );
    assert_eq!(
        check(vec![spiked.clone(), emit.clone(), update(ls()), overwrite]),
        [false; 4]
    );
    // The old value is another column's.
    assert_eq!(
        check(vec![spiked, emit, update(load(0, Index::Elem))]),
        [false; 3]
    );
}

#[test]
fn the_ziggurat_slow_path_keeps_the_loops_registers() {
    // Normal numbers whose word fails the inline rectangle test are made by a `preserve_all`
    // wrapper around `rng::normal_from_word`: the loop keeps values in registers across that
    // call. Here eight columns and two normal sites keep many values live around it; every
    // element must equal the interpreter's, on the vector loops (unrolled and single pairs)
    // and the scalar loop, for a range where the slow path runs hundreds of times.
    let n = 60_001;
    let (seed, step, object) = (17u64, 5u64, 3u64);
    let cols: Vec<ColumnDecl> = (0..8).map(|c| col(&format!("g.c{c}"), c == 0)).collect();
    let terms = (1..8u32).fold(load(0, Index::Elem), |acc, c| {
        let scaled = bin(
            BinOp::Mul,
            load(c, Index::Elem),
            Expr::Const(1.0 + f64::from(c)),
        );
        bin(BinOp::Add, acc, bin(BinOp::Div, scaled, Expr::Const(3.0)))
    });
    let noise = bin(
        BinOp::Add,
        bin(BinOp::Mul, Expr::Randn { site: 0 }, load(1, Index::Elem)),
        bin(BinOp::Mul, Expr::Randn { site: 1 }, load(7, Index::Elem)),
    );
    let kernel = Kernel {
        name: "g.noise".into(),
        columns: cols,
        scalars: vec![],
        domain: Domain::Range,
        prologue: vec![],
        body: vec![Stmt::Store {
            col: 0,
            index: Index::Elem,
            value: bin(BinOp::Add, terms, noise),
        }],
        n_temps: 0,
        rng_object: object,
    };
    // How many of the range's draws leave the fast path (computed as `rng` defines it).
    let edges = crate::runtime::rng::ziggurat_edges();
    let slow = (0..2u64)
        .flat_map(|site| {
            let stream = crate::runtime::rng::stream(seed, object, site, step);
            (0..n as u64).map(move |e| crate::runtime::rng::draw(stream, e))
        })
        .filter(|&w| {
            let i = (w & crate::runtime::rng::LAYER_MASK) as usize;
            let u = (w >> 11) as f64 * crate::runtime::rng::UNIT_SCALE * 2.0 - 1.0;
            (u * edges[i]).abs() >= edges[i + 1]
        })
        .count();
    assert!(slow > 200, "only {slow} slow draws");
    let start: Vec<Vec<f64>> = (0..8)
        .map(|c| {
            (0..n)
                .map(|e| ((e * 7 + c * 13) % 101) as f64 * 0.01 - 0.3)
                .collect()
        })
        .collect();
    let run = |backend: &mut dyn Backend| -> Vec<f64> {
        let compiled = backend.compile(&kernel).expect("compiles");
        let mut columns = start.clone();
        let mut spikes = Vec::new();
        let mut data = KernelData {
            columns: columns.iter_mut().map(|c| c.as_mut_slice()).collect(),
            scalars: &[],
            pre: &[],
            post: &[],
            list: &[],
            start: 0,
            end: n,
            base: 0,
            step,
            seed,
            spikes: &mut spikes,
        };
        compiled.run(&mut data);
        columns.swap_remove(0)
    };
    let want = run(&mut Interpreter::new());
    let mut jit = JitBackend::new().expect("host supported");
    let got = run(&mut jit);
    jit.set_vectorise(false);
    let scalar = run(&mut jit);
    for (e, ((w, g), s)) in want.iter().zip(&got).zip(&scalar).enumerate() {
        assert_eq!(w.to_bits(), g.to_bits(), "vector loop, element {e}");
        assert_eq!(w.to_bits(), s.to_bits(), "scalar loop, element {e}");
    }
}

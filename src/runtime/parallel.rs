//! Splitting a neuron group's step kernel across threads by neuron range.
//!
//! A `Range` kernel may be split when no element can observe another: every column is accessed
//! only as `column[e]` ([`Index::Elem`]), or only read through [`Index::Shared`] and never
//! written, and nothing uses `pre`/`post`. Then each chunk `a..z` runs the same kernel over
//! sub-slices of the `Elem` columns (with `base = a`) and private copies of the read-only
//! shared cells, and appends spikes to its own buffer; the buffers are concatenated in chunk
//! order, so the spike list is the ascending list a single call would produce. Random numbers
//! are keyed by the element index, not by the visiting thread (see [`crate::runtime::rng`]),
//! so results are bit-identical for any number of threads.
//!
//! The threads belong to a [`Workers`] value owned by the network: a rayon pool built on first
//! use with the requested number of threads (never rayon's global pool). The calling thread
//! runs the first chunk itself; see [`Workers::pool`] for why the network's step loop runs on
//! one of the pool's threads.

use super::kernels::{borrow_columns, Bound, ScalarEnv};
use crate::backend::{KernelData, Stores};
use crate::lower::ir::{BinOp, Domain, Expr, Index, Kernel, Stmt};
use ndarray::Array1;
use std::sync::Arc;

/// A chunk gets at least this many neurons of the cheapest kernels; smaller groups run on the
/// calling thread, where a call costs less than waking the pool. See [`min_per_thread`].
pub const MIN_PER_THREAD: usize = 1 << 14;

/// A chunk should carry at least this much work, in [`element_cost`] units (about 0.1 ns
/// each on a current x86 core, so ~100 µs): a split step costs some 20 µs more than an unsplit
/// one in waking, synchronising and moving cache lines between cores (CUBA at N = 32,000 on
/// 2 cores, whose lean step kernel takes ~31 µs: 0.396 s split in two vs 0.349 s unsplit
/// with 2^18 here; N = 64,000 still gains, 0.70 -> 0.52 s). Kernels cheaper than 64 units
/// per element are held at [`MIN_PER_THREAD`].
const MIN_WORK_PER_THREAD: usize = 1 << 20;

/// The fewest elements per chunk: [`MIN_PER_THREAD`] for kernels as cheap as LIF's, fewer for
/// kernels that do more per element (a Hodgkin–Huxley step calls `exp` ten times), but never
/// below 256, so chunks stay much larger than a cache line.
pub fn min_per_thread(k: &Kernel) -> usize {
    (MIN_WORK_PER_THREAD / element_cost(k).max(1)).clamp(256, MIN_PER_THREAD)
}

/// A rough cost of one element of `k`'s body: one unit per IR node (a fused multiply-add is
/// one instruction), 40 per call of a host math function (`exp` and friends take tens of
/// cycles), 30 per inline fast `exp` (COBAHH's ten per neuron save ~14 of 68 ns with fast
/// math), 20 per random number.
fn element_cost(k: &Kernel) -> usize {
    let mut cost = 0;
    let mut stack: Vec<&Expr> = k.body.iter().map(Stmt::value).collect();
    while let Some(e) = stack.pop() {
        cost += match e {
            Expr::Call {
                func: crate::functions::Func::Fma,
                ..
            } => 1,
            Expr::Call {
                func:
                    crate::functions::Func::FastExp
                    | crate::functions::Func::FastExpm1
                    | crate::functions::Func::FastExprel,
                ..
            } => 30,
            Expr::Call { .. }
            | Expr::Binary {
                op: BinOp::Pow | BinOp::Mod | BinOp::FloorDiv,
                ..
            } => 40,
            Expr::Rand { .. } | Expr::Randn { .. } => 20,
            _ => 1,
        };
        e.push_children(&mut stack);
    }
    cost
}

/// Chunk boundaries are multiples of this many elements (one 64-byte cache line of `f64`s), so
/// that two threads never write to the same cache line.
const ALIGN: usize = 8;

/// How a kernel's body uses one of its columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Access {
    /// Not touched by the body (the prologue cannot load columns).
    #[default]
    Unused,
    /// Only `column[e]`.
    Elem,
    /// Only `column[0]`, never written.
    SharedRead,
}

/// Per-column access if the kernel can be split by element range, else `None`.
fn split_plan(k: &Kernel) -> Option<Vec<Access>> {
    if k.domain != Domain::Range {
        return None;
    }
    let mut plan = vec![Access::Unused; k.columns.len()];
    let mut ok = true;
    // Records one access; false if it makes the kernel unsplittable.
    let note = |col: u32, index: Index, plan: &mut Vec<Access>| -> bool {
        let want = match index {
            Index::Elem => Access::Elem,
            Index::Shared if !k.columns[col as usize].written => Access::SharedRead,
            _ => return false,
        };
        let slot = &mut plan[col as usize];
        if *slot == Access::Unused {
            *slot = want;
        }
        *slot == want
    };
    let mut stack: Vec<&Expr> = Vec::new();
    for stmt in &k.body {
        match stmt {
            Stmt::Let { value, .. } | Stmt::EmitSpike { cond: value } => stack.push(value),
            Stmt::Store { col, index, value } => {
                ok &= note(*col, *index, &mut plan);
                stack.push(value);
            }
        }
        while let Some(e) = stack.pop() {
            match e {
                Expr::Load { col, index } => ok &= note(*col, *index, &mut plan),
                // Every thread reads the gathered column whole, as it reads a shared cell.
                Expr::Gather { col, index } => {
                    ok &= note(*col, Index::Shared, &mut plan);
                    stack.push(index);
                }
                Expr::ElemIndex(Index::Pre | Index::Post) => ok = false,
                _ => e.push_children(&mut stack),
            }
        }
    }
    ok.then_some(plan)
}

/// True if `k` may run as several independent element ranges with identical results.
pub fn splittable(k: &Kernel) -> bool {
    split_plan(k).is_some()
}

/// The element ranges `0..n` is cut into for `threads` threads: as many as fit
/// [`MIN_PER_THREAD`] elements each (at most `threads`), of equal size rounded up to a cache
/// line, in ascending order. One range means "do not split".
pub fn chunks(n: usize, threads: usize, min_per_thread: usize) -> Vec<(usize, usize)> {
    let count = threads.min(n / min_per_thread.max(1)).max(1);
    let size = n.div_ceil(count).next_multiple_of(ALIGN);
    (0..count)
        .map(|c| ((c * size).min(n), ((c + 1) * size).min(n)))
        .filter(|(a, z)| a < z)
        .collect()
}

/// Pieces per thread when a kernel is split: the thread that starts the split runs its pieces
/// at once, and the other threads, which may need waking first, take the rest as they come,
/// so a late thread does not leave the others waiting for it.
const PIECES_PER_THREAD: usize = 4;

/// The element ranges a split kernel runs as: none if [`chunks`] does not split `0..n`,
/// else up to [`PIECES_PER_THREAD`] per thread, each at least a quarter of `min_per_thread`.
pub fn pieces(n: usize, threads: usize, min_per_thread: usize) -> Vec<(usize, usize)> {
    if chunks(n, threads, min_per_thread).len() < 2 {
        return vec![(0, n)];
    }
    let min = (min_per_thread / PIECES_PER_THREAD).max(ALIGN);
    chunks(n, threads * PIECES_PER_THREAD, min)
}

/// The network's worker threads, created on first use.
#[derive(Default)]
pub struct Workers {
    pool: Option<Arc<rayon::ThreadPool>>,
    /// One spike buffer per chunk, kept between steps so that their capacity is reused.
    spikes: Vec<Vec<u32>>,
}

impl Workers {
    /// No threads yet; the pool is built by the first call that splits a kernel.
    pub fn new() -> Workers {
        Workers::default()
    }

    /// The pool of `threads` workers (built, or rebuilt if the count changed). `None` if the
    /// operating system refuses to start threads; callers then run on the calling thread.
    ///
    /// `Network::run` runs its whole step loop on one of these workers when some group will
    /// be split: a kernel split from a worker forks with [`rayon::in_place_scope`], and the
    /// worker that waits for the other chunks keeps working or spinning instead of sleeping,
    /// as a caller outside the pool would. (With the caller outside, 2 threads were slower
    /// than 1 for CUBA at N = 32,000 on 2 cores: every step paid for waking sleeping threads.)
    pub fn pool(&mut self, threads: usize) -> Option<Arc<rayon::ThreadPool>> {
        if self
            .pool
            .as_ref()
            .is_none_or(|p| p.current_num_threads() != threads)
        {
            self.pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|k| format!("snnc-worker-{k}"))
                .build()
                .ok()
                .map(Arc::new);
        }
        self.pool.clone()
    }
}

/// `pool.in_place_scope(op)`, or with no pool the current thread's pool's.
fn in_place_scope<'s>(pool: Option<&rayon::ThreadPool>, op: impl FnOnce(&rayon::Scope<'s>)) {
    match pool {
        Some(pool) => pool.in_place_scope(op),
        None => rayon::in_place_scope(op),
    }
}

/// Runs a `Range` kernel over elements `0..n`, split across up to `threads` threads when the
/// group is large enough for the kernel's cost ([`min_per_thread`]) and the kernel is
/// [`splittable`]; otherwise one call on this thread.
/// Spikes are appended to `spikes` in ascending order either way.
pub fn run_range(
    workers: &mut Workers,
    threads: usize,
    b: &Bound,
    cols: &mut [Array1<f64>],
    env: &ScalarEnv,
    seed: u64,
    n: usize,
    spikes: &mut Vec<u32>,
) -> Stores {
    run_range_with(
        workers,
        threads,
        b.min_per_thread,
        b,
        cols,
        env,
        seed,
        n,
        spikes,
    )
}

/// [`run_range`] with an explicit minimum chunk size (tests use small ones).
pub fn run_range_with(
    workers: &mut Workers,
    threads: usize,
    min_per_thread: usize,
    b: &Bound,
    cols: &mut [Array1<f64>],
    env: &ScalarEnv,
    seed: u64,
    n: usize,
    spikes: &mut Vec<u32>,
) -> Stores {
    let ranges = pieces(n, threads, min_per_thread);
    let plan = if ranges.len() > 1 {
        split_plan(&b.ir)
    } else {
        None
    };
    let Some(plan) = plan else {
        return super::kernels::run_bound(b, cols, env, seed, &[], (0, n), spikes);
    };
    // On a worker (inside `Network::run`'s pool), fork in that pool; elsewhere in ours.
    let pool = if rayon::current_thread_index().is_some() {
        None
    } else {
        match workers.pool(threads) {
            Some(p) => Some(p),
            None => return super::kernels::run_bound(b, cols, env, seed, &[], (0, n), spikes),
        }
    };
    let buffers = &mut workers.spikes;
    buffers.resize_with(ranges.len(), Vec::new);
    let scalars = b.scalar_values(env);
    // Cut every `Elem` column into the chunks' sub-slices; give each chunk its own copy of the
    // read-only shared cells (one value each, or a table row) so that every chunk owns `&mut`
    // slices.
    let columns = borrow_columns(cols, &b.columns);
    let mut copies: Vec<Vec<Vec<f64>>> = ranges
        .iter()
        .map(|_| {
            columns
                .iter()
                .zip(&plan)
                .filter(|(_, a)| **a == Access::SharedRead)
                .map(|(c, _)| c.to_vec())
                .collect()
        })
        .collect();
    let mut per_chunk: Vec<Vec<&mut [f64]>> = ranges.iter().map(|_| Vec::new()).collect();
    let mut copy_iters: Vec<_> = copies.iter_mut().map(|c| c.iter_mut()).collect();
    for (col, access) in columns.into_iter().zip(&plan) {
        let mut rest = col;
        for (k, &(a, z)) in ranges.iter().enumerate() {
            let slice: &mut [f64] = match access {
                Access::Elem => {
                    let (head, tail) = std::mem::take(&mut rest).split_at_mut(z - a);
                    rest = tail;
                    head
                }
                Access::SharedRead => copy_iters[k].next().expect("one copy per shared column"),
                Access::Unused => &mut [],
            };
            per_chunk[k].push(slice);
        }
    }
    let scalars = &scalars[..];
    let run_chunk = |columns: Vec<&mut [f64]>, (a, z): (usize, usize), out: &mut Vec<u32>| {
        out.clear();
        let mut data = KernelData {
            columns,
            scalars,
            pre: &[],
            post: &[],
            list: &[],
            start: a,
            end: z,
            base: a,
            step: env.step,
            seed,
            spikes: out,
        };
        b.kernel.run(&mut data)
    };
    // The calling thread runs the first chunk itself; the others are spawned for the pool.
    let mut results = vec![Stores::Finite; ranges.len()];
    let mut jobs = per_chunk
        .into_iter()
        .zip(ranges.iter().copied())
        .zip(buffers.iter_mut())
        .zip(results.iter_mut());
    let first = jobs.next();
    in_place_scope(pool.as_deref(), |scope| {
        for (((columns, range), out), result) in jobs {
            let run_chunk = &run_chunk;
            scope.spawn(move |_| *result = run_chunk(columns, range, out));
        }
        if let Some((((columns, range), out), result)) = first {
            *result = run_chunk(columns, range, out);
        }
    });
    let stores = results.into_iter().fold(Stores::Finite, Stores::join);
    for out in buffers.iter().take(ranges.len()) {
        spikes.extend_from_slice(out);
    }
    stores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::Func;
    use crate::lower::ir::ColumnDecl;

    /// A one-column kernel storing `value` (LIF's shape).
    fn kernel(value: Expr) -> Kernel {
        Kernel {
            name: "k".into(),
            columns: vec![ColumnDecl {
                name: "v".into(),
                written: true,
            }],
            scalars: Vec::new(),
            domain: Domain::Range,
            prologue: Vec::new(),
            body: vec![Stmt::Store {
                col: 0,
                index: Index::Elem,
                value,
            }],
            n_temps: 0,
            rng_object: 0,
        }
    }

    fn call(func: Func, args: Vec<Expr>) -> Expr {
        Expr::Call { func, args }
    }

    #[test]
    fn a_fused_multiply_add_is_cheap_and_exp_is_not() {
        let v = || Expr::Load {
            col: 0,
            index: Index::Elem,
        };
        // LIF's exact update with an FMA: as cheap as a plain expression, so groups of a few
        // thousand neurons stay on one thread.
        let lif = kernel(call(
            Func::Fma,
            vec![v(), Expr::Const(0.99), Expr::Const(-7e-4)],
        ));
        assert_eq!(min_per_thread(&lif), MIN_PER_THREAD);
        // One `exp` per element is not enough to split smaller groups; ten, as in a
        // Hodgkin–Huxley step, are.
        let one_exp = kernel(call(Func::Exp, vec![v()]));
        assert_eq!(min_per_thread(&one_exp), MIN_PER_THREAD);
        let hh = kernel((0..10).fold(v(), |x, _| call(Func::Exp, vec![x])));
        assert!(min_per_thread(&hh) < MIN_PER_THREAD / 4);
    }
}

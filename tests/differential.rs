//! Interpreter-vs-JIT differential tests.
//!
//! Every test body below is written once, generic over a backend constructor, and instantiated
//! for each backend by `backend_tests!` (diffsl's per-backend test macro): the interpreter, the
//! JIT, and the JIT with its `f64x2` loop switched off, so both JIT loops are covered. Kernels
//! are built by hand; expected values are derived by hand or by evaluating the same formula in
//! plain Rust, as each test states. A property test then generates random well-typed kernels and
//! requires all backends to agree bit for bit.
//!
//! Equality policy: results must have identical bits (so `-0.0 != 0.0`), except that any two
//! NaNs are equal. IEEE 754 does not say which operand's payload a NaN result carries, and both
//! rustc/LLVM and Cranelift may swap the operands of commutative operations, so payloads are not
//! part of the contract; whether a value is NaN is.

use proptest::prelude::*;
use snnc::backend::interp::Interpreter;
use snnc::backend::jit::JitBackend;
use snnc::backend::{Backend, KernelData, Stores};
use snnc::lower::ir::{
    BinOp, ColumnDecl, Domain, Expr, Func, Index, Kernel, Stmt, UnOp, ALL_FUNCS, INTERNAL_FUNCS,
};
use snnc::runtime::rng;

/// Makes a fresh backend.
type Make = fn() -> Box<dyn Backend>;

fn interp() -> Box<dyn Backend> {
    Box::new(Interpreter::new())
}

fn jit() -> Box<dyn Backend> {
    Box::new(JitBackend::new().expect("the test hosts support the JIT"))
}

/// The scalar loop, with `fma` as a call (the path of hosts without the instruction).
fn jit_scalar() -> Box<dyn Backend> {
    let mut b = JitBackend::new().expect("the test hosts support the JIT");
    b.set_vectorise(false);
    b.call_fma();
    Box::new(b)
}

/// The vector loops with `fma` as a call (hosts without the instruction).
fn jit_call_fma() -> Box<dyn Backend> {
    let mut b = JitBackend::new().expect("the test hosts support the JIT");
    b.call_fma();
    Box::new(b)
}

/// Instantiates each named test body once per backend.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod interp {
            $( #[test] fn $name() { super::$name(super::interp) } )*
        }
        mod jit {
            $( #[test] fn $name() { super::$name(super::jit) } )*
        }
        mod jit_scalar {
            $( #[test] fn $name() { super::$name(super::jit_scalar) } )*
        }
        mod jit_call_fma {
            $( #[test] fn $name() { super::$name(super::jit_call_fma) } )*
        }
    };
}

backend_tests!(
    lif_exact_update,
    threshold_emits_known_spikes,
    reset_over_a_list,
    synapses_accumulate_sequentially,
    shared_index_reads_and_accumulates,
    base_offsets_elem_columns_but_not_indices,
    every_func_matches_plain_rust,
    every_binop_matches_plain_rust,
    nan_and_infinity_follow_ieee_and_the_ir_truth_rules,
    random_numbers_match_the_rng_and_are_sane,
    empty_and_reversed_ranges_do_nothing,
    each_element_starts_from_the_prologue_temps,
    stores_report_every_non_finite_value,
    gather_reads_the_truncated_position_or_nan,
    refractoriness_limit_matches_the_division,
    spike_time_stores_change_only_spiking_elements,
    fma_rounds_once,
    fast_exp_matches_its_twin,
);

// ---- the data harness ------------------------------------------------------------------------

/// Owned inputs of one kernel call; `exec` lends them to a backend as a `KernelData`.
#[derive(Clone, Debug, Default)]
struct Data {
    columns: Vec<Vec<f64>>,
    scalars: Vec<f64>,
    pre: Vec<u32>,
    post: Vec<u32>,
    list: Vec<u32>,
    start: usize,
    end: usize,
    base: usize,
    step: u64,
    seed: u64,
    /// What the last `exec` reported about the values it stored.
    stores: Option<Stores>,
}

impl Data {
    /// Range data over all elements of the first column.
    fn range(columns: Vec<Vec<f64>>) -> Data {
        let end = columns.first().map_or(0, Vec::len);
        Data {
            columns,
            end,
            ..Data::default()
        }
    }

    /// Compiles `kernel` with a fresh backend and runs it once; returns the spikes.
    fn exec(&mut self, make: Make, kernel: &Kernel) -> Vec<u32> {
        let compiled = make().compile(kernel).expect("kernel compiles");
        let mut spikes = Vec::new();
        let mut data = KernelData {
            columns: self.columns.iter_mut().map(|c| c.as_mut_slice()).collect(),
            scalars: &self.scalars,
            pre: &self.pre,
            post: &self.post,
            list: &self.list,
            start: self.start,
            end: self.end,
            base: self.base,
            step: self.step,
            seed: self.seed,
            spikes: &mut spikes,
        };
        self.stores = Some(compiled.run(&mut data));
        spikes
    }
}

/// Bit equality except that all NaNs are equal (see the module docs).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn assert_same(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(same(*g, *w), "{what}[{i}]: got {g:?}, want {w:?}");
    }
}

// ---- IR building helpers ---------------------------------------------------------------------

fn col(name: &str, written: bool) -> ColumnDecl {
    ColumnDecl {
        name: name.into(),
        written,
    }
}

fn kernel(domain: Domain, columns: Vec<ColumnDecl>, scalars: &[&str]) -> Kernel {
    Kernel {
        name: "test".into(),
        columns,
        scalars: scalars.iter().map(|s| s.to_string()).collect(),
        domain,
        prologue: vec![],
        body: vec![],
        n_temps: 0,
        rng_object: 0x5eed,
    }
}

fn c(x: f64) -> Expr {
    Expr::Const(x)
}

fn ld(col: u32, index: Index) -> Expr {
    Expr::Load { col, index }
}

fn v(col: u32) -> Expr {
    ld(col, Index::Elem)
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op,
        lhs: Box::new(a),
        rhs: Box::new(b),
    }
}

fn un(op: UnOp, a: Expr) -> Expr {
    Expr::Unary {
        op,
        arg: Box::new(a),
    }
}

fn call(func: Func, args: Vec<Expr>) -> Expr {
    Expr::Call { func, args }
}

fn store(col: u32, index: Index, value: Expr) -> Stmt {
    Stmt::Store { col, index, value }
}

// ---- hand-built kernels ----------------------------------------------------------------------

/// `v = El + (v - El) * exp(-dt / tau)` with the factor in the prologue; expected values are
/// the same formula evaluated in plain Rust, so they must match to the bit.
fn lif_exact_update(make: Make) {
    let mut k = kernel(Domain::Range, vec![col("g.v", true)], &["dt", "tau", "El"]);
    k.prologue = vec![Stmt::Let {
        temp: 0,
        value: call(
            Func::Exp,
            vec![bin(
                BinOp::Div,
                un(UnOp::Neg, Expr::Scalar(0)),
                Expr::Scalar(1),
            )],
        ),
    }];
    k.n_temps = 1;
    k.body = vec![store(
        0,
        Index::Elem,
        bin(
            BinOp::Add,
            Expr::Scalar(2),
            bin(
                BinOp::Mul,
                bin(BinOp::Sub, v(0), Expr::Scalar(2)),
                Expr::Temp(0),
            ),
        ),
    )];
    let (dt, tau, el) = (1e-4, 0.01, -0.07);
    let v0: Vec<f64> = (0..7).map(|i| -0.07 + 0.005 * f64::from(i)).collect();
    let mut data = Data::range(vec![v0.clone()]);
    data.scalars = vec![dt, tau, el];
    for _ in 0..3 {
        data.exec(make, &k);
    }
    let f = (-dt / tau).exp();
    let want: Vec<f64> = v0
        .iter()
        .map(|&x| {
            let mut x = x;
            for _ in 0..3 {
                x = el + (x - el) * f;
            }
            x
        })
        .collect();
    assert_same(&data.columns[0], &want, "v");
}

/// `spike if v > 0.8` over values chosen by hand: elements 1, 4, 5 and 8 exceed 0.8 (0.8
/// itself and NaN do not).
fn threshold_emits_known_spikes(make: Make) {
    let mut k = kernel(Domain::Range, vec![col("g.v", false)], &[]);
    k.body = vec![Stmt::EmitSpike {
        cond: bin(BinOp::Gt, v(0), c(0.8)),
    }];
    let values = vec![0.1, 0.9, 0.8, -1.0, 2.0, 0.81, f64::NAN, 0.0, f64::INFINITY];
    let mut data = Data::range(vec![values]);
    assert_eq!(data.exec(make, &k), [1, 4, 5, 8]);
    // A sub-range starting at an odd element keeps absolute indices.
    data.start = 3;
    data.end = 6;
    assert_eq!(data.exec(make, &k), [4, 5]);
}

/// Brian2's reset `v = v_r; not_refractory = 0` over a spike list (with a repeat); unlisted
/// elements keep their values.
fn reset_over_a_list(make: Make) {
    let mut k = kernel(
        Domain::List,
        vec![col("g.v", true), col("g.not_refractory", true)],
        &["v_r"],
    );
    k.body = vec![
        store(0, Index::Elem, Expr::Scalar(0)),
        store(1, Index::Elem, c(0.0)),
        Stmt::EmitSpike { cond: c(1.0) },
    ];
    let mut data = Data {
        columns: vec![vec![0.5; 6], vec![1.0; 6]],
        scalars: vec![-0.06],
        list: vec![9, 4, 1, 4, 9],
        start: 1,
        end: 4,
        ..Data::default()
    };
    assert_eq!(data.exec(make, &k), [4, 1, 4]);
    assert_same(&data.columns[0], &[0.5, -0.06, 0.5, 0.5, -0.06, 0.5], "v");
    assert_same(&data.columns[1], &[1.0, 0.0, 1.0, 1.0, 0.0, 1.0], "nr");
}

/// `v[post[e]] += w[e] * g[pre[e]]` with repeated targets: each visit sees the previous write,
/// so the expected sums are accumulated in plain Rust in visiting order.
fn synapses_accumulate_sequentially(make: Make) {
    // c0 = w (synapse column), c1 = v (target neurons), c2 = g (source neurons).
    let mut k = kernel(
        Domain::List,
        vec![
            col("syn.w", false),
            col("post.v", true),
            col("pre.g", false),
        ],
        &[],
    );
    k.body = vec![store(
        1,
        Index::Post,
        bin(
            BinOp::Add,
            ld(1, Index::Post),
            bin(BinOp::Mul, v(0), ld(2, Index::Pre)),
        ),
    )];
    let w = vec![0.1, 0.2, 0.3, 0.4, 0.7];
    let g = vec![1.5, -2.0];
    let pre = vec![0, 1, 0, 1, 1];
    let post = vec![1, 1, 0, 1, 2];
    let list = vec![0, 1, 2, 3, 1];
    let mut data = Data {
        columns: vec![w.clone(), vec![0.25, -0.5, 1.0], g.clone()],
        pre: pre.clone(),
        post: post.clone(),
        list: list.clone(),
        end: list.len(),
        ..Data::default()
    };
    data.exec(make, &k);
    let mut want = vec![0.25, -0.5, 1.0];
    for &s in &list {
        let s = s as usize;
        want[post[s] as usize] += w[s] * g[pre[s] as usize];
    }
    assert_same(&data.columns[1], &want, "v");

    // The same as a Range kernel over all synapses (synapse 4 is never listed above).
    k.domain = Domain::Range;
    let mut data = Data {
        columns: vec![w.clone(), vec![0.25, -0.5, 1.0], g.clone()],
        pre: pre.clone(),
        post: post.clone(),
        end: 5,
        ..Data::default()
    };
    data.exec(make, &k);
    let mut want = vec![0.25, -0.5, 1.0];
    for s in 0..5 {
        want[post[s] as usize] += w[s] * g[pre[s] as usize];
    }
    assert_same(&data.columns[1], &want, "v (range)");
}

/// A read-only shared column splatted into a vectorisable loop, and a shared accumulator
/// `total[0] += v[e]` that forces the sequential order (summed in plain Rust in that order).
fn shared_index_reads_and_accumulates(make: Make) {
    let mut k = kernel(
        Domain::Range,
        vec![
            col("g.v", true),
            col("g.offset", false),
            col("g.total", true),
        ],
        &[],
    );
    k.body = vec![store(
        0,
        Index::Elem,
        bin(BinOp::Add, v(0), ld(1, Index::Shared)),
    )];
    let v0 = vec![0.1, 0.2, 0.3, 0.4, 0.5];
    let mut data = Data::range(vec![v0.clone(), vec![0.05], vec![0.0]]);
    data.exec(make, &k);
    let shifted: Vec<f64> = v0.iter().map(|x| x + 0.05).collect();
    assert_same(&data.columns[0], &shifted, "v");

    k.body = vec![store(
        2,
        Index::Shared,
        bin(BinOp::Add, ld(2, Index::Shared), v(0)),
    )];
    data.exec(make, &k);
    let total = shifted.iter().fold(0.0, |acc, x| acc + x);
    assert_same(&data.columns[2], &[total], "total");
}

/// With `base = 10`, element `e` uses cell `e - 10` of `Elem` columns but `ElemIndex` is `e`.
fn base_offsets_elem_columns_but_not_indices(make: Make) {
    let mut k = kernel(Domain::Range, vec![col("g.i", true)], &[]);
    k.body = vec![
        store(0, Index::Elem, Expr::ElemIndex(Index::Elem)),
        Stmt::EmitSpike {
            cond: bin(BinOp::Ge, Expr::ElemIndex(Index::Elem), c(12.0)),
        },
    ];
    let mut data = Data {
        columns: vec![vec![-1.0; 5]],
        start: 11,
        end: 15,
        base: 10,
        ..Data::default()
    };
    assert_eq!(data.exec(make, &k), [12, 13, 14]);
    assert_same(&data.columns[0], &[-1.0, 11.0, 12.0, 13.0, 14.0], "i");
}

/// Inputs that exercise every function's domain edges.
const INPUTS: [f64; 17] = [
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.0,
    -1.0,
    2.5,
    -2.5,
    3.0,
    1e-20,
    -1e-20,
    710.0,
    800.0,
    -800.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];

/// The meaning of each function in plain Rust (`clip` with bounds -1 and 2).
fn plain(func: Func, x: f64) -> f64 {
    match func {
        Func::Exp => x.exp(),
        Func::Log => x.ln(),
        Func::Log10 => x.log10(),
        Func::Sqrt => x.sqrt(),
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Tan => x.tan(),
        Func::Sinh => x.sinh(),
        Func::Cosh => x.cosh(),
        Func::Tanh => x.tanh(),
        Func::Arcsin => x.asin(),
        Func::Arccos => x.acos(),
        Func::Arctan => x.atan(),
        Func::Expm1 => x.exp_m1(),
        Func::Log1p => x.ln_1p(),
        // Brian2's definition, as documented on `Func::Exprel`.
        Func::Exprel => {
            if x.abs() < 1e-16 {
                1.0
            } else if x > 717.0 {
                f64::INFINITY
            } else {
                x.exp_m1() / x
            }
        }
        Func::Abs => x.abs(),
        Func::Floor => x.floor(),
        Func::Ceil => x.ceil(),
        Func::Sign => {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        }
        Func::Trunc => x.trunc(),
        // Not `clamp`: clip is documented as min(max(x, lo), hi), which maps NaN to a bound.
        #[allow(clippy::manual_clamp)]
        Func::Clip => x.max(-1.0).min(2.0),
        // Not in `ALL_FUNCS` (internal, several arguments): see
        // `refractoriness_limit_matches_the_division`, and the shifted TimedArray lookups of
        // `tests/brian2_synapses.rs` for `timed_row`.
        Func::SinceLimit | Func::TimedRow | Func::Fma => f64::NAN,
        Func::FastExp | Func::FastExpm1 | Func::FastExprel => f64::NAN,
    }
}

/// `out = f(x)` for every function over [`INPUTS`] (17 values: an odd count, so the vector
/// loop's tail runs too).
fn every_func_matches_plain_rust(make: Make) {
    for func in ALL_FUNCS {
        let mut k = kernel(Domain::Range, vec![col("x", false), col("out", true)], &[]);
        let args = if func == Func::Clip {
            vec![v(0), c(-1.0), c(2.0)]
        } else {
            vec![v(0)]
        };
        k.body = vec![store(1, Index::Elem, call(func, args))];
        let mut data = Data::range(vec![INPUTS.to_vec(), vec![0.0; INPUTS.len()]]);
        data.exec(make, &k);
        let want: Vec<f64> = INPUTS.iter().map(|&x| plain(func, x)).collect();
        assert_same(&data.columns[1], &want, func.name());
    }
}

/// `out = fma(a, b, c)` is `a*b + c` rounded once (Rust's `mul_add`), on inputs where that
/// differs from rounding the product first, and on infinities and NaN.
fn fma_rounds_once(make: Make) {
    let e = f64::EPSILON;
    let cases: [(f64, f64, f64); 9] = [
        // (1 + e)(1 - e) - 1 = -e^2 exactly; the rounded product is 1, giving 0.
        (1.0 + e, 1.0 - e, -1.0),
        (0.1, 10.0, -1.0),
        (1.0 / 3.0, 3.0, -1.0),
        (-0.07, 0.99, 0.0007),
        (1e308, 10.0, -1e308),
        (f64::INFINITY, 0.0, 1.0),
        (f64::INFINITY, 2.0, f64::NEG_INFINITY),
        (f64::NAN, 1.0, 1.0),
        (2.0, 3.0, 4.0),
    ];
    let fused: Vec<f64> = cases.iter().map(|&(a, b, c)| a.mul_add(b, c)).collect();
    // The inputs are meaningful only if fusing changes some results.
    assert!(cases
        .iter()
        .zip(&fused)
        .any(|(&(a, b, c), f)| a * b + c != *f));
    let mut k = kernel(
        Domain::Range,
        vec![
            col("a", false),
            col("b", false),
            col("c", false),
            col("out", true),
        ],
        &[],
    );
    k.body = vec![store(
        3,
        Index::Elem,
        call(Func::Fma, vec![v(0), v(1), v(2)]),
    )];
    let mut data = Data::range(vec![
        cases.iter().map(|x| x.0).collect(),
        cases.iter().map(|x| x.1).collect(),
        cases.iter().map(|x| x.2).collect(),
        vec![0.0; cases.len()],
    ]);
    data.exec(make, &k);
    assert_same(&data.columns[3], &fused, "fma");
}

/// `fast_exp`, `fast_expm1` and `fast_exprel` give exactly what `backend::fastmath` (their
/// definition) gives, on both JIT loops and with `fma` inline or called: over the whole range,
/// near zero, at the clamps, where results overflow, underflow or are subnormal, on
/// infinities, NaN and signed zeros. An odd count, so the vector loop's tail runs too.
fn fast_exp_matches_its_twin(make: Make) {
    let mut xs: Vec<f64> = vec![
        0.0,
        -0.0,
        1e-300,
        -1e-17,
        1e-16,
        0.5,
        -0.5,
        1.0,
        std::f64::consts::LN_2 / 2.0,
        -40.0,
        -708.5,
        -745.0,
        -745.2,
        -800.0,
        709.0,
        709.78,
        709.8,
        710.0,
        717.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    // And a sweep over [-750, 750] with irregular steps.
    xs.extend((0..301).map(|k| -750.0 + 5.0 * k as f64 + 0.123_456_789 * (k % 7) as f64));
    assert!(!xs.len().is_multiple_of(2), "an odd count");
    for (func, twin) in [
        (
            Func::FastExp,
            snnc::backend::fastmath::exp as extern "C" fn(f64) -> f64,
        ),
        (Func::FastExpm1, snnc::backend::fastmath::expm1),
        (Func::FastExprel, snnc::backend::fastmath::exprel),
    ] {
        let mut k = kernel(Domain::Range, vec![col("x", false), col("out", true)], &[]);
        k.body = vec![store(1, Index::Elem, call(func, vec![v(0)]))];
        let mut data = Data::range(vec![xs.clone(), vec![0.0; xs.len()]]);
        data.exec(make, &k);
        let want: Vec<f64> = xs.iter().map(|&x| twin(x)).collect();
        assert_same(&data.columns[1], &want, func.name());
    }
}

/// The meaning of each operator in plain Rust, as documented on `BinOp`.
fn plain_binop(op: BinOp, a: f64, b: f64) -> f64 {
    let t = |x: bool| if x { 1.0 } else { 0.0 };
    match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::FloorDiv => (a / b).floor(),
        BinOp::Mod => a - b * (a / b).floor(),
        BinOp::Pow => a.powf(b),
        BinOp::Lt => t(a < b),
        BinOp::Le => t(a <= b),
        BinOp::Gt => t(a > b),
        BinOp::Ge => t(a >= b),
        BinOp::Eq => t(a == b),
        BinOp::Ne => t(a != b),
        BinOp::And => t(a != 0.0 && b != 0.0),
        BinOp::Or => t(a != 0.0 || b != 0.0),
    }
}

const ALL_BINOPS: [BinOp; 15] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Div,
    BinOp::FloorDiv,
    BinOp::Mod,
    BinOp::Pow,
    BinOp::Lt,
    BinOp::Le,
    BinOp::Gt,
    BinOp::Ge,
    BinOp::Eq,
    BinOp::Ne,
    BinOp::And,
    BinOp::Or,
];

/// `out = a op b` over all pairs of a small value set, against plain Rust; plus Python's `%`
/// and `//` on negatives checked against values computed by hand (as Python prints them).
fn every_binop_matches_plain_rust(make: Make) {
    let values = [
        -7.0,
        -2.0,
        -0.0,
        0.0,
        0.5,
        2.0,
        3.0,
        7.5,
        f64::INFINITY,
        f64::NAN,
    ];
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for &x in &values {
        for &y in &values {
            a.push(x);
            b.push(y);
        }
    }
    for op in ALL_BINOPS {
        let mut k = kernel(
            Domain::Range,
            vec![col("a", false), col("b", false), col("out", true)],
            &[],
        );
        k.body = vec![store(2, Index::Elem, bin(op, v(0), v(1)))];
        let mut data = Data::range(vec![a.clone(), b.clone(), vec![0.0; a.len()]]);
        data.exec(make, &k);
        let want: Vec<f64> = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| plain_binop(op, x, y))
            .collect();
        assert_same(&data.columns[2], &want, &format!("{op:?}"));
    }
    // Python: -7 % 3 == 2, 7 % -3 == -2, -7.5 % 2 == 0.5, -7 // 2 == -4, 7 // -2 == -4,
    // -7 // -2 == 3.
    let cases = [
        (BinOp::Mod, -7.0, 3.0, 2.0),
        (BinOp::Mod, 7.0, -3.0, -2.0),
        (BinOp::Mod, -7.5, 2.0, 0.5),
        (BinOp::FloorDiv, -7.0, 2.0, -4.0),
        (BinOp::FloorDiv, 7.0, -2.0, -4.0),
        (BinOp::FloorDiv, -7.0, -2.0, 3.0),
    ];
    for (op, x, y, want) in cases {
        let mut k = kernel(Domain::Range, vec![col("out", true)], &[]);
        k.body = vec![store(0, Index::Elem, bin(op, c(x), c(y)))];
        let mut data = Data::range(vec![vec![0.0; 3]]);
        data.exec(make, &k);
        assert_same(&data.columns[0], &[want; 3], &format!("{x} {op:?} {y}"));
    }
}

/// NaN and infinity, with expected values by hand: IEEE arithmetic (`inf - inf` is NaN, `1/0`
/// is `inf`, `-(0.0)` is `-0.0`), ordered comparisons with NaN false and `!=` true, and the IR's
/// truth rule "nonzero, NaN included, is true" for `not`, `and`, `select` and spikes.
fn nan_and_infinity_follow_ieee_and_the_ir_truth_rules(make: Make) {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let cases: Vec<(Expr, f64)> = vec![
        (bin(BinOp::Sub, c(inf), c(inf)), nan),
        (bin(BinOp::Div, c(1.0), c(0.0)), inf),
        (bin(BinOp::Div, c(-1.0), c(0.0)), -inf),
        (bin(BinOp::Div, c(0.0), c(0.0)), nan),
        (un(UnOp::Neg, c(0.0)), -0.0),
        (bin(BinOp::Mul, c(-0.0), c(5.0)), -0.0),
        (bin(BinOp::Lt, c(nan), c(1.0)), 0.0),
        (bin(BinOp::Ge, c(nan), c(nan)), 0.0),
        (bin(BinOp::Eq, c(nan), c(nan)), 0.0),
        (bin(BinOp::Ne, c(nan), c(nan)), 1.0),
        (un(UnOp::Not, c(nan)), 0.0),
        (un(UnOp::Not, c(-0.0)), 1.0),
        (bin(BinOp::And, c(nan), c(2.0)), 1.0),
        (bin(BinOp::Or, c(0.0), c(-0.0)), 0.0),
        (
            Expr::Select {
                cond: Box::new(c(nan)),
                then: Box::new(c(1.0)),
                otherwise: Box::new(c(2.0)),
            },
            1.0,
        ),
        (
            Expr::Select {
                cond: Box::new(c(-0.0)),
                then: Box::new(c(1.0)),
                otherwise: Box::new(c(2.0)),
            },
            2.0,
        ),
        (call(Func::Sqrt, vec![c(-1.0)]), nan),
        // Rust's `max` ignores a NaN operand: NaN.max(0).min(1) is 0.
        (call(Func::Clip, vec![c(nan), c(0.0), c(1.0)]), 0.0),
        (bin(BinOp::Mod, c(5.0), c(0.0)), nan),
        (bin(BinOp::Pow, c(nan), c(0.0)), 1.0),
    ];
    for (expr, want) in cases {
        let mut k = kernel(Domain::Range, vec![col("x", false), col("out", true)], &[]);
        // Constant operands check each rule's translation (and any constant folding); the
        // binop and function tests above cover the same values loaded at run time.
        k.body = vec![store(1, Index::Elem, expr.clone())];
        let mut data = Data::range(vec![vec![0.0; 3], vec![7.0; 3]]);
        data.exec(make, &k);
        assert_same(&data.columns[1], &[want; 3], &format!("{expr:?}"));
    }
    // Spikes: NaN is true for EmitSpike too (elements 0 and 2).
    let mut k = kernel(Domain::Range, vec![col("x", false)], &[]);
    k.body = vec![Stmt::EmitSpike { cond: v(0) }];
    let mut data = Data::range(vec![vec![nan, 0.0, -inf, -0.0]]);
    assert_eq!(data.exec(make, &k), [0, 2]);
}

/// `u = rand(); z = randn()` per element must equal `rng::uniform`/`rng::normal` with the key
/// (seed, rng_object, site, e, step) to the bit, and be statistically sane: over n = 20000
/// elements the uniform mean is 1/2 (standard error sqrt(1/12/n) = 0.002) and the normal mean
/// 0 and variance 1 (standard errors 0.007 and 0.01); bounds are about 5 standard errors.
fn random_numbers_match_the_rng_and_are_sane(make: Make) {
    let n = 20_001;
    let mut k = kernel(Domain::Range, vec![col("u", true), col("z", true)], &[]);
    k.body = vec![
        store(0, Index::Elem, Expr::Rand { site: 3 }),
        store(1, Index::Elem, Expr::Randn { site: 4 }),
    ];
    let mut data = Data::range(vec![vec![0.0; n], vec![0.0; n]]);
    data.seed = 42;
    data.step = 17;
    data.exec(make, &k);
    let want_u: Vec<f64> = (0..n as u64)
        .map(|e| rng::uniform(42, k.rng_object, 3, e, 17))
        .collect();
    let want_z: Vec<f64> = (0..n as u64)
        .map(|e| rng::normal(42, k.rng_object, 4, e, 17))
        .collect();
    assert_same(&data.columns[0], &want_u, "u");
    assert_same(&data.columns[1], &want_z, "z");
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let (mu, mz) = (mean(&data.columns[0]), mean(&data.columns[1]));
    let var_z = data.columns[1]
        .iter()
        .map(|z| (z - mz).powi(2))
        .sum::<f64>()
        / n as f64;
    assert!((mu - 0.5).abs() < 0.01, "uniform mean {mu}");
    assert!(data.columns[0].iter().all(|&u| (0.0..1.0).contains(&u)));
    assert!(mz.abs() < 0.035, "normal mean {mz}");
    assert!((var_z - 1.0).abs() < 0.05, "normal variance {var_z}");

    // In a List kernel the key's element is the listed element, not the list position.
    k.domain = Domain::List;
    let mut data = Data {
        columns: vec![vec![0.0; 4], vec![0.0; 4]],
        list: vec![3, 1],
        end: 2,
        seed: 42,
        step: 17,
        ..Data::default()
    };
    data.exec(make, &k);
    assert_same(
        &data.columns[0],
        &[0.0, want_u[1], 0.0, want_u[3]],
        "u (list)",
    );
}

/// `start == end` and `start > end` run no element and emit nothing.
fn empty_and_reversed_ranges_do_nothing(make: Make) {
    let mut k = kernel(Domain::Range, vec![col("v", true)], &[]);
    k.body = vec![
        store(0, Index::Elem, c(1.0)),
        Stmt::EmitSpike { cond: c(1.0) },
    ];
    for (start, end) in [(0, 0), (2, 2), (3, 1)] {
        let mut data = Data {
            columns: vec![vec![0.0; 4]],
            start,
            end,
            ..Data::default()
        };
        assert_eq!(data.exec(make, &k), Vec::<u32>::new());
        assert_same(&data.columns[0], &[0.0; 4], "v");
    }
}

/// `v = %0; %0 = %0 + v2` where the prologue sets `%0 = 10`: every element reads 10 (the
/// prologue's value), never the previous element's update.
fn each_element_starts_from_the_prologue_temps(make: Make) {
    let mut k = kernel(Domain::Range, vec![col("v", true), col("w", false)], &[]);
    k.prologue = vec![Stmt::Let {
        temp: 0,
        value: c(10.0),
    }];
    k.n_temps = 1;
    k.body = vec![
        store(0, Index::Elem, Expr::Temp(0)),
        Stmt::Let {
            temp: 0,
            value: bin(BinOp::Add, Expr::Temp(0), v(1)),
        },
        Stmt::EmitSpike {
            cond: bin(BinOp::Gt, Expr::Temp(0), c(11.0)),
        },
    ];
    let mut data = Data::range(vec![vec![0.0; 5], vec![1.0, 2.0, 0.5, 3.0, 1.0]]);
    assert_eq!(data.exec(make, &k), [1, 3]);
    assert_same(&data.columns[0], &[10.0; 5], "v");
}

/// `c0[e] = gather(c1, e*0.75 - 1 + 0.5*not_first)`: positions -1, 0.25 (truncates to 0),
/// 1, 1.75 (to 1), 2.5 (to 2), 3.25 and NaN for element 6 (through `0/0`), over a row of
/// three values: NaN outside the row, as Brian2's two-dimensional TimedArray returns. Seven
/// elements so the vectorised JIT also covers a pair with one lane in and one out.
fn gather_reads_the_truncated_position_or_nan(make: Make) {
    let mut k = kernel(
        Domain::Range,
        vec![col("v", true), col("table.row", false)],
        &[],
    );
    let e = Expr::ElemIndex(Index::Elem);
    let not_first = bin(BinOp::Ne, e.clone(), c(0.0));
    let mut position = bin(
        BinOp::Add,
        bin(BinOp::Sub, bin(BinOp::Mul, e.clone(), c(0.75)), c(1.0)),
        bin(BinOp::Mul, c(0.5), not_first),
    );
    // Element 6 reads position NaN.
    position = Expr::Select {
        cond: Box::new(bin(BinOp::Eq, e, c(6.0))),
        then: Box::new(bin(BinOp::Div, c(0.0), c(0.0))),
        otherwise: Box::new(position),
    };
    k.body = vec![store(
        0,
        Index::Elem,
        Expr::Gather {
            col: 1,
            index: Box::new(position),
        },
    )];
    let mut data = Data::range(vec![vec![0.0; 7], vec![10.0, 20.0, 30.0]]);
    assert_eq!(data.exec(make, &k), Vec::<u32>::new());
    let nan = f64::NAN;
    assert_same(
        &data.columns[0],
        &[nan, 10.0, 20.0, 20.0, 30.0, nan, nan],
        "v",
    );
}

/// The two forms of Brian2's refractoriness test, `timestep(t - lastspike, dt) >= n` with
/// `timestep(x, dt) = int((x + 1e-3*dt)/dt)`: the division per element, and the comparison of
/// `lastspike` with `since_limit(t, dt, n)` that neuron groups use. Scalars `t`, `dt`, `n`;
/// `lastspike` values at, around and far from the boundary, and non-finite ones. Both forms
/// must give the same 0/1 for every element, on every backend.
fn refractoriness_limit_matches_the_division(make: Make) {
    let mut k = kernel(
        Domain::Range,
        vec![
            col("lastspike", false),
            col("div", true),
            col("limit", true),
        ],
        &["t", "dt", "n"],
    );
    let (t, dt, n) = (Expr::Scalar(0), Expr::Scalar(1), Expr::Scalar(2));
    let since = call(
        Func::Trunc,
        vec![bin(
            BinOp::Div,
            bin(
                BinOp::Add,
                bin(BinOp::Sub, t.clone(), v(0)),
                bin(BinOp::Mul, c(1e-3), dt.clone()),
            ),
            dt.clone(),
        )],
    );
    k.body = vec![
        store(1, Index::Elem, bin(BinOp::Ge, since, n.clone())),
        store(
            2,
            Index::Elem,
            bin(BinOp::Le, v(0), call(Func::SinceLimit, vec![t, dt, n])),
        ),
    ];
    for (t, dt, n) in [(0.1234, 1e-4, 50.0), (2.0, 1e-5, 0.0), (0.0, 1e-4, 3.0)] {
        // The boundary in real numbers and the representable numbers around it.
        let mut x = (t + 1e-3 * dt) - n * dt;
        let mut lastspike = vec![-1e4, f64::NEG_INFINITY, f64::INFINITY, f64::NAN, t];
        x = x.next_down().next_down().next_down();
        for _ in 0..8 {
            lastspike.push(x);
            x = x.next_up();
        }
        let len = lastspike.len();
        let mut data = Data::range(vec![lastspike, vec![0.0; len], vec![0.0; len]]);
        data.scalars = vec![t, dt, n];
        data.exec(make, &k);
        assert_same(&data.columns[2], &data.columns[1], "limit form vs division");
        // Both outcomes occur, so the comparison is not trivially equal.
        assert!(data.columns[1].contains(&0.0) && data.columns[1].contains(&1.0));
    }
}

/// The shape of a neuron group's `lastspike` update: `v += 1; spiked = v > 2;
/// spike if spiked; lastspike = select(spiked, t, lastspike)` (the JIT's vector loop does the
/// last store only in iterations with a spike). 29 elements: unrolled iterations of 8 with
/// and without spikes, the single-pair loop with and without, and the scalar tail.
fn spike_time_stores_change_only_spiking_elements(make: Make) {
    let mut k = kernel(
        Domain::Range,
        vec![col("g.v", true), col("g.lastspike", true)],
        &["t"],
    );
    k.n_temps = 2;
    k.body = vec![
        Stmt::Let {
            temp: 1,
            value: v(1),
        },
        store(0, Index::Elem, bin(BinOp::Add, v(0), c(1.0))),
        Stmt::Let {
            temp: 0,
            value: bin(BinOp::Gt, v(0), c(2.0)),
        },
        Stmt::EmitSpike {
            cond: Expr::Temp(0),
        },
        store(
            1,
            Index::Elem,
            Expr::Select {
                cond: Box::new(Expr::Temp(0)),
                then: Box::new(Expr::Scalar(0)),
                otherwise: Box::new(Expr::Temp(1)),
            },
        ),
    ];
    // Spiking: 1, 2 (one pair), 7 (a second lane) in 0..8; none in 8..16; 17..=21 in 16..24
    // (pairs 16..18 and 22..24 without); in the single-pair loop none in 24..26 and 27 in
    // 26..28; 28 (the tail).
    let spiking = [1, 2, 7, 17, 18, 19, 20, 21, 27, 28];
    let v0: Vec<f64> = (0..29)
        .map(|i| if spiking.contains(&i) { 5.0 } else { 0.0 })
        .collect();
    let ls0: Vec<f64> = (0..29).map(|i| -1.0 - i as f64).collect();
    let mut data = Data::range(vec![v0.clone(), ls0.clone()]);
    data.scalars = vec![0.25];
    let spikes = data.exec(make, &k);
    assert_eq!(spikes, spiking.map(|i| i as u32));
    let want_ls: Vec<f64> = (0..29)
        .map(|i| if spiking.contains(&i) { 0.25 } else { ls0[i] })
        .collect();
    assert_same(&data.columns[1], &want_ls, "lastspike");
    let want_v: Vec<f64> = v0.iter().map(|x| x + 1.0).collect();
    assert_same(&data.columns[0], &want_v, "v");
    // The same call over an odd sub-range leaves the rest alone.
    let mut data = Data::range(vec![v0, ls0.clone()]);
    data.scalars = vec![0.5];
    data.start = 3;
    data.end = 20;
    data.exec(make, &k);
    let want_ls: Vec<f64> = (0..29)
        .map(|i| {
            if (3..20).contains(&i) && spiking.contains(&i) {
                0.5
            } else {
                ls0[i]
            }
        })
        .collect();
    assert_same(&data.columns[1], &want_ls, "lastspike over 3..20");
}

// ---- property test: random kernels ----------------------------------------------------------

/// Elements of `Elem` columns in generated kernels (odd, so the vector loop has a tail).
const N: usize = 11;
/// Cells of the neuron column that synapse kernels reach through `pre`/`post`.
const TARGETS: usize = 4;
/// Temporaries set by the generated prologue.
const PROLOGUE_TEMPS: u32 = 2;

/// Interesting constants: signed zeros, values near function edges, huge, tiny, non-finite.
fn constant() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -10.0..10.0f64,
        1 => prop::sample::select(vec![
            0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -7.0, 717.5, 1e300, -1e-300,
            f64::INFINITY, f64::NEG_INFINITY, f64::NAN,
        ]),
    ]
}

/// Leaves; `per_element` allows loads, element indices and random numbers (not in the
/// prologue); `synapses` allows `Pre`/`Post`.
fn leaf(per_element: bool, synapses: bool) -> BoxedStrategy<Expr> {
    let uniform = prop_oneof![
        3 => constant().prop_map(Expr::Const),
        1 => (0..2u32).prop_map(Expr::Scalar),
        1 => (0..PROLOGUE_TEMPS).prop_map(Expr::Temp),
    ];
    if !per_element {
        return uniform.boxed();
    }
    let index = if synapses {
        prop::sample::select(vec![Index::Elem, Index::Shared, Index::Pre, Index::Post]).boxed()
    } else {
        prop::sample::select(vec![Index::Elem, Index::Shared]).boxed()
    };
    prop_oneof![
        4 => uniform,
        // c0..c2 are Elem columns, c3 is the read-only shared cell, c4 the neuron column
        // reached through pre/post; `fix_loads` maps each index to a column it may use.
        4 => ((0..3u32), index.clone()).prop_map(|(col, index)| Expr::Load { col, index }),
        1 => index.clone().prop_map(Expr::ElemIndex),
        // c5 is a read-only row of three values; positions go below, inside and past it.
        1 => (prop::sample::select(vec![-1.0, 0.0, 0.5, 2.0, 2.9, 3.0, -0.5, 1e300, f64::NAN]), index)
            .prop_map(|(x, index)| Expr::Gather {
                col: 5,
                index: Box::new(bin(BinOp::Sub, c(x), Expr::ElemIndex(index))),
            }),
        1 => Just(Expr::Rand { site: 0 }),
        1 => Just(Expr::Randn { site: 0 }),
    ]
    .boxed()
}

fn expr(per_element: bool, synapses: bool) -> BoxedStrategy<Expr> {
    leaf(per_element, synapses)
        .prop_recursive(6, 48, 3, |inner| {
            prop_oneof![
                (
                    prop::sample::select(vec![UnOp::Neg, UnOp::Not]),
                    inner.clone()
                )
                    .prop_map(|(op, a)| un(op, a)),
                (
                    prop::sample::select(ALL_BINOPS.to_vec()),
                    inner.clone(),
                    inner.clone()
                )
                    .prop_map(|(op, a, b)| bin(op, a, b)),
                (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| {
                    Expr::Select {
                        cond: Box::new(c),
                        then: Box::new(a),
                        otherwise: Box::new(b),
                    }
                }),
                (
                    // The user-visible functions and the internal ones (refractoriness limit,
                    // TimedArray row, fma, the fast-math twins) that lowering makes, with arbitrary
                    // arguments.
                    prop::sample::select(
                        ALL_FUNCS
                            .iter()
                            .copied()
                            .chain(INTERNAL_FUNCS)
                            .collect::<Vec<_>>()
                    ),
                    prop::collection::vec(inner, 4)
                )
                    .prop_map(|(f, mut args)| {
                        args.truncate(f.arity());
                        call(f, args)
                    }),
            ]
        })
        .boxed()
}

/// One generated statement before fix-up: 0 = let, 1 = store, 2 = spike.
type RawStmt = (u8, u32, Expr);

fn raw_kernel() -> impl Strategy<Value = (bool, bool, Vec<Expr>, Vec<RawStmt>)> {
    (any::<bool>(), any::<bool>()).prop_flat_map(|(list, synapses)| {
        (
            Just(list),
            Just(synapses),
            prop::collection::vec(expr(false, false), PROLOGUE_TEMPS as usize),
            prop::collection::vec(((0..3u8), (0..4u32), expr(true, synapses)), 1..6),
        )
    })
}

/// Makes a generated expression valid: loads use a column that fits their index, temporaries
/// read only what is written (`available`), and random sites are numbered uniquely.
fn fix(e: &mut Expr, available: u32, site: &mut u32) {
    if available == 0 && matches!(e, Expr::Temp(_)) {
        *e = c(0.25);
        return;
    }
    match e {
        Expr::Load { col, index } => {
            *col = match index {
                Index::Elem => *col % 3,
                Index::Shared => 3,
                Index::Pre | Index::Post => 4,
            }
        }
        Expr::Temp(t) => *t %= available,
        Expr::Rand { site: s } | Expr::Randn { site: s } => {
            *s = *site;
            *site += 1;
        }
        Expr::Unary { arg, .. } | Expr::Gather { index: arg, .. } => fix(arg, available, site),
        Expr::Binary { lhs, rhs, .. } => {
            fix(lhs, available, site);
            fix(rhs, available, site);
        }
        Expr::Select {
            cond,
            then,
            otherwise,
        } => {
            fix(cond, available, site);
            fix(then, available, site);
            fix(otherwise, available, site);
        }
        Expr::Call { args, .. } => args.iter_mut().for_each(|a| fix(a, available, site)),
        Expr::Const(_) | Expr::Scalar(_) | Expr::ElemIndex(_) => {}
    }
}

/// Builds the kernel: prologue lets %0, %1; body statements in order, lets writing fresh
/// temporaries (or %0 when the statement's column number is 0), stores to c0..c2 (or c4 through `post` in synapse kernels, when the statement's
/// column number says 3).
fn build(list: bool, synapses: bool, prologue: Vec<Expr>, body: Vec<RawStmt>) -> Kernel {
    let mut k = kernel(
        if list { Domain::List } else { Domain::Range },
        vec![
            col("g.a", true),
            col("g.b", true),
            col("g.c", true),
            col("g.shared", false),
            col("n.v", true),
            col("table.row", false),
        ],
        &["s0", "s1"],
    );
    let mut site = 0;
    for (t, mut e) in prologue.into_iter().enumerate() {
        // %0 reads no temporary, %1 may read %0.
        fix(&mut e, t as u32, &mut site);
        k.prologue.push(Stmt::Let {
            temp: t as u32,
            value: e,
        });
    }
    let mut temps = PROLOGUE_TEMPS;
    for (kind, target, mut e) in body {
        fix(&mut e, temps, &mut site);
        k.body.push(match kind {
            // Sometimes overwrite prologue temporary %0, whose value each element must still
            // start from.
            0 if target == 0 => Stmt::Let { temp: 0, value: e },
            0 => {
                temps += 1;
                Stmt::Let {
                    temp: temps - 1,
                    value: e,
                }
            }
            1 if target == 3 && synapses => store(4, Index::Post, e),
            1 => store(target % 3, Index::Elem, e),
            _ => Stmt::EmitSpike { cond: e },
        });
    }
    k.n_temps = temps;
    k
}

fn prop_data(list: bool, values: &[f64], picks: &[u32]) -> Data {
    let col = |i: usize| (0..N).map(|e| values[(i * N + e) % values.len()]).collect();
    let pick = |i: usize, m: usize| picks[i % picks.len()] % m as u32;
    let list_elems: Vec<u32> = (0..picks.len()).map(|i| pick(i, N)).collect();
    Data {
        columns: vec![
            col(0),
            col(1),
            col(2),
            vec![values[0]],
            vec![0.5; TARGETS],
            vec![values[3 % values.len()], -2.0, 8.0],
        ],
        scalars: vec![values[1], values[2]],
        pre: (0..N).map(|e| pick(e + 1, TARGETS)).collect(),
        post: (0..N).map(|e| pick(e + 2, TARGETS)).collect(),
        end: if list { list_elems.len() } else { N },
        list: list_elems,
        seed: 7,
        step: 3,
        ..Data::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random well-typed kernels: interpreter, vectorised JIT and scalar JIT produce the same
    /// columns (bits, any NaN equal) and the same spikes.
    #[test]
    fn random_kernels_agree(
        (list, synapses, prologue, body) in raw_kernel(),
        values in prop::collection::vec(constant(), 8..40),
        picks in prop::collection::vec(any::<u32>(), 1..24),
    ) {
        let k = build(list, synapses, prologue, body);
        // The lowering passes (invariant hoisting, then common subexpressions, store
        // forwarding and dead stores) must not change a single bit either.
        let mut optimised = k.clone();
        snnc::lower::hoist::hoist(&mut optimised);
        snnc::lower::cse::eliminate(&mut optimised);
        let base = prop_data(list, &values, &picks);
        let mut reference = base.clone();
        let want = reference.exec(interp, &k);
        for (name, make, k) in [
            ("jit", jit as Make, &k),
            ("jit_scalar", jit_scalar as Make, &k),
            ("interp, optimised", interp as Make, &optimised),
            ("jit, optimised", jit as Make, &optimised),
        ] {
            let mut d = base.clone();
            let got = d.exec(make, k);
            prop_assert_eq!(&got, &want, "{} spikes", name);
            for (c, (g, w)) in d.columns.iter().zip(&reference.columns).enumerate() {
                for (i, (x, y)) in g.iter().zip(w).enumerate() {
                    prop_assert!(same(*x, *y), "{} c{}[{}]: {:?} vs {:?}\n{}", name, c, i, x, y,
                        snnc::lower::print::print_kernel(k));
                }
            }
        }
    }
}

/// `v = w` (one stored column) and `v = w; u = x` (two, which the vector loop combines per
/// pair) over 0..=19 elements (the unrolled, pair and scalar loops in every combination): with
/// every loaded value finite, however large or small, the call reports `Finite`; with one NaN
/// or infinity at any position of any loaded column it reports `MaybeNonFinite`, so the
/// runtime's scan cannot miss it.
fn stores_report_every_non_finite_value(make: Make) {
    let mut one = kernel(Domain::Range, vec![col("v", true), col("w", false)], &[]);
    one.body = vec![store(0, Index::Elem, ld(1, Index::Elem))];
    let mut two = kernel(
        Domain::Range,
        vec![
            col("v", true),
            col("w", false),
            col("u", true),
            col("x", false),
        ],
        &[],
    );
    two.body = vec![
        store(0, Index::Elem, ld(1, Index::Elem)),
        store(2, Index::Elem, ld(3, Index::Elem)),
    ];
    for (k, loaded) in [(&one, &[1][..]), (&two, &[1, 3][..])] {
        let n_cols = k.columns.len();
        for n in 0..=19usize {
            for fine in [1.5, f64::MAX, -f64::MAX, 5e-324, -0.0] {
                let mut data = Data::range(vec![vec![fine; n]; n_cols]);
                data.exec(make, k);
                assert_eq!(data.stores, Some(Stores::Finite), "n = {n}, all {fine}");
            }
            for &c in loaded {
                for p in 0..n {
                    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                        let mut cols = vec![vec![1.5; n]; n_cols];
                        cols[c][p] = bad;
                        let mut data = Data::range(cols);
                        data.exec(make, k);
                        assert_eq!(
                            data.stores,
                            Some(Stores::MaybeNonFinite),
                            "{n_cols} columns, n = {n}, {bad} at {p} of c{c}"
                        );
                    }
                }
            }
        }
    }
}

//! Random well-typed kernels from fuzzer bytes, for the interpreter-vs-JIT target: the same
//! shape as the property test in `tests/differential.rs` (three element columns `c0..c2`, a
//! read-only shared cell `c3`, a neuron column `c4` reached through `pre`/`post`, a read-only
//! row `c5` of three values for gathers, two scalars, two prologue temporaries), but driven by
//! the fuzzer's bytes so coverage guides the search.

use snnc::backend::interp::Interpreter;
use snnc::backend::jit::JitBackend;
use snnc::backend::{Backend, KernelData};
use snnc::lower::ir::{
    BinOp, ColumnDecl, Domain, Expr, Index, Kernel, Stmt, UnOp, ALL_FUNCS, INTERNAL_FUNCS,
};

/// Elements per kernel call.
const N: usize = 9;
/// Neurons reached through `pre`/`post`.
const TARGETS: usize = 4;
/// Temporaries set by the prologue.
const PROLOGUE_TEMPS: u32 = 2;
/// Deepest expression generated.
const MAX_DEPTH: u32 = 6;

const BINOPS: [BinOp; 15] = [
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

const CONSTANTS: [f64; 16] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    3.0,
    -7.0,
    717.5,
    1e300,
    -1e-300,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    0.1,
    -2.5,
];

/// Reads the fuzzer's bytes; zeros once they run out.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    /// Starts at the first byte.
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, pos: 0 }
    }

    fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        self.u8() as usize % n
    }

    fn f64(&mut self) -> f64 {
        match self.u8() {
            b if b < 128 => CONSTANTS[b as usize % CONSTANTS.len()],
            b => (f64::from(b) - 192.0) / 6.4 + f64::from(self.u8()) / 256.0,
        }
    }
}

struct Gen<'b, 'a> {
    b: &'b mut Bytes<'a>,
    per_element: bool,
    synapses: bool,
    temps: u32,
    site: u32,
}

impl Gen<'_, '_> {
    fn leaf(&mut self) -> Expr {
        let choices = if self.per_element { 8 } else { 3 };
        match self.b.below(choices) {
            0 => Expr::Const(self.b.f64()),
            1 => Expr::Scalar(self.b.below(2) as u32),
            2 if self.temps > 0 => Expr::Temp(self.b.below(self.temps as usize) as u32),
            2 => Expr::Const(0.25),
            3 | 4 => {
                let index = self.index();
                let col = match index {
                    Index::Elem => self.b.below(3) as u32,
                    Index::Shared => 3,
                    Index::Pre | Index::Post => 4,
                };
                Expr::Load { col, index }
            }
            5 => Expr::ElemIndex(self.index()),
            // A gather at a position around the element index: below, inside and past `c5`.
            6 => {
                let index = self.index();
                Expr::Gather {
                    col: 5,
                    index: Box::new(Expr::Binary {
                        op: BinOp::Sub,
                        lhs: Box::new(Expr::Const(self.b.f64())),
                        rhs: Box::new(Expr::ElemIndex(index)),
                    }),
                }
            }
            _ => {
                self.site += 1;
                if self.b.u8() % 2 == 0 {
                    Expr::Rand { site: self.site }
                } else {
                    Expr::Randn { site: self.site }
                }
            }
        }
    }

    fn index(&mut self) -> Index {
        let n = if self.synapses { 4 } else { 2 };
        [Index::Elem, Index::Shared, Index::Pre, Index::Post][self.b.below(n)]
    }

    fn expr(&mut self, depth: u32) -> Expr {
        if depth >= MAX_DEPTH {
            return self.leaf();
        }
        match self.b.below(8) {
            0..=2 => self.leaf(),
            3 => Expr::Unary {
                op: if self.b.u8() % 2 == 0 {
                    UnOp::Neg
                } else {
                    UnOp::Not
                },
                arg: Box::new(self.expr(depth + 1)),
            },
            4 | 5 => Expr::Binary {
                op: BINOPS[self.b.below(BINOPS.len())],
                lhs: Box::new(self.expr(depth + 1)),
                rhs: Box::new(self.expr(depth + 1)),
            },
            6 => Expr::Select {
                cond: Box::new(self.expr(depth + 1)),
                then: Box::new(self.expr(depth + 1)),
                otherwise: Box::new(self.expr(depth + 1)),
            },
            _ => {
                // The user-visible functions and the internal ones lowering makes.
                let k = self.b.below(ALL_FUNCS.len() + INTERNAL_FUNCS.len());
                let func = ALL_FUNCS
                    .get(k)
                    .copied()
                    .unwrap_or_else(|| INTERNAL_FUNCS[k - ALL_FUNCS.len()]);
                let args = (0..func.arity()).map(|_| self.expr(depth + 1)).collect();
                Expr::Call { func, args }
            }
        }
    }
}

fn col(name: &str, written: bool) -> ColumnDecl {
    ColumnDecl {
        name: name.into(),
        written,
    }
}

/// A kernel and the data of one call, both from the bytes.
pub struct Case {
    /// The kernel.
    pub kernel: Kernel,
    columns: Vec<Vec<f64>>,
    scalars: Vec<f64>,
    pre: Vec<u32>,
    post: Vec<u32>,
    list: Vec<u32>,
    end: usize,
}

/// Builds a case.
pub fn case(b: &mut Bytes) -> Case {
    let list = b.u8() % 2 == 1;
    let synapses = b.u8() % 2 == 1;
    let mut kernel = Kernel {
        name: "fuzz".into(),
        columns: vec![
            col("g.a", true),
            col("g.b", true),
            col("g.c", true),
            col("g.shared", false),
            col("n.v", true),
            col("table.row", false),
        ],
        scalars: vec!["s0".into(), "s1".into()],
        domain: if list { Domain::List } else { Domain::Range },
        prologue: vec![],
        body: vec![],
        n_temps: 0,
        rng_object: 0x5eed,
    };
    let mut g = Gen {
        b,
        per_element: false,
        synapses,
        temps: 0,
        site: 0,
    };
    for t in 0..PROLOGUE_TEMPS {
        g.temps = t;
        let value = g.expr(0);
        kernel.prologue.push(Stmt::Let { temp: t, value });
    }
    g.per_element = true;
    g.temps = PROLOGUE_TEMPS;
    let stmts = 1 + g.b.below(5);
    for _ in 0..stmts {
        let kind = g.b.below(3);
        let target = g.b.below(4) as u32;
        let value = g.expr(0);
        kernel.body.push(match kind {
            0 if target == 0 => Stmt::Let { temp: 0, value },
            0 => {
                g.temps += 1;
                Stmt::Let {
                    temp: g.temps - 1,
                    value,
                }
            }
            1 if target == 3 && synapses => Stmt::Store {
                col: 4,
                index: Index::Post,
                value,
            },
            1 => Stmt::Store {
                col: target % 3,
                index: Index::Elem,
                value,
            },
            _ => Stmt::EmitSpike { cond: value },
        });
    }
    kernel.n_temps = g.temps;
    let values: Vec<f64> = (0..3 * N + 3).map(|_| b.f64()).collect();
    let picks: Vec<u32> = (0..N + 2).map(|_| u32::from(b.u8())).collect();
    let column = |i: usize| (0..N).map(|e| values[i * N + e]).collect();
    let list_elems: Vec<u32> = (0..N).map(|k| picks[k] % N as u32).collect();
    Case {
        kernel,
        columns: vec![
            column(0),
            column(1),
            column(2),
            vec![values[3 * N]],
            vec![0.5; TARGETS],
            vec![values[0], -2.0, 8.0],
        ],
        scalars: vec![values[3 * N + 1], values[3 * N + 2]],
        pre: (0..N).map(|e| picks[e + 1] % TARGETS as u32).collect(),
        post: (0..N).map(|e| picks[e + 2] % TARGETS as u32).collect(),
        end: N,
        list: list_elems,
    }
}

/// Runs the case on a backend; returns the columns and spikes.
pub fn run(case: &Case, backend: &mut dyn Backend) -> (Vec<Vec<f64>>, Vec<u32>) {
    let compiled = backend
        .compile(&case.kernel)
        .expect("a well-typed kernel compiles");
    let mut columns = case.columns.clone();
    let mut spikes = Vec::new();
    let mut data = KernelData {
        columns: columns.iter_mut().map(|c| c.as_mut_slice()).collect(),
        scalars: &case.scalars,
        pre: &case.pre,
        post: &case.post,
        list: &case.list,
        start: 0,
        end: case.end,
        base: 0,
        step: 3,
        seed: 7,
        spikes: &mut spikes,
    };
    compiled.run(&mut data);
    (columns, spikes)
}

/// Interpreter, vectorised JIT and scalar JIT agree: same spikes, same bits (any NaN equal).
pub fn check_agree(data: &[u8]) {
    let c = case(&mut Bytes::new(data));
    let (want_cols, want_spikes) = run(&c, &mut Interpreter::new());
    for vectorise in [true, false] {
        let mut jit = JitBackend::new().expect("the JIT works on this host");
        jit.set_vectorise(vectorise);
        let (cols, spikes) = run(&c, &mut jit);
        assert_eq!(spikes, want_spikes, "spikes (vectorise {vectorise})");
        for (k, (g, w)) in cols.iter().zip(&want_cols).enumerate() {
            for (i, (x, y)) in g.iter().zip(w).enumerate() {
                assert!(
                    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                    "c{k}[{i}]: jit {x:?} vs interp {y:?} (vectorise {vectorise})\n{}",
                    snnc::lower::print::print_kernel(&c.kernel)
                );
            }
        }
    }
}

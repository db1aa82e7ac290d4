//! The reference interpreter: walks kernel IR statement by statement, element by element.
//!
//! This is the specification of the IR's meaning. Each operation is implemented as literally as
//! the docs in [`crate::lower::ir`] state it, math functions and random numbers go through the
//! same [`crate::backend::funcs`] and [`crate::runtime::rng`] functions the JIT calls, and the
//! loop order is exactly the documented visiting order. It must stay simple and free of
//! `unsafe` and of optimisations that could blur that meaning; speed is the JIT's job.
//!
//! Data that does not match the kernel (too few columns, an element outside a column, a `pre`
//! entry out of range) makes [`CompiledKernel::run`] panic, as slice indexing does: that is a
//! runtime bug, not a model error, and the JIT reports the same cases the same way.

use super::{funcs, Backend, BackendError, BackendKind, CompiledKernel, KernelData, Stores};
use crate::lower::ir::{BinOp, Domain, Expr, Index, Kernel, Stmt, UnOp};
use crate::lower::validate::validate;
use crate::runtime::rng;

/// The tree-walking interpreter. It holds no state: compiling validates and keeps a copy of the
/// kernel.
#[derive(Clone, Copy, Debug, Default)]
pub struct Interpreter;

impl Interpreter {
    /// A new interpreter.
    pub fn new() -> Interpreter {
        Interpreter
    }
}

impl Backend for Interpreter {
    fn kind(&self) -> BackendKind {
        BackendKind::Interp
    }

    fn compile(&mut self, kernel: &Kernel) -> Result<Box<dyn CompiledKernel>, BackendError> {
        validate(kernel).map_err(|message| BackendError { message })?;
        let prologue_temps: Vec<u32> = kernel
            .prologue
            .iter()
            .filter_map(|s| match s {
                Stmt::Let { temp, .. } => Some(*temp),
                _ => None,
            })
            .collect();
        let body_overwrites_prologue = kernel.body.iter().any(|s| match s {
            Stmt::Let { temp, .. } => prologue_temps.contains(temp),
            _ => false,
        });
        Ok(Box::new(InterpKernel {
            kernel: kernel.clone(),
            body_overwrites_prologue,
        }))
    }
}

/// A validated kernel, interpreted on every run.
struct InterpKernel {
    kernel: Kernel,
    /// True if a body `Let` writes a temporary that the prologue also writes. Each element must
    /// then start from the prologue's values again ("set in the prologue or earlier in the body
    /// *for this element*"), so the interpreter restores them before every element.
    body_overwrites_prologue: bool,
}

impl CompiledKernel for InterpKernel {
    fn run(&self, data: &mut KernelData<'_>) -> Stores {
        let k = &self.kernel;
        let mut finite = true;
        assert_eq!(
            data.columns.len(),
            k.columns.len(),
            "kernel `{}` expects {} columns, got {}",
            k.name,
            k.columns.len(),
            data.columns.len()
        );
        // Checked up front (not only when a scalar is read) so that both backends reject the
        // same data: the JIT loads every scalar before the loop.
        assert!(
            data.scalars.len() >= k.scalars.len(),
            "kernel `{}` expects {} scalars, got {}",
            k.name,
            k.scalars.len(),
            data.scalars.len()
        );
        let mut temps = vec![0.0; k.n_temps as usize];
        for stmt in &k.prologue {
            // The validator allows only lets in the prologue.
            if let Stmt::Let { temp, value } = stmt {
                temps[*temp as usize] = self.eval(value, &temps, data, None);
            }
        }
        let saved = if self.body_overwrites_prologue {
            temps.clone()
        } else {
            Vec::new()
        };
        for pos in data.start..data.end {
            let e = match k.domain {
                Domain::Range => pos,
                Domain::List => data.list[pos] as usize,
            };
            if self.body_overwrites_prologue {
                temps.copy_from_slice(&saved);
            }
            for stmt in &k.body {
                match stmt {
                    Stmt::Let { temp, value } => {
                        temps[*temp as usize] = self.eval(value, &temps, data, Some(e));
                    }
                    Stmt::Store { col, index, value } => {
                        let x = self.eval(value, &temps, data, Some(e));
                        let i = self.slot(data, *index, e);
                        data.columns[*col as usize][i] = x;
                        finite &= x.is_finite();
                    }
                    Stmt::EmitSpike { cond } => {
                        if self.eval(cond, &temps, data, Some(e)) != 0.0 {
                            // Element indices are `u32` by contract (the runtime never builds
                            // groups larger than that), so the cast keeps the value.
                            data.spikes.push(e as u32);
                        }
                    }
                }
            }
        }
        if finite {
            Stores::Finite
        } else {
            Stores::MaybeNonFinite
        }
    }
}

impl InterpKernel {
    /// The position in a column that element `e` reaches through `index`.
    fn slot(&self, data: &KernelData<'_>, index: Index, e: usize) -> usize {
        match index {
            Index::Elem => e.checked_sub(data.base).unwrap_or_else(|| {
                panic!(
                    "kernel `{}`: element {e} lies below the column base {}",
                    self.kernel.name, data.base
                )
            }),
            Index::Pre => data.pre[e] as usize,
            Index::Post => data.post[e] as usize,
            Index::Shared => 0,
        }
    }

    /// `column[trunc(k)]` if that position exists, else NaN (see [`Expr::Gather`]).
    fn gather(&self, data: &KernelData<'_>, col: u32, k: f64) -> f64 {
        let column = &data.columns[col as usize];
        assert!(
            !column.is_empty(),
            "kernel `{}`: shared column c{col} is empty",
            self.kernel.name
        );
        let k = k.trunc();
        if k >= 0.0 && k < column.len() as f64 {
            column[k as usize]
        } else {
            f64::NAN
        }
    }

    /// Evaluates `expr` for element `e` (`None` in the prologue, where the validator has ruled
    /// out every per-element expression).
    fn eval(&self, expr: &Expr, temps: &[f64], data: &KernelData<'_>, e: Option<usize>) -> f64 {
        let Some(elem) = e else {
            return self.eval_uniform(expr, temps, data);
        };
        match expr {
            Expr::Load { col, index } => data.columns[*col as usize][self.slot(data, *index, elem)],
            Expr::Gather { col, index } => {
                let k = self.eval(index, temps, data, e);
                self.gather(data, *col, k)
            }
            Expr::ElemIndex(index) => match index {
                Index::Elem => elem as f64,
                Index::Pre => f64::from(data.pre[elem]),
                Index::Post => f64::from(data.post[elem]),
                Index::Shared => 0.0,
            },
            Expr::Rand { site } => rng::uniform(
                data.seed,
                self.kernel.rng_object,
                u64::from(*site),
                elem as u64,
                data.step,
            ),
            Expr::Randn { site } => rng::normal(
                data.seed,
                self.kernel.rng_object,
                u64::from(*site),
                elem as u64,
                data.step,
            ),
            _ => self.eval_composite(expr, temps, data, e),
        }
    }

    /// Evaluates an expression that needs no element (the prologue's case).
    fn eval_uniform(&self, expr: &Expr, temps: &[f64], data: &KernelData<'_>) -> f64 {
        match expr {
            // Unreachable for validated kernels: the prologue has no per-element expressions.
            Expr::Load { .. }
            | Expr::Gather { .. }
            | Expr::ElemIndex(_)
            | Expr::Rand { .. }
            | Expr::Randn { .. } => f64::NAN,
            _ => self.eval_composite(expr, temps, data, None),
        }
    }

    /// Constants, inputs and operators: the same with or without an element.
    fn eval_composite(
        &self,
        expr: &Expr,
        temps: &[f64],
        data: &KernelData<'_>,
        e: Option<usize>,
    ) -> f64 {
        let ev = |x: &Expr| self.eval(x, temps, data, e);
        match expr {
            Expr::Const(x) => *x,
            Expr::Scalar(s) => data.scalars[*s as usize],
            Expr::Temp(t) => temps[*t as usize],
            Expr::Unary { op, arg } => {
                let x = ev(arg);
                match op {
                    UnOp::Neg => -x,
                    UnOp::Not => truth(x == 0.0),
                }
            }
            Expr::Binary { op, lhs, rhs } => binary(*op, ev(lhs), ev(rhs)),
            Expr::Select {
                cond,
                then,
                otherwise,
            } => {
                // Both branches are evaluated, as documented; they have no side effects.
                let (c, a, b) = (ev(cond), ev(then), ev(otherwise));
                if c != 0.0 {
                    a
                } else {
                    b
                }
            }
            Expr::Call { func, args } => {
                let values: Vec<f64> = args.iter().map(ev).collect();
                funcs::call(*func, &values)
            }
            // Per-element expressions are handled by `eval`/`eval_uniform` before we get here.
            Expr::Load { .. }
            | Expr::Gather { .. }
            | Expr::ElemIndex(_)
            | Expr::Rand { .. }
            | Expr::Randn { .. } => f64::NAN,
        }
    }
}

/// A boolean as the IR's `0.0`/`1.0`.
fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// A binary operation, exactly as documented on [`BinOp`].
fn binary(op: BinOp, a: f64, b: f64) -> f64 {
    match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::FloorDiv => funcs::floordiv(a, b),
        BinOp::Mod => funcs::pymod(a, b),
        BinOp::Pow => funcs::pow(a, b),
        BinOp::Lt => truth(a < b),
        BinOp::Le => truth(a <= b),
        BinOp::Gt => truth(a > b),
        BinOp::Ge => truth(a >= b),
        BinOp::Eq => truth(a == b),
        BinOp::Ne => truth(a != b),
        BinOp::And => truth(a != 0.0 && b != 0.0),
        BinOp::Or => truth(a != 0.0 || b != 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::ir::ColumnDecl;

    fn run(kernel: &Kernel, col: &mut [f64], list: &[u32]) -> Vec<u32> {
        let compiled = Interpreter::new().compile(kernel).expect("valid kernel");
        let mut spikes = Vec::new();
        let n = if list.is_empty() {
            col.len()
        } else {
            list.len()
        };
        let mut data = KernelData {
            columns: vec![col],
            scalars: &[],
            pre: &[],
            post: &[],
            list,
            start: 0,
            end: n,
            base: 0,
            step: 0,
            seed: 0,
            spikes: &mut spikes,
        };
        compiled.run(&mut data);
        spikes
    }

    fn kernel(domain: Domain, body: Vec<Stmt>) -> Kernel {
        Kernel {
            name: "t".into(),
            columns: vec![ColumnDecl {
                name: "g.v".into(),
                written: true,
            }],
            scalars: vec![],
            domain,
            prologue: vec![Stmt::Let {
                temp: 0,
                value: Expr::Const(10.0),
            }],
            body,
            n_temps: 1,
            rng_object: 0,
        }
    }

    #[test]
    fn each_element_starts_from_the_prologue_temps() {
        // Body: v = %0; %0 = %0 + 1. Every element must see %0 = 10 from the prologue, not the
        // value the previous element left behind.
        let k = kernel(
            Domain::Range,
            vec![
                Stmt::Store {
                    col: 0,
                    index: Index::Elem,
                    value: Expr::Temp(0),
                },
                Stmt::Let {
                    temp: 0,
                    value: Expr::Binary {
                        op: BinOp::Add,
                        lhs: Box::new(Expr::Temp(0)),
                        rhs: Box::new(Expr::Const(1.0)),
                    },
                },
            ],
        );
        let mut v = [0.0; 3];
        run(&k, &mut v, &[]);
        assert_eq!(v, [10.0; 3]);
    }

    #[test]
    fn list_domain_visits_in_list_order_with_repeats() {
        // v[e] += 1 and spike for every visit: element 2 is listed twice.
        let k = kernel(
            Domain::List,
            vec![
                Stmt::Store {
                    col: 0,
                    index: Index::Elem,
                    value: Expr::Binary {
                        op: BinOp::Add,
                        lhs: Box::new(Expr::Load {
                            col: 0,
                            index: Index::Elem,
                        }),
                        rhs: Box::new(Expr::Const(1.0)),
                    },
                },
                Stmt::EmitSpike {
                    cond: Expr::Const(1.0),
                },
            ],
        );
        let mut v = [0.0; 4];
        let spikes = run(&k, &mut v, &[2, 0, 2]);
        assert_eq!(v, [1.0, 0.0, 2.0, 0.0]);
        assert_eq!(spikes, [2, 0, 2]);
    }

    #[test]
    fn invalid_kernels_are_rejected_at_compile_time() {
        let k = kernel(
            Domain::Range,
            vec![Stmt::EmitSpike {
                cond: Expr::Temp(5),
            }],
        );
        let err = Interpreter::new()
            .compile(&k)
            .err()
            .expect("invalid kernel");
        assert!(err.message.contains("out of range"), "{}", err.message);
    }
}

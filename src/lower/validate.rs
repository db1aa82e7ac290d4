//! Structural checks on kernel IR, run by every backend before it executes or compiles a kernel.
//!
//! A kernel that passes [`validate`] can be run by the interpreter and compiled by the JIT
//! without either of them panicking (given data of matching shape): every id is in range, every
//! temporary is written before it is read, calls have the right arity, the prologue touches no
//! per-element state, and expressions are shallow enough for recursive evaluation. A failure is
//! always an internal error (lowering produced bad IR), never the user's fault, so the messages
//! name the kernel and the offending statement for a bug report. This module only inspects the
//! IR; it must not rewrite it.

use crate::lower::ir::{Expr, Kernel, Stmt};
use std::collections::HashSet;

/// The deepest expression tree accepted. Both backends walk expressions recursively; the bound
/// keeps that recursion far from the default thread stack size, and lowered Brian2 expressions
/// are nowhere near it.
pub const MAX_EXPR_DEPTH: usize = 256;

/// Checks that `kernel` is well formed. The rules, each reported with the statement it concerns:
///
/// * column, scalar and temporary ids are in range (`< columns.len()`, `< scalars.len()`,
///   `< n_temps`);
/// * every temporary is written before it is read: a prologue read needs an earlier prologue
///   `Let`, a body read needs a prologue `Let` or an earlier body `Let` (so no value ever flows
///   from one element to the next through a temporary);
/// * the prologue holds only `Let`s whose expressions use no `Load`, `ElemIndex`, `Rand` or
///   `Randn` (it runs once, before any element exists);
/// * a `Store` targets a column declared `written`, and column names are unique (each column
///   appears once, see [`Kernel::columns`]);
/// * `Call`s have [`crate::lower::ir::Func::arity`] arguments;
/// * `Rand`/`Randn` sites are distinct across the kernel (a `Randn` at site `s` uses the uniform
///   streams `s` and `s | 2^63`, so sharing a site between the two kinds would correlate them);
/// * expressions are at most [`MAX_EXPR_DEPTH`] deep.
///
/// Both domains accept every index mode: a `Range` kernel over synapses may use `Pre`/`Post`,
/// and a `List` kernel visits listed elements with the same indexing rules, so the domain needs
/// no further static check.
pub fn validate(kernel: &Kernel) -> Result<(), String> {
    let mut v = Validator {
        kernel,
        written: vec![false; kernel.n_temps as usize],
        sites: HashSet::new(),
        errors: Vec::new(),
    };
    v.check_columns();
    for (i, stmt) in kernel.prologue.iter().enumerate() {
        v.check_stmt(stmt, &format!("prologue statement {i}"), true);
    }
    // Body reads may see prologue temporaries; body writes are tracked per element, starting
    // from the prologue's set again for every element.
    for (i, stmt) in kernel.body.iter().enumerate() {
        v.check_stmt(stmt, &format!("body statement {i}"), false);
    }
    if v.errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "internal error: invalid kernel `{}`: {}",
            kernel.name,
            v.errors.join("; ")
        ))
    }
}

/// The running state of one validation.
struct Validator<'k> {
    kernel: &'k Kernel,
    /// Temporaries written so far (prologue, then body in order).
    written: Vec<bool>,
    /// Random call sites seen so far.
    sites: HashSet<u32>,
    /// Every problem found, in order.
    errors: Vec<String>,
}

impl Validator<'_> {
    fn check_columns(&mut self) {
        let mut names = HashSet::new();
        for (c, col) in self.kernel.columns.iter().enumerate() {
            if !names.insert(col.name.as_str()) {
                self.errors
                    .push(format!("column c{c} `{}` is declared twice", col.name));
            }
        }
    }

    fn check_stmt(&mut self, stmt: &Stmt, at: &str, prologue: bool) {
        match stmt {
            Stmt::Let { temp, value } => {
                self.check_expr(value, at, prologue, 1);
                match self.written.get_mut(*temp as usize) {
                    Some(w) => *w = true,
                    None => self.errors.push(format!(
                        "{at}: temporary %{temp} out of range (n_temps = {})",
                        self.kernel.n_temps
                    )),
                }
            }
            Stmt::Store { col, value, .. } => {
                if prologue {
                    self.errors
                        .push(format!("{at}: the prologue may only contain lets"));
                }
                match self.kernel.columns.get(*col as usize) {
                    Some(decl) if !decl.written => self.errors.push(format!(
                        "{at}: store to column c{col} `{}`, which is not declared written",
                        decl.name
                    )),
                    Some(_) => {}
                    None => self.column_out_of_range(*col, at),
                }
                self.check_expr(value, at, prologue, 1);
            }
            Stmt::EmitSpike { cond } => {
                if prologue {
                    self.errors
                        .push(format!("{at}: the prologue may only contain lets"));
                }
                self.check_expr(cond, at, prologue, 1);
            }
        }
    }

    fn column_out_of_range(&mut self, col: u32, at: &str) {
        self.errors.push(format!(
            "{at}: column c{col} out of range ({} columns)",
            self.kernel.columns.len()
        ));
    }

    fn check_expr(&mut self, expr: &Expr, at: &str, prologue: bool, depth: usize) {
        if depth > MAX_EXPR_DEPTH {
            self.errors.push(format!(
                "{at}: expression deeper than {MAX_EXPR_DEPTH} levels"
            ));
            return;
        }
        let per_element = |what: &str| format!("{at}: the prologue cannot use {what}");
        match expr {
            Expr::Const(_) => {}
            Expr::Scalar(s) => {
                if *s as usize >= self.kernel.scalars.len() {
                    self.errors.push(format!(
                        "{at}: scalar s{s} out of range ({} scalars)",
                        self.kernel.scalars.len()
                    ));
                }
            }
            Expr::Temp(t) => match self.written.get(*t as usize) {
                Some(true) => {}
                Some(false) => self
                    .errors
                    .push(format!("{at}: temporary %{t} is read before it is written")),
                None => self.errors.push(format!(
                    "{at}: temporary %{t} out of range (n_temps = {})",
                    self.kernel.n_temps
                )),
            },
            Expr::Load { col, .. } => {
                if prologue {
                    self.errors.push(per_element("column loads"));
                }
                if *col as usize >= self.kernel.columns.len() {
                    self.column_out_of_range(*col, at);
                }
            }
            Expr::Gather { col, index } => {
                if prologue {
                    self.errors.push(per_element("column loads"));
                }
                if *col as usize >= self.kernel.columns.len() {
                    self.column_out_of_range(*col, at);
                } else if self.kernel.columns[*col as usize].written {
                    self.errors
                        .push(format!("{at}: column c{col} is gathered from and written"));
                }
                self.check_expr(index, at, prologue, depth + 1);
            }
            Expr::ElemIndex(_) => {
                if prologue {
                    self.errors.push(per_element("element indices"));
                }
            }
            Expr::Unary { arg, .. } => self.check_expr(arg, at, prologue, depth + 1),
            Expr::Binary { lhs, rhs, .. } => {
                self.check_expr(lhs, at, prologue, depth + 1);
                self.check_expr(rhs, at, prologue, depth + 1);
            }
            Expr::Select {
                cond,
                then,
                otherwise,
            } => {
                self.check_expr(cond, at, prologue, depth + 1);
                self.check_expr(then, at, prologue, depth + 1);
                self.check_expr(otherwise, at, prologue, depth + 1);
            }
            Expr::Call { func, args } => {
                if args.len() != func.arity() {
                    self.errors.push(format!(
                        "{at}: {} takes {} argument(s), got {}",
                        func.name(),
                        func.arity(),
                        args.len()
                    ));
                }
                for a in args {
                    self.check_expr(a, at, prologue, depth + 1);
                }
            }
            Expr::Rand { site } | Expr::Randn { site } => {
                if prologue {
                    self.errors.push(per_element("random numbers"));
                }
                if !self.sites.insert(*site) {
                    self.errors
                        .push(format!("{at}: random call site {site} is used twice"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::ir::{BinOp, ColumnDecl, Domain, Func, Index};

    fn kernel(prologue: Vec<Stmt>, body: Vec<Stmt>, n_temps: u32) -> Kernel {
        Kernel {
            name: "k".into(),
            columns: vec![ColumnDecl {
                name: "g.v".into(),
                written: true,
            }],
            scalars: vec!["dt".into()],
            domain: Domain::Range,
            prologue,
            body,
            n_temps,
            rng_object: 0,
        }
    }

    fn load() -> Expr {
        Expr::Load {
            col: 0,
            index: Index::Elem,
        }
    }

    #[test]
    fn accepts_a_well_formed_kernel() {
        let k = kernel(
            vec![Stmt::Let {
                temp: 0,
                value: Expr::Call {
                    func: Func::Exp,
                    args: vec![Expr::Scalar(0)],
                },
            }],
            vec![
                Stmt::Let {
                    temp: 1,
                    value: Expr::Binary {
                        op: BinOp::Mul,
                        lhs: Box::new(load()),
                        rhs: Box::new(Expr::Temp(0)),
                    },
                },
                Stmt::Store {
                    col: 0,
                    index: Index::Elem,
                    value: Expr::Temp(1),
                },
                Stmt::EmitSpike {
                    cond: Expr::Rand { site: 0 },
                },
            ],
            2,
        );
        assert_eq!(validate(&k), Ok(()));
    }

    #[test]
    fn rejects_each_rule() {
        let cases: Vec<(Kernel, &str)> = vec![
            (
                kernel(
                    vec![],
                    vec![Stmt::EmitSpike {
                        cond: Expr::Temp(0),
                    }],
                    1,
                ),
                "read before it is written",
            ),
            (
                kernel(
                    vec![Stmt::Let {
                        temp: 0,
                        value: load(),
                    }],
                    vec![],
                    1,
                ),
                "prologue cannot use column loads",
            ),
            (
                kernel(
                    vec![Stmt::Let {
                        temp: 0,
                        value: Expr::Randn { site: 1 },
                    }],
                    vec![],
                    1,
                ),
                "prologue cannot use random numbers",
            ),
            (
                kernel(
                    vec![],
                    vec![Stmt::EmitSpike {
                        cond: Expr::Load {
                            col: 3,
                            index: Index::Pre,
                        },
                    }],
                    0,
                ),
                "column c3 out of range",
            ),
            (
                kernel(
                    vec![],
                    vec![Stmt::EmitSpike {
                        cond: Expr::Call {
                            func: Func::Clip,
                            args: vec![load()],
                        },
                    }],
                    0,
                ),
                "clip takes 3 argument(s), got 1",
            ),
            (
                kernel(
                    vec![],
                    vec![Stmt::EmitSpike {
                        cond: Expr::Binary {
                            op: BinOp::Add,
                            lhs: Box::new(Expr::Rand { site: 2 }),
                            rhs: Box::new(Expr::Randn { site: 2 }),
                        },
                    }],
                    0,
                ),
                "random call site 2 is used twice",
            ),
            (
                kernel(
                    vec![],
                    vec![Stmt::EmitSpike {
                        cond: Expr::Scalar(1),
                    }],
                    0,
                ),
                "scalar s1 out of range",
            ),
            (
                kernel(
                    vec![Stmt::Store {
                        col: 0,
                        index: Index::Shared,
                        value: Expr::Const(0.0),
                    }],
                    vec![],
                    0,
                ),
                "prologue may only contain lets",
            ),
        ];
        for (k, want) in cases {
            let err = validate(&k).expect_err(want);
            assert!(err.contains(want), "{err:?} should contain {want:?}");
        }
    }

    #[test]
    fn rejects_stores_to_read_only_columns_and_deep_trees() {
        let mut k = kernel(
            vec![],
            vec![Stmt::Store {
                col: 0,
                index: Index::Elem,
                value: Expr::Const(1.0),
            }],
            0,
        );
        k.columns[0].written = false;
        assert!(validate(&k).unwrap_err().contains("not declared written"));

        let mut deep = Expr::Const(0.0);
        for _ in 0..MAX_EXPR_DEPTH + 1 {
            deep = Expr::Unary {
                op: crate::lower::ir::UnOp::Neg,
                arg: Box::new(deep),
            };
        }
        let k = kernel(vec![], vec![Stmt::EmitSpike { cond: deep }], 0);
        assert!(validate(&k).unwrap_err().contains("deeper than"));
    }
}

//! Building kernels from checked HIR: names become column loads/stores, special names become
//! scalars or element indices, temporaries become registers, and every random call gets its
//! own site number.
//!
//! The builder does not know where columns live: the caller resolves each variable to a
//! *global column id* (the runtime's) and an [`Index`] mode, and gets back the list of global
//! ids in kernel column order.

use super::ir::{self, ColumnDecl, Domain, Expr, Index, Kernel, Stmt, TempId};
use crate::check::hir::{BinOp as HBin, HExpr, Special, TableRef, UnaryOp, VarRef, VarType};
use std::collections::HashMap;

/// A variable resolved by the caller: global column id, how it is indexed, readable name.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedVar {
    /// The runtime's column id.
    pub column: usize,
    /// How the kernel indexes it.
    pub index: Index,
    /// A readable name (`neurongroup.v`).
    pub name: String,
    /// For a variable linked with `index=`: the column holding each element's position in
    /// `column` (indexed like `index`); the variable is then read with a gather.
    pub via: Option<usize>,
}

/// Something a kernel could not express; always an internal error or an unsupported feature,
/// since `check` has validated names and dimensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerError(pub String);

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LowerError {}

/// For a variable a kernel writes, the variable whose being nonzero allows the write (see
/// [`KernelBuilder::guard_writes`]); `None` for an unconditional write.
pub type Guard<'a> = dyn Fn(&VarRef) -> Option<VarRef> + 'a;

/// Resolves a variable reference for a kernel.
pub type Resolver<'a> = dyn Fn(&VarRef) -> Option<ResolvedVar> + 'a;

/// Incrementally builds one [`Kernel`].
pub struct KernelBuilder<'a> {
    kernel: Kernel,
    columns: Vec<usize>,
    resolve: &'a Resolver<'a>,
    synaptic: bool,
    /// A group kernel run for a subgroup: `i` counts from the subgroup's first neuron.
    subgroup: bool,
    /// Brian2's conditional writes (see [`KernelBuilder::guard_writes`]).
    guard: Option<&'a Guard<'a>>,
    temps: HashMap<String, TempId>,
    next_site: u32,
}

impl<'a> KernelBuilder<'a> {
    /// A builder for a kernel named `name`. `synaptic` decides what `i`/`j` mean.
    pub fn new(
        name: &str,
        domain: Domain,
        rng_object: u64,
        synaptic: bool,
        resolve: &'a Resolver<'a>,
    ) -> KernelBuilder<'a> {
        KernelBuilder {
            kernel: Kernel {
                name: name.to_string(),
                columns: Vec::new(),
                scalars: Vec::new(),
                domain,
                prologue: Vec::new(),
                body: Vec::new(),
                n_temps: 0,
                rng_object,
            },
            columns: Vec::new(),
            resolve,
            synaptic,
            subgroup: false,
            guard: None,
            temps: HashMap::new(),
            next_site: 0,
        }
    }

    /// Writes of the variables `guard` maps to a condition (`v` of a group with
    /// refractoriness, flagged `(unless refractory)`, to its `not_refractory`) happen only where
    /// the condition holds, elsewhere the variable keeps its value: Brian2's conditional writes,
    /// which every code block but the state update (which integrates the flag itself), resets
    /// and `run_on_event` code applies (`CodeGenerator.get_conditional_write_vars`).
    pub fn guard_writes(&mut self, guard: &'a Guard<'a>) {
        self.guard = Some(guard);
    }

    /// Makes `i` the index within a subgroup, as Brian2's subgroups number their neurons from
    /// 0: the element index minus the scalar `_i_offset` (the subgroup's first neuron).
    pub fn for_subgroup(&mut self) {
        self.subgroup = true;
    }

    /// Slot of a global column (added on first use).
    fn column(&mut self, rv: &ResolvedVar, write: bool) -> ir::ColId {
        let slot = match self.columns.iter().position(|&c| c == rv.column) {
            Some(k) => k,
            None => {
                self.columns.push(rv.column);
                self.kernel.columns.push(ColumnDecl {
                    name: rv.name.clone(),
                    written: false,
                });
                self.columns.len() - 1
            }
        };
        if write {
            self.kernel.columns[slot].written = true;
        }
        slot as ir::ColId
    }

    /// Slot of a named scalar input (added on first use).
    pub fn scalar(&mut self, name: &str) -> Expr {
        let k = match self.kernel.scalars.iter().position(|s| s == name) {
            Some(k) => k,
            None => {
                self.kernel.scalars.push(name.to_string());
                self.kernel.scalars.len() - 1
            }
        };
        Expr::Scalar(k as u32)
    }

    /// A fresh temporary register.
    pub fn fresh_temp(&mut self) -> TempId {
        self.kernel.n_temps += 1;
        self.kernel.n_temps - 1
    }

    fn named_temp(&mut self, name: &str) -> TempId {
        if let Some(&t) = self.temps.get(name) {
            return t;
        }
        let t = self.fresh_temp();
        self.temps.insert(name.to_string(), t);
        t
    }

    /// Lowers an expression.
    pub fn expr(&mut self, e: &HExpr) -> Result<Expr, LowerError> {
        Ok(match e {
            HExpr::Const(x) => Expr::Const(*x),
            HExpr::Var(v) => {
                let rv = (self.resolve)(v).ok_or_else(|| {
                    LowerError(format!(
                        "internal error: variable '{}' has no column",
                        v.name
                    ))
                })?;
                let col = self.column(&rv, false);
                match rv.via {
                    None => Expr::Load {
                        col,
                        index: rv.index,
                    },
                    // `column[position[e]]` (NaN for a position outside the column).
                    Some(position) => {
                        let positions = ResolvedVar {
                            column: position,
                            index: rv.index,
                            name: format!("{}#index", rv.name),
                            via: None,
                        };
                        let at = self.column(&positions, false);
                        Expr::Gather {
                            col,
                            index: Box::new(Expr::Load {
                                col: at,
                                index: rv.index,
                            }),
                        }
                    }
                }
            }
            HExpr::Temp(name) => {
                let t = *self.temps.get(name).ok_or_else(|| {
                    LowerError(format!(
                        "internal error: temporary '{name}' read before it is set"
                    ))
                })?;
                Expr::Temp(t)
            }
            HExpr::Special(s) => self.special(*s)?,
            HExpr::Noise(s) => {
                return Err(LowerError(format!(
                    "internal error: noise symbol '{s}' outside a differential equation"
                )))
            }
            HExpr::Rand => {
                self.next_site += 1;
                Expr::Rand {
                    site: self.next_site - 1,
                }
            }
            HExpr::Randn => {
                self.next_site += 1;
                Expr::Randn {
                    site: self.next_site - 1,
                }
            }
            HExpr::Unary(op, a) => {
                let a = self.expr(a)?;
                match op {
                    UnaryOp::Pos => a,
                    UnaryOp::Neg => Expr::Unary {
                        op: ir::UnOp::Neg,
                        arg: Box::new(a),
                    },
                    UnaryOp::Not => Expr::Unary {
                        op: ir::UnOp::Not,
                        arg: Box::new(a),
                    },
                }
            }
            HExpr::Binary(op, a, b) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                match op {
                    HBin::Add | HBin::Sub => add_or_sub(binop(*op), a, b),
                    _ => bin(binop(*op), a, b),
                }
            }
            HExpr::Call(f, args) => Expr::Call {
                func: *f,
                args: args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<_, _>>()?,
            },
            HExpr::Select(cnd, a, b) => Expr::Select {
                cond: Box::new(self.expr(cnd)?),
                then: Box::new(self.expr(a)?),
                otherwise: Box::new(self.expr(b)?),
            },
            HExpr::Table { table, arg, index } => {
                // `ta(t)` reads the table's current row when the caller keeps one for this
                // object's clock (the resolver knows the row's name), else it is looked up.
                let row = VarRef {
                    name: table_var(table.id),
                    side: crate::check::hir::Side::Own,
                };
                if !matches!(**arg, HExpr::Special(Special::T)) || (self.resolve)(&row).is_none() {
                    return self.table_at(table, arg, index.as_deref());
                }
                // The runtime keeps each table's current value (a one-dimensional table) or
                // row (a two-dimensional one) in a column that the object's resolver knows
                // under this reserved name.
                let col = self.table_column(table_var(table.id), table.id)?;
                match index {
                    None => Expr::Load {
                        col,
                        index: Index::Shared,
                    },
                    Some(k) => Expr::Gather {
                        col,
                        index: Box::new(self.expr(k)?),
                    },
                }
            }
        })
    }

    /// The column the resolver knows under a table's reserved name.
    fn table_column(&mut self, name: String, id: u32) -> Result<ir::ColId, LowerError> {
        let v = VarRef {
            name,
            side: crate::check::hir::Side::Own,
        };
        let rv = (self.resolve)(&v)
            .ok_or_else(|| LowerError(format!("internal error: TimedArray #{id} has no column")))?;
        Ok(self.column(&rv, false))
    }

    /// `ta(arg)` or `ta(arg, k)` at a time other than `t`: a gather from the column holding
    /// the whole table (row after row), at the row `timed_row(arg, dt, table dt, rows)` that
    /// Brian2's generated code computes, and for a two-dimensional table the column
    /// `int(k)`, NaN outside `0..columns` as in Brian2.
    fn table_at(
        &mut self,
        table: &TableRef,
        arg: &HExpr,
        index: Option<&HExpr>,
    ) -> Result<Expr, LowerError> {
        let col = self.table_column(table_values_var(table.id), table.id)?;
        let time = self.expr(arg)?;
        let dt = self.scalar("dt");
        let row = Expr::Call {
            func: crate::functions::Func::TimedRow,
            args: vec![
                time,
                dt,
                Expr::Const(table.dt),
                Expr::Const(table.rows as f64),
            ],
        };
        let position = match index {
            None => row,
            Some(k) => {
                let width = Expr::Const(table.columns.unwrap_or(1) as f64);
                let k = Expr::Call {
                    func: crate::functions::Func::Trunc,
                    args: vec![self.expr(k)?],
                };
                let inside = bin(
                    ir::BinOp::And,
                    bin(ir::BinOp::Ge, k.clone(), Expr::Const(0.0)),
                    bin(ir::BinOp::Lt, k.clone(), width.clone()),
                );
                Expr::Select {
                    cond: Box::new(inside),
                    then: Box::new(bin(ir::BinOp::Add, bin(ir::BinOp::Mul, row, width), k)),
                    otherwise: Box::new(Expr::Const(f64::NAN)),
                }
            }
        };
        Ok(Expr::Gather {
            col,
            index: Box::new(position),
        })
    }

    fn special(&mut self, s: Special) -> Result<Expr, LowerError> {
        Ok(match s {
            Special::T => self.scalar("t"),
            Special::Dt => self.scalar("dt"),
            Special::N => self.scalar("N"),
            Special::NPre => self.scalar("N_pre"),
            Special::NPost => self.scalar("N_post"),
            Special::TInTimesteps => self.scalar("t_in_timesteps"),
            Special::I if self.synaptic => {
                let off = self.scalar("_pre_offset");
                bin(ir::BinOp::Sub, Expr::ElemIndex(Index::Pre), off)
            }
            Special::I if self.subgroup => {
                let off = self.scalar("_i_offset");
                bin(ir::BinOp::Sub, Expr::ElemIndex(Index::Elem), off)
            }
            Special::I => Expr::ElemIndex(Index::Elem),
            Special::J => {
                let off = self.scalar("_post_offset");
                bin(ir::BinOp::Sub, Expr::ElemIndex(Index::Post), off)
            }
            Special::NIncoming | Special::NOutgoing => self.degree(s)?,
        })
    }

    /// `N_incoming` / `N_outgoing`: a load from the per-neuron count column that the synaptic
    /// resolver knows under a reserved name, indexed by the synapse's post/pre neuron.
    fn degree(&mut self, s: Special) -> Result<Expr, LowerError> {
        let name = degree_var(s == Special::NIncoming);
        let v = VarRef {
            name: name.to_string(),
            side: crate::check::hir::Side::Own,
        };
        let rv = (self.resolve)(&v).ok_or_else(|| {
            LowerError(format!(
                "internal error: '{}' is not available in this kernel",
                &name[1..]
            ))
        })?;
        let col = self.column(&rv, false);
        Ok(Expr::Load {
            col,
            index: rv.index,
        })
    }

    /// `temp(name) = value` in the body.
    pub fn let_named(&mut self, name: &str, value: &HExpr) -> Result<(), LowerError> {
        let value = self.expr(value)?;
        let temp = self.named_temp(name);
        self.kernel.body.push(Stmt::Let { temp, value });
        Ok(())
    }

    /// `var = value`, converting to the variable's type as Brian2 does on assignment.
    pub fn store(&mut self, var: &VarRef, ty: VarType, value: Expr) -> Result<(), LowerError> {
        let rv = (self.resolve)(var).ok_or_else(|| {
            LowerError(format!(
                "internal error: variable '{}' has no column",
                var.name
            ))
        })?;
        if rv.via.is_some() {
            return Err(LowerError(format!(
                "cannot write to '{}': a variable linked with index= can only be read",
                var.name
            )));
        }
        let mut value = convert(ty, value);
        if let Some(cond) = self.guard.and_then(|g| g(var)) {
            let cond = self.expr(&HExpr::Var(cond))?;
            let old = self.load(var)?;
            value = Expr::Select {
                cond: Box::new(cond),
                then: Box::new(value),
                otherwise: Box::new(old),
            };
        }
        let col = self.column(&rv, true);
        self.kernel.body.push(Stmt::Store {
            col,
            index: rv.index,
            value,
        });
        Ok(())
    }

    /// A load of `var` (for conditional writes).
    pub fn load(&mut self, var: &VarRef) -> Result<Expr, LowerError> {
        self.expr(&HExpr::Var(var.clone()))
    }

    /// Appends a raw statement.
    pub fn push(&mut self, s: Stmt) {
        self.kernel.body.push(s);
    }

    /// Finishes: hoists loop invariants into the prologue, computes repeated subexpressions
    /// once, and returns the kernel with the global ids of its columns, in slot order.
    pub fn finish(mut self) -> (Kernel, Vec<usize>) {
        super::hoist::hoist(&mut self.kernel);
        super::cse::eliminate(&mut self.kernel);
        (self.kernel, self.columns)
    }
}

/// The reserved variable name under which resolvers find the column of TimedArray `k`.
pub fn table_var(k: u32) -> String {
    format!("#table{k}")
}

/// The reserved variable name under which synaptic resolvers find the per-neuron column of
/// `N_incoming` (`incoming`) or `N_outgoing`.
pub fn degree_var(incoming: bool) -> &'static str {
    if incoming {
        "#N_incoming"
    } else {
        "#N_outgoing"
    }
}

/// The table number of a reserved table variable name.
pub fn table_of(name: &str) -> Option<usize> {
    name.strip_prefix("#table")?.parse().ok()
}

/// The reserved variable name under which resolvers find the column holding all of TimedArray
/// `k`'s values (row after row).
pub fn table_values_var(k: u32) -> String {
    format!("#tablevalues{k}")
}

/// The table number of a name made by [`table_values_var`].
pub fn table_values_of(name: &str) -> Option<usize> {
    name.strip_prefix("#tablevalues")?.parse().ok()
}

/// Converts a value to a variable's type on assignment: integers truncate toward zero,
/// booleans store `value != 0`.
pub fn convert(ty: VarType, value: Expr) -> Expr {
    match ty {
        VarType::Float => value,
        VarType::Integer => Expr::Call {
            func: crate::functions::Func::Trunc,
            args: vec![value],
        },
        VarType::Boolean => bin(ir::BinOp::Ne, value, Expr::Const(0.0)),
    }
}

/// A binary IR expression.
pub fn bin(op: ir::BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op,
        lhs: Box::new(a),
        rhs: Box::new(b),
    }
}

/// `a + b` or `a - b` of model code: when a side is a product `x*y` it becomes one fused
/// multiply-add (`x*y + c`, `c + x*y`, `x*y - c` as `fma(x, y, -c)`, `c - x*y` as
/// `fma(-x, y, c)`; the left product when both are), as Brian2's generated code is compiled on
/// hosts with FMA (its C++ and Cython targets use `-ffast-math -march=native`). Both backends
/// compute it with one rounding, on any host. Runtime formulas built with [`bin`] (the
/// refractoriness test, table rows) are not fused, nor is a product of two invariants
/// (`dt*El/taum` in an exact update): hoisted, it is one value computed before the loop,
/// where fusing would keep both factors live in the loop and multiply them per element.
pub fn add_or_sub(op: ir::BinOp, a: Expr, b: Expr) -> Expr {
    let sub = op == ir::BinOp::Sub;
    let fusible = |x: &Expr, y: &Expr| !(x.is_invariant(&[]) && y.is_invariant(&[]));
    match (a, b) {
        (
            Expr::Binary {
                op: ir::BinOp::Mul,
                lhs: x,
                rhs: y,
            },
            c,
        ) if fusible(&x, &y) => fma(*x, *y, if sub { neg(c) } else { c }),
        (
            c,
            Expr::Binary {
                op: ir::BinOp::Mul,
                lhs: x,
                rhs: y,
            },
        ) if fusible(&x, &y) => {
            if sub {
                fma(neg(*x), *y, c)
            } else {
                fma(*x, *y, c)
            }
        }
        (a, b) => bin(op, a, b),
    }
}

/// [`add_or_sub`] applied to every sum and difference of `e`, inside out: the fused form of
/// an expression written by hand (the benchmarks' kernels).
pub fn contract(e: Expr) -> Expr {
    match e {
        Expr::Binary { op, lhs, rhs } => {
            let (a, b) = (contract(*lhs), contract(*rhs));
            match op {
                ir::BinOp::Add | ir::BinOp::Sub => add_or_sub(op, a, b),
                _ => bin(op, a, b),
            }
        }
        Expr::Unary { op, arg } => Expr::Unary {
            op,
            arg: Box::new(contract(*arg)),
        },
        Expr::Call { func, args } => Expr::Call {
            func,
            args: args.into_iter().map(contract).collect(),
        },
        Expr::Select {
            cond,
            then,
            otherwise,
        } => Expr::Select {
            cond: Box::new(contract(*cond)),
            then: Box::new(contract(*then)),
            otherwise: Box::new(contract(*otherwise)),
        },
        Expr::Gather { col, index } => Expr::Gather {
            col,
            index: Box::new(contract(*index)),
        },
        other => other,
    }
}

/// `a*b + c` rounded once.
fn fma(a: Expr, b: Expr, c: Expr) -> Expr {
    Expr::Call {
        func: crate::functions::Func::Fma,
        args: vec![a, b, c],
    }
}

/// `-x` (exact).
fn neg(x: Expr) -> Expr {
    Expr::Unary {
        op: ir::UnOp::Neg,
        arg: Box::new(x),
    }
}

fn binop(op: HBin) -> ir::BinOp {
    match op {
        HBin::Add => ir::BinOp::Add,
        HBin::Sub => ir::BinOp::Sub,
        HBin::Mul => ir::BinOp::Mul,
        HBin::Div => ir::BinOp::Div,
        HBin::FloorDiv => ir::BinOp::FloorDiv,
        HBin::Mod => ir::BinOp::Mod,
        HBin::Pow => ir::BinOp::Pow,
        HBin::Lt => ir::BinOp::Lt,
        HBin::Le => ir::BinOp::Le,
        HBin::Gt => ir::BinOp::Gt,
        HBin::Ge => ir::BinOp::Ge,
        HBin::Eq => ir::BinOp::Eq,
        HBin::Ne => ir::BinOp::Ne,
        HBin::And => ir::BinOp::And,
        HBin::Or => ir::BinOp::Or,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::hir::Special;

    fn lowered(e: &HExpr) -> Expr {
        let resolve = |_: &VarRef| None;
        let mut b = KernelBuilder::new("t", Domain::Range, 0, false, &resolve);
        b.expr(e).expect("lowers")
    }

    fn h(op: HBin, a: HExpr, b: HExpr) -> HExpr {
        HExpr::Binary(op, Box::new(a), Box::new(b))
    }

    #[test]
    fn multiply_adds_become_fused() {
        let (x, y, c) = (
            HExpr::Special(Special::I),
            HExpr::Const(3.0),
            HExpr::Const(2.0),
        );
        let xy = || h(HBin::Mul, x.clone(), y.clone());
        let f = |a, b, c| fma(a, b, c);
        let (lx, ly, lc) = (lowered(&x), Expr::Const(3.0), Expr::Const(2.0));
        assert_eq!(
            lowered(&h(HBin::Add, xy(), c.clone())),
            f(lx.clone(), ly.clone(), lc.clone())
        );
        assert_eq!(
            lowered(&h(HBin::Add, c.clone(), xy())),
            f(lx.clone(), ly.clone(), lc.clone())
        );
        assert_eq!(
            lowered(&h(HBin::Sub, xy(), c.clone())),
            f(lx.clone(), ly.clone(), neg(lc.clone()))
        );
        assert_eq!(
            lowered(&h(HBin::Sub, c.clone(), xy())),
            f(neg(lx.clone()), ly.clone(), lc.clone())
        );
        // A division is no product: `x/y + c` stays two operations.
        assert_eq!(
            lowered(&h(HBin::Add, h(HBin::Div, x.clone(), y.clone()), c.clone())),
            bin(
                ir::BinOp::Add,
                bin(ir::BinOp::Div, lx.clone(), ly.clone()),
                lc.clone()
            )
        );
        // A product of two invariants stays a product (hoisted, it is one value), and the
        // other side's product is fused instead.
        let cc = || h(HBin::Mul, c.clone(), y.clone());
        let lcc = bin(ir::BinOp::Mul, lc.clone(), ly.clone());
        assert_eq!(
            lowered(&h(HBin::Add, cc(), x.clone())),
            bin(ir::BinOp::Add, lcc.clone(), lx.clone())
        );
        assert_eq!(
            lowered(&h(HBin::Sub, cc(), xy())),
            f(neg(lx.clone()), ly.clone(), lcc.clone())
        );
        assert_eq!(lowered(&h(HBin::Add, xy(), cc())), f(lx, ly, lcc));
    }
}

//! Calls in expressions: default functions with their dimension rules (BRIAN2-SEMANTICS §2.6),
//! `rand()`/`randn()`, and TimedArray lookups `ta(t)` and `ta2d(t, i)`.
//!
//! Argument dimensions: `exp log sin ...` and `int` need dimensionless arguments; `sqrt` halves
//! the exponents; `abs floor ceil` keep the dimension; `sign` is dimensionless; `clip(x, lo, hi)`
//! needs `lo` and `hi` in the unit of `x`; a TimedArray takes a time, and a two-dimensional one
//! also a dimensionless integer column index.

use super::dims::{arith_type, checked, Checked, ExprChecker};
use super::hir::{BinOp, HExpr, TableRef, VarType};
use super::names::{self, Callee, Resolved};
use crate::diagnostics::Diagnostic;
use crate::functions::Func;
use crate::source::Span;
use crate::syntax::ast::{Expr, Ident};
use crate::units::Dimension;

impl ExprChecker<'_, '_> {
    /// `func(args...)`.
    pub(crate) fn call(&mut self, func: &Ident, args: &[Expr], span: Span) -> Option<Checked> {
        let name = func.name.as_str();
        let callee = match names::resolve(name, &self.env) {
            Some(Resolved::Callable(c)) => c,
            Some(Resolved::Unsupported(msg, label)) => {
                self.error(msg, func.span, label);
                return None;
            }
            Some(_) => {
                self.error(
                    format!("'{name}' is not a function"),
                    func.span,
                    "a variable or constant cannot be called",
                );
                return None;
            }
            None => {
                self.unknown_name(name, func.span);
                return None;
            }
        };
        if !matches!(callee, Callee::Table(..)) {
            self.shadow(name, None, func.span);
        }
        // Check every argument first, so that errors inside them are all reported.
        let mut checked_args = Vec::with_capacity(args.len());
        for a in args {
            checked_args.push(self.check(a));
        }
        let expected = match callee {
            Callee::Func(f) => f.arity(),
            Callee::Rand | Callee::Randn => 0,
            Callee::Timestep => 2,
            Callee::Table(t, _) => 1 + usize::from(t.columns.is_some()),
            Callee::Unimplemented(n) => {
                self.error(
                    format!("function '{n}' is not supported by snnc yet"),
                    func.span,
                    "not supported yet",
                );
                return None;
            }
        };
        if args.len() != expected {
            let (msg, label) = if let Callee::Table(t, _) = callee {
                let two_d = t.columns.is_some();
                table_arity_error(name, two_d, args.len())
            } else {
                (
                    format!(
                        "function '{name}' was called with {} parameters, needs {expected}",
                        args.len()
                    ),
                    format!(
                        "expected {expected} argument{}, found {}",
                        if expected == 1 { "" } else { "s" },
                        args.len()
                    ),
                )
            };
            self.error(msg, span, label);
            return None;
        }
        let checked_args: Vec<Checked> = checked_args.into_iter().collect::<Option<_>>()?;
        match callee {
            Callee::Rand => {
                self.uses.stateful = true;
                Some(checked(
                    HExpr::Rand,
                    Dimension::DIMENSIONLESS,
                    VarType::Float,
                ))
            }
            Callee::Randn => {
                self.uses.stateful = true;
                Some(checked(
                    HExpr::Randn,
                    Dimension::DIMENSIONLESS,
                    VarType::Float,
                ))
            }
            Callee::Table(table, dim) => self.table(name, table, dim, checked_args, args),
            Callee::Timestep => self.timestep(checked_args, args),
            Callee::Func(f) => self.default_function(f, checked_args, args),
            Callee::Unimplemented(_) => None,
        }
    }

    /// A TimedArray lookup with checked arguments of the right number: a time, and for a
    /// two-dimensional table a dimensionless integer column index (Brian2 passes it to an `int`
    /// parameter; snnc asks for an integer expression rather than truncate silently).
    fn table(
        &mut self,
        name: &str,
        table: TableRef,
        dim: Dimension,
        checked_args: Vec<Checked>,
        args: &[Expr],
    ) -> Option<Checked> {
        let mut it = checked_args.into_iter();
        let a = it.next()?;
        if a.dim != Dimension::second() {
            self.arg_units(name, 1, &args[0], Dimension::second(), a.dim);
            return None;
        }
        let index = match it.next() {
            None => None,
            Some(k) if !k.dim.is_dimensionless() => {
                self.arg_units(name, 2, &args[1], Dimension::DIMENSIONLESS, k.dim);
                return None;
            }
            Some(k) if k.ty == VarType::Float => {
                self.error(
                    format!("the column index of TimedArray '{name}' must be an integer"),
                    args[1].span,
                    "this is a floating-point expression; use an integer one such as i or int(...)",
                );
                return None;
            }
            Some(k) => Some(Box::new(k.expr)),
        };
        Some(checked(
            HExpr::Table {
                table,
                arg: Box::new(a.expr),
                index,
            },
            dim,
            VarType::Float,
        ))
    }

    /// Brian2's `timestep(t, dt)`, `(int64_t)((t + 1e-3*dt)/dt)` in its generated code: both
    /// arguments times, the result an integer (truncated toward zero, as the cast does).
    fn timestep(&mut self, a: Vec<Checked>, args: &[Expr]) -> Option<Checked> {
        let mut ok = true;
        for (k, x) in a.iter().enumerate() {
            if x.dim != Dimension::second() {
                self.arg_units("timestep", k + 1, &args[k], Dimension::second(), x.dim);
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let (t, dt) = (a[0].expr.clone(), a[1].expr.clone());
        let nudged = HExpr::Binary(
            BinOp::Add,
            Box::new(t),
            Box::new(HExpr::Binary(
                BinOp::Mul,
                Box::new(HExpr::Const(1e-3)),
                Box::new(dt.clone()),
            )),
        );
        let steps = HExpr::Binary(BinOp::Div, Box::new(nudged), Box::new(dt));
        Some(checked(
            HExpr::Call(Func::Trunc, vec![steps]),
            Dimension::DIMENSIONLESS,
            VarType::Integer,
        ))
    }

    /// A default function with checked arguments of the right number.
    fn default_function(&mut self, f: Func, a: Vec<Checked>, args: &[Expr]) -> Option<Checked> {
        let one = Dimension::DIMENSIONLESS;
        let x = &a[0];
        let (dim, ty) = match f {
            Func::Exp
            | Func::Log
            | Func::Log10
            | Func::Sin
            | Func::Cos
            | Func::Tan
            | Func::Sinh
            | Func::Cosh
            | Func::Tanh
            | Func::Arcsin
            | Func::Arccos
            | Func::Arctan
            | Func::Expm1
            | Func::Log1p
            | Func::Exprel
            | Func::FastExp
            | Func::FastExpm1
            | Func::FastExprel
            | Func::Trunc => {
                if !x.dim.is_dimensionless() {
                    self.arg_units(f.name(), 1, &args[0], one, x.dim);
                    return None;
                }
                let ty = if f == Func::Trunc {
                    VarType::Integer
                } else {
                    VarType::Float
                };
                (one, ty)
            }
            Func::Sqrt => (x.dim.sqrt(), VarType::Float),
            // `since_limit` is never looked up by name (it is internal); it is a time like `t`.
            Func::Floor | Func::Ceil | Func::SinceLimit => (x.dim, VarType::Float),
            // Internal as well: a row number.
            Func::TimedRow => (one, VarType::Integer),
            // Internal (made by the lowering, never looked up by name): `a*b + c`.
            Func::Fma => (x.dim.mul(a[1].dim), VarType::Float),
            Func::Abs => (x.dim, x.ty),
            Func::Sign => (one, x.ty),
            Func::Clip => {
                let mut ok = true;
                for k in 1..3 {
                    if a[k].dim != x.dim {
                        self.diags.push(
                            Diagnostic::error(
                                format!(
                                    "argument number {} for function clip was supposed to have \
                                     the same units as argument number 1",
                                    k + 1
                                ),
                                args[k].span,
                            )
                            .with_label(format!(
                                "expected {}, found {}",
                                x.dim.unit_name(),
                                a[k].dim.unit_name()
                            )),
                        );
                        ok = false;
                    }
                }
                if !ok {
                    return None;
                }
                let ty = arith_type(arith_type(x.ty, a[1].ty), a[2].ty);
                (x.dim, ty)
            }
        };
        let hargs = a.into_iter().map(|c| c.expr).collect();
        Some(checked(HExpr::Call(f, hargs), dim, ty))
    }

    /// Reports an argument of the wrong dimension.
    fn arg_units(
        &mut self,
        func: &str,
        n: usize,
        arg: &Expr,
        expected: Dimension,
        found: Dimension,
    ) {
        self.error(
            format!("argument number {n} for function {func} does not have the correct units"),
            arg.span,
            format!(
                "expected {}, found {}",
                expected.unit_name(),
                found.unit_name()
            ),
        );
    }
}

/// The message and label for a TimedArray called with `found` arguments instead of one (a
/// one-dimensional table) or two (`two_d`).
fn table_arity_error(name: &str, two_d: bool, found: usize) -> (String, String) {
    match (two_d, found) {
        (false, 2) => (
            format!("TimedArray '{name}' is one-dimensional and takes only the time"),
            format!("write {name}(t)"),
        ),
        (true, 1) => (
            format!("TimedArray '{name}' is two-dimensional and needs a time and a column index"),
            format!("write {name}(t, i)"),
        ),
        _ => (
            format!(
                "TimedArray '{name}' was called with {found} arguments, needs {}",
                1 + usize::from(two_d)
            ),
            if two_d {
                format!("write {name}(t, i)")
            } else {
                format!("write {name}(t)")
            },
        ),
    }
}

//! Comparing ASTs without their spans (for round-trip tests: `parse(print(ast)) == ast`).
//!
//! [`ClearSpans`] resets every span of a tree to the empty span at 0; [`strip_spans`] returns a
//! cleared copy and [`eq_ignoring_spans`] compares two trees that way. String literals compare by
//! value already (their offset maps are ignored by `StrLit`'s `PartialEq`).

use super::ast::*;
use crate::source::Span;

/// Resets all spans of an AST node (recursively) to `Span::default()`.
pub trait ClearSpans {
    /// Clears the spans of `self` and of everything it contains.
    fn clear_spans(&mut self);
}

/// A copy of `node` with every span cleared.
pub fn strip_spans<T: ClearSpans + Clone>(node: &T) -> T {
    let mut n = node.clone();
    n.clear_spans();
    n
}

/// True if `a` and `b` are equal once their spans are ignored.
pub fn eq_ignoring_spans<T: ClearSpans + Clone + PartialEq>(a: &T, b: &T) -> bool {
    strip_spans(a) == strip_spans(b)
}

impl<T: ClearSpans> ClearSpans for Vec<T> {
    fn clear_spans(&mut self) {
        self.iter_mut().for_each(ClearSpans::clear_spans);
    }
}

impl<T: ClearSpans> ClearSpans for Option<T> {
    fn clear_spans(&mut self) {
        if let Some(t) = self {
            t.clear_spans();
        }
    }
}

impl<T: ClearSpans> ClearSpans for Box<T> {
    fn clear_spans(&mut self) {
        (**self).clear_spans();
    }
}

impl<A: ClearSpans, B: ClearSpans> ClearSpans for (A, B) {
    fn clear_spans(&mut self) {
        self.0.clear_spans();
        self.1.clear_spans();
    }
}

impl ClearSpans for Ident {
    fn clear_spans(&mut self) {
        self.span = Span::default();
    }
}

impl ClearSpans for Expr {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        match &mut self.kind {
            ExprKind::Call { func, args } => {
                func.clear_spans();
                args.clear_spans();
            }
            ExprKind::Unary { operand, .. } => operand.clear_spans(),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.clear_spans();
                rhs.clear_spans();
            }
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) | ExprKind::Name(_) => {}
        }
    }
}

impl ClearSpans for Flag {
    fn clear_spans(&mut self) {
        self.span = Span::default();
    }
}

impl ClearSpans for Equation {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        self.var.clear_spans();
        self.expr.clear_spans();
        self.unit.clear_spans();
        self.flags.clear_spans();
    }
}

impl ClearSpans for Model {
    fn clear_spans(&mut self) {
        self.equations.clear_spans();
    }
}

impl ClearSpans for Statement {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        self.target.clear_spans();
        self.value.clear_spans();
    }
}

impl ClearSpans for Code {
    fn clear_spans(&mut self) {
        self.statements.clear_spans();
    }
}

impl ClearSpans for Generator {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        self.element.clear_spans();
        self.var.clear_spans();
        self.condition.clear_spans();
        match &mut self.iter {
            GeneratorIter::Range(args) => args.clear_spans(),
            GeneratorIter::Sample { args, kwargs } => {
                args.clear_spans();
                kwargs.clear_spans();
            }
        }
    }
}

impl ClearSpans for PyExpr {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        match &mut self.kind {
            PyExprKind::Attr { object, attr } => {
                object.clear_spans();
                attr.clear_spans();
            }
            PyExprKind::Call { func, args, kwargs } => {
                func.clear_spans();
                args.clear_spans();
                kwargs.clear_spans();
            }
            PyExprKind::Index { object, index } => {
                object.clear_spans();
                index.clear_spans();
            }
            PyExprKind::Slice { lo, hi, step } => {
                lo.clear_spans();
                hi.clear_spans();
                step.clear_spans();
            }
            PyExprKind::List(items) | PyExprKind::Tuple(items) => items.clear_spans(),
            PyExprKind::Dict(entries) => {
                for (k, v) in entries {
                    k.clear_spans();
                    v.clear_spans();
                }
            }
            PyExprKind::Unary { operand, .. } => operand.clear_spans(),
            PyExprKind::Binary { lhs, rhs, .. } => {
                lhs.clear_spans();
                rhs.clear_spans();
            }
            PyExprKind::Int(_)
            | PyExprKind::Float(_)
            | PyExprKind::Bool(_)
            | PyExprKind::None
            | PyExprKind::Str(_)
            | PyExprKind::Name(_) => {}
        }
    }
}

impl ClearSpans for PyTarget {
    fn clear_spans(&mut self) {
        match self {
            PyTarget::Name(n) => n.clear_spans(),
            PyTarget::Attr { object, attr } => {
                object.clear_spans();
                attr.clear_spans();
            }
            PyTarget::Index { object, index } => {
                object.clear_spans();
                index.clear_spans();
            }
        }
    }
}

impl ClearSpans for PyStmt {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        match &mut self.kind {
            PyStmtKind::Assign { targets, value } => {
                targets.clear_spans();
                value.clear_spans();
            }
            PyStmtKind::AugAssign { target, value, .. } => {
                target.clear_spans();
                value.clear_spans();
            }
            PyStmtKind::Expr(e) => e.clear_spans(),
            PyStmtKind::Import { .. } | PyStmtKind::Unsupported { .. } => {}
        }
    }
}

impl ClearSpans for Script {
    fn clear_spans(&mut self) {
        self.stmts.clear_spans();
    }
}

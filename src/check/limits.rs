//! Size limits that keep checking safe on any input: how deep an expression may nest before it
//! is an error, when a deep expression is checked on a helper thread with a larger stack, and how
//! deep an HIR expression may grow by inlining subexpressions. The depth walks are iterative.

use super::hir::HExpr;
use crate::syntax::ast::{Expr, ExprKind};

/// Deepest AST nesting checked; deeper trees (which the parser never builds) get an error
/// instead of exhausting the stack.
pub(crate) const MAX_EXPR_DEPTH: usize = 1500;

/// Expressions at most this deep are checked on the caller's stack.
pub(crate) const SHALLOW_DEPTH: usize = 200;

/// Generous stack bytes per nesting level of the checker (about 1–2 KiB are used in debug
/// builds).
pub(crate) const STACK_PER_LEVEL: usize = 8 * 1024;

/// Nesting depth of an AST expression, computed without recursion.
pub(crate) fn ast_depth(e: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        match &e.kind {
            ExprKind::Unary { operand, .. } => stack.push((operand, d + 1)),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push((lhs, d + 1));
                stack.push((rhs, d + 1));
            }
            ExprKind::Call { args, .. } => stack.extend(args.iter().map(|a| (a, d + 1))),
            _ => {}
        }
    }
    max
}

/// Deepest HIR expression allowed after inlining subexpressions.
pub(crate) const MAX_HIR_DEPTH: usize = 5000;

/// Nesting depth of an HIR expression, computed without recursion.
pub(crate) fn hexpr_depth(e: &HExpr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        match e {
            HExpr::Unary(_, x)
            | HExpr::Table {
                arg: x,
                index: None,
                ..
            } => stack.push((x, d + 1)),
            HExpr::Table {
                arg,
                index: Some(index),
                ..
            } => {
                stack.push((arg, d + 1));
                stack.push((index, d + 1));
            }
            HExpr::Binary(_, a, b) => {
                stack.push((a, d + 1));
                stack.push((b, d + 1));
            }
            HExpr::Call(_, args) => stack.extend(args.iter().map(|a| (a, d + 1))),
            _ => {}
        }
    }
    max
}

//! Building [`Model`] (equations) from the pest pairs of a model string.
//!
//! One [`Equation`] per `diff_eq` / `sub_eq` / `param_eq` pair: the defined variable, the
//! right-hand side, the unit specification (kept as an expression over unit names and numbers)
//! and the flags with inner whitespace normalised. It does not check identifiers, units or
//! flags: that is `check`'s job, which sees the spans recorded here.

use super::ast::{BinOp, Equation, EquationKind, Expr, ExprKind, Flag, Model, UnaryOp};
use super::errors::Depth;
use super::expr::{binop, build_expr, float_literal, int_literal, Builder};
use super::parser::brian::Rule;
use pest::iterators::Pair;

/// Builds the model from the `model` pair.
pub(crate) fn build_model(b: &mut Builder<'_>, pair: Pair<'_, Rule>) -> Model {
    let mut equations = Vec::new();
    for p in pair.into_inner() {
        let kind = match p.as_rule() {
            Rule::diff_eq => EquationKind::Differential,
            Rule::sub_eq => EquationKind::Subexpression,
            Rule::param_eq => EquationKind::Parameter,
            _ => continue,
        };
        if let Some(eq) = equation(b, kind, p) {
            equations.push(eq);
        }
    }
    Model { equations }
}

fn equation(b: &mut Builder<'_>, kind: EquationKind, p: Pair<'_, Rule>) -> Option<Equation> {
    let mut var = None;
    let mut expr = None;
    let mut unit = None;
    let mut flags = Vec::new();
    let mut end = p.as_span().end();
    let start = p.as_span().start();
    let mut ok = true;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::name => var = Some(b.ident(&q)),
            Rule::diff_lhs => var = q.into_inner().next().map(|n| b.ident(&n)),
            Rule::expr => match build_expr(b, q, Depth::default()) {
                Some(e) => expr = Some(e),
                None => ok = false,
            },
            Rule::unit_flags => {
                for r in q.into_inner() {
                    match r.as_rule() {
                        Rule::unit => {
                            end = r.as_span().end();
                            unit = unit_expr(b, r);
                        }
                        Rule::flags => {
                            end = r.as_span().end();
                            flags = r
                                .into_inner()
                                .filter(|f| f.as_rule() == Rule::flag)
                                .map(|f| Flag {
                                    name: f
                                        .as_str()
                                        .split_whitespace()
                                        .collect::<Vec<_>>()
                                        .join(" "),
                                    span: b.span(f.as_span()),
                                })
                                .collect();
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if !ok {
        return None;
    }
    Some(Equation {
        kind,
        var: var?,
        expr,
        unit: unit?,
        flags,
        span: b.map.span(start, end),
    })
}

/// The unit specification: `factor ((*|/) factor)*`, folded to the left.
fn unit_expr(b: &mut Builder<'_>, p: Pair<'_, Rule>) -> Option<Expr> {
    let mut acc: Option<Expr> = None;
    let mut pending: Option<BinOp> = None;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::unit_factor => {
                let f = unit_factor(b, q)?;
                acc = Some(match (acc, pending.take()) {
                    (Some(l), Some(op)) => {
                        let span = l.span.to(f.span);
                        Expr {
                            kind: ExprKind::Binary {
                                op,
                                lhs: Box::new(l),
                                rhs: Box::new(f),
                            },
                            span,
                        }
                    }
                    _ => f,
                });
            }
            r => pending = binop(r),
        }
    }
    acc
}

fn unit_factor(b: &mut Builder<'_>, p: Pair<'_, Rule>) -> Option<Expr> {
    let mut base: Option<Expr> = None;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::name | Rule::int | Rule::float => base = Some(atom(b, &q)),
            Rule::unit_exponent => {
                let span = b.span(q.as_span());
                let mut neg = None;
                let mut num = None;
                for r in q.into_inner() {
                    match r.as_rule() {
                        Rule::op_neg => neg = Some(UnaryOp::Neg),
                        Rule::op_pos => neg = Some(UnaryOp::Pos),
                        _ => num = Some(atom(b, &r)),
                    }
                }
                let mut exp = num?;
                if let Some(op) = neg {
                    exp = Expr {
                        kind: ExprKind::Unary {
                            op,
                            operand: Box::new(exp),
                        },
                        span,
                    };
                }
                let l = base.take()?;
                let span = l.span.to(exp.span);
                base = Some(Expr {
                    kind: ExprKind::Binary {
                        op: BinOp::Pow,
                        lhs: Box::new(l),
                        rhs: Box::new(exp),
                    },
                    span,
                });
            }
            _ => {}
        }
    }
    base
}

fn atom(b: &Builder<'_>, q: &Pair<'_, Rule>) -> Expr {
    let kind = match q.as_rule() {
        Rule::int => int_literal(q.as_str()),
        Rule::float => ExprKind::Float(float_literal(q.as_str())),
        _ => ExprKind::Name(q.as_str().to_string()),
    };
    Expr {
        kind,
        span: b.span(q.as_span()),
    }
}

//! Building [`Expr`] from the pest pairs of an `expr` rule (Brian2's expression language).
//!
//! The grammar produces the flat sequence `prefix* primary (infix prefix* primary)*`; this module
//! checks what Python's grammar forbids but a flat grammar cannot express (chained comparisons,
//! `not` after an arithmetic operator), bounds the nesting depth before the Pratt parser recurses,
//! and applies Python's precedence with pest's [`PrattParser`]. It shares nothing with the
//! script's Python expressions except the approach; it knows nothing about units or types.

use super::ast::{BinOp, Expr, ExprKind, Ident, UnaryOp};
use super::errors::{too_deep_message, too_large_message, Depth, MAX_DEPTH, MAX_TREE_DEPTH};
use super::parser::brian::Rule;
use crate::diagnostics::Diagnostic;
use crate::source::{OffsetMap, Span};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

/// Collects diagnostics and maps text offsets to file spans while building an AST.
pub(crate) struct Builder<'m> {
    /// Offsets in the parsed text → file offsets.
    pub map: &'m OffsetMap,
    /// Errors found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'m> Builder<'m> {
    /// A builder for text whose offsets `map` translates.
    pub fn new(map: &'m OffsetMap) -> Builder<'m> {
        Builder {
            map,
            diags: Vec::new(),
        }
    }

    /// The file span of a pest span.
    pub fn span(&self, s: pest::Span<'_>) -> Span {
        self.map.span(s.start(), s.end())
    }

    /// The file span of a pest span without trailing whitespace (which pest's implicit
    /// whitespace leaves inside a rule that ends in a repetition).
    pub fn span_trim(&self, s: pest::Span<'_>) -> Span {
        let len = s.as_str().trim_end().len();
        self.map.span(s.start(), s.start() + len)
    }

    /// Records an error at a pest span.
    pub fn error(&mut self, msg: impl Into<String>, s: pest::Span<'_>) {
        let span = self.span(s);
        self.diags.push(Diagnostic::error(msg, span));
    }

    /// An identifier from a `name` pair.
    pub fn ident<R: pest::RuleType>(&self, p: &Pair<'_, R>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(p.as_span()),
        }
    }
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left)
            | Op::infix(Rule::op_div, Assoc::Left)
            | Op::infix(Rule::op_floordiv, Assoc::Left)
            | Op::infix(Rule::op_mod, Assoc::Left))
        .op(Op::prefix(Rule::op_neg) | Op::prefix(Rule::op_pos))
        .op(Op::infix(Rule::op_pow, Assoc::Right))
});

/// The binary operator of an infix rule.
pub(crate) fn binop(rule: Rule) -> Option<BinOp> {
    Some(match rule {
        Rule::op_or => BinOp::Or,
        Rule::op_and => BinOp::And,
        Rule::op_lt => BinOp::Lt,
        Rule::op_le => BinOp::Le,
        Rule::op_gt => BinOp::Gt,
        Rule::op_ge => BinOp::Ge,
        Rule::op_eq => BinOp::Eq,
        Rule::op_ne => BinOp::Ne,
        Rule::op_add => BinOp::Add,
        Rule::op_sub => BinOp::Sub,
        Rule::op_mul => BinOp::Mul,
        Rule::op_div => BinOp::Div,
        Rule::op_floordiv => BinOp::FloorDiv,
        Rule::op_mod => BinOp::Mod,
        Rule::op_pow => BinOp::Pow,
        _ => return None,
    })
}

fn unop(rule: Rule) -> Option<UnaryOp> {
    Some(match rule {
        Rule::op_neg => UnaryOp::Neg,
        Rule::op_pos => UnaryOp::Pos,
        Rule::op_not => UnaryOp::Not,
        _ => return None,
    })
}

/// An expression with the span including any parentheses around it.
type Built = (Expr, Span);

/// Builds an expression from an `expr` pair; `depth` is the nesting depth of the context.
/// Returns `None` after recording diagnostics.
pub(crate) fn build_expr(b: &mut Builder<'_>, pair: Pair<'_, Rule>, depth: Depth) -> Option<Expr> {
    build(b, pair, depth).map(|(e, _)| e)
}

fn build(b: &mut Builder<'_>, pair: Pair<'_, Rule>, depth: Depth) -> Option<Built> {
    let items: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
    // Validate the flat sequence and build the primaries, in order.
    let mut primaries: Vec<Option<Built>> = Vec::new();
    let mut chain = 0usize;
    let mut ops = 0usize;
    let mut prev: Option<Rule> = None;
    let mut last_cmp = false;
    let mut ok = true;
    for item in &items {
        let rule = item.as_rule();
        if binop(rule).is_some() || unop(rule).is_some() {
            ops += 1;
            if depth.tree + ops > MAX_TREE_DEPTH {
                let span = b.span(item.as_span());
                b.diags.push(Diagnostic::error(too_large_message(), span));
                return None;
            }
        }
        if let Some(op) = binop(rule) {
            if op.is_comparison() {
                if last_cmp {
                    b.error(
                        "Can only handle single comparisons like a<b not a<b<c",
                        item.as_span(),
                    );
                    ok = false;
                }
                last_cmp = true;
            } else if matches!(op, BinOp::And | BinOp::Or) {
                last_cmp = false;
            }
            if op == BinOp::Pow {
                chain += 1;
            } else {
                chain = 0;
            }
        } else if unop(rule).is_some() {
            if rule == Rule::op_not
                && !matches!(
                    prev,
                    None | Some(Rule::op_and) | Some(Rule::op_or) | Some(Rule::op_not)
                )
            {
                b.error(
                    "'not' cannot be used here; put the negated expression in parentheses",
                    item.as_span(),
                );
                ok = false;
            }
            chain += 1;
        } else {
            let built = primary(
                b,
                item.clone(),
                Depth {
                    nest: depth.nest + chain + 1,
                    tree: depth.tree + ops + 1,
                },
            );
            ok &= built.is_some();
            primaries.push(built);
        }
        if depth.nest + chain > MAX_DEPTH {
            let span = b.span(item.as_span());
            b.diags.push(Diagnostic::error(too_deep_message(), span));
            return None;
        }
        prev = Some(rule);
    }
    if !ok {
        return None;
    }
    let mut prims = primaries.into_iter().flatten();
    let map = b.map;
    let result = PRATT
        .map_primary(|_| prims.next())
        .map_prefix(|op, rhs| {
            let (operand, outer) = rhs?;
            let span = map.span(op.as_span().start(), op.as_span().end()).to(outer);
            let op = unop(op.as_rule())?;
            let e = Expr {
                kind: ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
                span,
            };
            Some((e, span))
        })
        .map_infix(|lhs, op, rhs| {
            let (l, lo) = lhs?;
            let (r, ro) = rhs?;
            let span = lo.to(ro);
            let e = Expr {
                kind: ExprKind::Binary {
                    op: binop(op.as_rule())?,
                    lhs: Box::new(l),
                    rhs: Box::new(r),
                },
                span,
            };
            Some((e, span))
        })
        .parse(items.into_iter());
    if result.is_none() && b.diags.is_empty() {
        b.diags.push(Diagnostic::error(
            "internal error: malformed expression (please report)",
            Span::default(),
        ));
    }
    result
}

fn primary(b: &mut Builder<'_>, p: Pair<'_, Rule>, depth: Depth) -> Option<Built> {
    let span = b.span(p.as_span());
    let kind = match p.as_rule() {
        Rule::int => int_literal(p.as_str()),
        Rule::float => ExprKind::Float(float_literal(p.as_str())),
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::name => ExprKind::Name(p.as_str().to_string()),
        Rule::paren => {
            let inner = p.into_inner().find(|q| q.as_rule() == Rule::expr)?;
            let (e, _) = build(b, inner, depth)?;
            return Some((e, span));
        }
        Rule::call => {
            let mut func = None;
            let mut args = Vec::new();
            let mut ok = true;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::name => func = Some(b.ident(&q)),
                    Rule::expr => match build(b, q, depth) {
                        Some((e, _)) => args.push(e),
                        None => ok = false,
                    },
                    _ => {}
                }
            }
            if !ok {
                return None;
            }
            ExprKind::Call { func: func?, args }
        }
        _ => return None,
    };
    Some((Expr { kind, span }, span))
}

/// An integer literal; values beyond `i64` become floats (as Python would compute with them).
pub(crate) fn int_literal(s: &str) -> ExprKind {
    match s.parse::<i64>() {
        Ok(v) => ExprKind::Int(v),
        Err(_) => ExprKind::Float(float_literal(s)),
    }
}

/// A float literal (`1e-3`, `.5`, `3.`); out-of-range values become infinite, as in Python.
pub(crate) fn float_literal(s: &str) -> f64 {
    let s: String = s.chars().filter(|c| *c != '_').collect();
    let fixed = if s.ends_with('.') {
        format!("{s}0")
    } else if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.replace(".e", ".0e").replace(".E", ".0E")
    };
    fixed.parse::<f64>().unwrap_or(f64::NAN)
}

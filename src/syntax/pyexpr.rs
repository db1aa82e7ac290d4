//! Building [`PyExpr`] (the Python expressions of `.eq` scripts) from pest pairs.
//!
//! Like `expr.rs` for Brian2 expressions: the grammar yields a flat operator sequence whose
//! primaries are an atom with trailers (calls, attributes, subscripts); this module checks what
//! the flat grammar cannot (chained comparisons, misplaced `not`, nesting depth), applies
//! Python's precedence with a [`PrattParser`], and decodes string literals. It does not decide
//! which names, calls or values a script may use: that is the evaluator's job.

use super::ast::{BinOp, Ident, PyExpr, PyExprKind, UnaryOp};
use super::errors::{too_deep_message, too_large_message, Depth, MAX_DEPTH, MAX_TREE_DEPTH};
use super::expr::{float_literal, Builder};
use super::parser::script::Rule;
use super::strings::StrBuilder;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

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

fn binop(rule: Rule) -> Option<BinOp> {
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

type Built = (PyExpr, Span);

/// Builds a Python expression from a `py_expr` pair at nesting depth `depth`.
pub(crate) fn build_py(b: &mut Builder<'_>, pair: Pair<'_, Rule>, depth: Depth) -> Option<PyExpr> {
    build(b, pair, depth).map(|(e, _)| e)
}

/// Builds a `py_exprlist`: one expression, or a tuple if there is a comma.
pub(crate) fn build_exprlist(
    b: &mut Builder<'_>,
    pair: Pair<'_, Rule>,
    depth: Depth,
) -> Option<PyExpr> {
    let span = b.span(pair.as_span());
    let mut items = Vec::new();
    let mut comma = false;
    let mut ok = true;
    for q in pair.into_inner() {
        match q.as_rule() {
            Rule::comma => comma = true,
            Rule::py_expr => match build_py(b, q, depth) {
                Some(e) => items.push(e),
                None => ok = false,
            },
            _ => {}
        }
    }
    if !ok {
        return None;
    }
    if !comma && items.len() == 1 {
        return items.pop();
    }
    Some(PyExpr {
        kind: PyExprKind::Tuple(items),
        span,
    })
}

fn build(b: &mut Builder<'_>, pair: Pair<'_, Rule>, depth: Depth) -> Option<Built> {
    let items: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
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
                        "chained comparisons ('a < b < c') are not supported in .eq files",
                        item.as_span(),
                    );
                    ok = false;
                }
                last_cmp = true;
            } else if matches!(op, BinOp::And | BinOp::Or) {
                last_cmp = false;
            }
            chain = if op == BinOp::Pow { chain + 1 } else { 0 };
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
    PRATT
        .map_primary(|_| prims.next())
        .map_prefix(|op, rhs| {
            let (operand, outer) = rhs?;
            let span = map.span(op.as_span().start(), op.as_span().end()).to(outer);
            let kind = PyExprKind::Unary {
                op: unop(op.as_rule())?,
                operand: Box::new(operand),
            };
            Some((PyExpr { kind, span }, span))
        })
        .map_infix(|lhs, op, rhs| {
            let (l, lo) = lhs?;
            let (r, ro) = rhs?;
            let span = lo.to(ro);
            let kind = PyExprKind::Binary {
                op: binop(op.as_rule())?,
                lhs: Box::new(l),
                rhs: Box::new(r),
            };
            Some((PyExpr { kind, span }, span))
        })
        .parse(items.into_iter())
}

/// An atom followed by trailers (`.attr`, `(args)`, `[index]`).
fn primary(b: &mut Builder<'_>, p: Pair<'_, Rule>, depth: Depth) -> Option<Built> {
    let mut inner = p.into_inner();
    let (mut e, mut outer) = atom(b, inner.next()?, depth)?;
    let mut depth = depth;
    for t in inner {
        depth.nest += 1;
        depth.tree += 1;
        if depth.nest > MAX_DEPTH || depth.tree > MAX_TREE_DEPTH {
            let span = b.span(t.as_span());
            b.diags.push(Diagnostic::error(too_deep_message(), span));
            return None;
        }
        let span = outer.to(b.span(t.as_span()));
        let kind = match t.as_rule() {
            Rule::attr_trailer => {
                let name = t.into_inner().find(|q| q.as_rule() == Rule::py_name)?;
                PyExprKind::Attr {
                    object: Box::new(e),
                    attr: b.ident(&name),
                }
            }
            Rule::call_trailer => {
                let (args, kwargs) = call_args(b, t, depth)?;
                PyExprKind::Call {
                    func: Box::new(e),
                    args,
                    kwargs,
                }
            }
            Rule::index_trailer => {
                let index = index(b, t, depth)?;
                PyExprKind::Index {
                    object: Box::new(e),
                    index: Box::new(index),
                }
            }
            _ => return None,
        };
        e = PyExpr { kind, span };
        outer = span;
    }
    Some((e, outer))
}

type Args = (Vec<PyExpr>, Vec<(Ident, PyExpr)>);

fn call_args(b: &mut Builder<'_>, t: Pair<'_, Rule>, depth: Depth) -> Option<Args> {
    let mut args = Vec::new();
    let mut kwargs: Vec<(Ident, PyExpr)> = Vec::new();
    let mut ok = true;
    for q in t.into_inner() {
        match q.as_rule() {
            Rule::py_expr => {
                if !kwargs.is_empty() {
                    b.error("positional argument follows keyword argument", q.as_span());
                    ok = false;
                    continue;
                }
                match build_py(b, q, depth) {
                    Some(e) => args.push(e),
                    None => ok = false,
                }
            }
            Rule::py_kwarg => {
                let mut inner = q.into_inner();
                let name = inner.next()?;
                let ident = b.ident(&name);
                if kwargs.iter().any(|(k, _)| k.name == ident.name) {
                    b.error(
                        format!("keyword argument repeated: {}", ident.name),
                        name.as_span(),
                    );
                    ok = false;
                }
                let value = inner.find(|r| r.as_rule() == Rule::py_expr)?;
                match build_py(b, value, depth) {
                    Some(v) => kwargs.push((ident, v)),
                    None => ok = false,
                }
            }
            _ => {}
        }
    }
    ok.then_some((args, kwargs))
}

fn index(b: &mut Builder<'_>, t: Pair<'_, Rule>, depth: Depth) -> Option<PyExpr> {
    let span = b.span(t.as_span());
    let mut items = Vec::new();
    let mut comma = false;
    let mut ok = true;
    for q in t.into_inner() {
        match q.as_rule() {
            Rule::comma => comma = true,
            Rule::subscript => match subscript(b, q, depth) {
                Some(e) => items.push(e),
                None => ok = false,
            },
            _ => {}
        }
    }
    if !ok {
        return None;
    }
    if !comma && items.len() == 1 {
        return items.pop();
    }
    Some(PyExpr {
        kind: PyExprKind::Tuple(items),
        span,
    })
}

fn subscript(b: &mut Builder<'_>, q: Pair<'_, Rule>, depth: Depth) -> Option<PyExpr> {
    let span = b.span(q.as_span());
    let mut lo = None;
    let mut tail = None;
    for r in q.into_inner() {
        match r.as_rule() {
            Rule::py_expr => lo = Some(build_py(b, r, depth)?),
            Rule::slice_tail => tail = Some(r),
            _ => {}
        }
    }
    let Some(tail) = tail else {
        return lo;
    };
    let mut hi = None;
    let mut step = None;
    for r in tail.into_inner() {
        let rule = r.as_rule();
        let Some(e) = r.into_inner().find(|s| s.as_rule() == Rule::py_expr) else {
            continue;
        };
        let e = Box::new(build_py(b, e, depth)?);
        match rule {
            Rule::slice_hi => hi = Some(e),
            Rule::slice_step => step = Some(e),
            _ => {}
        }
    }
    Some(PyExpr {
        kind: PyExprKind::Slice {
            lo: lo.map(Box::new),
            hi,
            step,
        },
        span,
    })
}

fn atom(b: &mut Builder<'_>, p: Pair<'_, Rule>, depth: Depth) -> Option<Built> {
    let mut span = b.span(p.as_span());
    if p.as_rule() == Rule::py_strings {
        // From the first literal to the last, without the whitespace pest leaves after it.
        let parts: Vec<pest::Span<'_>> = p.clone().into_inner().map(|q| q.as_span()).collect();
        if let (Some(first), Some(last)) = (parts.first(), parts.last()) {
            span = b.map.span(first.start(), last.end());
        }
    }
    let kind = match p.as_rule() {
        Rule::py_int => int_literal(p.as_str()),
        Rule::py_float => PyExprKind::Float(float_literal(p.as_str())),
        Rule::kw_true => PyExprKind::Bool(true),
        Rule::kw_false => PyExprKind::Bool(false),
        Rule::kw_none => PyExprKind::None,
        Rule::py_name => PyExprKind::Name(p.as_str().to_string()),
        Rule::py_strings => PyExprKind::Str(strings(b, p)?),
        Rule::py_list => PyExprKind::List(items(b, p, depth)?.0),
        Rule::py_dict => {
            let mut entries = Vec::new();
            let mut ok = true;
            for item in p.into_inner().filter(|q| q.as_rule() == Rule::dict_item) {
                let mut kv = item.into_inner().filter(|q| q.as_rule() == Rule::py_expr);
                let (Some(k), Some(v)) = (kv.next(), kv.next()) else {
                    ok = false;
                    continue;
                };
                match (build_py(b, k, depth), build_py(b, v, depth)) {
                    (Some(k), Some(v)) => entries.push((k, v)),
                    _ => ok = false,
                }
            }
            if !ok {
                return None;
            }
            PyExprKind::Dict(entries)
        }
        Rule::py_paren => {
            let (mut items, comma) = items(b, p, depth)?;
            if items.len() == 1 && !comma {
                let e = items.pop()?;
                return Some((e, span));
            }
            PyExprKind::Tuple(items)
        }
        _ => return None,
    };
    Some((PyExpr { kind, span }, span))
}

/// The expressions inside `(...)` or `[...]`, and whether a comma appeared.
fn items(b: &mut Builder<'_>, p: Pair<'_, Rule>, depth: Depth) -> Option<(Vec<PyExpr>, bool)> {
    let mut out = Vec::new();
    let mut comma = false;
    let mut ok = true;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::comma => comma = true,
            Rule::py_expr => match build_py(b, q, depth) {
                Some(e) => out.push(e),
                None => ok = false,
            },
            _ => {}
        }
    }
    ok.then_some((out, comma))
}

fn int_literal(s: &str) -> PyExprKind {
    let digits: String = s.chars().filter(|c| *c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let parsed = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else {
        digits.parse::<i64>().ok()
    };
    match parsed {
        Some(v) => PyExprKind::Int(v),
        None => PyExprKind::Float(float_literal(&digits)),
    }
}

/// Decodes adjacent string literals into one [`super::ast::StrLit`].
fn strings(b: &mut Builder<'_>, p: Pair<'_, Rule>) -> Option<super::ast::StrLit> {
    let mut sb = StrBuilder::default();
    let mut ok = true;
    for s in p.into_inner() {
        let mut raw = false;
        for q in s.into_inner() {
            match q.as_rule() {
                Rule::str_prefix => {
                    let pre = q.as_str().to_ascii_lowercase();
                    if pre.contains('b') {
                        b.error("bytes literals are not supported in .eq files", q.as_span());
                        ok = false;
                    } else if pre.contains('f') {
                        b.error("f-strings are not supported in .eq files", q.as_span());
                        ok = false;
                    }
                    raw = pre.contains('r');
                }
                Rule::tdq | Rule::tsq | Rule::dq | Rule::sq => {
                    let Some(body) = q.into_inner().next() else {
                        continue;
                    };
                    let start = body.as_span().start();
                    let file_start = b.map.map(start) as usize;
                    if let Err((s, e, msg)) = sb.push_body(body.as_str(), file_start, raw) {
                        let span = Span::new(s, e);
                        b.diags.push(Diagnostic::error(msg, span));
                        ok = false;
                    }
                }
                _ => {}
            }
        }
    }
    ok.then(|| sb.finish())
}

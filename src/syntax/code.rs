//! Building [`Code`] (statements of reset, on_pre, run_regularly, ...) from pest pairs.
//!
//! Each `statement` pair becomes a [`Statement`]: target, assignment operator and right-hand
//! side. Consecutive statements must be separated by a line break or `;` (the grammar cannot
//! check that, see `grammar/code.pest`). Separators and blank lines leave no trace. Whether the
//! target may be written, and whether `//=` / `**=` pass unit checking, is decided by `check`.

use super::ast::{AssignOp, Code, Statement};
use super::errors::Depth;
use super::expr::{build_expr, Builder};
use super::parser::brian::Rule;
use crate::diagnostics::Diagnostic;
use pest::iterators::Pair;

/// Builds the code block from the `code` pair of `text`.
pub(crate) fn build_code(b: &mut Builder<'_>, pair: Pair<'_, Rule>, text: &str) -> Code {
    let mut statements = Vec::new();
    // End (in `text`) of the previous statement's last token, if no separator followed it yet.
    let mut open_end: Option<usize> = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::stmt_sep => open_end = None,
            Rule::statement => {
                let start = p.as_span().start();
                if let Some(end) = open_end {
                    let between = text.get(end..start).unwrap_or("");
                    if !between.contains(['\n', '\r']) {
                        let word_end = text
                            .get(start..)
                            .and_then(|r| {
                                r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            })
                            .map_or(text.len(), |n| start + n);
                        b.diags.push(Diagnostic::error(
                            format!(
                                "expected the end of the statement (a new line or ';'), found '{}'",
                                text.get(start..word_end).unwrap_or("")
                            ),
                            b.map.span(start, word_end),
                        ));
                    }
                }
                let local_end = start + p.as_str().trim_end().len();
                if let Some(s) = statement(b, p) {
                    statements.push(s);
                }
                open_end = Some(local_end);
            }
            _ => {}
        }
    }
    Code { statements }
}

fn statement(b: &mut Builder<'_>, p: Pair<'_, Rule>) -> Option<Statement> {
    let start = b.map.map(p.as_span().start());
    let mut target = None;
    let mut op = None;
    let mut value = None;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::name => target = Some(b.ident(&q)),
            Rule::expr => value = Some(build_expr(b, q, Depth::default())?),
            r => {
                if let Some(o) = assign_op(r) {
                    op = Some(o);
                }
            }
        }
    }
    let value: crate::syntax::ast::Expr = value?;
    let span = crate::source::Span {
        start,
        end: value.span.end.max(start),
    };
    Some(Statement {
        target: target?,
        op: op?,
        value,
        span,
    })
}

fn assign_op(r: Rule) -> Option<AssignOp> {
    Some(match r {
        Rule::aop_assign => AssignOp::Assign,
        Rule::aop_add => AssignOp::Add,
        Rule::aop_sub => AssignOp::Sub,
        Rule::aop_mul => AssignOp::Mul,
        Rule::aop_div => AssignOp::Div,
        Rule::aop_floordiv => AssignOp::FloorDiv,
        Rule::aop_mod => AssignOp::Mod,
        Rule::aop_pow => AssignOp::Pow,
        _ => return None,
    })
}

//! Stage 1: parsing (pest grammars in `grammar/`) into the AST of [`ast`].
//!
//! Five entry points, one per language a user writes: [`parse_expr`] (thresholds, conditions,
//! initialisation strings), [`parse_model`] (equations), [`parse_code`] (reset, on_pre, ...),
//! [`parse_generator`] (`connect(j='k for k in range(...)')`) and [`parse_script`] (a whole `.eq`
//! file). Every AST node and every diagnostic carries a span into the *file*: text parsed out of a
//! string literal comes with the literal's [`OffsetMap`].
//!
//! The printer ([`std::fmt::Display`] on every AST type, in `print.rs`) writes source that parses
//! back to the same AST, with only the parentheses precedence needs; the alternate form
//! (`format!("{e:#}")`) parenthesises every operator operand, which shows a tree's shape in test
//! expectations. [`eq_ignoring_spans`] compares two trees without their spans.
//!
//! Limits: brackets, unary operators and `**` chains may nest 200 levels, and one expression may
//! chain 1000 operators; beyond that the input is rejected with a diagnostic before anything
//! recurses that deeply.
//!
//! Where snnc accepts more than Brian2 (never less): newlines may appear anywhere inside an
//! expression string (Brian2 follows Python, which allows them only inside brackets); a code
//! statement may continue on the next line after an operator or inside brackets (Brian2 splits
//! code at every newline first); flags have surrounding whitespace trimmed (Brian2 keeps
//! `'constant '` and then rejects it).
//!
//! This stage knows nothing about units, types, IR or backends, and it never panics: malformed
//! input, however large or deeply nested, yields diagnostics.
//!
//! Scripts: a Python construct outside the declarative subset (`for`, `if`, `def`, `while`,
//! `with`, `class`, `try`, `return`, a Python 2 `print x`, ...) is *not* an error here; it becomes
//! [`ast::PyStmtKind::Unsupported`] naming the keyword, with its indented body consumed, so that
//! the evaluator can report it (with the statement's span) alongside its other errors.
//! `from M import names` and `import M [as N]` both become `Import { module: M, star: false }`.

pub mod ast;
mod code;
mod errors;
mod expr;
mod generator;
mod model;
mod parser;
mod print;
mod pyexpr;
mod script;
mod spans;
mod strings;

pub use spans::{eq_ignoring_spans, strip_spans, ClearSpans};

use crate::diagnostics::Diagnostic;
use crate::source::OffsetMap;
use errors::{check_bracket_depth, from_pest, Depth, Lang, Want};
use expr::Builder;
use parser::brian::{BrianParser, Rule};
use pest::iterators::Pair;
use pest::Parser as _;

/// Parse a single expression (threshold, condition, initialisation string). `map` translates
/// byte offsets within `text` to file offsets; all AST spans and diagnostic spans are FILE spans.
pub fn parse_expr(text: &str, map: &OffsetMap) -> Result<ast::Expr, Vec<Diagnostic>> {
    run(text, map, Rule::expr_input, Lang::Expr, |b, p| {
        let e = p.into_inner().find(|q| q.as_rule() == Rule::expr)?;
        expr::build_expr(b, e, Depth::default())
    })
}

/// Parse a model (equations) string. Spans are file spans, through `map`.
pub fn parse_model(text: &str, map: &OffsetMap) -> Result<ast::Model, Vec<Diagnostic>> {
    run(text, map, Rule::model, Lang::Model, |b, p| {
        Some(model::build_model(b, p))
    })
}

/// Parse a code string (statements separated by newlines or `;`). Spans are file spans, through
/// `map`.
pub fn parse_code(text: &str, map: &OffsetMap) -> Result<ast::Code, Vec<Diagnostic>> {
    run(text, map, Rule::code, Lang::Code, |b, p| {
        Some(code::build_code(b, p, text))
    })
}

/// Parse the generator syntax of `Synapses.connect(j=...)`. Spans are file spans, through `map`.
pub fn parse_generator(text: &str, map: &OffsetMap) -> Result<ast::Generator, Vec<Diagnostic>> {
    run(text, map, Rule::generator_input, Lang::Generator, |b, p| {
        let g = p.into_inner().find(|q| q.as_rule() == Rule::generator)?;
        generator::build_generator(b, g)
    })
}

/// Parse a whole .eq script; spans are offsets into `text` (the file).
pub fn parse_script(text: &str) -> Result<ast::Script, Vec<Diagnostic>> {
    script::parse_script(text)
}

/// Runs the Brian parser with `rule` on `text` and builds the result with `build`.
fn run<T>(
    text: &str,
    map: &OffsetMap,
    rule: Rule,
    lang: Lang,
    build: impl FnOnce(&mut Builder<'_>, Pair<'_, Rule>) -> Option<T>,
) -> Result<T, Vec<Diagnostic>> {
    check_bracket_depth(text, map).map_err(|d| vec![d])?;
    let mut pairs = BrianParser::parse(rule, text)
        .map_err(|e| vec![from_pest(&e, text, map, lang, describe)])?;
    let mut b = Builder::new(map);
    let top = pairs.next();
    let result = top.and_then(|p| build(&mut b, p));
    match result {
        Some(v) if b.diags.is_empty() => Ok(v),
        _ if !b.diags.is_empty() => Err(b.diags),
        _ => Err(vec![Diagnostic::error_nospan(
            "internal error: the parser produced no result (please report)",
        )]),
    }
}

/// What a rule of the Brian grammar stands for in an error message.
fn describe(r: Rule) -> Option<Want> {
    use Rule as R;
    Some(match r {
        R::expr
        | R::float
        | R::int
        | R::kw_true
        | R::kw_false
        | R::call
        | R::paren
        | R::op_not
        | R::op_neg
        | R::op_pos => Want::Expression,
        R::op_or
        | R::op_and
        | R::op_lt
        | R::op_le
        | R::op_gt
        | R::op_ge
        | R::op_eq
        | R::op_ne
        | R::op_add
        | R::op_sub
        | R::op_mul
        | R::op_div
        | R::op_floordiv
        | R::op_mod
        | R::op_pow => Want::Operator,
        R::name => Want::Name,
        R::lparen => Want::Token("("),
        R::rparen => Want::Token(")"),
        R::comma => Want::Token(","),
        R::colon => Want::ColonUnit,
        R::param_colon => Want::Token(":"),
        R::assign_eq | R::kw_assign => Want::Token("="),
        R::diff_lhs | R::diff_eq | R::sub_eq | R::param_eq | R::model => Want::Equation,
        R::expr_input | R::generator_input | R::generator => Want::Expression,
        R::code => Want::Statement,
        R::unit | R::unit_factor | R::unit_flags => Want::Unit,
        R::unit_exponent => Want::Exponent,
        R::flags => Want::Flags,
        R::flag => Want::Flag,
        R::eq_end => Want::EndOfLine,
        R::statement => Want::Statement,
        R::stmt_sep => Want::Token(";"),
        R::aop_assign
        | R::aop_add
        | R::aop_sub
        | R::aop_mul
        | R::aop_div
        | R::aop_floordiv
        | R::aop_mod
        | R::aop_pow => Want::AssignOp,
        R::kw_for => Want::Token("for"),
        R::kw_in => Want::Token("in"),
        R::kw_if => Want::Token("if"),
        R::kw_range | R::kw_sample | R::range_iter | R::sample_iter => {
            Want::Token("range(...)' or 'sample(...)")
        }
        R::kwarg => Want::Expression,
        R::EOI => Want::End,
        _ => return None,
    })
}

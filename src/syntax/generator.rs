//! Building [`Generator`] (the `j='k for k in range(...) if ...'` syntax of `connect`) from pest
//! pairs, and checking the argument counts Python's `range` and Brian2's `sample` accept.
//!
//! Which names the element and condition may use is decided later, by `check`.

use super::ast::{Generator, GeneratorIter};
use super::errors::Depth;
use super::expr::{build_expr, Builder};
use super::parser::brian::Rule;
use pest::iterators::Pair;

/// Builds the generator from the `generator` pair.
pub(crate) fn build_generator(b: &mut Builder<'_>, pair: Pair<'_, Rule>) -> Option<Generator> {
    let span = b.span_trim(pair.as_span());
    let mut element = None;
    let mut var = None;
    let mut iter = None;
    let mut condition = None;
    let mut ok = true;
    let mut seen_element = false;
    for q in pair.into_inner() {
        match q.as_rule() {
            Rule::expr if !seen_element => {
                seen_element = true;
                element = build_expr(b, q, Depth::default());
            }
            Rule::expr => {
                condition = build_expr(b, q, Depth::default());
                ok &= condition.is_some();
            }
            Rule::name => var = Some(b.ident(&q)),
            Rule::range_iter => iter = range(b, q),
            Rule::sample_iter => iter = sample(b, q),
            _ => {}
        }
    }
    if !ok {
        return None;
    }
    Some(Generator {
        element: element?,
        var: var?,
        iter: iter?,
        condition,
        span,
    })
}

fn range(b: &mut Builder<'_>, p: Pair<'_, Rule>) -> Option<GeneratorIter> {
    let span = p.as_span();
    let mut args = Vec::new();
    for q in p.into_inner().filter(|q| q.as_rule() == Rule::expr) {
        args.push(build_expr(b, q, Depth::default())?);
    }
    if args.len() > 3 {
        b.error(
            format!("range expected at most 3 arguments, got {}", args.len()),
            span,
        );
        return None;
    }
    Some(GeneratorIter::Range(args))
}

fn sample(b: &mut Builder<'_>, p: Pair<'_, Rule>) -> Option<GeneratorIter> {
    let span = p.as_span();
    let mut args = Vec::new();
    let mut kwargs = Vec::new();
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::expr => {
                if !kwargs.is_empty() {
                    b.error("positional argument follows keyword argument", q.as_span());
                    return None;
                }
                args.push(build_expr(b, q, Depth::default())?);
            }
            Rule::kwarg => {
                let mut inner = q.into_inner();
                let name = inner.next()?;
                let ident = b.ident(&name);
                let value = inner.find(|r| r.as_rule() == Rule::expr)?;
                let value = build_expr(b, value, Depth::default())?;
                kwargs.push((ident, value));
            }
            _ => {}
        }
    }
    if args.is_empty() || args.len() > 3 {
        b.error(
            format!(
                "sample expects 1 to 3 positional arguments (like range), got {}",
                args.len()
            ),
            span,
        );
        return None;
    }
    Some(GeneratorIter::Sample { args, kwargs })
}

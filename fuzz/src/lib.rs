//! Properties the fuzz targets check on every input: the parser does not panic, every
//! diagnostic span lies within the text (also when the text sits at an offset of a file), and
//! whatever parses prints to text that parses back to the same AST.

pub mod kernels;

use snnc::diagnostics::Diagnostic;
use snnc::source::OffsetMap;
use snnc::syntax::{self, eq_ignoring_spans, ClearSpans};
use std::fmt::Display;

/// The offset at which the text is placed in the second run of each check.
const BASE: usize = 1000;

fn spans_inside(diags: &[Diagnostic], base: usize, len: usize) {
    assert!(!diags.is_empty(), "an error without diagnostics");
    for d in diags {
        if let Some(s) = d.span {
            let (start, end) = (s.start as usize, s.end as usize);
            assert!(
                base <= start && start <= end && end <= base + len,
                "span {start}..{end} outside {base}..{}: {}",
                base + len,
                d.message
            );
        }
    }
}

/// Checks a parser of an embedded string language (`parse_expr`, `parse_model`, ...).
pub fn check_embedded<T, F>(text: &str, parse: F)
where
    T: Display + ClearSpans + Clone + PartialEq + std::fmt::Debug,
    F: Fn(&str, &OffsetMap) -> Result<T, Vec<Diagnostic>>,
{
    for base in [0, BASE] {
        match parse(text, &OffsetMap::shifted(base)) {
            Err(d) => spans_inside(&d, base, text.len()),
            Ok(ast) => {
                let printed = ast.to_string();
                let back = parse(&printed, &OffsetMap::identity())
                    .unwrap_or_else(|d| panic!("{text:?} printed as {printed:?}: {d:?}"));
                assert!(
                    eq_ignoring_spans(&ast, &back),
                    "{text:?} printed as {printed:?} parses to a different AST"
                );
            }
        }
    }
}

/// Checks `parse_script`.
pub fn check_script(text: &str) {
    match syntax::parse_script(text) {
        Err(d) => spans_inside(&d, 0, text.len()),
        Ok(script) => {
            let printed = script.to_string();
            let back = syntax::parse_script(&printed)
                .unwrap_or_else(|d| panic!("{text:?} printed as {printed:?}: {d:?}"));
            assert!(
                eq_ignoring_spans(&script, &back),
                "{text:?} printed as {printed:?} parses to a different script"
            );
        }
    }
}

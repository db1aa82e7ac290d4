//! Parser tests: data files under `tests/data/parse/{ok,err}` with expected outputs, the
//! `.eq` examples of `/work/shared/examples-brian2` (or `SNNC_EXAMPLES`), nesting limits, and
//! property tests (printing then parsing gives the same AST; no input makes a parser panic or
//! report a span outside its text).
//!
//! Data files: the extension names the entry point (`.expr`, `.model`, `.code`, `.gen`, `.eq`).
//! A file may hold several cases separated by lines `---`. The expected output (`NAME.expected`)
//! lists, per case, the printed AST (`ok`) or the rendered diagnostics (`err`). For `.eq` files
//! the string literals are also parsed as the language their position implies (see
//! `support::embedded`), so errors inside model strings are rendered at file positions. Run with
//! `SNNC_BLESS=1` to rewrite the expectations, then review the diff.

#[path = "parse_support/mod.rs"]
mod support;

use proptest::prelude::*;
use snnc::source::OffsetMap;
use snnc::syntax::{self, eq_ignoring_spans};
use std::path::{Path, PathBuf};
use support::{arb, check_file, ExpectKind};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse")
}

fn run_dir(sub: &str, kind: ExpectKind) {
    let dir = data_dir().join(sub);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x != "expected"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no test inputs in {}", dir.display());
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|p| check_file(p, kind).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn ok_files_parse_and_print() {
    run_dir("ok", ExpectKind::Ok);
}

#[test]
fn err_files_give_expected_diagnostics() {
    run_dir("err", ExpectKind::Err);
}

#[test]
fn brian2_examples_parse_with_all_embedded_strings() {
    let dir = std::env::var("SNNC_EXAMPLES").unwrap_or("/work/shared/examples-brian2".into());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        // The shared examples are not part of the repository; the copies under
        // tests/data/parse/ok/example_*.eq cover them when they are absent.
        return;
    };
    let mut n = 0;
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "eq") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("readable example");
        let (out, errors) = support::script_report(&p.display().to_string(), &text);
        assert_eq!(errors, 0, "{}:\n{out}", p.display());
        n += 1;
    }
    assert!(n > 0, "no examples in {dir}");
}

#[test]
fn nesting_up_to_the_limit_parses_and_beyond_is_an_error() {
    let id = OffsetMap::identity();
    let ok = format!("{}x{}", "(".repeat(199), ")".repeat(199));
    assert!(syntax::parse_expr(&ok, &id).is_ok());
    let ok_model = format!("dv/dt = {}v{} : 1", "(".repeat(199), ")".repeat(199));
    assert!(syntax::parse_model(&ok_model, &id).is_ok());
    let ok_script = format!("x = {}1{}", "[".repeat(199), "]".repeat(199));
    assert!(syntax::parse_script(&ok_script).is_ok());
    let too_deep = [
        format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("{}x", "-".repeat(100_000)),
        format!("{}x", "not ".repeat(10_000)),
        format!("x{}", "**x".repeat(100_000)),
        format!("{}x{}", "-(".repeat(150), ")".repeat(150)),
        format!("f({}x{})", "f(".repeat(300), ")".repeat(300)),
    ];
    for t in &too_deep {
        let e = syntax::parse_expr(t, &id).expect_err("too deep");
        assert!(
            e[0].message.contains("nested too deeply"),
            "{}",
            e[0].message
        );
    }
    let long = format!("x{}", "+x".repeat(100_000));
    let e = syntax::parse_expr(&long, &id).expect_err("too large");
    assert!(e[0].message.contains("too large"), "{}", e[0].message);
    let ok_long = format!("x{}", "+x".repeat(900));
    assert!(syntax::parse_expr(&ok_long, &id).is_ok());
    for t in [
        format!("x = {}", "-".repeat(100_000)),
        format!("x = a{}", ".b".repeat(100_000)),
        format!("x = {}1{}", "[".repeat(50_000), "]".repeat(50_000)),
        format!("x = '''{}'''", "(".repeat(300)),
        // Unbalanced brackets and quotes once took exponential time in the line splitter.
        format!("x = {}", "(".repeat(190)),
        format!("x = {}\ny = 1", "([{".repeat(60)),
        format!("x = {}", "f('(".repeat(60)),
        format!("x = {}", "'''(\"".repeat(500)),
        format!("x = {}", "((]".repeat(60)),
    ] {
        assert!(syntax::parse_script(&t).is_err());
    }
    for t in [
        format!("x = {}", "(".repeat(190)),
        format!("dv/dt = {}", "f(".repeat(190)),
    ] {
        let id = OffsetMap::identity();
        assert!(syntax::parse_expr(&t, &id).is_err());
        assert!(syntax::parse_model(&t, &id).is_err());
        assert!(syntax::parse_code(&t, &id).is_err());
    }
}

// 256 cases each by default; set PROPTEST_CASES for longer runs.
proptest! {
    #[test]
    fn expr_round_trips(e in arb::expr()) {
        // Both the compact and the fully parenthesised (`{:#}`) forms read back.
        for printed in [e.to_string(), format!("{e:#}")] {
            let back = syntax::parse_expr(&printed, &OffsetMap::identity());
            prop_assert!(back.is_ok(), "{printed}: {back:?}");
            prop_assert!(eq_ignoring_spans(&e, &back.unwrap_or(e.clone())), "{}", printed);
        }
    }

    #[test]
    fn model_round_trips(m in arb::model()) {
        // Both the compact and the fully parenthesised (`{:#}`) forms read back.
        for printed in [m.to_string(), format!("{m:#}")] {
            let back = syntax::parse_model(&printed, &OffsetMap::identity());
            prop_assert!(back.is_ok(), "{printed}: {back:?}");
            prop_assert!(eq_ignoring_spans(&m, &back.unwrap_or_default()), "{}", printed);
        }
    }

    #[test]
    fn code_round_trips(c in arb::code()) {
        // Both the compact and the fully parenthesised (`{:#}`) forms read back.
        for printed in [c.to_string(), format!("{c:#}")] {
            let back = syntax::parse_code(&printed, &OffsetMap::identity());
            prop_assert!(back.is_ok(), "{printed}: {back:?}");
            prop_assert!(eq_ignoring_spans(&c, &back.unwrap_or_default()), "{}", printed);
        }
    }

    #[test]
    fn generator_round_trips(g in arb::generator()) {
        // Both the compact and the fully parenthesised (`{:#}`) forms read back.
        for printed in [g.to_string(), format!("{g:#}")] {
            let back = syntax::parse_generator(&printed, &OffsetMap::identity());
            prop_assert!(back.is_ok(), "{printed}: {back:?}");
            prop_assert!(eq_ignoring_spans(&g, &back.unwrap_or(g.clone())), "{}", printed);
        }
    }

    #[test]
    fn script_round_trips(s in arb::script()) {
        // Both the compact and the fully parenthesised (`{:#}`) forms read back.
        for printed in [s.to_string(), format!("{s:#}")] {
            let back = syntax::parse_script(&printed);
            prop_assert!(back.is_ok(), "{printed}: {back:?}");
            prop_assert!(eq_ignoring_spans(&s, &back.unwrap_or_default()), "{}", printed);
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_stay_inside(text in arb::messy_text()) {
        support::check_all_entry_points(&text);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        support::check_all_entry_points(&text);
    }
}

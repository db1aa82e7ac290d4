//! Helpers of `tests/parse.rs`: running one data file, finding the strings embedded in a script,
//! and the properties every entry point must have on any input.

pub mod arb;

use snnc::diagnostics::Diagnostic;
use snnc::source::{OffsetMap, SourceFile, Span};
use snnc::syntax::ast::{PyExpr, PyExprKind, PyStmtKind, PyTarget, Script, StrLit};
use snnc::syntax::{self, eq_ignoring_spans};
use std::collections::HashMap;
use std::path::Path;

/// Whether the cases of a file must parse or must fail.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExpectKind {
    /// Every case parses (and round-trips through the printer).
    Ok,
    /// Every case is rejected.
    Err,
}

/// Runs every case of `path` and compares the report with `path.expected` (rewritten instead
/// when `SNNC_BLESS=1`).
pub fn check_file(path: &Path, kind: ExpectKind) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let cases: Vec<String> = if ext == "eq" {
        vec![text.clone()]
    } else {
        split_cases(&text)
    };
    let mut report = String::new();
    let mut problems = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let first = case.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first: String = first.trim().chars().take(60).collect();
        report.push_str(&format!("--- case {}: {first}\n", i + 1));
        let (out, ok) = run_case(ext, name, case)?;
        report.push_str(&out);
        if ok != (kind == ExpectKind::Ok) {
            problems.push(format!(
                "{name} case {}: expected {}, got:\n{out}",
                i + 1,
                if kind == ExpectKind::Ok {
                    "success"
                } else {
                    "an error"
                }
            ));
        }
    }
    let expected_path = path.with_file_name(format!("{name}.expected"));
    if std::env::var("SNNC_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, &report).map_err(|e| e.to_string())?;
    } else {
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != report {
            problems.push(format!(
                "{name}: output differs from {} (SNNC_BLESS=1 to update)\n--- got ---\n{report}--- expected ---\n{expected}",
                expected_path.display()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn split_cases(text: &str) -> Vec<String> {
    let mut cases = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            cases.push(String::new());
        } else if let Some(last) = cases.last_mut() {
            last.push_str(line);
        }
    }
    cases
}

fn render(diags: &[Diagnostic], file: &SourceFile) -> String {
    diags.iter().map(|d| d.render(file)).collect()
}

/// Parses `text` as the language of `ext`; returns the report and whether it parsed.
fn run_case(ext: &str, name: &str, text: &str) -> Result<(String, bool), String> {
    let id = OffsetMap::identity();
    let file = SourceFile::new(name, text);
    macro_rules! case {
        ($parse:path) => {
            match $parse(text, &id) {
                Ok(ast) => {
                    // The report shows the tree's shape (`{:#}`); both forms must read back.
                    let full = format!("{ast:#}");
                    for printed in [ast.to_string(), full.clone()] {
                        let back = $parse(&printed, &id).map_err(|d| {
                            format!("{name}: printed form does not parse: {printed}\n{d:?}")
                        })?;
                        if !eq_ignoring_spans(&ast, &back) {
                            return Err(format!("{name}: round trip changed the AST: {printed}"));
                        }
                    }
                    (format!("{}\n", full.trim_end()), true)
                }
                Err(d) => (render(&d, &file), false),
            }
        };
    }
    Ok(match ext {
        "expr" => case!(syntax::parse_expr),
        "model" => case!(syntax::parse_model),
        "code" => case!(syntax::parse_code),
        "gen" => case!(syntax::parse_generator),
        "eq" => {
            let (out, errors) = script_report(name, text);
            (out, errors == 0)
        }
        other => return Err(format!("{name}: unknown test file extension '{other}'")),
    })
}

/// Parses a script and then every string literal whose language its position implies. Returns
/// the printed script followed by one entry per embedded string, and the number of errors.
pub fn script_report(name: &str, text: &str) -> (String, usize) {
    let file = SourceFile::new(name, text);
    let script = match syntax::parse_script(text) {
        Ok(s) => s,
        Err(d) => return (render(&d, &file), d.len()),
    };
    for printed in [script.to_string(), format!("{script:#}")] {
        match syntax::parse_script(&printed) {
            Ok(back) => assert!(eq_ignoring_spans(&script, &back), "{name}: round trip"),
            Err(d) => panic!("{name}: printed script does not parse:\n{printed}\n{d:?}"),
        }
    }
    let mut out = format!("{script:#}");
    let mut errors = 0;
    for (lang, lit) in embedded(&script) {
        let (line, col) = file.line_col(lit.map.map(0));
        let head = format!("# {lang} string at {line}:{col}\n");
        let result = match lang {
            "model" => syntax::parse_model(&lit.value, &lit.map).map(|a| format!("{a:#}")),
            "code" => syntax::parse_code(&lit.value, &lit.map).map(|a| format!("{a:#}")),
            "generator" => syntax::parse_generator(&lit.value, &lit.map).map(|a| format!("{a:#}")),
            _ => syntax::parse_expr(&lit.value, &lit.map).map(|a| format!("{a:#}")),
        };
        out.push_str(&head);
        match result {
            Ok(s) => out.push_str(&format!("{}\n", s.trim_end())),
            Err(d) => {
                errors += d.len();
                out.push_str(&render(&d, &file));
            }
        }
    }
    (out, errors)
}

/// The string literals of a script whose language is implied by where they are used:
/// `NeuronGroup(N, MODEL, threshold=EXPR, reset=CODE, refractory=EXPR)`,
/// `Synapses(src, tgt, MODEL, on_pre=CODE, on_post=CODE)`, `Equations(MODEL)`,
/// `S.connect(EXPR, j=GENERATOR or EXPR, p=EXPR, n=EXPR)`, `G.run_regularly(CODE)`,
/// `G.x = EXPR`, `G.x[EXPR] = EXPR`. Names bound to strings are followed.
pub fn embedded(script: &Script) -> Vec<(&'static str, StrLit)> {
    let mut strings: HashMap<String, StrLit> = HashMap::new();
    let mut found = Vec::new();
    let lit = |e: &PyExpr, strings: &HashMap<String, StrLit>| -> Option<StrLit> {
        match &e.kind {
            PyExprKind::Str(s) => Some(s.clone()),
            PyExprKind::Name(n) => strings.get(n).cloned(),
            _ => None,
        }
    };
    for stmt in &script.stmts {
        let mut exprs: Vec<&PyExpr> = Vec::new();
        match &stmt.kind {
            PyStmtKind::Assign { targets, value } => {
                for t in targets {
                    match t {
                        PyTarget::Name(n) => {
                            if let PyExprKind::Str(s) = &value.kind {
                                strings.insert(n.name.clone(), s.clone());
                            }
                        }
                        PyTarget::Attr { .. } => {
                            if let PyExprKind::Str(s) = &value.kind {
                                found.push(("expr", s.clone()));
                            }
                        }
                        PyTarget::Index { index, .. } => {
                            if let Some(s) = lit(index, &strings) {
                                found.push(("expr", s));
                            }
                            if let PyExprKind::Str(s) = &value.kind {
                                found.push(("expr", s.clone()));
                            }
                        }
                    }
                }
                exprs.push(value);
            }
            PyStmtKind::Expr(e) => exprs.push(e),
            _ => {}
        }
        while let Some(e) = exprs.pop() {
            if let PyExprKind::Call { func, args, kwargs } = &e.kind {
                let fname = match &func.kind {
                    PyExprKind::Name(n) => n.as_str(),
                    PyExprKind::Attr { attr, .. } => attr.name.as_str(),
                    _ => "",
                };
                let model_pos = match fname {
                    "NeuronGroup" => Some(1),
                    "Synapses" => Some(2),
                    "Equations" => Some(0),
                    _ => None,
                };
                for (k, a) in args.iter().enumerate() {
                    let lang = match (fname, k) {
                        (_, k) if Some(k) == model_pos => Some("model"),
                        ("connect", 0) => Some("expr"),
                        ("run_regularly", 0) => Some("code"),
                        _ => None,
                    };
                    if let (Some(lang), Some(s)) = (lang, lit(a, &strings)) {
                        found.push((lang, s));
                    }
                    exprs.push(a);
                }
                for (k, v) in kwargs {
                    let lang = match k.name.as_str() {
                        "model" => Some("model"),
                        "threshold" | "refractory" | "condition" | "p" | "n" => Some("expr"),
                        "reset" | "on_pre" | "on_post" | "code" => Some("code"),
                        "i" | "j" => Some("generator"),
                        _ => None,
                    };
                    if let (Some(mut lang), Some(s)) = (lang, lit(v, &strings)) {
                        if lang == "generator" && !s.value.contains(" for ") {
                            lang = "expr";
                        }
                        found.push((lang, s));
                    }
                    exprs.push(v);
                }
                exprs.push(func);
            }
        }
    }
    found
}

fn check_spans(what: &str, text: &str, base: usize, diags: &[Diagnostic]) {
    assert!(!diags.is_empty(), "{what}: Err without diagnostics");
    for d in diags {
        if let Some(Span { start, end }) = d.span {
            let (s, e) = (start as usize, end as usize);
            assert!(
                base <= s && s <= e && e <= base + text.len(),
                "{what}: span {s}..{e} outside {base}..{} for {text:?}: {}",
                base + text.len(),
                d.message
            );
        }
    }
}

/// Every entry point on `text`: no panic, spans within the text (also when the text sits at an
/// offset of a file), and anything that parses prints to text that parses to the same AST.
pub fn check_all_entry_points(text: &str) {
    let base = 7;
    for map in [OffsetMap::identity(), OffsetMap::shifted(base)] {
        let b = map.map(0) as usize;
        macro_rules! go {
            ($parse:path, $what:expr) => {
                match $parse(text, &map) {
                    Err(d) => check_spans($what, text, b, &d),
                    Ok(ast) => {
                        let printed = ast.to_string();
                        match $parse(&printed, &OffsetMap::identity()) {
                            Ok(back) => assert!(
                                eq_ignoring_spans(&ast, &back),
                                "{}: {text:?} printed as {printed:?} parses differently",
                                $what
                            ),
                            Err(d) => panic!(
                                "{}: {text:?} printed as {printed:?} does not parse: {d:?}",
                                $what
                            ),
                        }
                    }
                }
            };
        }
        go!(syntax::parse_expr, "expr");
        go!(syntax::parse_model, "model");
        go!(syntax::parse_code, "code");
        go!(syntax::parse_generator, "generator");
    }
    match syntax::parse_script(text) {
        Err(d) => check_spans("script", text, 0, &d),
        Ok(s) => {
            let printed = s.to_string();
            match syntax::parse_script(&printed) {
                Ok(back) => assert!(
                    eq_ignoring_spans(&s, &back),
                    "script: {text:?} printed as {printed:?} parses differently"
                ),
                Err(d) => panic!("script: {text:?} printed as {printed:?} does not parse: {d:?}"),
            }
            for stmt in &s.stmts {
                assert!(stmt.span.end as usize <= text.len(), "script stmt span");
            }
        }
    }
}

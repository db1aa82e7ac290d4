//! Data-driven tests of stage 2 (`check`): every `tests/data/check/{ok,err}/*.case` file is
//! parsed section by section, checked, and the printed result plus the rendered diagnostics are
//! compared with the `.out` file next to it. `SNNC_BLESS=1 cargo test --test check` rewrites the
//! `.out` files (review every change by hand against Brian2's behaviour).
//!
//! A case file holds `# comments` (first: which Brian2 test or behaviour it mirrors) and
//! sections introduced by a line starting with `%`:
//!
//! - `%const` — script constants, one `name = expression` per line (numbers, units, `True`,
//!   `int(...)`, earlier constants; `TimedArray(unit, dt)` declares a TimedArray);
//! - `%pre [refractory]`, `%post [refractory]` — NeuronGroup models of a synapse's source and
//!   target;
//! - `%model [synapses] [refractory]` — the model under test;
//! - `%threshold`, `%condition` (boolean), `%expr` (any), `%init VAR` (the unit of VAR) —
//!   expressions in the scope of the model;
//! - `%code WHAT` — a code string (reset, on_pre, ...).
//!
//! Cases under `ok/` must produce no error; cases under `err/` at least one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use snnc::check::hir::{CheckedModel, Variable};
use snnc::check::{self, ConstValue, Expect, Namespace, Owner, Scope};
use snnc::diagnostics::Diagnostic;
use snnc::source::{OffsetMap, SourceFile};
use snnc::syntax::ast::{BinOp, Expr, ExprKind, UnaryOp};
use snnc::syntax::{parse_code, parse_expr, parse_model};
use snnc::units::{lookup_constant, lookup_unit, Dimension};

/// One `%` section of a case file.
struct Section {
    /// The header words after `%`.
    header: Vec<String>,
    /// The text, exactly as in the file.
    text: String,
    /// Byte offset of the text in the file.
    start: usize,
}

fn sections(file: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut offset = 0;
    for line in file.split_inclusive('\n') {
        if let Some(h) = line.strip_prefix('%') {
            out.push(Section {
                header: h.split_whitespace().map(String::from).collect(),
                text: String::new(),
                start: offset + line.len(),
            });
        } else if let Some(s) = out.last_mut() {
            s.text.push_str(line);
        }
        offset += line.len();
    }
    out
}

/// A script constant's value as the evaluator of scripts would produce it: (SI value,
/// dimension, is a Python int).
type Value = (f64, Dimension, bool);

fn eval_const(e: &Expr, ns: &Namespace) -> Result<Value, String> {
    let one = Dimension::DIMENSIONLESS;
    Ok(match &e.kind {
        ExprKind::Int(n) => (*n as f64, one, true),
        ExprKind::Float(x) => (*x, one, false),
        ExprKind::Bool(b) => (f64::from(u8::from(*b)), one, true),
        ExprKind::Name(n) => match ns.values.get(n) {
            Some(ConstValue::Number {
                value,
                dim,
                integer,
            }) => (*value, *dim, *integer),
            _ => {
                if let Some(v) = lookup_constant(n) {
                    (v, one, false)
                } else if let Some(q) = lookup_unit(n) {
                    (q.value, q.dim, false)
                } else {
                    return Err(format!("unknown constant {n}"));
                }
            }
        },
        ExprKind::Call { func, args } if func.name == "int" && args.len() == 1 => {
            let (v, d, _) = eval_const(&args[0], ns)?;
            (v.trunc(), d, true)
        }
        ExprKind::Unary { op, operand } => {
            let (v, d, i) = eval_const(operand, ns)?;
            match op {
                UnaryOp::Neg => (-v, d, i),
                _ => (v, d, i),
            }
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, da, ia) = eval_const(lhs, ns)?;
            let (b, db, ib) = eval_const(rhs, ns)?;
            match op {
                BinOp::Add if da == db => (a + b, da, ia && ib),
                BinOp::Sub if da == db => (a - b, da, ia && ib),
                BinOp::Mul => (a * b, da.mul(db), ia && ib),
                BinOp::Div => (a / b, da.div(db), false),
                BinOp::Pow if db.is_dimensionless() => {
                    let k = snnc::units::Rational::from_f64(b).ok_or("bad exponent")?;
                    (a.powf(b), da.pow(k), ia && ib)
                }
                _ => return Err(format!("cannot evaluate {op:?}")),
            }
        }
        ExprKind::Call { .. } => return Err("unsupported call".into()),
    })
}

fn parse_consts(s: &Section, ns: &mut Namespace, tables: &mut u32) -> Result<(), String> {
    let mut offset = s.start;
    for line in s.text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some((name, rhs)) = line.split_once('=') else {
            continue;
        };
        let rhs_start = here + name.len() + 1;
        let e = parse_expr(rhs, &OffsetMap::shifted(rhs_start))
            .map_err(|d| format!("constant {name}: {d:?}"))?;
        let value = match &e.kind {
            ExprKind::Call { func, args } if func.name == "TimedArray" && args.len() == 2 => {
                let (_, dim, _) = eval_const(&args[0], ns)?;
                let (dt, _, _) = eval_const(&args[1], ns)?;
                *tables += 1;
                ConstValue::TimedArray {
                    table: *tables - 1,
                    dim,
                    dt,
                }
            }
            ExprKind::Bool(b) => ConstValue::Bool(*b),
            _ => {
                let (value, dim, integer) = eval_const(&e, ns)?;
                ConstValue::Number {
                    value,
                    dim,
                    integer,
                }
            }
        };
        ns.values.insert(name.trim().to_string(), value);
    }
    Ok(())
}

/// Runs one case file; returns the text to compare with the `.out` file and whether any error
/// was reported.
fn run_case(path: &Path) -> (String, bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let file = SourceFile::new(name, text.clone());
    let mut out = String::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut ns = Namespace::default();
    let mut tables = 0;
    let mut pre: Vec<Variable> = Vec::new();
    let mut post: Vec<Variable> = Vec::new();
    let mut model: Option<CheckedModel> = None;
    let mut synapses = false;
    for s in sections(&text) {
        let map = OffsetMap::shifted(s.start);
        let kind = s.header.first().map(String::as_str).unwrap_or("");
        let flag = |f: &str| s.header.iter().any(|h| h == f);
        let owner = if synapses {
            Owner::Synapses {
                pre: &pre,
                post: &post,
            }
        } else {
            Owner::NeuronGroup
        };
        match kind {
            "const" => {
                if let Err(e) = parse_consts(&s, &mut ns, &mut tables) {
                    panic!("{}: bad constants: {e}", path.display());
                }
            }
            "pre" | "post" | "model" => {
                let ast = match parse_model(&s.text, &map) {
                    Ok(m) => m,
                    Err(d) => {
                        diags.extend(d);
                        let _ = writeln!(out, "== {kind}\n(parse error)");
                        continue;
                    }
                };
                synapses = kind == "model" && flag("synapses");
                let owner = if synapses {
                    Owner::Synapses {
                        pre: &pre,
                        post: &post,
                    }
                } else {
                    Owner::NeuronGroup
                };
                let (m, d) = check::check_model(&ast, &owner, &ns, flag("refractory"));
                diags.extend(d);
                let vars = m.as_ref().map(|m| m.variables.clone()).unwrap_or_default();
                match kind {
                    "pre" => pre = vars,
                    "post" => post = vars,
                    _ => {
                        out.push_str("== model\n");
                        match &m {
                            Some(m) => out.push_str(&m.to_string()),
                            None => out.push_str("(errors)\n"),
                        }
                        model = m;
                    }
                }
            }
            _ if model.is_none() && diags.iter().any(Diagnostic::is_error) => {
                let header = s.header.join(" ");
                let _ = writeln!(out, "== {header}\n(skipped: the model has errors)");
            }
            _ => {
                let empty = CheckedModel::default();
                let m = model.as_ref().unwrap_or(&empty);
                let scope = Scope {
                    own: &m.variables,
                    subexpressions: &m.subexpressions,
                    owner,
                    ns: &ns,
                };
                let _ = writeln!(out, "== {}", s.header.join(" "));
                if kind == "code" {
                    let what = s.header.get(1).map(String::as_str).unwrap_or("code");
                    match parse_code(&s.text, &map) {
                        Ok(code) => {
                            let (c, d) = check::check_code(&code, &scope, what);
                            diags.extend(d);
                            match c {
                                Some(c) => out.push_str(&c.to_string()),
                                None => out.push_str("(errors)\n"),
                            }
                        }
                        Err(d) => {
                            diags.extend(d);
                            out.push_str("(parse error)\n");
                        }
                    }
                    continue;
                }
                let (expect, what) = match kind {
                    "threshold" => (Expect::Boolean, "threshold condition".to_string()),
                    "condition" => (Expect::Boolean, "connect condition".to_string()),
                    "init" => {
                        let var = s.header.get(1).cloned().unwrap_or_default();
                        let dim = m.var(&var).map(|v| v.dim).unwrap_or_default();
                        (Expect::Dim(dim), format!("initialisation of {var}"))
                    }
                    "expr" => (Expect::Any, "expression".to_string()),
                    other => panic!("{}: unknown section %{other}", path.display()),
                };
                let trimmed = s.text.trim_end();
                match parse_expr(trimmed, &map) {
                    Ok(e) => {
                        let (r, d) = check::check_expr(&e, &scope, expect, &what);
                        diags.extend(d);
                        match r {
                            Some((e, dim, ty)) => {
                                let _ = writeln!(out, "{e} : {} ({})", dim.unit_name(), ty.name());
                            }
                            None => out.push_str("(errors)\n"),
                        }
                    }
                    Err(d) => {
                        diags.extend(d);
                        out.push_str("(parse error)\n");
                    }
                }
            }
        }
    }
    let has_error = diags.iter().any(Diagnostic::is_error);
    if !diags.is_empty() {
        out.push_str("== diagnostics\n");
        for d in &diags {
            out.push_str(&d.render(&file));
        }
    }
    (out, has_error)
}

fn case_files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/check")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    files.sort();
    files
}

fn run_dir(dir: &str, want_error: bool) {
    let bless = std::env::var_os("SNNC_BLESS").is_some();
    let mut failures = Vec::new();
    let files = case_files(dir);
    assert!(!files.is_empty(), "no cases in {dir}");
    for path in files {
        let (actual, has_error) = run_case(&path);
        let name = path.display().to_string();
        if has_error != want_error {
            failures.push(format!(
                "{name}: expected {}error, got:\n{actual}",
                if want_error { "an " } else { "no " }
            ));
        }
        let out = path.with_extension("out");
        if bless {
            std::fs::write(&out, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&out).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: output differs\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ok_cases() {
    run_dir("ok", false);
}

#[test]
fn err_cases() {
    run_dir("err", true);
}

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
            // `TimedArray(unit, dt)` stands for a one-dimensional table of that unit, and
            // `TimedArray(unit, dt, columns)` for a two-dimensional one; the values themselves
            // do not matter to checking.
            ExprKind::Call { func, args }
                if func.name == "TimedArray" && (2..=3).contains(&args.len()) =>
            {
                let (_, dim, _) = eval_const(&args[0], ns)?;
                let (dt, _, _) = eval_const(&args[1], ns)?;
                let columns = match args.get(2) {
                    Some(c) => Some(eval_const(c, ns)?.0 as usize),
                    None => None,
                };
                *tables += 1;
                ConstValue::TimedArray {
                    table: *tables - 1,
                    dim,
                    dt,
                    columns,
                    // The checker does not look at the length.
                    rows: 1,
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
                            let (c, d) =
                                check::check_code(&code, &scope, what, what == "run_regularly");
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

// ---------------------------------------------------------------------------------------------
// Robustness: checking never panics, whatever the AST.
// ---------------------------------------------------------------------------------------------

mod robustness {
    use proptest::prelude::*;
    use snnc::check::hir::{VarFlags, VarKind, VarType, Variable};
    use snnc::check::{self, ConstValue, Expect, Namespace, Owner, Scope};
    use snnc::source::Span;
    use snnc::syntax::ast::{
        AssignOp, BinOp, Code, Equation, EquationKind, Expr, ExprKind, Flag, Ident, Model,
        Statement, UnaryOp,
    };
    use snnc::units::Dimension;

    /// Names that exercise every kind of resolution.
    const NAMES: [&str; 24] = [
        "v", "w", "s", "b", "n", "t", "dt", "i", "j", "N", "N_pre", "xi", "xi_1", "mV", "second",
        "pi", "exp", "clip", "rand", "tau", "ta", "v_pre", "v_post", "unknown",
    ];
    const FLAGS: [&str; 5] = ["unless refractory", "shared", "summed", "constant", "bogus"];

    fn e(kind: ExprKind) -> Expr {
        Expr {
            kind,
            span: Span::new(0, 1),
        }
    }

    fn ident(name: &str) -> Ident {
        Ident {
            name: name.to_string(),
            span: Span::new(0, 1),
        }
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (-3i64..4).prop_map(|n| e(ExprKind::Int(n))),
            prop_oneof![Just(0.5), Just(-1e300), Just(f64::NAN), Just(1.0 / 3.0)]
                .prop_map(|x| e(ExprKind::Float(x))),
            any::<bool>().prop_map(|b| e(ExprKind::Bool(b))),
            prop::sample::select(NAMES.to_vec()).prop_map(|n| e(ExprKind::Name(n.into()))),
        ];
        leaf.prop_recursive(6, 64, 4, |inner| {
            let binop = prop::sample::select(vec![
                BinOp::Add,
                BinOp::Sub,
                BinOp::Mul,
                BinOp::Div,
                BinOp::FloorDiv,
                BinOp::Mod,
                BinOp::Pow,
                BinOp::Lt,
                BinOp::Eq,
                BinOp::And,
                BinOp::Or,
            ]);
            let unop = prop::sample::select(vec![UnaryOp::Neg, UnaryOp::Pos, UnaryOp::Not]);
            prop_oneof![
                (binop, inner.clone(), inner.clone()).prop_map(|(op, a, b)| e(ExprKind::Binary {
                    op,
                    lhs: Box::new(a),
                    rhs: Box::new(b)
                })),
                (unop, inner.clone()).prop_map(|(op, a)| e(ExprKind::Unary {
                    op,
                    operand: Box::new(a)
                })),
                (
                    prop::sample::select(NAMES.to_vec()),
                    prop::collection::vec(inner, 0..4)
                )
                    .prop_map(|(f, args)| e(ExprKind::Call {
                        func: ident(f),
                        args
                    })),
            ]
        })
    }

    fn arb_equation() -> impl Strategy<Value = Equation> {
        let kind = prop::sample::select(vec![
            EquationKind::Differential,
            EquationKind::Subexpression,
            EquationKind::Parameter,
        ]);
        let unit = prop_oneof![
            Just(e(ExprKind::Int(1))),
            prop::sample::select(vec!["volt", "boolean", "integer", "mV", "bool", "x"])
                .prop_map(|n| e(ExprKind::Name(n.into()))),
            arb_expr(),
        ];
        let flags = prop::collection::vec(prop::sample::select(FLAGS.to_vec()), 0..3);
        (
            kind,
            prop::sample::select(NAMES.to_vec()),
            arb_expr(),
            unit,
            flags,
        )
            .prop_map(|(kind, var, rhs, unit, flags)| Equation {
                kind,
                var: ident(var),
                expr: (kind != EquationKind::Parameter).then_some(rhs),
                unit,
                flags: flags
                    .into_iter()
                    .map(|f| Flag {
                        name: f.into(),
                        span: Span::new(0, 1),
                    })
                    .collect(),
                span: Span::new(0, 1),
            })
    }

    fn namespace() -> Namespace {
        let mut ns = Namespace::default();
        let tau = ConstValue::Number {
            value: 0.01,
            dim: Dimension::second(),
            integer: false,
        };
        ns.values.insert("tau".into(), tau);
        let ta = ConstValue::TimedArray {
            table: 0,
            dim: Dimension::volt(),
            dt: 1e-4,
            columns: None,
            rows: 4,
        };
        ns.values.insert("ta".into(), ta);
        ns
    }

    fn var(name: &str, kind: VarKind, ty: VarType) -> Variable {
        Variable {
            name: name.into(),
            dim: Dimension::volt(),
            ty,
            kind,
            flags: VarFlags::default(),
            span: None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn models_never_panic(eqs in prop::collection::vec(arb_equation(), 0..6), syn: bool, refr: bool) {
            let ns = namespace();
            let others = [var("v", VarKind::Differential, VarType::Float)];
            let owner = if syn {
                Owner::Synapses { pre: &others, post: &others }
            } else {
                Owner::NeuronGroup
            };
            let model = Model { equations: eqs };
            let (m, diags) = check::check_model(&model, &owner, &ns, refr);
            prop_assert_eq!(m.is_some(), !diags.iter().any(|d| d.is_error()));
        }

        #[test]
        fn expressions_and_code_never_panic(x in arb_expr(), y in arb_expr(), syn: bool) {
            let ns = namespace();
            let own = [
                var("v", VarKind::Differential, VarType::Float),
                var("b", VarKind::Parameter, VarType::Boolean),
                var("n", VarKind::Parameter, VarType::Integer),
                var("s", VarKind::Subexpression, VarType::Float),
            ];
            let owner = if syn {
                Owner::Synapses { pre: &own, post: &own }
            } else {
                Owner::NeuronGroup
            };
            let scope = Scope { own: &own, subexpressions: &[], owner, ns: &ns };
            for expect in [Expect::Boolean, Expect::Any, Expect::Dim(Dimension::volt())] {
                let (r, diags) = check::check_expr(&x, &scope, expect, "expression");
                prop_assert_eq!(r.is_some(), !diags.iter().any(|d| d.is_error()));
            }
            let statements = ["v", "x", "n", "t", "s", "tau", "v_pre"]
                .iter()
                .zip([AssignOp::Assign, AssignOp::Add, AssignOp::Mul, AssignOp::Pow])
                .map(|(t, op)| Statement {
                    target: ident(t),
                    op,
                    value: y.clone(),
                    span: Span::new(0, 1),
                })
                .collect();
            let (c, diags) = check::check_code(&Code { statements }, &scope, "reset", false);
            prop_assert_eq!(c.is_some(), !diags.iter().any(|d| d.is_error()));
        }
    }

    /// The longest operator chain the parser accepts is checked without exhausting a test
    /// thread's small stack (it runs on a helper thread with a larger one).
    #[test]
    fn longest_parsable_chain_checks() {
        // The parser's limit is 1000 operators in one chain; 333 repeats make 999.
        let text = format!("1{}", " + 1*mV/mV".repeat(333));
        let x = snnc::syntax::parse_expr(&text, &snnc::source::OffsetMap::identity())
            .expect("the parser accepts 999 operators");
        let ns = Namespace::default();
        let scope = Scope {
            own: &[],
            subexpressions: &[],
            owner: Owner::NeuronGroup,
            ns: &ns,
        };
        let (r, diags) = check::check_expr(&x, &scope, Expect::Any, "expression");
        assert!(r.is_some(), "{diags:?}");
    }

    /// An AST far deeper than the parser ever builds is an error, not a stack overflow.
    #[test]
    fn deep_expressions_are_errors() {
        for (depth, ok) in [(1400, true), (3000, false)] {
            let mut x = e(ExprKind::Int(1));
            for _ in 0..depth {
                x = e(ExprKind::Binary {
                    op: BinOp::Add,
                    lhs: Box::new(x),
                    rhs: Box::new(e(ExprKind::Int(1))),
                });
            }
            let ns = Namespace::default();
            let scope = Scope {
                own: &[],
                subexpressions: &[],
                owner: Owner::NeuronGroup,
                ns: &ns,
            };
            let (r, _) = check::check_expr(&x, &scope, Expect::Any, "expression");
            assert_eq!(r.is_some(), ok, "depth {depth}");
        }
    }
}

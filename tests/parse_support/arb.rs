//! proptest strategies: random ASTs of every language (shaped like the parser's output: no
//! negative literals, slices only inside indices, units in Brian2's unit grammar) and messy text
//! made of the languages' tokens.

use proptest::prelude::*;
use snnc::source::{OffsetMap, Span};
use snnc::syntax::ast::*;

const NAMES: &[&str] = &[
    "a", "b", "v", "tau", "x_1", "ge", "I", "exp", "rand", "N", "_k", "dt", "t", "xi", "d", "dx",
    "range", "sample", "print", "match",
];
const UNIT_NAMES: &[&str] = &[
    "volt", "second", "metre", "siemens", "amp", "boolean", "integer",
];
const FLAGS: &[&str] = &[
    "constant",
    "unless refractory",
    "event-driven",
    "constant over dt",
    "summed",
    "clock-driven",
];

fn ident() -> impl Strategy<Value = Ident> {
    prop::sample::select(NAMES).prop_map(|n| Ident {
        name: n.to_string(),
        span: Span::default(),
    })
}

fn e(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..1e6f64,
        Just(1e-300),
        Just(5e-324),
        Just(1e20),
        Just(0.1),
        Just(f64::MAX)
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        (0..i64::MAX).prop_map(|v| e(ExprKind::Int(v))),
        float().prop_map(|v| e(ExprKind::Float(v))),
        any::<bool>().prop_map(|v| e(ExprKind::Bool(v))),
        ident().prop_map(|n| e(ExprKind::Name(n.name))),
    ]
}

fn unop() -> impl Strategy<Value = UnaryOp> {
    prop::sample::select(vec![UnaryOp::Neg, UnaryOp::Pos, UnaryOp::Not])
}

fn binop() -> impl Strategy<Value = BinOp> {
    use BinOp::*;
    prop::sample::select(vec![
        Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or,
    ])
}

/// Brian2 expressions.
pub fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (unop(), inner.clone()).prop_map(|(op, x)| e(ExprKind::Unary {
                op,
                operand: Box::new(x)
            })),
            (binop(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| e(ExprKind::Binary {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r)
            })),
            (ident(), prop::collection::vec(inner, 0..4))
                .prop_map(|(func, args)| e(ExprKind::Call { func, args })),
        ]
    })
}

fn unit_factor() -> impl Strategy<Value = Expr> {
    let atom = prop_oneof![
        prop::sample::select(UNIT_NAMES).prop_map(|n| e(ExprKind::Name(n.to_string()))),
        (0..10i64).prop_map(|v| e(ExprKind::Int(v))),
    ];
    let exponent = prop_oneof![
        (1..4i64).prop_map(|v| e(ExprKind::Int(v))),
        Just(e(ExprKind::Float(0.5))),
        (
            prop::sample::select(vec![UnaryOp::Neg, UnaryOp::Pos]),
            1..4i64
        )
            .prop_map(|(op, v)| {
                e(ExprKind::Unary {
                    op,
                    operand: Box::new(e(ExprKind::Int(v))),
                })
            }),
    ];
    (atom, prop::option::of(exponent)).prop_map(|(a, x)| match x {
        None => a,
        Some(x) => e(ExprKind::Binary {
            op: BinOp::Pow,
            lhs: Box::new(a),
            rhs: Box::new(x),
        }),
    })
}

fn unit() -> impl Strategy<Value = Expr> {
    let ops = prop::sample::select(vec![BinOp::Mul, BinOp::Div]);
    (
        unit_factor(),
        prop::collection::vec((ops, unit_factor()), 0..3),
    )
        .prop_map(|(first, rest)| {
            rest.into_iter().fold(first, |l, (op, r)| {
                e(ExprKind::Binary {
                    op,
                    lhs: Box::new(l),
                    rhs: Box::new(r),
                })
            })
        })
}

fn equation() -> impl Strategy<Value = Equation> {
    let kind = prop::sample::select(vec![
        EquationKind::Differential,
        EquationKind::Subexpression,
        EquationKind::Parameter,
    ]);
    let flags = prop::collection::vec(prop::sample::select(FLAGS), 0..3);
    (kind, ident(), expr(), unit(), flags).prop_map(|(kind, var, x, unit, flags)| Equation {
        kind,
        var,
        expr: (kind != EquationKind::Parameter).then_some(x),
        unit,
        flags: flags
            .into_iter()
            .map(|f| Flag {
                name: f.to_string(),
                span: Span::default(),
            })
            .collect(),
        span: Span::default(),
    })
}

/// Model strings.
pub fn model() -> impl Strategy<Value = Model> {
    prop::collection::vec(equation(), 0..5).prop_map(|equations| Model { equations })
}

fn assign_op() -> impl Strategy<Value = AssignOp> {
    use AssignOp::*;
    prop::sample::select(vec![Assign, Add, Sub, Mul, Div, FloorDiv, Mod, Pow])
}

/// Code strings.
pub fn code() -> impl Strategy<Value = Code> {
    let stmt = (ident(), assign_op(), expr()).prop_map(|(target, op, value)| Statement {
        target,
        op,
        value,
        span: Span::default(),
    });
    prop::collection::vec(stmt, 0..5).prop_map(|statements| Code { statements })
}

/// Connect generators.
pub fn generator() -> impl Strategy<Value = Generator> {
    let kwargs = prop::collection::vec((prop::sample::select(vec!["p", "size"]), expr()), 0..3)
        .prop_map(|kw| {
            kw.into_iter()
                .map(|(k, v)| {
                    let id = Ident {
                        name: k.to_string(),
                        span: Span::default(),
                    };
                    (id, v)
                })
                .collect::<Vec<_>>()
        });
    let iter = prop_oneof![
        prop::collection::vec(expr(), 1..4).prop_map(GeneratorIter::Range),
        (prop::collection::vec(expr(), 1..4), kwargs)
            .prop_map(|(args, kwargs)| GeneratorIter::Sample { args, kwargs }),
    ];
    (expr(), ident(), iter, prop::option::of(expr())).prop_map(|(element, var, iter, condition)| {
        Generator {
            element,
            var,
            iter,
            condition,
            span: Span::default(),
        }
    })
}

// ---- scripts ------------------------------------------------------------------------------------

fn p(kind: PyExprKind) -> PyExpr {
    PyExpr {
        kind,
        span: Span::default(),
    }
}

fn py_leaf() -> impl Strategy<Value = PyExpr> {
    prop_oneof![
        (0..i64::MAX).prop_map(|v| p(PyExprKind::Int(v))),
        float().prop_map(|v| p(PyExprKind::Float(v))),
        any::<bool>().prop_map(|v| p(PyExprKind::Bool(v))),
        Just(p(PyExprKind::None)),
        "\\PC{0,8}|['\"\\\\\n\t\r\u{0}-\u{1f}]{0,4}".prop_map(|s| p(PyExprKind::Str(StrLit {
            value: s,
            map: OffsetMap::identity()
        }))),
        ident().prop_map(|n| p(PyExprKind::Name(n.name))),
    ]
}

fn slice(inner: BoxedStrategy<PyExpr>) -> impl Strategy<Value = PyExpr> {
    let part = prop::option::of(inner.prop_map(Box::new));
    (part.clone(), part.clone(), part)
        .prop_map(|(lo, hi, step)| p(PyExprKind::Slice { lo, hi, step }))
}

fn py_index(inner: BoxedStrategy<PyExpr>) -> impl Strategy<Value = PyExpr> {
    let sub = prop_oneof![inner.clone(), slice(inner.clone())];
    prop_oneof![
        inner.clone(),
        slice(inner.clone()),
        prop::collection::vec(sub, 0..3).prop_map(|items| p(PyExprKind::Tuple(items))),
    ]
}

/// Python expressions of scripts.
pub fn py_expr() -> BoxedStrategy<PyExpr> {
    py_leaf()
        .prop_recursive(4, 40, 4, |inner| {
            let kw = (ident(), inner.clone());
            prop_oneof![
                (unop(), inner.clone()).prop_map(|(op, x)| p(PyExprKind::Unary {
                    op,
                    operand: Box::new(x)
                })),
                (binop(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| p(
                    PyExprKind::Binary {
                        op,
                        lhs: Box::new(l),
                        rhs: Box::new(r)
                    }
                )),
                (inner.clone(), ident()).prop_map(|(o, attr)| p(PyExprKind::Attr {
                    object: Box::new(o),
                    attr
                })),
                (
                    inner.clone(),
                    prop::collection::vec(inner.clone(), 0..3),
                    prop::collection::vec(kw, 0..3)
                )
                    .prop_map(|(f, args, mut kwargs)| {
                        let mut seen = std::collections::HashSet::new();
                        kwargs.retain(|(k, _)| seen.insert(k.name.clone()));
                        p(PyExprKind::Call {
                            func: Box::new(f),
                            args,
                            kwargs,
                        })
                    }),
                (inner.clone(), py_index(inner.clone())).prop_map(|(o, i)| p(PyExprKind::Index {
                    object: Box::new(o),
                    index: Box::new(i)
                })),
                prop::collection::vec(inner.clone(), 0..3).prop_map(|v| p(PyExprKind::List(v))),
                prop::collection::vec(inner, 0..3).prop_map(|v| p(PyExprKind::Tuple(v))),
            ]
        })
        .boxed()
}

fn target() -> impl Strategy<Value = PyTarget> {
    prop_oneof![
        ident().prop_map(PyTarget::Name),
        (py_expr(), ident()).prop_map(|(o, attr)| PyTarget::Attr {
            object: Box::new(o),
            attr
        }),
        (py_expr(), py_index(py_expr())).prop_map(|(o, i)| PyTarget::Index {
            object: Box::new(o),
            index: Box::new(i)
        }),
    ]
}

fn stmt() -> impl Strategy<Value = PyStmt> {
    let aug = prop::sample::select(vec![
        AssignOp::Add,
        AssignOp::Sub,
        AssignOp::Mul,
        AssignOp::Div,
        AssignOp::FloorDiv,
        AssignOp::Mod,
        AssignOp::Pow,
    ]);
    let construct = prop::sample::select(vec![
        "for",
        "while",
        "if",
        "def",
        "class",
        "with",
        "try",
        "return",
        "pass",
        "break",
        "continue",
        "del",
        "raise",
        "global",
        "nonlocal",
        "assert",
        "yield",
        "print",
        "decorator",
    ]);
    let module = prop::sample::select(vec!["brian2", "numpy", "brian2.units"]);
    let kind = prop_oneof![
        (module, any::<bool>()).prop_map(|(m, star)| PyStmtKind::Import {
            module: m.to_string(),
            star
        }),
        (prop::collection::vec(target(), 1..3), py_expr())
            .prop_map(|(targets, value)| PyStmtKind::Assign { targets, value }),
        (target(), aug, py_expr()).prop_map(|(target, op, value)| PyStmtKind::AugAssign {
            target,
            op,
            value
        }),
        py_expr().prop_map(PyStmtKind::Expr),
        construct.prop_map(|c| PyStmtKind::Unsupported {
            construct: c.to_string()
        }),
    ];
    kind.prop_map(|kind| PyStmt {
        kind,
        span: Span::default(),
    })
}

/// Scripts.
pub fn script() -> impl Strategy<Value = Script> {
    prop::collection::vec(stmt(), 0..5).prop_map(|stmts| Script { stmts })
}

/// Text made of the languages' tokens, glued together at random.
pub fn messy_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(vec![
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            ";",
            "=",
            "==",
            "+=",
            "*",
            "**",
            "/",
            "//",
            "%",
            "+",
            "-",
            "<",
            "<=",
            ">",
            ">=",
            "!=",
            " and ",
            " or ",
            "not ",
            "True",
            "False",
            "None",
            "d",
            "dt",
            "/dt",
            "'''",
            "'",
            "\"",
            "\"\"\"",
            "\\",
            "\n",
            " ",
            "\t",
            "#",
            ".",
            "&",
            "|",
            "^",
            " for ",
            " in ",
            "range",
            "sample",
            " if ",
            "unless refractory",
            "constant",
            "volt",
            "second",
            "1",
            "2.5",
            "1e-3",
            ".5",
            "3.",
            "\r\n",
            "\0",
            "import",
            "from ",
            "r'",
            "b'",
            "f'",
            "\\n",
            "x",
            "v",
            "G.v",
            "lambda",
            "def ",
            "    ",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,4}",
        "[0-9.eE+-]{1,5}",
        "\\PC",
    ];
    prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

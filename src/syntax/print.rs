//! Printing ASTs back to source ([`std::fmt::Display`]).
//!
//! The printed text parses back to the same AST (spans aside): every binary or unary operand
//! that is itself an operator expression is parenthesised, floats print in Rust's shortest
//! round-trip form and always contain `.` or `e`, strings print with Python escapes. Unit
//! specifications print without parentheses, since Brian2 does not allow them there. The output
//! is meant for tests, snapshots and `--emit`, not for pretty layout.

use super::ast::*;
use std::fmt::{self, Display, Formatter, Write as _};

/// Formats a float so that Python and our parser read it back as the same `f64`.
pub(crate) fn float_str(v: f64) -> String {
    if v == f64::INFINITY {
        // A literal too large for f64 (`8e382`) is infinite; this one reads back the same.
        return "1e999".into();
    }
    let s = format!("{v:?}");
    if s.contains(['.', 'e', 'E', 'n', 'N']) {
        s
    } else {
        format!("{s}.0")
    }
}

fn is_op(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Unary { .. } | ExprKind::Binary { .. })
}

struct Operand<'a>(&'a Expr);

impl Display for Operand<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_op(self.0) {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

fn unary_symbol(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Neg => "-",
        UnaryOp::Pos => "+",
        UnaryOp::Not => "not ",
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Int(v) => write!(f, "{v}"),
            ExprKind::Float(v) => f.write_str(&float_str(*v)),
            ExprKind::Bool(true) => f.write_str("True"),
            ExprKind::Bool(false) => f.write_str("False"),
            ExprKind::Name(n) => f.write_str(n),
            ExprKind::Call { func, args } => {
                write!(f, "{}(", func.name)?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            ExprKind::Unary { op, operand } => {
                write!(f, "{}{}", unary_symbol(*op), Operand(operand))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                write!(f, "{} {} {}", Operand(lhs), op.symbol(), Operand(rhs))
            }
        }
    }
}

/// Prints a unit specification: `factor (*|/) factor ...` without parentheses.
struct Unit<'a>(&'a Expr);

impl Display for Unit<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            ExprKind::Binary {
                op: op @ (BinOp::Mul | BinOp::Div),
                lhs,
                rhs,
            } => write!(f, "{} {} {}", Unit(lhs), op.symbol(), Unit(rhs)),
            ExprKind::Binary {
                op: BinOp::Pow,
                lhs,
                rhs,
            } => write!(f, "{}**{}", Unit(lhs), Unit(rhs)),
            ExprKind::Unary { op, operand } => {
                write!(f, "{}{}", unary_symbol(*op), Unit(operand))
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

impl Display for Equation {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match (&self.kind, &self.expr) {
            (EquationKind::Differential, Some(e)) => write!(f, "d{}/dt = {e}", self.var.name)?,
            (EquationKind::Subexpression, Some(e)) => write!(f, "{} = {e}", self.var.name)?,
            _ => f.write_str(&self.var.name)?,
        }
        write!(f, " : {}", Unit(&self.unit))?;
        if !self.flags.is_empty() {
            let flags: Vec<&str> = self.flags.iter().map(|fl| fl.name.as_str()).collect();
            write!(f, " ({})", flags.join(", "))?;
        }
        Ok(())
    }
}

impl Display for Model {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for eq in &self.equations {
            writeln!(f, "{eq}")?;
        }
        Ok(())
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.target.name,
            self.op.symbol(),
            self.value
        )
    }
}

impl Display for Code {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for s in &self.statements {
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

impl Display for Generator {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} for {} in ", self.element, self.var.name)?;
        let (name, args, kwargs): (&str, &[Expr], &[(Ident, Expr)]) = match &self.iter {
            GeneratorIter::Range(args) => ("range", args, &[]),
            GeneratorIter::Sample { args, kwargs } => ("sample", args, kwargs),
        };
        write!(f, "{name}(")?;
        let mut parts: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        parts.extend(kwargs.iter().map(|(k, v)| format!("{}={v}", k.name)));
        write!(f, "{})", parts.join(", "))?;
        if let Some(c) = &self.condition {
            write!(f, " if {c}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Scripts.
// ---------------------------------------------------------------------------------------------

/// Writes `s` as a Python string literal.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn py_needs_parens(e: &PyExpr) -> bool {
    matches!(
        e.kind,
        PyExprKind::Unary { .. } | PyExprKind::Binary { .. } | PyExprKind::Slice { .. }
    )
}

struct PyOperand<'a>(&'a PyExpr);

impl Display for PyOperand<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if py_needs_parens(self.0) {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// The object of `.attr`, `(...)` or `[...]`: operators and numbers need parentheses.
struct PyObject<'a>(&'a PyExpr);

impl Display for PyObject<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if py_needs_parens(self.0)
            || matches!(self.0.kind, PyExprKind::Int(_) | PyExprKind::Float(_))
        {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// An index: a tuple prints without parentheses, so that slices may appear in it.
struct PyIndex<'a>(&'a PyExpr);

impl Display for PyIndex<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            PyExprKind::Tuple(items) if !items.is_empty() => {
                let parts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                f.write_str(&parts.join(", "))?;
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                Ok(())
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

fn opt(e: &Option<Box<PyExpr>>) -> String {
    e.as_ref().map(|e| e.to_string()).unwrap_or_default()
}

impl Display for PyExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PyExprKind::Int(v) => write!(f, "{v}"),
            PyExprKind::Float(v) => f.write_str(&float_str(*v)),
            PyExprKind::Bool(true) => f.write_str("True"),
            PyExprKind::Bool(false) => f.write_str("False"),
            PyExprKind::None => f.write_str("None"),
            PyExprKind::Str(s) => f.write_str(&quote(&s.value)),
            PyExprKind::Name(n) => f.write_str(n),
            PyExprKind::Attr { object, attr } => write!(f, "{}.{}", PyObject(object), attr.name),
            PyExprKind::Call { func, args, kwargs } => {
                let mut parts: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                parts.extend(kwargs.iter().map(|(k, v)| format!("{}={v}", k.name)));
                write!(f, "{}({})", PyObject(func), parts.join(", "))
            }
            PyExprKind::Index { object, index } => {
                write!(f, "{}[{}]", PyObject(object), PyIndex(index))
            }
            PyExprKind::Slice { lo, hi, step } => {
                write!(f, "{}:{}", opt(lo), opt(hi))?;
                if let Some(s) = step {
                    write!(f, ":{s}")?;
                }
                Ok(())
            }
            PyExprKind::List(items) => {
                let parts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                write!(f, "[{}]", parts.join(", "))
            }
            PyExprKind::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                let trailing = if items.len() == 1 { "," } else { "" };
                write!(f, "({}{trailing})", parts.join(", "))
            }
            PyExprKind::Unary { op, operand } => {
                write!(f, "{}{}", unary_symbol(*op), PyOperand(operand))
            }
            PyExprKind::Binary { op, lhs, rhs } => {
                write!(f, "{} {} {}", PyOperand(lhs), op.symbol(), PyOperand(rhs))
            }
        }
    }
}

impl Display for PyTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PyTarget::Name(n) => f.write_str(&n.name),
            PyTarget::Attr { object, attr } => write!(f, "{}.{}", PyObject(object), attr.name),
            PyTarget::Index { object, index } => {
                write!(f, "{}[{}]", PyObject(object), PyIndex(index))
            }
        }
    }
}

/// Source that parses back to `Unsupported { construct }` (valid Python where possible).
fn unsupported_source(construct: &str) -> String {
    match construct {
        "for" => "for _ in ():\n    pass".into(),
        "while" | "if" | "elif" => format!("{construct} False:\n    pass"),
        "def" => "def _():\n    pass".into(),
        "class" => "class _:\n    pass".into(),
        "with" => "with _:\n    pass".into(),
        "try" => "try:\n    pass\nexcept Exception:\n    pass".into(),
        "else" | "except" | "finally" => format!("{construct}:\n    pass"),
        "decorator" => "@_".into(),
        "print" => "print _".into(),
        "del" | "global" | "nonlocal" => format!("{construct} _"),
        "assert" => "assert True".into(),
        other => other.to_string(),
    }
}

impl Display for PyStmt {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PyStmtKind::Import { module, star: true } => write!(f, "from {module} import *"),
            PyStmtKind::Import {
                module,
                star: false,
            } => write!(f, "import {module}"),
            PyStmtKind::Assign { targets, value } => {
                for t in targets {
                    write!(f, "{t} = ")?;
                }
                write!(f, "{value}")
            }
            PyStmtKind::AugAssign { target, op, value } => {
                write!(f, "{target} {} {value}", op.symbol())
            }
            PyStmtKind::Expr(e) => write!(f, "{e}"),
            PyStmtKind::Unsupported { construct } => f.write_str(&unsupported_source(construct)),
        }
    }
}

impl Display for Script {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for s in &self.stmts {
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

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

/// Where an operand sits: decides whether it needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left(BinOp),
    Right(BinOp),
    Unary(UnaryOp),
}

/// The operator at the top of an operand (`None` for atoms).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Top {
    Binary(BinOp),
    Unary(UnaryOp),
    Atom,
}

fn binop_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 1,
        BinOp::And => 2,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => 4,
        BinOp::Add | BinOp::Sub => 5,
        BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod => 6,
        BinOp::Pow => 8,
    }
}

fn unop_prec(op: UnaryOp) -> u8 {
    match op {
        UnaryOp::Not => 3,
        UnaryOp::Neg | UnaryOp::Pos => 7,
    }
}

/// Whether an operand with operator `top` at `side` needs parentheses to keep Python's reading.
/// `full` parenthesises every operator operand (the `{:#}` form).
fn needs_parens(side: Side, top: Top, full: bool) -> bool {
    let pc = match top {
        Top::Atom => return false,
        _ if full => return true,
        Top::Binary(op) => binop_prec(op),
        Top::Unary(op) => unop_prec(op),
    };
    match side {
        // `not` may not follow `-`/`+`: `-(not x)`.
        Side::Unary(op) => {
            (op != UnaryOp::Not && top == Top::Unary(UnaryOp::Not)) || pc < unop_prec(op)
        }
        // The exponent may be a signed factor: `2 ** -1`.
        Side::Right(BinOp::Pow) if matches!(top, Top::Unary(UnaryOp::Neg | UnaryOp::Pos)) => false,
        Side::Left(op) | Side::Right(op) => {
            let pp = binop_prec(op);
            if pc != pp {
                return pc < pp;
            }
            if op.is_comparison() {
                // Comparisons do not chain in Brian2's language.
                return true;
            }
            let right = matches!(side, Side::Right(_));
            // `**` groups to the right, everything else to the left.
            (op == BinOp::Pow) != right
        }
    }
}

fn top(e: &Expr) -> Top {
    match e.kind {
        ExprKind::Binary { op, .. } => Top::Binary(op),
        ExprKind::Unary { op, .. } => Top::Unary(op),
        _ => Top::Atom,
    }
}

fn operand(f: &mut Formatter<'_>, e: &Expr, side: Side) -> fmt::Result {
    if needs_parens(side, top(e), f.alternate()) {
        f.write_str("(")?;
        fmt_expr(e, f)?;
        f.write_str(")")
    } else {
        fmt_expr(e, f)
    }
}

fn unary_symbol(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Neg => "-",
        UnaryOp::Pos => "+",
        UnaryOp::Not => "not ",
    }
}

/// Writes `e`; `f.alternate()` (`{:#}`) selects the fully parenthesised form.
fn fmt_expr(e: &Expr, f: &mut Formatter<'_>) -> fmt::Result {
    match &e.kind {
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
                fmt_expr(a, f)?;
            }
            f.write_str(")")
        }
        ExprKind::Unary { op, operand: x } => {
            f.write_str(unary_symbol(*op))?;
            operand(f, x, Side::Unary(*op))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            operand(f, lhs, Side::Left(*op))?;
            write!(f, " {} ", op.symbol())?;
            operand(f, rhs, Side::Right(*op))
        }
    }
}

impl Display for Expr {
    /// Source text with the parentheses precedence requires; `{:#}` parenthesises every
    /// operator operand, which shows the tree's shape.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt_expr(self, f)
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
            (EquationKind::Differential, Some(e)) => {
                write!(f, "d{}/dt = ", self.var.name)?;
                fmt_expr(e, f)?;
            }
            (EquationKind::Subexpression, Some(e)) => {
                write!(f, "{} = ", self.var.name)?;
                fmt_expr(e, f)?;
            }
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
            same(f, eq)?;
            f.write_str("\n")?;
        }
        Ok(())
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.target.name, self.op.symbol())?;
        fmt_expr(&self.value, f)
    }
}

impl Display for Code {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for s in &self.statements {
            same(f, s)?;
            f.write_str("\n")?;
        }
        Ok(())
    }
}

impl Display for Generator {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt_expr(&self.element, f)?;
        write!(f, " for {} in ", self.var.name)?;
        let (name, args, kwargs): (&str, &[Expr], &[(Ident, Expr)]) = match &self.iter {
            GeneratorIter::Range(args) => ("range", args, &[]),
            GeneratorIter::Sample { args, kwargs } => ("sample", args, kwargs),
        };
        write!(f, "{name}(")?;
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            fmt_expr(a, f)?;
        }
        for (k, v) in kwargs {
            write!(f, ", {}=", k.name)?;
            fmt_expr(v, f)?;
        }
        f.write_str(")")?;
        if let Some(c) = &self.condition {
            f.write_str(" if ")?;
            fmt_expr(c, f)?;
        }
        Ok(())
    }
}

/// Writes `x` in the form (plain or `{:#}`) `f` asks for.
fn same<T: Display>(f: &mut Formatter<'_>, x: &T) -> fmt::Result {
    if f.alternate() {
        write!(f, "{x:#}")
    } else {
        write!(f, "{x}")
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

fn py_top(e: &PyExpr) -> Top {
    match e.kind {
        PyExprKind::Binary { op, .. } => Top::Binary(op),
        PyExprKind::Unary { op, .. } => Top::Unary(op),
        _ => Top::Atom,
    }
}

fn py_operand(f: &mut Formatter<'_>, e: &PyExpr, side: Side) -> fmt::Result {
    if needs_parens(side, py_top(e), f.alternate()) {
        f.write_str("(")?;
        fmt_py(e, f)?;
        f.write_str(")")
    } else {
        fmt_py(e, f)
    }
}

/// Writes the object of `.attr`, `(...)` or `[...]`: operators need parentheses, and a number
/// a space (`1 .real`).
fn py_object(f: &mut Formatter<'_>, e: &PyExpr) -> fmt::Result {
    match e.kind {
        PyExprKind::Unary { .. } | PyExprKind::Binary { .. } | PyExprKind::Slice { .. } => {
            f.write_str("(")?;
            fmt_py(e, f)?;
            f.write_str(")")
        }
        PyExprKind::Int(_) | PyExprKind::Float(_) => {
            fmt_py(e, f)?;
            f.write_str(" ")
        }
        _ => fmt_py(e, f),
    }
}

/// Writes comma-separated expressions.
fn py_list(f: &mut Formatter<'_>, items: &[PyExpr]) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        fmt_py(x, f)?;
    }
    Ok(())
}

/// Writes an index: a tuple without parentheses, so that slices may appear in it.
fn py_index(f: &mut Formatter<'_>, e: &PyExpr) -> fmt::Result {
    match &e.kind {
        PyExprKind::Tuple(items) if !items.is_empty() => {
            py_list(f, items)?;
            if items.len() == 1 {
                f.write_str(",")?;
            }
            Ok(())
        }
        _ => fmt_py(e, f),
    }
}

fn fmt_py(e: &PyExpr, f: &mut Formatter<'_>) -> fmt::Result {
    match &e.kind {
        PyExprKind::Int(v) => write!(f, "{v}"),
        PyExprKind::Float(v) => f.write_str(&float_str(*v)),
        PyExprKind::Bool(true) => f.write_str("True"),
        PyExprKind::Bool(false) => f.write_str("False"),
        PyExprKind::None => f.write_str("None"),
        PyExprKind::Str(s) => f.write_str(&quote(&s.value)),
        PyExprKind::Name(n) => f.write_str(n),
        PyExprKind::Attr { object, attr } => {
            py_object(f, object)?;
            write!(f, ".{}", attr.name)
        }
        PyExprKind::Call { func, args, kwargs } => {
            py_object(f, func)?;
            f.write_str("(")?;
            py_list(f, args)?;
            for (i, (k, v)) in kwargs.iter().enumerate() {
                if i > 0 || !args.is_empty() {
                    f.write_str(", ")?;
                }
                write!(f, "{}=", k.name)?;
                fmt_py(v, f)?;
            }
            f.write_str(")")
        }
        PyExprKind::Index { object, index } => {
            py_object(f, object)?;
            f.write_str("[")?;
            py_index(f, index)?;
            f.write_str("]")
        }
        PyExprKind::Slice { lo, hi, step } => {
            if let Some(lo) = lo {
                fmt_py(lo, f)?;
            }
            f.write_str(":")?;
            if let Some(hi) = hi {
                fmt_py(hi, f)?;
            }
            if let Some(step) = step {
                f.write_str(":")?;
                fmt_py(step, f)?;
            }
            Ok(())
        }
        PyExprKind::List(items) => {
            f.write_str("[")?;
            py_list(f, items)?;
            f.write_str("]")
        }
        PyExprKind::Dict(entries) => {
            f.write_str("{")?;
            for (k, (key, value)) in entries.iter().enumerate() {
                if k > 0 {
                    f.write_str(", ")?;
                }
                fmt_py(key, f)?;
                f.write_str(": ")?;
                fmt_py(value, f)?;
            }
            f.write_str("}")
        }
        PyExprKind::Tuple(items) => {
            f.write_str("(")?;
            py_list(f, items)?;
            f.write_str(if items.len() == 1 { ",)" } else { ")" })
        }
        PyExprKind::Unary { op, operand } => {
            f.write_str(unary_symbol(*op))?;
            py_operand(f, operand, Side::Unary(*op))
        }
        PyExprKind::Binary { op, lhs, rhs } => {
            py_operand(f, lhs, Side::Left(*op))?;
            write!(f, " {} ", op.symbol())?;
            py_operand(f, rhs, Side::Right(*op))
        }
    }
}

impl Display for PyExpr {
    /// Python source with the parentheses precedence requires; `{:#}` parenthesises every
    /// operator operand.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt_py(self, f)
    }
}

impl Display for PyTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PyTarget::Name(n) => f.write_str(&n.name),
            PyTarget::Attr { object, attr } => {
                py_object(f, object)?;
                write!(f, ".{}", attr.name)
            }
            PyTarget::Index { object, index } => {
                py_object(f, object)?;
                f.write_str("[")?;
                py_index(f, index)?;
                f.write_str("]")
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
                    same(f, t)?;
                    f.write_str(" = ")?;
                }
                fmt_py(value, f)
            }
            PyStmtKind::AugAssign { target, op, value } => {
                same(f, target)?;
                write!(f, " {} ", op.symbol())?;
                fmt_py(value, f)
            }
            PyStmtKind::Expr(e) => fmt_py(e, f),
            PyStmtKind::Unsupported { construct } => f.write_str(&unsupported_source(construct)),
        }
    }
}

impl Display for Script {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for s in &self.stmts {
            same(f, s)?;
            f.write_str("\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_always_read_back_as_floats() {
        assert_eq!(float_str(3.0), "3.0");
        assert_eq!(float_str(1e20), "1e20");
        assert_eq!(float_str(1e-7), "1e-7");
        assert_eq!(float_str(0.1), "0.1");
        assert_eq!(float_str(f64::INFINITY), "1e999");
    }

    #[test]
    fn compact_form_has_only_the_parentheses_precedence_needs() {
        let id = crate::source::OffsetMap::identity();
        for (src, compact, full) in [
            ("-2**2", "-2 ** 2", "-(2 ** 2)"),
            ("(-2)**2", "(-2) ** 2", "(-2) ** 2"),
            ("2**-1", "2 ** -1", "2 ** (-1)"),
            ("2**3**2", "2 ** 3 ** 2", "2 ** (3 ** 2)"),
            ("(2**3)**2", "(2 ** 3) ** 2", "(2 ** 3) ** 2"),
            ("a-(b-c)", "a - (b - c)", "a - (b - c)"),
            ("a-b-c", "a - b - c", "(a - b) - c"),
            ("-(not a)", "-(not a)", "-(not a)"),
            ("not -a", "not -a", "not (-a)"),
            ("(a<b)<c", "(a < b) < c", "(a < b) < c"),
            (
                "a or b and not c",
                "a or b and not c",
                "a or (b and (not c))",
            ),
            ("(a or b) and c", "(a or b) and c", "(a or b) and c"),
            ("- -a", "--a", "-(-a)"),
        ] {
            let e = crate::syntax::parse_expr(src, &id).map_err(|d| format!("{src}: {d:?}"));
            let e = e.unwrap_or_else(|m| panic!("{m}"));
            assert_eq!(e.to_string(), compact, "{src}");
            assert_eq!(format!("{e:#}"), full, "{src}");
        }
    }

    #[test]
    fn strings_print_with_python_escapes() {
        assert_eq!(quote("a'b\\c\n\u{1}é"), "'a\\'b\\\\c\\n\\x01é'");
    }
}

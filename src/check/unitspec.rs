//! The unit specification after `:` in an equation (BRIAN2-SEMANTICS §1.3–§1.4).
//!
//! `1`, `boolean` and `integer` are special; everything else is an arithmetic expression over
//! *base units* (`volt`, not `mV`) with `*`, `/` and constant `**` exponents, which must evaluate
//! to a unit rather than to a number or a quantity (`2*volt`).

use super::hir::VarType;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{BinOp, Expr, ExprKind, UnaryOp};
use crate::units::{self, Dimension, Rational};

/// Evaluates a unit specification expression (the part after ':' in an equation) to (dimension,
/// type), with Brian2's base-unit rule and messages.
pub fn unit_spec(unit: &Expr) -> Result<(Dimension, VarType), Diagnostic> {
    match &unit.kind {
        ExprKind::Int(1) => return Ok((Dimension::DIMENSIONLESS, VarType::Float)),
        ExprKind::Name(n) if n == "boolean" => {
            return Ok((Dimension::DIMENSIONLESS, VarType::Boolean))
        }
        ExprKind::Name(n) if n == "integer" => {
            return Ok((Dimension::DIMENSIONLESS, VarType::Integer))
        }
        ExprKind::Name(n) if n == "bool" => {
            return Err(Diagnostic::error(
                "use 'boolean' not 'bool' as the unit for a boolean variable",
                unit.span,
            )
            .with_label("expected 'boolean'"))
        }
        ExprKind::Name(n) if n == "int" || n == "float" => {
            let instead = if n == "int" { "integer" } else { "1" };
            return Err(Diagnostic::error(
                format!("'{n}' is not a valid unit specification"),
                unit.span,
            )
            .with_label(format!("write '{instead}' instead")));
        }
        _ => {}
    }
    match eval(unit)? {
        Value::Unit(d) => Ok((d, VarType::Float)),
        Value::Quantity(_) => Err(Diagnostic::error(
            "the unit specification does not evaluate to a unit but to a quantity",
            unit.span,
        )
        .with_label("expected units only")
        .with_note(
            "help: make sure to only use units, e.g. 'siemens/metre**2' and not \
             '1 * siemens/metre**2'",
        )),
        Value::Number(_) => Err(Diagnostic::error(
            "the unit specification does not evaluate to a unit but to a number",
            unit.span,
        )
        .with_label("expected a unit, '1', 'boolean' or 'integer'")),
    }
}

/// The value of (part of) a unit specification.
#[derive(Clone, Copy, Debug)]
enum Value {
    /// A unit: a product of base-unit powers with scale 1.
    Unit(Dimension),
    /// A number times units (`2*volt`).
    Quantity(Dimension),
    /// A plain number.
    Number(f64),
}

impl Value {
    fn dim(self) -> Dimension {
        match self {
            Value::Unit(d) | Value::Quantity(d) => d,
            Value::Number(_) => Dimension::DIMENSIONLESS,
        }
    }
}

/// Evaluates the expression like Python would over Brian2's `Unit` objects.
fn eval(e: &Expr) -> Result<Value, Diagnostic> {
    match &e.kind {
        ExprKind::Int(n) => Ok(Value::Number(*n as f64)),
        ExprKind::Float(x) => Ok(Value::Number(*x)),
        ExprKind::Name(name) => match units::base_unit(name) {
            Ok(d) => Ok(Value::Unit(d)),
            Err(err) => {
                let msg =
                    format!("unit specification refers to '{name}', but this is not a base unit");
                Err(match err.suggestion {
                    Some(s) => {
                        Diagnostic::error(msg, e.span).with_label(format!("use '{s}' instead"))
                    }
                    None => Diagnostic::error(msg, e.span)
                        .with_label("not a base unit")
                        .with_note(format!(
                            "note: the following base units are allowed: {}",
                            units::BASE_UNITS_ALLOWED
                        )),
                })
            }
        },
        ExprKind::Unary { op, operand } => {
            let v = eval(operand)?;
            match (op, v) {
                (UnaryOp::Neg, Value::Number(x)) => Ok(Value::Number(-x)),
                (UnaryOp::Pos, v) => Ok(v),
                (UnaryOp::Neg, v) => Ok(Value::Quantity(v.dim())),
                (UnaryOp::Not, _) => Err(invalid(e)),
            }
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (eval(lhs)?, eval(rhs)?);
            binary(*op, a, b, e, rhs)
        }
        ExprKind::Bool(_) | ExprKind::Call { .. } => Err(invalid(e)),
    }
}

/// `a op b` on unit values.
fn binary(op: BinOp, a: Value, b: Value, e: &Expr, rhs: &Expr) -> Result<Value, Diagnostic> {
    use Value::{Number, Quantity, Unit};
    Ok(match (op, a, b) {
        (BinOp::Mul, Number(x), Number(y)) => Number(x * y),
        (BinOp::Div, Number(x), Number(y)) => Number(x / y),
        (BinOp::Add, Number(x), Number(y)) => Number(x + y),
        (BinOp::Sub, Number(x), Number(y)) => Number(x - y),
        (BinOp::Pow, Number(x), Number(y)) => Number(x.powf(y)),
        (BinOp::Mul, Unit(x), Unit(y)) => Unit(x.mul(y)),
        (BinOp::Div, Unit(x), Unit(y)) => Unit(x.div(y)),
        // Brian2 special-cases `1 / unit`, which stays a unit.
        (BinOp::Div, Number(1.0), Unit(y)) => Unit(y.recip()),
        (BinOp::Mul | BinOp::Div, x, y) => {
            let d = if op == BinOp::Mul {
                x.dim().mul(y.dim())
            } else {
                x.dim().div(y.dim())
            };
            Quantity(d)
        }
        (BinOp::Pow, x, Number(k)) => {
            let Some(k) = Rational::from_f64(k) else {
                return Err(Diagnostic::error(
                    format!("cannot raise a unit to the power {k}"),
                    rhs.span,
                )
                .with_label("expected a simple fraction"));
            };
            match x {
                Unit(d) => Unit(d.pow(k)),
                other => Quantity(other.dim().pow(k)),
            }
        }
        (BinOp::Pow, _, _) => {
            return Err(Diagnostic::error(
                "the exponent for a power operation has to be dimensionless",
                rhs.span,
            )
            .with_label(format!("expected 1, found {}", b.dim().unit_name())))
        }
        (BinOp::Add | BinOp::Sub, x, y) => {
            if x.dim() != y.dim() {
                return Err(Diagnostic::error(
                    format!("inconsistent units in '{}'", op.symbol()),
                    rhs.span,
                )
                .with_label(format!(
                    "expected {}, found {}",
                    x.dim().unit_name(),
                    y.dim().unit_name()
                )));
            }
            Quantity(x.dim())
        }
        _ => return Err(invalid(e)),
    })
}

/// An expression that cannot be a unit at all.
fn invalid(e: &Expr) -> Diagnostic {
    Diagnostic::error("invalid unit specification", e.span)
        .with_label("expected base units combined with '*', '/' and '**'")
}

//! A stable text form of the HIR, for snapshots, debugging and `--emit hir`.
//!
//! Expressions print as infix with every nested binary operation parenthesized, numbers in
//! Rust's shortest round-trip form, `_pre`/`_post` suffixes for a synapse's neighbours, and
//! `table#K(arg)` for TimedArray lookups. The printed form is for reading, not for parsing back.

use std::fmt;

use super::hir::{
    CheckedCode, CheckedModel, HExpr, Side, Special, Target, VarKind, VarRef, VarType,
};
use crate::syntax::ast::UnaryOp;

impl fmt::Display for VarRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.side {
            Side::Own => write!(f, "{}", self.name),
            Side::Pre => write!(f, "{}_pre", self.name),
            Side::Post => write!(f, "{}_post", self.name),
        }
    }
}

impl Special {
    /// The name as written in Brian2 strings.
    pub fn name(self) -> &'static str {
        match self {
            Special::T => "t",
            Special::Dt => "dt",
            Special::I => "i",
            Special::J => "j",
            Special::N => "N",
            Special::NPre => "N_pre",
            Special::NPost => "N_post",
            Special::NIncoming => "N_incoming",
            Special::NOutgoing => "N_outgoing",
            Special::TInTimesteps => "t_in_timesteps",
        }
    }
}

impl VarType {
    /// Brian2's name of the type (`float`, `integer`, `boolean`).
    pub fn name(self) -> &'static str {
        match self {
            VarType::Float => "float",
            VarType::Integer => "integer",
            VarType::Boolean => "boolean",
        }
    }
}

/// Writes `e`, parenthesized if it is a binary operation.
fn operand(f: &mut fmt::Formatter<'_>, e: &HExpr) -> fmt::Result {
    if matches!(e, HExpr::Binary(..)) {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl fmt::Display for HExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HExpr::Const(v) => write!(f, "{v:?}"),
            HExpr::Var(r) => write!(f, "{r}"),
            HExpr::Special(s) => write!(f, "{}", s.name()),
            HExpr::Temp(n) | HExpr::Noise(n) => write!(f, "{n}"),
            HExpr::Rand => write!(f, "rand()"),
            HExpr::Randn => write!(f, "randn()"),
            HExpr::Unary(op, x) => {
                let sym = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Pos => "+",
                    UnaryOp::Not => "not ",
                };
                write!(f, "{sym}")?;
                operand(f, x)
            }
            HExpr::Binary(op, a, b) => {
                operand(f, a)?;
                write!(f, " {} ", op.symbol())?;
                operand(f, b)
            }
            HExpr::Call(func, args) => {
                write!(f, "{}(", func.name())?;
                for (k, a) in args.iter().enumerate() {
                    if k > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{a}")?;
                }
                write!(f, ")")
            }
            HExpr::Table {
                table,
                arg,
                index: None,
            } => write!(f, "table#{}({arg})", table.id),
            HExpr::Table {
                table,
                arg,
                index: Some(index),
            } => write!(f, "table#{}({arg}, {index})", table.id),
            HExpr::Select(c, a, b) => write!(f, "select({c}, {a}, {b})"),
        }
    }
}

impl fmt::Display for CheckedModel {
    /// One line per variable (name, unit, type, kind, flags), then subexpressions and
    /// differential equations.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "variables:")?;
        for v in &self.variables {
            let kind = match v.kind {
                VarKind::Differential => "differential",
                VarKind::Parameter => "parameter",
                VarKind::Subexpression => "subexpression",
                VarKind::Internal => "internal",
            };
            let fl = &v.flags;
            let flags: Vec<&str> = [
                (fl.unless_refractory, "unless refractory"),
                (fl.constant, "constant"),
                (fl.shared, "shared"),
                (fl.linked, "linked"),
                (fl.constant_over_dt, "constant over dt"),
                (fl.summed, "summed"),
                (fl.event_driven, "event-driven"),
                (fl.clock_driven, "clock-driven"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect();
            write!(
                f,
                "  {} : {} ({}, {kind})",
                v.name,
                v.dim.unit_name(),
                v.ty.name()
            )?;
            if !flags.is_empty() {
                write!(f, " [{}]", flags.join(", "))?;
            }
            writeln!(f)?;
        }
        if !self.subexpressions.is_empty() {
            writeln!(f, "subexpressions:")?;
            for s in &self.subexpressions {
                writeln!(f, "  {} = {}", s.name, s.expr)?;
            }
        }
        if !self.diff_eqs.is_empty() {
            writeln!(f, "differential equations:")?;
            for d in &self.diff_eqs {
                writeln!(f, "  d{}/dt = {}", d.var, d.rhs)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for CheckedCode {
    /// One statement per line, `target = value` (temporaries marked `:=`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.statements {
            match &s.target {
                Target::Var(r, _) => writeln!(f, "{r} = {}", s.value)?,
                Target::Temp(n) => writeln!(f, "{n} := {}", s.value)?,
            }
        }
        Ok(())
    }
}

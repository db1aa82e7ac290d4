//! Code strings: reset, on_pre/on_post and run_regularly statements (BRIAN2-SEMANTICS §2.3,
//! §3.5).
//!
//! Each statement `target op value` is checked in order: `x = e` with an unknown `x` declares a
//! temporary whose unit is fixed by `e`; augmented assignments are expanded (`v += w` becomes
//! `v = v + w`) after checking that `v op w` keeps the unit of `v`; `//=` and `**=` are
//! rejected like Brian2's unit checker does; read-only names, subexpressions and constants cannot
//! be written; writes to shared variables come before writes to vector variables.

use super::dims::ExprChecker;
use super::hir::{is_scalar, CheckedCode, HExpr, HStatement, Side, Target, VarRef, VarType};
use super::names::{self, ConstOrigin, Env, Resolved};
use super::{has_error, Scope};
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{AssignOp, BinOp, Code, Statement};
use crate::units::Dimension;

/// See [`super::check_code`].
pub(crate) fn check_code(
    code: &Code,
    scope: &Scope,
    what: &str,
    shared_writes: bool,
) -> (Option<CheckedCode>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut temps: Vec<(String, Dimension, VarType)> = Vec::new();
    // Temporaries with one value for the whole object (see `hir::is_scalar`).
    let mut scalar_temps: Vec<String> = Vec::new();
    let mut statements = Vec::new();
    // Whether a per-element statement (a vector variable or temporary) came before: Brian2
    // runs the shared statements first, so none may follow one.
    let mut vector_written = false;
    for st in &code.statements {
        let env = Env {
            own: scope.own,
            subexprs: scope.subexpressions,
            owner: scope.owner,
            ns: scope.ns,
            temps: &temps,
            noise: false,
        };
        let mut checker = ExprChecker::new(env, &mut diags);
        let value = checker.check_root(&st.value);
        let uses = std::mem::take(&mut checker.uses);
        let op = match st.op.binop() {
            Some(BinOp::FloorDiv | BinOp::Pow) => {
                diags.push(
                    Diagnostic::error(
                        format!("unsupported operator '{}' in {what}", st.op.symbol()),
                        st.span,
                    )
                    .with_label(format!(
                        "write '{0} = {0} {1} ...' instead",
                        st.target.name,
                        &st.op.symbol()[..st.op.symbol().len() - 1]
                    )),
                );
                continue;
            }
            op => op,
        };
        let Some(target) = resolve_target(st, env, &mut diags) else {
            continue;
        };
        let (target, read, dim) = match target {
            Written::New => {
                // A new temporary takes the unit and type of its first value.
                let (dim, ty) = value
                    .as_ref()
                    .map_or((Dimension::DIMENSIONLESS, VarType::Float), |v| {
                        (v.dim, v.ty)
                    });
                temps.push((st.target.name.clone(), dim, ty));
                let Some(v) = value else { continue };
                if is_scalar(&v.expr, scope.own, &scalar_temps) {
                    scalar_temps.push(st.target.name.clone());
                } else {
                    vector_written = true;
                }
                statements.push(HStatement {
                    target: Target::Temp(st.target.name.clone()),
                    value: v.expr,
                    span: st.span,
                });
                continue;
            }
            Written::Temp(dim) => {
                if !scalar_temps.contains(&st.target.name) {
                    vector_written = true;
                }
                (
                    Target::Temp(st.target.name.clone()),
                    HExpr::Temp(st.target.name.clone()),
                    dim,
                )
            }
            Written::Var(r, ty, dim, shared) => {
                if shared {
                    let rules = SharedWrite {
                        allowed: shared_writes,
                        vector_written,
                        scalar: value
                            .as_ref()
                            .is_none_or(|v| is_scalar(&v.expr, scope.own, &scalar_temps)),
                    };
                    rules.check(st, &uses, scope, what, &mut diags);
                } else {
                    vector_written = true;
                }
                (Target::Var(r.clone(), ty), HExpr::Var(r), dim)
            }
        };
        let Some(v) = value else { continue };
        let expected = match op {
            Some(BinOp::Mul | BinOp::Div) => Dimension::DIMENSIONLESS,
            _ => dim,
        };
        if v.dim != expected {
            let keep = if expected != dim {
                format!(" (so that '{}' keeps its unit)", st.target.name)
            } else {
                String::new()
            };
            diags.push(
                Diagnostic::error(
                    format!(
                        "the right-hand side of code statement '{} {} ...' does not have the \
                         expected unit",
                        st.target.name,
                        st.op.symbol()
                    ),
                    st.value.span,
                )
                .with_label(format!(
                    "expected {}{keep}, found {}",
                    expected.unit_name(),
                    v.dim.unit_name()
                )),
            );
            continue;
        }
        let value = match op {
            Some(op) => HExpr::Binary(op, Box::new(read), Box::new(v.expr)),
            None => v.expr,
        };
        statements.push(HStatement {
            target,
            value,
            span: st.span,
        });
    }
    if has_error(&diags) {
        return (None, diags);
    }
    (Some(CheckedCode { statements }), diags)
}

/// What a statement writes.
enum Written {
    /// A new temporary.
    New,
    /// An existing temporary of this dimension.
    Temp(Dimension),
    /// A variable: reference, type, dimension, shared.
    Var(VarRef, VarType, Dimension, bool),
}

/// Resolves the target of a statement, reporting names that cannot be written.
fn resolve_target(st: &Statement, env: Env, diags: &mut Vec<Diagnostic>) -> Option<Written> {
    let name = st.target.name.as_str();
    let span = st.target.span;
    let mut refuse = |msg: String, label: &str| {
        diags.push(Diagnostic::error(msg, span).with_label(label.to_string()));
        None
    };
    match names::resolve(name, &env) {
        None if st.op == AssignOp::Assign => Some(Written::New),
        None => {
            let mut checker = ExprChecker::new(env, diags);
            checker.unknown_name(name, span);
            None
        }
        Some(Resolved::Temp(dim, _)) => Some(Written::Temp(dim)),
        Some(Resolved::Var(side, v)) => {
            let r = VarRef {
                name: v.name.clone(),
                side,
            };
            Some(Written::Var(
                r,
                v.ty,
                v.dim,
                side == Side::Own && v.flags.shared,
            ))
        }
        Some(Resolved::SubExpr(_)) => refuse(
            format!("cannot write to subexpression '{name}'"),
            "a subexpression is computed from its definition",
        ),
        Some(Resolved::Special(..)) => {
            refuse(format!("variable '{name}' is read-only"), "read-only")
        }
        Some(Resolved::Noise) => refuse(
            format!("cannot write to the noise symbol '{name}'"),
            "white noise, only for differential equations",
        ),
        Some(Resolved::Const(_, _, _, origin)) => {
            let kind = match origin {
                ConstOrigin::Builtin => "constant",
                ConstOrigin::Unit => "unit",
                ConstOrigin::Script => "script constant",
            };
            refuse(
                format!("cannot write to the {kind} '{name}'"),
                "constants cannot be changed in code strings",
            )
        }
        Some(Resolved::Callable(_)) => refuse(
            format!("cannot write to the function '{name}'"),
            "a function",
        ),
        Some(Resolved::Unsupported(msg, label)) => refuse(msg, &label),
    }
}

/// Where a shared (scalar) variable is written, and with what.
struct SharedWrite {
    /// Whether the code may write shared variables at all: Brian2 allows it only where the
    /// code runs for every element (`run_regularly`, setting values), not in resets or
    /// synaptic pathways, where "once or once per spike?" would be ambiguous.
    allowed: bool,
    /// Whether a per-element statement came before.
    vector_written: bool,
    /// Whether the value has one value for the whole object.
    scalar: bool,
}

impl SharedWrite {
    /// Brian2's rules for writing a shared variable: only in code that allows it, before any
    /// per-element statement, and only from shared values.
    fn check(
        &self,
        st: &Statement,
        uses: &super::dims::Uses,
        scope: &Scope,
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let name = &st.target.name;
        if !self.allowed {
            diags.push(
                Diagnostic::error(
                    format!("writing to the shared variable '{name}' is not allowed in {what}"),
                    st.span,
                )
                .with_label("one value for the whole object: once, or once per element?")
                .with_note(
                    "shared variables can be written in run_regularly code and set from the \
                     script (G.x = ...)",
                ),
            );
            return;
        }
        if self.vector_written {
            diags.push(
                Diagnostic::error(
                    "all writes to shared variables in a code block have to be made before \
                     writes to vector variables",
                    st.span,
                )
                .with_label(format!(
                    "write to shared variable '{name}' after a vector write"
                )),
            );
        }
        let vector_use = uses
            .own
            .iter()
            .find(|(u, _)| scope.own.iter().any(|v| &v.name == u && !v.flags.shared));
        if let Some((u, span)) = vector_use {
            diags.push(
                Diagnostic::error(
                    format!(
                        "cannot write to shared variable '{name}' with an expression referring \
                         to vector variable '{u}'"
                    ),
                    *span,
                )
                .with_label(format!("'{u}' has one value per element")),
            );
        } else if !self.scalar {
            diags.push(
                Diagnostic::error(
                    format!(
                        "cannot write to shared variable '{name}' with an expression that has \
                         one value per element"
                    ),
                    st.value.span,
                )
                .with_label(
                    "uses i, j, rand(), randn(), a per-element temporary or another group's \
                     variable",
                ),
            );
        }
    }
}

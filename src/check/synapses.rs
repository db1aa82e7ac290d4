//! Rules only Synapses models have (BRIAN2-SEMANTICS §1.2, §6.1): synaptic names must not
//! shadow the source's or target's variables, summed variables need a matching parameter in the
//! target group, differential equations are event-driven or clock-driven (clock-driven when
//! unflagged, with Brian2's note), and the two kinds must not depend on each other.

use super::equations::{own_vars_in, Decl};
use super::hir::{DiffEq, SubExpr, VarKind, Variable};
use crate::diagnostics::Diagnostic;

/// Name clashes with the source/target groups, summed variables, and the default
/// `clock-driven` flag.
pub(crate) fn check_group_rules(
    decls: &mut [Decl],
    pre: &[Variable],
    post: &[Variable],
    diags: &mut Vec<Diagnostic>,
) {
    let mut noted_clock = false;
    let mut summed_targets: Vec<(String, &str)> = Vec::new();
    for d in decls.iter_mut() {
        let Some(eq) = d.eq else { continue };
        let name = d.var.name.as_str();
        if d.var.flags.summed {
            if let Some(target) = check_summed(d, pre, post, diags) {
                if summed_targets.contains(&target) {
                    diags.push(
                        Diagnostic::error(
                            format!(
                                "the target variable '{}' is already updated by another summed \
                                 variable",
                                target.0
                            ),
                            eq.var.span,
                        )
                        .with_label("second summed variable for this target"),
                    );
                } else {
                    summed_targets.push(target);
                }
            }
            continue;
        }
        for (group, side) in [(pre, "pre-synaptic"), (post, "post-synaptic")] {
            if name != "lastupdate" && group.iter().any(|v| v.name == name) {
                diags.push(
                    Diagnostic::error(
                        format!(
                            "the {side} variable '{name}' has the same name as a synaptic \
                             variable, rename the synaptic variable (for example to \
                             '{name}_syn') to avoid confusion"
                        ),
                        eq.var.span,
                    )
                    .with_label(format!("also a {side} variable")),
                );
            }
        }
        let f = &mut d.var.flags;
        if d.var.kind == VarKind::Differential && !f.event_driven && !f.clock_driven {
            f.clock_driven = true;
            if !noted_clock {
                noted_clock = true;
                diags.push(
                    Diagnostic::note(
                        format!(
                            "the synaptic equation for the variable {name} does not specify \
                             whether it should be integrated at every timestep ('clock-driven') \
                             or only at spiking events ('event-driven'); it will be integrated \
                             at every timestep"
                        ),
                        Some(eq.span),
                    )
                    .with_label("add '(clock-driven)' to silence this note"),
                );
            }
        }
    }
}

/// Checks a summed variable `x_post = ... (summed)`; returns its target (name, side).
fn check_summed<'v>(
    d: &Decl,
    pre: &'v [Variable],
    post: &'v [Variable],
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, &'static str)> {
    let eq = d.eq?;
    let name = d.var.name.as_str();
    let (base, group, side) = if let Some(b) = name.strip_suffix("_pre") {
        (b, pre, "pre")
    } else if let Some(b) = name.strip_suffix("_post") {
        (b, post, "post")
    } else {
        diags.push(
            Diagnostic::error(
                format!("the summed variable '{name}' does not end in '_pre' or '_post'"),
                eq.var.span,
            )
            .with_label("expected a name like 'x_post'"),
        );
        return None;
    };
    let target = group.iter().find(|v| v.name == base);
    let Some(target) = target.filter(|v| v.kind == VarKind::Parameter) else {
        let group_name = if side == "pre" { "source" } else { "target" };
        diags.push(
            Diagnostic::error(
                format!(
                    "the summed variable '{name}' needs a corresponding parameter '{base}' in the \
                     {group_name} group"
                ),
                eq.var.span,
            )
            .with_label(format!("no parameter '{base}' in the {group_name} group")),
        );
        return None;
    };
    if d.unit_ok && target.dim != d.var.dim {
        diags.push(
            Diagnostic::error(
                "summed variables need to have the same units in synapses and the target group",
                eq.unit.span,
            )
            .with_label(format!(
                "expected {} (the unit of '{base}'), found {}",
                target.dim.unit_name(),
                d.var.dim.unit_name()
            )),
        );
    }
    Some((base.to_string(), side))
}

/// Event-driven equations must not depend on clock-driven variables and vice versa; summed
/// variables must not depend on event-driven variables.
pub(crate) fn check_event_driven(
    vars: &[Variable],
    subexprs: &[SubExpr],
    diff_eqs: &[DiffEq],
    diags: &mut Vec<Diagnostic>,
) {
    let is_event = |n: &str| {
        vars.iter()
            .any(|v| v.name == n && v.kind == VarKind::Differential && v.flags.event_driven)
    };
    let is_clock = |n: &str| {
        vars.iter()
            .any(|v| v.name == n && v.kind == VarKind::Differential && !v.flags.event_driven)
    };
    let mut check = |what: &str, name: &str, expr, span, bad: &dyn Fn(&str) -> bool, other| {
        let mut used = Vec::new();
        own_vars_in(expr, &mut used);
        used.dedup();
        if let Some(dep) = used.iter().find(|u| bad(u)) {
            diags.push(
                Diagnostic::error(
                    format!(
                        "the {what} '{name}' should not depend on the {other} variable '{dep}'"
                    ),
                    span,
                )
                .with_label(format!("depends on '{dep}'")),
            );
        }
    };
    for eq in diff_eqs {
        if is_event(&eq.var) {
            check(
                "event-driven",
                &eq.var,
                &eq.rhs,
                eq.span,
                &is_clock,
                "clock-driven",
            );
        } else {
            check(
                "clock-driven",
                &eq.var,
                &eq.rhs,
                eq.span,
                &is_event,
                "event-driven",
            );
        }
    }
    for s in subexprs {
        let Some(v) = vars.iter().find(|v| v.name == s.name && v.flags.summed) else {
            continue;
        };
        let span = v.span.unwrap_or_default();
        check("summed", &s.name, &s.expr, span, &is_event, "event-driven");
    }
}

//! Model strings: declarations, identifier rules, flags, unit specifications, subexpression order,
//! dimension checks of every right-hand side, noise rules and internal variables
//! (BRIAN2-SEMANTICS §1, §3.5, §4.4, §6.1).
//!
//! Checking runs in phases that each collect all their errors: declarations (names, units,
//! flags, duplicates), group rules (Synapses: `synapses`), subexpressions in dependency order,
//! then differential equations. A model with any error is not returned.

use super::dims::{ExprChecker, Uses};
use super::flags::check_flags;
use super::hir::{
    CheckedModel, DiffEq, HExpr, Side, SubExpr, VarFlags, VarKind, VarType, Variable,
};
use super::limits::{hexpr_depth, MAX_HIR_DEPTH};
use super::names::{declared_name_error, Env};
use super::order::topological;
use super::{has_error, Namespace, Owner};
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{Equation, EquationKind, Expr, ExprKind, Model};
use crate::units::Dimension;

/// See [`super::check_model`].
pub(crate) fn check_model(
    model: &Model,
    owner: &Owner,
    ns: &Namespace,
    has_refractory: bool,
) -> (Option<CheckedModel>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut decls = declare(model, owner, &mut diags);
    add_internal(&mut decls, model, owner, has_refractory, &mut diags);
    if let Owner::Synapses { pre, post } = owner {
        super::synapses::check_group_rules(&mut decls, pre, post, &mut diags);
    }
    let vars: Vec<Variable> = decls.iter().map(|d| d.var.clone()).collect();
    let env = Env {
        own: &vars,
        subexprs: &[],
        owner: *owner,
        ns,
        temps: &[],
        noise: false,
    };
    let subexpressions = check_subexpressions(&decls, env, &mut diags);
    let env = Env {
        subexprs: &subexpressions,
        ..env
    };
    let diff_eqs = check_diff_eqs(&decls, env, &mut diags);
    if owner.is_synapses() {
        super::synapses::check_event_driven(&vars, &subexpressions, &diff_eqs, &mut diags);
    }
    if has_error(&diags) {
        return (None, diags);
    }
    let model = CheckedModel {
        variables: vars,
        subexpressions,
        diff_eqs,
    };
    (Some(model), diags)
}

/// A declared (or internal) variable with the equation that declared it.
pub(crate) struct Decl<'m> {
    /// The variable as it will appear in the HIR.
    pub var: Variable,
    /// Its equation (`None` for internal variables).
    pub eq: Option<&'m Equation>,
    /// False when the unit specification was wrong, so dimension checks against it are skipped.
    pub unit_ok: bool,
}

/// Phase 1: names, unit specifications, flags and duplicates of every equation.
fn declare<'m>(model: &'m Model, owner: &Owner, diags: &mut Vec<Diagnostic>) -> Vec<Decl<'m>> {
    let mut decls: Vec<Decl> = Vec::new();
    for eq in &model.equations {
        let name = eq.var.name.as_str();
        let flags = check_flags(&eq.flags, eq.kind, owner, diags);
        check_name(eq, &flags, owner, diags);
        if decls.iter().any(|d| d.var.name == name) {
            diags.push(
                Diagnostic::error(
                    format!("duplicate definition of variable '{name}'"),
                    eq.var.span,
                )
                .with_label("defined again here"),
            );
            continue;
        }
        let (dim, ty, unit_ok) = match super::unit_spec(&eq.unit) {
            Ok((d, t)) => (d, t, true),
            Err(d) => {
                diags.push(d.with_note(format!("note: in the unit specification of '{name}'")));
                (Dimension::DIMENSIONLESS, VarType::Float, false)
            }
        };
        let mut ty = ty;
        if eq.kind == EquationKind::Differential && ty != VarType::Float {
            diags.push(
                Diagnostic::error(
                    "differential equations can only define floating point variables",
                    eq.unit.span,
                )
                .with_label(format!(
                    "expected a unit, found '{}'",
                    if ty == VarType::Boolean {
                        "boolean"
                    } else {
                        "integer"
                    }
                )),
            );
            // Check the right-hand side as if the variable were a float, without cascading.
            ty = VarType::Float;
        }
        let kind = match eq.kind {
            EquationKind::Differential => VarKind::Differential,
            EquationKind::Subexpression => VarKind::Subexpression,
            EquationKind::Parameter => VarKind::Parameter,
        };
        decls.push(Decl {
            var: Variable {
                name: name.to_string(),
                dim,
                ty,
                kind,
                flags,
                span: Some(eq.var.span),
            },
            eq: Some(eq),
            unit_ok,
        });
    }
    decls
}

/// Identifier rules for a declared name (Brian2's `check_identifier_*` and the groups' rules).
fn check_name(eq: &Equation, flags: &VarFlags, owner: &Owner, diags: &mut Vec<Diagnostic>) {
    let name = eq.var.name.as_str();
    let span = eq.var.span;
    if let Some((msg, label)) = declared_name_error(name) {
        diags.push(Diagnostic::error(msg, span).with_label(label));
        return;
    }
    let synapses = owner.is_synapses();
    if synapses && (name == "j" || name == "delay") {
        diags.push(
            Diagnostic::error(
                format!("'{name}' is a reserved name that cannot be used as a variable name"),
                span,
            )
            .with_label("reserved in synapses"),
        );
        return;
    }
    let suffixed = name.ends_with("_pre") || name.ends_with("_post");
    if suffixed && !(synapses && flags.summed) {
        diags.push(
            Diagnostic::error(
                format!(
                    "'{name}' cannot be used as a variable name, the '_pre' and '_post' suffixes \
                     are used to refer to pre- and post-synaptic variables in synapses"
                ),
                span,
            )
            .with_label("reserved suffix"),
        );
    }
}

/// Adds the internal variables: `not_refractory` and `lastspike` with refractoriness,
/// `lastupdate` for synapses with event-driven equations; warns about `(unless refractory)`
/// without a refractory period.
fn add_internal(
    decls: &mut Vec<Decl>,
    model: &Model,
    owner: &Owner,
    has_refractory: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut internal: Vec<(&str, Dimension, VarType, &str)> = Vec::new();
    if has_refractory && !owner.is_synapses() {
        internal.push((
            "not_refractory",
            Dimension::DIMENSIONLESS,
            VarType::Boolean,
            "the refractory mechanism",
        ));
        internal.push((
            "lastspike",
            Dimension::second(),
            VarType::Float,
            "the refractory mechanism",
        ));
    }
    if !has_refractory {
        let flag = model
            .equations
            .iter()
            .filter(|e| e.kind == EquationKind::Differential)
            .flat_map(|e| e.flags.iter())
            .find(|f| f.name == "unless refractory");
        if let (Some(flag), Owner::NeuronGroup) = (flag, owner) {
            diags.push(
                Diagnostic::warning(
                    "model equations use the \"unless refractory\" flag but no refractory \
                     keyword was given",
                    Some(flag.span),
                )
                .with_label("has no effect without a refractory period"),
            );
        }
    }
    let event_driven = decls
        .iter()
        .any(|d| d.var.kind == VarKind::Differential && d.var.flags.event_driven);
    if owner.is_synapses() && event_driven {
        internal.push((
            "lastupdate",
            Dimension::second(),
            VarType::Float,
            "synapses with event-driven equations",
        ));
    }
    for (name, dim, ty, why) in internal {
        if let Some(d) = decls.iter().find(|d| d.var.name == name) {
            if declared_name_error(name).is_some() {
                // Already reported as a reserved name.
                continue;
            }
            diags.push(
                Diagnostic::error(
                    format!("duplicate definition of variable '{name}'"),
                    d.var.span.unwrap_or_default(),
                )
                .with_label(format!("'{name}' is added by {why}")),
            );
            continue;
        }
        decls.push(Decl {
            var: Variable {
                name: name.to_string(),
                dim,
                ty,
                kind: VarKind::Internal,
                flags: VarFlags::default(),
                span: None,
            },
            eq: None,
            unit_ok: true,
        });
    }
}

/// Names (not function names) used in an expression.
fn names_in(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(n) => out.push(n.clone()),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| names_in(a, out)),
        ExprKind::Unary { operand, .. } => names_in(operand, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            names_in(lhs, out);
            names_in(rhs, out);
        }
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) => {}
    }
}

/// Phase 3: subexpressions in dependency order, each checked against its declared unit and
/// inlined into the later ones.
fn check_subexpressions(decls: &[Decl], env: Env, diags: &mut Vec<Diagnostic>) -> Vec<SubExpr> {
    let subs: Vec<&Decl> = decls
        .iter()
        .filter(|d| d.var.kind == VarKind::Subexpression)
        .collect();
    // Summed variables are stored under an internal name in Brian2: nothing refers to them.
    let referable = |n: &str| {
        subs.iter()
            .position(|d| d.var.name == n && !d.var.flags.summed)
    };
    let deps: Vec<Vec<usize>> = subs
        .iter()
        .map(|d| {
            let mut names = Vec::new();
            if let Some(e) = d.eq.and_then(|eq| eq.expr.as_ref()) {
                names_in(e, &mut names);
            }
            let mut idx: Vec<usize> = names.iter().filter_map(|n| referable(n)).collect();
            idx.sort_unstable();
            idx.dedup();
            idx
        })
        .collect();
    let names: Vec<&str> = subs.iter().map(|d| d.var.name.as_str()).collect();
    let (mut order, cycle) = topological(&names, &deps);
    if let Some(cycle) = cycle {
        let first = subs[cycle[0]];
        let path: Vec<&str> = cycle.iter().map(|&k| names[k]).collect();
        diags.push(
            Diagnostic::error(
                "cannot resolve dependencies between subexpressions, dependencies contain a cycle",
                first.eq.map_or_else(Default::default, |e| e.span),
            )
            .with_label(format!("cycle: {}", path.join(" -> "))),
        );
        // Check the rest anyway, to report their other errors.
        let rest: Vec<usize> = (0..subs.len()).filter(|k| !order.contains(k)).collect();
        order.extend(rest);
    }
    let mut done: Vec<SubExpr> = Vec::new();
    for k in order {
        let d = subs[k];
        let Some(eq) = d.eq else { continue };
        let Some(rhs) = eq.expr.as_ref() else {
            continue;
        };
        let env = Env {
            subexprs: &done,
            ..env
        };
        let mut checker = ExprChecker::new(env, diags);
        checker.defining = Some(&d.var.name);
        let result = checker.check_root(rhs);
        let uses = std::mem::take(&mut checker.uses);
        subexpression_rules(d, rhs, &uses, env, diags);
        let Some(c) = result else { continue };
        if d.unit_ok && c.dim != d.var.dim {
            diags.push(
                Diagnostic::error(
                    format!("inconsistent units in subexpression '{}'", d.var.name),
                    rhs.span,
                )
                .with_label(format!(
                    "expected {}, found {}",
                    d.var.dim.unit_name(),
                    c.dim.unit_name()
                )),
            );
        }
        if hexpr_depth(&c.expr) > MAX_HIR_DEPTH {
            diags.push(
                Diagnostic::error(
                    format!(
                        "subexpression '{}' is too large once the subexpressions it uses are \
                         substituted",
                        d.var.name
                    ),
                    rhs.span,
                )
                .with_label(format!("more than {MAX_HIR_DEPTH} nested operations")),
            );
            continue;
        }
        done.push(SubExpr {
            name: d.var.name.clone(),
            expr: c.expr,
        });
    }
    done
}

/// Rules about what a subexpression may refer to: stateful functions need `constant over dt`,
/// shared subexpressions refer only to shared variables.
fn subexpression_rules(d: &Decl, rhs: &Expr, uses: &Uses, env: Env, diags: &mut Vec<Diagnostic>) {
    let name = &d.var.name;
    if uses.stateful && !d.var.flags.constant_over_dt && !d.var.flags.summed {
        diags.push(
            Diagnostic::error(
                format!(
                    "the subexpression '{name}' refers to a stateful function (e.g. rand()); such \
                     expressions should only be evaluated once per timestep, add the \
                     'constant over dt' flag"
                ),
                rhs.span,
            )
            .with_label("calls rand() or randn()"),
        );
    }
    if d.var.flags.shared {
        for (used, span) in &uses.own {
            let shared = env.own.iter().any(|v| &v.name == used && v.flags.shared);
            if !shared {
                diags.push(
                    Diagnostic::error(
                        format!(
                            "shared subexpression '{name}' refers to non-shared variable '{used}'"
                        ),
                        *span,
                    )
                    .with_label("not shared"),
                );
            }
        }
        if uses.specials.contains(&super::hir::Special::I) {
            diags.push(
                Diagnostic::error(
                    format!("shared subexpression '{name}' refers to non-shared variable 'i'"),
                    rhs.span,
                )
                .with_label("refers to the index 'i'"),
            );
        }
    }
}

/// Phase 4: differential equations, with noise, ordered by name.
fn check_diff_eqs(decls: &[Decl], env: Env, diags: &mut Vec<Diagnostic>) -> Vec<DiffEq> {
    let env = Env { noise: true, ..env };
    let mut out = Vec::new();
    let mut plain_xi: Option<&str> = None;
    for d in decls.iter().filter(|d| d.var.kind == VarKind::Differential) {
        let Some(eq) = d.eq else { continue };
        let Some(rhs) = eq.expr.as_ref() else {
            continue;
        };
        let mut checker = ExprChecker::new(env, diags);
        checker.defining = Some(&d.var.name);
        let result = checker.check_root(rhs);
        let uses = std::mem::take(&mut checker.uses);
        if let Some((_, span)) = uses.noise.iter().find(|(n, _)| n == "xi") {
            match plain_xi {
                Some(first) => diags.push(
                    Diagnostic::error(
                        format!(
                            "the equation defining '{}' contains the symbol 'xi', but it is \
                             already used in the equation defining '{first}'",
                            d.var.name
                        ),
                        *span,
                    )
                    .with_label("second use of 'xi'")
                    .with_note(
                        "help: rename the symbols to 'xi_...': the same name twice gives \
                         identical noise, different names give independent noise",
                    ),
                ),
                None => plain_xi = Some(&d.var.name),
            }
        }
        let Some(c) = result else { continue };
        let expected = d.var.dim.div(Dimension::second());
        if d.unit_ok && c.dim != expected {
            diags.push(
                Diagnostic::error(
                    format!(
                        "inconsistent units in differential equation defining variable '{}'",
                        d.var.name
                    ),
                    rhs.span,
                )
                .with_label(format!(
                    "expected {}, found {}",
                    per_second(d.var.dim),
                    c.dim.unit_name()
                )),
            );
        }
        out.push(DiffEq {
            var: d.var.name.clone(),
            rhs: c.expr,
            span: eq.span,
        });
    }
    out.sort_by(|a, b| a.var.cmp(&b.var));
    out
}

/// Names of the group's own variables an expression reads (without recursion: inlined
/// expressions can be deep).
pub(crate) fn own_vars_in(e: &HExpr, out: &mut Vec<String>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            HExpr::Var(r) if r.side == Side::Own => out.push(r.name.clone()),
            HExpr::Unary(_, x)
            | HExpr::Table {
                arg: x,
                index: None,
                ..
            } => stack.push(x),
            HExpr::Table {
                arg,
                index: Some(index),
                ..
            } => {
                stack.push(index);
                stack.push(arg);
            }
            HExpr::Binary(_, a, b) => {
                stack.push(b);
                stack.push(a);
            }
            HExpr::Call(_, args) => stack.extend(args.iter().rev()),
            _ => {}
        }
    }
}

/// The unit of a derivative, `volt/second` for a voltage and `1/second` (not `hertz`) for a
/// dimensionless variable, as one reads `dx/dt`.
fn per_second(dim: Dimension) -> String {
    if dim.is_dimensionless() {
        "1/second".to_string()
    } else {
        dim.div(Dimension::second()).unit_name()
    }
}

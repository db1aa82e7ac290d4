//! Loop-invariant hoisting: maximal subexpressions of the body that depend only on constants,
//! scalars and prologue temporaries move to the prologue, so factors such as `exp(-dt/tau)` are
//! computed once per call, not once per element. Behaviour-preserving: both backends evaluate
//! the same IR, and the hoisted expression is evaluated exactly as it would have been.

use super::ir::{Expr, Kernel, Stmt, TempId};

/// Hoists invariant subexpressions of `kernel.body` into `kernel.prologue`.
pub fn hoist(kernel: &mut Kernel) {
    let mut prologue_temps: Vec<TempId> = kernel
        .prologue
        .iter()
        .filter_map(|s| match s {
            Stmt::Let { temp, .. } => Some(*temp),
            _ => None,
        })
        .collect();
    let mut cache: Vec<(Expr, TempId)> = Vec::new();
    let mut body = std::mem::take(&mut kernel.body);
    for stmt in body.iter_mut() {
        let e = match stmt {
            Stmt::Let { value, .. } | Stmt::Store { value, .. } => value,
            Stmt::EmitSpike { cond } => cond,
        };
        hoist_expr(e, kernel, &mut prologue_temps, &mut cache);
    }
    kernel.body = body;
}

fn invariant(e: &Expr, prologue_temps: &[TempId]) -> bool {
    match e {
        Expr::Const(_) | Expr::Scalar(_) => true,
        Expr::Temp(t) => prologue_temps.contains(t),
        Expr::Load { .. } | Expr::ElemIndex(_) | Expr::Rand { .. } | Expr::Randn { .. } => false,
        Expr::Unary { arg, .. } => invariant(arg, prologue_temps),
        Expr::Binary { lhs, rhs, .. } => {
            invariant(lhs, prologue_temps) && invariant(rhs, prologue_temps)
        }
        Expr::Select {
            cond,
            then,
            otherwise,
        } => {
            invariant(cond, prologue_temps)
                && invariant(then, prologue_temps)
                && invariant(otherwise, prologue_temps)
        }
        Expr::Call { args, .. } => args.iter().all(|a| invariant(a, prologue_temps)),
    }
}

fn trivial(e: &Expr) -> bool {
    matches!(e, Expr::Const(_) | Expr::Scalar(_) | Expr::Temp(_))
        || matches!(e, Expr::Unary { arg, .. } if matches!(**arg, Expr::Const(_)))
}

fn hoist_expr(
    e: &mut Expr,
    kernel: &mut Kernel,
    prologue_temps: &mut Vec<TempId>,
    cache: &mut Vec<(Expr, TempId)>,
) {
    if invariant(e, prologue_temps) {
        if trivial(e) {
            return;
        }
        let temp = match cache.iter().find(|(x, _)| x == e) {
            Some((_, t)) => *t,
            None => {
                let t = kernel.n_temps;
                kernel.n_temps += 1;
                kernel.prologue.push(Stmt::Let {
                    temp: t,
                    value: e.clone(),
                });
                prologue_temps.push(t);
                cache.push((e.clone(), t));
                t
            }
        };
        *e = Expr::Temp(temp);
        return;
    }
    match e {
        Expr::Unary { arg, .. } => hoist_expr(arg, kernel, prologue_temps, cache),
        Expr::Binary { lhs, rhs, .. } => {
            hoist_expr(lhs, kernel, prologue_temps, cache);
            hoist_expr(rhs, kernel, prologue_temps, cache);
        }
        Expr::Select {
            cond,
            then,
            otherwise,
        } => {
            hoist_expr(cond, kernel, prologue_temps, cache);
            hoist_expr(then, kernel, prologue_temps, cache);
            hoist_expr(otherwise, kernel, prologue_temps, cache);
        }
        Expr::Call { args, .. } => {
            for a in args {
                hoist_expr(a, kernel, prologue_temps, cache);
            }
        }
        _ => {}
    }
}

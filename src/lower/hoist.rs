//! Loop-invariant hoisting: maximal subexpressions of the body that depend only on constants,
//! scalars and prologue temporaries move to the prologue, so factors such as `exp(-dt/tau)` are
//! computed once per call, not once per element. Behaviour-preserving: both backends evaluate
//! the same IR, and the hoisted expression is evaluated exactly as it would have been.

use super::ir::{Expr, Kernel, Stmt, TempId};

/// Hoists invariant subexpressions of `kernel.body` into `kernel.prologue`.
pub fn hoist(kernel: &mut Kernel) {
    let mut prologue_temps = kernel.invariant_temps();
    let mut cache = PrologueTemps::default();
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

/// Invariant expressions moved to the prologue, one `Let` per distinct expression (by
/// [`same`]), so that equal ones share a temporary.
#[derive(Default)]
pub(crate) struct PrologueTemps {
    made: Vec<(Expr, TempId)>,
}

impl PrologueTemps {
    /// The temporary that holds `value`, computed in the prologue: an earlier one of an equal
    /// expression, or a new `Let` at the end of the prologue. `true` when new.
    pub(crate) fn temp(&mut self, kernel: &mut Kernel, value: &Expr) -> (TempId, bool) {
        if let Some((_, t)) = self.made.iter().find(|(x, _)| same(x, value)) {
            return (*t, false);
        }
        let t = kernel.n_temps;
        kernel.n_temps += 1;
        kernel.prologue.push(Stmt::Let {
            temp: t,
            value: value.clone(),
        });
        self.made.push((value.clone(), t));
        (t, true)
    }
}

/// Structural equality with constants compared by their bits (`==` on `f64` would merge `0.0`
/// with `-0.0`, which divide differently).
fn same(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Const(x), Expr::Const(y)) => x.to_bits() == y.to_bits(),
        (Expr::Unary { op: o1, arg: a1 }, Expr::Unary { op: o2, arg: a2 }) => {
            o1 == o2 && same(a1, a2)
        }
        (
            Expr::Binary {
                op: o1,
                lhs: l1,
                rhs: r1,
            },
            Expr::Binary {
                op: o2,
                lhs: l2,
                rhs: r2,
            },
        ) => o1 == o2 && same(l1, l2) && same(r1, r2),
        (
            Expr::Select {
                cond: c1,
                then: t1,
                otherwise: e1,
            },
            Expr::Select {
                cond: c2,
                then: t2,
                otherwise: e2,
            },
        ) => same(c1, c2) && same(t1, t2) && same(e1, e2),
        (Expr::Call { func: f1, args: a1 }, Expr::Call { func: f2, args: a2 }) => {
            f1 == f2 && a1.len() == a2.len() && a1.iter().zip(a2).all(|(x, y)| same(x, y))
        }
        _ => a == b,
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
    cache: &mut PrologueTemps,
) {
    if e.is_invariant(prologue_temps) {
        if trivial(e) {
            return;
        }
        let (temp, new) = cache.temp(kernel, e);
        if new {
            prologue_temps.push(temp);
        }
        *e = Expr::Temp(temp);
        return;
    }
    let mut children = Vec::new();
    e.push_children_mut(&mut children);
    for child in children {
        hoist_expr(child, kernel, prologue_temps, cache);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::ir::{BinOp, ColumnDecl, Domain, Index};

    #[test]
    fn invariants_that_differ_only_in_the_sign_of_zero_get_two_temporaries() {
        // 1/(0*dt) is +inf and 1/(-0*dt) is -inf: one shared temporary would change a result.
        let inv = |c: f64| Expr::Binary {
            op: BinOp::Div,
            lhs: Box::new(Expr::Const(1.0)),
            rhs: Box::new(Expr::Binary {
                op: BinOp::Mul,
                lhs: Box::new(Expr::Const(c)),
                rhs: Box::new(Expr::Scalar(0)),
            }),
        };
        let store = |c: f64| Stmt::Store {
            col: 0,
            index: Index::Elem,
            value: inv(c),
        };
        let mut k = Kernel {
            name: "k".into(),
            columns: vec![ColumnDecl {
                name: "g.v".into(),
                written: true,
            }],
            scalars: vec!["dt".into()],
            domain: Domain::Range,
            prologue: vec![],
            body: vec![store(0.0), store(-0.0), store(0.0)],
            n_temps: 0,
            rng_object: 0,
        };
        hoist(&mut k);
        assert_eq!(k.prologue.len(), 2);
        let temps: Vec<&Expr> = k
            .body
            .iter()
            .map(|s| match s {
                Stmt::Store { value, .. } => value,
                _ => unreachable!("only stores"),
            })
            .collect();
        assert_eq!(temps, [&Expr::Temp(0), &Expr::Temp(1), &Expr::Temp(0)]);
    }
}

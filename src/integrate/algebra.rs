//! Small symbolic helpers over checked expressions: substitution, dependency queries and the
//! decomposition of an expression into linear coefficients of chosen symbols.
//!
//! This is the part of sympy that Brian2's state updaters rely on, reduced to what they need.
//! It never evaluates anything numerically except constant folding of literal arithmetic.

use crate::check::hir::{BinOp, HExpr, Side, Special, UnaryOp, VarRef};

/// Shorthand constructors.
pub fn c(x: f64) -> HExpr {
    HExpr::Const(x)
}

/// `a + b`, folding literal zeros.
pub fn add(a: HExpr, b: HExpr) -> HExpr {
    match (&a, &b) {
        (HExpr::Const(x), _) if *x == 0.0 => b,
        (_, HExpr::Const(y)) if *y == 0.0 => a,
        _ => HExpr::Binary(BinOp::Add, Box::new(a), Box::new(b)),
    }
}

/// `a - b`, folding a literal zero on the right.
pub fn sub(a: HExpr, b: HExpr) -> HExpr {
    match &b {
        HExpr::Const(y) if *y == 0.0 => a,
        _ => HExpr::Binary(BinOp::Sub, Box::new(a), Box::new(b)),
    }
}

/// `a * b`, folding literal ones.
pub fn mul(a: HExpr, b: HExpr) -> HExpr {
    match (&a, &b) {
        (HExpr::Const(x), _) if *x == 1.0 => b,
        (_, HExpr::Const(y)) if *y == 1.0 => a,
        _ => HExpr::Binary(BinOp::Mul, Box::new(a), Box::new(b)),
    }
}

/// `a / b`, folding a literal one in the denominator.
pub fn div(a: HExpr, b: HExpr) -> HExpr {
    match &b {
        HExpr::Const(y) if *y == 1.0 => a,
        _ => HExpr::Binary(BinOp::Div, Box::new(a), Box::new(b)),
    }
}

/// `-a`.
pub fn neg(a: HExpr) -> HExpr {
    match a {
        HExpr::Const(x) => HExpr::Const(-x),
        other => HExpr::Unary(UnaryOp::Neg, Box::new(other)),
    }
}

/// `f(a)`.
pub fn call(f: crate::functions::Func, a: HExpr) -> HExpr {
    HExpr::Call(f, vec![a])
}

/// The special `dt`.
pub fn dt() -> HExpr {
    HExpr::Special(Special::Dt)
}

/// An own variable.
pub fn var(name: &str) -> HExpr {
    HExpr::Var(VarRef {
        name: name.to_string(),
        side: Side::Own,
    })
}

/// A temporary.
pub fn temp(name: &str) -> HExpr {
    HExpr::Temp(name.to_string())
}

/// Rebuilds `e` bottom-up, replacing every node for which `f` returns `Some`.
pub fn map(e: &HExpr, f: &dyn Fn(&HExpr) -> Option<HExpr>) -> HExpr {
    if let Some(r) = f(e) {
        return r;
    }
    match e {
        HExpr::Unary(op, a) => HExpr::Unary(*op, Box::new(map(a, f))),
        HExpr::Binary(op, a, b) => HExpr::Binary(*op, Box::new(map(a, f)), Box::new(map(b, f))),
        HExpr::Call(func, args) => HExpr::Call(*func, args.iter().map(|a| map(a, f)).collect()),
        HExpr::Select(a, b, cc) => HExpr::Select(
            Box::new(map(a, f)),
            Box::new(map(b, f)),
            Box::new(map(cc, f)),
        ),
        HExpr::Table { table, arg, index } => HExpr::Table {
            table: *table,
            arg: Box::new(map(arg, f)),
            index: index.as_ref().map(|x| Box::new(map(x, f))),
        },
        leaf => leaf.clone(),
    }
}

/// True if any node satisfies `p`.
pub fn any(e: &HExpr, p: &dyn Fn(&HExpr) -> bool) -> bool {
    if p(e) {
        return true;
    }
    match e {
        HExpr::Unary(_, a) => any(a, p),
        HExpr::Binary(_, a, b) => any(a, p) || any(b, p),
        HExpr::Call(_, args) => args.iter().any(|a| any(a, p)),
        HExpr::Select(a, b, cc) => any(a, p) || any(b, p) || any(cc, p),
        HExpr::Table { arg, index, .. } => any(arg, p) || index.as_ref().is_some_and(|x| any(x, p)),
        _ => false,
    }
}

/// Replaces own variables named in `names` by the given expressions.
pub fn subst_vars(e: &HExpr, names: &[String], values: &[HExpr]) -> HExpr {
    map(e, &|n| match n {
        HExpr::Var(VarRef {
            name,
            side: Side::Own,
        }) => names
            .iter()
            .position(|x| x == name)
            .map(|k| values[k].clone()),
        _ => None,
    })
}

/// Replaces `t` by `t + shift` (for the intermediate stages of Runge–Kutta methods).
pub fn shift_t(e: &HExpr, shift: &HExpr) -> HExpr {
    map(e, &|n| match n {
        HExpr::Special(Special::T) => Some(add(HExpr::Special(Special::T), shift.clone())),
        _ => None,
    })
}

/// Replaces every noise symbol by a temporary named `name_of(symbol)`.
pub fn subst_noise(e: &HExpr, name_of: &dyn Fn(&str) -> String) -> HExpr {
    map(e, &|n| match n {
        HExpr::Noise(s) => Some(temp(&name_of(s))),
        _ => None,
    })
}

/// True if `e` mentions any own variable in `names`.
pub fn mentions_vars(e: &HExpr, names: &[String]) -> bool {
    any(
        e,
        &|n| matches!(n, HExpr::Var(VarRef { name, side: Side::Own }) if names.contains(name)),
    )
}

/// True if `e` depends on time `t` (explicitly).
pub fn mentions_t(e: &HExpr) -> bool {
    any(e, &|n| {
        matches!(
            n,
            HExpr::Special(Special::T) | HExpr::Special(Special::TInTimesteps)
        )
    })
}

/// True if `e` draws random numbers.
pub fn is_stateful(e: &HExpr) -> bool {
    any(e, &|n| matches!(n, HExpr::Rand | HExpr::Randn))
}

/// Noise symbols in `e`, sorted and deduplicated.
pub fn noise_symbols(e: &HExpr) -> Vec<String> {
    let mut out = Vec::new();
    collect_noise(e, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect_noise(e: &HExpr, out: &mut Vec<String>) {
    match e {
        HExpr::Noise(s) => out.push(s.clone()),
        HExpr::Unary(_, a) => collect_noise(a, out),
        HExpr::Binary(_, a, b) => {
            collect_noise(a, out);
            collect_noise(b, out);
        }
        HExpr::Call(_, args) => args.iter().for_each(|a| collect_noise(a, out)),
        HExpr::Select(a, b, cc) => {
            collect_noise(a, out);
            collect_noise(b, out);
            collect_noise(cc, out);
        }
        HExpr::Table { arg, index, .. } => {
            collect_noise(arg, out);
            if let Some(x) = index {
                collect_noise(x, out);
            }
        }
        _ => {}
    }
}

/// `e = Σ_k coeffs[k] * symbol_k + rest`, where `symbol_k` are the nodes for which `which`
/// returns `Some(k)`; coefficients and rest do not contain any symbol. `None` entries are zero.
/// Returns `None` if `e` is not linear in the symbols.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    /// Coefficient of each symbol (`None` = 0).
    pub coeffs: Vec<Option<HExpr>>,
    /// The part free of the symbols (`None` = 0).
    pub rest: Option<HExpr>,
}

/// Decomposes `e` linearly in `n` symbols identified by `which`.
pub fn linear(e: &HExpr, n: usize, which: &dyn Fn(&HExpr) -> Option<usize>) -> Option<Linear> {
    if let Some(k) = which(e) {
        let mut coeffs = vec![None; n];
        coeffs[k] = Some(c(1.0));
        return Some(Linear { coeffs, rest: None });
    }
    let has = |x: &HExpr| any(x, &|m| which(m).is_some());
    if !has(e) {
        return Some(Linear {
            coeffs: vec![None; n],
            rest: Some(e.clone()),
        });
    }
    match e {
        HExpr::Unary(UnaryOp::Pos, a) => linear(a, n, which),
        HExpr::Unary(UnaryOp::Neg, a) => Some(scale(linear(a, n, which)?, &|x| neg(x))),
        HExpr::Binary(BinOp::Add, a, b) => {
            Some(combine(linear(a, n, which)?, linear(b, n, which)?, false))
        }
        HExpr::Binary(BinOp::Sub, a, b) => {
            Some(combine(linear(a, n, which)?, linear(b, n, which)?, true))
        }
        HExpr::Binary(BinOp::Mul, a, b) => {
            if !has(a) {
                let f = (**a).clone();
                Some(scale(linear(b, n, which)?, &|x| mul(f.clone(), x)))
            } else if !has(b) {
                let f = (**b).clone();
                Some(scale(linear(a, n, which)?, &|x| mul(x, f.clone())))
            } else {
                None
            }
        }
        HExpr::Binary(BinOp::Div, a, b) if !has(b) => {
            let f = (**b).clone();
            Some(scale(linear(a, n, which)?, &|x| div(x, f.clone())))
        }
        _ => None,
    }
}

/// `e = M·x + B` for the one symbol `which` identifies, where `M` and `B` may contain the
/// symbol in any other way than as a factor of a term (inside functions, powers and
/// denominators): Brian2's "conditionally linear" split for exponential Euler, which expands
/// the expression and collects the terms with `x` as a factor (`sympy.collect`), without
/// asking that their coefficient be free of `x`. `None` when some term has `x` to another power
/// (`x*x`, `(x + 1)**2`). Tried after [`linear`], which keeps the exact coefficients.
pub fn collect_linear(e: &HExpr, which: &dyn Fn(&HExpr) -> Option<usize>) -> Option<Linear> {
    let has = |x: &HExpr| any(x, &|m| which(m).is_some());
    if which(e).is_some() {
        return Some(Linear {
            coeffs: vec![Some(c(1.0))],
            rest: None,
        });
    }
    if !has(e) {
        return Some(Linear {
            coeffs: vec![None],
            rest: Some(e.clone()),
        });
    }
    let opaque = || {
        Some(Linear {
            coeffs: vec![None],
            rest: Some(e.clone()),
        })
    };
    match e {
        HExpr::Unary(UnaryOp::Pos, a) => collect_linear(a, which),
        HExpr::Unary(UnaryOp::Neg, a) => Some(scale(collect_linear(a, which)?, &|x| neg(x))),
        HExpr::Binary(BinOp::Add, a, b) => Some(combine(
            collect_linear(a, which)?,
            collect_linear(b, which)?,
            false,
        )),
        HExpr::Binary(BinOp::Sub, a, b) => Some(combine(
            collect_linear(a, which)?,
            collect_linear(b, which)?,
            true,
        )),
        HExpr::Binary(BinOp::Mul, a, b) => {
            let (la, lb) = (collect_linear(a, which)?, collect_linear(b, which)?);
            // (Ma x + Ba)(Mb x + Bb) is linear only if one side has no x term.
            let (lin, other) = match (&la.coeffs[0], &lb.coeffs[0]) {
                (Some(_), Some(_)) => return None,
                (Some(_), None) => (la, (**b).clone()),
                (None, _) => (lb, (**a).clone()),
            };
            Some(scale(lin, &|x| mul(other.clone(), x)))
        }
        // A denominator is a factor that expansion keeps whole, with or without x.
        HExpr::Binary(BinOp::Div, a, b) => {
            let f = (**b).clone();
            Some(scale(collect_linear(a, which)?, &|x| div(x, f.clone())))
        }
        // A power of something with an x term expands to other powers of x.
        HExpr::Binary(BinOp::Pow, a, _) => {
            if collect_linear(a, which)?.coeffs[0].is_some() {
                None
            } else {
                opaque()
            }
        }
        // Functions, selects, tables: x inside them is part of a coefficient.
        _ => opaque(),
    }
}

fn scale(l: Linear, f: &dyn Fn(HExpr) -> HExpr) -> Linear {
    Linear {
        coeffs: l.coeffs.into_iter().map(|x| x.map(f)).collect(),
        rest: l.rest.map(f),
    }
}

fn combine(a: Linear, b: Linear, subtract: bool) -> Linear {
    let join = |x: Option<HExpr>, y: Option<HExpr>| match (x, y) {
        (None, None) => None,
        (Some(x), None) => Some(x),
        (None, Some(y)) => Some(if subtract { neg(y) } else { y }),
        (Some(x), Some(y)) => Some(if subtract { sub(x, y) } else { add(x, y) }),
    };
    Linear {
        coeffs: a
            .coeffs
            .into_iter()
            .zip(b.coeffs)
            .map(|(x, y)| join(x, y))
            .collect(),
        rest: join(a.rest, b.rest),
    }
}

/// Folds an expression made only of literals and arithmetic to a number (`None` otherwise).
pub fn eval_const(e: &HExpr, dt_value: f64) -> Option<f64> {
    use crate::backend::funcs;
    Some(match e {
        HExpr::Const(x) => *x,
        HExpr::Special(Special::Dt) => dt_value,
        HExpr::Unary(UnaryOp::Neg, a) => -eval_const(a, dt_value)?,
        HExpr::Unary(UnaryOp::Pos, a) => eval_const(a, dt_value)?,
        HExpr::Binary(op, a, b) => {
            let (x, y) = (eval_const(a, dt_value)?, eval_const(b, dt_value)?);
            match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Pow => funcs::pow(x, y),
                BinOp::Mod => funcs::pymod(x, y),
                BinOp::FloorDiv => funcs::floordiv(x, y),
                _ => return None,
            }
        }
        HExpr::Call(f, args) => {
            let vals: Option<Vec<f64>> = args.iter().map(|a| eval_const(a, dt_value)).collect();
            funcs::call(*f, &vals?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn which_v(e: &HExpr) -> Option<usize> {
        match e {
            HExpr::Var(VarRef { name, .. }) if name == "v" => Some(0),
            _ => None,
        }
    }

    #[test]
    fn linear_decomposes_leaky_integrator() {
        // (I - v)/tau = (-1/tau) * v + I/tau
        let e = div(sub(var("I"), var("v")), var("tau"));
        let l = linear(&e, 1, &which_v).expect("linear");
        let env = |x: &HExpr| {
            map(x, &|n| match n {
                HExpr::Var(VarRef { name, .. }) if name == "I" => Some(c(2.0)),
                HExpr::Var(VarRef { name, .. }) if name == "tau" => Some(c(0.5)),
                _ => None,
            })
        };
        let a = eval_const(&env(l.coeffs[0].as_ref().expect("coeff")), 0.0).expect("num");
        let b = eval_const(&env(l.rest.as_ref().expect("rest")), 0.0).expect("num");
        assert_eq!(a, -2.0);
        assert_eq!(b, 4.0);
    }

    #[test]
    fn nonlinear_is_rejected() {
        let e = mul(var("v"), var("v"));
        assert!(linear(&e, 1, &which_v).is_none());
        let e = call(crate::functions::Func::Exp, var("v"));
        assert!(linear(&e, 1, &which_v).is_none());
    }

    /// Evaluates `e` with `v` = 0.7.
    fn at_v(e: &HExpr) -> f64 {
        let e = map(e, &|n| match n {
            HExpr::Var(VarRef { name, .. }) if name == "v" => Some(c(0.7)),
            _ => None,
        });
        eval_const(&e, 0.0).expect("number")
    }

    #[test]
    fn collect_linear_keeps_the_variable_inside_coefficients() {
        // (2 - v*(1 + 1/(1 + v)))/4 = -(1 + 1/(1 + v))/4 * v + 2/4: the coefficient holds v
        // inside a denominator; the sum of M*v + B is the expression.
        let g = add(c(1.0), div(c(1.0), add(c(1.0), var("v"))));
        let e = div(sub(c(2.0), mul(var("v"), g)), c(4.0));
        assert!(linear(&e, 1, &which_v).is_none());
        let l = collect_linear(&e, &which_v).expect("conditionally linear");
        let m = at_v(l.coeffs[0].as_ref().expect("M"));
        let b = at_v(l.rest.as_ref().expect("B"));
        assert_eq!(m, -(1.0 + 1.0 / 1.7) / 4.0);
        assert_eq!(b, 0.5);
        assert!((m * 0.7 + b - at_v(&e)).abs() < 1e-15);
    }

    #[test]
    fn collect_linear_refuses_other_powers() {
        // v*v, v*(v + 1) and (v + 1)**2 have a v^2 term after expansion (Brian2 refuses them).
        for e in [
            mul(var("v"), var("v")),
            mul(var("v"), add(var("v"), c(1.0))),
            HExpr::Binary(
                BinOp::Pow,
                Box::new(add(var("v"), c(1.0))),
                Box::new(c(2.0)),
            ),
        ] {
            assert!(collect_linear(&e, &which_v).is_none());
        }
    }
}

//! The `exact` (= `linear`) and `exponential_euler` integrators.
//!
//! `exact` writes the system as `X' = M X + B`. When `M` is diagonal each variable gets Brian2's
//! closed form `x_new = -b/a + (x + b/a) * exp(a*dt)` (or `x + dt*b` when `a` is zero), which
//! allows per-neuron coefficients. When `M` couples variables and its entries are all numbers
//! (script constants are already folded in by `check`), the propagator `E = exp(M dt)` and
//! `Φ = ∫₀^dt exp(M s) ds` are computed once per run from the augmented matrix exponential
//! `exp([[M, I], [0, 0]] dt) = [[E, Φ], [0, I]]`. When some entry is an expression (a
//! per-neuron parameter), `M` must be triangular up to a permutation of the variables, and
//! [`triangular`](super::triangular) writes `exp(M dt)` entry by entry as expressions evaluated
//! per neuron; coupling with a cycle is refused.

use super::algebra::{
    add, any, c, call, collect_linear, div, dt, eval_const, linear, mentions_t, mul, neg,
    noise_symbols, temp, var, Linear,
};
use super::triangular::{self, triangular_order};
use super::{assign_all, new_name, StateUpdate};
use crate::check::hir::{HExpr, Side, Special, VarRef};
use crate::functions::Func;

fn which_of<'a>(names: &'a [String]) -> impl Fn(&HExpr) -> Option<usize> + 'a {
    move |e: &HExpr| match e {
        HExpr::Var(VarRef {
            name,
            side: Side::Own,
        }) => names.iter().position(|x| x == name),
        _ => None,
    }
}

/// Brian2's "constant over a time step": no explicit `t` (a TimedArray called with `t` is
/// locally constant, though the column index of a two-dimensional one still counts) and no
/// random numbers.
fn constant_over_dt(e: &HExpr) -> bool {
    // Only a lookup at `t` itself: Brian2 refuses `ta(t - 3*ms)` ("not guaranteed to be
    // constant over a time step"), so other time arguments keep their `t`.
    let at_t = |arg: &HExpr| matches!(arg, HExpr::Special(Special::T));
    let without_tables = super::algebra::map(e, &|n| match n {
        HExpr::Table {
            arg,
            index: Some(index),
            ..
        } if at_t(arg) => Some((**index).clone()),
        HExpr::Table { arg, .. } if at_t(arg) => Some(HExpr::Const(0.0)),
        _ => None,
    });
    !mentions_t(&without_tables) && !any(e, &|n| matches!(n, HExpr::Rand | HExpr::Randn))
}

/// The exact integrator.
pub(super) fn exact(eqs: &[(String, HExpr)], dt_value: f64) -> Result<StateUpdate, String> {
    let names: Vec<String> = eqs.iter().map(|(x, _)| x.clone()).collect();
    let which = which_of(&names);
    let n = names.len();
    let mut rows = Vec::new();
    for (x, rhs) in eqs {
        if !noise_symbols(rhs).is_empty() {
            return Err("cannot solve stochastic equations with this state updater".into());
        }
        let lin = linear(rhs, n, &which).ok_or_else(|| {
            format!("the expression defining the variable '{x}' could not be separated into linear components")
        })?;
        for part in lin.coeffs.iter().flatten().chain(lin.rest.iter()) {
            if !constant_over_dt(part) {
                return Err(format!(
                    "the equation for '{x}' is not guaranteed to be constant over a time step (it depends on t or on random numbers)"
                ));
            }
        }
        rows.push(lin);
    }
    let diagonal = rows.iter().enumerate().all(|(k, r)| {
        r.coeffs
            .iter()
            .enumerate()
            .all(|(j, a)| j == k || a.is_none())
    });
    let mut u = StateUpdate::default();
    // Brian2 solves `M b = B` symbolically and refuses systems whose matrix is singular (for
    // example `dx/dt = 1/tau`, which then falls back to Euler under the default method list).
    let singular = singular_message;
    if diagonal {
        for (k, r) in rows.iter().enumerate() {
            let x = var(&names[k]);
            let value = match (&r.coeffs[k], &r.rest) {
                (None, _) => return Err(singular()),
                (Some(a), None) => mul(x, call(Func::Exp, mul(a.clone(), dt()))),
                (Some(a), Some(b)) => {
                    // -BA + (x + BA)*exp(A*dt), BA = B/A (Brian2's exponential form).
                    let ba = div(b.clone(), a.clone());
                    add(
                        neg(ba.clone()),
                        mul(add(x, ba), call(Func::Exp, mul(a.clone(), dt()))),
                    )
                }
            };
            u.lets.push((new_name(&names[k]), value));
        }
    } else if let Some(m) = numeric_matrix(&rows, dt_value) {
        if determinant(&m).abs() < 1e-300 {
            return Err(singular());
        }
        let (e, phi) = propagators(&m, dt_value);
        for k in 0..n {
            let mut value = c(0.0);
            for j in 0..n {
                if e[k][j] != 0.0 {
                    value = add(value, mul(c(e[k][j]), var(&names[j])));
                }
            }
            for (j, r) in rows.iter().enumerate() {
                if let Some(b) = &r.rest {
                    if phi[k][j] != 0.0 {
                        value = add(value, mul(c(phi[k][j]), b.clone()));
                    }
                }
            }
            u.lets.push((new_name(&names[k]), value));
        }
    } else {
        u.lets = per_neuron_coupled(&names, rows, dt_value)?;
    }
    u.assigns = assign_all(eqs);
    Ok(u)
}

/// The coefficient matrix as numbers, if every coefficient folds to one.
fn numeric_matrix(rows: &[Linear], dt_value: f64) -> Option<Vec<Vec<f64>>> {
    rows.iter()
        .map(|r| {
            r.coeffs
                .iter()
                .map(|a| a.as_ref().map_or(Some(0.0), |a| eval_const(a, dt_value)))
                .collect()
        })
        .collect()
}

/// A coupled system with coefficients that are not all numbers: exact when the coupling has no
/// cycle (see [`triangular`](super::triangular)), refused otherwise.
fn per_neuron_coupled(
    names: &[String],
    rows: Vec<Linear>,
    dt_value: f64,
) -> Result<Vec<(String, HExpr)>, String> {
    let (m, rest): (Vec<_>, Vec<_>) = rows.into_iter().map(|r| (r.coeffs, r.rest)).unzip();
    let order = triangular_order(&m).map_err(|cycle| {
        let path: Vec<String> = cycle.iter().map(|&k| format!("'{}'", names[k])).collect();
        format!(
            "the coupled linear system has coefficients that vary per neuron and its variables depend on each other in a cycle ({}); snnc solves such systems exactly only when the coupling has no cycle or every coefficient is a number, where Brian2 would try a symbolic matrix exponential (use method='rk4' or 'exponential_euler')",
            path.join(" -> ")
        )
    })?;
    // A triangular matrix is singular when a diagonal entry is zero; Brian2's linear solve then
    // finds no unique fixed point and refuses.
    if m.iter().enumerate().any(|(k, r)| match &r[k] {
        None => true,
        Some(a) => eval_const(a, dt_value) == Some(0.0),
    }) {
        return Err(singular_message());
    }
    let sys = triangular::System {
        names,
        m,
        rest,
        dt_value,
    };
    triangular::update(&sys, &order)
}

fn singular_message() -> String {
    "cannot solve the given equations with this state updater (the linear system is singular)"
        .to_string()
}

/// The exponential Euler integrator: each equation linear in its own variable.
pub(super) fn exponential_euler(eqs: &[(String, HExpr)]) -> Result<StateUpdate, String> {
    let mut u = StateUpdate::default();
    for (x, rhs) in eqs {
        if !noise_symbols(rhs).is_empty() {
            return Err("cannot solve stochastic equations with this state updater".into());
        }
        let own = [x.clone()];
        let which = which_of(&own);
        let lin = linear(rhs, 1, &which)
            // (Brian2 also refuses an `x` that is only inside functions: no `x` term at all.)
            .or_else(|| collect_linear(rhs, &which).filter(|l| l.coeffs[0].is_some()))
            .ok_or_else(|| {
                "can only solve conditionally linear systems with this state updater".to_string()
            })?;
        let xv = var(x);
        let value = match (&lin.coeffs[0], &lin.rest) {
            (None, None) => xv,
            (None, Some(b)) => add(xv, mul(dt(), b.clone())),
            (Some(a), None) => mul(xv, call(Func::Exp, mul(a.clone(), dt()))),
            (Some(a), Some(b)) => {
                let ba = format!("__BA_{x}");
                u.lets.push((ba.clone(), div(b.clone(), a.clone())));
                add(
                    neg(temp(&ba)),
                    mul(add(xv, temp(&ba)), call(Func::Exp, mul(a.clone(), dt()))),
                )
            }
        };
        u.lets.push((new_name(x), value));
    }
    u.assigns = assign_all(eqs);
    Ok(u)
}

/// Determinant by Gaussian elimination with partial pivoting.
fn determinant(m: &[Vec<f64>]) -> f64 {
    let n = m.len();
    let mut a: Vec<Vec<f64>> = m.to_vec();
    let mut det = 1.0;
    for c in 0..n {
        let p = (c..n)
            .max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))
            .unwrap_or(c);
        if a[p][c] == 0.0 {
            return 0.0;
        }
        if p != c {
            a.swap(p, c);
            det = -det;
        }
        det *= a[c][c];
        for r in c + 1..n {
            let f = a[r][c] / a[c][c];
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
        }
    }
    det
}

/// `E = exp(M dt)` and `Φ = ∫₀^dt exp(M s) ds`.
pub(super) fn propagators(m: &[Vec<f64>], dt_value: f64) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let n = m.len();
    let mut aug = vec![vec![0.0; 2 * n]; 2 * n];
    for k in 0..n {
        for j in 0..n {
            aug[k][j] = m[k][j] * dt_value;
        }
        aug[k][n + k] = dt_value;
    }
    let ex = expm(&aug);
    let e = (0..n).map(|k| ex[k][..n].to_vec()).collect();
    let phi = (0..n).map(|k| ex[k][n..].to_vec()).collect();
    (e, phi)
}

/// Matrix exponential by scaling and squaring with a Taylor series (the matrices are small,
/// and a 1-norm below 1/8 after scaling makes 20 terms exact to rounding).
fn expm(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    let norm = (0..n)
        .map(|j| (0..n).map(|k| a[k][j].abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let mut s = 0;
    while norm / f64::powi(2.0, s) > 0.125 && s < 60 {
        s += 1;
    }
    let scale = f64::powi(2.0, s);
    let scaled: Vec<Vec<f64>> = a
        .iter()
        .map(|r| r.iter().map(|x| x / scale).collect())
        .collect();
    let ident = |k: usize, j: usize| if k == j { 1.0 } else { 0.0 };
    let mut result: Vec<Vec<f64>> = (0..n)
        .map(|k| (0..n).map(|j| ident(k, j)).collect())
        .collect();
    let mut term = result.clone();
    for p in 1..=20 {
        term = matmul(&term, &scaled);
        for row in term.iter_mut() {
            for x in row.iter_mut() {
                *x /= p as f64;
            }
        }
        for k in 0..n {
            for j in 0..n {
                result[k][j] += term[k][j];
            }
        }
    }
    for _ in 0..s {
        result = matmul(&result, &result);
    }
    result
}

fn matmul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    (0..n)
        .map(|k| {
            (0..n)
                .map(|j| (0..n).map(|l| a[k][l] * b[l][j]).sum())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expm_of_diagonal_is_exp_of_entries() {
        // 0.5 needs two squarings after scaling, each of which can double the rounding error
        // of the Taylor sum: a few ulp, so 1e-14 relative.
        let e = expm(&[vec![-0.01, 0.0], vec![0.0, 0.5]]);
        assert!((e[0][0] - (-0.01f64).exp()).abs() < 1e-15);
        assert!((e[1][1] / 0.5f64.exp() - 1.0).abs() < 1e-14);
        assert_eq!(e[0][1], 0.0);
    }

    #[test]
    fn propagators_of_coupled_system_match_closed_form() {
        // dge/dt = -ge/tau, dv/dt = (ge - v)/tau: v(dt) = v e^{-dt/tau} + ge dt/tau e^{-dt/tau}
        // (Brian2's verified formula, BRIAN2-SEMANTICS §4.3).
        let tau = 0.01;
        let h = 1e-4;
        let m = vec![vec![-1.0 / tau, 0.0], vec![1.0 / tau, -1.0 / tau]];
        let (e, phi) = propagators(&m, h);
        let f = (-h / tau).exp();
        assert!((e[0][0] - f).abs() < 1e-15);
        assert!((e[1][0] - h / tau * f).abs() < 1e-15);
        assert!((e[1][1] - f).abs() < 1e-15);
        // Φ for the singular case M = 0 is dt * I.
        let (_, phi0) = propagators(&[vec![0.0]], h);
        assert!((phi0[0][0] - h).abs() < 1e-20);
        assert!(phi[0][0] > 0.0);
    }
}

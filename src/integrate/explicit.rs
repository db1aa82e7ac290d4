//! Explicit (Runge–Kutta family and stochastic) integrators: euler, rk2, rk4, heun, milstein.
//! Formulas follow Brian2's `brian2/stateupdaters/explicit.py` (BRIAN2-SEMANTICS §4.3).

use super::algebra::{
    add, c, call, div, dt, linear, mentions_t, mentions_vars, mul, noise_symbols, shift_t, sub,
    subst_vars, temp,
};
use super::{assign_all, new_name, Method, StateUpdate};
use crate::check::hir::HExpr;
use crate::functions::Func;

/// Splits `rhs` into the drift `f` and one coefficient per noise symbol.
fn split_noise(rhs: &HExpr, symbols: &[String]) -> Result<(HExpr, Vec<HExpr>), String> {
    let which = |e: &HExpr| match e {
        HExpr::Noise(s) => symbols.iter().position(|x| x == s),
        _ => None,
    };
    let lin = linear(rhs, symbols.len(), &which)
        .ok_or_else(|| "the noise term is not linear in the noise symbol".to_string())?;
    Ok((
        lin.rest.unwrap_or(c(0.0)),
        lin.coeffs
            .into_iter()
            .map(|g| g.unwrap_or(c(0.0)))
            .collect(),
    ))
}

fn dw_name(symbol: &str) -> String {
    format!("_dW_{symbol}")
}

/// Integrates with an explicit method.
pub(super) fn explicit(method: Method, eqs: &[(String, HExpr)]) -> Result<StateUpdate, String> {
    let names: Vec<String> = eqs.iter().map(|(x, _)| x.clone()).collect();
    let mut symbols: Vec<String> = eqs.iter().flat_map(|(_, r)| noise_symbols(r)).collect();
    symbols.sort();
    symbols.dedup();
    let mut parts = Vec::new();
    for (_, rhs) in eqs {
        parts.push(split_noise(rhs, &symbols)?);
    }
    let stochastic = !symbols.is_empty();
    let mut u = StateUpdate::default();
    // dW = sqrt(dt) * randn(), once per symbol and step, before the formulas.
    for s in &symbols {
        u.lets
            .push((dw_name(s), mul(call(Func::Sqrt, dt()), HExpr::Randn)));
    }
    let x = |k: usize| super::algebra::var(&names[k]);
    let at = |e: &HExpr, vals: &[HExpr]| subst_vars(e, &names, vals);
    match method {
        Method::Euler => {
            for (_, g_list) in &parts {
                for g in g_list {
                    if mentions_vars(g, &names) || mentions_t(g) {
                        return Err("cannot integrate equations with multiplicative noise; use 'heun' or 'milstein'".into());
                    }
                }
            }
            for (k, (f, gs)) in parts.iter().enumerate() {
                let mut v = add(x(k), mul(dt(), f.clone()));
                for (s, g) in symbols.iter().zip(gs) {
                    if !is_zero(g) {
                        v = add(v, mul(g.clone(), temp(&dw_name(s))));
                    }
                }
                u.lets.push((new_name(&names[k]), v));
            }
        }
        Method::Rk2 | Method::Rk4 if stochastic => {
            return Err("cannot solve stochastic equations with this state updater".into())
        }
        Method::Rk2 => {
            // k = dt*f(x, t); x_new = x + dt*f(x + k/2, t + dt/2)
            for (k, (f, _)) in parts.iter().enumerate() {
                u.lets
                    .push((format!("__k_{}", names[k]), mul(dt(), f.clone())));
            }
            let mid: Vec<HExpr> = (0..names.len())
                .map(|k| add(x(k), div(temp(&format!("__k_{}", names[k])), c(2.0))))
                .collect();
            for (k, (f, _)) in parts.iter().enumerate() {
                let fm = shift_t(&at(f, &mid), &div(dt(), c(2.0)));
                u.lets.push((new_name(&names[k]), add(x(k), mul(dt(), fm))));
            }
        }
        Method::Rk4 => {
            let stage = |s: usize, k: usize| format!("__k_{s}_{}", names[k]);
            let stages: [(f64, f64); 4] = [(0.0, 0.0), (0.5, 0.5), (0.5, 0.5), (1.0, 1.0)];
            for (s, &(frac, tfrac)) in stages.iter().enumerate() {
                let point: Vec<HExpr> = (0..names.len())
                    .map(|k| {
                        if s == 0 {
                            x(k)
                        } else {
                            add(x(k), mul(c(frac), temp(&stage(s, k))))
                        }
                    })
                    .collect();
                for (k, (f, _)) in parts.iter().enumerate() {
                    let mut fe = at(f, &point);
                    if tfrac != 0.0 {
                        fe = shift_t(&fe, &mul(c(tfrac), dt()));
                    }
                    u.lets.push((stage(s + 1, k), mul(dt(), fe)));
                }
            }
            for k in 0..names.len() {
                let v = add(
                    add(
                        add(
                            add(x(k), div(temp(&stage(1, k)), c(6.0))),
                            div(temp(&stage(2, k)), c(3.0)),
                        ),
                        div(temp(&stage(3, k)), c(3.0)),
                    ),
                    div(temp(&stage(4, k)), c(6.0)),
                );
                u.lets.push((new_name(&names[k]), v));
            }
        }
        Method::Heun => {
            // Per noise symbol: x_sup = x + g(x,t)*dW; g_sup = g(x_sup, t+dt);
            // x_new = x + dt*f(x,t) + 0.5*dW*(g(x,t) + g_sup)
            let mut news: Vec<HExpr> = (0..names.len())
                .map(|k| add(x(k), mul(dt(), parts[k].0.clone())))
                .collect();
            for (si, s) in symbols.iter().enumerate() {
                let sup: Vec<HExpr> = (0..names.len())
                    .map(|k| add(x(k), mul(parts[k].1[si].clone(), temp(&dw_name(s)))))
                    .collect();
                let sup_names: Vec<String> = (0..names.len())
                    .map(|k| format!("__{}_sup_{s}", names[k]))
                    .collect();
                for k in 0..names.len() {
                    u.lets.push((sup_names[k].clone(), sup[k].clone()));
                }
                let sup_vals: Vec<HExpr> = sup_names.iter().map(|n| temp(n)).collect();
                for k in 0..names.len() {
                    let g = &parts[k].1[si];
                    if is_zero(g) {
                        continue;
                    }
                    let g_sup = shift_t(&at(g, &sup_vals), &dt());
                    news[k] = add(
                        news[k].clone(),
                        mul(mul(c(0.5), temp(&dw_name(s))), add(g.clone(), g_sup)),
                    );
                }
            }
            for k in 0..names.len() {
                u.lets.push((new_name(&names[k]), news[k].clone()));
            }
        }
        Method::Milstein => {
            // Diagonal noise only: each symbol in one equation, each equation one symbol.
            for (_, gs) in &parts {
                let n = gs.iter().filter(|g| !is_zero(g)).count();
                if n > 1 {
                    return Err("cannot integrate stochastic equations with non-diagonal noise with this state updater".into());
                }
            }
            for si in 0..symbols.len() {
                let n = parts.iter().filter(|(_, gs)| !is_zero(&gs[si])).count();
                if n > 1 {
                    return Err("cannot integrate stochastic equations with non-diagonal noise with this state updater".into());
                }
            }
            // x_sup = x + dt*f + sqrt(dt)*g; g_sup = g(x_sup);
            // x_new = x + dt*f + g*dW + (g_sup - g)*dW**2/(2*sqrt(dt))
            // (Brian2's derivative-free Milstein exactly as written in its explicit.py.)
            let sup: Vec<HExpr> = (0..names.len())
                .map(|k| {
                    let g = parts[k]
                        .1
                        .iter()
                        .find(|g| !is_zero(g))
                        .cloned()
                        .unwrap_or(c(0.0));
                    add(
                        add(x(k), mul(dt(), parts[k].0.clone())),
                        mul(call(Func::Sqrt, dt()), g),
                    )
                })
                .collect();
            let sup_names: Vec<String> = names.iter().map(|n| format!("__{n}_sup")).collect();
            for k in 0..names.len() {
                u.lets.push((sup_names[k].clone(), sup[k].clone()));
            }
            let sup_vals: Vec<HExpr> = sup_names.iter().map(|n| temp(n)).collect();
            for k in 0..names.len() {
                let mut v = add(x(k), mul(dt(), parts[k].0.clone()));
                if let Some(si) = parts[k].1.iter().position(|g| !is_zero(g)) {
                    let g = parts[k].1[si].clone();
                    let dw = temp(&dw_name(&symbols[si]));
                    let g_sup = at(&g, &sup_vals);
                    v = add(v, mul(g.clone(), dw.clone()));
                    v = add(
                        v,
                        div(
                            mul(sub(g_sup, g), mul(dw.clone(), dw)),
                            mul(c(2.0), call(Func::Sqrt, dt())),
                        ),
                    );
                }
                u.lets.push((new_name(&names[k]), v));
            }
        }
        Method::Exact | Method::ExponentialEuler => {
            return Err("not an explicit method".into());
        }
    }
    u.assigns = assign_all(eqs);
    Ok(u)
}

fn is_zero(e: &HExpr) -> bool {
    matches!(e, HExpr::Const(x) if *x == 0.0)
}

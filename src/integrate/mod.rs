//! Stage 3a: Brian2's state updaters. A checked model plus a method becomes update statements.
//!
//! Every method produces *simultaneous* updates, as Brian2's do: temporaries `_x` are computed
//! from the old values of all variables, then every variable is assigned. Noise symbols become
//! `dW = sqrt(dt) * randn()` temporaries drawn once per step, before the formulas. The output
//! is still HIR (with [`HExpr::Temp`] references), so lowering treats it like any code block.

pub mod algebra;
mod exact;
mod explicit;
mod triangular;

use crate::check::hir::{CheckedModel, HExpr, Side, VarRef};
use algebra::{mul, temp, var};
use std::fmt;

/// Brian2's integration methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `exact` / `linear`: analytic solution of linear systems with coefficients constant over
    /// a step.
    Exact,
    /// `euler`: (Euler–)Maruyama, additive noise only.
    Euler,
    /// `rk2`: midpoint method, no noise.
    Rk2,
    /// `rk4`: classical Runge–Kutta, no noise.
    Rk4,
    /// `heun`: stochastic Heun (Stratonovich), multiplicative noise allowed.
    Heun,
    /// `milstein`: derivative-free Milstein, diagonal noise.
    Milstein,
    /// `exponential_euler`: equations conditionally linear in their own variable.
    ExponentialEuler,
}

impl Method {
    /// Looks up a method by its Brian2 name (case-insensitive; `linear` is `exact`).
    pub fn from_name(name: &str) -> Option<Method> {
        Some(match name.to_ascii_lowercase().as_str() {
            "exact" | "linear" => Method::Exact,
            "euler" => Method::Euler,
            "rk2" => Method::Rk2,
            "rk4" => Method::Rk4,
            "heun" => Method::Heun,
            "milstein" => Method::Milstein,
            "exponential_euler" => Method::ExponentialEuler,
            _ => return None,
        })
    }

    /// Brian2's name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Euler => "euler",
            Method::Rk2 => "rk2",
            Method::Rk4 => "rk4",
            Method::Heun => "heun",
            Method::Milstein => "milstein",
            Method::ExponentialEuler => "exponential_euler",
        }
    }

    /// Brian2's default list, tried in order when no method is given.
    pub const DEFAULT: [Method; 3] = [Method::Exact, Method::Euler, Method::Heun];
}

/// The statements of one integration step.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StateUpdate {
    /// Temporaries in order (`dW`, stage values, `_x`).
    pub lets: Vec<(String, HExpr)>,
    /// Final assignments `x = value`, made after all temporaries.
    pub assigns: Vec<(String, HExpr)>,
}

/// Why a method cannot integrate a model (Brian2's wording where it has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrationError {
    /// The method that refused.
    pub method: Method,
    /// Why.
    pub reason: String,
}

impl fmt::Display for IntegrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "method '{}' cannot integrate these equations: {}",
            self.method.name(),
            self.reason
        )
    }
}

impl std::error::Error for IntegrationError {}

/// Integrates `model` with `method`. `dt` is the group's time step in seconds (the exact method
/// of coupled systems computes a matrix exponential once per run); `refractory` says whether
/// `(unless refractory)` applies (the group has a `refractory` argument).
pub fn integrate(
    model: &CheckedModel,
    method: Method,
    dt: f64,
    refractory: bool,
) -> Result<StateUpdate, IntegrationError> {
    let err = |reason: String| IntegrationError { method, reason };
    let frozen: Vec<String> = if refractory {
        model
            .diff_eqs
            .iter()
            .filter(|e| model.var(&e.var).is_some_and(|v| v.flags.unless_refractory))
            .map(|e| e.var.clone())
            .collect()
    } else {
        Vec::new()
    };
    // Brian2 multiplies a frozen equation's right-hand side by `int(not_refractory)` for the
    // explicit methods; the exact method solves the unmodified system and relies on the
    // conditional write alone.
    let eqs: Vec<(String, HExpr)> = model
        .diff_eqs
        .iter()
        .map(|e| {
            let rhs = if frozen.contains(&e.var) && method != Method::Exact {
                mul(var("not_refractory"), e.rhs.clone())
            } else {
                e.rhs.clone()
            };
            (e.var.clone(), rhs)
        })
        .collect();
    let mut update = match method {
        Method::Exact => exact::exact(&eqs, dt).map_err(err)?,
        Method::ExponentialEuler => exact::exponential_euler(&eqs).map_err(err)?,
        _ => explicit::explicit(method, &eqs).map_err(err)?,
    };
    for (name, value) in &mut update.assigns {
        if frozen.contains(name) {
            *value = HExpr::Select(
                Box::new(HExpr::Var(VarRef {
                    name: "not_refractory".into(),
                    side: Side::Own,
                })),
                Box::new(value.clone()),
                Box::new(var(name)),
            );
        }
    }
    Ok(update)
}

/// Brian2's automatic choice: the first of `exact`, `euler`, `heun` that accepts the model.
/// Returns the method used and the update; the error is the last method's refusal.
pub fn integrate_default(
    model: &CheckedModel,
    dt: f64,
    refractory: bool,
) -> Result<(Method, StateUpdate), IntegrationError> {
    let mut last = None;
    for m in Method::DEFAULT {
        match integrate(model, m, dt, refractory) {
            Ok(u) => return Ok((m, u)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or(IntegrationError {
        method: Method::Heun,
        reason: "no stateupdater that is suitable for the given equations has been found".into(),
    }))
}

/// Name of the temporary holding the new value of `x`.
pub(crate) fn new_name(x: &str) -> String {
    format!("_{x}")
}

/// Final assignments `x = _x` for every equation.
pub(crate) fn assign_all(eqs: &[(String, HExpr)]) -> Vec<(String, HExpr)> {
    eqs.iter()
        .map(|(x, _)| (x.clone(), temp(&new_name(x))))
        .collect()
}

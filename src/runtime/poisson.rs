//! `PoissonInput`: each step, every target neuron receives `B · weight` with
//! `B ~ Binomial(N, rate·dt)` drawn independently per neuron; when `N·p > 5` and
//! `N·(1−p) > 5` Brian2 uses the normal approximation `N·p + sqrt(N·p·(1−p))·randn()` (not an
//! integer), and so do we. Draws come from the counter-based generator, keyed by the input's
//! name, the neuron and the step.
//!
//! The weight is a quantity or, as Brian2 allows, a string expression in the target group's
//! namespace (`weight='w_max*i/N'`). Brian2 runs `v += k*(weight)` per neuron; we compile the
//! expression into a kernel that stores each neuron's weight in a scratch column before the
//! events are added, which reads the same values (the weight sees `v` before the increment).

use super::kernels;
use super::network::Network;
use super::rng;
use crate::check::hir::{HExpr, Special, VarType};
use crate::check::{self, Expect, Scope};
use crate::diagnostics::Diagnostic;
use crate::integrate;
use crate::lower::ir::{self, Domain};
use crate::syntax::ast;

/// The reserved name under which a weight kernel finds its `PoissonInput`'s scratch column.
const WEIGHT_VAR: &str = "#poisson_weight";

/// The increment per event of a [`PoissonInput`].
#[derive(Clone, Debug, PartialEq)]
pub enum PoissonWeight {
    /// A quantity, in the target variable's SI unit.
    Value(f64),
    /// A string expression, evaluated for each target neuron at every step.
    Expr {
        /// The parsed expression (spans point into the script).
        expr: ast::Expr,
        /// The scratch column (one value per neuron of the group) its kernel writes.
        column: usize,
    },
}

/// A `PoissonInput`.
#[derive(Clone, Debug, PartialEq)]
pub struct PoissonInput {
    /// Name (part of the random key).
    pub name: String,
    /// Target group.
    pub group: usize,
    /// First target neuron.
    pub start: usize,
    /// One past the last target neuron.
    pub stop: usize,
    /// Target variable.
    pub var: String,
    /// Number of independent Poisson sources per neuron.
    pub n: u64,
    /// Rate of each source (Hz).
    pub rate: f64,
    /// Increment per event.
    pub weight: PoissonWeight,
    /// Its slot and order (`when=`, `order=`; by default `synapses`, 0).
    pub when: crate::runtime::schedule::When,
    /// See `when`.
    pub order: i64,
}

impl PoissonInput {
    /// The number of events for one neuron in one step (Brian2's binomial or its normal
    /// approximation).
    pub fn draw(&self, seed: u64, neuron: u64, step: u64, dt: f64) -> f64 {
        let object = rng::name_hash(&self.name);
        let n = self.n as f64;
        let p = (self.rate * dt).clamp(0.0, 1.0);
        if n * p > 5.0 && n * (1.0 - p) > 5.0 {
            return n * p + (n * p * (1.0 - p)).sqrt() * rng::normal(seed, object, 0, neuron, step);
        }
        // Inversion of the binomial distribution function with one uniform draw.
        let u = rng::uniform(seed, object, 1, neuron, step);
        if p >= 1.0 {
            return n;
        }
        let mut pmf = (1.0 - p).powf(n);
        let mut cdf = pmf;
        let mut k = 0u64;
        while u >= cdf && k < self.n {
            pmf *= (n - k as f64) / (k as f64 + 1.0) * p / (1.0 - p);
            k += 1;
            cdf += pmf;
        }
        k as f64
    }
}

impl Network {
    /// Checks the string weights of the `PoissonInput`s that target group `k` in the group's
    /// namespace; each must have the unit of its target variable. Returns, per input, its
    /// number, its scratch column and the checked expression; diagnostics go to `diags`.
    pub(super) fn check_poisson_weights(
        &self,
        k: usize,
        scope: &Scope,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, usize, HExpr)> {
        let g = &self.groups[k];
        let mut out = Vec::new();
        for (j, inp) in self.poisson_inputs.iter().enumerate() {
            let PoissonWeight::Expr { expr, column } = &inp.weight else {
                continue;
            };
            if inp.group != k {
                continue;
            }
            let Some(dim) = g.var_index(&inp.var).map(|v| g.variables[v].dim) else {
                continue;
            };
            let what = format!("the weight of the PoissonInput targeting '{}'", inp.var);
            let (h, d) = check::check_expr(expr, scope, Expect::Dim(dim), &what);
            diags.extend(d);
            if let Some((h, _, _)) = h {
                out.push((j, *column, h));
            }
        }
        out
    }

    /// The kernel that stores the weight of `PoissonInput` `j` for each neuron of group `k` in
    /// the input's scratch column.
    pub(super) fn poisson_weight_kernel(
        &self,
        k: usize,
        j: usize,
        column: usize,
        weight: &HExpr,
    ) -> Result<(ir::Kernel, Vec<usize>), crate::lower::build::LowerError> {
        let g = &self.groups[k];
        let inp = &self.poisson_inputs[j];
        let own = kernels::group_resolver(g);
        let resolve = |v: &crate::check::hir::VarRef| {
            if v.name == WEIGHT_VAR && v.side == crate::check::hir::Side::Own {
                return Some(crate::lower::build::ResolvedVar {
                    column,
                    index: ir::Index::Elem,
                    name: format!("{}.weight", inp.name),
                    via: None,
                });
            }
            own(v)
        };
        let name = format!("{}.weight", inp.name);
        let object = rng::name_hash(&name);
        let mut b =
            crate::lower::build::KernelBuilder::new(&name, Domain::Range, object, false, &resolve);
        // On a subgroup `G[a:b]` the string is evaluated in the subgroup's namespace, as in
        // Brian2: `i` counts from `a` and `N` is `b - a` (the kernel runs over `a..b`).
        let weight = if inp.start != 0 || inp.stop != g.n {
            let start = inp.start as f64;
            let len = (inp.stop - inp.start) as f64;
            integrate::algebra::map(weight, &|e| match e {
                HExpr::Special(Special::I) => Some(integrate::algebra::sub(
                    HExpr::Special(Special::I),
                    HExpr::Const(start),
                )),
                HExpr::Special(Special::N) => Some(HExpr::Const(len)),
                _ => None,
            })
        } else {
            weight.clone()
        };
        let value = b.expr(&weight)?;
        let target = crate::check::hir::VarRef {
            name: WEIGHT_VAR.into(),
            side: crate::check::hir::Side::Own,
        };
        b.store(&target, VarType::Float, value)?;
        Ok(b.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_mean_and_variance() {
        // N = 10, p = 0.1 (inversion branch): mean N·p = 1, variance N·p·(1-p) = 0.9. With
        // 100000 draws the standard error of the mean is sqrt(0.9/1e5) = 3e-3.
        let inp = PoissonInput {
            name: "pi".into(),
            group: 0,
            start: 0,
            stop: 1,
            var: "v".into(),
            n: 10,
            rate: 1000.0,
            weight: PoissonWeight::Value(1.0),
            when: crate::runtime::schedule::When::SYNAPSES,
            order: 0,
        };
        let xs: Vec<f64> = (0..100_000).map(|s| inp.draw(7, 0, s, 1e-4)).collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!((m - 1.0).abs() < 0.015, "mean {m}");
        assert!((v - 0.9).abs() < 0.03, "variance {v}");
        assert!(xs.iter().all(|x| x.fract() == 0.0 && *x <= 10.0));
    }
}

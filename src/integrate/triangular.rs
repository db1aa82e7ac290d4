//! Exact integration of coupled linear systems whose matrix is triangular up to a permutation of
//! the variables and whose coefficients are expressions (per-neuron parameters, constants).
//!
//! Brian2 computes `A = exp(M dt)` symbolically with sympy and writes `x_new = A x + (A b - b)`
//! with `M b = c` (the system being `X' = M X + c`). snnc does the same without a computer
//! algebra system for the common case of a chain or tree of decaying currents feeding the
//! membrane: once the variables are ordered so that each depends only on later ones, `M` is
//! upper triangular, and each entry of `F = exp(T dt)` is a sum over the paths
//! `i = k0 < k1 < … < km = j` of the coupling graph,
//!
//! ```text
//! F_ij = Σ_paths t_k0k1 t_k1k2 … t_k(m-1)km · f[t_k0k0, …, t_kmkm],   f(λ) = exp(λ dt)
//! ```
//!
//! where `f[…]` is a divided difference of `f` over the diagonal entries along the path. For
//! distinct diagonal entries this is Parlett's recurrence `F_ij = (t_ij (F_jj - F_ii) +
//! Σ_{i<k<j} (t_ik F_kj - F_ik t_kj)) / (t_jj - t_ii)` (Golub and Van Loan, Matrix
//! Computations, §9.1.4) written out; diagonal entries that are the same expression (one `tau`
//! for membrane and current) take the confluent form `f[λ, …, λ] = dt^m/m! exp(λ dt)`, the
//! Jordan-block solution sympy gives Brian2. Back substitution gives `b`. Every entry is an HIR
//! expression evaluated per neuron. `f[a, b]` is written `exp(a dt) expm1((b - a) dt)/(b - a)`,
//! which keeps its relative accuracy when the two rates are close. Different expressions with
//! equal values at run time make a division `0/0`, as Brian2's formula divides by
//! `tau - tau_s`; the result is NaN in snnc (the run stops) and `ZeroDivisionError` in Brian2.
//!
//! This module arranges expressions; it evaluates a coefficient only to see whether two numeric
//! diagonal entries are equal.

use super::algebra::{add, c, call, div, dt, eval_const, mul, neg, sub, temp, var};
use super::new_name;
use crate::check::hir::HExpr;
use crate::functions::Func;

/// A linear system `x_k' = Σ_j m[k][j] x_j + rest[k]` with structural zeros as `None`.
pub(super) struct System<'a> {
    /// Variable names, in equation order.
    pub names: &'a [String],
    /// Coefficient of `x_j` in the equation of `x_k`.
    pub m: Vec<Vec<Option<HExpr>>>,
    /// The part of each equation free of the variables.
    pub rest: Vec<Option<HExpr>>,
    /// The time step in seconds (numeric coefficients may mention `dt`).
    pub dt_value: f64,
}

/// Orders the variables so that each depends only on later ones (the matrix becomes upper
/// triangular), or returns a cycle of variables that depend on each other.
pub(super) fn triangular_order(m: &[Vec<Option<HExpr>>]) -> Result<Vec<usize>, Vec<usize>> {
    // Depth-first search over "k depends on j"; post-order lists dependencies first.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = m.len();
    let mut mark = vec![Mark::New; n];
    let mut post = Vec::with_capacity(n);
    let mut path: Vec<usize> = Vec::new();
    fn visit(
        k: usize,
        m: &[Vec<Option<HExpr>>],
        mark: &mut [Mark],
        post: &mut Vec<usize>,
        path: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        mark[k] = Mark::Open;
        path.push(k);
        for j in 0..m.len() {
            if j == k || m[k][j].is_none() {
                continue;
            }
            match mark[j] {
                Mark::Done => {}
                Mark::Open => {
                    let start = path.iter().position(|&p| p == j).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(j);
                    return Err(cycle);
                }
                Mark::New => visit(j, m, mark, post, path)?,
            }
        }
        path.pop();
        mark[k] = Mark::Done;
        post.push(k);
        Ok(())
    }
    for k in 0..n {
        if mark[k] == Mark::New {
            visit(k, m, &mut mark, &mut post, &mut path)?;
        }
    }
    post.reverse();
    Ok(post)
}

/// The most coupling paths whose terms [`update`] writes out; the count grows as `2^n` for a
/// dense triangle, and a chain or tree has at most `n^2`.
const MAX_PATHS: u128 = 10_000;

/// The number of paths `i < k1 < … < j` along non-zero coefficients, over all pairs `i < j`.
fn coupling_paths(sys: &System, order: &[usize]) -> u128 {
    let n = order.len();
    let mut total: u128 = 0;
    for p in 0..n {
        // to[q]: paths from p to q.
        let mut to = vec![0u128; n];
        to[p] = 1;
        for q in p + 1..n {
            to[q] = (p..q)
                .filter(|&k| sys.m[order[k]][order[q]].is_some())
                .map(|k| to[k])
                .fold(0u128, u128::saturating_add);
            total = total.saturating_add(to[q]);
        }
    }
    total
}

/// Divided differences `f[λ_a, …, λ_z]` of `f(λ) = exp(λ dt)` over diagonal entries, each a
/// temporary made once. Keys are sorted class representatives (a class is a set of equal
/// diagonal entries).
struct DividedDifferences<'a, 'n> {
    lets: &'a mut Vec<(String, HExpr)>,
    names: std::collections::HashMap<Vec<usize>, String>,
    d_name: &'n dyn Fn(usize) -> String,
}

impl DividedDifferences<'_, '_> {
    /// The temporary holding `f[λ_key…]`.
    fn get(&mut self, key: &[usize]) -> String {
        if let Some(name) = self.names.get(key) {
            return name.clone();
        }
        let lam = |p: usize| temp(&(self.d_name)(p));
        let (first, last) = (key[0], key[key.len() - 1]);
        let value = if first == last {
            // All arguments equal: f^(m)(λ)/m! = dt^m/m! exp(λ dt).
            let m = key.len() - 1;
            let mut factor = c(1.0);
            for k in 1..=m {
                factor = mul(factor, div(dt(), c(k as f64)));
            }
            mul(factor, call(Func::Exp, mul(lam(first), dt())))
        } else if key.len() == 2 {
            // (f(λ_b) - f(λ_a))/(λ_b - λ_a), with expm1 so that close rates keep their digits.
            let gap = sub(lam(last), lam(first));
            let base = temp(&self.get(&[first]));
            div(mul(base, call(Func::Expm1, mul(gap.clone(), dt()))), gap)
        } else {
            // f[a, …, z] = (f[…, z] - f[a, …])/(λ_z - λ_a) with a ≠ z.
            let without_first = key[1..].to_vec();
            let without_last = key[..key.len() - 1].to_vec();
            let hi = temp(&self.get(&without_first));
            let lo = temp(&self.get(&without_last));
            div(sub(hi, lo), sub(lam(last), lam(first)))
        };
        let name = format!(
            "__exact_dd{}",
            key.iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join("_")
        );
        self.lets.push((name.clone(), value));
        self.names.insert(key.to_vec(), name.clone());
        name
    }
}

/// The temporaries and `_x` values of one exact step of a triangular system. `order` comes
/// from [`triangular_order`]; every diagonal coefficient must be present (the caller refuses
/// singular systems, as Brian2 does).
pub(super) fn update(sys: &System, order: &[usize]) -> Result<Vec<(String, HExpr)>, String> {
    let n = order.len();
    let paths = coupling_paths(sys, order);
    if paths > MAX_PATHS {
        return Err(format!(
            "the coupled linear system has coefficients that vary per neuron and {paths} coupling paths between its variables; snnc writes its exact solution path by path and refuses more than {MAX_PATHS} (use method='rk4' or 'exponential_euler')"
        ));
    }
    // t[p][q]: coefficient of the q-th ordered variable in the p-th ordered equation.
    let t = |p: usize, q: usize| sys.m[order[p]][order[q]].clone();
    let mut lets = Vec::new();
    let f_name = |p: usize, q: usize| format!("__exact_F{p}_{q}");
    let d_name = |p: usize| format!("__exact_t{p}");
    for p in 0..n {
        lets.push((d_name(p), t(p, p).unwrap_or(c(0.0))));
    }
    // Positions whose diagonal entries are the same expression (or the same number) share a
    // class: their divided differences take the confluent (derivative) form.
    let same = |p: usize, q: usize| match (t(p, p), t(q, q)) {
        (Some(a), Some(b)) => {
            a == b
                || matches!((eval_const(&a, sys.dt_value), eval_const(&b, sys.dt_value)), (Some(x), Some(y)) if x == y)
        }
        _ => false,
    };
    let class: Vec<usize> = (0..n)
        .map(|p| (0..=p).find(|&r| same(r, p)).unwrap_or(p))
        .collect();
    let mut dd = DividedDifferences {
        lets: &mut lets,
        names: std::collections::HashMap::new(),
        d_name: &d_name,
    };
    // f[p][q] says whether F_pq is structurally non-zero (then it is a temporary).
    let mut f = vec![vec![false; n]; n];
    for p in 0..n {
        let name = dd.get(&[class[p]]);
        dd.lets.push((f_name(p, p), temp(&name)));
        f[p][p] = true;
        for q in p + 1..n {
            // F_pq = Σ over paths p = i0 < i1 < … < im = q of Π t(i_l, i_l+1) · f[λ_i0, …, λ_im].
            let mut sum: Option<HExpr> = None;
            let mut stack = vec![(vec![p], c(1.0))];
            while let Some((path, weight)) = stack.pop() {
                let last = path[path.len() - 1];
                for next in last + 1..=q {
                    let Some(edge) = t(last, next) else { continue };
                    let mut path = path.clone();
                    path.push(next);
                    let weight = mul(weight.clone(), edge);
                    if next == q {
                        let mut key: Vec<usize> = path.iter().map(|&i| class[i]).collect();
                        key.sort_unstable();
                        let term = mul(weight, temp(&dd.get(&key)));
                        sum = Some(match sum {
                            None => term,
                            Some(s) => add(s, term),
                        });
                    } else {
                        stack.push((path, weight));
                    }
                }
            }
            if let Some(sum) = sum {
                dd.lets.push((f_name(p, q), sum));
                f[p][q] = true;
            }
        }
    }
    // The fixed-point offset b with M b = c, by back substitution (row p uses b_q, q > p).
    let b_name = |p: usize| format!("__exact_b{p}");
    let mut b = vec![false; n];
    for p in (0..n).rev() {
        let mut num: Option<HExpr> = sys.rest[order[p]].clone();
        for q in p + 1..n {
            if b[q] {
                if let Some(tpq) = t(p, q) {
                    let term = mul(tpq, temp(&b_name(q)));
                    num = Some(match num {
                        None => neg(term),
                        Some(s) => sub(s, term),
                    });
                }
            }
        }
        if let Some(num) = num {
            lets.push((b_name(p), div(num, temp(&d_name(p)))));
            b[p] = true;
        }
    }
    // x_new = F (x + b) - b, Brian2's `A x + (A b - b)`.
    let mut values = vec![None; n];
    for p in 0..n {
        let mut value: Option<HExpr> = None;
        for q in p..n {
            if !f[p][q] {
                continue;
            }
            let x = var(&sys.names[order[q]]);
            let xb = if b[q] { add(x, temp(&b_name(q))) } else { x };
            let term = mul(temp(&f_name(p, q)), xb);
            value = Some(match value {
                None => term,
                Some(s) => add(s, term),
            });
        }
        let mut value = value.unwrap_or(c(0.0));
        if b[p] {
            value = sub(value, temp(&b_name(p)));
        }
        values[order[p]] = Some(value);
    }
    for (k, value) in values.into_iter().enumerate() {
        lets.push((new_name(&sys.names[k]), value.unwrap_or(c(0.0))));
    }
    Ok(lets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::hir::VarRef;
    use crate::integrate::algebra::{eval_const, map};
    use std::collections::HashMap;

    /// Evaluates the temporaries in order with numbers for the named variables and returns the
    /// new values `_x` of the state variables.
    fn run(lets: &[(String, HExpr)], env: &HashMap<String, f64>, h: f64) -> HashMap<String, f64> {
        let mut temps: HashMap<String, f64> = HashMap::new();
        for (name, e) in lets {
            let bound = map(e, &|n| match n {
                HExpr::Var(VarRef { name, .. }) => Some(c(env[name])),
                HExpr::Temp(t) => Some(c(temps[t])),
                _ => None,
            });
            let value = eval_const(&bound, h).expect("numeric");
            temps.insert(name.clone(), value);
        }
        temps
    }

    /// Builds the system `x_k' = Σ_j m[k][j] x_j + rest[k]` with every non-zero coefficient a
    /// per-neuron variable `m_k_j` (`lam_…` on the diagonal, one per value, and `c_k`), runs
    /// the generated temporaries with the numbers, and compares with the augmented matrix
    /// exponential of `exact` (`E x + Φ c`).
    fn check(m: &[Vec<f64>], rest: &[f64], x: &[f64]) {
        let n = m.len();
        let h = 1e-4;
        let names: Vec<String> = (0..n).map(|k| format!("x{k}")).collect();
        let mut env = HashMap::new();
        let coeffs = (0..n)
            .map(|k| {
                (0..n)
                    .map(|j| {
                        (m[k][j] != 0.0).then(|| {
                            // Equal diagonal entries are one parameter (the same expression).
                            let name = if k == j {
                                format!("lam_{}", m[k][k].to_bits())
                            } else {
                                format!("m_{k}_{j}")
                            };
                            env.insert(name.clone(), m[k][j]);
                            var(&name)
                        })
                    })
                    .collect()
            })
            .collect();
        let rest_e = (0..n)
            .map(|k| {
                (rest[k] != 0.0).then(|| {
                    env.insert(format!("c_{k}"), rest[k]);
                    var(&format!("c_{k}"))
                })
            })
            .collect();
        for k in 0..n {
            env.insert(names[k].clone(), x[k]);
        }
        let sys = System {
            names: &names,
            m: coeffs,
            rest: rest_e,
            dt_value: h,
        };
        let order = triangular_order(&sys.m).expect("triangular");
        let got = run(&update(&sys, &order).expect("few paths"), &env, h);
        let (e, phi) = crate::integrate::exact::propagators(m, h);
        for k in 0..n {
            let want: f64 = (0..n).map(|j| e[k][j] * x[j] + phi[k][j] * rest[j]).sum();
            let ours = got[&format!("_x{k}")];
            assert!(
                (ours - want).abs() <= 1e-14 * want.abs().max(1.0),
                "x{k}: {ours} vs {want}"
            );
        }
    }

    #[test]
    fn current_into_membrane_matches_matrix_exponential() {
        // dv/dt = (I - v)/tau, dI/dt = -I/tau_s with tau = 10 ms, tau_s = 5 ms, drive 0.2/tau.
        check(
            &[vec![-100.0, 100.0], vec![0.0, -200.0]],
            &[20.0, 0.0],
            &[0.1, 1.5],
        );
    }

    #[test]
    fn three_variable_chain_with_full_upper_triangle_matches() {
        check(
            &[
                vec![-50.0, 50.0, -30.0],
                vec![0.0, -200.0, 200.0],
                vec![0.0, 0.0, -600.0],
            ],
            &[1.0, 0.0, 300.0],
            &[0.3, -0.2, 2.0],
        );
    }

    #[test]
    fn tree_in_scrambled_equation_order_matches() {
        // Equations in the order h, v, q, g: v <- g <- h and v <- q; the recurrence needs the
        // permutation v, q, g, h (or another one that makes the matrix triangular).
        check(
            &[
                vec![-400.0, 0.0, 0.0, 0.0],
                vec![0.0, -50.0, -50.0, 50.0],
                vec![0.0, 0.0, -250.0, 0.0],
                vec![300.0, 0.0, 0.0, -300.0],
            ],
            &[200.0, 0.0, 0.0, 0.0],
            &[1.0, 0.0, 0.1, 0.5],
        );
    }

    #[test]
    fn equal_diagonal_entries_take_the_confluent_form() {
        // Two classes of equal rates in a chain x0 <- x1 <- x2 <- x3 with an extra x0 <- x2
        // edge: divided differences over [a, a], [a, a, b], [a, a, b, b] and [a, b, b].
        check(
            &[
                vec![-100.0, 40.0, 7.0, 0.0],
                vec![0.0, -100.0, 60.0, 0.0],
                vec![0.0, 0.0, -300.0, 90.0],
                vec![0.0, 0.0, 0.0, -300.0],
            ],
            &[5.0, 0.0, 0.0, 30.0],
            &[0.2, -0.4, 1.0, 0.7],
        );
    }

    #[test]
    fn homogeneous_system_has_no_fixed_point_part() {
        let names = ["v".to_string(), "g".to_string()];
        let sys = System {
            names: &names,
            m: vec![
                vec![Some(var("a")), Some(var("w"))],
                vec![None, Some(var("b"))],
            ],
            rest: vec![None, None],
            dt_value: 1e-4,
        };
        let lets = update(&sys, &triangular_order(&sys.m).expect("triangular")).expect("few paths");
        assert!(lets.iter().all(|(name, _)| !name.starts_with("__exact_b")));
        check(
            &[vec![-100.0, 7.0], vec![0.0, -300.0]],
            &[0.0, 0.0],
            &[0.5, 2.0],
        );
    }

    #[test]
    fn dense_triangles_are_refused_before_the_terms_explode() {
        // A dense upper triangle of n variables has Σ_gap (n - gap) 2^(gap-1) paths: 247 for
        // n = 8 (written out), 65519 for n = 16 (refused).
        let dense = |n: usize| {
            let names: Vec<String> = (0..n).map(|k| format!("x{k}")).collect();
            let m = (0..n)
                .map(|k| {
                    (0..n)
                        .map(|j| (j >= k).then(|| var(&format!("a{k}_{j}"))))
                        .collect()
                })
                .collect();
            (names, m)
        };
        let (names, m) = dense(8);
        let sys = System {
            names: &names,
            m,
            rest: vec![None; 8],
            dt_value: 1e-4,
        };
        let order = triangular_order(&sys.m).expect("triangular");
        assert_eq!(coupling_paths(&sys, &order), 247);
        assert!(update(&sys, &order).is_ok());
        let (names, m) = dense(16);
        let sys = System {
            names: &names,
            m,
            rest: vec![None; 16],
            dt_value: 1e-4,
        };
        let order = triangular_order(&sys.m).expect("triangular");
        let err = update(&sys, &order).expect_err("too many paths");
        assert!(err.contains("65519 coupling paths"), "{err}");
    }

    #[test]
    fn cycle_is_reported_with_its_variables() {
        let some = Some(c(1.0));
        let m = vec![
            vec![some.clone(), None, some.clone()],
            vec![some.clone(), some.clone(), None],
            vec![None, some.clone(), some.clone()],
        ];
        // x0 depends on x2, x2 on x1, x1 on x0.
        assert_eq!(triangular_order(&m), Err(vec![0, 2, 1, 0]));
    }
}

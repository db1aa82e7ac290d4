//! `connect()` with the generator syntax (`j='k for k in range(i-3, i+4) if i != k'`,
//! `sample(N_post, p=...)`, `'EXPR if COND'`, `i='...'` over targets): the generator is checked
//! against a scope with its loop variable and evaluated per presynaptic (or postsynaptic) neuron
//! by `connect`'s small scalar evaluator, in Brian2's order. Split from `connect.rs`, which
//! handles the other forms and calls [`Network::connect_generator`].

use super::connect::eval;
use super::network::Network;
use crate::check::hir::{HExpr, Side, Special, VarFlags, VarKind, VarRef, VarType, Variable};
use crate::check::{self, Expect, Namespace};
use crate::diagnostics::Diagnostic;
use crate::runtime::rng;
use crate::syntax::ast::{self, GeneratorIter};
use crate::units::Dimension;

impl Network {
    pub(super) fn connect_generator(
        &mut self,
        k: usize,
        g: &ast::Generator,
        over_j: bool,
        skip_if_invalid: bool,
        n: usize,
        ns: &Namespace,
    ) -> Result<Vec<(u32, u32)>, Vec<Diagnostic>> {
        let vars = self.scope_vars(k);
        let loop_var = vec![Variable {
            name: g.var.name.clone(),
            dim: Dimension::DIMENSIONLESS,
            ty: VarType::Integer,
            kind: VarKind::Parameter,
            flags: VarFlags::default(),
            span: Some(g.var.span),
        }];
        let scope = vars.scope(&loop_var, ns);
        let mut diags = Vec::new();
        let mut extra = Vec::new();
        let mut chk = |e: &ast::Expr, expect: Expect, what: &str| {
            let (h, d) = check::check_expr(e, &scope, expect, what);
            diags.extend(d);
            h.map(|x| x.0)
        };
        let element = chk(
            &g.element,
            Expect::Dim(Dimension::DIMENSIONLESS),
            "generator expression",
        );
        let cond = g
            .condition
            .as_ref()
            .map(|c| chk(c, Expect::Boolean, "generator condition"));
        let (args, p, size) = match &g.iter {
            GeneratorIter::Range(a) => (
                a.iter()
                    .map(|x| chk(x, Expect::Dim(Dimension::DIMENSIONLESS), "range() argument"))
                    .collect::<Vec<_>>(),
                None,
                None,
            ),
            GeneratorIter::Sample { args, kwargs } => {
                let a = args
                    .iter()
                    .map(|x| {
                        chk(
                            x,
                            Expect::Dim(Dimension::DIMENSIONLESS),
                            "sample() argument",
                        )
                    })
                    .collect::<Vec<_>>();
                let mut p = None;
                let mut size = None;
                for (kname, v) in kwargs {
                    match kname.name.as_str() {
                        "p" => {
                            p = Some(chk(
                                v,
                                Expect::Dim(Dimension::DIMENSIONLESS),
                                "sample() probability",
                            ))
                        }
                        "size" => {
                            size = Some(chk(
                                v,
                                Expect::Dim(Dimension::DIMENSIONLESS),
                                "sample() size",
                            ))
                        }
                        other => extra.push(Diagnostic::error(
                            format!("sample() got an unexpected keyword argument '{other}'"),
                            kname.span,
                        )),
                    }
                }
                if p.is_some() == size.is_some() {
                    extra.push(Diagnostic::error(
                        "sample() needs exactly one of p= or size=",
                        g.span,
                    ));
                }
                (a, p, size)
            }
        };
        diags.extend(extra);
        let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        if args.is_empty() || args.len() > 3 {
            return Err(vec![Diagnostic::error(
                "range()/sample() take 1 to 3 positional arguments",
                g.span,
            )]);
        }
        let unwrap = |x: Option<HExpr>| x.unwrap_or(HExpr::Const(0.0));
        let args: Vec<HExpr> = args.into_iter().map(unwrap).collect();
        let element = unwrap(element);
        let cond = cond.map(unwrap);
        let p = p.map(unwrap);
        let size = size.map(unwrap);
        let s = &self.synapses[k];
        let (src, tgt) = if over_j {
            (s.source, s.target)
        } else {
            (s.target, s.source)
        };
        let object = rng::name_hash(&format!("{}.connect.{}", s.name, s.connect_calls));
        let existing = s.len() as f64;
        let mut pairs = Vec::new();
        let cols = &self.columns;
        let (outer_group, inner_group) = (&self.groups[src.group], &self.groups[tgt.group]);
        for a in 0..src.len() {
            let abs = a + src.start;
            // Values visible to the generator: the outer index, the loop variable, the outer
            // neuron's variables, N_pre and N_post.
            let env = |e: &HExpr, kv: f64, inner: Option<usize>| -> Option<f64> {
                match e {
                    HExpr::Special(Special::I) => {
                        Some(if over_j { a as f64 } else { inner? as f64 })
                    }
                    HExpr::Special(Special::J) => {
                        Some(if over_j { inner? as f64 } else { a as f64 })
                    }
                    HExpr::Special(Special::N) => Some(existing),
                    HExpr::Special(Special::NPre) => {
                        Some(if over_j { src.len() } else { tgt.len() } as f64)
                    }
                    HExpr::Special(Special::NPost) => {
                        Some(if over_j { tgt.len() } else { src.len() } as f64)
                    }
                    HExpr::Var(VarRef {
                        side: Side::Own, ..
                    }) => Some(kv),
                    HExpr::Var(VarRef { name, side }) => {
                        let outer_side = if over_j { Side::Pre } else { Side::Post };
                        if *side == outer_side {
                            let c = outer_group.column(name)?;
                            cols[c].get(abs).copied()
                        } else {
                            let c = inner_group.column(name)?;
                            cols[c].get(inner? + tgt.start).copied()
                        }
                    }
                    _ => None,
                }
            };
            let ev = |e: &HExpr, kv: f64, inner: Option<usize>| {
                eval(e, &|x| env(x, kv, inner), &mut || f64::NAN)
            };
            if a == 0 && !over_j {
                if let Some(x) = args.iter().find(|x| {
                    crate::integrate::algebra::any(x, &|n| matches!(n, HExpr::Special(Special::J)))
                }) {
                    let _ = x;
                    return Err(vec![Diagnostic::error(
                        "the range of a generator over i may not depend on j (Brian2: \"depends on presynaptic index or iterator\")",
                        g.span,
                    )]);
                }
            }
            let bounds: Vec<f64> = args.iter().map(|x| ev(x, 0.0, None)).collect();
            let (lo, hi, step) = match bounds.as_slice() {
                [h] => (0.0, *h, 1.0),
                [l, h] => (*l, *h, 1.0),
                [l, h, st] => (*l, *h, *st),
                _ => (0.0, 0.0, 1.0),
            };
            if step == 0.0 || !lo.is_finite() || !hi.is_finite() {
                return Err(vec![Diagnostic::error(
                    "range() arguments must be finite and the step nonzero",
                    g.span,
                )]);
            }
            let mut candidates: Vec<f64> = Vec::new();
            let mut x = lo.trunc();
            while (step > 0.0 && x < hi) || (step < 0.0 && x > hi) {
                candidates.push(x);
                x += step.trunc();
                if candidates.len() > 1 << 28 {
                    return Err(vec![Diagnostic::error(
                        "the generator produces too many values",
                        g.span,
                    )]);
                }
            }
            if let Some(pe) = &p {
                let pv = ev(pe, 0.0, None);
                candidates.retain(|&c| rng::uniform(self.seed, object, a as u64, c as u64, 0) < pv);
            } else if let Some(se) = &size {
                let want = ev(se, 0.0, None).max(0.0) as usize;
                if want > candidates.len() {
                    return Err(vec![Diagnostic::error(
                        format!("cannot sample {want} values from {}", candidates.len()),
                        g.span,
                    )]);
                }
                // Partial Fisher–Yates with keyed draws, then back to ascending order.
                for t in 0..want {
                    let u = rng::uniform(self.seed, object, a as u64, t as u64, 1);
                    let r = t
                        + ((u * (candidates.len() - t) as f64) as usize)
                            .min(candidates.len() - t - 1);
                    candidates.swap(t, r);
                }
                candidates.truncate(want);
                candidates.sort_by(|x, y| x.total_cmp(y));
            }
            for kv in candidates {
                // The condition sees the outer index and the loop variable only, and is tested
                // before the generated index is validated (Brian2's order).
                if let Some(c) = &cond {
                    if ev(c, kv, None) == 0.0 {
                        continue;
                    }
                }
                let target = ev(&element, kv, None);
                if target.fract() != 0.0 || !target.is_finite() {
                    return Err(vec![Diagnostic::error(
                        format!("the generator produced the non-integer index {target}"),
                        g.span,
                    )]);
                }
                let t = target as i64;
                if t < 0 || t as usize >= tgt.len() {
                    if skip_if_invalid {
                        continue;
                    }
                    return Err(vec![Diagnostic::error(
                        format!(
                            "index {} outside allowed range from 0 to {}",
                            t,
                            tgt.len() - 1
                        ),
                        g.element.span,
                    )
                    .with_note("use skip_if_invalid=True to skip such indices")]);
                }
                for _ in 0..n {
                    let (pi, pj) = if over_j {
                        (abs, t as usize + tgt.start)
                    } else {
                        (t as usize + tgt.start, abs)
                    };
                    pairs.push((pi as u32, pj as u32));
                }
            }
        }
        Ok(pairs)
    }
}

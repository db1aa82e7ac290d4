//! Setting state variables from code strings (`G.v = 'rand()'`, `S.w['i > j'] = '...'`): the
//! expression is checked against the object's variables and the script's constants at that
//! moment, compiled to a one-off kernel and run over the chosen elements.

use super::kernels::{self, Bound, ScalarEnv};
use super::network::Network;
use super::syn_kernels;
use crate::check::hir::{CheckedModel, HExpr, Side, VarRef, VarType};
use crate::check::{self, Expect, Namespace, Owner, Scope};
use crate::diagnostics::Diagnostic;
use crate::lower::build::KernelBuilder;
use crate::lower::ir::{Domain, Expr};
use crate::monitor::Source;
use crate::runtime::rng;
use crate::syntax::ast;

impl Network {
    /// Evaluates `expr` per element into `var`, optionally only where `cond` holds, and only
    /// for `indices` if given. `ns` holds the script's constants now. `subgroup`: the neurons
    /// `start..stop` of a group's subgroup that the assignment was made on (`G[2:].v = 'i'`),
    /// whose `i` counts from 0 at `start` and whose `N` is `stop - start`, as in Brian2; the
    /// `indices` are still the group's.
    pub fn set_from_expr(
        &mut self,
        source: Source,
        var: &str,
        (expr, cond): (&ast::Expr, Option<&ast::Expr>),
        indices: Option<&[u32]>,
        subgroup: Option<(usize, usize)>,
        ns: &Namespace,
    ) -> Result<(), Vec<Diagnostic>> {
        self.note_write(source, var);
        let model = CheckedModel::default();
        let (vars, owner, name, n) = match source {
            Source::Group(g) => {
                let g = &self.groups[g];
                (&g.variables, Owner::NeuronGroup, g.name.clone(), g.n)
            }
            Source::Synapses(s) => {
                let s = &self.synapses[s];
                (
                    &s.variables,
                    Owner::Synapses {
                        pre: &self.groups[s.source.group].variables,
                        post: &self.groups[s.target.group].variables,
                    },
                    s.name.clone(),
                    s.len(),
                )
            }
        };
        let k = vars.iter().position(|v| v.name == var).ok_or_else(|| {
            vec![Diagnostic::error(
                format!("could not find a state variable with name '{var}'"),
                expr.span,
            )]
        })?;
        let ty = vars[k].ty;
        let scope = Scope {
            own: vars,
            subexpressions: &model.subexpressions,
            owner,
            ns,
        };
        let expect = match ty {
            VarType::Boolean => Expect::Boolean,
            _ => Expect::Dim(vars[k].dim),
        };
        let (value, mut diags) =
            check::check_expr(expr, &scope, expect, &format!("initialisation of {var}"));
        let cond_h: Option<HExpr> = match cond {
            Some(c) => {
                let (h, d) = check::check_expr(c, &scope, Expect::Boolean, "condition");
                diags.extend(d);
                h.map(|x| x.0)
            }
            None => None,
        };
        let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
        let Some((value, _, _)) = value else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // A shared variable has one cell: its value is computed once, from shared values only
        // (Brian2: "Cannot write to scalar variable ... referring to vector variable").
        let shared = vars[k].flags.shared;
        if shared && !crate::check::hir::is_scalar(&value, vars, &[]) {
            return Err(vec![Diagnostic::error(
                format!("cannot write to shared variable '{var}' with an expression that has one value per element"),
                expr.span,
            )
            .with_label("uses i, j, rand(), randn(), a per-element variable or another group's variable")]);
        }
        if shared && cond.is_some() {
            return Err(vec![Diagnostic::error(
                format!("shared variable '{var}' has one value: set it without a condition"),
                expr.span,
            )]);
        }
        let indices = if shared { None } else { indices };
        self.init_counter += 1;
        let object = rng::name_hash(&format!("{name}.init.{}", self.init_counter));
        let domain = if indices.is_some() {
            Domain::List
        } else {
            Domain::Range
        };
        let target = VarRef {
            name: var.to_string(),
            side: Side::Own,
        };
        let built = match source {
            Source::Group(g) => {
                let g = &self.groups[g];
                let resolve = kernels::group_resolver(g);
                let mut b = KernelBuilder::new(
                    &format!("{name}.{var}.init"),
                    domain,
                    object,
                    false,
                    &resolve,
                );
                if subgroup.is_some() {
                    b.for_subgroup();
                }
                // A string sets an `(unless refractory)` variable only outside the refractory
                // period (Brian2's `group_variable_set` templates write conditionally).
                let guard = kernels::refractory_guard(g);
                b.guard_writes(&guard);
                store_init(&mut b, &target, ty, &value, cond_h.as_ref()).map(|_| b.finish())
            }
            Source::Synapses(s) => {
                let s = &self.synapses[s];
                let (src, tgt) = (&self.groups[s.source.group], &self.groups[s.target.group]);
                let resolve = syn_kernels::syn_resolver(s, src, tgt);
                let mut b = KernelBuilder::new(
                    &format!("{name}.{var}.init"),
                    domain,
                    object,
                    true,
                    &resolve,
                );
                store_init(&mut b, &target, ty, &value, cond_h.as_ref()).map(|_| b.finish())
            }
        };
        let (kernel, cols) = built.map_err(|e| vec![Diagnostic::error(e.0, expr.span)])?;
        let bound: Bound = self.bind(kernel, cols)?;
        // The object's own clock: its `t` and `dt`, as Brian2 evaluates the string.
        let clock = self.clock_now(self.source_dt(source));
        let mut env = ScalarEnv {
            t: clock.t(),
            dt: clock.dt,
            n: n as f64,
            step: clock.step,
            ..ScalarEnv::default()
        };
        if let (Source::Group(_), Some((start, stop))) = (source, subgroup) {
            env.n = stop.saturating_sub(start) as f64;
            env.i_offset = start as f64;
        }
        let list = indices.unwrap_or(&[]);
        let range = match indices {
            Some(_) => (0, list.len()),
            None if shared => (0, n.min(1)),
            None => (0, n),
        };
        let mut spikes = Vec::new();
        match source {
            Source::Group(_) => {
                kernels::run_bound(
                    &bound,
                    &mut self.columns,
                    &env,
                    self.seed,
                    list,
                    range,
                    &mut spikes,
                );
            }
            Source::Synapses(s) => {
                let syn = &self.synapses[s];
                env.n_pre = syn.source.len() as f64;
                env.n_post = syn.target.len() as f64;
                env.pre_offset = syn.source.start as f64;
                env.post_offset = syn.target.start as f64;
                kernels::run_bound_syn(
                    &bound,
                    &mut self.columns,
                    &env,
                    self.seed,
                    (syn.pre_if(bound.uses_pre), &syn.post),
                    list,
                    range,
                    &mut spikes,
                );
            }
        }
        Ok(())
    }
}

fn store_init(
    b: &mut KernelBuilder,
    target: &VarRef,
    ty: VarType,
    value: &HExpr,
    cond: Option<&HExpr>,
) -> Result<(), crate::lower::build::LowerError> {
    let mut v = b.expr(value)?;
    if let Some(c) = cond {
        let c = b.expr(c)?;
        let old = b.load(target)?;
        v = Expr::Select {
            cond: Box::new(c),
            then: Box::new(crate::lower::build::convert(ty, v)),
            otherwise: Box::new(old),
        };
    }
    b.store(target, ty, v)
}

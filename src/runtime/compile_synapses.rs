//! Compiling a `Synapses` object for a run: its model checked against the script's constants,
//! clock-driven and event-driven equations integrated, pathways, summed variables,
//! `run_regularly` operations and `constant over dt` subexpressions lowered to kernels, and the
//! rows a run finds each neuron's synapses by.

use super::compile::{subexpression_stores, unlinked};
use super::compiled::{CompiledSynapses, Regular, Summed};
use super::kernels;
use super::network::Network;
use super::syn_kernels;
use super::synapses::{PathwaySide, Rows};
use crate::check::hir::{HExpr, VarType};
use crate::check::{self, Namespace, Owner, Scope};
use crate::diagnostics::Diagnostic;
use crate::integrate;
use crate::lower::ir::Domain;
use crate::runtime::rng;

impl Network {
    pub(super) fn compile_synapses(
        &mut self,
        k: usize,
        ns: &Namespace,
    ) -> Result<CompiledSynapses, Vec<Diagnostic>> {
        let s = &self.synapses[k];
        if s.connect_calls == 0 {
            return Err(vec![Diagnostic::error(
                format!(
                    "Synapses object '{}' does not do anything, since it has not created synapses with 'connect'",
                    s.name
                ),
                s.span,
            )
            .with_label("never connected")
            .with_note("did you forget a 'connect' call? (Brian2 stops here too)")]);
        }
        let unlinked = unlinked(&s.variables, &s.columns, s.span);
        if !unlinked.is_empty() {
            return Err(unlinked);
        }
        let source = &self.groups[s.source.group];
        let target = &self.groups[s.target.group];
        let owner = Owner::Synapses {
            pre: &source.variables,
            post: &target.variables,
        };
        let (model, mut diags) = check::check_model(&s.model, &owner, ns, false);
        let Some(model) = model else {
            return Err(diags.into_iter().filter(|d| d.is_error()).collect());
        };
        let span = s.span;
        let errors_of = |d: &[Diagnostic]| -> Vec<Diagnostic> {
            d.iter().filter(|x| x.is_error()).cloned().collect()
        };
        // Clock-driven and event-driven equations are integrated separately.
        let is_event = |name: &str| model.var(name).is_some_and(|v| v.flags.event_driven);
        let mut clock = model.clone();
        clock.diff_eqs.retain(|e| !is_event(&e.var));
        let mut event = model.clone();
        event.diff_eqs.retain(|e| is_event(&e.var));
        let to_diag = |e: integrate::IntegrationError| vec![Diagnostic::error(e.to_string(), span)];
        let dt = self.synapses_dt(k);
        let update = if clock.diff_eqs.is_empty() {
            None
        } else {
            Some(match s.method {
                Some(m) => integrate::integrate(&clock, m, dt, false).map_err(to_diag)?,
                None => {
                    integrate::integrate_default(&clock, dt, false)
                        .map_err(to_diag)?
                        .1
                }
            })
        };
        let event_update = if event.diff_eqs.is_empty() {
            None
        } else {
            Some(
                integrate::integrate(&event, integrate::Method::Exact, dt, false).map_err(|_| {
                    vec![Diagnostic::error(
                        "cannot solve the differential equations as event-driven; use (clock-driven) instead",
                        span,
                    )]
                })?,
            )
        };
        let scope = Scope {
            own: &model.variables,
            subexpressions: &model.subexpressions,
            owner: Owner::Synapses {
                pre: &source.variables,
                post: &target.variables,
            },
            ns,
        };
        let mut codes = Vec::new();
        for p in &s.pathways {
            let what = match p.side {
                PathwaySide::Pre => "on_pre",
                PathwaySide::Post => "on_post",
            };
            let (c, d) = check::check_code(&p.code, &scope, what, false);
            diags.extend(d);
            codes.push(c);
        }
        let mut regular_codes = Vec::new();
        for op in &s.regular {
            let (c, d) = check::check_code(&op.code, &scope, "run_regularly code", true);
            diags.extend(d);
            // Per-synapse writes to neurons would race between the synapses of one neuron
            // in Brian2's numpy target and are not needed by any model we know of.
            if let Some(c) = &c {
                for st in &c.statements {
                    if let crate::check::hir::Target::Var(r, _) = &st.target {
                        if r.side != crate::check::hir::Side::Own {
                            diags.push(
                                Diagnostic::error(
                                    "not supported yet: writing a neuron's variable in a Synapses run_regularly",
                                    st.span,
                                )
                                .with_label("only the synapses' own variables can be written here"),
                            );
                        }
                    }
                }
            }
            regular_codes.push(c.unwrap_or_default());
        }
        let errors = errors_of(&diags);
        if !errors.is_empty() {
            return Err(errors);
        }
        self.notes
            .extend(diags.into_iter().filter(|d| !d.is_error()));
        let object = rng::name_hash(&s.name);
        let internal = |e: crate::lower::build::LowerError| vec![Diagnostic::error(e.0, span)];
        let update_ir = match &update {
            Some(u) => {
                Some(syn_kernels::state_update(s, source, target, u, object).map_err(internal)?)
            }
            None => None,
        };
        let mut path_irs = Vec::new();
        for (p, code) in s.pathways.iter().zip(&codes) {
            let name = match p.side {
                PathwaySide::Pre => "pre",
                PathwaySide::Post => "post",
            };
            let code = code.clone().unwrap_or_default();
            path_irs.push(
                syn_kernels::pathway(
                    s,
                    source,
                    target,
                    name,
                    event_update.as_ref(),
                    &code,
                    object ^ rng::name_hash(name),
                )
                .map_err(internal)?,
            );
        }
        // `constant over dt` subexpressions: stored per synapse at the start of each step.
        let constant = model.subexpressions.iter().filter(|sub| {
            model
                .var(&sub.name)
                .is_some_and(|v| v.flags.constant_over_dt)
        });
        let code = subexpression_stores(&model, constant, span);
        let subexpr_ir = if code.statements.is_empty() {
            None
        } else {
            let salt = object ^ rng::name_hash("subexpression_update");
            let (mut kir, cols) =
                syn_kernels::pathway(s, source, target, "subexpression_update", None, &code, salt)
                    .map_err(internal)?;
            kir.domain = Domain::Range;
            Some((kir, cols))
        };
        let mut regular_irs = Vec::new();
        for (n, code) in regular_codes.iter().enumerate() {
            let (shared, each) =
                kernels::split_shared(code, &model.variables).map_err(|d| vec![d])?;
            let salt = object ^ rng::name_hash(&format!("run_regularly_{n}"));
            let name = format!("run_regularly_{n}");
            let build = |code: &crate::check::hir::CheckedCode, name: &str| {
                if code.statements.is_empty() {
                    return Ok(None);
                }
                let (mut kir, cols) =
                    syn_kernels::pathway(s, source, target, name, None, code, salt)
                        .map_err(internal)?;
                kir.domain = Domain::Range;
                Ok::<_, Vec<Diagnostic>>(Some((kir, cols)))
            };
            let shared = build(&shared, &format!("{name}.shared"))?;
            let each = build(&each, &name)?;
            regular_irs.push((shared, each));
        }
        let mut summed_irs = Vec::new();
        for sub in model.subexpressions.iter() {
            let is_summed = model.var(&sub.name).is_some_and(|v| v.flags.summed);
            if !is_summed {
                continue;
            }
            let (tname, side, tgroup, trange) = if let Some(n) = sub.name.strip_suffix("_post") {
                (
                    n,
                    crate::check::hir::Side::Post,
                    target,
                    (s.target.start, s.target.stop),
                )
            } else if let Some(n) = sub.name.strip_suffix("_pre") {
                (
                    n,
                    crate::check::hir::Side::Pre,
                    source,
                    (s.source.start, s.source.stop),
                )
            } else {
                return Err(vec![Diagnostic::error(
                    format!(
                        "summed variable '{}' must end in '_pre' or '_post'",
                        sub.name
                    ),
                    span,
                )]);
            };
            let which = if side == crate::check::hir::Side::Post {
                "target"
            } else {
                "source"
            };
            let Some(tcol) = tgroup.column(tname) else {
                return Err(vec![Diagnostic::error(
                    format!("the summed variable '{}' needs a corresponding parameter '{tname}' in the {which} group", sub.name),
                    span,
                )]);
            };
            let code = crate::check::hir::CheckedCode {
                statements: vec![crate::check::hir::HStatement {
                    target: crate::check::hir::Target::Var(
                        crate::check::hir::VarRef {
                            name: tname.to_string(),
                            side,
                        },
                        VarType::Float,
                    ),
                    value: HExpr::Binary(
                        crate::check::hir::BinOp::Add,
                        Box::new(HExpr::Var(crate::check::hir::VarRef {
                            name: tname.to_string(),
                            side,
                        })),
                        Box::new(sub.expr.clone()),
                    ),
                    span,
                }],
            };
            let (mut kir, cols) = syn_kernels::pathway(
                s,
                source,
                target,
                &format!("summed_{tname}"),
                None,
                &code,
                object,
            )
            .map_err(internal)?;
            kir.domain = Domain::Range;
            let tgroup_index = if side == crate::check::hir::Side::Post {
                s.target.group
            } else {
                s.source.group
            };
            summed_irs.push((kir, cols, tcol, trange, (tgroup_index, sub.name.clone())));
        }
        // Rows only for the sides some pathway propagates from (each is 4 bytes per synapse
        // plus a scatter over all of them).
        let has = |side| s.pathways.iter().any(|p| p.side == side);
        let rows = |keys: &[u32], n, needed: bool| {
            if needed {
                Rows::build(keys, n)
            } else {
                Rows::default()
            }
        };
        let by_pre = match &s.pre_starts {
            // Kept by `connect`: no scan, and `pre` need not be made.
            Some(starts) if has(PathwaySide::Pre) => Rows::in_order(starts.clone(), source.n),
            _ if has(PathwaySide::Pre) => Rows::build(s.pre(), source.n),
            _ => Rows::default(),
        };
        let by_post = rows(&s.post, target.n, has(PathwaySide::Post));
        let update = match update_ir {
            Some((k2, c)) => Some(self.bind(k2, c)?),
            None => None,
        };
        let mut pathways = Vec::new();
        for (kir, c) in path_irs {
            pathways.push(self.bind(kir, c)?);
        }
        let mut summed = Vec::new();
        for (kir, c, column, range, (group, name)) in summed_irs {
            summed.push(Summed {
                kernel: self.bind(kir, c)?,
                column,
                range,
                group,
                name,
            });
        }
        let mut regular = Vec::new();
        for (shared, each) in regular_irs {
            regular.push(Regular {
                shared: self.bind_opt(shared)?,
                each: self.bind_opt(each)?,
            });
        }
        let subexpressions = self.bind_opt(subexpr_ir)?;
        let mut delays = Vec::new();
        for p in 0..self.synapses[k].pathways.len() {
            let d = self.delays_of(k, p);
            let max = d.iter().copied().max().unwrap_or(0);
            self.synapses[k].pathways[p].ensure_capacity(max);
            delays.push(d);
        }
        Ok(CompiledSynapses {
            update,
            pathways,
            delays,
            by_pre,
            by_post,
            summed,
            regular,
            subexpressions,
        })
    }
}

//! Compiling a network's objects for a run: check each model against the script's constants,
//! integrate, lower to kernels and hand them to the backend.

use super::compiled::{CompiledGroup, CompiledSynapses, Regular};
use super::group::Refractory;
use super::kernels::{self, Bound, RefractoryCode};
use super::network::Network;
use crate::check::hir::{CheckedModel, HExpr, VarType};
use crate::check::{self, Expect, Namespace, Owner, Scope};
use crate::diagnostics::Diagnostic;
use crate::integrate;
use crate::lower::ir::{self, Domain};
use crate::runtime::rng;
use crate::units::Dimension;

impl Network {
    /// Compiles every group and synapse object; collects the diagnostics of all of them.
    pub(crate) fn compile_all(
        &mut self,
        ns: &Namespace,
    ) -> Result<(Vec<CompiledGroup>, Vec<CompiledSynapses>), Vec<Diagnostic>> {
        // The step loop keeps each table's current row for the default clock: objects that run
        // on another clock look `ta(t)` up at their own time. A synapse's pathways run on their
        // source's clock and its summed variables on their target's.
        let dt = self.dt;
        let on_default: Vec<bool> = self
            .groups
            .iter()
            .map(|g| g.dt.is_none_or(|d| d == dt))
            .collect();
        for g in self.groups.iter_mut() {
            g.table_columns = self.table_columns.clone();
            g.table_rows = g.dt.is_none_or(|d| d == dt);
        }
        for s in self.synapses.iter_mut() {
            s.table_columns = self.table_columns.clone();
            s.table_rows = s.dt.is_none_or(|d| d == dt)
                && on_default[s.source.group]
                && on_default[s.target.group];
        }
        let mut errors = Vec::new();
        let mut groups = Vec::new();
        for k in 0..self.groups.len() {
            match self.compile_group(k, ns) {
                Ok(c) => groups.push(c),
                Err(d) => errors.extend(d),
            }
        }
        let mut synapses = Vec::new();
        for k in 0..self.synapses.len() {
            match self.compile_synapses(k, ns) {
                Ok(c) => synapses.push(c),
                Err(d) => errors.extend(d),
            }
        }
        if errors.is_empty() {
            Ok((groups, synapses))
        } else {
            Err(errors)
        }
    }

    fn compile_group(
        &mut self,
        k: usize,
        ns: &Namespace,
    ) -> Result<CompiledGroup, Vec<Diagnostic>> {
        let g = &self.groups[k];
        // As Brian2 at run time: every linked variable needs its link.
        let unlinked = unlinked(&g.variables, &g.columns, g.span);
        if !unlinked.is_empty() {
            return Err(unlinked);
        }
        let has_ref = !matches!(g.refractory, Refractory::None);
        let (model, mut diags) = check::check_model(&g.model, &Owner::NeuronGroup, ns, has_ref);
        let Some(model) = model else {
            return Err(diags.into_iter().filter(|d| d.is_error()).collect());
        };
        let scope = Scope {
            own: &model.variables,
            subexpressions: &model.subexpressions,
            owner: Owner::NeuronGroup,
            ns,
        };
        let mut errors: Vec<Diagnostic> = Vec::new();
        let threshold = match &g.threshold {
            Some(th) => {
                let (h, d) = check::check_expr(th, &scope, Expect::Boolean, "threshold condition");
                diags.extend(d);
                h.map(|x| x.0)
            }
            None => None,
        };
        if let Some(th) = &threshold {
            errors.extend(self.threshold_link_order(k, &model, th));
        }
        let refractory = match &g.refractory {
            Refractory::None => RefractoryCode::None,
            Refractory::Time(p) => RefractoryCode::Period(HExpr::Const(*p)),
            Refractory::Expr(e) => {
                let (h, d) = check::check_expr(e, &scope, Expect::Any, "refractory expression");
                diags.extend(d);
                match h {
                    Some((h, _, VarType::Boolean)) => RefractoryCode::Condition(h),
                    Some((h, dim, _)) if dim == Dimension::base(crate::units::BaseDim::Time) => {
                        RefractoryCode::Period(h)
                    }
                    Some(_) => {
                        errors.push(
                            Diagnostic::error(
                                "refractory expression is neither a time span nor a boolean value",
                                e.span,
                            )
                            .with_label("expected a unit of second or a boolean condition"),
                        );
                        RefractoryCode::None
                    }
                    None => RefractoryCode::None,
                }
            }
        };
        let reset = match &g.reset {
            Some(code) => {
                let (h, d) = check::check_code(code, &scope, "reset", false);
                diags.extend(d);
                h
            }
            None => None,
        };
        let mut regular = Vec::new();
        for op in &g.regular {
            let (h, d) = check::check_code(&op.code, &scope, "run_regularly code", true);
            diags.extend(d);
            regular.push((h, op.dt));
        }
        // Custom events: their conditions (boolean, as thresholds) and actions.
        let mut events = Vec::new();
        for ev in &g.events {
            let what = format!("condition of event '{}'", ev.name);
            let (h, d) = check::check_expr(&ev.condition, &scope, Expect::Boolean, &what);
            diags.extend(d);
            let mut actions = Vec::new();
            for (code, _, _) in &ev.actions {
                let what = format!("code run on event '{}'", ev.name);
                let (h, d) = check::check_code(code, &scope, &what, false);
                diags.extend(d);
                actions.push(h.unwrap_or_default());
            }
            events.push((h.map(|x| x.0), actions));
        }
        let weights = self.check_poisson_weights(k, &scope, &mut diags);
        errors.extend(diags.iter().filter(|d| d.is_error()).cloned());
        if !errors.is_empty() {
            return Err(errors);
        }
        self.notes
            .extend(diags.into_iter().filter(|d| !d.is_error()));
        let dt = self.group_dt(k);
        let (method, update) = match g.method {
            Some(m) => (
                m,
                integrate::integrate(&model, m, dt, has_ref)
                    .map_err(|e| vec![Diagnostic::error(e.to_string(), g.span)])?,
            ),
            None => {
                let (m, u) = integrate::integrate_default(&model, dt, has_ref)
                    .map_err(|e| vec![Diagnostic::error(e.to_string(), g.span)])?;
                if !model.diff_eqs.is_empty() {
                    self.notes.push(Diagnostic::note(
                        format!(
                            "no numerical integration method specified for group '{}', using method '{}'",
                            g.name,
                            m.name()
                        ),
                        Some(g.span),
                    ));
                }
                (m, u)
            }
        };
        let _ = (method, CheckedModel::default());
        let object = rng::name_hash(&g.name);
        let internal = |e: crate::lower::build::LowerError| vec![Diagnostic::error(e.0, g.span)];
        let (step_ir, step_cols) =
            kernels::state_and_threshold(g, &update, &refractory, threshold.as_ref(), object)
                .map_err(internal)?;
        let reset_ir = match &reset {
            Some(code) if g.threshold.is_some() => Some(
                kernels::code_kernel(
                    g,
                    &format!("{}.reset", g.name),
                    code,
                    (Domain::List, false),
                    object ^ 0x5eed,
                )
                .map_err(internal)?,
            ),
            _ => None,
        };
        // Subexpressions are stored when they are `constant over dt`, at the start of each step
        // (other expressions then read the stored value), and when a StateMonitor records
        // them, right before it records (Brian2 evaluates them there).
        let recorded: Vec<String> = self
            .monitors
            .iter()
            .filter_map(|m| match m {
                crate::monitor::Monitor::State(sm)
                    if sm.source == crate::monitor::Source::Group(k) =>
                {
                    Some(sm.variables.clone())
                }
                _ => None,
            })
            .flatten()
            .collect();
        let spike_recorded: Vec<String> = self
            .monitors
            .iter()
            .filter_map(|m| match m {
                crate::monitor::Monitor::Spike(sm) if sm.source == k => Some(sm.variables.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        let constant = |name: &str| model.var(name).is_some_and(|v| v.flags.constant_over_dt);
        let stored: Vec<&crate::check::hir::SubExpr> = model
            .subexpressions
            .iter()
            .filter(|s| constant(&s.name))
            .collect();
        let recorded: Vec<&crate::check::hir::SubExpr> = model
            .subexpressions
            .iter()
            .filter(|s| recorded.contains(&s.name) && !constant(&s.name))
            .collect();
        let subexpr_kernel = |subs: &[&crate::check::hir::SubExpr], name: &str, domain, salt| {
            let code = subexpression_stores(&model, subs.iter().copied(), g.span);
            kernels::code_kernel(
                g,
                &format!("{}.{name}", g.name),
                &code,
                (domain, false),
                object ^ salt,
            )
            .map_err(internal)
        };
        let subexpr_ir = if stored.is_empty() {
            None
        } else {
            Some(subexpr_kernel(
                &stored,
                "subexpressions",
                Domain::Range,
                0x5ab5,
            )?)
        };
        let recorded_ir = if recorded.is_empty() {
            None
        } else {
            Some(subexpr_kernel(
                &recorded,
                "recorded_subexpressions",
                Domain::Range,
                0x5ab6,
            )?)
        };
        // Subexpressions a SpikeMonitor records are evaluated again for the spiking neurons
        // after the threshold, where Brian2's monitor reads them (`constant over dt` ones keep
        // the value stored at the start of the step).
        let at_spikes: Vec<&crate::check::hir::SubExpr> = model
            .subexpressions
            .iter()
            .filter(|s| {
                spike_recorded.contains(&s.name)
                    && !model.var(&s.name).is_some_and(|v| v.flags.constant_over_dt)
            })
            .collect();
        let spike_subexpr_ir = if at_spikes.is_empty() {
            None
        } else {
            Some(subexpr_kernel(
                &at_spikes,
                "spike_subexpressions",
                Domain::List,
                0x5b5b,
            )?)
        };
        let mut regular_irs = Vec::new();
        for (n, (code, _)) in regular.iter().enumerate() {
            let code = code.clone().unwrap_or_default();
            let (shared, each) = kernels::split_shared(&code, &g.variables).map_err(|d| vec![d])?;
            let salt = object ^ rng::name_hash(&format!("run_regularly_{n}"));
            let name = format!("{}.run_regularly_{n}", g.name);
            let shared = if shared.statements.is_empty() {
                None
            } else {
                let name = format!("{name}.shared");
                Some(
                    kernels::code_kernel(g, &name, &shared, (Domain::Range, true), salt)
                        .map_err(internal)?,
                )
            };
            let each = if each.statements.is_empty() {
                None
            } else {
                Some(
                    kernels::code_kernel(g, &name, &each, (Domain::Range, true), salt)
                        .map_err(internal)?,
                )
            };
            regular_irs.push((shared, each));
        }
        let mut event_irs = Vec::new();
        for (e, (cond, actions)) in events.iter().enumerate() {
            let name = &g.events[e].name;
            let salt = rng::name_hash(&format!("event_{name}"));
            let detect = match cond {
                Some(c) => {
                    kernels::event_kernel(g, &format!("{}.{name}", g.name), c, object ^ salt)
                        .map_err(internal)?
                }
                None => continue,
            };
            let mut action_irs = Vec::new();
            for (a, code) in actions.iter().enumerate() {
                action_irs.push(
                    kernels::code_kernel(
                        g,
                        &format!("{}.on_{name}_{a}", g.name),
                        code,
                        (Domain::List, false),
                        object ^ salt ^ (a as u64 + 1),
                    )
                    .map_err(internal)?,
                );
            }
            event_irs.push((detect, action_irs));
        }
        let mut weight_irs = Vec::new();
        for (j, column, h) in weights {
            weight_irs.push((
                j,
                self.poisson_weight_kernel(k, j, column, &h)
                    .map_err(internal)?,
            ));
        }
        let step = self.bind(step_ir, step_cols)?;
        let reset = self.bind_opt(reset_ir)?;
        let subexpressions = self.bind_opt(subexpr_ir)?;
        let recorded_subexpressions = self.bind_opt(recorded_ir)?;
        let spike_subexpressions = self.bind_opt(spike_subexpr_ir)?;
        let mut regular = Vec::new();
        for (shared, each) in regular_irs {
            regular.push(Regular {
                shared: self.bind_opt(shared)?,
                each: self.bind_opt(each)?,
            });
        }
        let mut poisson_weights = Vec::new();
        for (j, (k, c)) in weight_irs {
            poisson_weights.push((j, self.bind(k, c)?));
        }
        let mut events = Vec::new();
        for ((k, c), actions) in event_irs {
            let detect = self.bind(k, c)?;
            let mut bound = Vec::new();
            for (k, c) in actions {
                bound.push(self.bind(k, c)?);
            }
            events.push((detect, bound));
        }
        Ok(CompiledGroup {
            step,
            lean_step: None,
            reset,
            subexpressions,
            recorded_subexpressions,
            spike_subexpressions,
            regular,
            poisson_weights,
            events,
        })
    }

    /// A group's update and threshold run as one kernel, at the group's place in Brian2's
    /// order of state updaters. Brian2 runs all updaters before all thresholds, so a threshold
    /// that reads (directly or through a subexpression) a linked variable whose source group
    /// is integrated later in that order would see its value before the update here and after
    /// it in Brian2: refused (an error per such variable).
    fn threshold_link_order(&self, k: usize, model: &CheckedModel, th: &HExpr) -> Vec<Diagnostic> {
        let g = &self.groups[k];
        let key = |name: &str| format!("{name}_stateupdater");
        let mut out = Vec::new();
        for (v, col) in g.variables.iter().zip(&g.columns) {
            let (true, Some(col)) = (v.flags.linked, col) else {
                continue;
            };
            let names: Vec<String> = std::iter::once(v.name.clone())
                .chain(
                    model
                        .subexpressions
                        .iter()
                        .filter(|s| {
                            integrate::algebra::mentions_vars(
                                &s.expr,
                                std::slice::from_ref(&v.name),
                            )
                        })
                        .map(|s| s.name.clone()),
                )
                .collect();
            if !integrate::algebra::mentions_vars(th, &names) {
                continue;
            }
            // The group owning the column, and whether its update changes it.
            let source = self.groups.iter().find_map(|s| {
                let j = s.columns.iter().position(|c| *c == Some(*col))?;
                Some((
                    s,
                    s.variables[j].kind == crate::check::hir::VarKind::Differential,
                ))
            });
            if let Some((s, true)) = source {
                if key(&s.name) > key(&g.name) {
                    out.push(
                        Diagnostic::error(
                            format!(
                                "the threshold of '{}' reads the linked variable '{}', which '{}' updates later in the step: not supported yet",
                                g.name, v.name, s.name
                            ),
                            g.span,
                        )
                        .with_note(
                            "snnc evaluates a group's threshold with its update; Brian2 runs every update first",
                        ),
                    );
                }
            }
        }
        out
    }

    /// [`Network::bind`] of a kernel that may be absent.
    pub(super) fn bind_opt(
        &mut self,
        ir: Option<(ir::Kernel, Vec<usize>)>,
    ) -> Result<Option<Bound>, Vec<Diagnostic>> {
        ir.map(|(k, c)| self.bind(k, c)).transpose()
    }

    pub(crate) fn bind(
        &mut self,
        mut kernel: ir::Kernel,
        columns: Vec<usize>,
    ) -> Result<Bound, Vec<Diagnostic>> {
        if self.fast_math {
            crate::backend::fastmath::fast_kernel(&mut kernel);
        }
        let compiled = self.backend.compile(&kernel).map_err(|e| {
            vec![Diagnostic::error_nospan(format!(
                "internal error while compiling kernel '{}': {e} (please report this)",
                kernel.name
            ))]
        })?;
        Ok(Bound::new(compiled, columns, kernel))
    }
}

/// An error for each linked variable without its link (Brian2 checks at run time).
pub(super) fn unlinked(
    variables: &[crate::check::hir::Variable],
    columns: &[Option<usize>],
    span: crate::source::Span,
) -> Vec<Diagnostic> {
    variables
        .iter()
        .zip(columns)
        .filter(|(v, c)| v.flags.linked && c.is_none())
        .map(|(v, _)| {
            Diagnostic::error(
                format!("link target for variable '{}' has not been set", v.name),
                span,
            )
            .with_note(format!(
                "link it before run(): G.{} = linked_var(H, 'name')",
                v.name
            ))
        })
        .collect()
}

/// Code that stores subexpressions `subs` of `model` in their own columns (each `name = expr`),
/// for `constant over dt` ones and those a monitor records.
pub(super) fn subexpression_stores<'a>(
    model: &CheckedModel,
    subs: impl IntoIterator<Item = &'a crate::check::hir::SubExpr>,
    span: crate::source::Span,
) -> crate::check::hir::CheckedCode {
    let statements = subs
        .into_iter()
        .map(|s| crate::check::hir::HStatement {
            target: crate::check::hir::Target::Var(
                crate::check::hir::VarRef {
                    name: s.name.clone(),
                    side: crate::check::hir::Side::Own,
                },
                model.var(&s.name).map(|v| v.ty).unwrap_or(VarType::Float),
            ),
            value: s.expr.clone(),
            span,
        })
        .collect();
    crate::check::hir::CheckedCode { statements }
}

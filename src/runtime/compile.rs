//! Compiling a network's objects for a run: check each model against the script's constants,
//! integrate, lower to kernels and hand them to the backend.

use super::group::Refractory;
use super::kernels::{self, Bound, RefractoryCode};
use super::network::{CompiledGroup, CompiledSynapses, Network, Regular, Summed};
use super::syn_kernels;
use super::synapses::{PathwaySide, Rows};
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
            let code = crate::check::hir::CheckedCode {
                statements: subs
                    .iter()
                    .map(|s| crate::check::hir::HStatement {
                        target: crate::check::hir::Target::Var(
                            crate::check::hir::VarRef {
                                name: s.name.clone(),
                                side: crate::check::hir::Side::Own,
                            },
                            model.var(&s.name).map(|v| v.ty).unwrap_or(VarType::Float),
                        ),
                        value: s.expr.clone(),
                        span: g.span,
                    })
                    .collect(),
            };
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
    fn bind_opt(
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

    fn compile_synapses(
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
        let constant: Vec<crate::check::hir::HStatement> = model
            .subexpressions
            .iter()
            .filter(|sub| {
                model
                    .var(&sub.name)
                    .is_some_and(|v| v.flags.constant_over_dt)
            })
            .map(|sub| crate::check::hir::HStatement {
                target: crate::check::hir::Target::Var(
                    crate::check::hir::VarRef {
                        name: sub.name.clone(),
                        side: crate::check::hir::Side::Own,
                    },
                    model.var(&sub.name).map(|v| v.ty).unwrap_or(VarType::Float),
                ),
                value: sub.expr.clone(),
                span,
            })
            .collect();
        let subexpr_ir = if constant.is_empty() {
            None
        } else {
            let code = crate::check::hir::CheckedCode {
                statements: constant,
            };
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

/// An error for each linked variable without its link (Brian2 checks at run time).
fn unlinked(
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

//! Building and running the kernels of a neuron group: the fused state-update-and-threshold
//! kernel, the reset kernel and initialisation kernels, from checked HIR.

use crate::backend::{CompiledKernel, KernelData, Stores};
use crate::check::hir::{CheckedCode, HExpr, Side, Target, VarRef, VarType, Variable};
use crate::integrate::StateUpdate;
use crate::lower::build::{bin, KernelBuilder, LowerError, ResolvedVar};
use crate::lower::ir::{self, Domain, Expr, Index, Stmt};
use crate::runtime::group::NeuronGroup;
use ndarray::Array1;

/// A compiled kernel with the global columns it uses and its scalar names.
pub struct Bound {
    /// The compiled code.
    pub kernel: Box<dyn CompiledKernel>,
    /// Global column ids in kernel slot order.
    pub columns: Vec<usize>,
    /// Scalar names in kernel order.
    pub scalars: Vec<String>,
    /// The IR (kept for `--emit ir` and error messages).
    pub ir: ir::Kernel,
    /// The fewest elements a thread's chunk gets ([`super::parallel::min_per_thread`] of
    /// `ir`, computed once here rather than at every step).
    pub min_per_thread: usize,
    /// Whether `ir` reads `pre[e]` (for `Synapses::pre_if`: the column need not be made
    /// for kernels that do not).
    pub uses_pre: bool,
}

impl Bound {
    /// Binds compiled code to global columns; the scalar names are the kernel's.
    pub fn new(kernel: Box<dyn CompiledKernel>, columns: Vec<usize>, ir: ir::Kernel) -> Bound {
        Bound {
            kernel,
            columns,
            scalars: ir.scalars.clone(),
            min_per_thread: super::parallel::min_per_thread(&ir),
            uses_pre: ir.uses_index(ir::Index::Pre),
            ir,
        }
    }

    /// The kernel's scalar inputs, in kernel order, taken from `env`.
    pub fn scalar_values(&self, env: &ScalarEnv) -> Vec<f64> {
        self.scalars.iter().map(|s| env.value(s)).collect()
    }
}

/// Values of the scalar inputs a kernel may ask for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScalarEnv {
    /// Current time (s).
    pub t: f64,
    /// Time step (s).
    pub dt: f64,
    /// Group size (number of synapses for synaptic kernels).
    pub n: f64,
    /// Step counter (also the step part of random keys).
    pub step: u64,
    /// Synapses: size of the source (sub)group.
    pub n_pre: f64,
    /// Synapses: size of the target (sub)group.
    pub n_post: f64,
    /// Synapses: first neuron of the source subgroup (subtracted from `pre[e]` for `i`).
    pub pre_offset: f64,
    /// Synapses: first neuron of the target subgroup.
    pub post_offset: f64,
    /// Connect kernels: the presynaptic index being connected.
    pub i: f64,
    /// Group kernels run for a subgroup: its first neuron (subtracted from `e` for `i`).
    pub i_offset: f64,
}

impl ScalarEnv {
    fn value(&self, name: &str) -> f64 {
        match name {
            "t" => self.t,
            "dt" => self.dt,
            "N" => self.n,
            "t_in_timesteps" => self.step as f64,
            "N_pre" => self.n_pre,
            "N_post" => self.n_post,
            "_pre_offset" => self.pre_offset,
            "_i_offset" => self.i_offset,
            "_post_offset" => self.post_offset,
            "i" => self.i,
            _ => f64::NAN,
        }
    }
}

/// Mutable borrows of several distinct columns, in the order of `ids`.
pub fn borrow_columns<'a>(cols: &'a mut [Array1<f64>], ids: &[usize]) -> Vec<&'a mut [f64]> {
    // Walk the network's columns once in id order, splitting off each wanted one: the cost is
    // the kernel's column count, not the network's (a network of many groups calls many
    // kernels per step).
    let mut order: Vec<(usize, usize)> = ids.iter().enumerate().map(|(k, &id)| (id, k)).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<&'a mut [f64]>> = ids.iter().map(|_| None).collect();
    let mut rest: &'a mut [Array1<f64>] = cols;
    let mut next = 0;
    for (id, k) in order {
        // A repeated id (never made by kernel builders) gets an empty slice below.
        let Some(skip) = id.checked_sub(next) else {
            continue;
        };
        let Some((col, after)) = std::mem::take(&mut rest)
            .get_mut(skip..)
            .and_then(|tail| tail.split_first_mut())
        else {
            break;
        };
        slots[k] = col.as_slice_mut();
        rest = after;
        next = id + 1;
    }
    // Kernel builders list each column once and the runtime only hands out ids it created, so
    // every slot is filled; an empty slice would only make the kernel read nothing.
    slots.into_iter().map(|s| s.unwrap_or_default()).collect()
}

/// Runs a bound kernel over `start..end` (elements or list positions).
pub fn run_bound(
    b: &Bound,
    cols: &mut [Array1<f64>],
    env: &ScalarEnv,
    seed: u64,
    list: &[u32],
    range: (usize, usize),
    spikes: &mut Vec<u32>,
) -> Stores {
    run_bound_syn(b, cols, env, seed, (&[], &[]), list, range, spikes)
}

/// [`run_bound`] for synaptic kernels, with the `pre`/`post` index arrays.
pub fn run_bound_syn(
    b: &Bound,
    cols: &mut [Array1<f64>],
    env: &ScalarEnv,
    seed: u64,
    prepost: (&[u32], &[u32]),
    list: &[u32],
    range: (usize, usize),
    spikes: &mut Vec<u32>,
) -> Stores {
    // Scalars on the stack for the usual handful (a kernel call is as short as a few hundred
    // nanoseconds for a small group, where heap allocations show).
    let mut buf = [0.0; 16];
    let heap;
    let scalars: &[f64] = if b.scalars.len() <= buf.len() {
        for (x, s) in buf.iter_mut().zip(&b.scalars) {
            *x = env.value(s);
        }
        &buf[..b.scalars.len()]
    } else {
        heap = b.scalar_values(env);
        &heap
    };
    let columns = borrow_columns(cols, &b.columns);
    let mut data = KernelData {
        columns,
        scalars,
        pre: prepost.0,
        post: prepost.1,
        list,
        start: range.0,
        end: range.1,
        base: 0,
        step: env.step,
        seed,
        spikes,
    };
    b.kernel.run(&mut data)
}

/// Which of `n_columns` global columns the kernels `bounds` store to.
pub fn written_columns<'a>(bounds: impl Iterator<Item = &'a Bound>, n_columns: usize) -> Vec<bool> {
    let mut written = vec![false; n_columns];
    for b in bounds {
        for (decl, &global) in b.ir.columns.iter().zip(&b.columns) {
            if decl.written {
                if let Some(w) = written.get_mut(global) {
                    *w = true;
                }
            }
        }
    }
    written
}

/// The first index of a NaN or infinite value. Scans blocks without branching on each value
/// (so the compiler vectorises the test) and looks inside a block only when it has one.
pub fn first_non_finite(values: &[f64]) -> Option<usize> {
    const EXP: u64 = 0x7ff0_0000_0000_0000;
    const BLOCK: usize = 256;
    values.chunks(BLOCK).enumerate().find_map(|(k, block)| {
        let bad = block
            .iter()
            .fold(false, |bad, x| bad | (x.to_bits() & EXP == EXP));
        if bad {
            block
                .iter()
                .position(|x| !x.is_finite())
                .map(|p| k * BLOCK + p)
        } else {
            None
        }
    })
}

/// Resolves `name` among one object's variables (or its TimedArray columns, the current rows
/// only if `rows`): shared variables are indexed `Shared`, the others with `index`. Used by
/// every resolver of groups and synapses.
pub(crate) fn resolve_column(
    owner: &str,
    variables: &[Variable],
    (columns, link_index): (&[Option<usize>], &[Option<usize>]),
    (tables, rows): (&[usize], bool),
    name: &str,
    index: Index,
) -> Option<ResolvedVar> {
    if let Some(t) = crate::lower::build::table_of(name).filter(|_| rows) {
        return Some(ResolvedVar {
            column: *tables.get(t)?,
            index: Index::Shared,
            name: name.to_string(),
            via: None,
        });
    }
    // `Network::add_table` puts a table's column of all values right after its row column.
    if let Some(t) = crate::lower::build::table_values_of(name) {
        return Some(ResolvedVar {
            column: *tables.get(t)? + 1,
            index: Index::Shared,
            name: name.to_string(),
            via: None,
        });
    }
    let k = variables.iter().position(|v| v.name == name)?;
    Some(ResolvedVar {
        column: columns[k]?,
        index: if variables[k].flags.shared {
            Index::Shared
        } else {
            index
        },
        name: format!("{owner}.{name}"),
        via: link_index.get(k).copied().flatten(),
    })
}

/// A resolver for a neuron group's own variables.
pub fn group_resolver(g: &NeuronGroup) -> impl Fn(&VarRef) -> Option<ResolvedVar> + '_ {
    move |v: &VarRef| {
        if v.side != Side::Own {
            return None;
        }
        resolve_column(
            &g.name,
            &g.variables,
            (&g.columns, &g.link_index),
            (&g.table_columns, g.table_rows),
            &v.name,
            Index::Elem,
        )
    }
}

fn own(name: &str) -> VarRef {
    VarRef {
        name: name.to_string(),
        side: Side::Own,
    }
}

fn var_type(g: &NeuronGroup, name: &str) -> VarType {
    g.var_index(name)
        .map(|k| g.variables[k].ty)
        .unwrap_or(VarType::Float)
}

/// `timestep(x, dt) = int((x + 1e-3*dt)/dt)`.
fn timestep(b: &mut KernelBuilder, x: Expr) -> Expr {
    let dt = b.scalar("dt");
    Expr::Call {
        func: crate::functions::Func::Trunc,
        args: vec![bin(
            ir::BinOp::Div,
            bin(
                ir::BinOp::Add,
                x,
                bin(ir::BinOp::Mul, Expr::Const(1e-3), dt.clone()),
            ),
            dt,
        )],
    }
}

/// How refractoriness is computed at the start of the state update.
pub enum RefractoryCode {
    /// No refractoriness.
    None,
    /// `not_refractory = timestep(t - lastspike) >= timestep(period)` with the period an
    /// expression in seconds (for a period that is the same for every neuron, computed as
    /// `lastspike <= since_limit(t, dt, timestep(period))`, the same test).
    Period(HExpr),
    /// `not_refractory = not_refractory or not cond`.
    Condition(HExpr),
}

/// The fused kernel: refractoriness, integration step, threshold (spikes, `lastspike`,
/// `not_refractory`).
pub fn state_and_threshold(
    g: &NeuronGroup,
    update: &StateUpdate,
    refractory: &RefractoryCode,
    threshold: Option<&HExpr>,
    rng_object: u64,
) -> Result<(ir::Kernel, Vec<usize>), LowerError> {
    let resolve = group_resolver(g);
    let mut b = KernelBuilder::new(
        &format!("{}.step", g.name),
        Domain::Range,
        rng_object,
        false,
        &resolve,
    );
    let nr = own("not_refractory");
    match refractory {
        RefractoryCode::None => {}
        RefractoryCode::Period(p) => {
            let t = b.scalar("t");
            let ls = b.load(&own("lastspike"))?;
            let p = b.expr(p)?;
            let uniform = p.is_invariant(&[]);
            let period = timestep(&mut b, p);
            let test = if uniform {
                // The same test without a division per neuron: `lastspike` against the
                // largest value that passes it, computed once per call (see
                // `backend::funcs::since_limit`; exact for every `lastspike`).
                let dt = b.scalar("dt");
                let limit = Expr::Call {
                    func: crate::functions::Func::SinceLimit,
                    args: vec![t, dt, period],
                };
                bin(ir::BinOp::Le, ls, limit)
            } else {
                let since = timestep(&mut b, bin(ir::BinOp::Sub, t, ls));
                bin(ir::BinOp::Ge, since, period)
            };
            b.store(&nr, VarType::Boolean, test)?;
        }
        RefractoryCode::Condition(c) => {
            let old = b.load(&nr)?;
            let c = b.expr(c)?;
            let v = bin(
                ir::BinOp::Or,
                old,
                Expr::Unary {
                    op: ir::UnOp::Not,
                    arg: Box::new(c),
                },
            );
            b.store(&nr, VarType::Boolean, v)?;
        }
    }
    for (name, value) in &update.lets {
        b.let_named(name, value)?;
    }
    for (name, value) in &update.assigns {
        let v = b.expr(value)?;
        b.store(&own(name), var_type(g, name), v)?;
    }
    if let Some(th) = threshold {
        let mut cond = b.expr(th)?;
        if !matches!(refractory, RefractoryCode::None) {
            let nrv = b.load(&nr)?;
            cond = bin(ir::BinOp::And, cond, nrv);
        }
        let ct = b.fresh_temp();
        b.push(Stmt::Let {
            temp: ct,
            value: cond,
        });
        b.push(Stmt::EmitSpike {
            cond: Expr::Temp(ct),
        });
        if !matches!(refractory, RefractoryCode::None) {
            // `not_refractory and not spiked`: 0 for a neuron that spiked, else unchanged (the
            // column holds 0/1, as `Boolean` stores write it).
            let nrv = b.load(&nr)?;
            let v = bin(
                ir::BinOp::And,
                nrv,
                Expr::Unary {
                    op: ir::UnOp::Not,
                    arg: Box::new(Expr::Temp(ct)),
                },
            );
            b.store(&nr, VarType::Boolean, v)?;
            let ls = b.load(&own("lastspike"))?;
            let t = b.scalar("t");
            let v = Expr::Select {
                cond: Box::new(Expr::Temp(ct)),
                then: Box::new(t),
                otherwise: Box::new(ls),
            };
            b.store(&own("lastspike"), VarType::Float, v)?;
        }
    }
    Ok(b.finish())
}

/// A code block of a group (reset, event code, `run_regularly`, subexpression stores) over a
/// list or range of elements; `guarded`: with Brian2's conditional writes of
/// `(unless refractory)` variables (not in resets and event code, see [`refractory_guard`]).
pub fn code_kernel(
    g: &NeuronGroup,
    name: &str,
    code: &CheckedCode,
    (domain, guarded): (Domain, bool),
    rng_object: u64,
) -> Result<(ir::Kernel, Vec<usize>), LowerError> {
    let resolve = group_resolver(g);
    let guard = refractory_guard(g);
    let mut b = KernelBuilder::new(name, domain, rng_object, false, &resolve);
    if guarded {
        b.guard_writes(&guard);
    }
    for st in &code.statements {
        match &st.target {
            Target::Temp(t) => b.let_named(t, &st.value)?,
            Target::Var(v, ty) => {
                let value = b.expr(&st.value)?;
                b.store(v, *ty, value)?;
            }
        }
    }
    Ok(b.finish())
}

/// Brian2's conditional write of a group's variables (`Variable.set_conditional_write`): a
/// variable of a refractory group flagged `(unless refractory)` is written only where
/// `not_refractory` holds.
pub fn refractory_guard(g: &NeuronGroup) -> impl Fn(&VarRef) -> Option<VarRef> + '_ {
    move |r: &VarRef| {
        (r.side == Side::Own && unless_refractory(g, &r.name)).then(|| own("not_refractory"))
    }
}

/// Whether variable `name` of `g` is written only outside the refractory period.
pub fn unless_refractory(g: &NeuronGroup, name: &str) -> bool {
    g.column("not_refractory").is_some()
        && g.variables
            .iter()
            .any(|v| v.name == name && v.flags.unless_refractory)
}

/// Brian2's split of a `run_regularly` block (its `stateupdate` template runs the "scalar code"
/// once, then the "vector code" per neuron): the writes of shared variables and the
/// temporaries computed from shared values only form the shared part, run once per call; the
/// per-neuron part is the rest, recomputing the shared temporaries it reads (after the shared
/// part ran, which is when Brian2 computed them, unless one was computed before a shared write
/// that changed its value: refused). Without shared writes the shared part is empty.
pub fn split_shared(
    code: &CheckedCode,
    own: &[Variable],
) -> Result<(CheckedCode, CheckedCode), crate::diagnostics::Diagnostic> {
    let shared_var =
        |r: &VarRef| r.side == Side::Own && own.iter().any(|v| v.name == r.name && v.flags.shared);
    let mut scalar_temps: Vec<String> = Vec::new();
    let mut defined: Vec<&str> = Vec::new();
    let mut shared = Vec::new();
    let mut each = Vec::new();
    // Shared temporaries computed before the latest shared write so far.
    let mut stale: Vec<String> = Vec::new();
    for st in &code.statements {
        match &st.target {
            Target::Var(r, _) if shared_var(r) => {
                stale.extend(scalar_temps.iter().cloned());
                shared.push(st.clone());
            }
            Target::Var(..) => each.push(st.clone()),
            Target::Temp(t) => {
                if !defined.contains(&t.as_str()) {
                    defined.push(t);
                    if crate::check::hir::is_scalar(&st.value, own, &scalar_temps) {
                        scalar_temps.push(t.clone());
                    }
                }
                if scalar_temps.contains(t) {
                    shared.push(st.clone());
                }
                each.push(st.clone());
            }
        }
    }
    if !shared.iter().any(|s| matches!(s.target, Target::Var(..))) {
        return Ok((CheckedCode::default(), code.clone()));
    }
    // The per-neuron part must not read a shared temporary computed before a shared write
    // (it would see the written value).
    for st in &each {
        if let Some(t) = stale.iter().find(|t| reads_temp(&st.value, t)) {
            return Err(crate::diagnostics::Diagnostic::error(
                format!(
                    "not supported yet: this per-neuron statement uses '{t}', a shared \
                     temporary computed before a write to a shared variable"
                ),
                st.span,
            )
            .with_label(format!("uses '{t}'"))
            .with_note(format!(
                "compute '{t}' after the writes to shared variables, or write its value into a \
                 variable"
            )));
        }
    }
    Ok((
        CheckedCode { statements: shared },
        CheckedCode { statements: each },
    ))
}

/// Whether `e` reads the temporary `name`.
fn reads_temp(e: &HExpr, name: &str) -> bool {
    let rec = |x: &HExpr| reads_temp(x, name);
    match e {
        HExpr::Temp(t) => t == name,
        HExpr::Const(_)
        | HExpr::Var(_)
        | HExpr::Special(_)
        | HExpr::Noise(_)
        | HExpr::Rand
        | HExpr::Randn => false,
        HExpr::Unary(_, a) => rec(a),
        HExpr::Binary(_, a, b) => rec(a) || rec(b),
        HExpr::Call(_, args) => args.iter().any(rec),
        HExpr::Select(c, a, b) => rec(c) || rec(a) || rec(b),
        HExpr::Table { arg, index, .. } => rec(arg) || index.as_deref().is_some_and(rec),
    }
}

/// The kernel that lists the neurons where `condition` holds (a custom event: no
/// refractoriness, unlike the spike threshold).
pub fn event_kernel(
    g: &NeuronGroup,
    name: &str,
    condition: &HExpr,
    rng_object: u64,
) -> Result<(ir::Kernel, Vec<usize>), LowerError> {
    let resolve = group_resolver(g);
    let mut b = KernelBuilder::new(name, Domain::Range, rng_object, false, &resolve);
    let cond = b.expr(condition)?;
    b.push(Stmt::EmitSpike { cond });
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::{borrow_columns, first_non_finite};
    use ndarray::Array1;

    #[test]
    fn borrows_the_named_columns_in_the_order_asked() {
        let mut cols: Vec<Array1<f64>> = (0..6).map(|k| Array1::from_elem(2, k as f64)).collect();
        let got = borrow_columns(&mut cols, &[4, 1, 5, 0]);
        let firsts: Vec<f64> = got.iter().map(|c| c[0]).collect();
        assert_eq!(firsts, [4.0, 1.0, 5.0, 0.0]);
        // Writes go to the right column.
        let mut got = got;
        got[1][1] = -1.0;
        assert_eq!(cols[1][1], -1.0);
        // No ids, or ids past the end (never made by the runtime): empty slices, no panic.
        assert!(borrow_columns(&mut cols, &[]).is_empty());
        let got = borrow_columns(&mut cols, &[7, 2]);
        assert!(got[0].is_empty() && got[1][0] == 2.0);
    }

    #[test]
    fn finds_the_first_non_finite_value_in_any_block() {
        let mut v = vec![1.0; 1000];
        assert_eq!(first_non_finite(&v), None);
        assert_eq!(first_non_finite(&[]), None);
        v[700] = f64::INFINITY;
        v[900] = f64::NAN;
        assert_eq!(first_non_finite(&v), Some(700));
        v[3] = f64::NEG_INFINITY;
        assert_eq!(first_non_finite(&v), Some(3));
        // Subnormal and huge finite values are finite.
        assert_eq!(
            first_non_finite(&[f64::MIN_POSITIVE / 4.0, f64::MAX, -0.0]),
            None
        );
    }
}

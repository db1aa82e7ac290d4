//! Building the kernels of a `Synapses` object: clock-driven state update, pathway code (with
//! event-driven updates in front), and the per-presynaptic-neuron kernel of `connect`.

use super::group::NeuronGroup;
use super::kernels::resolve_column;
use super::synapses::Synapses;
use crate::check::hir::CheckedCode;
use crate::check::hir::{HExpr, Side, Special, Target, VarRef, VarType};
use crate::integrate::StateUpdate;
use crate::lower::build::{bin, degree_var, KernelBuilder, LowerError, ResolvedVar};
use crate::lower::ir::{self, Domain, Expr, Index, Stmt};

/// Resolves synaptic (`Own`), presynaptic and postsynaptic variables.
pub fn syn_resolver<'a>(
    syn: &'a Synapses,
    source: &'a NeuronGroup,
    target: &'a NeuronGroup,
) -> impl Fn(&VarRef) -> Option<ResolvedVar> + 'a {
    move |v: &VarRef| match v.side {
        Side::Own if v.name.starts_with("#N_") => degree_column(syn, &v.name),
        Side::Own => resolve_column(
            &syn.name,
            &syn.variables,
            (&syn.columns, &[]),
            (&syn.table_columns, syn.table_rows),
            &v.name,
            Index::Elem,
        ),
        Side::Pre => resolve_column(
            &source.name,
            &source.variables,
            (&source.columns, &source.link_index),
            (&[], false),
            &v.name,
            Index::Pre,
        ),
        Side::Post => resolve_column(
            &target.name,
            &target.variables,
            (&target.columns, &target.link_index),
            (&[], false),
            &v.name,
            Index::Post,
        ),
    }
}

/// The per-neuron column behind `N_incoming` (indexed by the synapse's target) or `N_outgoing`
/// (indexed by its source), under the reserved names of [`degree_var`].
fn degree_column(syn: &Synapses, name: &str) -> Option<ResolvedVar> {
    let [incoming, outgoing] = syn.degree_columns;
    let (column, index) = if name == degree_var(true) {
        (incoming, Index::Post)
    } else if name == degree_var(false) {
        (outgoing, Index::Pre)
    } else {
        return None;
    };
    Some(ResolvedVar {
        column,
        index,
        name: format!("{}.{}", syn.name, &name[1..]),
        via: None,
    })
}

fn type_of(syn: &Synapses, source: &NeuronGroup, target: &NeuronGroup, v: &VarRef) -> VarType {
    let vars = match v.side {
        Side::Own => &syn.variables,
        Side::Pre => &source.variables,
        Side::Post => &target.variables,
    };
    vars.iter()
        .find(|x| x.name == v.name)
        .map(|x| x.ty)
        .unwrap_or(VarType::Float)
}

fn own(name: &str) -> VarRef {
    VarRef {
        name: name.to_string(),
        side: Side::Own,
    }
}

/// The clock-driven state update over all synapses.
pub fn state_update(
    syn: &Synapses,
    source: &NeuronGroup,
    target: &NeuronGroup,
    update: &StateUpdate,
    rng_object: u64,
) -> Result<(ir::Kernel, Vec<usize>), LowerError> {
    let resolve = syn_resolver(syn, source, target);
    let mut b = KernelBuilder::new(
        &format!("{}.state_update", syn.name),
        Domain::Range,
        rng_object,
        true,
        &resolve,
    );
    for (name, value) in &update.lets {
        b.let_named(name, value)?;
    }
    for (name, value) in &update.assigns {
        let v = b.expr(value)?;
        let r = own(name);
        let ty = type_of(syn, source, target, &r);
        b.store(&r, ty, v)?;
    }
    Ok(b.finish())
}

/// A pathway: the event-driven update (with `dt` replaced by `t - lastupdate`), the user's
/// code, then `lastupdate = t`; over the list of due synapses.
pub fn pathway(
    syn: &Synapses,
    source: &NeuronGroup,
    target: &NeuronGroup,
    name: &str,
    event_update: Option<&StateUpdate>,
    code: &CheckedCode,
    rng_object: u64,
) -> Result<(ir::Kernel, Vec<usize>), LowerError> {
    let resolve = syn_resolver(syn, source, target);
    // `v_post += w` into a refractory target leaves an `(unless refractory)` `v` alone, as
    // Brian2's conditional writes do (likewise `_pre`).
    let guard = |r: &VarRef| {
        let g = match r.side {
            Side::Pre => source,
            Side::Post => target,
            Side::Own => return None,
        };
        super::kernels::unless_refractory(g, &r.name).then(|| VarRef {
            name: "not_refractory".to_string(),
            side: r.side,
        })
    };
    let mut b = KernelBuilder::new(
        &format!("{}.{name}", syn.name),
        Domain::List,
        rng_object,
        true,
        &resolve,
    );
    b.guard_writes(&guard);
    if let Some(u) = event_update {
        let elapsed = HExpr::Binary(
            crate::check::hir::BinOp::Sub,
            Box::new(HExpr::Special(Special::T)),
            Box::new(HExpr::Var(own("lastupdate"))),
        );
        let replace = |e: &HExpr| {
            crate::integrate::algebra::map(e, &|n| match n {
                HExpr::Special(Special::Dt) => Some(elapsed.clone()),
                _ => None,
            })
        };
        for (n, value) in &u.lets {
            b.let_named(n, &replace(value))?;
        }
        for (n, value) in &u.assigns {
            let v = b.expr(&replace(value))?;
            b.store(&own(n), VarType::Float, v)?;
        }
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
    if event_update.is_some() {
        let t = b.scalar("t");
        b.store(&own("lastupdate"), VarType::Float, t)?;
    }
    Ok(b.finish())
}

/// `connect(condition, p)`: for one presynaptic neuron (scalar `i`, and `pre[e] = i` for
/// every element), visits target neurons `e` and emits those where `condition` holds and a
/// uniform draw is below `p`.
pub fn connect_kernel(
    syn: &Synapses,
    source: &NeuronGroup,
    target: &NeuronGroup,
    condition: Option<&HExpr>,
    p: Option<&HExpr>,
    rng_object: u64,
) -> Result<(ir::Kernel, Vec<usize>), LowerError> {
    let resolve = syn_resolver(syn, source, target);
    let mut b = KernelBuilder::new(
        &format!("{}.connect", syn.name),
        Domain::Range,
        rng_object,
        true,
        &resolve,
    );
    let mut cond = match condition {
        Some(c) => b.expr(c)?,
        None => Expr::Const(1.0),
    };
    if let Some(p) = p {
        let p = b.expr(p)?;
        cond = bin(
            ir::BinOp::And,
            cond,
            bin(ir::BinOp::Lt, Expr::Rand { site: 1000 }, p),
        );
    }
    b.push(Stmt::EmitSpike { cond });
    Ok(b.finish())
}

//! Creating synapses: `Synapses(...)` and every form of `connect()` (BRIAN2-SEMANTICS §6.2).
//!
//! Condition strings (with `p` and `n`) compile to a kernel over the target neurons that runs
//! once per presynaptic neuron, so building millions of synapses runs at kernel speed.
//! Explicit index arrays are appended directly. The generator syntax
//! (`j='k for k in range(...) if ...'`, `sample(...)`) is evaluated per presynaptic neuron by a
//! small scalar evaluator over the checked expressions (`eval`; the generator forms are in
//! `connect_gen.rs`). Synapses are numbered in creation order:
//! presynaptic index ascending, then the generated targets in generator order.

use super::kernels::{self, ScalarEnv};
use super::network::Network;
use super::synapses::{GroupRange, NewSynapses, Pathway, PathwaySide, RowCounts, Synapses};
use crate::backend::funcs;
use crate::check::hir::{
    BinOp, HExpr, Side, Special, UnaryOp, VarFlags, VarKind, VarRef, VarType, Variable,
};
use crate::check::{self, Expect, Namespace, Owner, Scope};
use crate::diagnostics::Diagnostic;
use crate::integrate::Method;
use crate::runtime::rng;
use crate::source::Span;
use crate::syntax::ast::{self, GeneratorIter};
use crate::units::Dimension;
use ndarray::Array1;

/// A probability: a number or a string expression (over `i`, `j`, pre/post variables).
#[derive(Clone, Debug)]
pub enum Prob {
    /// A number in [0, 1].
    Value(f64),
    /// An expression.
    Expr(ast::Expr),
}

/// The forms of `connect()`.
#[derive(Clone, Debug)]
pub enum ConnectSpec {
    /// `connect()`, `connect('cond')`, `connect(p=...)`, `connect('cond', p=..., n=...)`.
    Condition {
        /// The condition (`None`: every pair).
        condition: Option<ast::Expr>,
        /// Connection probability.
        p: Prob,
        /// Synapses per accepted pair.
        n: usize,
        /// `n` given as a string (per pair); overrides `n`.
        n_expr: Option<ast::Expr>,
    },
    /// `connect(i=..., j=..., p=...)` with integer scalars or arrays (broadcast together).
    Explicit {
        /// Presynaptic indices (relative to the source).
        i: Vec<i64>,
        /// Postsynaptic indices (relative to the target).
        j: Vec<i64>,
        /// Synapses per pair.
        n: usize,
        /// The probability of keeping each listed pair (Brian2 draws once per pair, before
        /// repeating it `n` times); 1 keeps every pair.
        p: f64,
    },
    /// `connect(j='EXPR for VAR in ...')` (or `i=` iterating over targets).
    Generator {
        /// The parsed generator.
        generator: ast::Generator,
        /// True for `j=` (iterate presynaptic neurons, generate targets).
        over_j: bool,
        /// Skip generated indices outside the group instead of failing.
        skip_if_invalid: bool,
        /// Synapses per generated pair.
        n: usize,
        /// `n` given as a string (per pair); overrides `n`.
        n_expr: Option<ast::Expr>,
    },
}

/// The variables of a `Synapses` object's source and target groups, owned so that a check
/// [`Scope`] can borrow them while the network changes.
pub(super) struct PrePost {
    pre: Vec<Variable>,
    post: Vec<Variable>,
}

impl PrePost {
    /// The scope of a connect string: `own` (a generator's loop variable, or nothing) and the
    /// `_pre`/`_post` variables.
    pub(super) fn scope<'a>(&'a self, own: &'a [Variable], ns: &'a Namespace) -> Scope<'a> {
        Scope {
            own,
            subexpressions: &[],
            owner: Owner::Synapses {
                pre: &self.pre,
                post: &self.post,
            },
            ns,
        }
    }
}

impl Network {
    /// Creates a `Synapses` object with an `on_pre` and an `on_post` pathway (either may be
    /// absent) and a homogeneous delay of the `pre` pathway; returns its index.
    pub fn add_synapses(
        &mut self,
        name: &str,
        source: GroupRange,
        target: GroupRange,
        model: ast::Model,
        on_pre: Option<ast::Code>,
        on_post: Option<ast::Code>,
        delay: Option<f64>,
        method: Option<Method>,
        span: Span,
    ) -> Result<usize, Vec<Diagnostic>> {
        let mut pathways = Vec::new();
        if let Some(c) = on_pre {
            pathways.push(Pathway::new(PathwaySide::Pre, c, delay));
        }
        if let Some(c) = on_post {
            pathways.push(Pathway::new(PathwaySide::Post, c, None));
        }
        self.add_synapses_with(name, source, target, model, pathways, method, span)
    }

    /// Creates a `Synapses` object with the given pathways (Brian2's `on_pre`/`on_post`
    /// dictionaries: each is named, and the one named `pre` without a homogeneous delay gets
    /// the per-synapse `delay` variable); returns its index.
    pub fn add_synapses_with(
        &mut self,
        name: &str,
        source: GroupRange,
        target: GroupRange,
        model: ast::Model,
        pathways: Vec<Pathway>,
        method: Option<Method>,
        span: Span,
    ) -> Result<usize, Vec<Diagnostic>> {
        let mut variables = super::group::declare_variables(&model, false)?;
        let has_event = variables.iter().any(|v| v.flags.event_driven);
        let time = Dimension::second();
        let internal = |name: &str| Variable {
            name: name.to_string(),
            dim: time,
            ty: VarType::Float,
            kind: VarKind::Internal,
            flags: VarFlags::default(),
            span: None,
        };
        if pathways
            .iter()
            .any(|p| p.name == "pre" && p.delay.is_none())
        {
            variables.push(internal("delay"));
        }
        if has_event {
            variables.push(internal("lastupdate"));
        }
        let mut columns = Vec::new();
        for v in &variables {
            // A linked variable gets its column from the link (`link_synapse_variable`).
            // A `constant over dt` subexpression holds its value of the step (as in groups).
            let stored = v.kind != VarKind::Subexpression || v.flags.constant_over_dt;
            if !stored || v.flags.linked {
                columns.push(None);
            } else {
                let len = usize::from(v.flags.shared);
                self.columns.push(Array1::zeros(len));
                columns.push(Some(self.columns.len() - 1));
            }
        }
        let mut degree_columns = [0; 2];
        for (slot, group) in degree_columns.iter_mut().zip([target.group, source.group]) {
            self.columns.push(Array1::zeros(self.groups[group].n));
            *slot = self.columns.len() - 1;
        }
        self.synapses.push(Synapses {
            name: name.to_string(),
            source,
            target,
            model,
            variables,
            columns,
            pre: Default::default(),
            post: Vec::new(),
            pathways,
            regular: Vec::new(),
            method,
            span,
            connect_calls: 0,
            table_columns: self.table_columns.clone(),
            table_rows: true,
            dt: None,
            order: 0,
            degree_columns,
            delay_written: false,
            pre_starts: None,
        });
        Ok(self.synapses.len() - 1)
    }

    /// Creates synapses; returns how many were added.
    pub fn connect(
        &mut self,
        k: usize,
        spec: &ConnectSpec,
        ns: &Namespace,
        span: Span,
    ) -> Result<usize, Vec<Diagnostic>> {
        self.synapses[k].connect_calls += 1;
        self.ensure_connect_memory(k, spec, span)
            .map_err(|d| vec![d])?;
        reject_degree_names(spec)?;
        // The new synapses, in synapse order, possibly in several parts.
        let parts: Vec<NewSynapses> = match spec {
            ConnectSpec::Explicit { i, j, n, p } => {
                vec![self.explicit_pairs(k, (i, j), *n, *p, span)?.into()]
            }
            ConnectSpec::Condition {
                condition,
                p,
                n,
                n_expr,
            } => {
                let n = if n_expr.is_some() { 1 } else { *n };
                let parts = self.connect_condition(k, condition.as_ref(), p, n, ns)?;
                match n_expr {
                    Some(e) => {
                        let pairs = parts.iter().flat_map(NewSynapses::pairs).collect();
                        vec![self.multiply(k, pairs, e, ns)?.into()]
                    }
                    None => parts,
                }
            }
            ConnectSpec::Generator {
                generator,
                over_j,
                skip_if_invalid,
                n,
                n_expr,
            } => {
                let n = if n_expr.is_some() { 1 } else { *n };
                let pairs =
                    self.connect_generator(k, generator, *over_j, *skip_if_invalid, n, ns)?;
                vec![match n_expr {
                    Some(e) => self.multiply(k, pairs, e, ns)?,
                    None => pairs,
                }
                .into()]
            }
        };
        let added: usize = parts.iter().map(|p| p.post.len()).sum();
        self.ensure_synapse_memory(k, added as f64, span)
            .map_err(|d| vec![d])?;
        let old = self.synapses[k].len();
        // Parts come from the worker threads (see `connect_condition`); they copy them too.
        let pool = if old == 0 && parts.len() > 1 && self.threads > 1 {
            self.workers.pool(self.threads)
        } else {
            None
        };
        // Brian2 updates N_incoming/N_outgoing after every connect call
        // (`Synapses._update_synapse_numbers`). Degrees are counted as integers and added to
        // the columns once per neuron: the same sums as adding 1.0 per synapse (exact in f64),
        // without a floating-point read-modify-write of one cell per synapse. Out-degrees come
        // from the parts' row counts where they have them (rows made one after the other),
        // else per run of equal sources.
        let [incoming, outgoing] = self.synapses[k].degree_columns;
        let mut out_degree = vec![0u32; self.columns[outgoing].len()];
        for part in &parts {
            match &part.rows {
                Some(rows) => {
                    for (d, &c) in out_degree[rows.first..].iter_mut().zip(&rows.counts) {
                        *d += c;
                    }
                }
                None => {
                    for run in part.pre.chunk_by(|a, b| a == b) {
                        out_degree[run[0] as usize] += run.len() as u32;
                    }
                }
            }
        }
        // In-degrees likewise, from the parts' counts where they have them.
        let mut in_degree = vec![0u32; self.columns[incoming].len()];
        for part in &parts {
            if part.in_degree.is_empty() {
                for &j in &part.post {
                    in_degree[j as usize] += 1;
                }
            } else {
                for (d, &c) in in_degree.iter_mut().zip(&part.in_degree) {
                    *d += c;
                }
            }
        }
        self.synapses[k].append(parts, pool.as_deref());
        for (column, degrees) in [(incoming, in_degree), (outgoing, out_degree)] {
            self.columns[column].zip_mut_with(&Array1::from(degrees), |c, &d| *c += f64::from(d));
        }
        let s = &self.synapses[k];
        let total = s.len();
        for (v, c) in s.variables.iter().zip(&s.columns) {
            if let Some(c) = c {
                if !v.flags.shared {
                    let col = &mut self.columns[*c];
                    let mut grown = Array1::zeros(total);
                    grown.slice_mut(ndarray::s![..col.len()]).assign(col);
                    *col = grown;
                }
            }
        }
        Ok(added)
    }

    /// The pairs of `connect(i=..., j=..., p=..., n=...)`: `i` and `j` broadcast together, each
    /// index checked against its group, each pair kept with probability `p` and repeated `n`
    /// times (Brian2's `_add_synapses_from_arrays`).
    fn explicit_pairs(
        &self,
        k: usize,
        (i, j): (&[i64], &[i64]),
        n: usize,
        p: f64,
        span: Span,
    ) -> Result<Vec<(u32, u32)>, Vec<Diagnostic>> {
        let s = &self.synapses[k];
        let (src, tgt) = (s.source, s.target);
        if i.len() != 1 && j.len() != 1 && i.len() != j.len() {
            return Err(vec![Diagnostic::error(
                format!("i and j must have the same length or one of them a single index (got {} and {})", i.len(), j.len()),
                span,
            )]);
        }
        let out_of_range = |x: &[i64], len: usize| x.iter().any(|&v| v < 0 || v as usize >= len);
        for (x, len, which) in [(i, src.len(), "source"), (j, tgt.len(), "target")] {
            if out_of_range(x, len) {
                return Err(vec![Diagnostic::error(format!("Tried to create synapse indices outside valid range. The given {which} indices contain values outside of the range [0, {}] allowed for the {which} group", len.max(1) - 1), span)]);
            }
        }
        let object = rng::name_hash(&format!("{}.connect.{}", s.name, s.connect_calls));
        let len = if i.len() == 1 { j.len() } else { i.len() };
        let mut pairs = Vec::new();
        for x in 0..len {
            if p < 1.0 && rng::uniform(self.seed, object, 0, x as u64, 3) >= p {
                continue;
            }
            let a = if i.len() == 1 { i[0] } else { i[x] };
            let b = if j.len() == 1 { j[0] } else { j[x] };
            for _ in 0..n {
                pairs.push((
                    (a as usize + src.start) as u32,
                    (b as usize + tgt.start) as u32,
                ));
            }
        }
        Ok(pairs)
    }

    /// Repeats each pair `n(i, j)` times (`connect(..., n='i')`).
    fn multiply(
        &self,
        k: usize,
        pairs: Vec<(u32, u32)>,
        n_expr: &ast::Expr,
        ns: &Namespace,
    ) -> Result<Vec<(u32, u32)>, Vec<Diagnostic>> {
        let vars = self.scope_vars(k);
        let scope = vars.scope(&[], ns);
        let (h, d) = check::check_expr(
            n_expr,
            &scope,
            Expect::Dim(Dimension::DIMENSIONLESS),
            "the number of synapses n",
        );
        let errors: Vec<Diagnostic> = d.into_iter().filter(|x| x.is_error()).collect();
        let Some((h, _, _)) = h else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let s = &self.synapses[k];
        let (src, tgt) = (s.source, s.target);
        let (sg, tg) = (&self.groups[src.group], &self.groups[tgt.group]);
        // `N` is the number of synapses before this call, as in Brian2's connect templates.
        let existing = s.len() as f64;
        let mut out = Vec::new();
        for (i, j) in pairs {
            let lookup = |e: &HExpr| -> Option<f64> {
                match e {
                    HExpr::Special(Special::N) => Some(existing),
                    HExpr::Special(Special::I) => Some((i as usize - src.start) as f64),
                    HExpr::Special(Special::J) => Some((j as usize - tgt.start) as f64),
                    HExpr::Special(Special::NPre) => Some(src.len() as f64),
                    HExpr::Special(Special::NPost) => Some(tgt.len() as f64),
                    HExpr::Var(VarRef {
                        name,
                        side: Side::Pre,
                    }) => self.columns[sg.column(name)?].get(i as usize).copied(),
                    HExpr::Var(VarRef {
                        name,
                        side: Side::Post,
                    }) => self.columns[tg.column(name)?].get(j as usize).copied(),
                    _ => None,
                }
            };
            let n = eval(&h, &lookup, &mut || f64::NAN);
            if !n.is_finite() || n.fract() != 0.0 {
                return Err(vec![Diagnostic::error(
                    format!("n must evaluate to an integer, got {n}"),
                    n_expr.span,
                )]);
            }
            for _ in 0..(n.max(0.0) as usize) {
                out.push((i, j));
            }
        }
        Ok(out)
    }

    pub(super) fn scope_vars(&self, k: usize) -> PrePost {
        let s = &self.synapses[k];
        PrePost {
            pre: self.groups[s.source.group].variables.clone(),
            post: self.groups[s.target.group].variables.clone(),
        }
    }

    fn connect_condition(
        &mut self,
        k: usize,
        condition: Option<&ast::Expr>,
        p: &Prob,
        n: usize,
        ns: &Namespace,
    ) -> Result<Vec<NewSynapses>, Vec<Diagnostic>> {
        let vars = self.scope_vars(k);
        let scope = vars.scope(&[], ns);
        let mut diags = Vec::new();
        let cond = match condition {
            Some(c) => {
                let (h, d) = check::check_expr(c, &scope, Expect::Boolean, "connect condition");
                diags.extend(d);
                h.map(|x| x.0)
            }
            None => None,
        };
        let prob = match p {
            Prob::Value(x) if *x >= 1.0 => None,
            Prob::Value(x) => Some(HExpr::Const(*x)),
            Prob::Expr(e) => {
                let (h, d) = check::check_expr(
                    e,
                    &scope,
                    Expect::Dim(Dimension::DIMENSIONLESS),
                    "connection probability",
                );
                diags.extend(d);
                h.map(|x| x.0)
            }
        };
        let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let s = &self.synapses[k];
        let (src, tgt) = (s.source, s.target);
        let object = rng::name_hash(&format!("{}.connect.{}", s.name, s.connect_calls));
        // A fixed probability with a condition that does not depend on the target (`'i<Ne'`,
        // or none): decide the row once, then draw only the accepted targets with geometric
        // skips, as Brian2's `sample(N_post, p=p)` does. This draws about p·N_post numbers per
        // row instead of N_post (`connect_rows.rs`).
        let row_only = cond.as_ref().is_none_or(|c| {
            !crate::integrate::algebra::any(c, &|n| {
                matches!(
                    n,
                    HExpr::Special(Special::J)
                        | HExpr::Var(VarRef {
                            side: Side::Post,
                            ..
                        })
                        | HExpr::Rand
                        | HExpr::Randn
                )
            })
        });
        if let (true, Prob::Value(pv)) = (row_only, p) {
            return Ok(self.connect_rows(k, cond.as_ref(), *pv, n, object));
        }
        let (kir, cols) = super::syn_kernels::connect_kernel(
            s,
            &self.groups[src.group],
            &self.groups[tgt.group],
            cond.as_ref(),
            prob.as_ref(),
            object,
        )
        .map_err(|e| vec![Diagnostic::error_nospan(e.0)])?;
        let bound = self.bind(kir, cols)?;
        let post: Vec<u32> = (tgt.start..tgt.stop).map(|j| j as u32).collect();
        let mut pre = vec![0u32; post.len()];
        let mut accepted = Vec::new();
        // The accepted targets row by row; the rows' counts say the presynaptic neurons.
        let mut targets = Vec::new();
        let mut counts = Vec::with_capacity(src.len());
        let clock = self.clock_now(self.synapses_dt(k));
        for i in src.start..src.stop {
            pre.fill(i as u32);
            accepted.clear();
            let env = ScalarEnv {
                t: clock.t(),
                dt: clock.dt,
                // `N` is the number of synapses before this call, as in Brian2.
                n: self.synapses[k].len() as f64,
                // The step part of the random key is the presynaptic neuron, so every pair
                // gets its own draw.
                step: i as u64,
                n_pre: src.len() as f64,
                n_post: tgt.len() as f64,
                pre_offset: src.start as f64,
                post_offset: tgt.start as f64,
                i: (i - src.start) as f64,
                i_offset: 0.0,
            };
            kernels::run_bound_syn(
                &bound,
                &mut self.columns,
                &env,
                self.seed,
                (&pre, &post),
                &[],
                (0, post.len()),
                &mut accepted,
            );
            for &e in &accepted {
                targets.extend(std::iter::repeat_n(post[e as usize], n));
            }
            counts.push((accepted.len() * n) as u32);
        }
        Ok(vec![NewSynapses {
            pre: Vec::new(),
            post: targets,
            rows: Some(RowCounts {
                first: src.start,
                counts,
            }),
            in_degree: Vec::new(),
        }])
    }
}

/// Brian2 refuses `N_incoming` and `N_outgoing` anywhere in a connect call: they change while
/// the synapses are being created (brian2 issue #1227).
fn reject_degree_names(spec: &ConnectSpec) -> Result<(), Vec<Diagnostic>> {
    let mut exprs: Vec<&ast::Expr> = Vec::new();
    match spec {
        ConnectSpec::Explicit { .. } => {}
        ConnectSpec::Condition {
            condition,
            p,
            n_expr,
            ..
        } => {
            exprs.extend(condition);
            if let Prob::Expr(e) = p {
                exprs.push(e);
            }
            exprs.extend(n_expr);
        }
        ConnectSpec::Generator {
            generator: g,
            n_expr,
            ..
        } => {
            exprs.push(&g.element);
            exprs.extend(&g.condition);
            match &g.iter {
                GeneratorIter::Range(args) => exprs.extend(args),
                GeneratorIter::Sample { args, kwargs } => {
                    exprs.extend(args);
                    exprs.extend(kwargs.iter().map(|(_, v)| v));
                }
            }
            exprs.extend(n_expr);
        }
    }
    let found = exprs
        .into_iter()
        .find_map(|e| find_name(e, &|n| n == "N_incoming" || n == "N_outgoing"));
    match found {
        None => Ok(()),
        Some((name, span)) => Err(vec![Diagnostic::error(
            format!("the connect statement cannot refer to '{name}'"),
            span,
        )
        .with_note(format!(
            "'{name}' is only defined once the synapses exist: use it after connect(), e.g. S.w = '1.0/{name}'"
        ))]),
    }
}

/// The first name in `e` for which `pred` holds, with its span.
fn find_name<'a>(e: &'a ast::Expr, pred: &dyn Fn(&str) -> bool) -> Option<(&'a str, Span)> {
    match &e.kind {
        ast::ExprKind::Name(n) if pred(n) => Some((n, e.span)),
        ast::ExprKind::Call { args, .. } => args.iter().find_map(|a| find_name(a, pred)),
        ast::ExprKind::Unary { operand, .. } => find_name(operand, pred),
        ast::ExprKind::Binary { lhs, rhs, .. } => {
            find_name(lhs, pred).or_else(|| find_name(rhs, pred))
        }
        _ => None,
    }
}

/// Evaluates a checked expression to a number; `lookup` supplies variables and specials.
pub(super) fn eval(
    e: &HExpr,
    lookup: &dyn Fn(&HExpr) -> Option<f64>,
    rand: &mut dyn FnMut() -> f64,
) -> f64 {
    if let Some(v) = lookup(e) {
        return v;
    }
    match e {
        HExpr::Const(x) => *x,
        HExpr::Unary(UnaryOp::Neg, a) => -eval(a, lookup, rand),
        HExpr::Unary(UnaryOp::Pos, a) => eval(a, lookup, rand),
        HExpr::Unary(UnaryOp::Not, a) => f64::from(u8::from(eval(a, lookup, rand) == 0.0)),
        HExpr::Binary(op, a, b) => {
            let (x, y) = (eval(a, lookup, rand), eval(b, lookup, rand));
            let t = |c: bool| f64::from(u8::from(c));
            match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::FloorDiv => funcs::floordiv(x, y),
                BinOp::Mod => funcs::pymod(x, y),
                BinOp::Pow => funcs::pow(x, y),
                BinOp::Lt => t(x < y),
                BinOp::Le => t(x <= y),
                BinOp::Gt => t(x > y),
                BinOp::Ge => t(x >= y),
                BinOp::Eq => t(x == y),
                BinOp::Ne => t(x != y),
                BinOp::And => t(x != 0.0 && y != 0.0),
                BinOp::Or => t(x != 0.0 || y != 0.0),
            }
        }
        HExpr::Call(f, args) => {
            let v: Vec<f64> = args.iter().map(|a| eval(a, lookup, rand)).collect();
            funcs::call(*f, &v)
        }
        HExpr::Select(c, a, b) => {
            if eval(c, lookup, rand) != 0.0 {
                eval(a, lookup, rand)
            } else {
                eval(b, lookup, rand)
            }
        }
        HExpr::Rand | HExpr::Randn => rand(),
        _ => f64::NAN,
    }
}

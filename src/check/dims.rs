//! Dimension and type inference over expressions (BRIAN2-SEMANTICS §2.2, §3.4).
//!
//! [`ExprChecker`] walks an AST expression, resolves every name (see `names`), inlines
//! subexpressions, folds constants and units into SI numbers, and infers each node's dimension
//! and type with Brian2's rules: number literals are dimensionless (no "0 is any unit" in
//! strings), `+ - %` and comparisons need equal dimensions, `**` needs a dimensionless exponent
//! that is a constant when the base has units, `//` works only on dimensionless values, and
//! `and`/`or`/`not` need booleans. Errors are collected; a failed node yields `None` and its
//! parents stay quiet about it.

use super::hir::{BinOp, HExpr, Special, UnaryOp, VarRef, VarType};
use super::limits::{ast_depth, MAX_EXPR_DEPTH, SHALLOW_DEPTH, STACK_PER_LEVEL};
use super::names::{self, Callee, ConstOrigin, Env, Resolved};
use super::{Expect, Scope};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind};
use crate::units::{Dimension, Rational};

/// A checked expression: HIR, dimension and type.
#[derive(Clone, Debug)]
pub(crate) struct Checked {
    /// The HIR.
    pub expr: HExpr,
    /// Its dimension.
    pub dim: Dimension,
    /// Its type.
    pub ty: VarType,
}

/// What an expression refers to, for the equation-level rules (noise placement, stateful
/// subexpressions, dependencies, shared subexpressions).
#[derive(Clone, Debug, Default)]
pub(crate) struct Uses {
    /// `rand()` or `randn()` is called directly.
    pub stateful: bool,
    /// Noise symbols, with where they were written.
    pub noise: Vec<(String, Span)>,
    /// Own variables (including subexpressions) referred to by name, with where.
    pub own: Vec<(String, Span)>,
    /// Special names referred to.
    pub specials: Vec<Special>,
}

/// Checks one expression against an [`Env`], collecting diagnostics.
pub(crate) struct ExprChecker<'e, 'a> {
    /// The names visible.
    pub env: Env<'a>,
    /// Where diagnostics go.
    pub diags: &'e mut Vec<Diagnostic>,
    /// What the expression referred to.
    pub uses: Uses,
    /// The variable whose equation is being checked (for noise messages).
    pub defining: Option<&'a str>,
    /// Current nesting depth of [`ExprChecker::check`].
    depth: usize,
}

impl<'e, 'a> ExprChecker<'e, 'a> {
    /// A checker over `env` reporting into `diags`.
    pub fn new(env: Env<'a>, diags: &'e mut Vec<Diagnostic>) -> ExprChecker<'e, 'a> {
        ExprChecker {
            env,
            diags,
            uses: Uses::default(),
            defining: None,
            depth: 0,
        }
    }

    /// Reports an error with a label.
    pub fn error(&mut self, msg: impl Into<String>, span: Span, label: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(msg, span).with_label(label));
    }

    /// Checks a whole expression: like [`ExprChecker::check`], but a deeply nested expression
    /// is checked on a helper thread with a stack large enough for it, so that no input can
    /// exhaust the caller's stack.
    pub fn check_root(&mut self, e: &Expr) -> Option<Checked> {
        let depth = ast_depth(e);
        if depth <= SHALLOW_DEPTH {
            return self.check(e);
        }
        let stack = 256 * 1024 + depth.min(MAX_EXPR_DEPTH + 1) * STACK_PER_LEVEL;
        let spawned = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("snnc-check".into())
                .stack_size(stack)
                .spawn_scoped(scope, || self.check(e))
                .map(|handle| handle.join())
        });
        match spawned {
            Ok(Ok(result)) => result,
            // The helper could not start, or it panicked (a bug): report instead of crashing.
            Ok(Err(_)) | Err(_) => {
                self.error(
                    "expression nested too deeply to check",
                    e.span,
                    format!("{depth} levels"),
                );
                None
            }
        }
    }

    /// Checks `e`; `None` if it (or a part of it) is wrong, the reason already reported.
    pub fn check(&mut self, e: &Expr) -> Option<Checked> {
        if self.depth >= MAX_EXPR_DEPTH {
            self.error(
                "expression nested too deeply",
                e.span,
                format!("more than {MAX_EXPR_DEPTH} levels"),
            );
            return None;
        }
        self.depth += 1;
        let result = self.check_node(e);
        self.depth -= 1;
        result
    }

    /// [`ExprChecker::check`] for one node.
    fn check_node(&mut self, e: &Expr) -> Option<Checked> {
        let one = Dimension::DIMENSIONLESS;
        match &e.kind {
            ExprKind::Int(n) => Some(checked(HExpr::Const(*n as f64), one, VarType::Integer)),
            ExprKind::Float(x) => Some(checked(HExpr::Const(*x), one, VarType::Float)),
            ExprKind::Bool(b) => Some(checked(
                HExpr::Const(f64::from(u8::from(*b))),
                one,
                VarType::Boolean,
            )),
            ExprKind::Name(name) => self.name(name, e.span),
            ExprKind::Call { func, args } => self.call(func, args, e.span),
            ExprKind::Unary { op, operand } => self.unary(*op, operand, e.span),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e.span),
        }
    }

    /// A name used as a value.
    fn name(&mut self, name: &str, span: Span) -> Option<Checked> {
        let Some(resolved) = names::resolve(name, &self.env) else {
            self.unknown_name(name, span);
            return None;
        };
        let internal = match &resolved {
            Resolved::Var(..) | Resolved::SubExpr(_) => true,
            // The group sizes may well equal a script constant of the same name (`N = 100`);
            // Brian2 only warns when the values differ, which is not known here.
            Resolved::Special(s, ..) => !matches!(s, Special::N | Special::NPre | Special::NPost),
            _ => false,
        };
        if internal && self.env.ns.values.contains_key(name) {
            let msg = format!(
                "'{name}' is an internal variable of the group, but also exists in the script \
                 namespace; the internal variable will be used"
            );
            if !self.diags.iter().any(|d| d.message == msg) {
                self.diags
                    .push(Diagnostic::warning(msg, Some(span)).with_label("the group's variable"));
            }
        }
        match resolved {
            Resolved::Var(side, v) => {
                if side == super::hir::Side::Own {
                    self.uses.own.push((name.to_string(), span));
                }
                let r = VarRef {
                    name: v.name.clone(),
                    side,
                };
                Some(checked(HExpr::Var(r), v.dim, v.ty))
            }
            Resolved::SubExpr(v) => {
                self.uses.own.push((name.to_string(), span));
                let own = HExpr::Var(VarRef {
                    name: v.name.clone(),
                    side: super::hir::Side::Own,
                });
                // A `constant over dt` subexpression is stored once per step; others are inlined.
                if v.flags.constant_over_dt {
                    return Some(checked(own, v.dim, v.ty));
                }
                match self.env.subexprs.iter().find(|s| s.name == v.name) {
                    Some(s) => Some(checked(s.expr.clone(), v.dim, v.ty)),
                    // Within a model, a subexpression missing from the list failed its own
                    // check, which was reported; anywhere else it is a bug of the caller.
                    None if super::has_error(self.diags) => None,
                    None => {
                        self.error(
                            format!(
                                "internal error: subexpression '{name}' has no checked \
                                 expression, please report this"
                            ),
                            span,
                            "missing from the scope's subexpressions",
                        );
                        None
                    }
                }
            }
            Resolved::Special(s, dim, ty) => {
                self.uses.specials.push(s);
                Some(checked(HExpr::Special(s), dim, ty))
            }
            Resolved::Temp(dim, ty) => Some(checked(HExpr::Temp(name.to_string()), dim, ty)),
            Resolved::Noise => {
                self.uses.noise.push((name.to_string(), span));
                if !self.env.noise {
                    let msg = match self.defining {
                        Some(var) => format!(
                            "the equation defining '{var}' contains the symbol '{name}' but is \
                             not a differential equation"
                        ),
                        None => format!(
                            "the noise symbol '{name}' can only be used in differential equations"
                        ),
                    };
                    self.error(
                        msg,
                        span,
                        "white noise is only allowed here in differential equations",
                    );
                    return None;
                }
                Some(checked(
                    HExpr::Noise(name.to_string()),
                    names::noise_dim(),
                    VarType::Float,
                ))
            }
            Resolved::Const(value, dim, ty, origin) => {
                if origin != ConstOrigin::Script {
                    self.shadow(name, Some(value), span);
                }
                Some(checked(HExpr::Const(value), dim, ty))
            }
            Resolved::Callable(c) => {
                let (msg, label) = match c {
                    Callee::Table(t, _) => (
                        format!("'{name}' is a TimedArray and must be called"),
                        if t.columns.is_some() {
                            format!("write {name}(t, i)")
                        } else {
                            format!("write {name}(t)")
                        },
                    ),
                    _ => (
                        format!("'{name}' is a function and must be called"),
                        format!("write {name}(...)"),
                    ),
                };
                self.error(msg, span, label);
                None
            }
            Resolved::Unsupported(msg, label) => {
                self.error(msg, span, label);
                None
            }
        }
    }

    /// Warns (once per name and place) when a built-in name is also a script constant.
    pub(crate) fn shadow(&mut self, name: &str, value: Option<f64>, span: Span) {
        if let Some(msg) = names::shadow_warning(name, value, self.env.ns) {
            if !self.diags.iter().any(|d| d.message == msg) {
                self.diags
                    .push(Diagnostic::warning(msg, Some(span)).with_label("the built-in is used"));
            }
        }
    }

    /// Reports an unknown name, suggesting a close one.
    pub(crate) fn unknown_name(&mut self, name: &str, span: Span) {
        let mut d = Diagnostic::error(format!("unknown name '{name}'"), span)
            .with_label("not a variable, constant, unit or function");
        if name == "lastupdate" && self.env.owner.is_synapses() {
            d = d.with_note(
                "note: 'lastupdate' is only defined for synapses with event-driven equations; \
                 declare 'lastupdate : second' and set 'lastupdate = t' in on_pre/on_post",
            );
        } else if let super::Owner::Synapses { pre, .. } = self.env.owner {
            // A bare name in synaptic code is the synapse's or the target's; the source's
            // need `_pre`.
            if pre.iter().any(|v| v.name == name) {
                d = d.with_note(format!(
                    "help: the source group has '{name}': write '{name}_pre' (a bare name is the synapse's or the target's)"
                ));
            } else {
                let candidates = names::visible_names(&self.env);
                if let Some(s) = names::suggest(name, candidates.iter().map(String::as_str)) {
                    d = d.with_note(format!("help: did you mean '{s}'?"));
                }
            }
        } else {
            let candidates = names::visible_names(&self.env);
            if let Some(s) = names::suggest(name, candidates.iter().map(String::as_str)) {
                d = d.with_note(format!("help: did you mean '{s}'?"));
            }
        }
        self.diags.push(d);
    }

    /// `-x`, `+x`, `not x`.
    fn unary(&mut self, op: UnaryOp, operand: &Expr, span: Span) -> Option<Checked> {
        let c = self.check(operand)?;
        match op {
            UnaryOp::Neg | UnaryOp::Pos => {
                if c.ty == VarType::Boolean {
                    let sym = if op == UnaryOp::Neg { "-" } else { "+" };
                    self.error(
                        format!("unary '{sym}' cannot be applied to a boolean value"),
                        operand.span,
                        "expected a number, found boolean",
                    );
                    return None;
                }
                Some(checked(HExpr::Unary(op, Box::new(c.expr)), c.dim, c.ty))
            }
            UnaryOp::Not => {
                if c.ty != VarType::Boolean {
                    self.error(
                        "expression ought to be boolean but is not",
                        operand.span,
                        format!("'not' needs a boolean, found {}", describe(c.ty, c.dim)),
                    );
                    return None;
                }
                let _ = span;
                Some(checked(
                    HExpr::Unary(op, Box::new(c.expr)),
                    Dimension::DIMENSIONLESS,
                    VarType::Boolean,
                ))
            }
        }
    }

    /// Binary operators.
    fn binary(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr, span: Span) -> Option<Checked> {
        let l = self.check(lhs);
        let r = self.check(rhs);
        let (l, r) = (l?, r?);
        let one = Dimension::DIMENSIONLESS;
        let (dim, ty) = match op {
            BinOp::Add | BinOp::Sub | BinOp::Mod => {
                if l.dim != r.dim {
                    self.error(
                        format!("inconsistent units in '{}'", op.symbol()),
                        rhs.span,
                        format!(
                            "expected {} (the unit of the left operand), found {}",
                            l.dim.unit_name(),
                            r.dim.unit_name()
                        ),
                    );
                    return None;
                }
                (l.dim, arith_type(l.ty, r.ty))
            }
            BinOp::Mul => (l.dim.mul(r.dim), arith_type(l.ty, r.ty)),
            BinOp::Div => (l.dim.div(r.dim), VarType::Float),
            BinOp::FloorDiv => {
                let mut ok = true;
                for (c, s) in [(&l, lhs.span), (&r, rhs.span)] {
                    if !c.dim.is_dimensionless() {
                        self.error(
                            "floor division can only be used on dimensionless values",
                            s,
                            format!("expected 1, found {}", c.dim.unit_name()),
                        );
                        ok = false;
                    }
                }
                if !ok {
                    return None;
                }
                (one, arith_type(l.ty, r.ty))
            }
            BinOp::Pow => {
                let dim = self.power_dim(&l, &r, rhs.span)?;
                let ty = arith_type(l.ty, r.ty);
                // A constant exponent is folded to one number (what the dimension used).
                if let Some(k) = const_value(&r.expr) {
                    let base = Box::new(l.expr);
                    let exp = Box::new(HExpr::Const(k));
                    return Some(checked(HExpr::Binary(op, base, exp), dim, ty));
                }
                (dim, ty)
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => {
                if l.dim != r.dim {
                    self.error(
                        "comparison of expressions with different units",
                        rhs.span,
                        format!(
                            "expected {} (the unit of the left operand), found {}",
                            l.dim.unit_name(),
                            r.dim.unit_name()
                        ),
                    );
                    return None;
                }
                (one, VarType::Boolean)
            }
            BinOp::And | BinOp::Or => {
                let mut ok = true;
                for (c, s) in [(&l, lhs.span), (&r, rhs.span)] {
                    if c.ty != VarType::Boolean {
                        self.error(
                            "expression ought to be boolean but is not",
                            s,
                            format!(
                                "'{}' needs booleans, found {}",
                                op.symbol(),
                                describe(c.ty, c.dim)
                            ),
                        );
                        ok = false;
                    }
                }
                if !ok {
                    return None;
                }
                (one, VarType::Boolean)
            }
        };
        let _ = span;
        Some(checked(
            HExpr::Binary(op, Box::new(l.expr), Box::new(r.expr)),
            dim,
            ty,
        ))
    }

    /// The dimension of `base ** exponent`.
    fn power_dim(&mut self, base: &Checked, exp: &Checked, exp_span: Span) -> Option<Dimension> {
        if !exp.dim.is_dimensionless() {
            self.error(
                "the exponent for a power operation has to be dimensionless",
                exp_span,
                format!("expected 1, found {}", exp.dim.unit_name()),
            );
            return None;
        }
        if base.dim.is_dimensionless() {
            return Some(Dimension::DIMENSIONLESS);
        }
        let Some(value) = const_value(&exp.expr) else {
            self.error(
                "the exponent of a quantity with units must be a constant",
                exp_span,
                format!(
                    "not a constant, and the base has unit {}",
                    base.dim.unit_name()
                ),
            );
            return None;
        };
        match Rational::from_f64(value) {
            Some(k) => Some(base.dim.pow(k)),
            None => {
                self.error(
                    format!(
                        "cannot raise a quantity of unit {} to the power {value}",
                        base.dim.unit_name()
                    ),
                    exp_span,
                    "expected a simple fraction as the exponent",
                );
                None
            }
        }
    }
}

/// A [`Checked`] from its parts.
pub(crate) fn checked(expr: HExpr, dim: Dimension, ty: VarType) -> Checked {
    Checked { expr, dim, ty }
}

/// Type of an arithmetic result: the larger of the operand types, booleans counting as integers
/// (`True + 1 == 2`).
pub(crate) fn arith_type(a: VarType, b: VarType) -> VarType {
    if a == VarType::Float || b == VarType::Float {
        VarType::Float
    } else {
        VarType::Integer
    }
}

/// Describes a value for labels: `boolean`, `integer`, `a value of unit volt`.
pub(crate) fn describe(ty: VarType, dim: Dimension) -> String {
    match ty {
        VarType::Boolean => "boolean".into(),
        VarType::Integer if dim.is_dimensionless() => "integer".into(),
        _ => format!("a value of unit {}", dim.unit_name()),
    }
}

/// The value of a constant expression (numbers and arithmetic on them), as Python computes it;
/// `None` if it refers to anything that is not a constant.
pub(crate) fn const_value(e: &HExpr) -> Option<f64> {
    match e {
        HExpr::Const(v) => Some(*v),
        HExpr::Unary(UnaryOp::Neg, x) => const_value(x).map(|v| -v),
        HExpr::Unary(UnaryOp::Pos, x) => const_value(x),
        HExpr::Binary(op, a, b) => {
            let (a, b) = (const_value(a)?, const_value(b)?);
            Some(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                BinOp::Pow => a.powf(b),
                BinOp::FloorDiv => (a / b).floor(),
                BinOp::Mod => a - b * (a / b).floor(),
                _ => return None,
            })
        }
        _ => None,
    }
}

/// Checks a single expression of a group (see [`super::check_expr`]).
pub(crate) fn check_top_expr(
    expr: &Expr,
    scope: &Scope,
    expect: Expect,
    what: &str,
) -> (Option<(HExpr, Dimension, VarType)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let env = Env {
        own: scope.own,
        subexprs: scope.subexpressions,
        owner: scope.owner,
        ns: scope.ns,
        temps: &[],
        noise: false,
    };
    let mut checker = ExprChecker::new(env, &mut diags);
    let result = checker.check_root(expr);
    let Some(c) = result else {
        return (None, diags);
    };
    match expect {
        Expect::Boolean if c.ty != VarType::Boolean => {
            diags.push(
                Diagnostic::error(format!("{what} is not a boolean expression"), expr.span)
                    .with_label(format!(
                        "expected a boolean expression, found {}",
                        describe(c.ty, c.dim)
                    )),
            );
        }
        Expect::Dim(d) if c.dim != d => {
            diags.push(
                Diagnostic::error(format!("{what} does not have the expected unit"), expr.span)
                    .with_label(format!(
                        "expected {}, found {}",
                        d.unit_name(),
                        c.dim.unit_name()
                    )),
            );
        }
        _ => {}
    }
    if super::has_error(&diags) {
        (None, diags)
    } else {
        (Some((c.expr, c.dim, c.ty)), diags)
    }
}

//! Stage 2: name resolution, dimension inference and checking, and flag validation.
//!
//! `check` turns the AST of model strings, code strings and single expressions into the
//! [`hir`], the only form later stages see. It follows Brian2's rules (BRIAN2-SEMANTICS §1–§3):
//! identifier rules for declared names, allowed flags per equation kind and owner, unit
//! specifications written with base units only, dimensionless number literals, dimension rules of
//! every operator and default function, read-only names, subexpression ordering and inlining.
//!
//! Checking never stops at the first problem: every entry point returns *all* diagnostics it
//! found (errors, warnings and notes), each with a span into the file the user wrote, together
//! with the checked result when there was no error. Nothing here parses text, evaluates a
//! script or knows about integration methods; it never panics on any AST.
//!
//! Names are resolved in Brian2's order: the group's own variables (and, in Synapses, the
//! `_pre`/`_post` variables and the target's variables without suffix), special names, then the
//! built-in constants `pi`/`e`/`inf`, unit names, default functions, and last the script's
//! [`Namespace`]. Script constants are folded into [`hir::HExpr::Const`] (SI values).

pub mod hir;

mod calls;
mod code;
mod dims;
mod equations;
mod flags;
mod limits;
mod names;
mod order;
mod print;
mod synapses;
mod unitspec;

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::syntax::ast;
use crate::units::Dimension;

pub use names::suggest;
pub use unitspec::unit_spec;

/// A script constant visible to model strings (looked up at run time, as Brian2 does).
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// A number with a dimension (`tau = 10*ms` is `0.01` with dimension second).
    Number {
        /// The value in SI base units.
        value: f64,
        /// Its dimension.
        dim: Dimension,
        /// True for Python integers (`N = 100`), which are typed `integer` in expressions.
        integer: bool,
    },
    /// `True` or `False`.
    Bool(bool),
    /// A `TimedArray`, callable as `name(t)`, or as `name(t, i)` when it is two-dimensional.
    TimedArray {
        /// Index of the table in the network's list of TimedArrays.
        table: u32,
        /// Dimension of the values.
        dim: Dimension,
        /// The table's time step in seconds.
        dt: f64,
        /// The number of columns of a two-dimensional table; `None` for a one-dimensional one.
        columns: Option<usize>,
        /// The number of rows (time steps).
        rows: usize,
    },
}

/// External names: script constants (name -> value). Units, `pi`/`e`/`inf`, and default functions
/// are built in and need not be here.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    /// The script's constants by name.
    pub values: HashMap<String, ConstValue>,
}

/// What kind of object owns a model/code (decides allowed flags and visible names).
#[derive(Clone, Copy, Debug)]
pub enum Owner<'a> {
    /// A `NeuronGroup`.
    NeuronGroup,
    /// A `Synapses` object connecting two groups.
    Synapses {
        /// Variables of the source group (visible as `x_pre`).
        pre: &'a [hir::Variable],
        /// Variables of the target group (visible as `x_post` and as bare `x`).
        post: &'a [hir::Variable],
    },
}

impl Owner<'_> {
    /// True for Synapses.
    pub fn is_synapses(&self) -> bool {
        matches!(self, Owner::Synapses { .. })
    }
}

/// The names visible to an expression or code string of a group.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The group's variables (a [`hir::CheckedModel`]'s `variables`).
    pub own: &'a [hir::Variable],
    /// The group's subexpressions (inlined where used).
    pub subexpressions: &'a [hir::SubExpr],
    /// Who owns the code.
    pub owner: Owner<'a>,
    /// Script constants.
    pub ns: &'a Namespace,
}

/// What an expression must be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expect {
    /// A boolean expression (threshold, connect condition).
    Boolean,
    /// A value of this dimension (initialisation of a variable).
    Dim(Dimension),
    /// Anything; the caller inspects the returned dimension and type.
    Any,
}

/// Checks a model string. `has_refractory`: whether the group has a `refractory` argument
/// (adds internal variables `lastspike : second` and `not_refractory : boolean`; without it
/// `(unless refractory)` gives a warning like Brian2's). Returns the model (`None` if any error)
/// and all diagnostics (errors, warnings and notes).
pub fn check_model(
    model: &ast::Model,
    owner: &Owner,
    ns: &Namespace,
    has_refractory: bool,
) -> (Option<hir::CheckedModel>, Vec<Diagnostic>) {
    equations::check_model(model, owner, ns, has_refractory)
}

/// Checks an expression (threshold: [`Expect::Boolean`]; `G.v = 'expr'` initialisation:
/// `Expect::Dim(dim of v)`; refractory string: [`Expect::Any`], and the caller inspects the
/// returned dimension/type; connect conditions: Boolean). Returns the HIR with subexpressions
/// inlined, its dimension and its type. `what` names the expression in messages
/// (`"threshold condition"`, `"initialisation of v"`).
pub fn check_expr(
    expr: &ast::Expr,
    scope: &Scope,
    expect: Expect,
    what: &str,
) -> (
    Option<(hir::HExpr, Dimension, hir::VarType)>,
    Vec<Diagnostic>,
) {
    dims::check_top_expr(expr, scope, expect, what)
}

/// Checks a code string (reset, on_pre/on_post, run_regularly): temporaries, augmented
/// assignments expanded, read-only and subexpression writes rejected, units of both sides agree.
/// `what` names the code in messages (`"reset"`, `"on_pre"`). `shared_writes`: whether the
/// code may write shared variables (Brian2 allows it in `run_regularly` code only, where its
/// shared statements run once per call, before the per-element ones).
pub fn check_code(
    code: &ast::Code,
    scope: &Scope,
    what: &str,
    shared_writes: bool,
) -> (Option<hir::CheckedCode>, Vec<Diagnostic>) {
    code::check_code(code, scope, what, shared_writes)
}

/// True if `diags` contains an error.
fn has_error(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

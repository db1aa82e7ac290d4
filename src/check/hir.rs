//! The checked, resolved model: the only input to integration and lowering.
//!
//! Every name is resolved (state variable, special name, or folded into a constant), every
//! number is in SI base units, and dimensions have been checked and are recorded on variables.
//! Nothing downstream of `check` sees the AST.

use crate::functions::Func;
use crate::source::Span;
use crate::units::Dimension;

pub use crate::syntax::ast::{BinOp, UnaryOp};

/// A checked expression. Numbers are SI values; booleans are 0/1 in arithmetic.
#[derive(Clone, Debug, PartialEq)]
pub enum HExpr {
    /// A number (a literal, a folded script constant or a unit such as `mV` = 0.001).
    Const(f64),
    /// A variable of the group (state variable, parameter or internal variable such as
    /// `lastspike`, `not_refractory`), or of a synapse's source/target group.
    Var(VarRef),
    /// A special name.
    Special(Special),
    /// A temporary of a code block, set by an earlier statement of the same block.
    Temp(String),
    /// A white-noise symbol (`xi`, `xi_1`), only in differential equations.
    Noise(String),
    /// `rand()`.
    Rand,
    /// `randn()`.
    Randn,
    /// A unary operation.
    Unary(UnaryOp, Box<HExpr>),
    /// A binary operation (Python semantics; see `syntax::ast::BinOp`).
    Binary(BinOp, Box<HExpr>, Box<HExpr>),
    /// A default function.
    Call(Func, Vec<HExpr>),
    /// `if cond != 0 { then } else { otherwise }` (made by the integrators for conditional
    /// writes such as `(unless refractory)`; not writable in Brian2 strings).
    Select(Box<HExpr>, Box<HExpr>, Box<HExpr>),
    /// `TimedArray` lookup: `values[row]` (1-D) or `values[row, index]` (2-D), with `row` the
    /// clipped time step of `arg` (see `runtime::tables`).
    Table {
        /// Which table, and its shape.
        table: TableRef,
        /// The time argument (usually `t`).
        arg: Box<HExpr>,
        /// The column of a two-dimensional table (an integer expression, usually `i`).
        index: Option<Box<HExpr>>,
    },
}

/// A `TimedArray` as model code uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TableRef {
    /// Index in the network's list of TimedArrays.
    pub id: u32,
    /// The table's time step (s).
    pub dt: f64,
    /// Its number of rows (time steps).
    pub rows: usize,
    /// The number of columns of a two-dimensional table; `None` for a one-dimensional one.
    pub columns: Option<usize>,
}

/// A reference to a variable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarRef {
    /// The variable's name in its group (without `_pre`/`_post`).
    pub name: String,
    /// Whose variable.
    pub side: Side,
}

/// Whose variable a [`VarRef`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// The group's (or synapse's) own.
    Own,
    /// A synapse's presynaptic neuron (`v_pre`).
    Pre,
    /// A synapse's postsynaptic neuron (`v_post`, or bare `v` of the target in Synapses).
    Post,
}

/// Special names of Brian2 (BRIAN2-SEMANTICS §2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Special {
    /// Clock time of the current step (second).
    T,
    /// Clock step (second).
    Dt,
    /// Element index (neuron index; presynaptic index in Synapses).
    I,
    /// Postsynaptic index in Synapses.
    J,
    /// Group size (number of synapses in Synapses).
    N,
    /// Size of a synapse's source group.
    NPre,
    /// Size of a synapse's target group.
    NPost,
    /// Synapses: the number of synapses onto this synapse's postsynaptic neuron.
    NIncoming,
    /// Synapses: the number of synapses from this synapse's presynaptic neuron.
    NOutgoing,
    /// The step counter of the clock.
    TInTimesteps,
}

/// The type of a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarType {
    /// `f64` with a dimension.
    Float,
    /// Integral values (stored as `f64`; assignment truncates toward zero).
    Integer,
    /// 0/1 (stored as `f64`; assignment stores `value != 0`).
    Boolean,
}

/// What defines a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarKind {
    /// `dx/dt = ...`
    Differential,
    /// `x : unit`
    Parameter,
    /// `x = expr : unit` (inlined; never stored unless `constant over dt`)
    Subexpression,
    /// Added by the system (`lastspike`, `not_refractory`, `lastupdate`).
    Internal,
}

/// Flags of a variable (BRIAN2-SEMANTICS §1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct VarFlags {
    /// `(unless refractory)`
    pub unless_refractory: bool,
    /// `(constant)`
    pub constant: bool,
    /// `(shared)`
    pub shared: bool,
    /// `(linked)`
    pub linked: bool,
    /// `(constant over dt)`
    pub constant_over_dt: bool,
    /// `(summed)`
    pub summed: bool,
    /// `(event-driven)`
    pub event_driven: bool,
    /// `(clock-driven)`
    pub clock_driven: bool,
}

/// A declared variable of a checked model.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    /// Name.
    pub name: String,
    /// Dimension.
    pub dim: Dimension,
    /// Type.
    pub ty: VarType,
    /// Kind.
    pub kind: VarKind,
    /// Flags.
    pub flags: VarFlags,
    /// Where it was declared (`None` for internal variables).
    pub span: Option<Span>,
}

/// A checked differential equation.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffEq {
    /// The variable.
    pub var: String,
    /// Right-hand side with all subexpressions substituted (inlined), in SI units per second.
    pub rhs: HExpr,
    /// Where the equation was written.
    pub span: Span,
}

/// A checked subexpression.
#[derive(Clone, Debug, PartialEq)]
pub struct SubExpr {
    /// The name.
    pub name: String,
    /// Its expression with other subexpressions substituted.
    pub expr: HExpr,
}

/// A checked model string.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CheckedModel {
    /// All variables: declared ones in declaration order, then internal ones.
    pub variables: Vec<Variable>,
    /// Subexpressions in dependency order (each already substituted).
    pub subexpressions: Vec<SubExpr>,
    /// Differential equations, ordered as Brian2 orders them for code generation (by name).
    pub diff_eqs: Vec<DiffEq>,
}

impl CheckedModel {
    /// The variable called `name`.
    pub fn var(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// A checked statement of a code string: `target = value` with augmented assignments expanded
/// (`v += w` becomes `v = v + w`).
#[derive(Clone, Debug, PartialEq)]
pub struct HStatement {
    /// What is written.
    pub target: Target,
    /// The value (before conversion to the target's type).
    pub value: HExpr,
    /// Where.
    pub span: Span,
}

/// Whether `e` has one value for the whole group or synapses, as Brian2's
/// `is_scalar_expression` decides: it reads only the object's own shared variables,
/// temporaries in `scalar_temps`, constants, `t`, `dt`, `N`, `N_pre`, `N_post` and
/// `t_in_timesteps`. Per-element variables, `i`, `j`, `N_incoming`/`N_outgoing`, random numbers
/// and noise make it per element.
pub fn is_scalar(e: &HExpr, own: &[Variable], scalar_temps: &[String]) -> bool {
    let rec = |x: &HExpr| is_scalar(x, own, scalar_temps);
    match e {
        HExpr::Const(_) => true,
        HExpr::Var(r) => {
            r.side == Side::Own && own.iter().any(|v| v.name == r.name && v.flags.shared)
        }
        HExpr::Special(s) => matches!(
            s,
            Special::T
                | Special::Dt
                | Special::N
                | Special::NPre
                | Special::NPost
                | Special::TInTimesteps
        ),
        HExpr::Temp(t) => scalar_temps.contains(t),
        HExpr::Noise(_) | HExpr::Rand | HExpr::Randn => false,
        HExpr::Unary(_, a) => rec(a),
        HExpr::Binary(_, a, b) => rec(a) && rec(b),
        HExpr::Call(_, args) => args.iter().all(rec),
        HExpr::Select(c, a, b) => rec(c) && rec(a) && rec(b),
        HExpr::Table { arg, index, .. } => rec(arg) && index.as_deref().is_none_or(rec),
    }
}

/// The target of a [`HStatement`].
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A variable of the group (or `_pre`/`_post` of a synapse).
    Var(VarRef, VarType),
    /// A temporary local to the code block (`x = ...` where `x` is unknown).
    Temp(String),
}

/// A checked code block.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CheckedCode {
    /// Statements in order.
    pub statements: Vec<HStatement>,
}

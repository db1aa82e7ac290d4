//! The kernel IR: what both backends execute.
//!
//! A [`Kernel`] is a loop over *elements* (neurons or synapses) with a per-call prologue of
//! loop-invariant statements. Every value is an `f64`: booleans are `0.0`/`1.0`, integers are
//! exact integral `f64`s (state columns are `f64` too), so both backends have one value type and
//! the JIT vectorises over `f64x2`. The semantics of each operation are fixed here, in words;
//! `backend::interp` implements them literally and is the specification that the JIT must
//! reproduce bit for bit. Nothing here knows about units, ASTs or the runtime.

/// Index of a temporary register (per kernel, written by [`Stmt::Let`]).
pub type TempId = u32;
/// Index into a kernel's column table ([`Kernel::columns`]).
pub type ColId = u32;
/// Index into a kernel's scalar inputs ([`Kernel::scalars`]).
pub type ScalarId = u32;

/// One compiled unit of per-step (or one-off) work.
#[derive(Clone, Debug, PartialEq)]
pub struct Kernel {
    /// A readable name (`neurongroup.state_update`), used in IR text and profiling.
    pub name: String,
    /// The state columns the kernel reads or writes, each appearing once. A column that is read
    /// both as `v_pre` and `v_post` (a group connected to itself) is one entry accessed through
    /// two [`Index`] modes.
    pub columns: Vec<ColumnDecl>,
    /// Names of the scalar inputs, filled by the runtime in this order (`t`, `dt`, `N`,
    /// external constants, ...).
    pub scalars: Vec<String>,
    /// Which elements the loop visits.
    pub domain: Domain,
    /// Statements run once per call before the loop. They may use only [`Expr::Const`],
    /// [`Expr::Scalar`], [`Expr::Temp`] (of earlier prologue lets), operators, [`Expr::Select`]
    /// and [`Expr::Call`]; never loads, element indices or random numbers. Temporaries they set
    /// are visible in the body.
    pub prologue: Vec<Stmt>,
    /// Statements run for each element, in order; each element sees its own earlier writes.
    pub body: Vec<Stmt>,
    /// Number of temporaries (`TempId`s are `0..n_temps`).
    pub n_temps: u32,
    /// The object part of the random-number key (see [`Expr::Rand`]).
    pub rng_object: u64,
}

/// A column used by a kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDecl {
    /// A readable name (`neurongroup.v`), for IR text only.
    pub name: String,
    /// True if the kernel stores to the column.
    pub written: bool,
}

/// Which elements a kernel visits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Elements `start..end` in ascending order.
    Range,
    /// Elements `list[k]` for `k` in `start..end` in ascending `k` (spike lists, synapses whose
    /// events are due). The same element may appear several times; visits are sequential.
    List,
}

/// How a column is indexed for element `e`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Index {
    /// `column[e]`: the element's own value.
    Elem,
    /// `column[pre[e]]`: the presynaptic neuron of synapse `e`.
    Pre,
    /// `column[post[e]]`: the postsynaptic neuron of synapse `e`.
    Post,
    /// `column[0]`: a shared (scalar) variable.
    Shared,
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// `temp = value`.
    Let {
        /// Destination.
        temp: TempId,
        /// Value.
        value: Expr,
    },
    /// `column[index(e)] = value`.
    Store {
        /// Destination column.
        col: ColId,
        /// How it is indexed.
        index: Index,
        /// Value.
        value: Expr,
    },
    /// If `cond != 0`, append the element `e` (as `u32`) to the kernel's spike buffer. Elements
    /// are appended in visiting order, so a `Range` kernel produces ascending indices.
    EmitSpike {
        /// The threshold condition.
        cond: Expr,
    },
}

/// An expression; evaluation has no side effects except advancing nothing: random numbers are
/// pure functions of their key.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal.
    Const(f64),
    /// `scalars[k]`.
    Scalar(ScalarId),
    /// A temporary set earlier (in the prologue or earlier in the body for this element).
    Temp(TempId),
    /// `column[index(e)]`.
    Load {
        /// Source column.
        col: ColId,
        /// How it is indexed.
        index: Index,
    },
    /// `column[k]` with `k = trunc(index)` when `0 <= k < len(column)`, else NaN (also for a
    /// NaN index). This is the lookup of a two-dimensional `TimedArray` (`ta(t, i)`), whose
    /// current row the runtime keeps in `column`; Brian2's generated code returns NaN for an
    /// index outside the row in the same way. The column is read whole, like a `Shared` one,
    /// never written by the kernel, and must not be empty.
    Gather {
        /// Source column.
        col: ColId,
        /// The position, any expression.
        index: Box<Expr>,
    },
    /// The element index as `f64`: `e` for [`Index::Elem`], `pre[e]`, `post[e]`; `0` for
    /// [`Index::Shared`].
    ElemIndex(Index),
    /// A unary operation.
    Unary {
        /// Operator.
        op: UnOp,
        /// Operand.
        arg: Box<Expr>,
    },
    /// A binary operation.
    Binary {
        /// Operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `if cond != 0 { then } else { otherwise }`; both branches are evaluated (no side
    /// effects), only one is kept.
    Select {
        /// Condition.
        cond: Box<Expr>,
        /// Value when the condition is nonzero.
        then: Box<Expr>,
        /// Value when it is zero.
        otherwise: Box<Expr>,
    },
    /// A math function; see [`Func`] for arities and meanings.
    Call {
        /// Function.
        func: Func,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// A uniform number in `[0, 1)`: `crate::runtime::rng::uniform(seed, rng_object, site, e,
    /// step)`, where `e` is the element index (for `List` domains the listed element, not `k`).
    /// Distinct call sites of a kernel must have distinct `site`s.
    Rand {
        /// Call-site number, unique within the kernel.
        site: u32,
    },
    /// A standard normal number: `crate::runtime::rng::normal(seed, rng_object, site, e, step)`.
    Randn {
        /// Call-site number, unique within the kernel.
        site: u32,
    },
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-x` (IEEE negation: flips the sign bit, so `-0.0` stays distinct).
    Neg,
    /// `1.0` if `x == 0.0`, else `0.0` (NaN counts as nonzero, as in C).
    Not,
}

/// Binary operators. Arithmetic is IEEE `f64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `a + b`
    Add,
    /// `a - b`
    Sub,
    /// `a * b`
    Mul,
    /// `a / b` (true division)
    Div,
    /// `floor(a / b)` — computed as `(a / b).floor()`.
    FloorDiv,
    /// Python's `%`: `a - b * floor(a / b)` (sign of the divisor).
    Mod,
    /// `a.powf(b)` (Rust's `f64::powf`, called by the JIT too).
    Pow,
    /// `a < b` as 0/1.
    Lt,
    /// `a <= b` as 0/1.
    Le,
    /// `a > b` as 0/1.
    Gt,
    /// `a >= b` as 0/1.
    Ge,
    /// `a == b` as 0/1.
    Eq,
    /// `a != b` as 0/1.
    Ne,
    /// `(a != 0 && b != 0)` as 0/1; both operands are evaluated.
    And,
    /// `(a != 0 || b != 0)` as 0/1; both operands are evaluated.
    Or,
}

impl Stmt {
    /// The expression the statement evaluates (a let's or store's value, a spike condition).
    pub fn value(&self) -> &Expr {
        match self {
            Stmt::Let { value, .. } | Stmt::Store { value, .. } => value,
            Stmt::EmitSpike { cond } => cond,
        }
    }
}

impl Expr {
    /// Whether the expression reads column `col` (by any index, or as a whole).
    pub fn reads_column(&self, col: ColId) -> bool {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Load { col: c, .. } | Expr::Gather { col: c, .. } if *c == col => {
                    return true
                }
                _ => e.push_children(&mut stack),
            }
        }
        false
    }

    /// Whether the expression has the same value for every element of a call: it is built
    /// from constants, scalars and the temporaries in `invariant_temps` only (loads, element
    /// indices, random numbers and any other temporary count as per element).
    pub fn is_invariant(&self, invariant_temps: &[TempId]) -> bool {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Const(_) | Expr::Scalar(_) => {}
                Expr::Temp(t) if invariant_temps.contains(t) => {}
                Expr::Temp(_)
                | Expr::Load { .. }
                | Expr::Gather { .. }
                | Expr::ElemIndex(_)
                | Expr::Rand { .. }
                | Expr::Randn { .. } => return false,
                _ => e.push_children(&mut stack),
            }
        }
        true
    }

    /// Appends this expression's operands to `out`, for walks over a tree with an explicit
    /// stack (leaves have none).
    pub fn push_children<'a>(&'a self, out: &mut Vec<&'a Expr>) {
        match self {
            Expr::Const(_)
            | Expr::Scalar(_)
            | Expr::Temp(_)
            | Expr::Load { .. }
            | Expr::ElemIndex(_)
            | Expr::Rand { .. }
            | Expr::Randn { .. } => {}
            Expr::Gather { index, .. } => out.push(index),
            Expr::Unary { arg, .. } => out.push(arg),
            Expr::Binary { lhs, rhs, .. } => {
                out.push(lhs);
                out.push(rhs);
            }
            Expr::Select {
                cond,
                then,
                otherwise,
            } => {
                out.push(cond);
                out.push(then);
                out.push(otherwise);
            }
            Expr::Call { args, .. } => out.extend(args),
        }
    }

    /// [`Expr::push_children`] for rewriting passes: the operands, mutably.
    pub fn push_children_mut<'a>(&'a mut self, out: &mut Vec<&'a mut Expr>) {
        match self {
            Expr::Const(_)
            | Expr::Scalar(_)
            | Expr::Temp(_)
            | Expr::Load { .. }
            | Expr::ElemIndex(_)
            | Expr::Rand { .. }
            | Expr::Randn { .. } => {}
            Expr::Gather { index, .. } => out.push(index),
            Expr::Unary { arg, .. } => out.push(arg),
            Expr::Binary { lhs, rhs, .. } => {
                out.push(lhs);
                out.push(rhs);
            }
            Expr::Select {
                cond,
                then,
                otherwise,
            } => {
                out.push(cond);
                out.push(then);
                out.push(otherwise);
            }
            Expr::Call { args, .. } => out.extend(args.iter_mut()),
        }
    }
}

impl Kernel {
    /// Whether some statement stores through `index`, or some expression loads through it or
    /// reads the index itself (`ElemIndex`).
    pub fn uses_index(&self, index: Index) -> bool {
        let mut stack: Vec<&Expr> = Vec::new();
        for stmt in self.prologue.iter().chain(&self.body) {
            if matches!(stmt, Stmt::Store { index: i, .. } if *i == index) {
                return true;
            }
            stack.push(stmt.value());
        }
        while let Some(e) = stack.pop() {
            match e {
                Expr::Load { index: i, .. } | Expr::ElemIndex(i) if *i == index => return true,
                _ => e.push_children(&mut stack),
            }
        }
        false
    }

    /// The prologue's temporaries that the body never assigns: their value is the same for
    /// every element (a temporary the body assigns holds another value after that).
    pub fn invariant_temps(&self) -> Vec<TempId> {
        let assigned_in_body: Vec<TempId> = self
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::Let { temp, .. } => Some(*temp),
                _ => None,
            })
            .collect();
        self.prologue
            .iter()
            .filter_map(|s| match s {
                Stmt::Let { temp, .. } => Some(*temp),
                _ => None,
            })
            .filter(|t| !assigned_in_body.contains(t))
            .collect()
    }
}

pub use crate::functions::{Func, ALL_FUNCS, INTERNAL_FUNCS};

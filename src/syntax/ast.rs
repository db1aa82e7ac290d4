//! The abstract syntax trees of the three languages a user writes: expressions and code strings,
//! model (equation) strings, and `.eq` scripts (a declarative subset of Python).
//!
//! Every node carries a [`Span`] into the file the user wrote (see [`crate::source::OffsetMap`]
//! for text parsed out of string literals). The AST knows nothing about units, types or IR: a
//! unit specification after `:` is kept as an expression and interpreted by `check`.

use crate::source::{OffsetMap, Span};

/// An identifier with its location.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

// ---------------------------------------------------------------------------------------------
// Expressions of model and code strings (Brian2's expression language).
// ---------------------------------------------------------------------------------------------

/// An expression in a model or code string.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written (the whole expression, parentheses excluded).
    pub span: Span,
}

/// The kinds of [`Expr`].
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal (`3`); literals too large for `i64` become [`ExprKind::Float`].
    Int(i64),
    /// A floating-point literal (`1e-3`, `.5`, `3.`).
    Float(f64),
    /// `True` or `False`.
    Bool(bool),
    /// A name: variable, constant, unit (`mV`) or special (`t`, `xi`).
    Name(String),
    /// A call with positional arguments: `exp(-t/tau)`, `rand()`.
    Call {
        /// The function name.
        func: Ident,
        /// Arguments in order.
        args: Vec<Expr>,
    },
    /// `-x`, `+x`, `not x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// Arithmetic, comparison and boolean operators.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `not x`
    Not,
}

/// Binary operators, in Python's meaning (`/` is true division, `//` floors, `%` takes the sign
/// of the divisor, `**` is right-associative).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `and`
    And,
    /// `or`
    Or,
}

impl BinOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }

    /// True for `< <= > >= == !=`.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Model strings.
// ---------------------------------------------------------------------------------------------

/// A model (equations) string: one equation per line.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Model {
    /// The equations in source order.
    pub equations: Vec<Equation>,
}

/// Which of Brian2's three equation forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EquationKind {
    /// `dx/dt = expr : unit (flags)`
    Differential,
    /// `x = expr : unit (flags)` (a subexpression)
    Subexpression,
    /// `x : unit (flags)` (a parameter)
    Parameter,
}

/// One equation of a model string.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    /// Differential equation, subexpression or parameter.
    pub kind: EquationKind,
    /// The variable defined.
    pub var: Ident,
    /// The right-hand side (`None` for parameters).
    pub expr: Option<Expr>,
    /// The unit specification after `:` as an expression over unit names (`volt`,
    /// `siemens/metre**2`, `second**-0.5`), or the names `boolean`/`integer`, or the literal `1`.
    pub unit: Expr,
    /// Flags in parentheses after the unit, in order.
    pub flags: Vec<Flag>,
    /// The whole equation.
    pub span: Span,
}

/// A flag such as `unless refractory` or `event-driven`; inner whitespace is normalised to one
/// space.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    /// The flag text.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

// ---------------------------------------------------------------------------------------------
// Code strings.
// ---------------------------------------------------------------------------------------------

/// A code string: statements separated by newlines or `;`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Code {
    /// The statements in order.
    pub statements: Vec<Statement>,
}

/// Assignment operators of code strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssignOp {
    /// `=`
    Assign,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
    /// `//=` (parsed; rejected by unit checking, as in Brian2)
    FloorDiv,
    /// `%=`
    Mod,
    /// `**=` (parsed; rejected by unit checking, as in Brian2)
    Pow,
}

impl AssignOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            AssignOp::Assign => "=",
            AssignOp::Add => "+=",
            AssignOp::Sub => "-=",
            AssignOp::Mul => "*=",
            AssignOp::Div => "/=",
            AssignOp::FloorDiv => "//=",
            AssignOp::Mod => "%=",
            AssignOp::Pow => "**=",
        }
    }

    /// The binary operator of an augmented assignment (`None` for `=`).
    pub fn binop(self) -> Option<BinOp> {
        Some(match self {
            AssignOp::Assign => return None,
            AssignOp::Add => BinOp::Add,
            AssignOp::Sub => BinOp::Sub,
            AssignOp::Mul => BinOp::Mul,
            AssignOp::Div => BinOp::Div,
            AssignOp::FloorDiv => BinOp::FloorDiv,
            AssignOp::Mod => BinOp::Mod,
            AssignOp::Pow => BinOp::Pow,
        })
    }
}

/// `target op value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// The variable written.
    pub target: Ident,
    /// `=`, `+=`, ...
    pub op: AssignOp,
    /// The right-hand side.
    pub value: Expr,
    /// The whole statement.
    pub span: Span,
}

/// The generator syntax of `Synapses.connect(j=...)`:
/// `EXPR for VAR in range(a[, b[, c]]) [if COND]` or `EXPR for VAR in sample(...) [if COND]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Generator {
    /// The element expression (`k`, `i+(-1)**k`).
    pub element: Expr,
    /// The loop variable.
    pub var: Ident,
    /// What is iterated.
    pub iter: GeneratorIter,
    /// Optional `if` condition.
    pub condition: Option<Expr>,
    /// The whole generator.
    pub span: Span,
}

/// The iterable of a [`Generator`].
#[derive(Clone, Debug, PartialEq)]
pub enum GeneratorIter {
    /// `range(args...)` with 1 to 3 positional arguments.
    Range(Vec<Expr>),
    /// `sample(args..., p=..., size=...)`: 1 to 3 positional arguments and keyword arguments.
    Sample {
        /// Positional arguments (`high`, or `low, high[, step]`).
        args: Vec<Expr>,
        /// Keyword arguments (`p`, `size`).
        kwargs: Vec<(Ident, Expr)>,
    },
}

// ---------------------------------------------------------------------------------------------
// `.eq` scripts.
// ---------------------------------------------------------------------------------------------

/// A `.eq` script: a restricted Python program.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Script {
    /// Top-level statements in order.
    pub stmts: Vec<PyStmt>,
}

/// One top-level statement of a script.
#[derive(Clone, Debug, PartialEq)]
pub struct PyStmt {
    /// What kind of statement.
    pub kind: PyStmtKind,
    /// The whole statement (possibly several lines).
    pub span: Span,
}

/// The statements a script may contain.
#[derive(Clone, Debug, PartialEq)]
pub enum PyStmtKind {
    /// `from MODULE import *` (or `import MODULE`); the evaluator accepts only brian2.
    Import {
        /// The dotted module name.
        module: String,
        /// True for `from MODULE import *`.
        star: bool,
    },
    /// `a = b = value` (one or more targets).
    Assign {
        /// The targets, left to right.
        targets: Vec<PyTarget>,
        /// The value.
        value: PyExpr,
    },
    /// `target op= value` (`G.v += ...`).
    AugAssign {
        /// The target.
        target: PyTarget,
        /// The operator (never `=`).
        op: AssignOp,
        /// The value.
        value: PyExpr,
    },
    /// An expression evaluated for its effect (`run(10*ms)`, `S.connect(p=0.1)`).
    Expr(PyExpr),
    /// A Python construct outside the declarative subset (`for`, `if`, `def`, `while`, `with`,
    /// `class`, `print(...)` is a call and is rejected by the evaluator instead). The grammar
    /// recognises these keywords so the error can name the construct; the body is skipped.
    Unsupported {
        /// The keyword (`for`, `if`, `def`, ...).
        construct: String,
    },
}

/// The left-hand side of a script assignment.
#[derive(Clone, Debug, PartialEq)]
pub enum PyTarget {
    /// `NAME = ...`
    Name(Ident),
    /// `OBJ.attr = ...` (`G.v`, `defaultclock.dt`).
    Attr {
        /// The object expression.
        object: Box<PyExpr>,
        /// The attribute.
        attr: Ident,
    },
    /// `OBJ.attr[index] = ...` (`G.v[0:10]`, `S.w['i > j']`).
    Index {
        /// The indexed expression (usually an attribute).
        object: Box<PyExpr>,
        /// The index (an expression, a slice or a tuple of them).
        index: Box<PyExpr>,
    },
}

/// A Python expression in a script.
#[derive(Clone, Debug, PartialEq)]
pub struct PyExpr {
    /// What kind of expression.
    pub kind: PyExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The Python expressions a script may contain.
#[derive(Clone, Debug, PartialEq)]
pub enum PyExprKind {
    /// Integer literal.
    Int(i64),
    /// Float literal.
    Float(f64),
    /// `True`/`False`.
    Bool(bool),
    /// `None`.
    None,
    /// `{key: value, ...}`, in the order written.
    Dict(Vec<(PyExpr, PyExpr)>),
    /// A string literal (single, double or triple quoted; adjacent literals are concatenated).
    Str(StrLit),
    /// A name.
    Name(String),
    /// `object.attr`
    Attr {
        /// The object.
        object: Box<PyExpr>,
        /// The attribute name.
        attr: Ident,
    },
    /// `func(args..., name=value...)`
    Call {
        /// The callee.
        func: Box<PyExpr>,
        /// Positional arguments.
        args: Vec<PyExpr>,
        /// Keyword arguments in order.
        kwargs: Vec<(Ident, PyExpr)>,
    },
    /// `object[index]`
    Index {
        /// The object.
        object: Box<PyExpr>,
        /// The index.
        index: Box<PyExpr>,
    },
    /// `lo:hi:step` inside an index.
    Slice {
        /// Lower bound.
        lo: Option<Box<PyExpr>>,
        /// Upper bound.
        hi: Option<Box<PyExpr>>,
        /// Step.
        step: Option<Box<PyExpr>>,
    },
    /// `[a, b, c]`
    List(Vec<PyExpr>),
    /// `(a, b)` or `a, b` in an index.
    Tuple(Vec<PyExpr>),
    /// `-x`, `+x`, `not x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<PyExpr>,
    },
    /// Binary operators with Python's precedence.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<PyExpr>,
        /// Right operand.
        rhs: Box<PyExpr>,
    },
}

/// A string literal's value and where each of its bytes came from.
#[derive(Clone, Debug)]
pub struct StrLit {
    /// The value after escape processing (and concatenation of adjacent literals).
    pub value: String,
    /// Maps byte offsets in `value` to the file, so that a model string parsed from this literal
    /// reports errors at the right line and column of the `.eq` file.
    pub map: OffsetMap,
}

impl PartialEq for StrLit {
    /// Two literals are equal when their values are; where they came from does not matter.
    fn eq(&self, other: &StrLit) -> bool {
        self.value == other.value
    }
}

//! Brian2's default functions available in model and code strings, as an enum shared by the
//! checker (which knows their dimension rules), the kernel IR and both backends.
//!
//! Only the function identities live here; `check` knows their unit rules and
//! `backend::funcs` their implementation.

/// Math functions. Each is implemented once in `crate::backend::funcs` and called by both
/// backends, so results are bit-identical.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `exp(x)`
    Exp,
    /// natural `log(x)`
    Log,
    /// `log10(x)`
    Log10,
    /// `sqrt(x)`
    Sqrt,
    /// `sin(x)`
    Sin,
    /// `cos(x)`
    Cos,
    /// `tan(x)`
    Tan,
    /// `sinh(x)`
    Sinh,
    /// `cosh(x)`
    Cosh,
    /// `tanh(x)`
    Tanh,
    /// `arcsin(x)`
    Arcsin,
    /// `arccos(x)`
    Arccos,
    /// `arctan(x)`
    Arctan,
    /// `expm1(x)`
    Expm1,
    /// `log1p(x)`
    Log1p,
    /// `exprel(x) = (exp(x) - 1) / x`, `1` at `0` (Brian2's definition).
    Exprel,
    /// `abs(x)`
    Abs,
    /// `floor(x)`
    Floor,
    /// `ceil(x)`
    Ceil,
    /// `sign(x)`: `-1`, `0` or `1` (`0` for NaN).
    Sign,
    /// `int(x)`: truncation toward zero.
    Trunc,
    /// `clip(x, lo, hi)` = `min(max(x, lo), hi)`.
    Clip,
    /// `since_limit(t, dt, n)`: the largest `x` for which Brian2's refractoriness test
    /// `timestep(t - x, dt) >= n` holds (see `backend::funcs::since_limit`). Internal: the
    /// refractoriness code of a neuron group compares `lastspike` with it, one comparison per
    /// neuron instead of a division; not callable from model strings (not in [`ALL_FUNCS`]).
    SinceLimit,
    /// `timed_row(t, dt, table_dt, rows)`: the row of a `TimedArray` with `rows` rows and step
    /// `table_dt` that Brian2 reads at time `t` on a clock of step `dt` (see
    /// `backend::funcs::timed_row`). Internal: made for `ta(expr)` with `expr` other than `t`.
    TimedRow,
    /// `fma(a, b, c)`: `a*b + c` with one rounding (IEEE 754 fusedMultiplyAdd). Internal: the
    /// lowering contracts `a*b + c` in model code into it, as Brian2's compiled code does on
    /// hosts with FMA instructions (see `lower::build`).
    Fma,
    /// `fast_exp(x)`: the opt-in fast `exp` (`backend::fastmath::exp`). Internal: fast math
    /// puts it in place of a kernel body's `exp`.
    FastExp,
    /// `fast_expm1(x)`: the opt-in fast `expm1` (`backend::fastmath::expm1`). Internal.
    FastExpm1,
    /// `fast_exprel(x)`: the opt-in fast `exprel` (`backend::fastmath::exprel`). Internal.
    FastExprel,
}

impl Func {
    /// Number of arguments.
    pub fn arity(self) -> usize {
        match self {
            Func::Clip | Func::SinceLimit | Func::Fma => 3,
            Func::TimedRow => 4,
            _ => 1,
        }
    }

    /// The name used in IR text (and in Brian2 source).
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Log10 => "log10",
            Func::Sqrt => "sqrt",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Arcsin => "arcsin",
            Func::Arccos => "arccos",
            Func::Arctan => "arctan",
            Func::Expm1 => "expm1",
            Func::Log1p => "log1p",
            Func::Exprel => "exprel",
            Func::Abs => "abs",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Sign => "sign",
            Func::Trunc => "int",
            Func::Clip => "clip",
            Func::SinceLimit => "since_limit",
            Func::TimedRow => "timed_row",
            Func::Fma => "fma",
            Func::FastExp => "fast_exp",
            Func::FastExpm1 => "fast_expm1",
            Func::FastExprel => "fast_exprel",
        }
    }

    /// Looks a function up by its Brian2 name.
    pub fn from_name(name: &str) -> Option<Func> {
        ALL_FUNCS.iter().copied().find(|f| f.name() == name)
    }
}

/// The internal functions: made by lowering (refractoriness limit, TimedArray row, fused
/// multiply-add) or by fast math (`backend::fastmath`), never looked up by name.
pub const INTERNAL_FUNCS: [Func; 6] = [
    Func::SinceLimit,
    Func::TimedRow,
    Func::Fma,
    Func::FastExp,
    Func::FastExpm1,
    Func::FastExprel,
];

/// Every [`Func`] that model strings can call (all but the internal [`Func::SinceLimit`],
/// [`Func::TimedRow`] and [`Func::Fma`]), for tables and tests.
pub const ALL_FUNCS: [Func; 22] = [
    Func::Exp,
    Func::Log,
    Func::Log10,
    Func::Sqrt,
    Func::Sin,
    Func::Cos,
    Func::Tan,
    Func::Sinh,
    Func::Cosh,
    Func::Tanh,
    Func::Arcsin,
    Func::Arccos,
    Func::Arctan,
    Func::Expm1,
    Func::Log1p,
    Func::Exprel,
    Func::Abs,
    Func::Floor,
    Func::Ceil,
    Func::Sign,
    Func::Trunc,
    Func::Clip,
];

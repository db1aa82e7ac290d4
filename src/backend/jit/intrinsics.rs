//! The host functions compiled kernels call: the IR's math functions and the random-number hooks.
//!
//! Every function here is the *same* code the interpreter runs (the math functions are those of
//! [`crate::backend::funcs`], the random numbers come from [`crate::runtime::rng`]), registered
//! with the JIT under a fixed symbol name, so that both backends produce bit-identical results.
//! Only the two random-number shims are defined here, because `rng`'s functions are ordinary Rust
//! functions that have no C calling convention. Nothing here may compute anything of its own.

use crate::backend::funcs;
use crate::lower::ir::{BinOp, Func};
use crate::runtime::rng;

/// A host function a kernel can call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Intrinsic {
    /// A math function of the IR (one argument; three for `clip` and `since_limit`, four for
    /// `timed_row`).
    Func(Func),
    /// `a.powf(b)`.
    Pow,
    /// Python's `%`.
    Mod,
    /// `floor(a / b)`.
    FloorDiv,
    /// `rng::stream(seed, object, site, step)`, computed once per call and site.
    Stream,
    /// `rng::uniform_at(stream, element)`.
    Uniform,
    /// `rng::normal_at(stream, element)`.
    Normal,
    /// `rng::normal_from_word(word)`: the ziggurat after the inlined fast path failed.
    NormalWord,
    /// A one-argument math function of both lanes of a pair in one call
    /// (`funcs::unary_pair`): one call, and one save and restore of the vector registers
    /// around it, instead of two.
    FuncPair(Func),
}

/// The C signature shape of an intrinsic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// `n` `f64` arguments, one `f64` result.
    Float(usize),
    /// Four `u64` key components, one `u64` stream.
    RngStream,
    /// A `u64` stream and a `u64` element, one `f64` result.
    RngDraw,
    /// One `u64` word, one `f64` result.
    RngWord,
    /// Two `f64` arguments, two `f64` results (`funcs::Pair`, in two registers).
    FloatPair,
}

impl Intrinsic {
    /// The intrinsic implementing a binary operator, if that operator is a call.
    pub(super) fn for_binop(op: BinOp) -> Option<Intrinsic> {
        match op {
            BinOp::Pow => Some(Intrinsic::Pow),
            BinOp::Mod => Some(Intrinsic::Mod),
            BinOp::FloorDiv => Some(Intrinsic::FloorDiv),
            _ => None,
        }
    }

    /// The symbol name the kernel imports.
    pub(super) fn symbol(self) -> String {
        match self {
            Intrinsic::Func(f) => format!("snnc_{}", f.name()),
            Intrinsic::Pow => "snnc_pow".to_string(),
            Intrinsic::Mod => "snnc_mod".to_string(),
            Intrinsic::FloorDiv => "snnc_floordiv".to_string(),
            Intrinsic::Stream => "snnc_rng_stream".to_string(),
            Intrinsic::Uniform => "snnc_rng_uniform".to_string(),
            Intrinsic::Normal => "snnc_rng_normal".to_string(),
            Intrinsic::NormalWord => "snnc_rng_normal_word".to_string(),
            Intrinsic::FuncPair(f) => format!("snnc_{}_pair", f.name()),
        }
    }

    /// The signature shape.
    pub(super) fn shape(self) -> Shape {
        match self {
            Intrinsic::Func(f) => Shape::Float(f.arity()),
            Intrinsic::Pow | Intrinsic::Mod | Intrinsic::FloorDiv => Shape::Float(2),
            Intrinsic::Stream => Shape::RngStream,
            Intrinsic::Uniform | Intrinsic::Normal => Shape::RngDraw,
            Intrinsic::NormalWord => Shape::RngWord,
            Intrinsic::FuncPair(_) => Shape::FloatPair,
        }
    }

    /// The host address of the function.
    pub(super) fn address(self) -> *const u8 {
        match self {
            Intrinsic::Func(Func::Clip) => funcs::clip as extern "C" fn(f64, f64, f64) -> f64 as _,
            Intrinsic::Func(Func::SinceLimit) => {
                funcs::since_limit as extern "C" fn(f64, f64, f64) -> f64 as _
            }
            Intrinsic::Func(Func::TimedRow) => {
                funcs::timed_row as extern "C" fn(f64, f64, f64, f64) -> f64 as _
            }
            Intrinsic::Func(Func::Fma) => funcs::fma as extern "C" fn(f64, f64, f64) -> f64 as _,
            Intrinsic::Func(f) => match funcs::unary(f) {
                Some(g) => g as *const u8,
                // `unary` covers every one-argument function; the others are matched above.
                None => funcs::clip as extern "C" fn(f64, f64, f64) -> f64 as _,
            },
            Intrinsic::Pow => funcs::pow as extern "C" fn(f64, f64) -> f64 as _,
            Intrinsic::Mod => funcs::pymod as extern "C" fn(f64, f64) -> f64 as _,
            Intrinsic::FloorDiv => funcs::floordiv as extern "C" fn(f64, f64) -> f64 as _,
            Intrinsic::Stream => rng_stream as extern "C" fn(u64, u64, u64, u64) -> u64 as _,
            Intrinsic::Uniform => rng_uniform as extern "C" fn(u64, u64) -> f64 as _,
            Intrinsic::Normal => rng_normal as extern "C" fn(u64, u64) -> f64 as _,
            Intrinsic::NormalWord => rng_normal_word as extern "C" fn(u64) -> f64 as _,
            Intrinsic::FuncPair(f) => match funcs::unary_pair(f) {
                Some(g) => g as *const u8,
                // `all` lists only functions that have a pair form.
                None => funcs::exp_pair as extern "C" fn(f64, f64) -> funcs::Pair as _,
            },
        }
    }
}

/// Every intrinsic, for registering symbols with a new module.
pub(super) fn all() -> impl Iterator<Item = Intrinsic> {
    let pairs = crate::lower::ir::ALL_FUNCS
        .iter()
        .filter(|f| funcs::unary_pair(**f).is_some())
        .map(|&f| Intrinsic::FuncPair(f));
    crate::lower::ir::ALL_FUNCS
        .iter()
        .chain(&crate::lower::ir::INTERNAL_FUNCS)
        .map(|&f| Intrinsic::Func(f))
        .chain(pairs)
        .chain([
            Intrinsic::Pow,
            Intrinsic::Mod,
            Intrinsic::FloorDiv,
            Intrinsic::Stream,
            Intrinsic::Uniform,
            Intrinsic::Normal,
            Intrinsic::NormalWord,
        ])
}

/// [`rng::stream`] with the C calling convention, for compiled kernels.
extern "C" fn rng_stream(seed: u64, object: u64, site: u64, step: u64) -> u64 {
    rng::stream(seed, object, site, step)
}

/// [`rng::uniform_at`] with the C calling convention, for compiled kernels.
extern "C" fn rng_uniform(stream: u64, element: u64) -> f64 {
    rng::uniform_at(stream, element)
}

/// [`rng::normal_at`] with the C calling convention, for compiled kernels.
extern "C" fn rng_normal(stream: u64, element: u64) -> f64 {
    rng::normal_at(stream, element)
}

/// [`rng::normal_from_word`] with the C calling convention, for compiled kernels.
extern "C" fn rng_normal_word(word: u64) -> f64 {
    rng::normal_from_word(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_unique() {
        let mut names: Vec<String> = all().map(Intrinsic::symbol).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}

//! The opt-in fast `exp`, `expm1` and `exprel` (`--fast-math`): a polynomial that the JIT
//! inlines on both lanes of its vectors, and these functions, its interpreter twins.
//!
//! By default every math function calls the host's libm through [`super::funcs`]. With fast
//! math, the per-element `exp`, `expm1` and `exprel` of a kernel become [`Func::FastExp`],
//! [`Func::FastExpm1`] and [`Func::FastExprel`] (see [`fast_kernel`]); their definition is the
//! code below, operation by operation: the JIT emits the same operations in the same order
//! (additions, multiplications, fused multiply-adds, comparisons and integer operations on the
//! bits, all exactly specified by IEEE 754), so both backends still agree bit for bit, on
//! every host. Hosts without FMA instructions get the same results from a correctly rounded
//! `fma` call per lane, which is slow: fast math is for hosts with FMA (x86-64 since 2013,
//! every AArch64). Against libm
//! they differ by at most a few units in the last place (the tests bound it), which is far
//! below what a simulation can resolve but not zero: a chaotic network's spike trains diverge
//! from the default build's after a while, as they do between Brian2's runtime and
//! standalone targets.
//!
//! The method (Cody and Waite's argument reduction with a table-free polynomial):
//! `x = k·ln 2 + r` with `k` the integer nearest `x·log2(e)` and `|r| <= ln(2)/2`, then
//! `expm1(r) = r + r²·h(r)` with `h` the degree-11 Taylor polynomial of `(exp(r) - 1 - r)/r²`
//! (truncation error below 1e-17 relative), and `exp(x) = 2^k·(1 + expm1(r))`. The power of two
//! is applied as `2^k1·2^k2` with `k1 + k2 = k` and both halves normal numbers, so results
//! that overflow, underflow or are subnormal need no special case; arguments are first clamped
//! to `[-745.2, 709.8]` (where `exp` is already 0 or infinite), and a NaN stays NaN.

use crate::lower::hoist::PrologueTemps;
use crate::lower::ir::{BinOp, Expr, Func, Kernel, Stmt};

/// Upper clamp of the argument: `exp(709.8)` overflows.
pub const HI: f64 = 709.8;
/// Lower clamp of the argument: `exp(-745.2)` rounds to zero.
pub const LO: f64 = -745.2;
/// `log2(e)`.
pub const LOG2E: f64 = std::f64::consts::LOG2_E;
/// `1.5·2^52`: adding it rounds a number below `2^51` in magnitude to an integer, which the
/// low bits of the sum then hold.
pub const SHIFT: f64 = 6_755_399_441_055_744.0;
/// The high part of `ln 2` (fdlibm's `ln2HI`: 32 significant bits, so `k·LN2_HI` is exact for
/// integers `k` below 2^21).
pub const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// The rest of `ln 2` (fdlibm's `ln2LO`).
pub const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// `1/2!, 1/3!, ..., 1/13!`: the coefficients of `h`, lowest first.
pub const COEFFS: [f64; 12] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];
/// The exponent bias of `f64`.
pub const BIAS: i64 = 1023;

/// `2^k` for `k` in the normal range, from its bits.
fn pow2(k: i64) -> f64 {
    f64::from_bits((k.wrapping_add(BIAS) << 52) as u64)
}

/// The reduction shared by the three functions: `(q, k1, k2)` with `q = expm1(r)` and
/// `x = (k1 + k2)·ln 2 + r`. The polynomial is evaluated in Estrin's scheme (pairs, then pairs
/// of pairs), whose dependency chain is 5 multiply-adds long instead of Horner's 12: the
/// neuron models that need fast math call `exp` several times per neuron, one after the other.
fn reduce(x: f64) -> (f64, i64, i64) {
    // `clamp` compares with the lower bound, then the upper one, and keeps NaN; the JIT emits
    // those two compare-and-selects.
    let x = x.clamp(LO, HI);
    let shift_bits = SHIFT.to_bits() as i64;
    let t = x.mul_add(LOG2E, SHIFT);
    let kd = t - SHIFT;
    let k = (t.to_bits() as i64).wrapping_sub(shift_bits);
    // Half of k rounded to an integer (ties to even), by the same trick.
    let t1 = kd.mul_add(0.5, SHIFT);
    let k1 = (t1.to_bits() as i64).wrapping_sub(shift_bits);
    let k2 = k.wrapping_sub(k1);
    let r = (-kd).mul_add(LN2_HI, x);
    let r = (-kd).mul_add(LN2_LO, r);
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let c = &COEFFS;
    let p: [f64; 6] = std::array::from_fn(|i| c[2 * i + 1].mul_add(r, c[2 * i]));
    let s0 = p[1].mul_add(r2, p[0]);
    let s1 = p[3].mul_add(r2, p[2]);
    let s2 = p[5].mul_add(r2, p[4]);
    let h = s2.mul_add(r8, s1.mul_add(r4, s0));
    let q = r2.mul_add(h, r);
    (q, k1, k2)
}

/// The fast `exp(x)`: `2^k1·(2^k2·q + 2^k2)`.
pub extern "C" fn exp(x: f64) -> f64 {
    let (q, k1, k2) = reduce(x);
    let s2 = pow2(k2);
    pow2(k1) * s2.mul_add(q, s2)
}

/// The fast `expm1(x)`: `2^k1·(2^k2·q + (2^k2 - 2^-k1))`, which is `2^k·(1 + q) - 1` with `q`
/// itself for `k = 0` (so small arguments keep their relative precision).
pub extern "C" fn expm1(x: f64) -> f64 {
    let (q, k1, k2) = reduce(x);
    let s2 = pow2(k2);
    pow2(k1) * s2.mul_add(q, s2 - pow2(k1.wrapping_neg()))
}

/// The fast `exprel(x)`: Brian2's definition (see [`super::funcs::exprel`]) over the fast
/// `expm1`.
pub extern "C" fn exprel(x: f64) -> f64 {
    super::funcs::exprel_over(x, |y| expm1(y))
}

/// The fast twin of a function, if it has one.
pub fn fast_twin(func: Func) -> Option<Func> {
    match func {
        Func::Exp => Some(Func::FastExp),
        Func::Expm1 => Some(Func::FastExpm1),
        Func::Exprel => Some(Func::FastExprel),
        _ => None,
    }
}

/// Fast math for one kernel, in its per-element body: `exp`, `expm1` and `exprel` become their
/// fast twins, and a division by a value that is the same for every element (a constant, a
/// scalar, a prologue temporary) becomes a multiplication by its reciprocal, computed once per
/// call in the prologue (one more rounding: `-ffast-math`'s reciprocal math, as Brian2's own
/// compiled code does). The prologue itself (values such as `exp(-dt/tau)`) keeps libm and
/// its divisions.
pub fn fast_kernel(kernel: &mut Kernel) {
    let invariant = kernel.invariant_temps();
    let mut reciprocals = PrologueTemps::default();
    let mut body = std::mem::take(&mut kernel.body);
    for s in body.iter_mut() {
        let value = match s {
            Stmt::Let { value, .. } | Stmt::Store { value, .. } => value,
            Stmt::EmitSpike { cond } => cond,
        };
        let mut stack = vec![value];
        while let Some(e) = stack.pop() {
            if let Expr::Binary {
                op: op @ BinOp::Div,
                rhs,
                ..
            } = e
            {
                if rhs.is_invariant(&invariant) {
                    let reciprocal = Expr::Binary {
                        op: BinOp::Div,
                        lhs: Box::new(Expr::Const(1.0)),
                        rhs: rhs.clone(),
                    };
                    *op = BinOp::Mul;
                    **rhs = Expr::Temp(reciprocals.temp(kernel, &reciprocal).0);
                }
            }
            if let Expr::Call { func, .. } = e {
                if let Some(f) = fast_twin(*func) {
                    *func = f;
                }
            }
            e.push_children_mut(&mut stack);
        }
    }
    kernel.body = body;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distance in units in the last place between two finite numbers of one sign.
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        assert_eq!(a.is_sign_negative(), b.is_sign_negative(), "{a} vs {b}");
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    /// Deterministic arguments: a uniform grid over `[lo, hi]` plus pseudo-random points.
    fn args(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        let mut out: Vec<f64> = (0..=n)
            .map(|k| lo + (hi - lo) * k as f64 / n as f64)
            .collect();
        let mut z = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..n {
            z ^= z << 13;
            z ^= z >> 7;
            z ^= z << 17;
            out.push(lo + (hi - lo) * ((z >> 11) as f64 / (1u64 << 53) as f64));
        }
        out
    }

    // libm's exp and expm1 are within 1 ulp of the exact value, so an error bound against
    // them of N ulp means at most N + 1 against the exact value.

    #[test]
    fn exp_is_within_one_ulp_of_libm_where_the_result_is_normal() {
        let mut worst = 0;
        for x in args(-708.0, 709.7, 400_000) {
            worst = worst.max(ulps(exp(x), x.exp()));
        }
        assert!(worst <= 1, "worst {worst} ulp");
    }

    #[test]
    fn expm1_keeps_relative_precision_near_zero_and_everywhere() {
        let mut worst = 0;
        for (lo, hi) in [(-1e-10, 1e-10), (-1.0, 1.0), (-40.0, 40.0), (-700.0, 709.7)] {
            for x in args(lo, hi, 200_000) {
                worst = worst.max(ulps(expm1(x), x.exp_m1()));
            }
        }
        assert!(worst <= 2, "worst {worst} ulp");
        assert_eq!(expm1(1e-300), 1e-300);
        assert_eq!(expm1(-50.0), -1.0);
    }

    #[test]
    fn exprel_follows_brian2s_definition() {
        assert_eq!(exprel(0.0), 1.0);
        assert_eq!(exprel(1e-17), 1.0);
        assert_eq!(exprel(800.0), f64::INFINITY);
        let mut worst = 0;
        for x in args(-30.0, 30.0, 200_000) {
            worst = worst.max(ulps(exprel(x), super::super::funcs::exprel(x)));
        }
        // The division adds one rounding to expm1's error.
        assert!(worst <= 3, "worst {worst} ulp");
    }

    #[test]
    fn fast_kernel_rewrites_the_body_only() {
        use crate::lower::ir::{ColumnDecl, Domain, Index};
        let load = || Expr::Load {
            col: 0,
            index: Index::Elem,
        };
        let div = |lhs: Expr, rhs: Expr| Expr::Binary {
            op: BinOp::Div,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
        let exp = |x: Expr| Expr::Call {
            func: Func::Exp,
            args: vec![x],
        };
        let mut k = Kernel {
            name: "k".into(),
            columns: vec![ColumnDecl {
                name: "v".into(),
                written: true,
            }],
            scalars: vec!["tau".into()],
            domain: Domain::Range,
            // t0 = exp(-1/tau) stays libm's, with its division.
            prologue: vec![Stmt::Let {
                temp: 0,
                value: exp(div(Expr::Const(-1.0), Expr::Scalar(0))),
            }],
            // v = exp(v / tau) / v + v / t0 + v / 4
            body: vec![Stmt::Store {
                col: 0,
                index: Index::Elem,
                value: Expr::Binary {
                    op: BinOp::Add,
                    lhs: Box::new(div(exp(div(load(), Expr::Scalar(0))), load())),
                    rhs: Box::new(Expr::Binary {
                        op: BinOp::Add,
                        lhs: Box::new(div(load(), Expr::Temp(0))),
                        rhs: Box::new(div(load(), Expr::Const(4.0))),
                    }),
                },
            }],
            n_temps: 1,
            rng_object: 0,
        };
        let prologue = k.prologue.clone();
        fast_kernel(&mut k);
        let mul = |lhs: Expr, t: u32| Expr::Binary {
            op: BinOp::Mul,
            lhs: Box::new(lhs),
            rhs: Box::new(Expr::Temp(t)),
        };
        let recip = |t: u32, rhs: Expr| Stmt::Let {
            temp: t,
            value: div(Expr::Const(1.0), rhs),
        };
        // Reciprocals in the order the walk meets the divisors (right operands first).
        assert_eq!(k.prologue[0], prologue[0]);
        assert_eq!(
            k.prologue[1..],
            [
                recip(1, Expr::Const(4.0)),
                recip(2, Expr::Temp(0)),
                recip(3, Expr::Scalar(0)),
            ]
        );
        assert_eq!(k.n_temps, 4);
        let fast_exp = Expr::Call {
            func: Func::FastExp,
            args: vec![mul(load(), 3)],
        };
        let Stmt::Store { value, .. } = &k.body[0] else {
            panic!("a store")
        };
        assert_eq!(
            *value,
            Expr::Binary {
                op: BinOp::Add,
                // A division by a per-element value stays one.
                lhs: Box::new(div(fast_exp, load())),
                rhs: Box::new(Expr::Binary {
                    op: BinOp::Add,
                    lhs: Box::new(mul(load(), 2)),
                    rhs: Box::new(mul(load(), 1)),
                }),
            }
        );
    }

    #[test]
    fn limits_overflow_underflow_and_nan() {
        assert_eq!(exp(709.8), f64::INFINITY);
        assert_eq!(exp(1e10), f64::INFINITY);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(-746.0), 0.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(expm1(f64::NEG_INFINITY), -1.0);
        assert_eq!(expm1(710.0), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan() && expm1(f64::NAN).is_nan());
        assert_eq!(exp(0.0), 1.0);
        assert!(ulps(exp(1.0), std::f64::consts::E) <= 1);
        // The largest finite result and subnormal results (rounded twice there, so within a
        // few units of the smallest subnormal).
        let big = 709.78;
        assert!(exp(big).is_finite() && ulps(exp(big), big.exp()) <= 2);
        for x in [-710.0, -720.0, -740.0] {
            let (a, b) = (exp(x), x.exp());
            assert!(
                a > 0.0 && (a - b).abs() <= 2.0 * f64::from_bits(1),
                "{x}: {a} vs {b}"
            );
        }
    }
}

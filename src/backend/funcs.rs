//! The math functions of the kernel IR, implemented once and called by both backends.
//!
//! The interpreter calls these directly; the JIT registers them as symbols and emits calls to
//! them, so both produce bit-identical results. Each is `extern "C"` so that its address can be
//! handed to Cranelift.

use crate::lower::ir::Func;

/// `exprel(x) = (exp(x) - 1) / x`, with Brian2's C++ definition: `1` for `|x| < 1e-16`,
/// infinity above 717, `expm1(x) / x` otherwise.
pub extern "C" fn exprel(x: f64) -> f64 {
    exprel_over(x, f64::exp_m1)
}

/// Brian2's `exprel` over a given `expm1` (libm's, or the fast one of `--fast-math`).
pub fn exprel_over(x: f64, expm1: impl Fn(f64) -> f64) -> f64 {
    if x.abs() < 1e-16 {
        1.0
    } else if x > 717.0 {
        f64::INFINITY
    } else {
        expm1(x) / x
    }
}

/// `sign(x)`: -1, 0 or 1; 0 for NaN.
pub extern "C" fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

macro_rules! unary_fns {
    ($($name:ident => $method:ident),* $(,)?) => {
        $(
            #[doc = concat!("`f64::", stringify!($method), "` with the C calling convention.")]
            pub extern "C" fn $name(x: f64) -> f64 {
                x.$method()
            }
        )*
    };
}

unary_fns!(
    exp => exp, log => ln, log10 => log10, sqrt => sqrt, sin => sin, cos => cos, tan => tan,
    sinh => sinh, cosh => cosh, tanh => tanh, arcsin => asin, arccos => acos, arctan => atan,
    expm1 => exp_m1, log1p => ln_1p, abs => abs, floor => floor, ceil => ceil, trunc => trunc,
);

pub use super::fastmath::{exp as fast_exp, expm1 as fast_expm1, exprel as fast_exprel};

/// Two results, returned by the C calling convention in two floating-point registers (a
/// 16-byte struct of two doubles: `xmm0` and `xmm1` on x86-64 System V).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// The first lane's result.
    pub lo: f64,
    /// The second lane's result.
    pub hi: f64,
}

macro_rules! pair_fns {
    ($($func:ident: $name:ident => $f:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($f), "` of two values in one call (the JIT's two lanes).")]
            pub extern "C" fn $name(lo: f64, hi: f64) -> Pair {
                Pair { lo: $f(lo), hi: $f(hi) }
            }
        )*

        /// The two-lane form of a one-argument function: the same function applied to each
        /// lane, so its results are bit-identical to two calls of [`unary`]'s (`None` for the
        /// others).
        pub fn unary_pair(func: Func) -> Option<extern "C" fn(f64, f64) -> Pair> {
            match func {
                $(Func::$func => Some($name),)*
                // Several arguments, or inlined by the JIT (the fast-math twins).
                Func::Clip
                | Func::SinceLimit
                | Func::TimedRow
                | Func::Fma
                | Func::FastExp
                | Func::FastExpm1
                | Func::FastExprel => None,
            }
        }
    };
}

pair_fns!(
    Exp: exp_pair => exp, Log: log_pair => log, Log10: log10_pair => log10,
    Sqrt: sqrt_pair => sqrt, Sin: sin_pair => sin, Cos: cos_pair => cos, Tan: tan_pair => tan,
    Sinh: sinh_pair => sinh, Cosh: cosh_pair => cosh, Tanh: tanh_pair => tanh,
    Arcsin: arcsin_pair => arcsin, Arccos: arccos_pair => arccos, Arctan: arctan_pair => arctan,
    Expm1: expm1_pair => expm1, Log1p: log1p_pair => log1p, Exprel: exprel_pair => exprel,
    Abs: abs_pair => abs, Floor: floor_pair => floor, Ceil: ceil_pair => ceil,
    Sign: sign_pair => sign, Trunc: trunc_pair => trunc,
);

/// `a.powf(b)`.
pub extern "C" fn pow(a: f64, b: f64) -> f64 {
    a.powf(b)
}

/// Python's `%`: `a - b * floor(a / b)`.
pub extern "C" fn pymod(a: f64, b: f64) -> f64 {
    a - b * (a / b).floor()
}

/// `floor(a / b)`.
pub extern "C" fn floordiv(a: f64, b: f64) -> f64 {
    (a / b).floor()
}

/// `clip(x, lo, hi) = min(max(x, lo), hi)`.
pub extern "C" fn clip(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}

/// Brian2's `timestep(t - x, dt) >= n` for a time `x`, written exactly as the refractoriness
/// code evaluates it: `trunc(((t - x) + 1e-3*dt) / dt) >= n`.
fn since_at_least(t: f64, dt: f64, n: f64, x: f64) -> bool {
    (((t - x) + 1e-3 * dt) / dt).trunc() >= n
}

/// A position on the number line that orders all non-NaN `f64` by value (`-0.0` just below
/// `+0.0`) and moves one step per representable number.
fn order_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 {
        b ^ i64::MAX
    } else {
        b
    }
}

/// `hi - lo` without overflow (the keys span more than `i64`'s range).
fn gap(lo: i64, hi: i64) -> i128 {
    i128::from(hi) - i128::from(lo)
}

/// The inverse of [`order_key`].
fn from_order_key(k: i64) -> f64 {
    f64::from_bits((if k < 0 { k ^ i64::MAX } else { k }) as u64)
}

/// `since_limit(t, dt, n)`: the largest `x` (not NaN) for which
/// `trunc(((t - x) + 1e-3*dt) / dt) >= n` holds; `+inf` if it holds for every `x`, NaN if for
/// none.
///
/// For `dt > 0` every step of that expression is monotone in `x` (a subtraction from `t`, an
/// addition, a division by a positive number and truncation, each correctly rounded), so the
/// test holds exactly for the `x` up to some limit: `x <= since_limit(t, dt, n)` is then the
/// same test, bit for bit, for every `x` (a NaN `x` fails both). The refractoriness code of a
/// neuron group uses it to compare `lastspike` once per neuron instead of dividing once per
/// neuron. Clocks guarantee a finite `t` and a positive, finite `dt`; outside that domain
/// (where a NaN could appear in the middle of the range) the result is NaN.
///
/// The limit is found by a search over the representable numbers, started at the real-number
/// solution `t + 1e-3*dt - n*dt`, which is usually within a few steps of it.
pub extern "C" fn since_limit(t: f64, dt: f64, n: f64) -> f64 {
    let holds = |k: i64| since_at_least(t, dt, n, from_order_key(k));
    // Invariant from here on: `holds(lo)` and `!holds(hi)`.
    let (mut lo, mut hi) = (order_key(f64::NEG_INFINITY), order_key(f64::INFINITY));
    let in_domain = dt > 0.0 && dt.is_finite() && t.is_finite();
    if !in_domain || !holds(lo) {
        return f64::NAN;
    }
    if holds(hi) {
        return f64::INFINITY;
    }
    let guess = (t + 1e-3 * dt) - n * dt;
    if guess.is_finite() {
        // Gallop away from the guess in growing steps until the limit is bracketed.
        let g = order_key(guess);
        let up = holds(g);
        if up {
            lo = g;
        } else {
            hi = g;
        }
        let mut step = 1i64;
        while gap(lo, hi) > 1 {
            let probe = if up {
                lo.saturating_add(step).min(hi - 1)
            } else {
                hi.saturating_sub(step).max(lo + 1)
            };
            if holds(probe) {
                lo = probe;
                if !up {
                    break;
                }
            } else {
                hi = probe;
                if up {
                    break;
                }
            }
            step = step.saturating_mul(2);
        }
    }
    while gap(lo, hi) > 1 {
        // Between `lo` and `hi` (exclusive) since they are at least two apart.
        let mid = ((i128::from(lo) + i128::from(hi)) / 2) as i64;
        if holds(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    from_order_key(lo)
}

/// `timed_row(t, dt, table_dt, rows)`: the row of a `TimedArray` (`rows` rows of step
/// `table_dt`) read at time `t` by an object whose clock has step `dt`, as Brian2's generated
/// C++ computes it: with `K = max(2^ceil(log2(8·table_dt/dt)), 1)` and `ε = table_dt/K`, the
/// row is `int((t/ε + 0.5)/K)` clipped to `0..rows`. A NaN `t` reads row 0 (what the cast
/// gives on x86); a table without rows gives NaN. The runtime uses it for the current row of
/// every table, and kernels for `ta(expr)` at any other time.
pub extern "C" fn timed_row(t: f64, dt: f64, table_dt: f64, rows: f64) -> f64 {
    if rows.is_nan() || rows < 1.0 {
        return f64::NAN;
    }
    let k = (2f64.powf((8.0 / dt * table_dt).log2().ceil()) as i64).max(1) as f64;
    let eps = table_dt / k;
    let row = ((t / eps + 0.5) / k).trunc();
    if row.is_nan() {
        return 0.0;
    }
    row.clamp(0.0, rows - 1.0)
}

/// `a*b + c` rounded once (the JIT calls this where the host has no FMA instruction; both
/// are correctly rounded, so the results are the same).
pub extern "C" fn fma(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// The address-taking form of a one-argument function (`None` for `Clip`, `SinceLimit`,
/// `TimedRow`).
pub fn unary(func: Func) -> Option<extern "C" fn(f64) -> f64> {
    Some(match func {
        Func::Exp => exp,
        Func::Log => log,
        Func::Log10 => log10,
        Func::Sqrt => sqrt,
        Func::Sin => sin,
        Func::Cos => cos,
        Func::Tan => tan,
        Func::Sinh => sinh,
        Func::Cosh => cosh,
        Func::Tanh => tanh,
        Func::Arcsin => arcsin,
        Func::Arccos => arccos,
        Func::Arctan => arctan,
        Func::Expm1 => expm1,
        Func::Log1p => log1p,
        Func::Exprel => exprel,
        Func::Abs => abs,
        Func::Floor => floor,
        Func::Ceil => ceil,
        Func::Sign => sign,
        Func::Trunc => trunc,
        Func::FastExp => fast_exp,
        Func::FastExpm1 => fast_expm1,
        Func::FastExprel => fast_exprel,
        Func::Clip | Func::SinceLimit | Func::TimedRow | Func::Fma => return None,
    })
}

/// Evaluates `func` on `args` (the interpreter's entry point).
pub fn call(func: Func, args: &[f64]) -> f64 {
    match (func, args) {
        (Func::Clip, [x, lo, hi]) => clip(*x, *lo, *hi),
        (Func::SinceLimit, [t, dt, n]) => since_limit(*t, *dt, *n),
        (Func::TimedRow, [t, dt, table_dt, rows]) => timed_row(*t, *dt, *table_dt, *rows),
        (Func::Fma, [a, b, c]) => fma(*a, *b, *c),
        (f, [x]) => unary(f).map(|g| g(*x)).unwrap_or(f64::NAN),
        // Arity is checked when the IR is built; a mismatch here is an internal error that the
        // IR validator reports before execution, so NaN is never observed by a user.
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_mod_and_floordiv() {
        // Values from Python: (-7) % 3 == 2, 5 % -3 == -1, -7.5 % 2 == 0.5, -7 // 2 == -4.
        assert_eq!(pymod(-7.0, 3.0), 2.0);
        assert_eq!(pymod(5.0, -3.0), -1.0);
        assert_eq!(pymod(-7.5, 2.0), 0.5);
        assert_eq!(floordiv(-7.0, 2.0), -4.0);
    }

    #[test]
    fn exprel_matches_brian2_definition() {
        assert_eq!(exprel(0.0), 1.0);
        assert_eq!(exprel(800.0), f64::INFINITY);
        assert!((exprel(1.0) - (std::f64::consts::E - 1.0)).abs() < 1e-15);
        assert_eq!(call(Func::Clip, &[5.0, 0.0, 1.0]), 1.0);
        assert_eq!(call(Func::Trunc, &[-2.7]), -2.0);
        assert_eq!(call(Func::Sign, &[f64::NAN]), 0.0);
    }

    /// Checks that `x <= since_limit(t, dt, n)` agrees with the division-based test for `x`
    /// and for the numbers either side of the limit, and that the limit is the boundary.
    fn check_limit(t: f64, dt: f64, n: f64, xs: &[f64]) -> Result<(), String> {
        let l = since_limit(t, dt, n);
        let mut probes = xs.to_vec();
        if l.is_finite() {
            probes.extend([l, l.next_up(), l.next_down()]);
            if !since_at_least(t, dt, n, l) || since_at_least(t, dt, n, l.next_up()) {
                return Err(format!(
                    "t={t:e} dt={dt:e} n={n}: {l:e} is not the boundary"
                ));
            }
        }
        probes.extend([f64::NEG_INFINITY, f64::INFINITY, f64::NAN, -0.0, 0.0, -1e4]);
        for x in probes {
            if (x <= l) != since_at_least(t, dt, n, x) {
                return Err(format!(
                    "t={t:e} dt={dt:e} n={n} x={x:e}: limit {l:e} disagrees"
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn timed_row_clips_and_follows_brian2s_grid() {
        // dt 0.4 ms table on a 0.1 ms clock: K = 32, row k on [k·0.4, (k+1)·0.4) ms.
        let row = |t: f64| timed_row(t, 1e-4, 0.4e-3, 3.0);
        assert_eq!(row(0.0), 0.0);
        assert_eq!(row(0.39e-3), 0.0);
        assert_eq!(row(0.4e-3), 1.0);
        assert_eq!(row(1.1e-3), 2.0);
        // Before the start and after the end: the first and the last row.
        assert_eq!(row(-5e-3), 0.0);
        assert_eq!(row(1.0), 2.0);
        assert_eq!(row(f64::INFINITY), 2.0);
        assert_eq!(row(f64::NEG_INFINITY), 0.0);
        // A NaN time reads row 0 (C's cast on x86); a table without rows gives NaN.
        assert_eq!(row(f64::NAN), 0.0);
        assert!(timed_row(0.0, 1e-4, 0.4e-3, 0.0).is_nan());
        assert_eq!(call(Func::TimedRow, &[0.4e-3, 1e-4, 0.4e-3, 3.0]), 1.0);
    }

    #[test]
    fn since_limit_edge_cases() {
        // No period: every finite `lastspike` up to about `t + 1e-3*dt` passes.
        check_limit(0.1, 1e-4, 0.0, &[0.1, 0.1 + 1e-7]).unwrap();
        // An infinite period: only spikes so long ago that the division overflows are long
        // enough ago; a NaN period: none.
        check_limit(0.1, 1e-4, f64::INFINITY, &[-1e300, f64::MIN]).unwrap();
        assert!(since_limit(0.1, 1e-4, f64::INFINITY) < -1e300);
        assert!(since_limit(0.1, 1e-4, f64::NAN).is_nan());
        // Any period passes `-inf`; a period of `-inf` passes everything.
        assert_eq!(since_limit(0.1, 1e-4, f64::NEG_INFINITY), f64::INFINITY);
        // Outside the clocks' domain (dt not positive and finite, t not finite) it is NaN.
        assert!(since_limit(0.1, 0.0, 5.0).is_nan());
        assert!(since_limit(0.1, f64::INFINITY, 5.0).is_nan());
        assert!(since_limit(f64::INFINITY, 1e-4, 5.0).is_nan());
        assert!(since_limit(0.1, -1e-4, 5.0).is_nan());
        assert!(since_limit(0.1, f64::NAN, 5.0).is_nan());
        for (t, dt, n) in [
            (0.0, 1e-4, 50.0),
            (1e-4, 1e-4, 1.0),
            (12.3456, 1e-5, 300.0),
            (1e6, 1e-4, 20.0),
            (0.5, 0.1e-3, 5e9),
            (-3.0, 1e-4, 3.0),
            (f64::MAX, 1e-4, 3.0),
            (0.2, f64::MAX, 0.0),
            (0.2, 5e-324, 3.0),
        ] {
            check_limit(t, dt, n, &[t - n * dt, t]).unwrap();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The times a simulation produces: `t = step * dt`, `lastspike` an earlier step's
        /// time, the period a whole number of steps of a period in seconds.
        #[test]
        fn since_limit_matches_the_division_on_clock_times(
            dt in 1e-6f64..1e-2,
            step in 0u64..20_000_000,
            back in 0u64..2000,
            period in 0.0f64..0.05,
        ) {
            let t = step as f64 * dt;
            let n = ((period + 1e-3 * dt) / dt).trunc();
            let spike = step.saturating_sub(back) as f64 * dt;
            check_limit(t, dt, n, &[spike, spike.next_up(), spike.next_down()])
                .map_err(proptest::test_runner::TestCaseError::fail)?;
        }

        /// Any bit patterns for `n` and `x`, any finite `t` and positive finite `dt`.
        #[test]
        fn since_limit_matches_the_division_everywhere(
            t in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
            dt in proptest::num::f64::POSITIVE | proptest::num::f64::SUBNORMAL,
            n in proptest::num::f64::ANY,
            x in proptest::num::f64::ANY,
        ) {
            proptest::prop_assume!(dt > 0.0 && dt.is_finite());
            check_limit(t, dt, n, &[x]).map_err(proptest::test_runner::TestCaseError::fail)?;
        }
    }
}

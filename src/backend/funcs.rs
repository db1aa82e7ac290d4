//! The math functions of the kernel IR, implemented once and called by both backends.
//!
//! The interpreter calls these directly; the JIT registers them as symbols and emits calls to
//! them, so both produce bit-identical results. Each is `extern "C"` so that its address can be
//! handed to Cranelift.

use crate::lower::ir::Func;

/// `exprel(x) = (exp(x) - 1) / x`, with Brian2's C++ definition: `1` for `|x| < 1e-16`,
/// infinity above 717, `expm1(x) / x` otherwise.
pub extern "C" fn exprel(x: f64) -> f64 {
    if x.abs() < 1e-16 {
        1.0
    } else if x > 717.0 {
        f64::INFINITY
    } else {
        x.exp_m1() / x
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

/// The address-taking form of a one-argument function (`None` for `Clip`).
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
        Func::Clip => return None,
    })
}

/// Evaluates `func` on `args` (the interpreter's entry point).
pub fn call(func: Func, args: &[f64]) -> f64 {
    match (func, args) {
        (Func::Clip, [x, lo, hi]) => clip(*x, *lo, *hi),
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
}

//! Exact rational numbers for dimension exponents.
//!
//! Brian2 stores dimension exponents as floats; snnc stores them as reduced fractions so that
//! `second ** -0.5` squared is exactly `second ** -1` and equality is structural. This file only
//! does arithmetic on small fractions: it knows nothing about units, and it never panics —
//! results that would not fit in `i64` saturate (exponents in real models are tiny).

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// A fraction `num/den`, always reduced with `den > 0`, so derived equality and hashing compare
/// values.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Rational {
    /// Numerator (carries the sign).
    pub num: i64,
    /// Denominator, always positive.
    pub den: i64,
}

/// The largest denominator [`Rational::from_f64`] tries.
const MAX_FROM_F64_DEN: i64 = 1000;

impl Rational {
    /// The fraction 0/1.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// The fraction 1/1.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// The reduced fraction `num/den`. A zero denominator has no value; rather than panic this
    /// returns [`Rational::ZERO`] (use [`Rational::checked_new`] to detect it).
    pub fn new(num: i64, den: i64) -> Rational {
        Rational::checked_new(num, den).unwrap_or(Rational::ZERO)
    }

    /// The reduced fraction `num/den`, or `None` when `den == 0`.
    pub fn checked_new(num: i64, den: i64) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        Some(Rational::from_i128(i128::from(num), i128::from(den)))
    }

    /// The integer `i` as a fraction `i/1`.
    pub fn from_int(i: i64) -> Rational {
        Rational { num: i, den: 1 }
    }

    /// The fraction with denominator at most 1000 that equals `x` within a relative error of
    /// 1e-9 (`-0.5` → `-1/2`, `1.0/3.0` → `1/3`), preferring the smallest denominator. `None`
    /// for NaN, infinities, values too large for the fraction, and values with no such fraction.
    pub fn from_f64(x: f64) -> Option<Rational> {
        if !x.is_finite() || x.abs() > 1e15 {
            return None;
        }
        if x == 0.0 {
            return Some(Rational::ZERO);
        }
        for den in 1..=MAX_FROM_F64_DEN {
            let scaled = (x * den as f64).round();
            let candidate = scaled / den as f64;
            if (candidate - x).abs() <= 1e-9 * x.abs() {
                // `scaled` is an integer below 1e18 in magnitude, so the cast is exact.
                return Some(Rational::new(scaled as i64, den));
            }
        }
        None
    }

    /// The nearest `f64` to this fraction.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// True for 0.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// True when the denominator is 1.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// `self / other`, or `None` when `other` is zero.
    pub fn checked_div(self, other: Rational) -> Option<Rational> {
        if other.is_zero() {
            return None;
        }
        Some(Rational::from_i128(
            i128::from(self.num) * i128::from(other.den),
            i128::from(self.den) * i128::from(other.num),
        ))
    }

    /// Reduces `num/den` (with `den != 0`) computed in wide arithmetic; saturates when the reduced
    /// fraction does not fit in `i64`.
    fn from_i128(num: i128, den: i128) -> Rational {
        let g = gcd(num.unsigned_abs(), den.unsigned_abs()).max(1);
        // `g` divides both, and is at most their magnitudes, so it fits in i128.
        let g = i128::try_from(g).unwrap_or(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = -num;
            den = -den;
        }
        match (i64::try_from(num), i64::try_from(den)) {
            (Ok(num), Ok(den)) => Rational { num, den },
            // Out of range: saturate to the nearest representable extreme, keeping the sign.
            _ => {
                let value = num as f64 / den as f64;
                if value.abs() < 1.0 / i64::MAX as f64 {
                    Rational::ZERO
                } else if value.abs() < 1.0 {
                    Rational {
                        num: if value < 0.0 { -1 } else { 1 },
                        den: i64::MAX,
                    }
                } else {
                    Rational {
                        num: if value < 0.0 { -i64::MAX } else { i64::MAX },
                        den: 1,
                    }
                }
            }
        }
    }
}

/// Greatest common divisor (Euclid); `gcd(0, 0) == 0`.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

impl Add for Rational {
    type Output = Rational;
    fn add(self, o: Rational) -> Rational {
        Rational::from_i128(
            i128::from(self.num) * i128::from(o.den) + i128::from(o.num) * i128::from(self.den),
            i128::from(self.den) * i128::from(o.den),
        )
    }
}

impl Sub for Rational {
    type Output = Rational;
    fn sub(self, o: Rational) -> Rational {
        self + (-o)
    }
}

impl Mul for Rational {
    type Output = Rational;
    fn mul(self, o: Rational) -> Rational {
        Rational::from_i128(
            i128::from(self.num) * i128::from(o.num),
            i128::from(self.den) * i128::from(o.den),
        )
    }
}

impl Neg for Rational {
    type Output = Rational;
    fn neg(self) -> Rational {
        // `-i64::MIN` overflows, so negate in wide arithmetic.
        Rational::from_i128(-i128::from(self.num), i128::from(self.den))
    }
}

impl Ord for Rational {
    fn cmp(&self, o: &Rational) -> Ordering {
        // Denominators are positive, so cross-multiplying keeps the order.
        (i128::from(self.num) * i128::from(o.den)).cmp(&(i128::from(o.num) * i128::from(self.den)))
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, o: &Rational) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl From<i64> for Rational {
    fn from(i: i64) -> Rational {
        Rational::from_int(i)
    }
}

impl fmt::Display for Rational {
    /// `"-3"` for integers, `"1/2"` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

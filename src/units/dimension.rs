//! Physical dimensions: exponent vectors over the seven SI base dimensions.
//!
//! A [`Dimension`] is what Brian2 calls `Dimension`: the exponents of metre, kilogram, second,
//! amp, kelvin, mole and candle, here exact [`Rational`]s. This file does dimension algebra and
//! the two base-unit renderings Brian2 prints (`m^2 kg s^-3 A^-1` and
//! `metre ** 2 * kilogram * second ** -3 * amp ** -1`). It must not know about named units or
//! scales; those live in `table.rs` and `display.rs`.

use std::fmt;
use std::ops::{Div, Mul};

use super::rational::Rational;

/// One of the seven SI base dimensions, in Brian2's display order (m kg s A K mol cd).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum BaseDim {
    /// Length, base unit metre (`m`).
    Length,
    /// Mass, base unit kilogram (`kg`).
    Mass,
    /// Time, base unit second (`s`).
    Time,
    /// Electric current, base unit amp (`A`).
    Current,
    /// Temperature, base unit kelvin (`K`).
    Temperature,
    /// Amount of substance, base unit mole (`mol`).
    Amount,
    /// Luminous intensity, base unit candle (`cd`).
    Luminosity,
}

impl BaseDim {
    /// All base dimensions in display order; `ALL[i]` is exponent `i` of a [`Dimension`].
    pub const ALL: [BaseDim; 7] = [
        BaseDim::Length,
        BaseDim::Mass,
        BaseDim::Time,
        BaseDim::Current,
        BaseDim::Temperature,
        BaseDim::Amount,
        BaseDim::Luminosity,
    ];

    /// Brian2's short label: `m`, `kg`, `s`, `A`, `K`, `mol`, `cd`.
    pub fn symbol(self) -> &'static str {
        ["m", "kg", "s", "A", "K", "mol", "cd"][self.index()]
    }

    /// Brian2's base unit name: `metre`, `kilogram`, `second`, `amp`, `kelvin`, `mole`, `candle`.
    pub fn unit_name(self) -> &'static str {
        [
            "metre", "kilogram", "second", "amp", "kelvin", "mole", "candle",
        ][self.index()]
    }

    /// Position of this base dimension in a [`Dimension`]'s exponent array.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Exponents of the seven base dimensions, indexed by [`BaseDim::index`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Dimension(pub [Rational; 7]);

impl Dimension {
    /// All exponents zero.
    pub const DIMENSIONLESS: Dimension = Dimension([Rational::ZERO; 7]);

    /// The dimension from integer exponents in the order m kg s A K mol cd.
    pub const fn from_ints(e: [i64; 7]) -> Dimension {
        let mut out = [Rational::ZERO; 7];
        let mut i = 0;
        while i < 7 {
            out[i] = Rational { num: e[i], den: 1 };
            i += 1;
        }
        Dimension(out)
    }

    /// A single base dimension to the first power.
    pub fn base(b: BaseDim) -> Dimension {
        let mut d = Dimension::DIMENSIONLESS;
        d.0[b.index()] = Rational::ONE;
        d
    }

    /// Length (`m`).
    pub fn metre() -> Dimension {
        Dimension::base(BaseDim::Length)
    }

    /// Mass (`kg`).
    pub fn kilogram() -> Dimension {
        Dimension::base(BaseDim::Mass)
    }

    /// Time (`s`).
    pub fn second() -> Dimension {
        Dimension::base(BaseDim::Time)
    }

    /// Current (`A`).
    pub fn amp() -> Dimension {
        Dimension::base(BaseDim::Current)
    }

    /// Voltage, `m^2 kg s^-3 A^-1`.
    pub fn volt() -> Dimension {
        Dimension::from_ints([2, 1, -3, -1, 0, 0, 0])
    }

    /// Conductance, `m^-2 kg^-1 s^3 A^2`.
    pub fn siemens() -> Dimension {
        Dimension::from_ints([-2, -1, 3, 2, 0, 0, 0])
    }

    /// Capacitance, `m^-2 kg^-1 s^4 A^2`.
    pub fn farad() -> Dimension {
        Dimension::from_ints([-2, -1, 4, 2, 0, 0, 0])
    }

    /// Frequency, `s^-1`.
    pub fn hertz() -> Dimension {
        Dimension::from_ints([0, 0, -1, 0, 0, 0, 0])
    }

    /// The exponent of one base dimension.
    pub fn exponent(&self, b: BaseDim) -> Rational {
        self.0[b.index()]
    }

    /// True when every exponent is zero.
    pub fn is_dimensionless(&self) -> bool {
        self.0.iter().all(|e| e.is_zero())
    }

    /// Product dimension: exponents add.
    #[allow(clippy::should_implement_trait)] // Also implemented as `Mul`; inherent so no import is needed.
    pub fn mul(self, o: Dimension) -> Dimension {
        self.zip(o, |a, b| a + b)
    }

    /// Quotient dimension: exponents subtract.
    #[allow(clippy::should_implement_trait)] // Also implemented as `Div`; inherent so no import is needed.
    pub fn div(self, o: Dimension) -> Dimension {
        self.zip(o, |a, b| a - b)
    }

    /// Reciprocal dimension: exponents negate.
    pub fn recip(self) -> Dimension {
        Dimension::DIMENSIONLESS.div(self)
    }

    /// Power: every exponent multiplied by `e`.
    pub fn pow(self, e: Rational) -> Dimension {
        Dimension(self.0.map(|x| x * e))
    }

    /// Square root: every exponent halved (`sqrt(ms)` is `s^0.5`).
    pub fn sqrt(self) -> Dimension {
        self.pow(Rational::new(1, 2))
    }

    /// Brian2's `str(dimension)`: space-separated `label^exp` parts, exponent 1 omitted, `"1"` for
    /// dimensionless (`"m^2 kg s^-3 A^-1"`, `"s^-0.5"`).
    pub fn brian_str(&self) -> String {
        self.render(" ", "^", |b| b.symbol())
            .unwrap_or_else(|| "1".to_string())
    }

    /// Brian2's `repr(dimension)` as it appears in its messages: base unit names joined by `" * "`
    /// with `" ** "` powers (`"metre ** 2 * kilogram * second ** -3 * amp ** -1"`,
    /// `"second ** -0.5"`), `"1"` for dimensionless.
    pub fn base_unit_str(&self) -> String {
        self.render(" * ", " ** ", |b| b.unit_name())
            .unwrap_or_else(|| "1".to_string())
    }

    /// Joins the non-zero exponents; `None` when there are none.
    fn render(&self, sep: &str, pow: &str, label: fn(BaseDim) -> &'static str) -> Option<String> {
        let parts: Vec<String> = BaseDim::ALL
            .iter()
            .filter(|b| !self.exponent(**b).is_zero())
            .map(|b| {
                let e = self.exponent(*b);
                if e == Rational::ONE {
                    label(*b).to_string()
                } else {
                    format!("{}{}{}", label(*b), pow, exponent_str(e))
                }
            })
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(parts.join(sep))
        }
    }

    fn zip(self, o: Dimension, f: impl Fn(Rational, Rational) -> Rational) -> Dimension {
        let mut out = self.0;
        for (x, y) in out.iter_mut().zip(o.0) {
            *x = f(*x, y);
        }
        Dimension(out)
    }
}

/// An exponent as Brian2 prints it: integers plainly (`-3`), fractions as Python prints the
/// float (`-0.5`, `0.3333333333333333`; Rust's shortest round-trip form matches Python's).
pub(crate) fn exponent_str(e: Rational) -> String {
    if e.is_integer() {
        e.num.to_string()
    } else {
        format!("{}", e.to_f64())
    }
}

impl Mul for Dimension {
    type Output = Dimension;
    fn mul(self, o: Dimension) -> Dimension {
        Dimension::mul(self, o)
    }
}

impl Div for Dimension {
    type Output = Dimension;
    fn div(self, o: Dimension) -> Dimension {
        Dimension::div(self, o)
    }
}

impl Default for Dimension {
    fn default() -> Dimension {
        Dimension::DIMENSIONLESS
    }
}

impl fmt::Display for Dimension {
    /// Same as [`Dimension::brian_str`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.brian_str())
    }
}

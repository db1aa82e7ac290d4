//! Human-readable renderings of dimensions and quantities.
//!
//! Three audiences: Brian2's own message texts (`brian_repr`, `brian_display`: what
//! `repr(get_unit(d))` and `get_unit_for_display(d)` print), snnc's own messages
//! ([`Dimension::unit_name`]: `"volt/second"`), and values (`Quantity::display`: `"10. mV"`, the
//! unit chosen as Brian2's "best unit" does). It must not decide which names exist; it asks
//! `table.rs`.

use super::dimension::{exponent_str, Dimension};
use super::rational::Rational;
use super::table::{pow10, standard_unit_for, StandardUnit, PREFIXES, UNIT_DEFS};
use super::Quantity;

/// Named units tried by [`Dimension::unit_name`], in order of preference (earlier names win when
/// several renderings fit, so electrophysiology's units come first).
const READABLE: [&str; 23] = [
    "volt", "amp", "siemens", "farad", "ohm", "coulomb", "second", "metre", "kilogram", "hertz",
    "watt", "joule", "newton", "pascal", "weber", "tesla", "henry", "kelvin", "mole", "candle",
    "lux", "gray", "katal",
];

/// Denominators tried by [`Dimension::unit_name`] for `numerator/denominator` renderings.
const DENOMINATORS: [(&str, i64); 10] = [
    ("second", 1),
    ("metre", 1),
    ("metre", 2),
    ("metre", 3),
    ("second", 2),
    ("volt", 1),
    ("amp", 1),
    ("kilogram", 1),
    ("kelvin", 1),
    ("mole", 1),
];

/// Exponents tried for `name ** k` renderings.
const POWERS: [(i64, i64); 6] = [(2, 1), (3, 1), (-1, 1), (-2, 1), (1, 2), (-1, 2)];

/// The dimension of a named unit of [`READABLE`] or [`DENOMINATORS`] (`mmolar` included).
fn named_dim(name: &str) -> Dimension {
    if name == "mmolar" {
        return Dimension::from_ints([-3, 0, 0, 0, 0, 1, 0]);
    }
    UNIT_DEFS
        .iter()
        .find(|d| d.name == name)
        .map(|d| Dimension::from_ints(d.dim))
        .unwrap_or(Dimension::DIMENSIONLESS)
}

fn power_str(name: &str, k: Rational) -> String {
    if k == Rational::ONE {
        name.to_string()
    } else {
        format!("{name} ** {}", exponent_str(k))
    }
}

impl Dimension {
    /// A readable unit for snnc's messages: a named unit when one matches (`"volt"`,
    /// `"siemens"`, `"hertz"`, `"mmolar"`), else a base unit power (`"metre ** 2"`,
    /// `"second ** -0.5"`), a named power (`"volt ** 2"`), a quotient (`"volt/second"`,
    /// `"siemens/metre ** 2"`), a product (`"volt * second"` style) or, failing all,
    /// [`Dimension::base_unit_str`]. `"1"` for dimensionless. Deterministic: the first rendering in
    /// that order wins.
    pub fn unit_name(&self) -> String {
        if self.is_dimensionless() {
            return "1".to_string();
        }
        let readable = READABLE.iter().chain(std::iter::once(&"mmolar"));
        if let Some(n) = readable.clone().find(|n| named_dim(n) == *self) {
            return n.to_string();
        }
        let nonzero = self.0.iter().filter(|e| !e.is_zero()).count();
        if nonzero == 1 {
            return self.base_unit_str();
        }
        for n in readable.clone() {
            for (num, den) in POWERS {
                let k = Rational::new(num, den);
                if named_dim(n).pow(k) == *self {
                    return power_str(n, k);
                }
            }
        }
        for n in readable.clone() {
            for (d, k) in DENOMINATORS {
                let k = Rational::from_int(k);
                if named_dim(n).div(named_dim(d).pow(k)) == *self {
                    return format!("{n}/{}", power_str(d, k));
                }
            }
        }
        for (i, a) in READABLE.iter().enumerate() {
            for b in &READABLE[i + 1..] {
                if named_dim(a).mul(named_dim(b)) == *self {
                    return format!("{a} * {b}");
                }
            }
        }
        self.base_unit_str()
    }

    /// Brian2's `repr(get_unit(d))`, the form of its "expected unit …" messages: the registry's
    /// unscaled unit name (`"volt"`, `"metre2"`, `"mmolar"`, and `"radian"` for dimensionless, as
    /// Brian2 prints), else [`Dimension::base_unit_str`].
    pub fn brian_repr(&self) -> String {
        match standard_unit_for(self) {
            Some(StandardUnit { name, power, .. }) if power > 1 => format!("{name}{power}"),
            Some(StandardUnit { name, .. }) => name.to_string(),
            None => self.base_unit_str(),
        }
    }

    /// Brian2's `get_unit_for_display(d)`, the form of its "(unit is V)" messages: `"1"` for
    /// dimensionless, the registry unit's display name (`"V"`, `"Hz"`, `"m^2"`), else
    /// [`Dimension::brian_str`] (`"s^-0.5"`).
    pub fn brian_display(&self) -> String {
        if self.is_dimensionless() {
            return "1".to_string();
        }
        match standard_unit_for(self) {
            Some(StandardUnit { disp, power, .. }) if power > 1 => format!("{disp}^{power}"),
            Some(StandardUnit { disp, .. }) => disp.to_string(),
            None => self.brian_str(),
        }
    }
}

/// A candidate display unit: its display name and its value in SI.
struct Candidate {
    disp: String,
    value: f64,
}

/// Brian2's registry units for a dimension: the unscaled unit and its prefixed forms (mass uses
/// gram prefixes, concentration molar prefixes), raised to the registry unit's power.
fn candidates(dim: &Dimension) -> Vec<Candidate> {
    let Some(std) = standard_unit_for(dim) else {
        return Vec::new();
    };
    let (disp, base_exp, prefixable) =
        if dim.0 == Dimension::kilogram().pow(Rational::from_int(std.power)).0 {
            ("g", -3, true)
        } else if std.name == "mmolar" {
            ("M", 3, true)
        } else {
            let def = UNIT_DEFS.iter().find(|d| d.name == std.name);
            (std.disp, 0, def.is_some_and(|d| d.prefixable))
        };
    let suffix = if std.power > 1 {
        format!("^{}", std.power)
    } else {
        String::new()
    };
    let power = i32::try_from(std.power).unwrap_or(1);
    let mut out = vec![Candidate {
        disp: format!("{}{suffix}", std.disp),
        value: 1.0,
    }];
    if base_exp != 0 {
        // The unprefixed `gram` or `molar` itself.
        if let Some(value) = pow10(base_exp * power) {
            out.push(Candidate {
                disp: format!("{disp}{suffix}"),
                value,
            });
        }
    }
    if prefixable {
        for (p, e, in_strings) in PREFIXES {
            if let (true, Some(value)) = (in_strings, pow10((base_exp + e) * power)) {
                out.push(Candidate {
                    disp: format!("{p}{disp}{suffix}"),
                    value,
                });
            }
        }
    }
    out
}

/// A number as numpy prints an array element with Brian2's default precision: up to 8 decimals,
/// trailing zeros dropped but the point kept (`10.`, `1.23456`), scientific outside
/// `[1e-4, 1e8)`.
fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".to_string()
        } else if x > 0.0 {
            "inf".to_string()
        } else {
            "-inf".to_string()
        };
    }
    let a = x.abs();
    if a == 0.0 || (1e-4..1e8).contains(&a) {
        let s = format!("{x:.8}");
        let s = s.trim_end_matches('0');
        if s == "-." || s == "." {
            return "0.".to_string();
        }
        s.to_string()
    } else {
        format!("{x:e}")
    }
}

impl Quantity {
    /// Brian2-style display in the best unit: the registry unit that brings the magnitude
    /// closest to 10 (`"10. mV"` for 0.01 V, `"100. us"` for 1e-4 s); base units when none is
    /// registered (`"2. m^4 kg^2 s^-6 A^-2"`); the bare number when dimensionless.
    pub fn display(&self) -> String {
        if self.dim.is_dimensionless() {
            return format_number(self.value);
        }
        let cands = candidates(&self.dim);
        let a = self.value.abs();
        let best = if a == 0.0 || !a.is_finite() {
            cands.first()
        } else {
            let deviation = |c: &Candidate| ((a / c.value).log10() - 1.0).powi(2);
            cands
                .iter()
                .min_by(|x, y| deviation(x).total_cmp(&deviation(y)))
        };
        match best {
            Some(c) => format!("{} {}", format_number(self.value / c.value), c.disp),
            None => format!("{} {}", format_number(self.value), self.dim.brian_str()),
        }
    }
}

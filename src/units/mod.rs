//! SI dimensions, quantities and Brian2's unit names.
//!
//! This module is the vocabulary every other stage uses to talk about physical units: exact
//! [`Dimension`]s (exponents are [`Rational`]s), [`Quantity`] values in SI base units, the unit
//! names Brian2 accepts in model strings ([`lookup_unit`], [`is_unit_name`]), the constants
//! `pi`, `e`, `inf` ([`lookup_constant`]), and the rule for the unit after `:` in equations
//! ([`base_unit`]). It depends on nothing else in the crate and must never parse expressions or
//! equations: callers split identifiers out and ask about each.
//!
//! ```
//! use snnc::units::{base_unit, lookup_unit, Dimension};
//!
//! let mv = lookup_unit("mV").unwrap();
//! assert_eq!(mv.value, 0.001);
//! assert_eq!(mv.dim, Dimension::volt());
//! assert_eq!(mv.dim.brian_str(), "m^2 kg s^-3 A^-1");
//! assert_eq!(
//!     base_unit("mV").unwrap_err().to_string(),
//!     "Unit specification refers to 'mV', but this is not a base unit. Use 'volt' instead."
//! );
//! ```

mod dimension;
mod display;
mod rational;
mod table;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_algebra;

pub use dimension::{BaseDim, Dimension};
pub use rational::Rational;
pub use table::{
    base_unit, is_unit_name, lookup_constant, lookup_string_unit, lookup_unit, string_unit_names,
    BaseUnitError, BASE_UNITS_ALLOWED,
};

/// A scalar physical quantity: a value in SI base units and its dimension (`10*mV` is
/// `Quantity { value: 0.01, dim: Dimension::volt() }`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantity {
    /// Magnitude in SI base units.
    pub value: f64,
    /// Physical dimension.
    pub dim: Dimension,
}

impl Quantity {
    /// A quantity from its SI value and dimension.
    pub fn new(value: f64, dim: Dimension) -> Quantity {
        Quantity { value, dim }
    }

    /// A dimensionless number.
    pub fn dimensionless(value: f64) -> Quantity {
        Quantity::new(value, Dimension::DIMENSIONLESS)
    }
}

//! Property tests for the algebra of [`Rational`] and [`Dimension`].
//!
//! Laws, not examples: associativity, exponent addition, cancellation. Generators stay within
//! small exponents as real dimensions do; this file must not test named units.

use proptest::prelude::*;

use super::{Dimension, Rational};

fn rational() -> impl Strategy<Value = Rational> {
    (-12i64..=12, 1i64..=6).prop_map(|(n, d)| Rational::new(n, d))
}

fn dimension() -> impl Strategy<Value = Dimension> {
    proptest::array::uniform7(rational()).prop_map(Dimension)
}

proptest! {
    #[test]
    fn rationals_stay_reduced(a in rational(), b in rational()) {
        for r in [a + b, a - b, a * b, -a] {
            prop_assert!(r.den > 0);
            let g = (1..=r.den).rev().find(|g| r.num % g == 0 && r.den % g == 0);
            prop_assert_eq!(g, Some(1));
        }
    }

    #[test]
    fn rational_field_laws(a in rational(), b in rational(), c in rational()) {
        prop_assert_eq!((a + b) + c, a + (b + c));
        prop_assert_eq!(a * (b + c), a * b + a * c);
        prop_assert_eq!(a - a, Rational::ZERO);
        prop_assert_eq!(a * Rational::ONE, a);
        prop_assert_eq!(a < b, a.to_f64() < b.to_f64());
    }

    #[test]
    fn from_f64_round_trips(a in rational()) {
        prop_assert_eq!(Rational::from_f64(a.to_f64()), Some(a));
    }

    #[test]
    fn from_f64_never_panics(x in any::<f64>()) {
        if let Some(r) = Rational::from_f64(x) {
            prop_assert!(r.den > 0 && r.den <= 1000);
        }
    }

    #[test]
    fn dimension_mul_is_associative(a in dimension(), b in dimension(), c in dimension()) {
        prop_assert_eq!(a.mul(b).mul(c), a.mul(b.mul(c)));
        prop_assert_eq!(a.mul(b), b.mul(a));
    }

    #[test]
    fn dimension_pow_adds_exponents(a in dimension(), x in rational(), y in rational()) {
        prop_assert_eq!(a.pow(x).mul(a.pow(y)), a.pow(x + y));
        prop_assert_eq!(a.pow(x).pow(y), a.pow(x * y));
    }

    #[test]
    fn dimension_cancels(a in dimension(), b in dimension()) {
        prop_assert!(a.div(a).is_dimensionless());
        prop_assert_eq!(a.div(b).mul(b), a);
        prop_assert_eq!(a.recip().recip(), a);
        prop_assert_eq!(a.sqrt().mul(a.sqrt()), a);
        prop_assert_eq!(a * b, a.mul(b));
        prop_assert_eq!(a / b, a.div(b));
    }

    #[test]
    fn renderings_are_total(a in dimension()) {
        prop_assert!(!a.brian_str().is_empty());
        prop_assert!(!a.base_unit_str().is_empty());
        prop_assert!(!a.unit_name().is_empty());
        prop_assert!(!a.brian_repr().is_empty());
        prop_assert!(!a.brian_display().is_empty());
    }

    #[test]
    fn lookups_never_panic(name in "[a-zA-Z0-9μ]{0,12}") {
        let _ = super::lookup_unit(&name);
        let _ = super::base_unit(&name);
    }
}

//! Behaviour tests for the unit table, base-unit rule and renderings.
//!
//! Expected values come from Brian2 2.9.0's documented behaviour (BRIAN2-SEMANTICS.md §1.4, §3)
//! or are derived by hand from the SI definitions; this file must not compute expectations with
//! the code under test.

use super::*;

fn dim(e: [i64; 7]) -> Dimension {
    Dimension::from_ints(e)
}

/// Asserts `name` looks up to exactly `value` with dimension `d`.
fn check_unit(name: &str, value: f64, d: [i64; 7]) {
    let q = lookup_unit(name).unwrap_or_else(|| panic!("{name} should be a unit"));
    assert_eq!(q.value, value, "value of {name}");
    assert_eq!(q.dim, dim(d), "dimension of {name}");
}

const M: [i64; 7] = [1, 0, 0, 0, 0, 0, 0];
const M2: [i64; 7] = [2, 0, 0, 0, 0, 0, 0];
const M3: [i64; 7] = [3, 0, 0, 0, 0, 0, 0];
const KG: [i64; 7] = [0, 1, 0, 0, 0, 0, 0];
const S: [i64; 7] = [0, 0, 1, 0, 0, 0, 0];
const V: [i64; 7] = [2, 1, -3, -1, 0, 0, 0];
const SIEMENS: [i64; 7] = [-2, -1, 3, 2, 0, 0, 0];
const F: [i64; 7] = [-2, -1, 4, 2, 0, 0, 0];
const MOLAR: [i64; 7] = [-3, 0, 0, 0, 0, 1, 0];
const NONE: [i64; 7] = [0; 7];

#[test]
fn short_aliases_have_exact_si_values() {
    check_unit("mV", 0.001, V);
    check_unit("ms", 0.001, S);
    check_unit("us", 1e-6, S);
    check_unit("nS", 1e-9, SIEMENS);
    check_unit("uS", 1e-6, SIEMENS);
    check_unit("pF", 1e-12, F);
    check_unit("nA", 1e-9, [0, 0, 0, 1, 0, 0, 0]);
    check_unit("Hz", 1.0, [0, 0, -1, 0, 0, 0, 0]);
    check_unit("kHz", 1e3, [0, 0, -1, 0, 0, 0, 0]);
    check_unit("cm", 0.01, M);
    check_unit("cm2", 1e-4, M2);
    check_unit("um2", 1e-12, M2);
    check_unit("mm3", 1e-9, M3);
    check_unit("mM", 1.0, MOLAR);
    check_unit("uM", 1e-3, MOLAR);
    check_unit("nM", 1e-6, MOLAR);
}

#[test]
fn prefixed_and_powered_names_follow_brian_rules() {
    check_unit("kmetre", 1e3, M);
    check_unit("umetre", 1e-6, M);
    check_unit("msecond2", 1e-6, [0, 0, 2, 0, 0, 0, 0]);
    check_unit("nmetre3", 1e-27, M3);
    check_unit("Mohm", 1e6, [2, 1, -3, -2, 0, 0, 0]);
    check_unit("kgram", 1.0, KG);
    check_unit("gram", 1e-3, KG);
    check_unit("ugramme", 1e-9, KG);
    check_unit("molar", 1e3, MOLAR);
    check_unit("mmolar", 1.0, MOLAR);
    check_unit("Ymolar3", 1e81, [-9, 0, 0, 0, 0, 3, 0]);
    check_unit("ygram3", 1e-81, [0, 3, 0, 0, 0, 0, 0]);
    check_unit("mkatal3", 1e-9, [0, 0, -3, 0, 0, 3, 0]);
    check_unit("kelvin2", 1.0, [0, 0, 0, 0, 2, 0, 0]);
    check_unit("kilogram3", 1.0, [0, 3, 0, 0, 0, 0, 0]);
    check_unit("radian", 1.0, NONE);
    check_unit("mradian", 1e-3, NONE);
    check_unit("volt2", 1.0, [4, 2, -6, -2, 0, 0, 0]);
}

#[test]
fn litres_take_all_prefixes_and_no_powers() {
    check_unit("litre", 1e-3, M3);
    check_unit("liter", 1e-3, M3);
    check_unit("mlitre", 1e-6, M3);
    check_unit("cliter", 1e-5, M3);
    check_unit("dlitre", 1e-4, M3);
    check_unit("daliter", 1e-2, M3);
    check_unit("hlitre", 0.1, M3);
    check_unit("klitre", 1.0, M3);
    assert_eq!(lookup_unit("litre2"), None);
    assert_eq!(lookup_unit("mlitre3"), None);
}

#[test]
fn names_brian_does_not_define_are_unknown() {
    for name in [
        "kkilogram",
        "mkelvin",
        "kkelvin",
        "mkilogramme",
        "dsecond",
        "hsecond",
        "dametre",
        "cmetre2",
        "csecond",
        "candela",
        "celsius",
        "mF",
        "mS2",
        "Hz2",
        "mV2",
        "",
        "2",
        "m",
        "V",
        "s",
        "volts",
        "Volt",
        "xi",
        "kmetre4",
        "μm",
    ] {
        assert_eq!(lookup_unit(name), None, "{name} should not be a unit");
        assert!(!is_unit_name(name), "{name} should not be a unit name");
    }
}

#[test]
fn python_only_exports_are_looked_up_but_not_string_names() {
    check_unit("mS", 1e-3, SIEMENS);
    check_unit("cmetre", 0.01, M);
    check_unit("cmeter", 0.01, M);
    for name in ["mS", "cmetre", "cmeter"] {
        assert!(!is_unit_name(name), "{name}");
        assert_eq!(lookup_string_unit(name), None, "{name}");
    }
    assert!(is_unit_name("msiemens"));
    assert!(is_unit_name("cm"));
}

#[test]
fn string_namespace_has_brians_1710_distinct_names() {
    let names = string_unit_names();
    assert_eq!(names.len(), 1710);
    let distinct: std::collections::HashSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), 1710);
    for name in &names {
        assert!(is_unit_name(name), "{name}");
        assert!(lookup_unit(name).is_some(), "{name}");
    }
}

#[test]
fn constants() {
    assert_eq!(lookup_constant("pi"), Some(std::f64::consts::PI));
    assert_eq!(lookup_constant("e"), Some(std::f64::consts::E));
    assert_eq!(lookup_constant("inf"), Some(f64::INFINITY));
    assert_eq!(lookup_constant("True"), None);
    assert_eq!(lookup_constant("mV"), None);
}

#[test]
fn derived_unit_dimensions_match_si() {
    assert_eq!(lookup_unit("volt").map(|q| q.dim), Some(Dimension::volt()));
    assert_eq!(Dimension::volt().brian_str(), "m^2 kg s^-3 A^-1");
    assert_eq!(Dimension::farad().brian_str(), "m^-2 kg^-1 s^4 A^2");
    let brian_str = |n: &str| lookup_unit(n).map(|q| q.dim.brian_str());
    assert_eq!(brian_str("newton").as_deref(), Some("m kg s^-2"));
    assert_eq!(brian_str("tesla").as_deref(), Some("kg s^-2 A^-1"));
    assert_eq!(brian_str("lux").as_deref(), Some("m^-2 cd"));
    assert_eq!(brian_str("katal").as_deref(), Some("s^-1 mol"));
    assert_eq!(brian_str("sievert").as_deref(), Some("m^2 s^-2"));
    assert_eq!(brian_str("steradian").as_deref(), Some("1"));
    // Ohm's law: volt = amp * ohm, siemens = 1/ohm, coulomb = amp * second, farad = C / V.
    let d = |n: &str| lookup_unit(n).map(|q| q.dim).unwrap_or_default();
    assert_eq!(d("amp").mul(d("ohm")), d("volt"));
    assert_eq!(d("ohm").recip(), d("siemens"));
    assert_eq!(d("amp").mul(d("second")), d("coulomb"));
    assert_eq!(d("coulomb").div(d("volt")), d("farad"));
    assert_eq!(d("watt"), d("volt").mul(d("amp")));
}

#[test]
fn dimension_renderings() {
    let half = Dimension::second().pow(Rational::new(-1, 2));
    assert_eq!(half.brian_str(), "s^-0.5");
    assert_eq!(half.base_unit_str(), "second ** -0.5");
    assert_eq!(Dimension::DIMENSIONLESS.brian_str(), "1");
    assert_eq!(Dimension::DIMENSIONLESS.base_unit_str(), "1");
    assert_eq!(
        Dimension::volt().base_unit_str(),
        "metre ** 2 * kilogram * second ** -3 * amp ** -1"
    );
    let third = Dimension::metre().pow(Rational::new(1, 3));
    assert_eq!(third.brian_str(), "m^0.3333333333333333");
    assert_eq!(
        Dimension::volt().div(Dimension::second()).base_unit_str(),
        "metre ** 2 * kilogram * second ** -4 * amp ** -1"
    );
    assert_eq!(Dimension::second().sqrt().brian_str(), "s^0.5");
    assert_eq!(format!("{}", Dimension::hertz()), "s^-1");
}

#[test]
fn unit_names_for_messages() {
    let cases: [(Dimension, &str); 24] = [
        (Dimension::DIMENSIONLESS, "1"),
        (Dimension::volt(), "volt"),
        (Dimension::amp(), "amp"),
        (Dimension::siemens(), "siemens"),
        (Dimension::farad(), "farad"),
        (Dimension::hertz(), "hertz"),
        (dim([2, 1, -3, -2, 0, 0, 0]), "ohm"),
        (dim([0, 0, 1, 1, 0, 0, 0]), "coulomb"),
        (dim([2, 1, -2, 0, 0, 0, 0]), "joule"),
        (dim([2, 1, -3, 0, 0, 0, 0]), "watt"),
        (dim([1, 1, -2, 0, 0, 0, 0]), "newton"),
        (dim([-1, 1, -2, 0, 0, 0, 0]), "pascal"),
        (Dimension::metre(), "metre"),
        (Dimension::kilogram(), "kilogram"),
        (Dimension::second(), "second"),
        (dim([0, 0, 0, 0, 0, 1, 0]), "mole"),
        (dim([0, 0, 0, 0, 1, 0, 0]), "kelvin"),
        (MOLAR_DIM, "mmolar"),
        (Dimension::volt().div(Dimension::second()), "volt/second"),
        (dim([-2, 0, 0, 1, 0, 0, 0]), "amp/metre ** 2"),
        (Dimension::siemens().div(dim(M2)), "siemens/metre ** 2"),
        (Dimension::farad().div(dim(M2)), "farad/metre ** 2"),
        (
            Dimension::second().pow(Rational::new(-1, 2)),
            "second ** -0.5",
        ),
        (dim(M2), "metre ** 2"),
    ];
    for (d, expected) in cases {
        assert_eq!(d.unit_name(), expected, "{}", d.brian_str());
    }
    assert_eq!(
        Dimension::volt().pow(Rational::from_int(2)).unit_name(),
        "volt ** 2"
    );
    assert_eq!(Dimension::volt().recip().unit_name(), "volt ** -1");
    assert_eq!(
        Dimension::volt()
            .div(dim(S).pow(Rational::from_int(2)))
            .unit_name(),
        "volt/second ** 2"
    );
    // 1/(volt * second) is an inverse weber, found before any quotient.
    assert_eq!(
        Dimension::hertz().div(Dimension::volt()).unit_name(),
        "weber ** -1"
    );
    assert_eq!(Dimension::amp().div(dim(S)).unit_name(), "amp/second");
    assert_eq!(
        Dimension::volt()
            .mul(Dimension::amp())
            .mul(dim(S))
            .unit_name(),
        "joule"
    );
    assert_eq!(dim([1, 0, 1, 0, 0, 0, 0]).unit_name(), "second * metre");
    // Nothing short fits: base units.
    let odd = dim([1, 0, 0, 0, 1, 1, 1]);
    assert_eq!(odd.unit_name(), odd.base_unit_str());
}

const MOLAR_DIM: Dimension = Dimension::from_ints(MOLAR);

#[test]
fn brian_repr_and_display_follow_get_unit() {
    assert_eq!(Dimension::volt().brian_repr(), "volt");
    assert_eq!(Dimension::volt().brian_display(), "V");
    assert_eq!(Dimension::hertz().brian_display(), "Hz");
    assert_eq!(dim(M2).brian_repr(), "metre2");
    assert_eq!(dim(M2).brian_display(), "m^2");
    assert_eq!(MOLAR_DIM.brian_display(), "mM");
    assert_eq!(Dimension::DIMENSIONLESS.brian_display(), "1");
    assert_eq!(Dimension::DIMENSIONLESS.brian_repr(), "radian");
    let dvdt = Dimension::volt().div(Dimension::second());
    assert_eq!(
        dvdt.brian_repr(),
        "metre ** 2 * kilogram * second ** -4 * amp ** -1"
    );
    assert_eq!(
        Dimension::second()
            .pow(Rational::new(-1, 2))
            .brian_display(),
        "s^-0.5"
    );
    assert_eq!(dim([2, 0, -2, 0, 0, 0, 0]).brian_display(), "Gy");
    assert_eq!(dim([0, 0, 0, 0, 0, 0, 1]).brian_repr(), "candle");
}

#[test]
fn quantity_display_uses_best_unit() {
    let q = |v: f64, d: Dimension| Quantity::new(v, d).display();
    assert_eq!(q(0.01, Dimension::volt()), "10. mV");
    assert_eq!(q(1e-4, Dimension::second()), "100. us");
    assert_eq!(q(0.00123456, Dimension::volt()), "1.23456 mV");
    assert_eq!(q(-0.07, Dimension::volt()), "-70. mV");
    assert_eq!(q(1e-11, Dimension::amp()), "10. pA");
    assert_eq!(q(0.0, Dimension::volt()), "0. V");
    assert_eq!(q(5.0, Dimension::hertz()), "5. Hz");
    assert_eq!(q(1e-12, dim(M2)), "1. um^2");
    assert_eq!(q(0.002, Dimension::kilogram()), "2. g");
    assert_eq!(q(1e-3, MOLAR_DIM), "1. uM");
    assert_eq!(q(2e3, MOLAR_DIM), "2. M");
    assert_eq!(q(1.0, MOLAR_DIM), "1. mM");
    assert_eq!(
        q(2.0, dim([4, 2, -6, -2, 0, 0, 0]).mul(Dimension::amp())),
        "2. m^4 kg^2 s^-6 A^-1"
    );
    assert_eq!(Quantity::dimensionless(0.5).display(), "0.5");
    assert_eq!(Quantity::dimensionless(f64::NAN).display(), "nan");
}

#[test]
fn base_units_allowed_after_colon() {
    let allowed = [
        "amp",
        "ampere",
        "candle",
        "lumen",
        "coulomb",
        "farad",
        "gray",
        "sievert",
        "henry",
        "hertz",
        "Hz",
        "becquerel",
        "joule",
        "katal",
        "kelvin",
        "kilogram",
        "kilogramme",
        "kgram",
        "kgramme",
        "klitre",
        "kliter",
        "lux",
        "metre",
        "meter",
        "mmolar",
        "mM",
        "mole",
        "mol",
        "newton",
        "ohm",
        "pascal",
        "radian",
        "steradian",
        "second",
        "siemens",
        "tesla",
        "volt",
        "watt",
        "weber",
    ];
    for name in allowed {
        let d = base_unit(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Some(d), lookup_unit(name).map(|q| q.dim), "{name}");
        assert!(BASE_UNITS_ALLOWED.contains(name), "{name}");
    }
    // Exactly these: every string name with scale 1 that is not a power.
    let count = string_unit_names()
        .iter()
        .filter(|n| base_unit(n).is_ok())
        .count();
    assert_eq!(count, allowed.len());
    assert_eq!(base_unit("volt"), Ok(Dimension::volt()));
}

#[test]
fn non_base_units_suggest_what_brian_suggests() {
    let cases = [
        ("mV", "volt"),
        ("cm", "metre"),
        ("ms", "second"),
        ("gram", "kilogram"),
        ("molar", "mmolar"),
        ("liter", "metre ** 3"),
        ("um2", "metre ** 2"),
        ("metre2", "metre ** 2"),
        (
            "volt2",
            "metre ** 4 * kilogram ** 2 * second ** -6 * amp ** -2",
        ),
        ("kHz", "hertz"),
        ("msievert", "gray"),
        ("klumen", "candle"),
        ("mradian", "radian"),
        ("kelvin2", "kelvin ** 2"),
        ("nS", "siemens"),
    ];
    for (name, suggestion) in cases {
        let err = base_unit(name).expect_err(name);
        assert_eq!(err.suggestion.as_deref(), Some(suggestion), "{name}");
        assert_eq!(err.name, name);
    }
    assert_eq!(
        base_unit("mV").map_err(|e| e.to_string()),
        Err(
            "Unit specification refers to 'mV', but this is not a base unit. Use 'volt' instead."
                .to_string()
        )
    );
}

#[test]
fn unknown_names_list_the_allowed_base_units() {
    for name in ["foo", "mS", "cmetre", "V", "bool"] {
        let err = base_unit(name).expect_err(name);
        assert_eq!(err.suggestion, None);
        assert_eq!(
            err.to_string(),
            format!(
                "Unit specification refers to '{name}', but this is not a base unit. The \
following base units are allowed: amp (ampere), candle (lumen), coulomb, farad, gray \
(sievert), henry, hertz (Hz, becquerel), joule, katal, kelvin, kilogram (kilogramme, kgram, \
kgramme), klitre (kliter), lux, metre (meter), mmolar (mM), mole (mol), newton, ohm, pascal, \
radian (steradian), second, siemens, tesla, volt, watt, weber."
            )
        );
    }
}

#[test]
fn rational_basics() {
    assert_eq!(Rational::new(2, -4), Rational { num: -1, den: 2 });
    assert_eq!(Rational::new(0, -7), Rational::ZERO);
    assert_eq!(Rational::new(1, 0), Rational::ZERO);
    assert_eq!(Rational::checked_new(1, 0), None);
    assert_eq!(Rational::new(1, 2).to_string(), "1/2");
    assert_eq!(Rational::from_int(-3).to_string(), "-3");
    assert_eq!(Rational::from_f64(-0.5), Some(Rational::new(-1, 2)));
    assert_eq!(Rational::from_f64(1.0 / 3.0), Some(Rational::new(1, 3)));
    assert_eq!(Rational::from_f64(2.0), Some(Rational::from_int(2)));
    assert_eq!(Rational::from_f64(0.0), Some(Rational::ZERO));
    assert_eq!(Rational::from_f64(0.001), Some(Rational::new(1, 1000)));
    assert_eq!(Rational::from_f64(1.0 / 1001.0), None);
    assert_eq!(Rational::from_f64(std::f64::consts::PI), None);
    assert_eq!(Rational::from_f64(f64::NAN), None);
    assert_eq!(Rational::from_f64(f64::INFINITY), None);
    assert_eq!(Rational::from_f64(f64::NEG_INFINITY), None);
    assert_eq!(Rational::from_f64(1e300), None);
    assert!(Rational::new(1, 3) < Rational::new(1, 2));
    assert!(Rational::new(-1, 2) < Rational::ZERO);
    assert_eq!(
        Rational::new(1, 2) + Rational::new(1, 3),
        Rational::new(5, 6)
    );
    assert_eq!(
        Rational::new(1, 2) - Rational::new(1, 3),
        Rational::new(1, 6)
    );
    assert_eq!(
        Rational::new(2, 3) * Rational::new(3, 4),
        Rational::new(1, 2)
    );
    assert_eq!(-Rational::new(1, 2), Rational::new(-1, 2));
    assert_eq!(Rational::new(1, 2).checked_div(Rational::ZERO), None);
    assert_eq!(
        Rational::new(1, 2).checked_div(Rational::new(1, 4)),
        Some(Rational::from_int(2))
    );
    assert!(Rational::from_int(4).is_integer() && !Rational::new(1, 2).is_integer());
}

#[test]
fn rational_extremes_do_not_panic() {
    let min = Rational {
        num: i64::MIN,
        den: 1,
    };
    let max = Rational::from_int(i64::MAX);
    let _ = -min;
    let _ = min - max;
    let _ = max * max;
    let _ = max + max;
    let _ = Rational::new(i64::MIN, -1);
    let _ = Rational::new(i64::MIN, i64::MIN);
    assert!((max * max).to_f64() > 0.0);
    assert!((min - max).to_f64() < 0.0);
}

//! Brian2's unit table: which names exist, their SI scale and dimension.
//!
//! This file reproduces the unit namespace Brian2 gives model and code strings (`DEFAULT_UNITS`
//! in `brian2/core/namespace.py`: 1710 names built by rule from 35 named units, SI prefixes,
//! `2`/`3` powers, prefixed litres and the short aliases of `stdunits.py`), plus the three names
//! `from brian2 import *` exports that strings lack (`mS`, `cmetre`, `cmeter`), and the rule for
//! the unit after `:` in equations ([`base_unit`]). Names are resolved by rule rather than stored,
//! so the table is the 35 base definitions below. It must not format quantities or parse
//! expressions.

use std::fmt;

use super::dimension::Dimension;
use super::Quantity;

/// One named unit Brian2 defines in `allunits.py`.
#[derive(Debug)]
pub(crate) struct UnitDef {
    /// Python name, e.g. `"volt"`.
    pub(crate) name: &'static str,
    /// Brian2's display name, e.g. `"V"`.
    pub(crate) disp: &'static str,
    /// Exponents in the order m kg s A K mol cd.
    pub(crate) dim: [i64; 7],
    /// Scale as a power of ten (`gram` is -3, `molar` is 3).
    pub(crate) exp10: i32,
    /// Whether prefixed forms exist (`kelvin`, `kilogram` and `kilogramme` have none).
    pub(crate) prefixable: bool,
}

const fn def(name: &'static str, disp: &'static str, dim: [i64; 7], exp10: i32) -> UnitDef {
    UnitDef {
        name,
        disp,
        dim,
        exp10,
        prefixable: true,
    }
}

const fn unprefixed(name: &'static str, disp: &'static str, dim: [i64; 7]) -> UnitDef {
    UnitDef {
        name,
        disp,
        dim,
        exp10: 0,
        prefixable: false,
    }
}

/// The 35 named units, in Brian2's definition order. Brian2's registry lets the *first* of these
/// win when several unscaled units share a dimension (`metre` over `meter`, `hertz` over
/// `becquerel`, `gray` over `sievert`, `radian` over `steradian`), so order matters.
pub(crate) const UNIT_DEFS: [UnitDef; 35] = [
    def("metre", "m", [1, 0, 0, 0, 0, 0, 0], 0),
    def("meter", "m", [1, 0, 0, 0, 0, 0, 0], 0),
    unprefixed("kilogram", "kg", [0, 1, 0, 0, 0, 0, 0]),
    unprefixed("kilogramme", "kg", [0, 1, 0, 0, 0, 0, 0]),
    def("gram", "g", [0, 1, 0, 0, 0, 0, 0], -3),
    def("gramme", "g", [0, 1, 0, 0, 0, 0, 0], -3),
    def("second", "s", [0, 0, 1, 0, 0, 0, 0], 0),
    def("amp", "A", [0, 0, 0, 1, 0, 0, 0], 0),
    def("ampere", "A", [0, 0, 0, 1, 0, 0, 0], 0),
    unprefixed("kelvin", "K", [0, 0, 0, 0, 1, 0, 0]),
    def("mole", "mol", [0, 0, 0, 0, 0, 1, 0], 0),
    def("mol", "mol", [0, 0, 0, 0, 0, 1, 0], 0),
    def("molar", "M", [-3, 0, 0, 0, 0, 1, 0], 3),
    def("candle", "cd", [0, 0, 0, 0, 0, 0, 1], 0),
    def("radian", "rad", [0, 0, 0, 0, 0, 0, 0], 0),
    def("steradian", "sr", [0, 0, 0, 0, 0, 0, 0], 0),
    def("hertz", "Hz", [0, 0, -1, 0, 0, 0, 0], 0),
    def("newton", "N", [1, 1, -2, 0, 0, 0, 0], 0),
    def("pascal", "Pa", [-1, 1, -2, 0, 0, 0, 0], 0),
    def("joule", "J", [2, 1, -2, 0, 0, 0, 0], 0),
    def("watt", "W", [2, 1, -3, 0, 0, 0, 0], 0),
    def("coulomb", "C", [0, 0, 1, 1, 0, 0, 0], 0),
    def("volt", "V", [2, 1, -3, -1, 0, 0, 0], 0),
    def("farad", "F", [-2, -1, 4, 2, 0, 0, 0], 0),
    def("ohm", "ohm", [2, 1, -3, -2, 0, 0, 0], 0),
    def("siemens", "S", [-2, -1, 3, 2, 0, 0, 0], 0),
    def("weber", "Wb", [2, 1, -2, -1, 0, 0, 0], 0),
    def("tesla", "T", [0, 1, -2, -1, 0, 0, 0], 0),
    def("henry", "H", [2, 1, -2, -2, 0, 0, 0], 0),
    def("lumen", "lm", [0, 0, 0, 0, 0, 0, 1], 0),
    def("lux", "lx", [-2, 0, 0, 0, 0, 0, 1], 0),
    def("becquerel", "Bq", [0, 0, -1, 0, 0, 0, 0], 0),
    def("gray", "Gy", [2, 0, -2, 0, 0, 0, 0], 0),
    def("sievert", "Sv", [2, 0, -2, 0, 0, 0, 0], 0),
    def("katal", "kat", [0, 0, -1, 0, 0, 1, 0], 0),
];

/// SI prefixes with their powers of ten and whether unit names in strings use them (`c`, `d`,
/// `da` and `h` only prefix litres there).
pub(crate) const PREFIXES: [(&str, i32, bool); 20] = [
    ("y", -24, true),
    ("z", -21, true),
    ("a", -18, true),
    ("f", -15, true),
    ("p", -12, true),
    ("n", -9, true),
    ("u", -6, true),
    ("m", -3, true),
    ("c", -2, false),
    ("d", -1, false),
    ("da", 1, false),
    ("h", 2, false),
    ("k", 3, true),
    ("M", 6, true),
    ("G", 9, true),
    ("T", 12, true),
    ("P", 15, true),
    ("E", 18, true),
    ("Z", 21, true),
    ("Y", 24, true),
];

/// The short aliases of `brian2/units/stdunits.py` that strings see, with their full names.
const STRING_ALIASES: [(&str, &str); 27] = [
    ("mV", "mvolt"),
    ("mA", "mamp"),
    ("uA", "uamp"),
    ("nA", "namp"),
    ("pA", "pamp"),
    ("pF", "pfarad"),
    ("uF", "ufarad"),
    ("nF", "nfarad"),
    ("nS", "nsiemens"),
    ("uS", "usiemens"),
    ("ms", "msecond"),
    ("us", "usecond"),
    ("Hz", "hertz"),
    ("kHz", "khertz"),
    ("MHz", "Mhertz"),
    ("cm", "cmetre"),
    ("cm2", "cmetre2"),
    ("cm3", "cmetre3"),
    ("mm", "mmetre"),
    ("mm2", "mmetre2"),
    ("mm3", "mmetre3"),
    ("um", "umetre"),
    ("um2", "umetre2"),
    ("um3", "umetre3"),
    ("mM", "mmolar"),
    ("uM", "umolar"),
    ("nM", "nmolar"),
];

/// Brian2's verbatim list of the names allowed after `:` in equations, as its message prints it.
pub const BASE_UNITS_ALLOWED: &str = "amp (ampere), candle (lumen), coulomb, farad, gray \
(sievert), henry, hertz (Hz, becquerel), joule, katal, kelvin, kilogram (kilogramme, kgram, \
kgramme), klitre (kliter), lux, metre (meter), mmolar (mM), mole (mol), newton, ohm, pascal, \
radian (steradian), second, siemens, tesla, volt, watt, weber";

/// Correctly rounded powers of ten `1e-81 ..= 1e81`, the range unit scales span (`ygram3` is
/// 1e-81, `Ymolar3` is 1e81). Brian2 computes a unit's value as `10.0**exponent`, which these
/// literals equal exactly.
const POW10: [f64; 163] = [
    1e-81, 1e-80, 1e-79, 1e-78, 1e-77, 1e-76, 1e-75, 1e-74, 1e-73, 1e-72, 1e-71, 1e-70, 1e-69,
    1e-68, 1e-67, 1e-66, 1e-65, 1e-64, 1e-63, 1e-62, 1e-61, 1e-60, 1e-59, 1e-58, 1e-57, 1e-56,
    1e-55, 1e-54, 1e-53, 1e-52, 1e-51, 1e-50, 1e-49, 1e-48, 1e-47, 1e-46, 1e-45, 1e-44, 1e-43,
    1e-42, 1e-41, 1e-40, 1e-39, 1e-38, 1e-37, 1e-36, 1e-35, 1e-34, 1e-33, 1e-32, 1e-31, 1e-30,
    1e-29, 1e-28, 1e-27, 1e-26, 1e-25, 1e-24, 1e-23, 1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17,
    1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3,
    1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
    1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30,
    1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46,
    1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62,
    1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76, 1e77, 1e78,
    1e79, 1e80, 1e81,
];

/// `10^e` as the nearest `f64`, for `e` in the unit range; `None` outside it.
pub(crate) fn pow10(e: i32) -> Option<f64> {
    usize::try_from(e + 81)
        .ok()
        .and_then(|i| POW10.get(i).copied())
}

/// A name resolved against the table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resolved {
    /// The named unit it derives from.
    pub(crate) def: &'static UnitDef,
    /// Scale exponent including prefix and power.
    pub(crate) exp10: i32,
    /// Power (1, 2 or 3).
    pub(crate) power: i64,
}

impl Resolved {
    pub(crate) fn dimension(&self) -> Dimension {
        Dimension::from_ints(self.def.dim.map(|e| e * self.power))
    }
}

fn find_def(name: &str) -> Option<&'static UnitDef> {
    UNIT_DEFS.iter().find(|d| d.name == name)
}

/// Resolves a name in Brian2's string namespace (`DEFAULT_UNITS`).
pub(crate) fn resolve_string_unit(name: &str) -> Option<Resolved> {
    if let Some((_, full)) = STRING_ALIASES.iter().find(|(alias, _)| *alias == name) {
        // `cm`, `cm2`, `cm3` target names that strings lack themselves, so resolve them directly.
        return resolve_prefixed(full, true);
    }
    if let Some(r) = resolve_litre(name) {
        return Some(r);
    }
    resolve_prefixed(name, false)
}

/// `[prefix]litre` / `[prefix]liter` with all 20 prefixes and no powers.
fn resolve_litre(name: &str) -> Option<Resolved> {
    let stem = name
        .strip_suffix("litre")
        .or_else(|| name.strip_suffix("liter"))?;
    // `liter` and `litre` are defined with scale -3 (1 l = 1e-3 m^3).
    let litre = &LITRE;
    if stem.is_empty() {
        return Some(Resolved {
            def: litre,
            exp10: -3,
            power: 1,
        });
    }
    let (_, p, _) = PREFIXES.iter().find(|(p, _, _)| *p == stem)?;
    Some(Resolved {
        def: litre,
        exp10: p - 3,
        power: 1,
    })
}

/// Litre as a unit definition (it is not among the 35 because strings give it other rules).
pub(crate) const LITRE: UnitDef = UnitDef {
    name: "litre",
    disp: "l",
    dim: [3, 0, 0, 0, 0, 0, 0],
    exp10: -3,
    prefixable: true,
};

/// `[prefix]unit[2|3]`; `any_prefix` also admits `c`, `d`, `da`, `h` (for `cm`-style aliases).
fn resolve_prefixed(name: &str, any_prefix: bool) -> Option<Resolved> {
    let (stem, power) = match name.as_bytes().last() {
        Some(b'2') => (&name[..name.len() - 1], 2),
        Some(b'3') => (&name[..name.len() - 1], 3),
        _ => (name, 1),
    };
    if let Some(def) = find_def(stem) {
        return Some(Resolved {
            def,
            exp10: def.exp10 * power as i32,
            power,
        });
    }
    PREFIXES
        .iter()
        .filter(|(_, _, in_strings)| any_prefix || *in_strings)
        .find_map(|(p, e, _)| {
            let def = find_def(stem.strip_prefix(p)?)?;
            def.prefixable.then_some(Resolved {
                def,
                exp10: (def.exp10 + e) * power as i32,
                power,
            })
        })
}

/// Resolves a name available in strings or exported by `from brian2 import *`.
fn resolve_any(name: &str) -> Option<Resolved> {
    match name {
        "mS" => resolve_prefixed("msiemens", false),
        "cmetre" | "cmeter" => resolve_prefixed(name, true),
        _ => resolve_string_unit(name),
    }
}

fn to_quantity(r: Resolved) -> Option<Quantity> {
    Some(Quantity::new(pow10(r.exp10)?, r.dimension()))
}

/// The value of a unit name as a quantity in SI base units: every name Brian2 makes available in
/// model and code strings, plus `mS`, `cmetre` and `cmeter` which only `from brian2 import *`
/// exports. `lookup_unit("mV")` is 0.001 V; `None` for unknown names.
pub fn lookup_unit(name: &str) -> Option<Quantity> {
    resolve_any(name).and_then(to_quantity)
}

/// Like [`lookup_unit`] but restricted to Brian2's string namespace (`DEFAULT_UNITS`), so
/// `mS`, `cmetre` and `cmeter` are `None`.
pub fn lookup_string_unit(name: &str) -> Option<Quantity> {
    resolve_string_unit(name).and_then(to_quantity)
}

/// True if `name` is in Brian2's string unit namespace (`DEFAULT_UNITS`), the set Brian2 checks
/// for "'mV' is the name of a unit, cannot be used as a variable name.". Like Brian2 this is
/// false for the Python-only exports `mS`, `cmetre` and `cmeter`.
pub fn is_unit_name(name: &str) -> bool {
    resolve_string_unit(name).is_some()
}

/// The constants available in strings: `pi`, `e` and `inf`.
pub fn lookup_constant(name: &str) -> Option<f64> {
    match name {
        "pi" => Some(std::f64::consts::PI),
        "e" => Some(std::f64::consts::E),
        "inf" => Some(f64::INFINITY),
        _ => None,
    }
}

/// Every name in Brian2's string unit namespace (1710 names), in no particular order.
pub fn string_unit_names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let push_powers = |stem: String, names: &mut Vec<String>| {
        names.push(format!("{stem}2"));
        names.push(format!("{stem}3"));
        names.push(stem);
    };
    for def in &UNIT_DEFS {
        push_powers(def.name.to_string(), &mut names);
        if def.prefixable {
            for (p, _, in_strings) in &PREFIXES {
                if *in_strings {
                    push_powers(format!("{p}{}", def.name), &mut names);
                }
            }
        }
    }
    for stem in ["litre", "liter"] {
        names.push(stem.to_string());
        names.extend(PREFIXES.iter().map(|(p, _, _)| format!("{p}{stem}")));
    }
    names.extend(STRING_ALIASES.iter().map(|(alias, _)| alias.to_string()));
    names
}

/// The reason a name cannot be used as the unit after `:` in an equation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUnitError {
    /// The offending identifier.
    pub name: String,
    /// For a known unit that is not a base unit, what to write instead (`"volt"` for `mV`,
    /// `"metre ** 2"` for `um2`); `None` for a name that is not a unit at all.
    pub suggestion: Option<String>,
}

impl fmt::Display for BaseUnitError {
    /// Brian2's message, verbatim (it is quoted, so it keeps Brian2's capital and full stop).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Unit specification refers to '{}', but this is not a base unit. ",
            self.name
        )?;
        match &self.suggestion {
            Some(s) => write!(f, "Use '{s}' instead."),
            None => write!(
                f,
                "The following base units are allowed: {BASE_UNITS_ALLOWED}."
            ),
        }
    }
}

impl std::error::Error for BaseUnitError {}

/// Checks one identifier of a unit specification (`v : volt`): it must be a *base unit*, a
/// string-namespace unit of scale 1 that is not a `2`/`3` power (the 39 names of
/// [`BASE_UNITS_ALLOWED`]). Returns its dimension, or Brian2's error with a suggestion.
pub fn base_unit(name: &str) -> Result<Dimension, BaseUnitError> {
    let Some(r) = resolve_string_unit(name) else {
        return Err(BaseUnitError {
            name: name.to_string(),
            suggestion: None,
        });
    };
    let dim = r.dimension();
    if r.exp10 == 0 && r.power == 1 {
        return Ok(dim);
    }
    // Brian2 suggests the registry's unscaled unit for the dimension when that is itself a base
    // unit, else the dimension written in base units.
    let suggestion = match standard_unit_for(&dim) {
        Some(StandardUnit { name, power: 1, .. }) => name.to_string(),
        _ => dim.base_unit_str(),
    };
    Err(BaseUnitError {
        name: name.to_string(),
        suggestion: Some(suggestion),
    })
}

/// The unscaled unit Brian2's standard registry returns for a dimension (`get_unit`): a named
/// unit, optionally squared or cubed (`metre2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StandardUnit {
    pub(crate) name: &'static str,
    pub(crate) disp: &'static str,
    pub(crate) power: i64,
}

/// `mmolar`, the one prefixed unit with scale 1 that names a dimension nothing else does.
const MMOLAR: (&str, &str, [i64; 7]) = ("mmolar", "mM", [-3, 0, 0, 0, 0, 1, 0]);

/// Brian2's `get_unit(dim)` when it finds a registered unscaled unit: base units first (in
/// definition order), then `mmolar`, then squares and cubes of those. `None` when Brian2 would
/// build an anonymous unit.
pub(crate) fn standard_unit_for(dim: &Dimension) -> Option<StandardUnit> {
    for power in 1..=3 {
        let direct = UNIT_DEFS
            .iter()
            .filter(|d| d.exp10 == 0)
            .map(|d| (d.name, d.disp, d.dim))
            .chain(std::iter::once(MMOLAR))
            .find(|(_, _, d)| {
                // Radian is dimensionless; its powers are still dimensionless, found at power 1.
                Dimension::from_ints(d.map(|e| e * power)) == *dim
                    && (power == 1 || d.iter().any(|e| *e != 0))
            });
        if let Some((name, disp, _)) = direct {
            return Some(StandardUnit { name, disp, power });
        }
    }
    None
}

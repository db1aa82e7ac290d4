//! Name tables and resolution: which identifiers a declared variable may not use, and what an
//! identifier in an expression means (BRIAN2-SEMANTICS §1.2, §2.4, §2.5, §2.7).
//!
//! Resolution follows Brian2's order: temporaries of the code block, the group's own variables,
//! special names, then in Synapses `x_pre`/`x_post` and bare target names, then the built-in
//! constants, units, default functions, and last the script namespace. This module only answers
//! "what is this name"; dimension rules live in `dims` and `calls`.

use super::hir::{Side, Special, TableRef, VarKind, VarType, Variable};
use super::{ConstValue, Namespace, Owner};
use crate::functions::Func;
use crate::units::{self, Dimension};

/// Python keywords (Python 3.12), which Brian2 rejects as variable names.
const PYTHON_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Brian2's `DEFAULT_FUNCTIONS`: names reserved as functions, whether or not snnc implements
/// them.
pub(crate) const DEFAULT_FUNCTION_NAMES: [&str; 26] = [
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "exp", "log", "log10", "expm1", "log1p", "exprel",
    "sqrt", "ceil", "floor", "arcsin", "arccos", "arctan", "abs", "sign", "clip", "int", "rand",
    "randn", "poisson", "timestep",
];

/// Brian2's `DEFAULT_CONSTANTS`.
const DEFAULT_CONSTANT_NAMES: [&str; 3] = ["pi", "e", "inf"];

/// Names of the refractory mechanism.
const REFRACTORY_NAMES: [&str; 3] = ["not_refractory", "refractory", "refractory_until"];

/// Special names reserved in every equation set.
const RESERVED_SPECIALS: [&str; 6] = ["t", "dt", "t_in_timesteps", "xi", "i", "N"];

/// The dimension of white noise, `second ** -0.5`.
pub(crate) fn noise_dim() -> Dimension {
    Dimension::second().pow(units::Rational::new(-1, 2))
}

/// True for `xi` and `xi_<anything>`.
pub(crate) fn is_noise_name(name: &str) -> bool {
    name == "xi" || name.starts_with("xi_")
}

/// Brian2's basic identifier rules for a declared variable (keyword, leading underscore,
/// special, unit, function, constant and refractory names), as `(message, label)`. Group rules
/// (`_pre`/`_post`, Synapses' reserved names) are checked by the caller.
pub(crate) fn declared_name_error(name: &str) -> Option<(String, String)> {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let (msg, label) = if !valid {
        (
            format!("'{name}' is not a valid variable name"),
            "not an identifier",
        )
    } else if PYTHON_KEYWORDS.contains(&name) {
        (
            format!("'{name}' is a python keyword and cannot be used as a variable"),
            "a python keyword",
        )
    } else if name.starts_with('_') {
        (
            format!(
                "variable '{name}' starts with an underscore, this is only allowed for \
                 variables used internally"
            ),
            "leading underscore",
        )
    } else if RESERVED_SPECIALS.contains(&name) || name.starts_with("xi_") {
        (
            format!(
                "'{name}' has a special meaning in equations and cannot be used as a variable name"
            ),
            "a special name",
        )
    } else if units::is_unit_name(name) {
        (
            format!("'{name}' is the name of a unit, cannot be used as a variable name"),
            "a unit",
        )
    } else if DEFAULT_FUNCTION_NAMES.contains(&name) {
        (
            format!("'{name}' is the name of a function, cannot be used as a variable name"),
            "a function",
        )
    } else if DEFAULT_CONSTANT_NAMES.contains(&name) {
        (
            format!("'{name}' is the name of a constant, cannot be used as a variable name"),
            "a constant",
        )
    } else if REFRACTORY_NAMES.contains(&name) {
        (
            format!(
                "the name '{name}' is used in the refractory mechanism and should not be used \
                 as a variable name"
            ),
            "reserved for refractoriness",
        )
    } else {
        return None;
    };
    Some((msg, label.to_string()))
}

/// The checking environment of one expression: every name it may see.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    /// The group's variables.
    pub own: &'a [Variable],
    /// Checked subexpressions available for inlining (a subset of the subexpression variables of
    /// `own` while a model is being checked).
    pub subexprs: &'a [super::hir::SubExpr],
    /// Who owns the expression.
    pub owner: Owner<'a>,
    /// Script constants.
    pub ns: &'a Namespace,
    /// Temporaries of the code block so far: name, dimension, type.
    pub temps: &'a [(String, Dimension, VarType)],
    /// Whether noise symbols are allowed (right-hand sides of differential equations).
    pub noise: bool,
}

/// Where a constant comes from (for messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConstOrigin {
    /// `pi`, `e`, `inf`.
    Builtin,
    /// A unit name.
    Unit,
    /// A script constant.
    Script,
}

/// What a name means in an expression.
#[derive(Clone, Debug)]
pub(crate) enum Resolved<'a> {
    /// A stored variable of the group, or of a synapse's source/target group.
    Var(Side, &'a Variable),
    /// A subexpression of the group.
    SubExpr(&'a Variable),
    /// A special name.
    Special(Special, Dimension, VarType),
    /// A temporary of the code block.
    Temp(Dimension, VarType),
    /// A noise symbol.
    Noise,
    /// A number: built-in constant, unit or script constant.
    Const(f64, Dimension, VarType, ConstOrigin),
    /// Something callable.
    Callable(Callee),
    /// A name snnc knows but does not support (message, label).
    Unsupported(String, String),
}

/// Something that can be called in an expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Callee {
    /// A default function implemented by snnc.
    Func(Func),
    /// `rand()`.
    Rand,
    /// `randn()`.
    Randn,
    /// A TimedArray from the script namespace, and the dimension of its values.
    Table(TableRef, Dimension),
    /// `timestep(t, dt)`: the step a time falls in.
    Timestep,
    /// A Brian2 default function snnc does not implement.
    Unimplemented(&'static str),
}

/// Resolves `name` in `env`; `None` when it is unknown.
pub(crate) fn resolve<'a>(name: &str, env: &Env<'a>) -> Option<Resolved<'a>> {
    if let Some((_, dim, ty)) = env.temps.iter().find(|(n, _, _)| n == name) {
        return Some(Resolved::Temp(*dim, *ty));
    }
    if let Some(v) = own_var(name, env.own) {
        return Some(match v.kind {
            VarKind::Subexpression => Resolved::SubExpr(v),
            _ => Resolved::Var(Side::Own, v),
        });
    }
    if let Some(r) = special(name, env) {
        return Some(r);
    }
    if let Owner::Synapses { pre, post } = env.owner {
        let sided = if let Some(base) = name.strip_suffix("_pre") {
            other_group_var(base, pre, Side::Pre)
        } else if let Some(base) = name.strip_suffix("_post") {
            other_group_var(base, post, Side::Post)
        } else {
            None
        };
        if let Some(r) = sided.or_else(|| other_group_var(name, post, Side::Post)) {
            return Some(r);
        }
    }
    resolve_external(name, env.ns)
}

/// The group's own variable `name`, skipping summed variables (which Brian2 stores under an
/// internal name, so `x_post` keeps meaning the target's `x`).
fn own_var<'a>(name: &str, own: &'a [Variable]) -> Option<&'a Variable> {
    own.iter().find(|v| v.name == name && !v.flags.summed)
}

/// A variable of a synapse's source or target group.
fn other_group_var<'a>(name: &str, vars: &'a [Variable], side: Side) -> Option<Resolved<'a>> {
    let v = vars.iter().find(|v| v.name == name)?;
    if v.kind == VarKind::Subexpression {
        let group = if side == Side::Pre {
            "presynaptic"
        } else {
            "postsynaptic"
        };
        return Some(Resolved::Unsupported(
            format!("snnc does not support referring to the {group} subexpression '{name}' from synapses"),
            "a subexpression of another group".into(),
        ));
    }
    Some(Resolved::Var(side, v))
}

/// Special names: `t`, `dt`, `t_in_timesteps`, `i`, `N`, noise, and the Synapses specials.
fn special<'a>(name: &str, env: &Env<'a>) -> Option<Resolved<'a>> {
    let second = Dimension::second();
    let one = Dimension::DIMENSIONLESS;
    let syn = env.owner.is_synapses();
    Some(match name {
        "t" => Resolved::Special(Special::T, second, VarType::Float),
        "dt" => Resolved::Special(Special::Dt, second, VarType::Float),
        "t_in_timesteps" => Resolved::Special(Special::TInTimesteps, one, VarType::Integer),
        "i" => Resolved::Special(Special::I, one, VarType::Integer),
        "N" => Resolved::Special(Special::N, one, VarType::Integer),
        "j" if syn => Resolved::Special(Special::J, one, VarType::Integer),
        "N_pre" if syn => Resolved::Special(Special::NPre, one, VarType::Integer),
        "N_post" if syn => Resolved::Special(Special::NPost, one, VarType::Integer),
        "N_incoming" if syn => Resolved::Special(Special::NIncoming, one, VarType::Integer),
        "N_outgoing" if syn => Resolved::Special(Special::NOutgoing, one, VarType::Integer),
        "delay" if syn => Resolved::Unsupported(
            format!("snnc does not support '{name}' in synaptic expressions yet"),
            "not supported yet".into(),
        ),
        _ if is_noise_name(name) => Resolved::Noise,
        _ => return None,
    })
}

/// Names outside the group: built-in constants, units, default functions, script constants.
pub(crate) fn resolve_external<'a>(name: &str, ns: &Namespace) -> Option<Resolved<'a>> {
    let one = Dimension::DIMENSIONLESS;
    if let Some(v) = units::lookup_constant(name) {
        return Some(Resolved::Const(
            v,
            one,
            VarType::Float,
            ConstOrigin::Builtin,
        ));
    }
    if let Some(q) = units::lookup_unit(name) {
        return Some(Resolved::Const(
            q.value,
            q.dim,
            VarType::Float,
            ConstOrigin::Unit,
        ));
    }
    if let Some(c) = builtin_callee(name) {
        return Some(Resolved::Callable(c));
    }
    Some(match ns.values.get(name)? {
        ConstValue::Number {
            value,
            dim,
            integer,
        } => {
            let ty = if *integer {
                VarType::Integer
            } else {
                VarType::Float
            };
            Resolved::Const(*value, *dim, ty, ConstOrigin::Script)
        }
        ConstValue::Bool(b) => Resolved::Const(
            f64::from(u8::from(*b)),
            one,
            VarType::Boolean,
            ConstOrigin::Script,
        ),
        ConstValue::TimedArray {
            table,
            dim,
            dt,
            columns,
            rows,
        } => Resolved::Callable(Callee::Table(
            TableRef {
                id: *table,
                dt: *dt,
                rows: *rows,
                columns: *columns,
            },
            *dim,
        )),
    })
}

/// A default function by name.
fn builtin_callee(name: &str) -> Option<Callee> {
    match name {
        "rand" => Some(Callee::Rand),
        "randn" => Some(Callee::Randn),
        "poisson" => Some(Callee::Unimplemented("poisson")),
        "timestep" => Some(Callee::Timestep),
        _ => Func::from_name(name).map(Callee::Func),
    }
}

/// Brian2 warns when a built-in name (constant, unit, function) is also a script constant with a
/// different value: the built-in wins. Returns the warning text.
pub(crate) fn shadow_warning(
    name: &str,
    builtin_value: Option<f64>,
    ns: &Namespace,
) -> Option<String> {
    let other = ns.values.get(name)?;
    let same = match (builtin_value, other) {
        (Some(b), ConstValue::Number { value, .. }) => *value == b,
        _ => false,
    };
    if same {
        return None;
    }
    let kind = if units::lookup_constant(name).is_some() {
        "constants"
    } else if units::lookup_unit(name).is_some() {
        "units"
    } else {
        "functions"
    };
    Some(format!(
        "the name '{name}' refers to different objects in different namespaces; \
         using the object from the {kind} namespace, not the script's '{name}'"
    ))
}

/// Every name visible in `env`, for suggestions.
pub(crate) fn visible_names<'a>(env: &Env<'a>) -> Vec<String> {
    let mut names: Vec<String> = env.temps.iter().map(|(n, _, _)| n.clone()).collect();
    names.extend(
        env.own
            .iter()
            .filter(|v| !v.flags.summed)
            .map(|v| v.name.clone()),
    );
    names.extend(["t", "dt", "i", "N"].map(String::from));
    if let Owner::Synapses { pre, post } = env.owner {
        names.extend(["j", "N_pre", "N_post", "N_incoming", "N_outgoing"].map(String::from));
        names.extend(pre.iter().map(|v| format!("{}_pre", v.name)));
        names.extend(post.iter().map(|v| format!("{}_post", v.name)));
        names.extend(post.iter().map(|v| v.name.clone()));
    }
    names.extend(env.ns.values.keys().cloned());
    names.extend(DEFAULT_CONSTANT_NAMES.map(String::from));
    names.extend(DEFAULT_FUNCTION_NAMES.map(String::from));
    names.extend(units::string_unit_names());
    names
}

/// Levenshtein-based suggestion among candidates (for "did you mean 'tau'?"): the closest
/// candidate within an edit distance of about a third of the name's length (at least 1, and
/// less than the name's length), ties going to the first candidate.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len.div_ceil(3)).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = levenshtein(name, c);
        if d <= limit && d < len && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance between two strings, by characters: insertions, deletions, substitutions and
/// swaps of two adjacent characters each count one (`tua` is one edit from `tau`).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: the one two characters back is needed for swaps.
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let sub = prev[j] + usize::from(a[i] != b[j]);
            let mut d = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(prev2[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_and_not_trivial() {
        assert_eq!(suggest("taum", ["tau", "v"]), Some("tau"));
        assert_eq!(suggest("mv", ["mV", "v"]), Some("mV"));
        assert_eq!(suggest("x", ["v", "y"]), None);
        assert_eq!(suggest("volatge", ["voltage"]), Some("voltage"));
        assert_eq!(suggest("abc", ["xyz"]), None);
        assert_eq!(suggest("tua", ["tau", "v"]), Some("tau"));
        assert_eq!(levenshtein("ab", "ba"), 1);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn declared_names_follow_brian2_rules() {
        assert!(declared_name_error("v").is_none());
        assert!(declared_name_error("lastspike").is_none());
        for bad in [
            "lambda",
            "_x",
            "t",
            "xi_1",
            "mV",
            "exp",
            "pi",
            "not_refractory",
            "3x",
        ] {
            assert!(declared_name_error(bad).is_some(), "{bad}");
        }
    }
}

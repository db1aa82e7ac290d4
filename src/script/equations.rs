//! `Equations` objects as Brian2 builds them (`brian2/equations/equations.py`): keyword
//! substitutions (`Equations('dv/dt = (I - v)/tau : 1', tau=10*ms, I='I_ext')`) and joining
//! (`eqs + Equations('w : 1')`, `eqs + 'w : 1'`).
//!
//! Brian2 substitutes in the text of each right-hand side: a string replaces every occurrence
//! of the identifier as it is (no parentheses are added, so `I='a + b'` in `2*I` gives
//! `2*a + b`, as in Brian2), a value replaces it by `(value)`; a string also renames a model
//! variable, a value may not. The result keeps each piece's position in the `.eq` file, so
//! errors in a substituted model still point at the script.

use super::calls::Args;
use super::value::Value;
use super::{err, ScriptError};
use crate::source::{OffsetMap, Span};
use crate::syntax::ast::{Expr, ExprKind, StrLit};

/// What an identifier is replaced with.
enum Replacement {
    /// Text inserted as it is (a string argument).
    Text(String),
    /// A value, inserted in parentheses.
    Value(String),
}

/// `Equations(eqs, **substitutions)`.
pub(super) fn equations(a: &Args) -> Result<Value, ScriptError> {
    let (v, s) = a.require(0, "eqs")?;
    let lit = match v {
        Value::Str(l) | Value::Equations(l) => l.clone(),
        other => {
            return Err(err(
                format!("Equations() needs a string, found {}", other.kind()),
                s,
            ))
        }
    };
    let mut repl = Vec::new();
    for (name, value, e) in &a.kw {
        if name.name == "eqs" {
            continue;
        }
        let r = match value {
            Value::Str(t) => Replacement::Text(t.value.clone()),
            Value::Num { v, dim, int } => {
                if !v.is_finite() {
                    return Err(err("a substituted value must be finite", e.span));
                }
                Replacement::Value(super::value::quantity_code(*v, dim, *int))
            }
            other => {
                return Err(err(
                    format!(
                        "'{}' can be replaced by a string or a number, found {}",
                        name.name,
                        other.kind()
                    ),
                    e.span,
                ))
            }
        };
        repl.push((name.name.clone(), r, e.span));
    }
    if repl.is_empty() {
        return Ok(Value::Equations(lit));
    }
    substitute(&lit, &repl).map(Value::Equations)
}

/// Applies Brian2's substitutions to the equations in `lit`.
fn substitute(lit: &StrLit, repl: &[(String, Replacement, Span)]) -> Result<StrLit, ScriptError> {
    // Parsed once against the file for errors, once against the string for the edits.
    crate::syntax::parse_model(&lit.value, &lit.map)?;
    let model = crate::syntax::parse_model(&lit.value, &OffsetMap::identity())?;
    let find = |name: &str| repl.iter().find(|(n, _, _)| n == name);
    let defined: Vec<&str> = model
        .equations
        .iter()
        .map(|e| e.var.name.as_str())
        .collect();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for eq in &model.equations {
        if let Some((n, r, span)) = find(&eq.var.name) {
            match r {
                Replacement::Value(_) => {
                    return Err(err(
                        format!("cannot replace model variable '{n}' with a value"),
                        *span,
                    ))
                }
                Replacement::Text(new) => {
                    if defined.contains(&new.as_str()) {
                        return Err(err(
                            format!(
                                "cannot replace model variable '{n}' with '{new}', duplicate definition of '{new}'"
                            ),
                            *span,
                        ));
                    }
                    if !is_identifier(new) {
                        return Err(err(format!("'{new}' is not a valid variable name"), *span));
                    }
                    let s = eq.var.span;
                    edits.push((s.start as usize, s.end as usize, new.clone()));
                }
            }
        }
        if let Some(expr) = &eq.expr {
            names(expr, &mut |name, span| {
                if let Some((_, r, _)) = find(name) {
                    let text = match r {
                        Replacement::Text(t) => t.clone(),
                        Replacement::Value(v) => format!("({v})"),
                    };
                    edits.push((span.start as usize, span.end as usize, text));
                }
            });
        }
    }
    edits.sort_by_key(|e| e.0);
    Ok(apply(lit, &edits))
}

/// Calls `f` with every identifier of `e` (names and called functions) and its span.
fn names(e: &Expr, f: &mut dyn FnMut(&str, Span)) {
    match &e.kind {
        ExprKind::Name(n) => f(n, e.span),
        ExprKind::Call { func, args } => {
            f(&func.name, func.span);
            for a in args {
                names(a, f);
            }
        }
        ExprKind::Unary { operand, .. } => names(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            names(lhs, f);
            names(rhs, f);
        }
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) => {}
    }
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|x| x.is_alphabetic() || x == '_')
        && c.all(|x| x.is_alphanumeric() || x == '_')
}

/// The text of `lit` with `edits` (sorted, non-overlapping `[start, end)` ranges and their new
/// text) applied; unchanged text keeps its position in the file, inserted text points at what
/// it replaced.
fn apply(lit: &StrLit, edits: &[(usize, usize, String)]) -> StrLit {
    let mut out = String::new();
    let mut segments: Vec<(u32, u32)> = Vec::new();
    let keep = |out: &mut String, segments: &mut Vec<(u32, u32)>, from: usize, to: usize| {
        for (k, ch) in lit.value[from..to].char_indices() {
            push_segment(segments, out.len(), lit.map.map(from + k));
            out.push(ch);
        }
    };
    let mut at = 0;
    for (start, end, text) in edits {
        keep(&mut out, &mut segments, at, *start);
        // Every character of the inserted text maps to the start of what it replaced.
        let file = lit.map.map(*start);
        for ch in text.chars() {
            push_segment(&mut segments, out.len(), file);
            out.push(ch);
        }
        at = *end;
    }
    keep(&mut out, &mut segments, at, lit.value.len());
    StrLit {
        value: out,
        map: OffsetMap::from_segments(segments),
    }
}

/// Records that value offset `local` is at file offset `file`, unless the last segment already
/// says so.
fn push_segment(segments: &mut Vec<(u32, u32)>, local: usize, file: u32) {
    let local = u32::try_from(local).unwrap_or(u32::MAX);
    if let Some(&(l0, f0)) = segments.last() {
        if f0.saturating_add(local - l0) == file {
            return;
        }
    }
    segments.push((local, file));
}

/// `a + b` of two strings (`sep` empty), or of an `Equations` object and equations or a
/// string (`sep` a newline: one equation list, Brian2's `Equations.__add__`/`__radd__`); each
/// part keeps its position in the file.
pub(super) fn concat(a: &StrLit, b: &StrLit, sep: &str) -> StrLit {
    let mut segments = Vec::new();
    let mut value = String::new();
    for (k, part) in [a, b].into_iter().enumerate() {
        if k == 1 {
            value.push_str(sep);
        }
        let base = value.len();
        for (i, _) in part.value.char_indices() {
            push_segment(&mut segments, base + i, part.map.map(i));
        }
        value.push_str(&part.value);
    }
    StrLit {
        value,
        map: OffsetMap::from_segments(segments),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str, base: usize) -> StrLit {
        StrLit {
            value: s.to_string(),
            map: OffsetMap::shifted(base),
        }
    }

    #[test]
    fn text_replacements_are_inserted_as_they_are() {
        let l = lit("dv/dt = (2*I - v)/tau : 1", 100);
        let r = vec![(
            "I".to_string(),
            Replacement::Text("a + b".into()),
            Span::new(0, 0),
        )];
        let out = substitute(&l, &r).map_err(|_| ()).expect("substitutes");
        assert_eq!(out.value, "dv/dt = (2*a + b - v)/tau : 1");
        // Text before the edit keeps its place, inserted text points at 'I', text after it
        // at its own place.
        assert_eq!(out.map.map(0), 100);
        assert_eq!(out.map.map(11), 100 + 11);
        assert_eq!(out.map.map(13), 100 + 11);
        let v = out.value.find("- v").expect("rest");
        assert_eq!(out.map.map(v) as usize, 100 + "dv/dt = (2*I ".len());
    }

    #[test]
    fn values_go_in_parentheses_and_names_of_variables_are_renamed() {
        let l = lit("dv/dt = -v/tau : volt\nw : 1", 0);
        let r = vec![
            (
                "tau".to_string(),
                Replacement::Value("0.01 * second".into()),
                Span::new(0, 0),
            ),
            (
                "w".to_string(),
                Replacement::Text("g".into()),
                Span::new(0, 0),
            ),
        ];
        let out = substitute(&l, &r).map_err(|_| ()).expect("substitutes");
        assert_eq!(out.value, "dv/dt = -v/(0.01 * second) : volt\ng : 1");
        let bad = vec![(
            "w".to_string(),
            Replacement::Value("1".into()),
            Span::new(0, 0),
        )];
        assert!(substitute(&l, &bad).is_err());
    }

    #[test]
    fn joined_equations_keep_both_origins() {
        let j = concat(&lit("a : 1", 10), &lit("b : 1", 50), "\n");
        assert_eq!(j.value, "a : 1\nb : 1");
        assert_eq!(j.map.map(0), 10);
        assert_eq!(j.map.map(6), 50);
        assert_eq!(j.map.map(8), 52);
    }
}

//! Equation flags: which are allowed per equation kind and owner, and which exclude each other
//! (BRIAN2-SEMANTICS §1.3, §6.1).

use super::hir::VarFlags;
use super::names::suggest;
use super::Owner;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{EquationKind, Flag};

/// Brian2's name of an equation kind in messages.
pub(crate) fn kind_name(kind: EquationKind) -> &'static str {
    match kind {
        EquationKind::Differential => "differential equation",
        EquationKind::Subexpression => "subexpression",
        EquationKind::Parameter => "parameter",
    }
}

/// The flags Brian2 allows for `kind` in an equation of `owner`.
fn allowed(owner: &Owner, kind: EquationKind) -> &'static [&'static str] {
    match (owner.is_synapses(), kind) {
        (false, EquationKind::Differential) => &["unless refractory"],
        (false, EquationKind::Subexpression) => &["shared", "constant over dt"],
        (true, EquationKind::Differential) => &["event-driven", "clock-driven"],
        (true, EquationKind::Subexpression) => &["summed", "shared", "constant over dt"],
        (_, EquationKind::Parameter) => &["constant", "shared", "linked"],
    }
}

/// Groups of flags of which at most one may be given.
const INCOMPATIBLE: [&[&str]; 2] = [
    &["event-driven", "clock-driven"],
    &["summed", "shared", "constant over dt"],
];

/// Validates the flags of one equation and returns them; errors go to `diags`.
pub(crate) fn check_flags(
    flags: &[Flag],
    kind: EquationKind,
    owner: &Owner,
    diags: &mut Vec<Diagnostic>,
) -> VarFlags {
    let allowed = allowed(owner, kind);
    let mut out = VarFlags::default();
    let mut seen: Vec<&Flag> = Vec::new();
    for flag in flags {
        let name = flag.name.as_str();
        if !allowed.contains(&name) {
            let list = allowed
                .iter()
                .map(|f| format!("'{f}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d = Diagnostic::error(
                format!(
                    "equations of type '{}' cannot have a flag '{name}'",
                    kind_name(kind)
                ),
                flag.span,
            )
            .with_label(format!("only {list} allowed here"));
            if let Some(s) = suggest(name, allowed.iter().copied()) {
                d = d.with_note(format!("help: did you mean '{s}'?"));
            }
            diags.push(d);
            continue;
        }
        if seen.iter().any(|f| f.name == name) {
            diags.push(
                Diagnostic::warning(format!("flag '{name}' is given twice"), Some(flag.span))
                    .with_label("repeated flag"),
            );
            continue;
        }
        for group in INCOMPATIBLE {
            if !group.contains(&name) {
                continue;
            }
            if let Some(other) = seen.iter().find(|f| group.contains(&f.name.as_str())) {
                diags.push(
                    Diagnostic::error(
                        format!(
                            "flag '{}' cannot be combined with flag '{name}'",
                            other.name
                        ),
                        flag.span,
                    )
                    .with_label(format!("incompatible with '{}'", other.name)),
                );
            }
        }
        if name == "linked" && !seen.is_empty() || seen.iter().any(|f| f.name == "linked") {
            diags.push(
                Diagnostic::error(
                    "the 'linked' flag cannot be combined with other flags",
                    flag.span,
                )
                .with_label("a linked variable takes no other flag"),
            );
        }
        seen.push(flag);
        match name {
            "unless refractory" => out.unless_refractory = true,
            "constant" => out.constant = true,
            "shared" => out.shared = true,
            "linked" => out.linked = true,
            "constant over dt" => out.constant_over_dt = true,
            "summed" => out.summed = true,
            "event-driven" => out.event_driven = true,
            "clock-driven" => out.clock_driven = true,
            _ => {}
        }
    }
    out
}

//! Diagnostics: what went wrong, where, and what would be right, rendered like rustc.
//!
//! Stages *collect* diagnostics and return them together; rendering happens once, at the edge
//! (the CLI or the library's `Error` display). This module knows nothing of parsing or units.

use crate::source::{SourceFile, Span};
use std::fmt::Write as _;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The model cannot run.
    Error,
    /// The model runs, but probably not as intended.
    Warning,
    /// Information (for example which integration method was chosen).
    Note,
}

/// One message about the user's input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// The headline, lowercase, no trailing period (`unknown name 'taum'`).
    pub message: String,
    /// Where; `None` for messages about the whole input.
    pub span: Option<Span>,
    /// Text shown under the caret (`expected volt/second, found volt`).
    pub label: Option<String>,
    /// Further lines (`help: did you mean 'tau'?`).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            label: None,
            notes: Vec::new(),
        }
    }

    /// An error without a location.
    pub fn error_nospan(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            notes: Vec::new(),
        }
    }

    /// A warning at `span`.
    pub fn warning(message: impl Into<String>, span: Option<Span>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            span,
            label: None,
            notes: Vec::new(),
        }
    }

    /// A note at `span`.
    pub fn note(message: impl Into<String>, span: Option<Span>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            message: message.into(),
            span,
            label: None,
            notes: Vec::new(),
        }
    }

    /// Adds the caret label.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Adds a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders rustc-style against `file`:
    ///
    /// ```text
    /// error: unknown name 'taum'
    ///  --> model.eq:3:21
    ///   |
    /// 3 | dv/dt = (1-v)/taum : 1
    ///   |               ^^^^ not a variable, constant, unit or function
    ///   = help: did you mean 'tau'?
    /// ```
    pub fn render(&self, file: &SourceFile) -> String {
        let mut out = String::new();
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let _ = writeln!(out, "{sev}: {}", self.message);
        if let Some(span) = self.span {
            let (line, col) = file.line_col(span.start);
            let text = file.line_text(line);
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad}--> {}:{line}:{col}", file.name);
            let _ = writeln!(out, "{pad} |");
            // Underline to the end of the span, or of the line if the span runs past it.
            let (end_line, end_col) = file.line_col(span.end);
            let width = if end_line == line {
                end_col.saturating_sub(col).max(1)
            } else {
                (text.chars().count() + 1).saturating_sub(col).max(1)
            };
            let (shown, caret_at, width) = window(text, col - 1, width);
            let _ = writeln!(out, "{line} | {shown}");
            let _ = write!(out, "{pad} | {}{}", " ".repeat(caret_at), "^".repeat(width));
            if let Some(label) = &self.label {
                let _ = write!(out, " {label}");
            }
            out.push('\n');
        } else {
            let _ = writeln!(out, " --> {}", file.name);
            if let Some(label) = &self.label {
                let _ = writeln!(out, "  = {label}");
            }
        }
        for note in &self.notes {
            let _ = writeln!(out, "{} = {note}", " ".repeat(file_gutter(self, file)));
        }
        out
    }
}

/// The longest source line shown whole; longer lines are cut to a window around the span.
const MAX_SHOWN: usize = 120;

/// The part of a source line to show, with tabs as spaces: the whole line when it is short,
/// else up to [`MAX_SHOWN`] characters around the span, marked `...` where cut. Returns the
/// text, the caret's column in it (0-based) and the caret's width.
fn window(text: &str, start: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    if chars.len() <= MAX_SHOWN {
        return (chars.into_iter().collect(), start, width);
    }
    let from = start.saturating_sub(MAX_SHOWN / 3).min(chars.len());
    let to = (from + MAX_SHOWN).min(chars.len());
    let mut shown = String::new();
    let mut caret = start - from;
    if from > 0 {
        shown.push_str("...");
        caret += 3;
    }
    shown.extend(&chars[from..to]);
    if to < chars.len() {
        shown.push_str("...");
    }
    let width = width.min((to + 1).saturating_sub(start)).max(1);
    (shown, caret, width)
}

fn file_gutter(d: &Diagnostic, file: &SourceFile) -> usize {
    d.span
        .map(|s| file.line_col(s.start).0.to_string().len())
        .unwrap_or(1)
}

/// Renders a list of diagnostics, errors first in source order, then a summary line.
pub fn render_all(diags: &[Diagnostic], file: &SourceFile) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.severity, d.span.map(|s| s.start).unwrap_or(0)));
    let mut out = String::new();
    for d in &sorted {
        out.push_str(&d.render(file));
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        let _ = writeln!(
            out,
            "error: {}: aborting due to {errors} error{}",
            file.name,
            if errors == 1 { "" } else { "s" }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("x = 1{}+ bad\n", " ".repeat(100_000));
        let f = SourceFile::new("m.eq", text.as_str());
        let at = text.find("bad").unwrap();
        let r = Diagnostic::error("name 'bad' is not defined", Span::new(at, at + 3)).render(&f);
        assert!(r.len() < 600, "{r}");
        let lines: Vec<&str> = r.lines().collect();
        assert!(
            lines[3].starts_with("1 | ...") && lines[3].ends_with("+ bad"),
            "{r}"
        );
        // The caret sits under `bad`.
        let caret = lines[4].find('^').unwrap();
        assert_eq!(&lines[3][caret..caret + 3], "bad", "{r}");
        assert_eq!(lines[4].matches('^').count(), 3);
    }

    #[test]
    fn renders_file_line_col_caret_and_label() {
        let f = SourceFile::new("m.eq", "tau = 10*ms\ndv/dt = (1-v)/taum : 1\n");
        let d = Diagnostic::error("unknown name 'taum'", Span::new(26, 30))
            .with_label("not a variable, constant, unit or function")
            .with_note("help: did you mean 'tau'?");
        let r = d.render(&f);
        assert_eq!(
            r,
            "error: unknown name 'taum'\n --> m.eq:2:15\n  |\n2 | dv/dt = (1-v)/taum : 1\n  |               ^^^^ not a variable, constant, unit or function\n  = help: did you mean 'tau'?\n"
        );
    }
}

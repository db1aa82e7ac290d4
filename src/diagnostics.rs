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
        self.render_styled(file, false)
    }

    /// [`Diagnostic::render`], with ANSI colours when `color` is true (as rustc on a
    /// terminal); without colours the text is exactly that of `render`.
    pub fn render_styled(&self, file: &SourceFile, color: bool) -> String {
        let st = Style { on: color };
        let mut out = String::new();
        let (sev, sev_colour) = match self.severity {
            Severity::Error => ("error", RED),
            Severity::Warning => ("warning", YELLOW),
            Severity::Note => ("note", CYAN),
        };
        let _ = writeln!(
            out,
            "{}: {}",
            st.paint(sev_colour, sev),
            st.paint(BOLD, &self.message)
        );
        if let Some(span) = self.span {
            let (line, col) = file.line_col(span.start);
            let text = file.line_text(line);
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad}{} {}:{line}:{col}",
                st.paint(BLUE, "-->"),
                file.name
            );
            let _ = writeln!(out, "{pad} {}", st.paint(BLUE, "|"));
            // Underline to the end of the span, or of the line if the span runs past it.
            let (end_line, end_col) = file.line_col(span.end);
            let width = if end_line == line {
                end_col.saturating_sub(col).max(1)
            } else {
                (text.chars().count() + 1).saturating_sub(col).max(1)
            };
            // Very long lines are shown as a window around the span.
            let (shown, caret_at, width) = window(text, col - 1, width);
            let _ = writeln!(
                out,
                "{} {} {}",
                st.paint(BLUE, &line.to_string()),
                st.paint(BLUE, "|"),
                shown
            );
            let mut marks = "^".repeat(width);
            if let Some(label) = &self.label {
                marks.push(' ');
                marks.push_str(label);
            }
            let _ = write!(
                out,
                "{pad} {} {}{}",
                st.paint(BLUE, "|"),
                " ".repeat(caret_at),
                st.paint(sev_colour, &marks)
            );
            out.push('\n');
        } else {
            let _ = writeln!(out, " {} {}", st.paint(BLUE, "-->"), file.name);
            if let Some(label) = &self.label {
                let _ = writeln!(out, "  {} {label}", st.paint(BLUE, "="));
            }
        }
        for note in &self.notes {
            let _ = writeln!(
                out,
                "{} {} {note}",
                " ".repeat(file_gutter(self, file)),
                st.paint(BLUE, "=")
            );
        }
        out
    }
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[1;36m";
const BLUE: &str = "\x1b[1;34m";

/// ANSI styling that is a no-op when off, so plain output is unchanged.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_string()
        }
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
    render_all_styled(diags, file, false)
}

/// [`render_all`] with ANSI colours when `color` is true.
pub fn render_all_styled(diags: &[Diagnostic], file: &SourceFile, color: bool) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.severity, d.span.map(|s| s.start).unwrap_or(0)));
    let mut out = String::new();
    for d in &sorted {
        out.push_str(&d.render_styled(file, color));
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        let st = Style { on: color };
        let _ = writeln!(
            out,
            "{}: {}: aborting due to {errors} error{}",
            st.paint(RED, "error"),
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

//! Turning pest's parse errors into readable [`Diagnostic`]s, and the nesting-depth guard.
//!
//! A pest error says *where* parsing stopped and which rules were tried there. This module maps
//! rule names to words ("an expression", "')'"), names what was found instead, and recognises the
//! mistakes Brian2 has dedicated messages for (`&`, `|`, `^`, indexing, attributes, tuples). It
//! must not leak pest rule names into messages, and it never panics: every span it produces lies
//! within the parsed text.

use crate::diagnostics::Diagnostic;
use crate::source::{OffsetMap, Span};
use pest::error::{ErrorVariant, InputLocation};

/// The deepest nesting of brackets and operators accepted (checked before pest recurses).
pub(crate) const MAX_DEPTH: usize = 200;

/// The most operators on one path from the root of an expression tree to a leaf. Left-associative
/// chains (`a + b + c + ...`) are iterative to parse but make deep trees, which every recursive
/// walk (printing, comparing, dropping) would have to descend.
pub(crate) const MAX_TREE_DEPTH: usize = 1000;

/// How deeply the expression being built is nested: brackets, unary operators and `**` chains
/// (`nest`, bounded by [`MAX_DEPTH`]) and operators of any kind (`tree`, bounded by
/// [`MAX_TREE_DEPTH`]).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Depth {
    /// Brackets, unary operators and `**` chains around this point.
    pub nest: usize,
    /// Operators of any kind above this point.
    pub tree: usize,
}

/// The message for an expression with more than [`MAX_TREE_DEPTH`] nested operators.
pub(crate) fn too_large_message() -> String {
    format!("expression too large (more than {MAX_TREE_DEPTH} operators in one chain)")
}

/// The message for input nested more deeply than [`MAX_DEPTH`].
pub(crate) fn too_deep_message() -> String {
    format!("expression nested too deeply (more than {MAX_DEPTH} levels)")
}

/// Which language was being parsed: decides the wording of some messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// A Brian2 expression (threshold, condition, initialisation string).
    Expr,
    /// A model string.
    Model,
    /// A code string.
    Code,
    /// A connect generator.
    Generator,
    /// A `.eq` script line.
    Script,
}

/// What a rule stands for in an error message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Want {
    /// Start of an equation.
    Equation,
    /// A statement of a code string.
    Statement,
    /// An expression.
    Expression,
    /// A binary operator.
    Operator,
    /// `:` followed by a unit (model strings).
    ColonUnit,
    /// A unit.
    Unit,
    /// An exponent of a unit.
    Exponent,
    /// Flags in parentheses.
    Flags,
    /// A single flag.
    Flag,
    /// An assignment operator of a code string.
    AssignOp,
    /// A variable or other name.
    Name,
    /// A module name.
    Module,
    /// A literal token such as `')'`.
    Token(&'static str),
    /// The end of a line (end of an equation).
    EndOfLine,
    /// The end of the input.
    End,
}

impl Want {
    fn words(self, lang: Lang) -> String {
        match self {
            Want::Equation => {
                "an equation ('dx/dt = ... : unit', 'x = ... : unit' or 'x : unit')".into()
            }
            Want::Statement if lang == Lang::Script => "a statement".into(),
            Want::Statement => "a statement ('x = ...', 'x += ...', ...)".into(),
            Want::Expression => "an expression".into(),
            Want::Operator => "an operator".into(),
            Want::ColonUnit => "':' and a unit after the expression".into(),
            Want::Unit => "a unit".into(),
            Want::Exponent => "a number as exponent".into(),
            Want::Flags => "flags in parentheses".into(),
            Want::Flag => "a flag".into(),
            Want::AssignOp => "an assignment operator ('=', '+=', '-=', ...)".into(),
            Want::Name => "a name".into(),
            Want::Module => "a module name".into(),
            Want::Token(t) => format!("'{t}'"),
            Want::EndOfLine => "the end of the line".into(),
            Want::End => match lang {
                Lang::Script => "the end of the statement".into(),
                _ => "the end of the string".into(),
            },
        }
    }
}

/// Converts a pest error on `text` into a diagnostic with a file span.
pub(crate) fn from_pest<R: Copy + std::fmt::Debug>(
    err: &pest::error::Error<R>,
    text: &str,
    map: &OffsetMap,
    lang: Lang,
    describe: impl Fn(R) -> Option<Want>,
) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = clamp_to_char(text, pos);
    let mut wants: Vec<Want> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { message } => {
            // Pest's own resource guards ("stack limit reached", "call limit reached").
            let msg = if message.contains("limit") {
                too_deep_message()
            } else {
                message.clone()
            };
            return Diagnostic::error(msg, token_span(text, pos, map));
        }
    };
    wants.sort();
    wants.dedup();
    // At the end of the text, point just after its last character rather than at a blank line.
    let pos = if text[pos..].trim().is_empty() {
        text.trim_end().len().min(pos)
    } else {
        pos
    };
    if let Some(d) = special_case(text, pos, map, lang, &wants) {
        return d;
    }
    // An expression followed by a line break and more text: point just after the expression.
    let (pos, found) = if wants.contains(&Want::ColonUnit) && lang == Lang::Model {
        let before = text.get(..pos).unwrap_or("");
        let trimmed = before.trim_end_matches([' ', '\t', '\r', '\n', '\x0C']);
        let gap = &before[trimmed.len()..];
        if gap.contains('\n') && !trimmed.is_empty() {
            (trimmed.len(), "the end of the line".to_string())
        } else {
            (pos, found_words(text, pos, lang))
        }
    } else {
        (pos, found_words(text, pos, lang))
    };
    let expected = expected_words(&wants, lang);
    let span = token_span(text, pos, map);
    let d = Diagnostic::error(format!("expected {expected}, found {found}"), span);
    if lang == Lang::Model && text[pos..].starts_with('/') && wants.contains(&Want::Token("=")) {
        return d.with_note("help: a differential equation is written 'dx/dt = ...'");
    }
    // `threshold='v = 1'`: an assignment where an expression ends.
    let rest = &text[pos..];
    if wants.contains(&Want::Operator) && rest.starts_with('=') && !rest.starts_with("==") {
        return d.with_note("help: to compare, write '=='; an expression cannot assign");
    }
    d
}

/// Python's keywords: never names.
const PY_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn expected_words(wants: &[Want], lang: Lang) -> String {
    let mut wants: Vec<Want> = wants.to_vec();
    let has = |w: &Want, wants: &[Want]| wants.contains(w);
    // Parts of a call or of a name are implied by "an expression".
    if has(&Want::Expression, &wants) {
        wants.retain(|w| *w != Want::Name && *w != Want::Token("("));
    }
    if has(&Want::ColonUnit, &wants) {
        // After an expression in a model string, ':' is what is missing; don't list operators.
        wants.retain(|w| !matches!(w, Want::Operator | Want::Token(",") | Want::Token("(")));
    } else if lang == Lang::Model
        && has(&Want::Token("("), &wants)
        && !has(&Want::Expression, &wants)
    {
        // After a unit: flags may follow, or the line ends.
        return "flags in parentheses or the end of the line".into();
    }
    if lang == Lang::Code && has(&Want::Operator, &wants) {
        return "an operator, a new line or ';'".into();
    }
    if has(&Want::Equation, &wants) {
        wants.retain(|w| *w == Want::Equation || *w == Want::End);
    }
    if has(&Want::Statement, &wants) {
        wants.retain(|w| *w == Want::Statement || *w == Want::End || *w == Want::Token(";"));
    }
    if has(&Want::Operator, &wants) {
        wants.retain(|w| *w != Want::Token("("));
    }
    if wants.is_empty() {
        return "something else".into();
    }
    let words: Vec<String> = wants.iter().map(|w| w.words(lang)).collect();
    match words.len() {
        1 => words[0].clone(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

/// Brian2's dedicated messages, recognised at the position where an operator was expected.
fn special_case(
    text: &str,
    pos: usize,
    map: &OffsetMap,
    lang: Lang,
    wants: &[Want],
) -> Option<Diagnostic> {
    let rest = text.get(pos..).unwrap_or("");
    let c = rest.chars().next()?;
    let after_operand = wants.contains(&Want::Operator);
    let one = map.span(pos, pos + c.len_utf8());
    let brian = lang != Lang::Script;
    if brian && (after_operand || wants.contains(&Want::AssignOp)) {
        let bitwise = match c {
            '&' => Some(("&", "and")),
            '|' => Some(("|", "or")),
            '^' => Some(("^", "**")),
            _ => None,
        };
        if let Some((op, repl)) = bitwise {
            return Some(Diagnostic::error(
                format!("The operator \"{op}\" is not supported, use \"{repl}\" instead."),
                one,
            ));
        }
        let attr = c == '.' && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        let msg = match c {
            '[' => Some("Brian equations/expressions do not support indexing with '[...]'."),
            '.' if attr => Some(
                "Brian equations/expressions do not support accessing attributes with the '.' syntax.",
            ),
            ',' if !wants.contains(&Want::ColonUnit) => {
                Some("Brian equations/expressions do not support tuples.")
            }
            '=' if !rest.starts_with("==") && wants.contains(&Want::Token(",")) => {
                Some("Keyword arguments not supported.")
            }
            _ => None,
        };
        if let Some(m) = msg {
            return Some(Diagnostic::error(m, one));
        }
    }
    if lang == Lang::Code && after_operand && c == '=' && !rest.starts_with("==") {
        return Some(Diagnostic::error(
            "Only support syntax like a=b not a=b=c",
            one,
        ));
    }
    if !brian && after_operand && matches!(c, '&' | '|' | '^' | '~' | '@') {
        return Some(Diagnostic::error(
            format!("the operator '{c}' is not supported in .eq files"),
            one,
        ));
    }
    if !brian && (c == '\'' || c == '"') {
        // Pass 1 reads an unterminated `'''` as an empty string `''` followed by a quote.
        let before = text.get(..pos).unwrap_or("");
        let two = if c == '\'' { "''" } else { "\"\"" };
        if before.ends_with(two) {
            return Some(Diagnostic::error(
                "unterminated triple-quoted string literal",
                map.span(pos - 2, pos + 1),
            ));
        }
        return Some(Diagnostic::error("unterminated string literal", one));
    }
    if lang == Lang::Model && c == ';' && after_operand_or_unit(wants) {
        return Some(
            Diagnostic::error("equations are separated by line breaks, not ';'", one)
                .with_label("start a new line here"),
        );
    }
    // A Python keyword where an operator or the end was expected.
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let kw_span = map.span(pos, pos + word.len());
    let names_expected = wants
        .iter()
        .any(|w| matches!(w, Want::Equation | Want::Statement | Want::Name));
    if names_expected && PY_KEYWORDS.contains(&word.as_str()) && lang != Lang::Script {
        return Some(Diagnostic::error(
            format!("'{word}' is a Python keyword and cannot be used as a variable."),
            kw_span,
        ));
    }
    let msg = match word.as_str() {
        "if" | "else" if after_operand && lang != Lang::Generator => {
            Some("conditional expressions ('a if c else b') are not supported".to_string())
        }
        "for" if after_operand && lang != Lang::Generator => {
            Some("comprehensions ('x for x in ...') are not supported here".to_string())
        }
        "in" | "is" if after_operand && lang != Lang::Generator => {
            Some(format!("the operator '{word}' is not supported"))
        }
        "lambda" => Some("lambda expressions are not supported".to_string()),
        _ => None,
    };
    msg.map(|m| Diagnostic::error(m, kw_span))
}

fn after_operand_or_unit(wants: &[Want]) -> bool {
    wants.iter().any(|w| {
        matches!(
            w,
            Want::Operator | Want::EndOfLine | Want::Flags | Want::ColonUnit
        )
    })
}

/// Describes the text at `pos`: a word, a number, a character, a line end or the end of input.
fn found_words(text: &str, pos: usize, lang: Lang) -> String {
    let rest = text.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return match lang {
            Lang::Script => "the end of the statement".into(),
            _ => "the end of the string".into(),
        };
    };
    if rest.trim().is_empty() {
        return match lang {
            Lang::Script => "the end of the statement".into(),
            _ => "the end of the string".into(),
        };
    }
    if c == '\n' || c == '\r' {
        return "the end of the line".into();
    }
    let tok = token_len(rest);
    let shown: String = rest[..tok].chars().take(30).collect();
    if shown.contains('\'') {
        format!("\"{}\"", shown.escape_default())
    } else {
        format!("'{}'", shown.escape_default())
    }
}

/// Length in bytes of the token starting `rest` (a word or number, else one character).
fn token_len(rest: &str) -> usize {
    let word = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    if word > 0 {
        word
    } else {
        rest.chars().next().map(char::len_utf8).unwrap_or(0)
    }
}

/// The file span of the token at `pos` (empty at the end of the text).
pub(crate) fn token_span(text: &str, pos: usize, map: &OffsetMap) -> Span {
    let pos = clamp_to_char(text, pos);
    let rest = text.get(pos..).unwrap_or("");
    let len = if rest.starts_with(['\n', '\r']) {
        0
    } else {
        token_len(rest)
    };
    map.span(pos, pos + len)
}

fn clamp_to_char(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// Rejects input whose brackets nest more than [`MAX_DEPTH`] levels, before pest recurses into
/// them. Brackets inside strings and comments are counted too, which can only over-estimate.
pub(crate) fn check_bracket_depth(text: &str, map: &OffsetMap) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Diagnostic::error(too_deep_message(), map.span(i, i + 1)));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

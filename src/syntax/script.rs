//! Parsing `.eq` scripts: logical lines, indentation, statements.
//!
//! Pass 1 (`logical_lines` in `grammar/script.pest`) splits the file into Python logical lines.
//! Then each line is classified: blank or comment lines are dropped; an indented line at top
//! level is an "unexpected indent" error; a compound statement (`for`, `if`, `def`, ...) or a
//! statement keyword outside the subset (`return`, `pass`, Python 2 `print x`, ...) becomes
//! [`PyStmtKind::Unsupported`] with its indented body consumed; anything else is parsed by pass 2
//! (`py_line`) into imports, assignments and expression statements. Errors of different lines
//! are collected together. What the statements *mean* is the evaluator's business.

use super::ast::{AssignOp, PyExpr, PyExprKind, PyStmt, PyStmtKind, PyTarget, Script};
use super::errors::{check_bracket_depth, from_pest, Depth, Lang, Want};
use super::expr::Builder;
use super::parser::script::{Rule, ScriptParser};
use super::pyexpr::build_exprlist;
use crate::diagnostics::Diagnostic;
use crate::source::{OffsetMap, Span};
use pest::iterators::Pair;
use pest::Parser as _;

/// Compound statements: their indented body belongs to them.
const COMPOUND: &[&str] = &[
    "for", "while", "if", "elif", "else", "def", "class", "with", "try", "except", "finally",
    "async",
];

/// Clauses that continue a compound statement at the same indentation.
const CONTINUATION: &[&str] = &["elif", "else", "except", "finally"];

/// Simple statements outside the subset.
const SIMPLE: &[&str] = &[
    "return", "pass", "break", "continue", "del", "raise", "global", "nonlocal", "assert", "yield",
    "await",
];

/// Parses a whole script; see the module documentation.
pub(crate) fn parse_script(text: &str) -> Result<Script, Vec<Diagnostic>> {
    let identity = OffsetMap::identity();
    check_bracket_depth(text, &identity).map_err(|d| vec![d])?;
    let pairs = ScriptParser::parse(Rule::logical_lines, text)
        .map_err(|e| vec![from_pest(&e, text, &identity, Lang::Script, describe)])?;
    let lines: Vec<(usize, usize)> = pairs
        .flat_map(|p| p.into_inner())
        .filter(|p| p.as_rule() == Rule::logical_line)
        .map(|p| (p.as_span().start(), p.as_span().end()))
        .collect();
    let mut stmts = Vec::new();
    let mut diags = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (s, e) = lines[i];
        let line = text.get(s..e).unwrap_or("");
        let indent = indent_len(line);
        let content = &line[indent..];
        let cs = s + indent;
        i += 1;
        if is_blank(content) {
            continue;
        }
        if indent > 0 {
            diags.push(
                Diagnostic::error("unexpected indent", Span::new(s, cs))
                    .with_label("statements at the top level of a script start in column 1"),
            );
            while i < lines.len() && is_body(text, lines[i]) {
                i += 1;
            }
            continue;
        }
        let word = first_word(content);
        if COMPOUND.contains(&word) || content.starts_with('@') {
            let construct = if content.starts_with('@') {
                "decorator"
            } else {
                word
            };
            let mut end = cs + content.trim_end().len();
            while i < lines.len() {
                let (ls, le) = lines[i];
                let l = text.get(ls..le).unwrap_or("");
                let continues = is_body(text, lines[i]) || CONTINUATION.contains(&first_word(l));
                if !continues {
                    break;
                }
                if !is_blank(&l[indent_len(l)..]) {
                    end = ls + l.trim_end().len();
                }
                i += 1;
            }
            stmts.push(unsupported(construct, Span::new(cs, end)));
            continue;
        }
        let end = cs + content.trim_end().len();
        if SIMPLE.contains(&word) {
            stmts.push(unsupported(word, Span::new(cs, end)));
            continue;
        }
        if is_py2_print(content) {
            stmts.push(unsupported("print", Span::new(cs, end)));
            continue;
        }
        let map = OffsetMap::shifted(cs);
        match ScriptParser::parse(Rule::py_line, content) {
            Err(err) => {
                if let Some(open) = unclosed_bracket(content) {
                    // Python's message; the indented lines that follow are the rest of the
                    // bracket, not statements of their own.
                    let c = content.get(open..open + 1).unwrap_or("(");
                    diags.push(Diagnostic::error(
                        format!("'{c}' was never closed"),
                        Span::new(cs + open, cs + open + 1),
                    ));
                    while i < lines.len() && is_body(text, lines[i]) {
                        i += 1;
                    }
                    continue;
                }
                let d = from_pest(&err, content, &map, Lang::Script, describe);
                let stop = d.message.starts_with("unterminated triple-quoted");
                diags.push(d);
                if stop {
                    // The rest of the file is inside the string.
                    break;
                }
            }
            Ok(mut pairs) => {
                let mut b = Builder::new(&map);
                if let Some(line) = pairs.next() {
                    for stmt in line.into_inner().filter(|q| q.as_rule() != Rule::EOI) {
                        statement(&mut b, stmt, &mut stmts);
                    }
                }
                diags.append(&mut b.diags);
            }
        }
    }
    if diags.is_empty() {
        Ok(Script { stmts })
    } else {
        Err(diags)
    }
}

/// The offset of the last bracket of `line` left open (skipping strings and comments), if any.
fn unclosed_bracket(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'\'' | b'"') => {
                let triple = bytes.get(i..i + 3) == Some(&[q, q, q][..]);
                i += if triple { 3 } else { 1 };
                while i < bytes.len() {
                    if bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if triple && bytes.get(i..i + 3) == Some(&[q, q, q][..]) {
                        i += 2;
                        break;
                    }
                    if !triple && (bytes[i] == q || bytes[i] == b'\n') {
                        break;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => stack.push(i),
            b')' | b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}

fn unsupported(construct: &str, span: Span) -> PyStmt {
    PyStmt {
        kind: PyStmtKind::Unsupported {
            construct: construct.to_string(),
        },
        span,
    }
}

fn indent_len(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t', '\x0C']).len()
}

/// A line with nothing but whitespace and perhaps a comment.
fn is_blank(content: &str) -> bool {
    let t = content.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// A line that belongs to the preceding block: blank, or indented.
fn is_body(text: &str, (s, e): (usize, usize)) -> bool {
    let l = text.get(s..e).unwrap_or("");
    is_blank(l) || indent_len(l) > 0
}

fn first_word(content: &str) -> &str {
    let n = content
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(content.len());
    &content[..n]
}

/// `print x` or `print "x"` (Python 2), as opposed to a call `print(x)`.
fn is_py2_print(content: &str) -> bool {
    let Some(rest) = content.strip_prefix("print") else {
        return false;
    };
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let operator_word =
        ["and", "or", "not", "in", "is", "if", "else", "for"].contains(&first_word(trimmed));
    trimmed.len() < rest.len()
        && !operator_word
        && (trimmed
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '\'' || c == '"')
            || trimmed.starts_with(">>"))
}

fn statement(b: &mut Builder<'_>, p: Pair<'_, Rule>, out: &mut Vec<PyStmt>) {
    let span = b.span_trim(p.as_span());
    // Statements ending in an expression end where the expression does (no trailing comment).
    let upto = |e: &PyExpr| Span {
        start: span.start,
        end: e.span.end.max(span.start),
    };
    let push = |out: &mut Vec<PyStmt>, kind: PyStmtKind| {
        let span = match &kind {
            PyStmtKind::Assign { value, .. } | PyStmtKind::AugAssign { value, .. } => upto(value),
            PyStmtKind::Expr(e) => upto(e),
            _ => span,
        };
        out.push(PyStmt { kind, span })
    };
    match p.as_rule() {
        Rule::import_from => {
            let mut module = String::new();
            let mut star = false;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::dotted_name => module = q.as_str().to_string(),
                    Rule::import_star => star = true,
                    _ => {}
                }
            }
            push(out, PyStmtKind::Import { module, star });
        }
        Rule::import_stmt => {
            for q in p.into_inner().filter(|q| q.as_rule() == Rule::import_name) {
                if let Some(d) = q.into_inner().find(|r| r.as_rule() == Rule::dotted_name) {
                    let module = d.as_str().to_string();
                    push(
                        out,
                        PyStmtKind::Import {
                            module,
                            star: false,
                        },
                    );
                }
            }
        }
        Rule::assign => {
            let mut exprs = Vec::new();
            let mut ok = true;
            for q in p.into_inner().filter(|q| q.as_rule() == Rule::py_exprlist) {
                match build_exprlist(b, q, Depth::default()) {
                    Some(e) => exprs.push(e),
                    None => ok = false,
                }
            }
            let Some(value) = exprs.pop().filter(|_| ok) else {
                return;
            };
            let targets: Option<Vec<PyTarget>> = exprs.into_iter().map(|t| target(b, t)).collect();
            if let Some(targets) = targets {
                push(out, PyStmtKind::Assign { targets, value });
            }
        }
        Rule::aug_assign => {
            let mut exprs = Vec::new();
            let mut op = AssignOp::Add;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::py_exprlist => exprs.push(build_exprlist(b, q, Depth::default())),
                    Rule::aug_op => op = aug_op(q.as_str()),
                    _ => {}
                }
            }
            if let [Some(t), Some(v)] =
                <[Option<PyExpr>; 2]>::try_from(exprs).unwrap_or([None, None])
            {
                if let Some(target) = target(b, t) {
                    push(
                        out,
                        PyStmtKind::AugAssign {
                            target,
                            op,
                            value: v,
                        },
                    );
                }
            }
        }
        Rule::expr_stmt => {
            if let Some(e) = p
                .into_inner()
                .next()
                .and_then(|q| build_exprlist(b, q, Depth::default()))
            {
                push(out, PyStmtKind::Expr(e));
            }
        }
        _ => {}
    }
}

fn aug_op(s: &str) -> AssignOp {
    match s {
        "+=" => AssignOp::Add,
        "-=" => AssignOp::Sub,
        "*=" => AssignOp::Mul,
        "/=" => AssignOp::Div,
        "//=" => AssignOp::FloorDiv,
        "%=" => AssignOp::Mod,
        _ => AssignOp::Pow,
    }
}

/// An assignment target: a name, an attribute or an indexed expression.
fn target(b: &mut Builder<'_>, e: PyExpr) -> Option<PyTarget> {
    let what = match e.kind {
        PyExprKind::Name(name) => {
            return Some(PyTarget::Name(super::ast::Ident { name, span: e.span }))
        }
        PyExprKind::Attr { object, attr } => return Some(PyTarget::Attr { object, attr }),
        PyExprKind::Index { object, index } => return Some(PyTarget::Index { object, index }),
        PyExprKind::Tuple(_) | PyExprKind::List(_) => {
            b.diags.push(Diagnostic::error(
                "unpacking assignments ('a, b = ...') are not supported in .eq files",
                e.span,
            ));
            return None;
        }
        PyExprKind::Call { .. } => "a function call",
        PyExprKind::Int(_) | PyExprKind::Float(_) | PyExprKind::Str(_) => "a literal",
        PyExprKind::Bool(_) | PyExprKind::None => "a constant",
        _ => "an expression",
    };
    b.diags.push(Diagnostic::error(
        format!("cannot assign to {what}"),
        e.span,
    ));
    None
}

/// What a rule of the script grammar stands for in an error message.
fn describe(r: Rule) -> Option<Want> {
    use Rule as R;
    Some(match r {
        R::py_exprlist
        | R::py_expr
        | R::py_primary
        | R::py_float
        | R::py_int
        | R::kw_true
        | R::kw_false
        | R::kw_none
        | R::py_strings
        | R::py_string
        | R::py_paren
        | R::py_list
        | R::op_not
        | R::op_neg
        | R::op_pos
        | R::subscript
        | R::py_kwarg
        | R::expr_stmt
        | R::assign
        | R::aug_assign => Want::Expression,
        R::py_line => Want::Statement,
        R::op_or
        | R::op_and
        | R::op_lt
        | R::op_le
        | R::op_gt
        | R::op_ge
        | R::op_eq
        | R::op_ne
        | R::op_add
        | R::op_sub
        | R::op_mul
        | R::op_div
        | R::op_floordiv
        | R::op_mod
        | R::op_pow
        | R::call_trailer
        | R::attr_trailer
        | R::index_trailer => Want::Operator,
        R::py_name => Want::Name,
        R::dotted_name => Want::Module,
        R::lparen => Want::Token("("),
        R::rparen => Want::Token(")"),
        R::lbracket => Want::Token("["),
        R::rbracket => Want::Token("]"),
        R::comma => Want::Token(","),
        R::colon | R::slice_tail => Want::Token(":"),
        R::assign_eq => Want::Token("="),
        R::aug_op => Want::Token("+="),
        R::kw_import => Want::Token("import"),
        R::import_star | R::import_names | R::import_name => Want::Token("*"),
        R::EOI => Want::End,
        _ => return None,
    })
}

//! Python string literals: escape decoding and the [`OffsetMap`] from value bytes to the file.
//!
//! Adjacent literals are concatenated into one [`StrLit`]; each literal and each escape sequence
//! starts a new map segment, so a model string parsed from the value reports errors at the
//! right line and column of the `.eq` file. Bytes and f-strings are rejected here; nothing else
//! about the string's meaning is decided.

use super::ast::StrLit;
use crate::source::OffsetMap;

/// Accumulates the value and map segments of (possibly concatenated) string literals.
#[derive(Default)]
pub(crate) struct StrBuilder {
    value: String,
    segments: Vec<(u32, u32)>,
}

/// An error inside a literal: file offsets `[start, end)` and a message.
pub(crate) type StrError = (usize, usize, String);

impl StrBuilder {
    fn mark(&mut self, file_pos: usize) {
        let local = u32::try_from(self.value.len()).unwrap_or(u32::MAX);
        let file = u32::try_from(file_pos).unwrap_or(u32::MAX);
        if let Some(&(l0, f0)) = self.segments.last() {
            if l0 == local {
                self.segments.pop();
            } else if f0.checked_add(local - l0) == Some(file) {
                return;
            }
        }
        self.segments.push((local, file));
    }

    /// Appends the body of one literal (the text between the quotes) that starts at file offset
    /// `start`; `raw` for `r'...'` literals.
    pub fn push_body(&mut self, body: &str, start: usize, raw: bool) -> Result<(), StrError> {
        self.mark(start);
        if raw {
            self.value.push_str(body);
            return Ok(());
        }
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                self.value.push(c);
                continue;
            }
            let Some((j, e)) = chars.next() else {
                self.value.push('\\');
                break;
            };
            let mut end = j + e.len_utf8();
            let decoded: Option<char> = match e {
                '\n' => None,
                '\r' => {
                    if let Some(&(k, '\n')) = chars.peek() {
                        chars.next();
                        end = k + 1;
                    }
                    None
                }
                '\\' | '\'' | '"' => Some(e),
                'a' => Some('\x07'),
                'b' => Some('\x08'),
                'f' => Some('\x0C'),
                'n' => Some('\n'),
                'r' => Some('\r'),
                't' => Some('\t'),
                'v' => Some('\x0B'),
                '0'..='7' => {
                    let mut v = e.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match chars.peek() {
                            Some(&(k, d)) if d.is_digit(8) => {
                                v = v * 8 + d.to_digit(8).unwrap_or(0);
                                end = k + 1;
                                chars.next();
                            }
                            _ => break,
                        }
                    }
                    char::from_u32(v)
                }
                'x' | 'u' | 'U' => {
                    let n = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let mut v: u32 = 0;
                    for _ in 0..n {
                        match chars.peek() {
                            Some(&(k, d)) if d.is_ascii_hexdigit() => {
                                v = v
                                    .saturating_mul(16)
                                    .saturating_add(d.to_digit(16).unwrap_or(0));
                                end = k + 1;
                                chars.next();
                            }
                            _ => {
                                return Err((
                                    start + i,
                                    start + end,
                                    format!("truncated \\{e} escape in string literal"),
                                ))
                            }
                        }
                    }
                    match char::from_u32(v) {
                        Some(c) => Some(c),
                        None => {
                            return Err((
                                start + i,
                                start + end,
                                "invalid unicode escape in string literal".into(),
                            ))
                        }
                    }
                }
                'N' => {
                    return Err((
                        start + i,
                        start + end,
                        "\\N{...} escapes are not supported in .eq files".into(),
                    ))
                }
                _ => {
                    // Python keeps unknown escapes as written.
                    self.mark(start + i);
                    self.value.push('\\');
                    self.value.push(e);
                    self.mark(start + end);
                    continue;
                }
            };
            self.mark(start + i);
            if let Some(c) = decoded {
                self.value.push(c);
            }
            self.mark(start + end);
        }
        Ok(())
    }

    /// The finished literal.
    pub fn finish(self) -> StrLit {
        StrLit {
            value: self.value,
            map: OffsetMap::from_segments(self.segments),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_map_back_to_the_file() {
        // File: `x = 'a\tb\
        // c'` with the body starting at offset 5.
        let file = "x = 'a\\tb\\\nc'";
        let body = &file[5..file.len() - 1];
        let mut sb = StrBuilder::default();
        assert!(sb.push_body(body, 5, false).is_ok());
        let lit = sb.finish();
        assert_eq!(lit.value, "a\tbc");
        assert_eq!(lit.map.map(0), 5); // 'a'
        assert_eq!(lit.map.map(1), 6); // the tab comes from `\t`
        assert_eq!(lit.map.map(2), 8); // 'b'
        assert_eq!(lit.map.map(3), 11); // 'c' after the line continuation
    }

    #[test]
    fn raw_strings_keep_backslashes_and_bad_escapes_are_errors() {
        let mut sb = StrBuilder::default();
        assert!(sb.push_body("a\\d", 0, true).is_ok());
        assert_eq!(sb.finish().value, "a\\d");
        let mut sb = StrBuilder::default();
        let err = sb.push_body("\\x4", 10, false);
        assert_eq!(err.map(|_| ()).map_err(|e| (e.0, e.1)), Err((10, 13)));
        let mut sb = StrBuilder::default();
        assert!(sb.push_body("\\101\\u00e9\\q", 0, false).is_ok());
        assert_eq!(sb.finish().value, "Aé\\q");
    }
}

//! Source files, byte spans and the map from positions inside an embedded string to the file.
//!
//! Every AST node and every diagnostic carries a [`Span`] that indexes the *file* the user wrote,
//! even when the text was parsed out of a string literal inside a `.eq` script: the
//! [`OffsetMap`] of the literal translates positions in the string value back to the file. This
//! module knows nothing about parsing, units or simulation.

/// A half-open byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A named text, usually a `.eq` file (or `<string>` for text given through the library API).
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Name shown in diagnostics (a path, or `<string>`).
    pub name: String,
    /// The full text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps `text` under `name` and indexes its line starts.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset; offsets past the end are
    /// clamped to the end of the text.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// The text of 1-based line `line` without its line terminator ("" if out of range).
    pub fn line_text(&self, line: usize) -> &str {
        if line == 0 || line > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// Maps byte offsets inside a string value to byte offsets in the file the value came from.
///
/// A string literal without escapes maps by a constant shift; each escape sequence starts a new
/// segment. The map is monotonic, so spans stay ordered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(offset in the value, offset in the file)` at the start of each segment, sorted.
    segments: Vec<(u32, u32)>,
}

impl OffsetMap {
    /// The identity: the value *is* the file text.
    pub fn identity() -> OffsetMap {
        OffsetMap {
            segments: vec![(0, 0)],
        }
    }

    /// The value starts at byte `base` of the file and contains no escapes.
    pub fn shifted(base: usize) -> OffsetMap {
        OffsetMap {
            segments: vec![(0, u32::try_from(base).unwrap_or(u32::MAX))],
        }
    }

    /// Builds a map from explicit segments `(value offset, file offset)`; they are sorted by
    /// value offset. An empty list means the identity.
    pub fn from_segments(mut segments: Vec<(u32, u32)>) -> OffsetMap {
        segments.sort_unstable();
        if segments.is_empty() {
            return OffsetMap::identity();
        }
        OffsetMap { segments }
    }

    /// File offset of value offset `local`.
    pub fn map(&self, local: usize) -> u32 {
        let local = u32::try_from(local).unwrap_or(u32::MAX);
        let seg = match self.segments.binary_search_by_key(&local, |s| s.0) {
            Ok(k) => k,
            Err(0) => 0,
            Err(k) => k - 1,
        };
        let (l0, f0) = self.segments.get(seg).copied().unwrap_or((0, 0));
        f0.saturating_add(local.saturating_sub(l0))
    }

    /// File span of the value range `[start, end)`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.map(start);
        let e = if end > start { self.map(end) } else { s };
        Span {
            start: s,
            end: e.max(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let f = SourceFile::new("a.eq", "ab\nµx = 1\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'µ' is two bytes, one column.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_text(2), "µx = 1");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn offset_map_shifts_and_segments() {
        let m = OffsetMap::shifted(10);
        assert_eq!(m.map(0), 10);
        assert_eq!(m.span(2, 5), Span::new(12, 15));
        // value "a\nb" from file text `"a\\nb"` at 0: 'a' at 1, escape at 2..4, 'b' at 4.
        let m = OffsetMap::from_segments(vec![(0, 1), (1, 2), (2, 4)]);
        assert_eq!(m.map(0), 1);
        assert_eq!(m.map(2), 4);
    }
}
